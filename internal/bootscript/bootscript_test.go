package bootscript

import "testing"

// TestServes: an instance that ran a script answers the index and the health check's page the
// script wrote, and nothing else; a script the main site did not write serves nothing the model
// can tell.
func TestServes(t *testing.T) {
	withCheck, indexOnly := Script("<h1>hi</h1>", "/status/live?full=1"), Script("<h1>hi</h1>", "/")
	for _, tt := range []struct {
		name, script, path string
		serves             bool
	}{
		{"the index", indexOnly, "/", true},
		{"the index by name", indexOnly, "/index.html", true},
		{"a page it did not write", indexOnly, "/status/live", false},
		{"the health check's page", withCheck, "/status/live", true},
		{"the health check's page with a query", withCheck, "/status/live?full=0", true},
		{"the health check's page, uncleaned", withCheck, "//status/./live", true},
		{"beside the health check's page", withCheck, "/status/other", false},
		{"a script of someone else's", "#!/bin/bash\necho hi > /var/www/html/index.html\n", "/", false},
		{"no script", "", "/", false},
	} {
		if got := Serves(tt.script, tt.path); got != tt.serves {
			t.Errorf("%s: Serves(%q) = %v, want %v", tt.name, tt.path, got, tt.serves)
		}
	}
}
