// Command plan shows what a stack would create, and what a change would change, without an AWS
// account, the Pulumi CLI or a network: it runs the stack program in-process against the
// simulated account of pkg/mockcloud.
//
//	go run ./cmd/plan -stack dev                   # the plan as JSON (the default)
//	go run ./cmd/plan -stack dev -format markdown  # a table for people
//	go run ./cmd/plan -stack dev -format mermaid   # a diagram
//	go run ./cmd/plan -config-file /path/to/Pulumi.other.yaml
//	go run ./cmd/plan snapshot                     # refresh stacks/<stack>.plan.json for every stack
//	go run ./cmd/plan diff OLD.json NEW.json       # what changes, in Markdown
//
// Exit status: 0 done (diff: no change), 1 error (invalid config, say), 2 (diff only) changes.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
	"github.com/seed-2b23e6e5/route53-failover/pkg/stack"
)

// errChanges is diff's way to say "there are changes" (exit status 2).
var errChanges = errors.New("changes")

func main() {
	err := run(os.Args[1:], os.Stdout)
	switch {
	case errors.Is(err, errChanges):
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "plan:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "diff":
			return diff(args[1:], out)
		case "snapshot":
			return snapshot(args[1:], out)
		}
	}
	flags := flag.NewFlagSet("plan", flag.ContinueOnError)
	stackName := flags.String("stack", "dev", "the stack whose plan to print (reads stacks/Pulumi.<stack>.yaml)")
	configFile := flags.String("config-file", "", "read the stack's config from this file instead")
	format := flags.String("format", "json", "json, markdown or mermaid")
	projectDir := flags.String("project-dir", ".", "the directory that holds Pulumi.yaml")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v (subcommands: diff, snapshot)", flags.Args())
	}
	if *format != "json" && *format != "markdown" && *format != "mermaid" {
		return fmt.Errorf("-format %q: use json, markdown or mermaid", *format)
	}

	opts, err := plan.LoadStack(*projectDir, *stackName, *configFile)
	if err != nil {
		return err
	}
	p, err := plan.Run(opts, stack.Program)
	if err != nil {
		return err
	}
	switch *format {
	case "markdown":
		_, err = io.WriteString(out, p.Markdown())
	case "mermaid":
		_, err = io.WriteString(out, p.Mermaid())
	default:
		var b []byte
		if b, err = p.JSON(); err == nil {
			_, err = out.Write(b)
		}
	}
	return err
}

func diff(args []string, out io.Writer) error {
	if len(args) != 2 {
		return errors.New("usage: plan diff OLD.json NEW.json")
	}
	old, err := plan.Read(args[0])
	if err != nil {
		return err
	}
	new, err := plan.Read(args[1])
	if err != nil {
		return err
	}
	d := plan.Compare(old, new)
	if _, err := io.WriteString(out, d.Markdown()); err != nil {
		return err
	}
	if !d.Empty() {
		return errChanges
	}
	return nil
}

func snapshot(args []string, out io.Writer) error {
	flags := flag.NewFlagSet("snapshot", flag.ContinueOnError)
	projectDir := flags.String("project-dir", ".", "the directory that holds Pulumi.yaml")
	if err := flags.Parse(args); err != nil {
		return err
	}
	stacks, err := plan.Stacks(*projectDir)
	if err != nil {
		return err
	}
	for _, s := range stacks {
		b, err := plan.Snapshot(*projectDir, s, stack.Program)
		if err != nil {
			return err
		}
		path, err := plan.SnapshotFile(*projectDir, s)
		if err != nil {
			return err
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return err
		}
		fmt.Fprintln(out, "wrote", path)
	}
	return nil
}
