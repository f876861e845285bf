// Command existing-network is an example stack: the whole failover topology, imported as one
// component, in a VPC and a hosted zone that already exist.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/seed-2b23e6e5/route53-failover/pkg/failoverdns"
	"github.com/seed-2b23e6e5/route53-failover/pkg/mainsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/topology"
)

func main() {
	pulumi.Run(program)
}

func program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	domain, vpcID := cfg.Require("domain"), cfg.Require("vpcId")
	var subnetIDs []string
	cfg.RequireObject("subnetIds", &subnetIDs)

	// Refuse subnets of another VPC, or all in one zone, before anything is created.
	if err := mainsite.CheckSubnets(ctx, "subnetIds", vpcID, subnetIDs); err != nil {
		return err
	}
	site, err := topology.New(ctx, "shop", &topology.Args{
		Domain:         domain,
		AlternateNames: []string{"www." + domain},
		HostedZoneID:   pulumi.String(cfg.Require("hostedZoneId")),
		MainSite: mainsite.Args{
			VpcID:        pulumi.String(vpcID),
			SubnetIDs:    pulumi.ToStringArray(subnetIDs),
			InstanceType: "t3.small",
		},
		FailoverDNS: failoverdns.Args{AlarmEmail: cfg.Get("alarmEmail")},
		Tags:        pulumi.StringMap{"team": pulumi.String("shop")},
	})
	if err != nil {
		return err
	}
	ctx.Export("siteUrl", site.SiteURL)
	ctx.Export("healthCheckId", site.DNS.HealthCheckID)
	ctx.Export("failoverWorstCaseSeconds", pulumi.Int(site.Estimate.Worst))
	return nil
}
