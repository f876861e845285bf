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
	domain := cfg.Require("domain")
	var subnetIDs []string
	cfg.RequireObject("subnetIds", &subnetIDs)
	var alarmEmail pulumi.StringInput
	if cfg.Get("alarmEmail") != "" {
		// An email address is personal data: keep it a secret in the state, whether or not the
		// stack file encrypts it.
		alarmEmail = cfg.GetSecret("alarmEmail")
	}

	// MainSite looks the subnets up and refuses ones of another VPC, two in one zone, or
	// private ones, before anything is created.
	site, err := topology.New(ctx, "shop", &topology.Args{
		Domain:         domain,
		AlternateNames: []string{"www." + domain},
		HostedZoneID:   pulumi.String(cfg.Require("hostedZoneId")),
		MainSite: mainsite.Args{
			VpcID:        cfg.Require("vpcId"),
			SubnetIDs:    subnetIDs,
			InstanceType: "t3.small",
		},
		FailoverDNS: failoverdns.Args{AlarmEmail: alarmEmail},
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
