// Command route53-failover is the Pulumi program: a website on EC2 behind an Application Load
// Balancer that fails over to a static error page on CloudFront. All of it lives in pkg/; see
// README.md.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/stack"
	"github.com/seed-2b23e6e5/route53-failover/internal/stackconfig"
)

func main() {
	if os.Getenv(pulumi.EnvMonitor) == "" {
		// Run outside the engine (go run .), the SDK fails with only an exit status.
		fmt.Fprint(os.Stderr, `route53-failover is a Pulumi program: the Pulumi engine runs it.
  pulumi preview / pulumi up     deploy a stack of it (see README.md, "Deploy for real")
  go run ./cmd/plan -stack dev   what the dev stack would create, offline, without AWS or Pulumi
`)
		os.Exit(2)
	}
	pulumi.Run(func(ctx *pulumi.Context) error {
		if err := stackconfig.CheckKeys(ctx.Project(), configKeys()); err != nil {
			return err
		}
		return stack.Run(ctx)
	})
}

// configKeys are the stack's config keys, as the engine hands them to the program.
func configKeys() []string {
	var config map[string]any
	if err := json.Unmarshal([]byte(os.Getenv(pulumi.EnvConfig)), &config); err != nil {
		return nil
	}
	keys := make([]string, 0, len(config))
	for k := range config {
		keys = append(keys, k)
	}
	return keys
}
