// Package topology owns the whole failover site as one component: it resolves the hosted zone
// and composes the main site and the error site (and, once it lands, the failover records) from
// one Args struct, sharing one certificate between them where the regions allow. It is what the stack program runs, and what another Go stack imports to get
// the whole topology.
package topology

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/pkg/certificate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/errorsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/mainsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/naming"
	"github.com/seed-2b23e6e5/route53-failover/pkg/validate"
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
	// Region is the region of the AWS provider the topology runs with, where the main site
	// lives. Default: the stack's aws:region. In us-east-1 one certificate serves both sites.
	Region string
	// MainSite configures the main site. Its Domain, AlternateNames and ZoneID are set from
	// these Args; every other field keeps its own default (see mainsite.Args).
	MainSite mainsite.Args
	// ErrorSite configures the error site, likewise (see errorsite.Args).
	ErrorSite errorsite.Args
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
	// ErrorSite is the error site.
	ErrorSite *errorsite.ErrorSite
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

// errorSiteArgs fills the error site's args from the topology's.
func (a *Args) errorSiteArgs(zoneID pulumi.StringInput) errorsite.Args {
	e := a.ErrorSite
	e.Domain, e.AlternateNames, e.ZoneID = a.Domain, a.AlternateNames, zoneID
	if e.Tags == nil {
		e.Tags = a.Tags
	}
	return e
}

// region is Args.Region, else the stack's aws:region.
func (a *Args) region(ctx *pulumi.Context) (string, error) {
	region := a.Region
	if region == "" {
		region, _ = ctx.GetConfig("aws:region")
	}
	if region == "" {
		return "", validate.Invalid("Region", "", "the region the topology runs in: set Args.Region or the stack's aws:region")
	}
	return region, validate.Region("Region", region)
}

// Validate checks the args; fieldName maps an Args field path to the name the user knows it by
// (nil keeps the Args names).
func (a *Args) Validate(fieldName func(string) string) error {
	if fieldName == nil {
		fieldName = func(f string) string { return f }
	}
	in := func(component string) func(string) string {
		return func(f string) string {
			switch f {
			case "Domain", "AlternateNames":
				return fieldName(f)
			}
			return fieldName(component + "." + f)
		}
	}
	if err := a.mainSiteArgs(a.HostedZoneID).Validate(in("MainSite")); err != nil {
		return err
	}
	return a.errorSiteArgs(a.HostedZoneID).Validate(in("ErrorSite"))
}

// New builds the topology.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*FailoverSite, error) {
	if args == nil {
		args = &Args{}
	}
	if err := args.Validate(nil); err != nil {
		return nil, err
	}
	region, err := args.region(ctx)
	if err != nil {
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

	mainArgs, errorArgs := args.mainSiteArgs(zoneID), args.errorSiteArgs(zoneID)
	if region == errorsite.CertificateRegion && mainArgs.CertificateARN == nil && errorArgs.CertificateARN == nil {
		// CloudFront and the load balancer are in the same region: one certificate, one set
		// of validation records.
		cert, err := certificate.New(ctx, naming.Child(name, "cert"), &certificate.Args{
			Domain: args.Domain, AlternateNames: args.AlternateNames, ZoneID: zoneID, Tags: args.Tags,
		}, parent)
		if err != nil {
			return nil, err
		}
		mainArgs.CertificateARN, errorArgs.CertificateARN = cert.CertificateARN, cert.CertificateARN
	}

	main, err := mainsite.New(ctx, naming.Child(name, "main"), &mainArgs, parent)
	if err != nil {
		return nil, err
	}
	site.MainSite = main
	errorSite, err := errorsite.New(ctx, naming.Child(name, "error"), &errorArgs, parent)
	if err != nil {
		return nil, err
	}
	site.ErrorSite = errorSite

	return site, ctx.RegisterResourceOutputs(site, pulumi.Map{
		"zoneId":       site.ZoneID,
		"mainSiteUrl":  main.URL,
		"errorSiteUrl": errorSite.URL,
	})
}
