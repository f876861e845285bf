// Package snapshot owns this project's committed plans (stacks/<stack>.plan.json, which a pull
// request's diff shows).
package snapshot

import (
	"encoding/json"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"

	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

// Command is the command that refreshes every stack's committed plan.
const Command = "go run ./cmd/plan snapshot"

// File is where a stack's committed plan lives: <stackConfigDir>/<stack>.plan.json, next
// to its stack file, so that a pull request that changes the infrastructure shows the change.
func File(projectDir, stack string) (string, error) {
	project, err := workspace.LoadProject(filepath.Join(projectDir, "Pulumi.yaml"))
	if err != nil {
		return "", err
	}
	dir := filepath.Join(projectDir, project.StackConfigDir)
	return filepath.Join(dir, stack+".plan.json"), nil
}

// Read reads a stack's committed plan as this project would make it: a project made
// from the template by pulumi new has another name than the one its example snapshots were
// taken under (see ForProject).
func Read(projectDir, stack string) (*plan.Plan, error) {
	path, err := File(projectDir, stack)
	if err != nil {
		return nil, err
	}
	project, err := workspace.LoadProject(filepath.Join(projectDir, "Pulumi.yaml"))
	if err != nil {
		return nil, err
	}
	p, err := plan.Read(path)
	if err != nil {
		return nil, err
	}
	if p.Project == project.Name.String() {
		return p, nil
	}
	return ForProject(p, project.Name.String())
}

// ForProject returns the plan the same program makes in a project named name: the project, every
// URN (the stack's own resource is named after the project) and the project's config keys are
// renamed. Nothing else depends on the name: the simulated account's ids do not.
func ForProject(p *plan.Plan, name string) (*plan.Plan, error) {
	b, err := p.JSON()
	if err != nil {
		return nil, err
	}
	old := p.Project
	b = []byte(strings.NewReplacer(
		"::"+old+"::", "::"+name+"::",
		"pulumi:Stack::"+old+"-"+p.Stack, "pulumi:Stack::"+name+"-"+p.Stack,
	).Replace(string(b)))
	var renamed plan.Plan
	if err := json.Unmarshal(b, &renamed); err != nil {
		return nil, err
	}
	renamed.Project, renamed.Config = name, map[string]string{}
	for k, v := range p.Config {
		if rest, ok := strings.CutPrefix(k, old+":"); ok {
			k = name + ":" + rest
		}
		renamed.Config[k] = v
	}
	return &renamed, nil
}
