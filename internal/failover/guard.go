package failover

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"

	"github.com/seed-2b23e6e5/route53-failover/pkg/estimate"
)

// SwitchProcedure is where the documentation describes how a stack changes failover mode.
const SwitchProcedure = "docs/edge-mode.md, \"Switching a stack between the modes\""

// CheckModeSwitch refuses a change of failover mode by one plain pulumi up (deployed is the
// deployed stack's mode, "" for a stack never deployed; configured "" is dns). Either way one
// update stops halfway or shows visitors the error page: dns to edge turns the PRIMARY records
// into plain aliases while their SECONDARY records still exist, which Route 53 refuses
// (InvalidChangeBatch); edge to dns updated in one go turns the distribution into the error
// page's before the names leave it. Both are the documented steps of SwitchProcedure.
func CheckModeSwitch(deployed, configured string) error {
	if configured == "" {
		configured = estimate.DNS
	}
	switch {
	case deployed == estimate.DNS && configured == estimate.Edge:
		return fmt.Errorf("the stack runs in %s mode and its config says %s: a plain pulumi up would stop halfway with Route 53's InvalidChangeBatch (a plain record beside the failover records it replaces) and leave the stack between the modes; switch with the steps of the %s (the SECONDARY records first, then two pulumi up), or set failoverMode back to %s",
			deployed, configured, SwitchProcedure, deployed)
	case deployed == estimate.Edge && configured == estimate.DNS:
		return fmt.Errorf("the stack runs in %s mode and its config says %s: a plain pulumi up would turn the distribution into the error page's while the names still point at it, and every visitor would get the error page for the minutes CloudFront takes to deploy; switch with the steps of the %s (two pulumi up, the first leaving the distribution as it is), or set failoverMode back to %s",
			deployed, configured, SwitchProcedure, deployed)
	}
	return nil
}

// StackModes reads a stack's deployed failover mode (its failoverEstimate output's mode; dns for a
// stack deployed before modes existed, "" for one without outputs, never deployed) and the mode
// its config asks for ("" when unset: dns).
func StackModes(ctx context.Context, projectDir, stackName string, opts ...auto.LocalWorkspaceOption) (deployed, configured string, err error) {
	st, err := auto.SelectStackLocalSource(ctx, stackName, projectDir, opts...)
	if err != nil {
		return "", "", fmt.Errorf("stack %s: %w", stackName, err)
	}
	out, err := st.Outputs(ctx)
	if err != nil {
		return "", "", fmt.Errorf("stack %s: outputs: %w", stackName, err)
	}
	deployed = DeployedMode(out)
	project, err := st.Workspace().ProjectSettings(ctx)
	if err != nil {
		return "", "", err
	}
	// The config namespace is the project's name, which pulumi new may have changed.
	if v, err := st.GetConfig(ctx, string(project.Name)+":failoverMode"); err == nil {
		configured = v.Value
	}
	return deployed, configured, nil
}

// DeployedMode is the failover mode of a stack with these outputs: its failoverEstimate's mode,
// dns for a stack from before edge mode, "" for a stack with no outputs (never deployed).
func DeployedMode(outputs auto.OutputMap) string {
	if len(outputs) == 0 {
		return ""
	}
	if e, ok := outputs["failoverEstimate"].Value.(map[string]any); ok {
		if mode, _ := e["mode"].(string); mode != "" {
			return mode
		}
	}
	return estimate.DNS
}

// guard is the guard subcommand: exit 1 when the stack's next pulumi up would switch modes in
// a way one update cannot.
func guard(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("failover guard", flag.ContinueOnError)
	flags.SetOutput(stderr)
	stackName := flags.String("stack", "", "the Pulumi stack about to be updated")
	projectDir := flags.String("project-dir", ".", "the Pulumi project of -stack")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *stackName == "" || flags.NArg() > 0 {
		fmt.Fprintln(stderr, "failover guard: give -stack NAME")
		return 2
	}
	deployed, configured, err := StackModes(ctx, *projectDir, *stackName)
	if err != nil {
		fmt.Fprintln(stderr, "failover guard:", err)
		return 1
	}
	if err := CheckModeSwitch(deployed, configured); err != nil {
		fmt.Fprintln(stderr, "failover guard: refused:", err)
		return 1
	}
	fmt.Fprintf(stdout, "failover guard: deployed %q, configured %q: one pulumi up can do this\n", deployed, configured)
	return 0
}
