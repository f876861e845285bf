// Command generate writes the package schema (../schema.json) from the Go types and their doc
// comments: go generate ./cmd/pulumi-resource-route53-failover.
package main

import (
	"fmt"
	"os"

	"github.com/seed-2b23e6e5/route53-failover/internal/componentpkg"
)

func main() {
	docs, err := componentpkg.ReadDocs("../..")
	if err == nil {
		var schema []byte
		if schema, err = componentpkg.Schema(docs); err == nil {
			err = os.WriteFile("schema.json", schema, 0o644)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "generate:", err)
		os.Exit(1)
	}
}
