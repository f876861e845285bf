package mockcloud

import "testing"

// TestValidateEdgeResult: the model of CloudFront's validation refuses what AWS documents it
// refuses, and only that.
func TestValidateEdgeResult(t *testing.T) {
	request := func(extra map[string]any) map[string]any {
		headers := map[string]any{"host": EdgeHeader("Host", "example.com"), "via": EdgeHeader("Via", "2.0 abc.cloudfront.net (CloudFront)")}
		for k, v := range extra {
			headers[k] = v
		}
		return map[string]any{"method": "GET", "uri": "/", "querystring": "", "headers": headers}
	}
	conditional := map[string]any{"if-none-match": EdgeHeader("If-None-Match", `"a"`), "range": EdgeHeader("Range", "bytes=0-9")}
	event := map[string]any{"Records": []any{map[string]any{"cf": map[string]any{
		"config": map[string]any{"eventType": "origin-request"}, "request": request(conditional)}}}}
	with := func(changes map[string]any) map[string]any {
		headers := map[string]any{}
		for k, v := range conditional {
			headers[k] = v
		}
		for k, v := range changes {
			if v == nil {
				delete(headers, k)
			} else {
				headers[k] = v
			}
		}
		return request(headers)
	}
	for _, tt := range []struct {
		name   string
		result map[string]any
		ok     bool
	}{
		{"untouched", with(nil), true},
		{"Range removed", with(map[string]any{"range": nil}), true},
		{"If-None-Match removed", with(map[string]any{"if-none-match": nil}), false},
		{"If-Modified-Since added", with(map[string]any{"if-modified-since": EdgeHeader("If-Modified-Since", "Wed, 21 Oct 2026 07:28:00 GMT")}), false},
		{"X-Cache added", with(map[string]any{"x-cache": EdgeHeader("X-Cache", "Hit")}), false},
		{"Via changed", with(map[string]any{"via": EdgeHeader("Via", "1.1 proxy")}), false},
	} {
		if err := ValidateEdgeResult(event, tt.result); (err == nil) != tt.ok {
			t.Errorf("%s: validation %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}

// TestValidateEdgeResultOfNoEvent: what is not an event is an error, not a panic.
func TestValidateEdgeResultOfNoEvent(t *testing.T) {
	for _, event := range []map[string]any{nil, {"Records": []any{}}, {"Records": []any{"x"}}} {
		if err := ValidateEdgeResult(event, map[string]any{}); err == nil {
			t.Errorf("%v: validated", event)
		}
	}
}

// TestRunEdgeFunction: a function runs as Lambda@Edge calls it, async or not; one that throws,
// rejects, never settles or exports no handler is an execution error (503), and one whose result
// CloudFront refuses a validation error (502).
func TestRunEdgeFunction(t *testing.T) {
	event := EdgeEvent("origin-request", EdgeRequest("GET", "/a", "", map[string]any{"s3": map[string]any{"domainName": "b.s3.us-east-1.amazonaws.com"}},
		map[string]any{"if-none-match": EdgeHeader("If-None-Match", `"x"`)}), nil)
	for _, tt := range []struct {
		name, source string
		uri          string // of the returned request, when it runs
		status       int
	}{
		{"async", `exports.handler = async (e) => { const r = e.Records[0].cf.request; r.uri = '/b'; return r; };`, "/b", 0},
		{"plain function", `exports.handler = (e) => e.Records[0].cf.request;`, "/a", 0},
		{"module.exports", `module.exports = { handler: async (e) => e.Records[0].cf.request };`, "/a", 0},
		{"throws", `exports.handler = async () => { throw new Error('boom'); };`, "", 503},
		{"never settles", `exports.handler = () => new Promise(() => {});`, "", 503},
		{"no handler", `exports.other = () => 1;`, "", 503},
		{"no exports", `module.exports = undefined;`, "", 503},
		{"not JavaScript", `exports.handler = =>`, "", 503},
		{"a 204 with a body", `exports.handler = async () => ({ status: '204', body: 'x' });`, "", 502},
		{"a read-only header removed", `exports.handler = async (e) => { const r = e.Records[0].cf.request; delete r.headers['if-none-match']; return r; };`, "", 502},
	} {
		result, status, err := RunEdgeFunction(tt.source, event)
		switch {
		case status != tt.status || (err == nil) != (tt.status == 0):
			t.Errorf("%s: status %d (%v), want %d", tt.name, status, err, tt.status)
		case tt.status == 0 && result["uri"] != tt.uri:
			t.Errorf("%s: returned %v, want the request for %s", tt.name, result, tt.uri)
		}
	}
	answer := EdgeEvent("origin-response", EdgeRequest("GET", "/a", "", nil, nil), EdgeResponse(200))
	if _, status, err := RunEdgeFunction(`exports.handler = async (e) => ({ headers: e.Records[0].cf.response.headers });`, answer); status != 502 {
		t.Errorf("a response without a status: status %d (%v), want 502", status, err)
	}
}
