package stack

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/seed-2b23e6e5/route53-failover/internal/docs"
	"github.com/seed-2b23e6e5/route53-failover/internal/snapshot"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

// TestSnapshots keeps every stack's committed plan equal to what the program plans now, so that a
// pull request that changes the infrastructure shows the change in its file diff.
func TestSnapshots(t *testing.T) {
	checkSnapshots(t, projectDir)
}

// checkSnapshots plans every stack of the project in dir and compares the plan with the stack's
// committed snapshot, read as this project would make it (snapshot.Read).
func checkSnapshots(t *testing.T, dir string) {
	stacks, err := plan.Stacks(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(stacks) == 0 {
		t.Fatal("no stacks")
	}
	for _, s := range stacks {
		t.Run(s, func(t *testing.T) {
			opts, err := PlanOptions(dir, s, "")
			if err != nil {
				t.Fatal(err)
			}
			p, err := plan.Run(opts, Program)
			if err != nil {
				t.Fatal(err)
			}
			committed, err := snapshot.Read(dir, s)
			if err != nil {
				t.Fatalf("no snapshot of stack %s (%v); create it with: %s", s, err, snapshot.Command)
			}
			got, err := p.JSON()
			if err != nil {
				t.Fatal(err)
			}
			want, err := committed.JSON()
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(got, want) {
				return
			}
			var planned plan.Plan
			if err := json.Unmarshal(got, &planned); err != nil {
				t.Fatal(err)
			}
			t.Fatalf("the plan of stack %s (project %s) differs from its snapshot:\n\n%s\nIf the change is intended, refresh the snapshots with: %s",
				s, opts.Project, plan.Compare(committed, &planned, ModeSwitch).Markdown(), snapshot.Command)
		})
	}
}

// TestREADMEDiagram keeps the documents' diagrams (the dev stack's in README.md, the edge
// stack's in docs/edge-mode.md) the stacks', as their snapshots show them.
func TestREADMEDiagram(t *testing.T) {
	documents, err := docs.Documents(projectDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, stack := range []string{"dev", "edge"} {
		path, err := snapshot.File(projectDir, stack)
		if err != nil {
			t.Fatal(err)
		}
		committed, err := plan.Read(path)
		if err != nil {
			t.Fatal(err)
		}
		marked := false
		for _, doc := range documents {
			text, err := os.ReadFile(doc)
			if err != nil {
				t.Fatal(err)
			}
			refreshed, here := committed.WithDiagram(string(text))
			if !here {
				continue
			}
			marked = true
			if refreshed != string(text) {
				t.Errorf("%s does not show the %s stack's diagram; refresh it with: %s", doc, stack, snapshot.Command)
			}
		}
		if !marked {
			t.Errorf("no document has a diagram marked <!-- plan diagram: %s -->", stack)
		}
	}
}

// TestSnapshotsHoldInARenamedProject: pulumi new copies the project under another name (its
// config namespace and its URNs change) with the example stacks and their snapshots; the copy's
// own tests must pass. So the stack files name the project's keys without a namespace, and the
// plan of each, made in a project named shop, is its snapshot renamed.
func TestSnapshotsHoldInARenamedProject(t *testing.T) {
	dir := t.TempDir()
	yaml, err := os.ReadFile(filepath.Join(projectDir, "Pulumi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	renamed := regexp.MustCompile(`(?m)^name: .*$`).ReplaceAll(yaml, []byte("name: shop"))
	if err := os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), renamed, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(filepath.Join(dir, "stacks"), os.DirFS(filepath.Join(projectDir, "stacks"))); err != nil {
		t.Fatal(err)
	}
	checkSnapshots(t, dir)
}
