// Package docs owns the documentation (README.md and docs/): which files it is, and the checks
// that keep it true: its Go blocks are the files and examples they show, every exported
// identifier has a doc comment, the README's Layout table covers every package, and a Go module
// outside this one builds on the components as docs/go.md shows. It imports nothing heavier than
// the standard library, so that tests reading the documents link fast.
package docs

import (
	"os"
	"path/filepath"
	"strings"
)

// Documents are the project's documentation files: README.md, then docs/*.md in name order.
// Diagram markers and rehearsed blocks may be in any of them.
func Documents(projectDir string) ([]string, error) {
	more, err := filepath.Glob(filepath.Join(projectDir, "docs", "*.md"))
	if err != nil {
		return nil, err
	}
	return append([]string{filepath.Join(projectDir, "README.md")}, more...), nil
}

// ReadDocuments returns the text of every document, one after another.
func ReadDocuments(projectDir string) (string, error) {
	files, err := Documents(projectDir)
	if err != nil {
		return "", err
	}
	var text strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		text.Write(b)
		text.WriteString("\n")
	}
	return text.String(), nil
}
