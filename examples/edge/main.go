// Command edge is an example stack: the whole topology in edge mode, where one CloudFront
// distribution serves the site and answers a request the main site fails with the error page,
// on the spot, instead of waiting for DNS to move.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/seed-2b23e6e5/route53-failover/pkg/edgefailover"
	"github.com/seed-2b23e6e5/route53-failover/pkg/mainsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/topology"
)

func main() {
	pulumi.Run(program)
}

func program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	domain := cfg.Require("domain")
	args := &topology.Args{
		Domain:         domain,
		AlternateNames: []string{"www." + domain},
		FailoverMode:   topology.ModeEdge,
		MainSite:       mainsite.Args{IPv6: true, InstanceCount: pulumi.IntRef(2)},
		// Pages of this site take up to 20 s to render: wait that long before failing over.
		Edge: edgefailover.Args{Origins: edgefailover.OriginGroup{Primary: edgefailover.MainOrigin{ReadTimeout: pulumi.IntRef(20)}}},
	}
	if cfg.Get("originSecret") != "" {
		args.OriginSecret = cfg.RequireSecret("originSecret")
	}
	site, err := topology.New(ctx, "shop", args)
	if err != nil {
		return err
	}
	ctx.Export("siteUrl", site.SiteURL)
	ctx.Export("distributionId", site.Edge.DistributionID)
	ctx.Export("failoverWorstCaseSeconds", pulumi.Int(site.Estimate.Worst))
	return nil
}
