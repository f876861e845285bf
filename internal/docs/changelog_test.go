package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var versionHeading = regexp.MustCompile(`^## (\d+)\.(\d+)\.(\d+) \((\d{4}-\d{2}-\d{2}|unreleased)\): \S`)

// TestChangelogByVersion: every section of the changelog is a version, newest first, with its
// date (or "unreleased", only at the top) and what it brings in a few words; each says how a
// deployed stack upgrades.
func TestChangelogByVersion(t *testing.T) {
	text, err := os.ReadFile(filepath.Join(root, "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	sections := strings.Split(string(text), "\n## ")[1:]
	if len(sections) == 0 {
		t.Fatal("the changelog has no version")
	}
	var previous [3]int
	for i, section := range sections {
		heading, body, _ := strings.Cut(section, "\n")
		m := versionHeading.FindStringSubmatch("## " + heading)
		if m == nil {
			t.Errorf("heading %q: want ## X.Y.Z (YYYY-MM-DD or unreleased): what it brings", heading)
			continue
		}
		var v [3]int
		for j := range v {
			v[j], _ = strconv.Atoi(m[j+1])
		}
		if i > 0 && !(v[0] < previous[0] || v[0] == previous[0] && (v[1] < previous[1] || v[1] == previous[1] && v[2] < previous[2])) {
			t.Errorf("%s comes after %v: newest first", heading, previous)
		}
		if m[4] == "unreleased" && i > 0 {
			t.Errorf("%s: only the newest version can be unreleased", heading)
		}
		if !strings.Contains(body, "### Upgrading a deployed stack") {
			t.Errorf("%s does not say how a deployed stack upgrades", heading)
		}
		previous = v
	}
}
