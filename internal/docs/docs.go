// Package docs owns the checks that keep the documentation (README.md and docs/) true: its Go
// blocks are the files and examples they show, every exported identifier has a doc comment, the
// README's Layout table covers every package, and a Go module outside this one builds on the
// components as docs/go.md shows. It has only tests.
package docs
