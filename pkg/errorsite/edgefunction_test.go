package errorsite

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
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

// cfEvent is a Lambda@Edge event of the given type.
func cfEvent(eventType string, request, response map[string]any) map[string]any {
	cf := map[string]any{"config": map[string]any{"eventType": eventType, "distributionId": "E2EXAMPLE"}, "request": request}
	if response != nil {
		cf["response"] = response
	}
	return map[string]any{"Records": []any{map[string]any{"cf": cf}}}
}

// TestFailoverFunctionRuns runs the failover function's code under Node.js, as Lambda@Edge would:
// a request the origin group sends to the bucket asks for the page, whatever the path; the
// bucket's answer gets the error status and no-store; the main site's requests and answers, its
// own 404 included, pass untouched. Without node the test skips, unless NODE_REQUIRED is set (CI).
func TestFailoverFunctionRuns(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("NODE_REQUIRED") != "" {
			t.Fatal("node is required (NODE_REQUIRED) and not on PATH")
		}
		t.Skip("node is not on PATH: the function's code is not run")
	}
	const page, status = "/" + EdgePageKey, 503
	dir := t.TempDir()
	events := []any{
		cfEvent("origin-request", map[string]any{"uri": "/shop/cart", "querystring": "item=7", "method": "GET",
			"origin": map[string]any{"s3": map[string]any{"domainName": "bucket.s3.us-east-1.amazonaws.com"}}}, nil),
		cfEvent("origin-request", map[string]any{"uri": "/shop/cart", "querystring": "item=7", "method": "GET",
			"origin": map[string]any{"custom": map[string]any{"domainName": "origin.example.com"}}}, nil),
		cfEvent("origin-response", map[string]any{"uri": page},
			map[string]any{"status": "200", "statusDescription": "OK", "headers": map[string]any{}}),
		cfEvent("origin-response", map[string]any{"uri": "/missing"},
			map[string]any{"status": "404", "statusDescription": "Not Found", "headers": map[string]any{}}),
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
		Headers           map[string]any `json:"headers"`
	}
	if err := json.Unmarshal(out, &got); err != nil || len(got) != len(events) {
		t.Fatalf("the function returned %s (%v)", out, err)
	}
	if got[0].URI != page || got[0].QueryString != "" {
		t.Errorf("a request bound for the bucket goes to %q?%q, want the page %s", got[0].URI, got[0].QueryString, page)
	}
	if got[1].URI != "/shop/cart" || got[1].QueryString != "item=7" {
		t.Errorf("a request bound for the main site was changed: %+v", got[1])
	}
	if got[2].Status != "503" || got[2].StatusDescription != http.StatusText(status) || got[2].Headers["cache-control"] == nil {
		t.Errorf("the bucket's page comes back %+v, want 503, its text and Cache-Control", got[2])
	}
	if got[3].Status != "404" || got[3].Headers["cache-control"] != nil {
		t.Errorf("the main site's own 404 was changed: %+v", got[3])
	}
}
