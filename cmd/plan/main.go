// Command plan prints what a stack would create, without an AWS account, the Pulumi CLI or a
// network: it runs the stack program in-process against the simulated account of pkg/mockcloud.
//
//	go run ./cmd/plan -stack dev                  # JSON, the default
//	go run ./cmd/plan -stack dev -format markdown # a table for people
//	go run ./cmd/plan -stack dev -config-file /path/to/Pulumi.other.yaml
//
// Invalid config exits with status 1 and the validator's message.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
	"github.com/seed-2b23e6e5/route53-failover/pkg/stack"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "plan:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	flags := flag.NewFlagSet("plan", flag.ContinueOnError)
	stackName := flags.String("stack", "dev", "the stack whose plan to print (reads stacks/Pulumi.<stack>.yaml)")
	configFile := flags.String("config-file", "", "read the stack's config from this file instead")
	format := flags.String("format", "json", "json or markdown")
	projectDir := flags.String("project-dir", ".", "the directory that holds Pulumi.yaml")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", flags.Args())
	}
	if *format != "json" && *format != "markdown" {
		return fmt.Errorf("-format %q: use json or markdown", *format)
	}

	opts, err := plan.LoadStack(*projectDir, *stackName, *configFile)
	if err != nil {
		return err
	}
	p, err := plan.Run(opts, stack.Program)
	if err != nil {
		return err
	}
	if *format == "markdown" {
		_, err = io.WriteString(out, p.Markdown())
		return err
	}
	b, err := p.JSON()
	if err != nil {
		return err
	}
	_, err = out.Write(b)
	return err
}
