package errorsite

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seed-2b23e6e5/route53-failover/pkg/mockcloud"
)

// driver runs the function's handler on each event of events.json and prints what it returns,
// as Lambda@Edge would call it.
const driver = `
const { handler } = require('./index.js');
const events = require('./events.json');
(async () => {
  const out = [];
  for (const e of events) out.push(await handler(e));
  process.stdout.write(JSON.stringify(out));
})().catch((err) => { console.error(err); process.exit(1); });
`

// Lambda@Edge events shaped as AWS documents them ("Lambda@Edge event structure", CloudFront
// Developer Guide): the distribution's config with a request id, the viewer's request with its
// headers, and the origin the request is bound for.
var (
	atBucket = map[string]any{"s3": map[string]any{"authMethod": "origin-access-identity", "customHeaders": map[string]any{},
		"domainName": "site-error-bucket.s3.us-east-1.amazonaws.com", "path": "", "region": "us-east-1"}}
	atMainSite = map[string]any{"custom": map[string]any{"customHeaders": map[string]any{}, "domainName": "origin.example.com",
		"keepaliveTimeout": 5, "path": "", "port": 443, "protocol": "https", "readTimeout": 10, "sslProtocols": []any{"TLSv1.2"}}}
)

func header(key, value string) []any { return []any{map[string]any{"key": key, "value": value}} }

// cfRequest is a viewer's request as Lambda@Edge sees it, bound for origin, with extra headers.
func cfRequest(method, uri, query string, origin map[string]any, extra map[string]any) map[string]any {
	headers := map[string]any{"host": header("Host", "example.com"), "user-agent": header("User-Agent", "curl/8.5.0"),
		"via":             header("Via", "2.0 2afae0d44e2540f472c0635ab62c232b.cloudfront.net (CloudFront)"),
		"x-forwarded-for": header("X-Forwarded-For", "203.0.113.178")}
	for k, v := range extra {
		headers[k] = v
	}
	return map[string]any{"clientIp": "203.0.113.178", "headers": headers, "method": method, "origin": origin, "querystring": query, "uri": uri}
}

// cfEvent is a Lambda@Edge event of the given type.
func cfEvent(eventType string, request, response map[string]any) map[string]any {
	cf := map[string]any{"config": map[string]any{"distributionDomainName": "d111111abcdef8.cloudfront.net",
		"distributionId": "EDFDVBD6EXAMPLE", "eventType": eventType, "requestId": "4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ=="},
		"request": request}
	if response != nil {
		cf["response"] = response
	}
	return map[string]any{"Records": []any{map[string]any{"cf": cf}}}
}

// cfResponse is an origin's answer as Lambda@Edge sees it.
func cfResponse(status, description string) map[string]any {
	return map[string]any{"status": status, "statusDescription": description, "headers": map[string]any{
		"content-type": header("Content-Type", "text/html"), "server": header("Server", "AmazonS3")}}
}

