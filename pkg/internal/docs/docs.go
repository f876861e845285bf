// Package docs owns the checks that keep the documentation true: the README's Go blocks are
// the files and examples they show, every exported identifier has a doc comment, the README's
// Layout table covers every package, and a Go module outside this one builds on the components
// as the README shows. It has only tests.
package docs
