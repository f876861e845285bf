// Package topology owns the whole failover site as one component: it resolves (or creates) the
// hosted zone, composes the main site, the error site and the failover records from one Args
// struct, shares one certificate between the sites where the regions allow, and estimates how
// long a failover takes, in either failover mode (Route 53 records, or a CloudFront origin group
// per request). It is what the stack program runs, and what another Go stack imports to get the
// whole topology.
package topology

import (
	"github.com/seed-2b23e6e5/route53-failover/pkg/accesslogs"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/naming"
	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/certificate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/edgeorigin"
	"github.com/seed-2b23e6e5/route53-failover/pkg/errorsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/estimate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/failoverdns"
	"github.com/seed-2b23e6e5/route53-failover/pkg/mainsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/useast1"
)

// Type is the component's type token; changing it would replace every child.
const Type = "route53-failover:index:FailoverSite"

// Failover modes (Args.FailoverMode).
const (
	// ModeDNS fails over in DNS: Route 53 failover records point the names at the load
	// balancer while its health check passes, and at the error page's distribution otherwise.
	ModeDNS = estimate.DNS
	// ModeEdge fails over at CloudFront, per request: the names point at one distribution whose
	// origin group tries the load balancer first and the error bucket when it fails.
	ModeEdge = estimate.Edge
)

// Modes returns the failover modes.
func Modes() []string { return []string{ModeDNS, ModeEdge} }

// OriginLabel is the first label of the default OriginName.
const OriginLabel = "origin"

// Args configure a FailoverSite.
type Args struct {
	// Domain is the apex name served, such as example.com. Required.
	Domain string
	// AlternateNames are more names served the same way, such as www.example.com, each inside
	// Domain's zone. Default none.
	AlternateNames []string
	// HostedZoneID is the existing public hosted zone of Domain. Default: the public zone named
	// Domain, looked up in the account (or created, with CreateHostedZone).
	HostedZoneID pulumi.StringInput
	// CreateHostedZone creates Domain's public hosted zone, protected from deletion, instead of
	// using an existing one. Its name servers must then be delegated at the registrar before the
	// certificates can be issued. Default false; not together with HostedZoneID.
	CreateHostedZone bool
	// MainSite configures the main site. Its Domain, AlternateNames and ZoneID are set from
	// these Args; every other field keeps its own default (see mainsite.Args).
	MainSite mainsite.Args
	// ErrorSite configures the error site, likewise (see errorsite.Args).
	ErrorSite errorsite.Args
	// FailoverDNS configures the failover records and the health check (see failoverdns.Args).
	// Its ZoneID, Names, targets and AlarmProvider are set from the topology; its
	// HealthCheckPath defaults to the main site's.
	FailoverDNS failoverdns.Args
	// FailoverMode is how the site fails over: ModeDNS ("dns") or ModeEdge ("edge"). Default
	// "dns". In edge mode MainSite.CloudFrontOrigin, ErrorSite.Edge (Origin and IPv6; its
	// timeouts may be given) and FailoverDNS.Edge are set from these Args: one edgeorigin.Origin
	// goes to both sites.
	FailoverMode string
	// OriginName is, in edge mode, the name CloudFront reaches the load balancer by: a name
	// under Domain that is not served. Default "origin." + Domain. Not used in DNS mode.
	OriginName string
	// OriginSecret, in edge mode, is a value CloudFront sends to the load balancer in a header
	// (edgeorigin.SecretHeader); the load balancer answers 403 to requests without it, so
	// that no other distribution can use it as an origin. 16-128 characters without "*" or "?".
	// It is made secret wherever it goes. Default nil: no header. Not used in DNS mode.
	OriginSecret pulumi.StringInput
	// PreviousOriginSecret, while OriginSecret is rotated, is the value CloudFront sent before:
	// the load balancer accepts both until the distribution sends the new one everywhere
	// (edgeorigin.Origin.PreviousSecret). Only with OriginSecret. Default nil.
	PreviousOriginSecret pulumi.StringInput
	// AccessLogs creates a log bucket in the stack's region (accesslogs.AccessLogs) and has the
	// load balancer and the distribution write their access logs to it, unless MainSite or
	// ErrorSite name a destination of their own. Not in a region CloudFront delivers no
	// standard logs to. Default false.
	AccessLogs bool

	// Tags are added to every taggable resource. Default none.
	Tags pulumi.StringMap
}

