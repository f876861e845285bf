package componentpkg

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"strings"
)

// Module is the Go module the documented types belong to.
const Module = "github.com/seed-2b23e6e5/route53-failover"

// Docs are the doc comments of the schema's Go types and of their fields, keyed by
// "pkgpath.Type" and "pkgpath.Type.Field".
type Docs map[string]string

// Type is a type's doc comment.
func (d Docs) Type(t reflect.Type) string { return d[t.PkgPath()+"."+t.Name()] }

// Field is a field's doc comment.
func (d Docs) Field(t reflect.Type, name string) string {
	return d[t.PkgPath()+"."+t.Name()+"."+name]
}

// ReadDocs reads the doc comments of the schema's types from the module's source at root.
func ReadDocs(root string) (Docs, error) {
	docs := Docs{}
	var types []reflect.Type
	for _, c := range components {
		types = append(types, c.args, c.resource)
	}
	for _, named := range []map[reflect.Type]string{objectTypes, siteTypes} {
		for t := range named {
			types = append(types, t)
		}
	}
	read := map[string]bool{}
	for _, t := range types {
		if read[t.PkgPath()] {
			continue
		}
		read[t.PkgPath()] = true
		dir := filepath.Join(root, strings.TrimPrefix(strings.TrimPrefix(t.PkgPath(), Module), "/"))
		if err := readPackageDocs(dir, t.PkgPath(), docs); err != nil {
			return nil, err
		}
	}
	for _, t := range types {
		if docs.Type(t) == "" {
			return nil, fmt.Errorf("no doc comment for %s in %s", t, root)
		}
	}
	return docs, nil
}

// readPackageDocs adds the doc comments of a package's struct types and their fields.
func readPackageDocs(dir, pkgPath string, docs Docs) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	fset := token.NewFileSet()
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, parser.ParseComments)
		if err != nil {
			return err
		}
		for _, decl := range file.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.TYPE {
				continue
			}
			for _, spec := range gen.Specs {
				ts := spec.(*ast.TypeSpec)
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					continue
				}
				doc := ts.Doc
				if doc == nil {
					doc = gen.Doc
				}
				key := pkgPath + "." + ts.Name.Name
				docs[key] = text(doc)
				for _, f := range st.Fields.List {
					for _, name := range f.Names {
						docs[key+"."+name.Name] = text(f.Doc)
					}
				}
			}
		}
	}
	return nil
}

// text is a comment's text on one line per paragraph.
func text(g *ast.CommentGroup) string {
	if g == nil {
		return ""
	}
	var paragraphs []string
	for _, p := range strings.Split(strings.TrimSpace(g.Text()), "\n\n") {
		paragraphs = append(paragraphs, strings.Join(strings.Fields(p), " "))
	}
	return strings.Join(paragraphs, "\n\n")
}
