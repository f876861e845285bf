package edgefailover

import (
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/healthcheck"
	"github.com/seed-2b23e6e5/route53-failover/internal/optional"
	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/accesslogs"
	"github.com/seed-2b23e6e5/route53-failover/pkg/certificate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/edgeorigin"
	"github.com/seed-2b23e6e5/route53-failover/pkg/errorsite"
)

// Defaults and CloudFront's limits for the main site as an origin (CloudFront Developer Guide,
// "Origin settings",
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesOrigin.html).
const (
	DefaultConnectionAttempts = 1
	DefaultConnectionTimeout  = 3
	DefaultReadTimeout        = 10

	MinConnectionAttempts, MaxConnectionAttempts = 1, 3
	MinConnectionTimeout, MaxConnectionTimeout   = 1, 10
	MinReadTimeout, MaxReadTimeout               = 1, 60
)

// OriginGroup is what the distribution's default behaviour targets: the main site first, and the
// error bucket for a request the main site fails.
type OriginGroup struct {
	// Primary is the main site. Required.
	Primary MainOrigin
	// Fallback is the error bucket. Required.
	Fallback BucketOrigin
}

// MainOrigin is the main site as CloudFront reaches it.
type MainOrigin struct {
	// Origin is its name (Origin.Name, not a served name; the load balancer's certificate must
	// cover it) and the secret sent with every request in edgeorigin.SecretHeader
	// (Origin.Secret, kept secret in the distribution's state). Give it the value given to
	// mainsite.Args.CloudFrontOrigin. Required.
	Origin edgeorigin.Origin
	// Ready are resources the distribution waits for before it sends requests to Origin.Name:
	// its DNS record and the listener certificate that covers it (mainsite.MainSite.Origin.Ready).
	// Default none.
	Ready []pulumi.Resource
	// ConnectionAttempts is how many times CloudFront tries to connect to the main site, and
	// asks it again after a read timeout, before it fails over, 1-3. Default 1: a second attempt
	// only doubles the wait on a dead or hung server.
	ConnectionAttempts *int
	// ConnectionTimeout is the seconds CloudFront waits for a connection to the main site, 1-10.
	// Default 3: a connection within the AWS network takes milliseconds, and 3 s still covers one
	// lost SYN (resent after 1 s).
	ConnectionTimeout *int
	// ReadTimeout is the seconds CloudFront waits for the main site's response (and between its
	// packets) before it fails over, 1-60. Default 10, a third of CloudFront's 30: a hung server
	// costs each request this long. Pages slower than this are served the error page instead.
	ReadTimeout *int
}

// BucketOrigin is the error bucket as the distribution reads it: an errorsite.ErrorSite made with
// ServedBy (its PageKey at PageKey, the default).
type BucketOrigin struct {
	// DomainName is the bucket's regional domain name
	// (errorsite.ErrorSite.BucketRegionalDomainName). Required.
	DomainName pulumi.StringInput
	// OriginAccessControlID is the origin access control that signs the reads
	// (errorsite.ErrorSite.OriginAccessControlID). Required.
	OriginAccessControlID pulumi.StringInput
	// BucketARN, when set, is the bucket's ARN (errorsite.ErrorSite.BucketARN): EdgeFailover then
	// writes the bucket's policy, which lets only its distribution read the bucket
	// (errorsite.BucketPolicy), and publishes the served names once the policy is in place. Set
	// it when the error site's ServedBy has no DistributionARN, as a program in another language
	// does. Default nil: the error site writes the policy (errorsite.ServedBy.DistributionARN).
	BucketARN pulumi.StringInput
	// Ready are resources the distribution, and the bucket policy it writes, wait for: the page
	// (errorsite.ErrorSite.Ready). Default none.
	Ready []pulumi.Resource
}

