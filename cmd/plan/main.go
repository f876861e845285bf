// Command plan shows what a stack would create, and what a change would change, without an AWS
// account, the Pulumi CLI or a network: it runs the stack program in-process against the
// simulated account of internal/mockcloud.
//
//	go run ./cmd/plan -stack dev                   # the plan as JSON (the default)
//	go run ./cmd/plan -stack dev -format markdown  # a table for people
//	go run ./cmd/plan -stack dev -format mermaid   # a diagram
//	go run ./cmd/plan -config-file /path/to/Pulumi.staging.yaml -account subnets.json
//	go run ./cmd/plan snapshot                     # refresh stacks/<stack>.plan.json (and the documents' diagrams)
//	go run ./cmd/plan diff OLD.json NEW.json       # what changes, in Markdown
//	go run ./cmd/plan sandbox -- pulumi preview    # the real engine against the simulated account
//	go run ./cmd/plan adopt -stack prod -zone-id Z... -records records.json  # records that exist, for pulumi import
//
// Exit status: 0 done (diff: no change), 1 error (invalid config, say), 2 (diff only) changes.
// `go run` turns every non-zero status into 1; scripts that need the 2 build the command
// (go build -o plan ./cmd/plan) and run the binary.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/seed-2b23e6e5/route53-failover/internal/docs"
	"github.com/seed-2b23e6e5/route53-failover/internal/snapshot"
	"github.com/seed-2b23e6e5/route53-failover/internal/stack"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

// errChanges is diff's way to say "there are changes" (exit status 2).
var errChanges = errors.New("changes")

const usage = `usage:
  plan [-stack NAME | -config-file FILE] [-account FILE]... [-format json|markdown|mermaid] [-project-dir DIR]
       [-save-account FILE]
        what the stack would create, planned against a simulated AWS account
  plan snapshot [-project-dir DIR]
        refresh the committed plan of every stack (stacks/<stack>.plan.json) and the documents' diagrams
  plan diff OLD.json NEW.json
        what changes between two plans, in Markdown; exit status 2 when something does
  plan sandbox [-dir DIR] [-zone NAME]... [-account FILE]... -- COMMAND [ARG]...
        run a command (pulumi preview, up, destroy) against the simulated account, offline
  plan adopt (-stack NAME | -config-file FILE) -zone-id ID -records FILE [-project-dir DIR]
        the pulumi import file that makes the zone's records of the served names the stack's own
        (FILE: what aws route53 list-resource-record-sets printed)

flags of plan:
`

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errChanges):
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "plan:", err)
		os.Exit(1)
	}
}

// accountFiles collects repeated -account flags.
type accountFiles []string

func (a *accountFiles) String() string     { return strings.Join(*a, ",") }
func (a *accountFiles) Set(v string) error { *a = append(*a, v); return nil }

func run(args []string, out, errOut io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "diff":
			return diff(args[1:], out)
		case "snapshot":
			return snapshotCommand(args[1:], out, errOut)
		case "sandbox":
			return sandboxCommand(args[1:], out, errOut)
		case "adopt":
			return adopt(args[1:], out, errOut)
		}
	}
	flags := flag.NewFlagSet("plan", flag.ContinueOnError)
	flags.SetOutput(errOut)
	flags.Usage = func() {
		fmt.Fprint(errOut, usage)
		flags.PrintDefaults()
	}
	stackName := flags.String("stack", "", "the stack whose plan to print, from stacks/Pulumi.<stack>.yaml (default dev, or the stack -config-file is named after)")
	configFile := flags.String("config-file", "", "read the stack's config from this file (Pulumi.<stack>.yaml) instead")
	format := flags.String("format", "json", "json, markdown or mermaid")
	projectDir := flags.String("project-dir", ".", "the directory that holds Pulumi.yaml")
	saveAccount := flags.String("save-account", "", "also write the simulated account the plan leaves behind to this file (what the failover command's test worlds serve DNS and HTTPS from)")
	var account accountFiles
	flags.Var(&account, "account", "what exists in the account: the JSON that aws ec2 describe-subnets or describe-route-tables prints (repeatable); anything else is assumed and listed")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v (subcommands: diff, snapshot, sandbox, adopt; see -h)", flags.Args())
	}
	if *format != "json" && *format != "markdown" && *format != "mermaid" {
		return fmt.Errorf("-format %q: use json, markdown or mermaid", *format)
	}
	if *stackName == "" && *configFile == "" {
		*stackName = "dev"
	}

	opts, err := stack.PlanOptions(*projectDir, *stackName, *configFile, account...)
	if err != nil {
		return err
	}
	p, err := plan.Run(opts, stack.Program)
	if err != nil {
		return err
	}
	if *saveAccount != "" {
		if err := p.Account.SaveAccount(*saveAccount); err != nil {
			return err
		}
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
	d := plan.Compare(old, new, stack.ModeSwitch)
	if _, err := io.WriteString(out, d.Markdown()); err != nil {
		return err
	}
	if !d.Empty() {
		return errChanges
	}
	return nil
}

func snapshotCommand(args []string, out, errOut io.Writer) error {
	flags := flag.NewFlagSet("snapshot", flag.ContinueOnError)
	flags.SetOutput(errOut)
	projectDir := flags.String("project-dir", ".", "the directory that holds Pulumi.yaml")
	if err := flags.Parse(args); err != nil {
		return err
	}
	stacks, err := plan.Stacks(*projectDir)
	if err != nil {
		return err
	}
	documents, err := docs.Documents(*projectDir)
	if err != nil {
		return err
	}
	for _, s := range stacks {
		opts, err := stack.PlanOptions(*projectDir, s, "")
		if err != nil {
			return err
		}
		p, err := plan.Run(opts, stack.Program)
		if err != nil {
			return fmt.Errorf("stack %s: %w", s, err)
		}
		b, err := p.JSON()
		if err != nil {
			return err
		}
		path, err := snapshot.File(*projectDir, s)
		if err != nil {
			return err
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return err
		}
		fmt.Fprintln(out, "wrote", path)
		// A document shows a stack's diagram where it is marked; it follows the snapshot.
		for _, doc := range documents {
			text, err := os.ReadFile(doc)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return err
			}
			if refreshed, marked := p.WithDiagram(string(text)); marked && refreshed != string(text) {
				if err := os.WriteFile(doc, []byte(refreshed), 0o644); err != nil {
					return err
				}
				fmt.Fprintf(out, "wrote the %s diagram in %s\n", s, doc)
			}
		}
	}
	return nil
}
