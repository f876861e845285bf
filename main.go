// Command route53-failover is the Pulumi program: a website on EC2 behind an Application Load
// Balancer that fails over to a static error page on CloudFront. All of it lives in pkg/; see
// README.md.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/pkg/stack"
)

func main() {
	pulumi.Run(stack.Run)
}
