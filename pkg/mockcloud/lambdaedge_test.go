package mockcloud

import "testing"

// TestValidateEdgeResult: the model of CloudFront's validation refuses what AWS documents it
// refuses, and only that.
func TestValidateEdgeResult(t *testing.T) {
	header := func(key, value string) []any { return []any{map[string]any{"key": key, "value": value}} }
	request := func(extra map[string]any) map[string]any {
		headers := map[string]any{"host": header("Host", "example.com"), "via": header("Via", "2.0 abc.cloudfront.net (CloudFront)")}
		for k, v := range extra {
			headers[k] = v
		}
		return map[string]any{"method": "GET", "uri": "/", "querystring": "", "headers": headers}
	}
	conditional := map[string]any{"if-none-match": header("If-None-Match", `"a"`), "range": header("Range", "bytes=0-9")}
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
		{"If-Modified-Since added", with(map[string]any{"if-modified-since": header("If-Modified-Since", "Wed, 21 Oct 2026 07:28:00 GMT")}), false},
		{"X-Cache added", with(map[string]any{"x-cache": header("X-Cache", "Hit")}), false},
		{"Via changed", with(map[string]any{"via": header("Via", "1.1 proxy")}), false},
	} {
		if err := ValidateEdgeResult(event, tt.result); (err == nil) != tt.ok {
			t.Errorf("%s: validation %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}
