package plan

import (
	"path/filepath"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

// SnapshotCommand is the command that refreshes every stack's committed plan.
const SnapshotCommand = "go run ./cmd/plan snapshot"

// Stacks lists the stacks that have a stack file in the project's stack directory.
func Stacks(projectDir string) ([]string, error) {
	dir, err := stackDir(projectDir)
	if err != nil {
		return nil, err
	}
	return stacksIn(dir), nil
}

// SnapshotFile is where a stack's committed plan lives: <stackConfigDir>/<stack>.plan.json, next
// to its stack file, so that a pull request that changes the infrastructure shows the change.
func SnapshotFile(projectDir, stack string) (string, error) {
	dir, err := stackDir(projectDir)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, stack+".plan.json"), nil
}

func stackDir(projectDir string) (string, error) {
	project, err := workspace.LoadProject(filepath.Join(projectDir, "Pulumi.yaml"))
	if err != nil {
		return "", err
	}
	return filepath.Join(projectDir, project.StackConfigDir), nil
}
