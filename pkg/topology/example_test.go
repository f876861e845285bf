package topology_test

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
	"github.com/seed-2b23e6e5/route53-failover/pkg/topology"
)

// The whole failover site for two names, planned offline in eu-west-1: the main site's
// certificate is issued there, CloudFront's in us-east-1.
func ExampleNew() {
	var worst int
	p, err := plan.RunInRegion("eu-west-1", func(ctx *pulumi.Context) error {
		site, err := topology.New(ctx, "site", &topology.Args{
			Domain:         "example.com",
			AlternateNames: []string{"www.example.com"},
		})
		if err != nil {
			return err
		}
		worst = site.Estimate.Worst
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, cert := range p.OfType("aws:acm/certificate:Certificate") {
		fmt.Println(cert.Name, "in", p.Region(&cert))
	}
	for _, r := range p.OfType("aws:route53/record:Record") {
		if role := plan.Get(r.Inputs, "failoverRoutingPolicies", 0, "type"); role != nil {
			fmt.Println(r.Inputs["name"], r.Inputs["type"], role)
		}
	}
	fmt.Println("worst failover:", worst, "s")
	// Output:
	// site-error-cert in us-east-1
	// site-main-cert in eu-west-1
	// example.com A PRIMARY
	// example.com A SECONDARY
	// www.example.com A PRIMARY
	// www.example.com A SECONDARY
	// worst failover: 145 s
}

// The escape hatch for what no Args field sets: pulumi.Transforms on the component reaches every
// resource it creates. Here the instances' launch template turns on detailed monitoring. The
// engine runs transforms; the offline plan refuses a program that has any, because it cannot show
// their effect, so preview such a program with the engine: go run ./cmd/plan sandbox -- pulumi
// preview.
func ExampleNew_transforms() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		monitoring := func(_ context.Context, r *pulumi.ResourceTransformArgs) *pulumi.ResourceTransformResult {
			if r.Type != "aws:ec2/launchTemplate:LaunchTemplate" {
				return nil
			}
			r.Props["monitoring"] = ec2.LaunchTemplateMonitoringArgs{Enabled: pulumi.Bool(true)}
			return &pulumi.ResourceTransformResult{Props: r.Props, Opts: r.Opts}
		}
		_, err := topology.New(ctx, "site", &topology.Args{Domain: "example.com"},
			pulumi.Transforms([]pulumi.ResourceTransform{monitoring}))
		return err
	})
}
