package docs

import (
	"bytes"
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/seed-2b23e6e5/route53-failover/internal/tier"
)

const root = "../.."

// readme is the documentation: README.md and docs/*.md, one after another.
func readme(t *testing.T) string {
	t.Helper()
	text, err := ReadDocuments(root)
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// goBlock is a ```go block of the README and the marker line before it, which names what the
// block shows: <!-- file: PATH --> (the whole file) or <!-- example: PACKAGE_DIR FUNC --> (an
// Example function, with its doc comment).
type goBlock struct {
	marker, code string
	line         int
}

func goBlocks(text string) []goBlock {
	var blocks []goBlock
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		if lines[i] != "```go" {
			continue
		}
		b := goBlock{line: i + 1}
		if i > 0 {
			b.marker = strings.TrimSpace(lines[i-1])
		}
		var code []string
		for i++; i < len(lines) && lines[i] != "```"; i++ {
			code = append(code, lines[i])
		}
		b.code = strings.Join(code, "\n") + "\n"
		blocks = append(blocks, b)
	}
	return blocks
}

var marker = regexp.MustCompile(`^<!-- (file|example): (\S+)(?: (\S+))? -->$`)

// TestREADMEGoBlocks: every Go block of the README is a file the tests compile (and run), or an
// Example function: byte for byte, so that a snippet can never rot.
func TestREADMEGoBlocks(t *testing.T) {
	blocks := goBlocks(readme(t))
	if len(blocks) == 0 {
		t.Fatal("the README has no Go block")
	}
	for _, b := range blocks {
		m := marker.FindStringSubmatch(b.marker)
		if m == nil {
			t.Errorf("the documentation, line %d: a Go block must follow <!-- file: PATH --> or <!-- example: DIR FUNC -->, not %q", b.line, b.marker)
			continue
		}
		var want string
		switch m[1] {
		case "file":
			src, err := os.ReadFile(filepath.Join(root, m[2]))
			if err != nil {
				t.Errorf("the documentation, line %d: %v", b.line, err)
				continue
			}
			want = string(src)
		case "example":
			want = exampleSource(t, filepath.Join(root, m[2]), m[3])
		}
		if b.code != want {
			t.Errorf("README.md:%d: the block differs from %s %s; copy it again:\n%s", b.line, m[2], m[3], want)
		}
	}
}

// exampleSource returns the source of an Example function in a package's _test files, its doc
// comment included.
func exampleSource(t *testing.T, dir, name string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, file, src, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			if fn, ok := decl.(*ast.FuncDecl); ok && fn.Name.Name == name && fn.Recv == nil {
				start := fn.Pos()
				if fn.Doc != nil {
					start = fn.Doc.Pos()
				}
				return string(src[fset.Position(start).Offset:fset.Position(fn.End()).Offset]) + "\n"
			}
		}
	}
	t.Errorf("no function %s in %s", name, dir)
	return ""
}

// goPackages lists the directories (relative to the repository) that hold non-test Go files,
// the example modules' included.
func goPackages(t *testing.T) []string {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != root {
			return fs.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			rel, _ := filepath.Rel(root, filepath.Dir(path))
			if !slices.Contains(dirs, filepath.ToSlash(rel)) {
				dirs = append(dirs, filepath.ToSlash(rel))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

// TestEveryExportedIdentifierIsDocumented: every exported type, function, method, constant,
// variable and struct field of the non-test code has a doc comment, as pkg.go.dev shows it. A
// field or a constant without one of its own is covered by the previous one's comment only when
// that comment names it ("Project and Stack name the stack").
func TestEveryExportedIdentifierIsDocumented(t *testing.T) {
	for _, dir := range goPackages(t) {
		fset := token.NewFileSet()
		pkgs, err := parser.ParseDir(fset, filepath.Join(root, dir), func(fi fs.FileInfo) bool {
			return !strings.HasSuffix(fi.Name(), "_test.go")
		}, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, pkg := range pkgs {
			if pkg.Name != "main" && !hasPackageDoc(pkg) {
				t.Errorf("%s: package %s has no package doc comment", dir, pkg.Name)
			}
			for _, f := range pkg.Files {
				for _, missing := range undocumented(f) {
					t.Errorf("%s: %s has no doc comment", fset.Position(missing.Pos()), missing.Name)
				}
			}
		}
	}
}

func hasPackageDoc(pkg *ast.Package) bool {
	for _, f := range pkg.Files {
		if f.Doc != nil {
			return true
		}
	}
	return false
}

// undocumented returns the exported names of a file that lack a doc comment.
func undocumented(f *ast.File) []*ast.Ident {
	var missing []*ast.Ident
	check := func(name *ast.Ident, doc *ast.CommentGroup, previous string) {
		if name.IsExported() && doc == nil && !strings.Contains(previous, name.Name) {
			missing = append(missing, name)
		}
	}
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil || exportedReceiver(d.Recv) {
				check(d.Name, d.Doc, "")
			}
		case *ast.GenDecl:
			previous := ""
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					doc := s.Doc
					if doc == nil && len(d.Specs) == 1 {
						doc = d.Doc
					}
					check(s.Name, doc, "")
					if st, ok := s.Type.(*ast.StructType); ok && s.Name.IsExported() {
						missing = append(missing, undocumentedFields(st)...)
					}
				case *ast.ValueSpec:
					doc := s.Doc
					if doc == nil {
						doc = d.Doc // a group's comment covers the group
					}
					for _, name := range s.Names {
						check(name, doc, previous)
					}
					if s.Doc != nil {
						previous = s.Doc.Text()
					}
				}
			}
		}
	}
	return missing
}

