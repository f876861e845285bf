package mainsite_test

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/pkg/mainsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

// A main site in its own network, with every default: one instance in an Auto Scaling group,
// behind a load balancer that serves HTTPS and redirects HTTP.
func ExampleNew() {
	p, err := plan.RunInRegion("eu-west-1", func(ctx *pulumi.Context) error {
		_, err := mainsite.New(ctx, "shop", &mainsite.Args{
			Domain: "shop.example",
			ZoneID: pulumi.String("Z0123456789ABCDEFGHIJ"),
		})
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	https := p.Find("aws:lb/listener:Listener", "shop-https")
	http := p.Find("aws:lb/listener:Listener", "shop-http")
	fmt.Println("443:", https.Inputs["sslPolicy"])
	fmt.Println("80:", plan.Get(http.Inputs, "defaultActions", 0, "redirect", "statusCode"))
	group := p.OfType("aws:autoscaling/group:Group")[0]
	template := p.OfType("aws:ec2/launchTemplate:LaunchTemplate")[0]
	fmt.Println("instances:", group.Inputs["minSize"], "to", group.Inputs["maxSize"], "of", template.Inputs["instanceType"])
	// Output:
	// 443: ELBSecurityPolicy-TLS13-1-2-2021-06
	// 80: HTTP_301
	// instances: 1 to 1 of t3.micro
}