// Args configure an EdgeFailover.
type Args struct {
	// Domain is the apex name served, such as example.com: an alias of the distribution, and a
	// record in ZoneID. Required.
	Domain string
	// AlternateNames are more names served the same way, each inside Domain's zone. Default none.
	AlternateNames []string
	// ZoneID is the public hosted zone that holds the records. Required.
	ZoneID pulumi.StringInput
	// CertificateARN is an issued us-east-1 ACM certificate for Domain and AlternateNames
	// (errorsite.ErrorSite.CertificateARN). Required.
	CertificateARN pulumi.StringInput
	// Origins are the main site and the error bucket. Required.
	Origins OriginGroup
	// ErrorResponseCode is the status a request the main site fails gets with the error page, a
	// 4xx or 5xx of errorsite.ResponseCodes: the health check reads the site through the
	// distribution, and a failed request answered 2xx or 3xx would keep it green. Default 503.
	ErrorResponseCode *int
	// PriceClass is the distribution's price class, one of errorsite.PriceClasses. Default
	// "PriceClass_100" (North America and Europe edges).
	PriceClass string
	// IPv6 lets viewers reach the distribution over IPv6, and publishes AAAA records. Default
	// false.
	IPv6 bool
	// AccessLogs, when set, is where the distribution writes its standard logs (an
	// accesslogs.AccessLogs' Distribution), cookies left out. Default nil: no access logs.
	AccessLogs *accesslogs.Destination

	// HealthCheckPath is requested over HTTPS on port 443 of Domain, through the distribution:
	// Route 53's checkers cannot reach a load balancer that admits only CloudFront, and a
	// request the main site fails comes back with ErrorResponseCode, so the check fails (and
	// the alarm fires) while the main site is down. It steers nothing. Default "/".
	HealthCheckPath string
	// HealthCheckInterval is the seconds between checks from each checker, 10 (fast) or 30.
	// Default 10. Changing it replaces the health check.
	HealthCheckInterval *int
	// HealthCheckFailureThreshold is the consecutive failures (and successes) that change the
	// check's status, 1-10. Default 2.
	HealthCheckFailureThreshold *int
	// HealthCheckRegions are the checker regions, at least 3 of Route 53's eight, in any order
	// (see failoverdns.Args). Default none: all of them.
	HealthCheckRegions []string
	// AlarmEmail, when set, receives a message when the health check fails and when it
	// recovers, and when over 5% of the distribution's answers are 5xx for 5 minutes (an SNS
	// topic, an email subscription to confirm, and two CloudWatch alarms, all in us-east-1). A
	// secret stays secret in the subscription's state; an error about it does not show it.
	// Default nil: no alarm.
	AlarmEmail pulumi.StringInput
	// AlarmProvider is the provider for the alarm's resources; its region must be us-east-1.
	// Default: the function's provider.
	AlarmProvider *aws.Provider
	// FunctionProvider is the provider for the Lambda@Edge function and its role; its region must
	// be us-east-1, as Lambda@Edge requires. Default: EdgeFailover creates its own us-east-1
	// provider with every other aws: setting of the stack (see useast1.Provider).
	FunctionProvider *aws.Provider

	// Tags are added to every taggable child. Default none.
	Tags pulumi.StringMap
	// Moved, when set, returns the aliases (pulumi.Alias) of the child whose name is the
	// component's and this suffix ("cdn", "health", "example.com-A"): the URNs it had before,
	// under another component or name, so that moving it replaces nothing. FailoverSite sets it
	// for what moves to and from ErrorSite and FailoverDNS when the failover mode switches.
	// Default nil: no aliases.
	Moved func(suffix string) []pulumi.Alias
}

// WithDefaults returns the args with every unset field at its default.
func (a Args) WithDefaults() Args {
	p := &a.Origins.Primary
	p.ConnectionAttempts = optional.Int(p.ConnectionAttempts, DefaultConnectionAttempts)
	p.ConnectionTimeout = optional.Int(p.ConnectionTimeout, DefaultConnectionTimeout)
	p.ReadTimeout = optional.Int(p.ReadTimeout, DefaultReadTimeout)
	a.ErrorResponseCode = optional.Int(a.ErrorResponseCode, errorsite.DefaultErrorResponseCode)
	a.PriceClass = optional.String(a.PriceClass, errorsite.DefaultPriceClass)
	return a
}

// Settings returns the health check these args build.
func (a Args) Settings() healthcheck.Settings {
	return healthcheck.SettingsOf(a.HealthCheckPath, a.HealthCheckInterval, a.HealthCheckFailureThreshold,
		a.HealthCheckRegions, false)
}

// ErrorResponseCodes returns the statuses ErrorResponseCode may be: errorsite.ResponseCodes that
// are errors.
func ErrorResponseCodes() []int {
	return slices.DeleteFunc(errorsite.ResponseCodes(), func(code int) bool { return code < 400 })
}

// Validate checks the values of args after defaults (New also needs the zone, the certificate
// and the bucket). Errors name the Args field.
func (a Args) Validate() error {
	a = a.WithDefaults()
	served := certificate.Names(a.Domain, a.AlternateNames)
	if err := validate.ServedNames("Domain", a.Domain, "AlternateNames", a.AlternateNames); err != nil {
		return err
	}
	p := a.Origins.Primary
	if err := validate.Within("Origins.Primary.Origin", p.Origin.ValidateFor(a.Domain, served)); err != nil {
		return err
	}
	for _, limit := range []struct {
		field    string
		value    int
		min, max int
	}{
		{"Origins.Primary.ConnectionAttempts", *p.ConnectionAttempts, MinConnectionAttempts, MaxConnectionAttempts},
		{"Origins.Primary.ConnectionTimeout", *p.ConnectionTimeout, MinConnectionTimeout, MaxConnectionTimeout},
		{"Origins.Primary.ReadTimeout", *p.ReadTimeout, MinReadTimeout, MaxReadTimeout},
	} {
		if err := validate.IntRange(limit.field, limit.value, limit.min, limit.max); err != nil {
			return err
		}
	}
	if bucketARN, ok := a.Origins.Fallback.BucketARN.(pulumi.String); ok {
		if _, err := errorsite.BucketNameOf(string(bucketARN)); err != nil {
			return validate.Within("Origins.Fallback", err)
		}
	}
	if err := validate.OneOf("ErrorResponseCode", *a.ErrorResponseCode, ErrorResponseCodes()...); err != nil {
		return err
	}
	if !slices.Contains(errorsite.PriceClasses(), a.PriceClass) {
		return validate.Invalid("PriceClass", a.PriceClass, "one of "+strings.Join(errorsite.PriceClasses(), ", "))
	}
	if err := a.Settings().Validate(); err != nil {
		return err
	}
	return healthcheck.ValidateEmail(a.AlarmEmail)
}