func undocumentedFields(st *ast.StructType) []*ast.Ident {
	var missing []*ast.Ident
	previous := ""
	for _, field := range st.Fields.List {
		doc := field.Doc
		if doc == nil {
			doc = field.Comment
		}
		for _, name := range field.Names {
			if name.IsExported() && doc == nil && !strings.Contains(previous, name.Name) {
				missing = append(missing, name)
			}
		}
		if doc != nil {
			previous = doc.Text()
		}
	}
	return missing
}

func exportedReceiver(recv *ast.FieldList) bool {
	typ := recv.List[0].Type
	if star, ok := typ.(*ast.StarExpr); ok {
		typ = star.X
	}
	if index, ok := typ.(*ast.IndexExpr); ok {
		typ = index.X
	}
	ident, ok := typ.(*ast.Ident)
	return ok && ident.IsExported()
}

// TestLayoutTable: the README's Layout table names every directory that holds Go code (itself
// or a parent written with a trailing slash), and every path it names exists.
func TestLayoutTable(t *testing.T) {
	text := readme(t)
	_, table, found := strings.Cut(text, "## Layout\n")
	if !found {
		t.Fatal("the README has no Layout section")
	}
	table, _, _ = strings.Cut(table, "\n## ")
	var paths []string
	for _, line := range strings.Split(table, "\n") {
		if cells := strings.Split(line, "|"); len(cells) > 2 && strings.HasPrefix(line, "| `") {
			for _, m := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(cells[1], -1) {
				paths = append(paths, m[1])
			}
		}
	}
	for _, p := range paths {
		if matches, _ := filepath.Glob(filepath.Join(root, p)); len(matches) == 0 {
			t.Errorf("the Layout table names %s, which does not exist", p)
		}
	}
	for _, dir := range goPackages(t) {
		covered := slices.ContainsFunc(paths, func(p string) bool {
			return p == dir || p == dir+"/" || strings.HasSuffix(p, "/") && strings.HasPrefix(dir, p) || dir == "." && p == "main.go"
		})
		if !covered {
			t.Errorf("the Layout table does not name %s", dir)
		}
	}
}

// TestOutsideModule: examples/importer is a Go module of its own, which requires this one (through
// a replace directive, as it would a released version): it builds, vets and passes its tests,
// reaching the components' resources and planning with plan.RunInRegion, with nothing in the
// environment but what Go itself needs.
func TestOutsideModule(t *testing.T) {
	// Vetting and linking another module takes about 8 s: full tier.
	goTool, err := exec.LookPath("go")
	tier.Needs(t, "the go command, to build another module", err)
	var env []string
	for _, key := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOROOT"} {
		out, err := exec.Command(goTool, "env", key).Output()
		if err != nil {
			t.Fatal(err)
		}
		env = append(env, key+"="+strings.TrimSpace(string(out)))
	}
	env = append(env, "HOME="+t.TempDir(), "PATH="+filepath.Dir(goTool), "GOFLAGS=-mod=readonly", "GOPROXY=off",
		"GOTOOLCHAIN=local", "GOWORK=off")
	// The commands stop before go test's own timeout would kill this binary and leave them
	// running (a cold build of the module takes minutes).
	ctx := t.Context()
	if deadline, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline.Add(-30*time.Second))
		defer cancel()
	}
	for _, args := range [][]string{{"vet", "./..."}, {"test", "-count=1", "./..."}} {
		cmd := exec.CommandContext(ctx, goTool, args...)
		cmd.WaitDelay = 10 * time.Second
		cmd.Dir = filepath.Join(root, "examples", "importer")
		cmd.Env = env
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("go %s in examples/importer: %v\n%s", strings.Join(args, " "), err, out.String())
		}
	}
}
