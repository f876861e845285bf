package failoverdns_test

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/pkg/failoverdns"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

// Failover between a load balancer and a CloudFront distribution made elsewhere: only the load
// balancer's alias gets the dualstack. prefix.
func ExampleNew() {
	p, err := plan.RunInRegion("eu-west-1", func(ctx *pulumi.Context) error {
		_, err := failoverdns.New(ctx, "api", &failoverdns.Args{
			ZoneID: pulumi.String("Z0123456789ABCDEFGHIJ"),
			Names:  []string{"api.example.com"},
			Primary: failoverdns.Target{
				DNSName: pulumi.String("api-123456789.eu-west-1.elb.amazonaws.com"),
				ZoneID:  pulumi.String("Z32O12XQLNTSW2"),
			},
			Secondary: failoverdns.Target{
				DNSName: pulumi.String("d111111abcdef8.cloudfront.net"),
				ZoneID:  pulumi.String("Z2FDTNDATAQYW2"),
			},
			HealthCheckPath: "/health",
		})
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range p.OfType("aws:route53/record:Record") {
		fmt.Println(plan.Get(r.Inputs, "failoverRoutingPolicies", 0, "type"), plan.Get(r.Inputs, "aliases", 0, "name"))
	}
	// Output:
	// PRIMARY dualstack.api-123456789.eu-west-1.elb.amazonaws.com
	// SECONDARY d111111abcdef8.cloudfront.net
}
