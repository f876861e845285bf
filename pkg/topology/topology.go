// Package topology owns the whole failover site as one component: it resolves (or creates) the
// hosted zone, composes the main site, the error site and the failover (Route 53 records, or in
// edge mode a CloudFront origin group per request) from one Args struct, shares one certificate
// between the sites where the regions allow, keeps every resource's URN when the mode switches,
// and estimates how long a failover takes. It is what the stack program runs, and what another
// Go stack imports to get the whole topology.
package topology

import (
	"reflect"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/healthcheck"
	"github.com/seed-2b23e6e5/route53-failover/internal/naming"
	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/accesslogs"
	"github.com/seed-2b23e6e5/route53-failover/pkg/certificate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/edgefailover"
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
	// ErrorSite configures the error site, likewise (see errorsite.Args). Default: every field
	// at its own default.
	ErrorSite errorsite.Args
	// FailoverDNS configures the failover records and the health check (see failoverdns.Args).
	// Its ZoneID, Names, targets and AlarmProvider are set from the topology; its
	// HealthCheckPath defaults to the main site's. In edge mode its health check and alarm
	// settings go to the edge front door, and FailoverDrill must be false.
	FailoverDNS failoverdns.Args
	// FailoverMode is how the site fails over: ModeDNS ("dns") or ModeEdge ("edge"). Default
	// "dns". In edge mode MainSite.CloudFrontOrigin and the front door's origins are set from
	// these Args: one edgeorigin.Origin goes to both.
	FailoverMode string
	// Edge configures the front door of edge mode (see edgefailover.Args): the timeouts of its
	// main-site origin (Origins.Primary.ConnectionAttempts, ConnectionTimeout, ReadTimeout) may
	// be given; everything else is set from these Args (the names, zone and certificate, the
	// error site's bucket, ErrorResponseCode, PriceClass and access logs, MainSite.IPv6, and
	// FailoverDNS's health check and alarm). Only when FailoverMode is edge. Default: each
	// timeout at edgefailover's default.
	Edge edgefailover.Args
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
	// MainSite and ErrorSite are the sites.
	MainSite  *mainsite.MainSite
	ErrorSite *errorsite.ErrorSite
	// DNS is the failover records of dns mode (nil in edge mode).
	DNS *failoverdns.FailoverDNS
	// Edge is the front door of edge mode (nil in dns mode).
	Edge *edgefailover.EdgeFailover
	// HealthCheckID is the Route 53 health check of the main site (DNS's, or Edge's).
	HealthCheckID pulumi.StringOutput
	// ErrorSiteURL is https:// and the *.cloudfront.net name of the distribution that serves the
	// error page (ErrorSite's, or Edge's), for diagnosis.
	ErrorSiteURL pulumi.StringOutput
	// DistributionID and DistributionDomainName are that distribution's.
	DistributionID, DistributionDomainName pulumi.StringOutput
	// Names are the served names: Domain, then AlternateNames.
	Names []string
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
	return e
}

// dnsArgs fills the failover records' args from the topology's; the targets are set in New.
func (a *Args) dnsArgs(zoneID pulumi.StringInput) failoverdns.Args {
	d := a.FailoverDNS
	d.ZoneID = zoneID
	d.Names = certificate.Names(a.Domain, a.AlternateNames)
	if d.HealthCheckPath == "" {
		d.HealthCheckPath = a.MainSite.TargetCheck().Path
	}
	if d.Tags == nil {
		d.Tags = a.Tags
	}
	return d
}

// edgeArgs fills the front door's args from the topology's (and from dnsArgs, for the health
// check and the alarm); the certificate and the error bucket are set in New.
func (a *Args) edgeArgs(zoneID pulumi.StringInput) edgefailover.Args {
	e, d, site := a.Edge, a.dnsArgs(zoneID), a.ErrorSite
	e.Domain, e.AlternateNames, e.ZoneID, e.Tags = a.Domain, a.AlternateNames, zoneID, d.Tags
	e.Origins.Primary.Origin = a.origin()
	e.ErrorResponseCode, e.PriceClass, e.AccessLogs, e.IPv6 = site.ErrorResponseCode, site.PriceClass, site.AccessLogs, a.MainSite.IPv6
	e.HealthCheckPath, e.HealthCheckInterval, e.HealthCheckFailureThreshold = d.HealthCheckPath, d.HealthCheckInterval, d.HealthCheckFailureThreshold
	e.HealthCheckRegions, e.AlarmEmail, e.AlarmProvider = d.HealthCheckRegions, d.AlarmEmail, d.AlarmProvider
	return e
}

