package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"

	"github.com/seed-2b23e6e5/route53-failover/internal/snapshot"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

// project is the project's name, its config namespace: another than route53-failover in a
// project made by pulumi new.
var project = func() string {
	p, err := workspace.LoadProject("../../Pulumi.yaml")
	if err != nil {
		panic(err)
	}
	return p.Name.String()
}()

// fixedStack is a stack of the tests' own, so that they hold whatever the dev stack says.
const fixedStack = "config:\n  aws:region: ap-northeast-1\n  domain: example.com\n" +
	"  alternateNames: [www.example.com]\n"

// stackFile writes a stack file named Pulumi.STACK.yaml into a folder of its own.
func stackFile(t *testing.T, stack, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "Pulumi."+stack+".yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPlanCommand(t *testing.T) {
	stacks, err := plan.Stacks("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	fixed := stackFile(t, "dev", fixedStack)
	bad := filepath.Join(dir, "Pulumi.bad.yaml")
	if err := os.WriteFile(bad, []byte("config:\n  aws:region: ap-northeast-1\n  domain: example..com\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	staging := filepath.Join(dir, "Pulumi.staging.yaml")
	if err := os.WriteFile(staging, []byte("config:\n  aws:region: eu-west-1\n  domain: shop.example.net\n"+
		"  vpcId: vpc-0123456789abcdef0\n  subnetIds: [subnet-0123456789abcdef1, subnet-0123456789abcdef2]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	subnets := filepath.Join(dir, "subnets.json")
	if err := os.WriteFile(subnets, []byte(`{"Subnets": [
		{"SubnetId": "subnet-0123456789abcdef1", "VpcId": "vpc-0123456789abcdef0", "AvailabilityZone": "eu-west-1a"},
		{"SubnetId": "subnet-0123456789abcdef2", "VpcId": "vpc-0123456789abcdef0", "AvailabilityZone": "eu-west-1c"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tables := filepath.Join(dir, "tables.json")
	if err := os.WriteFile(tables, []byte(`{"RouteTables": [{"RouteTableId": "rtb-0123456789abcdef0", "VpcId": "vpc-0123456789abcdef0",
		"Associations": [{"Main": true}], "Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-0123456789abcdef0"}]}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	noRegion := filepath.Join(dir, "Pulumi.noregion.yaml")
	if err := os.WriteFile(noRegion, []byte("config:\n  domain: example.com\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		check   func(t *testing.T, out string)
		wantErr string
	}{
		{"json by default", []string{"-stack", "dev"}, func(t *testing.T, out string) {
			var doc struct {
				Version   int               `json:"version"`
				Stack     string            `json:"stack"`
				Config    map[string]string `json:"config"`
				Resources []struct {
					Type string `json:"type"`
				} `json:"resources"`
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Version != 1 || doc.Stack != "dev" || doc.Config[project+":domain"] == "" || len(doc.Resources) < 20 {
				t.Errorf("unexpected plan: version %d, stack %s, %d resources", doc.Version, doc.Stack, len(doc.Resources))
			}
		}, ""},
		{"markdown", []string{"-config-file", fixed, "-format", "markdown"}, func(t *testing.T, out string) {
			for _, want := range []string{"# Plan: " + project + "/dev", "| · · site-main-https | `aws:lb/listener:Listener` | ap-northeast-1 |",
				"sslPolicy=ELBSecurityPolicy-TLS13-1-2-2021-06", "## Outputs"} {
				if !strings.Contains(out, want) {
					t.Errorf("markdown lacks %q", want)
				}
			}
		}, ""},
		{"config file", []string{"-config-file", bad}, nil, project + `:domain: invalid value "example..com"`},
		{"missing stack file", []string{"-stack", "nope"}, nil, `stack "nope": no stack file ../../stacks/Pulumi.nope.yaml (stacks there: ` + strings.Join(stacks, ", ") + ")"},
		{"missing region", []string{"-config-file", noRegion}, nil, `aws:region: invalid value "": an AWS region, required`},
		{"mermaid", []string{"-format", "mermaid"}, func(t *testing.T, out string) {
			for _, want := range []string{"flowchart LR", `["FailoverSite: site"]`, "-->|PRIMARY|", "-.->|SECONDARY|"} {
				if !strings.Contains(out, want) {
					t.Errorf("diagram lacks %q", want)
				}
			}
		}, ""},
		{"mermaid, edge mode", []string{"-stack", "edge", "-format", "mermaid"}, func(t *testing.T, out string) {
			node := func(label string) string {
				m := regexp.MustCompile(`(n[0-9a-f]+)\["` + regexp.QuoteMeta(label) + `"\]`).FindStringSubmatch(out)
				if m == nil {
					t.Fatalf("no node %q in:\n%s", label, out)
				}
				return m[1]
			}
			cdn, alb, bucket := node("CloudFront<br/>site-edge-cdn"), node("load balancer<br/>site-main-alb"), node("S3 bucket<br/>site-error-bucket")
			apex, check := node("record<br/>example.com A"), node("health check<br/>site-edge-health")
			// users → the name → CloudFront → (origin name) load balancer; failover to the bucket.
			for _, want := range []string{"users -->|example.com| " + apex, apex + " --> " + cdn, cdn + " -->|origin.example.com| " + alb,
				cdn + " -.->|OAC| " + bucket, check + " -.-|HTTPS /| " + cdn} {
				if !strings.Contains(out, want+"\n") {
					t.Errorf("diagram lacks %q:\n%s", want, out)
				}
			}
		}, ""},
		{"stack named after its file", []string{"-config-file", staging}, func(t *testing.T, out string) {
			var doc struct {
				Stack       string `json:"stack"`
				Assumptions []struct{ Kind, ID string }
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Stack != "staging" {
				t.Errorf("stack %q, want staging", doc.Stack)
			}
			if len(doc.Assumptions) != 1 || doc.Assumptions[0].ID != "shop.example.net" {
				t.Errorf("assumptions %v, want the zone only (the subnets are given with -account)", doc.Assumptions)
			}
		}, ""},
		{"assumptions in markdown", []string{"-config-file", staging, "-format", "markdown"}, func(t *testing.T, out string) {
			for _, want := range []string{"## Assumed about the account", "| subnet | `subnet-0123456789abcdef1` |"} {
				if !strings.Contains(out, want) {
					t.Errorf("markdown lacks %q", want)
				}
			}
		}, ""},
		{"bad format", []string{"-format", "yaml"}, nil, `-format "yaml": use json, markdown or mermaid`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			args := append([]string{"-project-dir", "../.."}, tt.args...)
			if strings.HasPrefix(tt.name, "stack named") {
				args = append(args, "-account", subnets, "-account", tables)
			}
			err := run(args, &out, io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, out.String())
		})
	}
}

func TestDiffCommand(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, args ...string) string {
		var out bytes.Buffer
		if err := run(append([]string{"-project-dir", "../.."}, args...), &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	fixed := stackFile(t, "dev", fixedStack)
	changed := stackFile(t, "dev", fixedStack+"  healthCheckInterval: 30\n")
	old, same, new := write("old.json", "-config-file", fixed), write("same.json", "-config-file", fixed), write("new.json", "-config-file", changed)
	edge := write("edge.json", "-config-file", stackFile(t, "dev", fixedStack+"  failoverMode: edge\n"))
	junk := filepath.Join(dir, "junk.json")
	if err := os.WriteFile(junk, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name    string
		args    []string
		wantErr error
		want    string
	}{
		{"no change", []string{"diff", old, same}, nil, "No change."},
		{"changes", []string{"diff", old, new}, errChanges, "replaced: requestInterval changes (10 → 30)"},
		// The project's own check: one pulumi up cannot switch modes, and the diff says so first.
		{"mode switch", []string{"diff", old, edge}, errChanges, "### ⚠️ The failover mode changes"},
		{"unreadable", []string{"diff", old, junk}, nil, ""},
		{"one file", []string{"diff", old}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(tt.args, &out, io.Discard)
			switch {
			case tt.want == "": // an error other than "changes": exit status 1
				if err == nil || errors.Is(err, errChanges) {
					t.Fatalf("error = %v, want a failure", err)
				}
			case !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil):
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			case !strings.Contains(out.String(), tt.want):
				t.Fatalf("output lacks %q:\n%s", tt.want, out.String())
			}
		})
	}
}

// TestSnapshotCommand writes the snapshots of a copy of the project: they equal the committed
// ones (which TestSnapshots in internal/stack keeps current).
func TestSnapshotCommand(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "stacks"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"Pulumi.yaml", "stacks/Pulumi.dev.yaml"} {
		b, err := os.ReadFile(filepath.Join("../..", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	if err := run([]string{"snapshot", "-project-dir", dir}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "stacks", "dev.plan.json"))
	if err != nil {
		t.Fatalf("no snapshot written: %v (%s)", err, out.String())
	}
	snapshot, err := snapshot.Read("../..", "dev")
	if err != nil {
		t.Fatal(err)
	}
	want, err := snapshot.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("the snapshot command wrote something else than the committed snapshot")
	}
}

// TestSandboxNeedsACommand: plan sandbox without a command says how to give one, before it
// sets anything up.
func TestSandboxNeedsACommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "box")
	err := run([]string{"sandbox", "-dir", dir}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "usage: plan sandbox") {
		t.Errorf("error = %v, want the usage", err)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("the sandbox was set up for no command")
	}
}

// TestHelp: -h prints a usage that names every subcommand, and is not an error (exit status 0).
func TestHelp(t *testing.T) {
	var errOut bytes.Buffer
	err := run([]string{"-h"}, io.Discard, &errOut)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("error = %v, want flag.ErrHelp (which main exits 0 on)", err)
	}
	for _, want := range []string{"plan snapshot", "plan diff OLD.json NEW.json", "plan sandbox", "-account", "-config-file"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("usage lacks %q:\n%s", want, errOut.String())
		}
	}
}

// TestMermaidIDsAreStable: adding a name adds nodes and leaves every other node's id as it was,
// so a diagram's diff in a pull request shows only what changed.
func TestMermaidIDsAreStable(t *testing.T) {
	fixed := stackFile(t, "dev", fixedStack)
	more := stackFile(t, "dev", strings.Replace(fixedStack, "[www.example.com]", "[www.example.com, api.example.com]", 1)) // one more name
	nodes := func(args ...string) map[string]string {
		var out bytes.Buffer
		if err := run(append([]string{"-project-dir", "../..", "-format", "mermaid"}, args...), &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		found := map[string]string{}
		for _, m := range regexp.MustCompile(`(n[0-9a-f]{10})\["([^"]+)"\]`).FindAllStringSubmatch(out.String(), -1) {
			found[m[1]] = m[2]
		}
		return found
	}
	before, after := nodes("-config-file", fixed), nodes("-config-file", more)
	if len(after) <= len(before) {
		t.Fatalf("%d nodes before, %d after adding a name", len(before), len(after))
	}
	for id, label := range before {
		if after[id] != label {
			t.Errorf("node %s was %q, is %q", id, label, after[id])
		}
	}
}
