// Package topology owns the whole failover site as one component: it resolves the hosted zone
// and composes the main site (and, as they land, the error site and the failover records) from
// one Args struct. It is what the stack program runs, and what another Go stack imports to get
// the whole topology.
package topology

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/pkg/mainsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/naming"
)

// Type is the component's type token; changing it would replace every child.
const Type = "route53-failover:index:FailoverSite"

// Args configure a FailoverSite.
type Args struct {
	// Domain is the apex name served, such as example.com. Required.
	Domain string
	// AlternateNames are more names served the same way, such as www.example.com, each inside
	// Domain's zone. Default none.
	AlternateNames []string
	// HostedZoneID is the existing public hosted zone of Domain. Default: the public zone named
	// Domain, looked up in the account.
	HostedZoneID pulumi.StringInput
	// MainSite configures the main site. Its Domain, AlternateNames and ZoneID are set from
	// these Args; every other field keeps its own default (see mainsite.Args).
	MainSite mainsite.Args
	// Tags are added to every taggable resource. Default none.
	Tags pulumi.StringMap
}

// FailoverSite is the whole topology.
type FailoverSite struct {
	pulumi.ResourceState

	// ZoneID is the hosted zone that serves Domain.
	ZoneID pulumi.StringOutput
	// MainSite is the main site.
	MainSite *mainsite.MainSite
}

// mainSiteArgs fills the main site's args from the topology's.
func (a *Args) mainSiteArgs(zoneID pulumi.StringInput) mainsite.Args {
	m := a.MainSite
	m.Domain, m.AlternateNames, m.ZoneID = a.Domain, a.AlternateNames, zoneID
	if m.Tags == nil {
		m.Tags = a.Tags
	}
	return m
}

// Validate checks the args; fieldName maps an Args field path to the name the user knows it by
// (nil keeps the Args names).
func (a *Args) Validate(fieldName func(string) string) error {
	if fieldName == nil {
		fieldName = func(f string) string { return f }
	}
	mainFields := func(f string) string {
		switch f {
		case "Domain", "AlternateNames":
			return fieldName(f)
		}
		return fieldName("MainSite." + f)
	}
	return a.mainSiteArgs(a.HostedZoneID).Validate(mainFields)
}

// New builds the topology.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*FailoverSite, error) {
	if args == nil {
		args = &Args{}
	}
	if err := args.Validate(nil); err != nil {
		return nil, err
	}

	site := &FailoverSite{}
	inputs := pulumi.Map{
		"domain":         pulumi.String(args.Domain),
		"alternateNames": pulumi.ToStringArray(args.AlternateNames),
	}
	if err := ctx.RegisterComponentResourceV2(Type, name, inputs, site, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(site)

	zoneID := args.HostedZoneID
	if zoneID == nil {
		zoneID = route53.LookupZoneOutput(ctx, route53.LookupZoneOutputArgs{
			Name:        pulumi.String(args.Domain),
			PrivateZone: pulumi.Bool(false),
		}, parent).ZoneId()
	}
	site.ZoneID = zoneID.ToStringOutput()

	mainArgs := args.mainSiteArgs(zoneID)
	main, err := mainsite.New(ctx, naming.Child(name, "main"), &mainArgs, parent)
	if err != nil {
		return nil, err
	}
	site.MainSite = main

	return site, ctx.RegisterResourceOutputs(site, pulumi.Map{
		"zoneId":      site.ZoneID,
		"mainSiteUrl": main.URL,
	})
}