// edgeField names an edgefailover.Args field as the topology's field that sets it.
func edgeField(path string) string {
	switch {
	case path == "ErrorResponseCode", path == "PriceClass":
		return "ErrorSite." + path
	case strings.HasPrefix(path, "HealthCheck"), strings.HasPrefix(path, "Alarm"):
		return "FailoverDNS." + path
	case strings.HasPrefix(path, "Origins.Primary.Origin."):
		return originField(strings.TrimPrefix(path, "Origins.Primary.Origin."))
	}
	return "Edge." + path
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
			{"MainSite.CloudFrontOrigin", a.MainSite.CloudFrontOrigin != nil}, {"Edge", !reflect.ValueOf(a.Edge).IsZero()},
		} {
			if part.set {
				return validate.Invalid(part.field, "set", "unset unless FailoverMode is edge, which sets it", "FailoverMode")
			}
		}
	}
	if a.edge() {
		if a.FailoverDNS.FailoverDrill {
			return validate.Invalid("FailoverDNS.FailoverDrill", "true",
				"false in edge mode (FailoverMode): the health check steers no record there; drill by taking the main site's targets away (failover drill -method deregister)", "FailoverMode")
		}
		// First, so that an origin's errors name the topology's fields, not the main site's.
		if err := validate.Rename(a.edgeArgs(a.HostedZoneID).Validate(), edgeField); err != nil {
			return err
		}
	}
	if err := a.mainSiteArgs(a.HostedZoneID).Validate(); err != nil {
		return validate.Within("MainSite", err)
	}
	if err := a.errorSiteArgs(a.HostedZoneID).Validate(); err != nil {
		return validate.Within("ErrorSite", err)
	}
	if a.edge() {
		return nil
	}
	return validate.Within("FailoverDNS", a.dnsArgs(a.HostedZoneID).Validate())
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
		if err := healthcheck.CheckEmail(ctx, args.FailoverDNS.AlarmEmail); err != nil {
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

	site := &FailoverSite{Mode: ModeDNS, Names: certificate.Names(args.Domain, args.AlternateNames)}
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
	mainArgs, errorArgs, dnsArgs, edgeArgs := args.mainSiteArgs(zoneID), args.errorSiteArgs(zoneID), args.dnsArgs(zoneID), args.edgeArgs(zoneID)
	edgeArgs.Moved, errorArgs.Moved, dnsArgs.Moved = site.moves(ctx, name, site.Names)
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
		if edgeArgs.AccessLogs == nil {
			edgeArgs.AccessLogs = &site.AccessLogs.Distribution
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

	// One us-east-1 provider for whatever must live there: CloudFront's certificate and the
	// Lambda@Edge function (unless the stack is in us-east-1 itself) and the failover alarm.
	edgeFunction := args.edge() && edgeArgs.FunctionProvider == nil
	if (region != useast1.Region && (errorArgs.NeedsUSEast1Provider() || edgeFunction)) || dnsArgs.NeedsUSEast1Provider() {
		east, err := useast1.NewProvider(ctx, name, parent)
		if err != nil {
			return nil, err
		}
		if errorArgs.CertificateProvider == nil {
			errorArgs.CertificateProvider = east
		}
		if dnsArgs.AlarmProvider == nil {
			dnsArgs.AlarmProvider, edgeArgs.AlarmProvider = east, east
		}
		if edgeArgs.FunctionProvider == nil {
			edgeArgs.FunctionProvider = east
		}
	}
	if errorArgs.CertificateARN == nil && errorArgs.ValidationRecordsOf == nil {
		// Both certificates ask for the same validation records: the main site's writes them,
		// the error site's reads them, so each record has one owner.
		errorArgs.ValidationRecordsOf = site.MainSite.Certificate
	}
	// In edge mode the front door serves the page from the error site's bucket; the bucket's
	// policy names the distribution, made after the bucket.
	var resolveDistributionARN func(pulumi.StringOutput)
	if args.edge() {
		var distributionARN pulumi.StringOutput
		distributionARN, resolveDistributionARN = deferredString(ctx)
		errorArgs.ServedBy = &errorsite.ServedBy{DistributionARN: distributionARN, PageKey: edgefailover.PageKey}
	}
	if site.ErrorSite, err = errorsite.New(ctx, naming.Child(name, "error"), &errorArgs, parent); err != nil {
		return nil, validate.Within("ErrorSite", err)
	}
	var settings estimate.Settings
	if args.edge() {
		edgeArgs.CertificateARN = site.ErrorSite.CertificateARN
		edgeArgs.Origins.Primary.Ready = site.MainSite.Origin.Ready
		edgeArgs.Origins.Fallback = edgefailover.BucketOrigin{DomainName: site.ErrorSite.BucketRegionalDomainName,
			OriginAccessControlID: site.ErrorSite.OriginAccessControlID, Ready: site.ErrorSite.Ready}
		if site.Edge, err = edgefailover.New(ctx, naming.Child(name, "edge"), &edgeArgs, parent); err != nil {
			return nil, validate.Rename(err, edgeField)
		}
		resolveDistributionARN(site.Edge.DistributionARN)
		site.HealthCheckID, site.ErrorSiteURL = site.Edge.HealthCheckID, site.Edge.URL
		site.DistributionID, site.DistributionDomainName = site.Edge.DistributionID, site.Edge.DomainName
		p := edgeArgs.WithDefaults().Origins.Primary
		settings.Origin = &estimate.Origin{ConnectionAttempts: *p.ConnectionAttempts, ConnectionTimeout: *p.ConnectionTimeout, ReadTimeout: *p.ReadTimeout}
		settings.HealthCheckInterval, settings.HealthCheckFailureThreshold = site.Edge.Settings.Interval, site.Edge.Settings.FailureThreshold
	} else {
		dnsArgs.Primary = failoverdns.Target{DNSName: site.MainSite.DNSName, ZoneID: site.MainSite.ZoneID, IPv6: site.MainSite.IPv6}
		dnsArgs.Secondary = failoverdns.Target{DNSName: site.ErrorSite.DomainName, ZoneID: site.ErrorSite.ZoneID, IPv6: site.ErrorSite.IPv6}
		if site.DNS, err = failoverdns.New(ctx, naming.Child(name, "dns"), &dnsArgs, parent); err != nil {
			return nil, validate.Within("FailoverDNS", err)
		}
		site.HealthCheckID, site.ErrorSiteURL = site.DNS.HealthCheckID, site.ErrorSite.URL
		site.DistributionID, site.DistributionDomainName = site.ErrorSite.DistributionID, site.ErrorSite.DomainName
		settings.HealthCheckInterval, settings.HealthCheckFailureThreshold = site.DNS.Settings.Interval, site.DNS.Settings.FailureThreshold
	}
	settings.TargetInterval, settings.TargetUnhealthyThreshold = site.MainSite.Settings.Interval, site.MainSite.Settings.UnhealthyThreshold
	site.Estimate = estimate.Compute(settings)
	site.SiteURL = pulumi.Sprintf("https://%s", args.Domain)

	return site, ctx.RegisterResourceOutputs(site, pulumi.Map{
		"zoneId":        site.ZoneID,
		"nameServers":   site.NameServers,
		"siteUrl":       site.SiteURL,
		"mainSiteUrl":   site.MainSite.URL,
		"errorSiteUrl":  site.ErrorSiteURL,
		"healthCheckId": site.HealthCheckID,
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

// counterpart is where a child of the edge front door lives outside edge mode, or lived in edge
// mode before the front door was a component of its own: the part ("error", "dns") and the
// suffix of its name there.
type counterpart struct{ part, suffix string }

// counterparts maps the suffix of each child of the edge front door to its counterpart.
func counterparts(served []string) map[string]counterpart {
	m := map[string]counterpart{
		"cdn": {"error", "cdn"}, "failover": {"error", "failover"}, "failover-role": {"error", "failover-role"},
		useast1.Region: {"error", useast1.Region},
		"health":       {"dns", "health"}, "alarm": {"dns", "alarm"}, "alarm-email": {"dns", "alarm-email"},
		"alarm-errors": {"dns", "alarm-errors"},
	}
	for _, name := range served {
		for _, recordType := range []string{"A", "AAAA"} {
			m[naming.Child(name, recordType)] = counterpart{"dns", naming.Child(name, recordType, "primary")}
		}
	}
	return m
}

// moves returns the Moved hooks of the edge front door, the error site and the failover records:
// each aliases a child to the URN of its counterpart, so that switching the failover mode (and
// the upgrade from the version whose edge mode lived in ErrorSite and FailoverDNS) updates the
// one AWS resource in place instead of replacing it.
func (site *FailoverSite) moves(ctx *pulumi.Context, name string, served []string) (edge, errorSite, dns func(string) []pulumi.Alias) {
	types := map[string]string{"edge": edgefailover.Type, "error": errorsite.Type, "dns": failoverdns.Type}
	alias := func(part, suffix string) []pulumi.Alias {
		partName := naming.Child(name, part)
		partURN := pulumi.CreateURN(pulumi.String(partName), pulumi.String(types[part]), site.URN(),
			pulumi.String(ctx.Project()), pulumi.String(ctx.Stack()))
		return []pulumi.Alias{{Name: pulumi.String(naming.Child(partName, suffix)), ParentURN: partURN}}
	}
	m := counterparts(served)
	edge = func(suffix string) []pulumi.Alias {
		if c, ok := m[suffix]; ok {
			return alias(c.part, c.suffix)
		}
		return nil
	}
	toEdge := func(part string) func(string) []pulumi.Alias {
		return func(suffix string) []pulumi.Alias {
			for edgeSuffix, c := range m {
				if c == (counterpart{part, suffix}) {
					return alias("edge", edgeSuffix)
				}
			}
			return nil
		}
	}
	return edge, toEdge("error"), toEdge("dns")
}