// WithDefaults returns the args with the topology's own unset fields at their defaults (each
// part's defaults are its own).
func (a Args) WithDefaults() Args {
	if a.FailoverMode == "" {
		a.FailoverMode = ModeDNS
	}
	return a
}

// edge reports whether the args choose edge mode.
func (a *Args) edge() bool { return a.FailoverMode == ModeEdge }

// origin is the one value edge mode gives both the main site and the distribution.
func (a *Args) origin() edgeorigin.Origin {
	name := a.OriginName
	if name == "" {
		name = OriginLabel + "." + a.Domain
	}
	return edgeorigin.Origin{Name: name, Secret: a.OriginSecret, PreviousSecret: a.PreviousOriginSecret}
}

// FailoverSite is the whole topology.
type FailoverSite struct {
	pulumi.ResourceState

	// ZoneID is the hosted zone that serves Domain.
	ZoneID pulumi.StringOutput
	// NameServers are the created zone's name servers, to delegate at the registrar (empty
	// unless CreateHostedZone).
	NameServers pulumi.StringArrayOutput
	// SiteURL is https:// and Domain.
	SiteURL pulumi.StringOutput
	// MainSite, ErrorSite and DNS are the parts.
	MainSite  *mainsite.MainSite
	ErrorSite *errorsite.ErrorSite
	DNS       *failoverdns.FailoverDNS
	// AccessLogs is the log bucket (nil unless Args.AccessLogs).
	AccessLogs *accesslogs.AccessLogs
	// Estimate is how long a failover takes with these settings.
	Estimate estimate.Estimate
	// Mode is the failover mode in force, ModeDNS or ModeEdge.
	Mode string
}

