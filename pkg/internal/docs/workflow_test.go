package docs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestPreviewCannotWrite: the preview job runs a pull request's code before anyone reviewed it,
// so it assumes a role of its own (meant to read only) and never gets the deploy role or keys;
// the up job, after review, deploys, and runs the mode guard before pulumi up.
func TestPreviewCannotWrite(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, ".github", "workflows", "pulumi.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var workflow struct {
		Jobs map[string]struct {
			Steps []struct {
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
