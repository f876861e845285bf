package edgefailover

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
	"github.com/seed-2b23e6e5/route53-failover/internal/tier"
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

// The origins a request is bound for, as Lambda@Edge events carry them ("Lambda@Edge event
// structure", CloudFront Developer Guide); mockcloud.EdgeEvent shapes the rest.
var (
	atBucket = map[string]any{"s3": map[string]any{"authMethod": "origin-access-identity", "customHeaders": map[string]any{},
		"domainName": "site-error-bucket.s3.us-east-1.amazonaws.com", "path": "", "region": "us-east-1"}}
	atMainSite = map[string]any{"custom": map[string]any{"customHeaders": map[string]any{}, "domainName": "origin.example.com",
		"keepaliveTimeout": 5, "path": "", "port": 443, "protocol": "https", "readTimeout": 10, "sslProtocols": []any{"TLSv1.2"}}}
)

// TestFailoverFunctionRuns runs the failover function's code under Node.js, as Lambda@Edge would,
// on events shaped as AWS documents them. A request the origin group sends to the bucket asks for
// the whole page, whatever the path, method or conditional headers; whatever the bucket answers
// (the page, a 403 for a page gone missing, a 304 or 206) comes back as a page with the error
// status and no-store. The main site's requests and answers pass untouched, its own 404 and 5xx
// and its own page at the page's path included: the function goes by the origin, not the path.
// It runs in the simulated account's JavaScript interpreter always, and in the full tier
// (tier.Env) under Node.js too, Lambda@Edge's own runtime.
func TestFailoverFunctionRuns(t *testing.T) {
	const page, status = "/" + PageKey, 503
	conditional := map[string]any{"range": mockcloud.EdgeHeader("Range", "bytes=0-99"), "if-match": mockcloud.EdgeHeader("If-Match", `"abc"`),
		"if-none-match": mockcloud.EdgeHeader("If-None-Match", `"abc"`), "if-modified-since": mockcloud.EdgeHeader("If-Modified-Since", "Wed, 21 Oct 2026 07:28:00 GMT"),
		"if-range": mockcloud.EdgeHeader("If-Range", `"abc"`), "if-unmodified-since": mockcloud.EdgeHeader("If-Unmodified-Since", "Wed, 21 Oct 2026 07:28:00 GMT")}
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
		{"GET bound for the bucket", mockcloud.EdgeEvent("origin-request", mockcloud.EdgeRequest("GET", "/shop/cart", "item=7", atBucket, conditional), nil),
			want{uri: page, query: ""}},
		{"HEAD bound for the bucket", mockcloud.EdgeEvent("origin-request", mockcloud.EdgeRequest("HEAD", "/", "", atBucket, nil), nil), want{uri: page}},
		{"bound for the main site", mockcloud.EdgeEvent("origin-request", mockcloud.EdgeRequest("GET", "/shop/cart", "item=7", atMainSite, conditional), nil),
			want{uri: "/shop/cart", query: "item=7", kept: true}},
		{"the bucket's page", mockcloud.EdgeEvent("origin-response", mockcloud.EdgeRequest("GET", page, "", atBucket, nil), mockcloud.EdgeResponse(200)),
			want{status: "503", cacheControl: true}},
		{"the page gone missing", mockcloud.EdgeEvent("origin-response", mockcloud.EdgeRequest("GET", page, "", atBucket, nil), mockcloud.EdgeResponse(403)),
			want{status: "503", body: true, cacheControl: true}},
		{"a 304 from the bucket", mockcloud.EdgeEvent("origin-response", mockcloud.EdgeRequest("GET", page, "", atBucket, nil), mockcloud.EdgeResponse(304)),
			want{status: "503", body: true, cacheControl: true}},
		{"a 206 from the bucket", mockcloud.EdgeEvent("origin-response", mockcloud.EdgeRequest("GET", page, "", atBucket, nil), mockcloud.EdgeResponse(206)),
			want{status: "503", body: true, cacheControl: true}},
		{"a 412 from the bucket", mockcloud.EdgeEvent("origin-response", mockcloud.EdgeRequest("GET", page, "", atBucket, conditional), mockcloud.EdgeResponse(412)),
			want{status: "503", body: true, cacheControl: true}},
		{"the main site's 404", mockcloud.EdgeEvent("origin-response", mockcloud.EdgeRequest("GET", "/missing", "", atMainSite, nil), mockcloud.EdgeResponse(404)),
			want{status: "404"}},
		{"the main site's 503", mockcloud.EdgeEvent("origin-response", mockcloud.EdgeRequest("GET", "/", "", atMainSite, nil), mockcloud.EdgeResponse(503)),
			want{status: "503"}},
		{"the main site's own page at the page's path", mockcloud.EdgeEvent("origin-response", mockcloud.EdgeRequest("GET", page, "", atMainSite, nil), mockcloud.EdgeResponse(200)),
			want{status: "200"}},
	}
	events := make([]map[string]any, len(tests))
	for i, tt := range tests {
		events[i] = tt.event
	}
	// The function runs in the simulated account's interpreter, which applies CloudFront's
	// validation, and, where it is installed, under Node.js, Lambda@Edge's own runtime.
	runs := map[string][]map[string]any{"interpreter": nil}
	for _, event := range events {
		result, status, err := mockcloud.RunEdgeFunction(FailoverFunctionCode(page, status), event)
		if err != nil {
			t.Errorf("interpreter: CloudFront answers %d: %v", status, err)
		}
		runs["interpreter"] = append(runs["interpreter"], result)
	}
	if tier.Full() {
		node, err := exec.LookPath("node")
		tier.Needs(t, "Node.js (node on PATH)", err)
		runs["node"] = underNode(t, node, FailoverFunctionCode(page, status), events)
	}
	for runtime, results := range runs {
		for i, tt := range tests {
			if results[i] == nil {
				continue // reported
			}
			if err := mockcloud.ValidateEdgeResult(tt.event, results[i]); err != nil {
				t.Errorf("%s, %s: CloudFront refuses the function's result and answers 502: %v", runtime, tt.name, err)
				continue
			}
			var g struct {
				URI               string         `json:"uri"`
				QueryString       string         `json:"querystring"`
				Status            string         `json:"status"`
				StatusDescription string         `json:"statusDescription"`
				Body              string         `json:"body"`
				Headers           map[string]any `json:"headers"`
			}
			b, _ := json.Marshal(results[i])
			if err := json.Unmarshal(b, &g); err != nil {
				t.Fatal(err)
			}
			w := tt.want
			name := runtime + ", " + tt.name
			switch {
			case w.status == "" && (g.URI != w.uri || g.QueryString != w.query):
				t.Errorf("%s: the request goes to %q?%q, want %q?%q", name, g.URI, g.QueryString, w.uri, w.query)
			case w.status == "" && (g.Headers["range"] != nil || g.Headers["if-match"] != nil) != w.kept:
				t.Errorf("%s: Range and If-Match %v, want them kept %v", name, g.Headers, w.kept)
			case w.status == "" && g.Headers["host"] == nil:
				t.Errorf("%s: the request lost its other headers: %v", name, g.Headers)
			case w.status != "" && g.Status != w.status:
				t.Errorf("%s: status %s, want %s", name, g.Status, w.status)
			case w.status != "" && (g.Headers["cache-control"] != nil) != w.cacheControl:
				t.Errorf("%s: Cache-Control %v, want it set %v", name, g.Headers["cache-control"], w.cacheControl)
			case w.body != strings.Contains(g.Body, http.StatusText(status)):
				t.Errorf("%s: body %q, want the built-in page %v", name, g.Body, w.body)
			case w.cacheControl && g.StatusDescription != http.StatusText(status):
				t.Errorf("%s: status text %q, want %q", name, g.StatusDescription, http.StatusText(status))
			}
		}
	}
}

// underNode runs the function's handler on each event under Node.js and returns its results.
func underNode(t *testing.T, node, code string, events []map[string]any) []map[string]any {
	t.Helper()
	dir := t.TempDir()
	encoded, _ := json.Marshal(events)
	for name, content := range map[string]string{"index.js": code, "events.json": string(encoded), "driver.js": driver} {
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
	var results []map[string]any
	if err := json.Unmarshal(out, &results); err != nil || len(results) != len(events) {
		t.Fatalf("the function returned %s (%v)", out, err)
	}
	return results
}