// mainSiteArgs fills the main site's args from the topology's.
func (a *Args) mainSiteArgs(zoneID pulumi.StringInput) mainsite.Args {
	m := a.MainSite
	m.Domain, m.AlternateNames, m.ZoneID = a.Domain, a.AlternateNames, zoneID
	if m.Tags == nil {
		m.Tags = a.Tags
	}
	if a.edge() {
		origin := a.origin()
		m.CloudFrontOrigin = &origin
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
	if a.edge() {
		edge := errorsite.Edge{}
		if e.Edge != nil {
			edge = *e.Edge // its timeouts
		}
		edge.Origin, edge.IPv6 = a.origin(), a.MainSite.IPv6
		e.Edge = &edge
	}
	return e
}

// dnsArgs fills the failover records' args from the topology's; the targets are set in New.
func (a *Args) dnsArgs(zoneID pulumi.StringInput) failoverdns.Args {
	d := a.FailoverDNS
	d.ZoneID = zoneID
	d.Names = certificate.Names(a.Domain, a.AlternateNames)
	d.Edge = a.edge()
	if d.HealthCheckPath == "" {
		d.HealthCheckPath = a.MainSite.TargetCheck().Path
	}
	if d.Tags == nil {
		d.Tags = a.Tags
	}
	return d
}

// providerRegion is the region of the AWS provider the topology runs with (its pulumi.Provider option,
// else the stack's default provider), read from the provider itself so that it cannot disagree.
func providerRegion(ctx *pulumi.Context, parent pulumi.ResourceOrInvokeOption) (string, error) {
	r, err := aws.GetRegion(ctx, &aws.GetRegionArgs{}, parent)
	if err != nil {
		return "", err
	}
	return r.Name, nil
}

// Validate checks the args, and each part's; a part's errors name its field within the
// topology ("MainSite.InstanceType").
func (a *Args) Validate() error {
	if a.Domain == "" {
		return validate.Invalid("Domain", "", "the apex name to serve, such as example.com: required")
	}
	if id, plain := a.HostedZoneID.(pulumi.String); plain {
		if err := validate.HostedZoneID("HostedZoneID", string(id)); err != nil {
			return err
		}
	}
	if a.CreateHostedZone && a.HostedZoneID != nil {
		return validate.Invalid("CreateHostedZone", "true",
			"false when HostedZoneID is given: use the existing zone, or create one, not both", "HostedZoneID")
	}
	// The served names are the topology's own fields: checked here, they are never reported
	// as a part's.
	if err := validate.ServedNames("Domain", a.Domain, "AlternateNames", a.AlternateNames); err != nil {
		return err
	}
	if mode := a.WithDefaults().FailoverMode; !slices.Contains(Modes(), mode) {
		return validate.Invalid("FailoverMode", mode, "one of "+strings.Join(Modes(), ", ")+" (dns: Route 53 failover records; edge: a CloudFront origin group)")
	}
	if !a.edge() {
		for _, part := range []struct {
			field string
			set   bool
		}{
			{"ErrorSite.Edge", a.ErrorSite.Edge != nil}, {"MainSite.CloudFrontOrigin", a.MainSite.CloudFrontOrigin != nil}, {"FailoverDNS.Edge", a.FailoverDNS.Edge},
		} {
			if part.set {
				return validate.Invalid(part.field, "set", "unset unless FailoverMode is edge, which sets it", "FailoverMode")
			}
		}
	}
	if a.edge() {
		if err := a.validateOrigin(); err != nil {
			return err
		}
	}
	if err := a.mainSiteArgs(a.HostedZoneID).Validate(); err != nil {
		return validate.Within("MainSite", err)
	}
	if err := a.errorSiteArgs(a.HostedZoneID).Validate(); err != nil {
		return validate.Within("ErrorSite", err)
	}
	// FailoverDNS's edge rules name its Edge, which FailoverMode sets.
	return validate.Rename(validate.Within("FailoverDNS", a.dnsArgs(a.HostedZoneID).Validate()), func(path string) string {
		if path == "FailoverDNS.Edge" {
			return "FailoverMode"
		}
		return path
	})
}

// validateOrigin checks edge mode's own fields, so that their errors name them.
func (a *Args) validateOrigin() error {
	return validate.Rename(a.origin().ValidateFor(a.Domain, certificate.Names(a.Domain, a.AlternateNames)), originField)
}

// originField names an edgeorigin.Origin field as the Args field that sets it.
func originField(path string) string {
	switch path {
	case "Name":
		return "OriginName"
	case "Secret":
		return "OriginSecret"
	case "PreviousSecret":
		return "PreviousOriginSecret"
	}
	return path
}

// New builds the topology in the region of its provider (a pulumi.Provider option, else the
// stack's default provider); in us-east-1 one certificate serves both sites. The main site goes
// first: it reads the account (instance types,
// images, subnets) before anything is created, so a stack that cannot run fails before it
// touches AWS. The hosted zone it creates and the certificate it shares in us-east-1 are
// created after it and handed to it as deferred outputs.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*FailoverSite, error) {
	if args == nil {
		args = &Args{}
	}
	if err := args.Validate(); err != nil {
		return nil, err
	}
	// What Validate cannot see (a secret email or origin secret, given us-east-1 providers) is
	// checked now, before the main site registers anything.
	if args.edge() {
		if err := validate.Rename(args.origin().CheckSecretOutput(ctx.Context()), originField); err != nil {
			return nil, err
		}
	}
	if args.FailoverDNS.AlarmEmail != nil {
		if err := failoverdns.CheckEmail(ctx, args.FailoverDNS.AlarmEmail); err != nil {
			return nil, validate.Within("FailoverDNS", err)
		}
	}
	for _, given := range []struct {
		field, why string
		provider   *aws.Provider
	}{
		{"ErrorSite.CertificateProvider", "CloudFront only accepts certificates issued there", args.ErrorSite.CertificateProvider},
		{"FailoverDNS.AlarmProvider", "Route 53 health check metrics exist only there", args.FailoverDNS.AlarmProvider},
	} {
		if given.provider != nil {
			if err := useast1.Check(ctx, given.field, given.why, given.provider); err != nil {
				return nil, err
			}
		}
	}

	site := &FailoverSite{Mode: ModeDNS}
	if args.edge() {
		site.Mode = ModeEdge
	}
	// The region is read from the component's provider, which only the registration resolves:
	// the component's region input waits for it.
	regionInput, resolveRegion := deferredString(ctx)
	inputs := pulumi.Map{
		"domain":         pulumi.String(args.Domain),
		"alternateNames": pulumi.ToStringArray(args.AlternateNames),
		"region":         regionInput,
		"failoverMode":   pulumi.String(site.Mode),
	}
	if err := ctx.RegisterComponentResourceV2(Type, name, inputs, site, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(site)
	region, err := providerRegion(ctx, parent)
	resolveRegion(pulumi.String(region).ToStringOutput())
	if err != nil {
		return nil, err
	}

	var later []func() error
	zoneID, createZone := site.zone(ctx, name, args, parent)
	if createZone != nil {
		later = append(later, createZone)
	}
	mainArgs, errorArgs, dnsArgs := args.mainSiteArgs(zoneID), args.errorSiteArgs(zoneID), args.dnsArgs(zoneID)
	if args.AccessLogs {
		logsArgs := &accesslogs.Args{Region: region, Tags: args.Tags}
		if logsArgs.Validate() != nil {
			return nil, validate.Invalid("AccessLogs", "true", "false in "+region+": CloudFront delivers no standard logs to a bucket there")
		}
		if site.AccessLogs, err = accesslogs.New(ctx, naming.Child(name, "logs"), logsArgs, parent); err != nil {
			return nil, err
		}
		if mainArgs.AccessLogs == nil {
			mainArgs.AccessLogs = &site.AccessLogs.LoadBalancer
		}
		if errorArgs.AccessLogs == nil {
			errorArgs.AccessLogs = &site.AccessLogs.Distribution
		}
	}

	oneCertificate := region == useast1.Region && mainArgs.CertificateARN == nil && errorArgs.CertificateARN == nil
	if oneCertificate {
		// CloudFront and the load balancer are in the same region: one certificate, one set
		// of validation records.
		arn, resolve := deferredString(ctx)
		mainArgs.CertificateARN, errorArgs.CertificateARN = arn, arn
		later = append(later, func() error {
			cert, err := certificate.New(ctx, naming.Child(name, "cert"), &certificate.Args{
				Domain: args.Domain, AlternateNames: args.AlternateNames, ZoneID: zoneID, Tags: args.Tags,
			}, parent)
			if err != nil {
				return err
			}
			resolve(cert.CertificateARN)
			return nil
		})
	}

	if site.MainSite, err = mainsite.New(ctx, naming.Child(name, "main"), &mainArgs, parent); err != nil {
		return nil, validate.Within("MainSite", err)
	}
	for _, create := range later {
		if err := create(); err != nil {
			return nil, err
		}
	}

	// One us-east-1 provider for whatever must live there: CloudFront's certificate (unless
	// the stack is in us-east-1 itself) and the failover alarm.
	if (region != useast1.Region && errorArgs.NeedsUSEast1Provider()) || dnsArgs.NeedsUSEast1Provider() {
		east, err := useast1.NewProvider(ctx, name, parent)
		if err != nil {
			return nil, err
		}
		if errorArgs.CertificateProvider == nil {
			errorArgs.CertificateProvider = east
		}
		if dnsArgs.AlarmProvider == nil {
			dnsArgs.AlarmProvider = east
		}
	}
	if errorArgs.CertificateARN == nil && errorArgs.ValidationRecordsOf == nil {
		// Both certificates ask for the same validation records: the main site's writes them,
		// the error site's reads them, so each record has one owner.
		errorArgs.ValidationRecordsOf = site.MainSite.Certificate
	}
	if errorArgs.Edge != nil {
		errorArgs.Edge.OriginReady = site.MainSite.Origin.Ready
	}
	if site.ErrorSite, err = errorsite.New(ctx, naming.Child(name, "error"), &errorArgs, parent); err != nil {
		return nil, validate.Within("ErrorSite", err)
	}
	dnsArgs.Primary = failoverdns.Target{DNSName: site.MainSite.DNSName, ZoneID: site.MainSite.ZoneID, IPv6: site.MainSite.IPv6}
	dnsArgs.Secondary = failoverdns.Target{DNSName: site.ErrorSite.DomainName, ZoneID: site.ErrorSite.ZoneID, IPv6: site.ErrorSite.IPv6,
		DistributionID: site.ErrorSite.Distribution.ID()}
	if site.DNS, err = failoverdns.New(ctx, naming.Child(name, "dns"), &dnsArgs, parent); err != nil {
		return nil, validate.Within("FailoverDNS", err)
	}

	target, check := site.MainSite.Settings, site.DNS.Settings
	settings := estimate.Settings{
		TargetInterval: target.Interval, TargetUnhealthyThreshold: target.UnhealthyThreshold,
		HealthCheckInterval: check.Interval, HealthCheckFailureThreshold: check.FailureThreshold,
	}
	if e := errorArgs.Edge; e != nil {
		e := e.WithDefaults()
		settings.Origin = &estimate.Origin{ConnectionAttempts: *e.ConnectionAttempts, ConnectionTimeout: *e.ConnectionTimeout, ReadTimeout: *e.ReadTimeout}
	}
	site.Estimate = estimate.Compute(settings)
	site.SiteURL = pulumi.Sprintf("https://%s", args.Domain)

	return site, ctx.RegisterResourceOutputs(site, pulumi.Map{
		"zoneId":        site.ZoneID,
		"nameServers":   site.NameServers,
		"siteUrl":       site.SiteURL,
		"mainSiteUrl":   site.MainSite.URL,
		"errorSiteUrl":  site.ErrorSite.URL,
		"healthCheckId": site.DNS.HealthCheckID,
	})
}

// deferredString is a string output resolved later from another output (a resource created
// after the one that needs it), with that output's dependencies.
func deferredString(ctx *pulumi.Context) (pulumi.StringOutput, func(pulumi.StringOutput)) {
	out, resolve := pulumi.DeferredOutput[string](ctx.Context())
	return pulumi.StringOutput{OutputState: out.OutputState}, func(o pulumi.StringOutput) { resolve(o) }
}

// zone returns the hosted zone's id: the given one, or the public zone of the domain looked up
// by name, or, with CreateHostedZone, the zone that create (to call once the main site has
// checked the account) makes, protected from deletion.
func (site *FailoverSite) zone(ctx *pulumi.Context, name string, args *Args, parent pulumi.ResourceOrInvokeOption) (pulumi.StringOutput, func() error) {
	site.NameServers = pulumi.StringArray{}.ToStringArrayOutput()
	switch {
	case args.HostedZoneID != nil:
		site.ZoneID = args.HostedZoneID.ToStringOutput()
	case args.CreateHostedZone:
		zoneID, resolve := deferredString(ctx)
		site.ZoneID = zoneID
		return zoneID, func() error {
			zoneName := naming.Child(name, "zone")
			zone, err := route53.NewZone(ctx, zoneName, &route53.ZoneArgs{
				Name:    pulumi.String(args.Domain),
				Comment: pulumi.String("Public zone of " + args.Domain + ", managed by route53-failover"),
				Tags:    naming.Tags(name, zoneName, args.Tags),
			}, parent, pulumi.Protect(true))
			if err != nil {
				return err
			}
			resolve(zone.ZoneId)
			// What the component exposes is the zone's own outputs, which pulumi.Run awaits
			// (it does not await a deferred output's applies).
			site.ZoneID, site.NameServers = zone.ZoneId, zone.NameServers
			return nil
		}
	default:
		site.ZoneID = route53.LookupZoneOutput(ctx, route53.LookupZoneOutputArgs{
			Name:        pulumi.String(args.Domain),
			PrivateZone: pulumi.Bool(false),
		}, parent).ZoneId()
	}
	return site.ZoneID, nil
}
