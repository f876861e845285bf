package docs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestPreviewCannotWrite: the preview job runs a pull request's code before anyone reviewed it,
// so it assumes a role of its own (meant to read only) and never gets the deploy role or keys,
// and it waits in an environment of its own for a reviewer, as its Pulumi token decrypts the
// stack's secrets; the up job, after review, deploys, and runs the mode guard before pulumi up.
func TestPreviewCannotWrite(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, ".github", "workflows", "pulumi.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var workflow struct {
		Jobs map[string]struct {
			Environment string `yaml:"environment"`
			Steps       []struct {
				Uses string            `yaml:"uses"`
				Run  string            `yaml:"run"`
				With map[string]string `yaml:"with"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(b, &workflow); err != nil {
		t.Fatal(err)
	}
	credentials := func(job string) map[string]string {
		for _, s := range workflow.Jobs[job].Steps {
			if strings.HasPrefix(s.Uses, "aws-actions/configure-aws-credentials@") {
				return s.With
			}
		}
		t.Fatalf("the %s job configures no AWS credentials", job)
		return nil
	}
	preview := credentials("preview")
	if preview["role-to-assume"] != "${{ secrets.AWS_PREVIEW_ROLE_ARN }}" || preview["aws-access-key-id"] != "" || preview["aws-secret-access-key"] != "" {
		t.Errorf("the preview job's credentials %v: want the read-only role alone", preview)
	}
	if env := workflow.Jobs["preview"].Environment; env != "preview" {
		t.Errorf("the preview job runs in environment %q: want \"preview\", whose reviewers approve a pull request's code before it gets the Pulumi token", env)
	}
	if up := credentials("up"); up["role-to-assume"] != "${{ secrets.AWS_ROLE_ARN }}" {
		t.Errorf("the up job's credentials %v: want the deploy role", up)
	}
	guarded := false
	for _, s := range workflow.Jobs["up"].Steps {
		if strings.Contains(s.Run, "cmd/failover guard") {
			guarded = true
		}
		if s.With["command"] == "up" && !guarded {
			t.Error("the up job runs pulumi up before the failover mode guard")
		}
	}
}

// TestTeardownSaysWhatStays: the teardown section says what pulumi destroy leaves in the account
// (the edge function, which Lambda@Edge refuses to delete for hours) and how to delete it.
func TestTeardownSaysWhatStays(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	start, end := strings.Index(readme, "### Tearing down"), strings.Index(readme, "### Secrets")
	if start < 0 || end < start {
		t.Fatal("no teardown section before the secrets section")
	}
	section := readme[start:end]
	for _, want := range []string{"Lambda@Edge function stays", "aws lambda delete-function --region us-east-1", "site-error-failover"} {
		if !strings.Contains(section, want) {
			t.Errorf("the teardown section does not say %q", want)
		}
	}
}
