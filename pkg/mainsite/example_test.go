package mainsite_test

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
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

// A network the same program creates goes in as outputs (Args.Network); the load balancer
// waits for what makes its subnets public.
func ExampleNew_network() {
	p, err := plan.RunInRegion("eu-west-1", func(ctx *pulumi.Context) error {
		vpc, err := ec2.NewVpc(ctx, "net", &ec2.VpcArgs{CidrBlock: pulumi.String("10.8.0.0/16")})
		if err != nil {
			return err
		}
		igw, err := ec2.NewInternetGateway(ctx, "net", &ec2.InternetGatewayArgs{VpcId: vpc.ID()})
		if err != nil {
			return err
		}
		routes, err := ec2.NewRouteTable(ctx, "net", &ec2.RouteTableArgs{VpcId: vpc.ID(), Routes: ec2.RouteTableRouteArray{
			ec2.RouteTableRouteArgs{CidrBlock: pulumi.String("0.0.0.0/0"), GatewayId: igw.ID()}}})
		if err != nil {
			return err
		}
		network := &mainsite.Network{VpcID: vpc.ID()}
		var subnets pulumi.StringArray
		for i, zone := range []string{"eu-west-1a", "eu-west-1b"} {
			subnet, err := ec2.NewSubnet(ctx, fmt.Sprint("net-", i), &ec2.SubnetArgs{
				VpcId: vpc.ID(), CidrBlock: pulumi.Sprintf("10.8.%d.0/24", i), AvailabilityZone: pulumi.String(zone),
			})
			if err != nil {
				return err
			}
			public, err := ec2.NewRouteTableAssociation(ctx, fmt.Sprint("net-", i), &ec2.RouteTableAssociationArgs{
				SubnetId: subnet.ID(), RouteTableId: routes.ID(),
			})
			if err != nil {
				return err
			}
			subnets, network.Ready = append(subnets, subnet.ID()), append(network.Ready, public)
		}
		network.SubnetIDs = subnets
		_, err = mainsite.New(ctx, "shop", &mainsite.Args{
			Domain:  "shop.example",
			ZoneID:  pulumi.String("Z0123456789ABCDEFGHIJ"),
			Network: network,
		})
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	alb := p.OfType("aws:lb/loadBalancer:LoadBalancer")[0]
	fmt.Println("VPCs:", len(p.OfType("aws:ec2/vpc:Vpc")), "- the load balancer spans", len(alb.Inputs["subnets"].([]any)), "subnets")
	// Output:
	// VPCs: 1 - the load balancer spans 2 subnets
}
