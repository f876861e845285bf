package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"

	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
	"github.com/seed-2b23e6e5/route53-failover/internal/sandbox"
)

// zoneNames collects repeated -zone flags.
type zoneNames []string

func (z *zoneNames) String() string     { return fmt.Sprint(*z) }
func (z *zoneNames) Set(v string) error { *z = append(*z, v); return nil }

// sandboxCommand runs a command, pulumi preview or up say, against the simulated account: the
// real Pulumi CLI and engine, this project's program, and the simulated AWS plugin in place of
// AWS. The sandbox (its own PULUMI_HOME, file backend and account) is set up on first use.
func sandboxCommand(args []string, out, errOut io.Writer) error {
	flags := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	flags.SetOutput(errOut)
	dir := flags.String("dir", ".sandbox", "the sandbox's directory (its PULUMI_HOME, backend and account)")
	var zones zoneNames
	flags.Var(&zones, "zone", "a public hosted zone the account holds when the sandbox is set up (repeatable; default example.com)")
	var account accountFiles
	flags.Var(&account, "account", "what else the account holds when the sandbox is set up: the JSON of aws ec2 describe-subnets or describe-route-tables (repeatable)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	command := flags.Args()
	if len(command) == 0 {
		return errors.New("usage: plan sandbox [-dir DIR] [-zone NAME]... [-account FILE]... -- COMMAND [ARG]...")
	}
	if len(zones) == 0 {
		zones = zoneNames{"example.com"}
	}
	existing := mockcloud.Existing{}
	for _, zone := range slices.Compact(slices.Sorted(slices.Values(zones))) {
		existing.Zones = append(existing.Zones, mockcloud.PublicZone(zone))
	}
	for _, file := range account {
		facts, err := mockcloud.ReadExisting(file)
		if err != nil {
			return err
		}
		existing.Add(facts)
	}
	ctx := context.Background()
	box, err := sandbox.Open(ctx, *dir, ".", existing)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, command[0], command[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, out, errOut
	cmd.Env = os.Environ()
	for k, v := range box.Env() {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	return cmd.Run()
}
