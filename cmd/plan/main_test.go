package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPlanCommand(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "Pulumi.bad.yaml")
	if err := os.WriteFile(bad, []byte("config:\n  aws:region: ap-northeast-1\n  route53-failover:domain: example..com\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	noRegion := filepath.Join(dir, "Pulumi.noregion.yaml")
	if err := os.WriteFile(noRegion, []byte("config:\n  route53-failover:domain: example.com\n"), 0o644); err != nil {
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
			if doc.Version != 1 || doc.Stack != "dev" || doc.Config["route53-failover:domain"] != "example.com" || len(doc.Resources) < 20 {
				t.Errorf("unexpected plan: version %d, stack %s, %d resources", doc.Version, doc.Stack, len(doc.Resources))
			}
		}, ""},
		{"markdown", []string{"-stack", "dev", "-format", "markdown"}, func(t *testing.T, out string) {
			for _, want := range []string{"# Plan: route53-failover/dev", "| · · site-main-https | `aws:lb/listener:Listener` | ap-northeast-1 |",
				"sslPolicy=ELBSecurityPolicy-TLS13-1-2-2021-06", "## Outputs"} {
				if !strings.Contains(out, want) {
					t.Errorf("markdown lacks %q", want)
				}
			}
		}, ""},
		{"config file", []string{"-config-file", bad}, nil, `route53-failover:domain: invalid value "example..com"`},
		{"missing stack file", []string{"-stack", "nope"}, nil, `stack "nope": no stack file ../../stacks/Pulumi.nope.yaml (stacks there: dev)`},
		{"missing region", []string{"-config-file", noRegion}, nil, `aws:region: invalid value "": an AWS region, required`},
		{"bad format", []string{"-format", "yaml"}, nil, `-format "yaml": use json or markdown`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(append([]string{"-project-dir", "../.."}, tt.args...), &out)
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