// TestFailoverFunctionRuns runs the failover function's code under Node.js, as Lambda@Edge would,
// on events shaped as AWS documents them. A request the origin group sends to the bucket asks for
// the whole page, whatever the path, method or conditional headers; whatever the bucket answers
// (the page, a 403 for a page gone missing, a 304 or 206) comes back as a page with the error
// status and no-store. The main site's requests and answers pass untouched, its own 404 and 5xx
// and its own page at the page's path included: the function goes by the origin, not the path.
// Without node the test skips, unless NODE_REQUIRED is set (CI).
func TestFailoverFunctionRuns(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("NODE_REQUIRED") != "" {
			t.Fatal("node is required (NODE_REQUIRED) and not on PATH")
		}
		t.Skip("node is not on PATH: the function's code is not run")
	}
	const page, status = "/" + EdgePageKey, 503
	conditional := map[string]any{"range": header("Range", "bytes=0-99"), "if-match": header("If-Match", `"abc"`),
		"if-none-match": header("If-None-Match", `"abc"`), "if-modified-since": header("If-Modified-Since", "Wed, 21 Oct 2026 07:28:00 GMT"),
		"if-range": header("If-Range", `"abc"`), "if-unmodified-since": header("If-Unmodified-Since", "Wed, 21 Oct 2026 07:28:00 GMT")}
	type want struct {
		uri, query, status string // "" where the answer is a response, or the request passes untouched
		page, body         bool
		cacheControl, kept bool
	}
	tests := []struct {
		name  string
		event map[string]any
		want  want
	}{
		{"GET bound for the bucket", cfEvent("origin-request", cfRequest("GET", "/shop/cart", "item=7", atBucket, conditional), nil),
			want{uri: page, query: ""}},
		{"HEAD bound for the bucket", cfEvent("origin-request", cfRequest("HEAD", "/", "", atBucket, nil), nil), want{uri: page}},
		{"bound for the main site", cfEvent("origin-request", cfRequest("GET", "/shop/cart", "item=7", atMainSite, conditional), nil),
			want{uri: "/shop/cart", query: "item=7", kept: true}},
		{"the bucket's page", cfEvent("origin-response", cfRequest("GET", page, "", atBucket, nil), cfResponse("200", "OK")),
			want{status: "503", cacheControl: true}},
		{"the page gone missing", cfEvent("origin-response", cfRequest("GET", page, "", atBucket, nil), cfResponse("403", "Forbidden")),
			want{status: "503", body: true, cacheControl: true}},
		{"a 304 from the bucket", cfEvent("origin-response", cfRequest("GET", page, "", atBucket, nil), cfResponse("304", "Not Modified")),
			want{status: "503", body: true, cacheControl: true}},
		{"a 206 from the bucket", cfEvent("origin-response", cfRequest("GET", page, "", atBucket, nil), cfResponse("206", "Partial Content")),
			want{status: "503", body: true, cacheControl: true}},
		{"a 412 from the bucket", cfEvent("origin-response", cfRequest("GET", page, "", atBucket, conditional), cfResponse("412", "Precondition Failed")),
			want{status: "503", body: true, cacheControl: true}},
		{"the main site's 404", cfEvent("origin-response", cfRequest("GET", "/missing", "", atMainSite, nil), cfResponse("404", "Not Found")),
			want{status: "404"}},
		{"the main site's 503", cfEvent("origin-response", cfRequest("GET", "/", "", atMainSite, nil), cfResponse("503", "Service Unavailable")),
			want{status: "503"}},
		{"the main site's own page at the page's path", cfEvent("origin-response", cfRequest("GET", page, "", atMainSite, nil), cfResponse("200", "OK")),
			want{status: "200"}},
	}
	dir := t.TempDir()
	var events []any
	for _, tt := range tests {
		events = append(events, tt.event)
	}
	encoded, _ := json.Marshal(events)
	for name, content := range map[string]string{
		"index.js": FailoverFunctionCode(page, status), "events.json": string(encoded), "driver.js": driver,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(node, "driver.js")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var got []struct {
		URI               string         `json:"uri"`
		QueryString       string         `json:"querystring"`
		Status            string         `json:"status"`
		StatusDescription string         `json:"statusDescription"`
		Body              string         `json:"body"`
		Headers           map[string]any `json:"headers"`
	}
	if err := json.Unmarshal(out, &got); err != nil || len(got) != len(tests) {
		t.Fatalf("the function returned %s (%v)", out, err)
	}
	var results []map[string]any
	_ = json.Unmarshal(out, &results)
	for i, tt := range tests {
		g, w := got[i], tt.want
		if err := mockcloud.ValidateEdgeResult(tt.event, results[i]); err != nil {
			t.Errorf("%s: CloudFront refuses the function's result and answers 502: %v", tt.name, err)
			continue
		}
		switch {
		case w.status == "" && (g.URI != w.uri || g.QueryString != w.query):
			t.Errorf("%s: the request goes to %q?%q, want %q?%q", tt.name, g.URI, g.QueryString, w.uri, w.query)
		case w.status == "" && (g.Headers["range"] != nil || g.Headers["if-match"] != nil) != w.kept:
			t.Errorf("%s: Range and If-Match %v, want them kept %v", tt.name, g.Headers, w.kept)
		case w.status == "" && g.Headers["host"] == nil:
			t.Errorf("%s: the request lost its other headers: %v", tt.name, g.Headers)
		case w.status != "" && g.Status != w.status:
			t.Errorf("%s: status %s, want %s", tt.name, g.Status, w.status)
		case w.status != "" && (g.Headers["cache-control"] != nil) != w.cacheControl:
			t.Errorf("%s: Cache-Control %v, want it set %v", tt.name, g.Headers["cache-control"], w.cacheControl)
		case w.body != strings.Contains(g.Body, http.StatusText(status)):
			t.Errorf("%s: body %q, want the built-in page %v", tt.name, g.Body, w.body)
		case w.cacheControl && g.StatusDescription != http.StatusText(status):
			t.Errorf("%s: status text %q, want %q", tt.name, g.StatusDescription, http.StatusText(status))
		}
	}
}
