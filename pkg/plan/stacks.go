package plan

import (
	"path/filepath"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

// Stacks lists the stacks that have a stack file in the project's stack directory.
func Stacks(projectDir string) ([]string, error) {
	dir, err := stackDir(projectDir)
	if err != nil {
		return nil, err
	}
	return stacksIn(dir), nil
}

func stackDir(projectDir string) (string, error) {
	project, err := workspace.LoadProject(filepath.Join(projectDir, "Pulumi.yaml"))
	if err != nil {
		return "", err
	}
	return filepath.Join(projectDir, project.StackConfigDir), nil
}
