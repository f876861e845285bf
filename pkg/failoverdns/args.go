package failoverdns

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/healthcheck"
	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
)

// Target is one end of the failover: an alias target.
type Target struct {
	// DNSName is the target's DNS name (an ALB's dnsName, a distribution's domainName). Required.
	DNSName pulumi.StringInput
	// ZoneID is the target's canonical hosted zone id (an ALB's zoneId; Z2FDTNDATAQYW2 for
	// CloudFront). Required.
	ZoneID pulumi.StringInput
	// IPv6 says the target answers over IPv6 (a dualstack ALB, a distribution with IPv6
	// enabled). Default false. AAAA records are published only when both ends say so.
	IPv6 bool
}

// Args configure a FailoverDNS.
type Args struct {
	// ZoneID is the public hosted zone that holds the records. Required.
	ZoneID pulumi.StringInput
	// Names are the names that fail over, each inside the zone, such as example.com and
	// www.example.com. Required: at least one.
	Names []string
	// Primary is what the names point at while it is healthy: a load balancer. Required.
	Primary Target
	// Secondary is what they point at otherwise: a CloudFront distribution. Required.
	Secondary Target
	// PrimaryEvaluateTargetHealth makes Route 53 also hold the primary unhealthy when its load
	// balancer has no healthy target. Default true (nil); set false for a primary that is not an
	// ELB.
	PrimaryEvaluateTargetHealth *bool

	// HealthCheckPath is requested over HTTPS on port 443 of the primary's DNS name; a 2xx or
	// 3xx answer within 2 s passes. Default "/".
	HealthCheckPath string
	// HealthCheckInterval is the seconds between checks from each checker, 10 (fast) or 30.
	// Default 10. Changing it replaces the health check.
	HealthCheckInterval *int
	// HealthCheckFailureThreshold is the consecutive failures (and successes) that change the
	// check's status, 1-10. Default 2.
	HealthCheckFailureThreshold *int
	// HealthCheckRegions are the checker regions, at least 3 of Route 53's eight
	// (ap-northeast-1, ap-southeast-1, ap-southeast-2, eu-west-1, sa-east-1, us-east-1,
	// us-west-1, us-west-2), in any order. Default none: all of them.
	HealthCheckRegions []string
	// FailoverDrill inverts the health check, so that Route 53 serves the secondary while the
	// primary is up: a drill. Set it back to false to end the drill. Default false.
	FailoverDrill bool

	// AlarmEmail, when set, receives a message when the health check fails and when it
	// recovers (an SNS topic, an email subscription to confirm, and a CloudWatch alarm, all in
	// us-east-1). A secret (config.RequireSecret, pulumi.ToSecret) stays secret in the
	// subscription's state. It is checked before anything is created; an error about a secret
	// does not show it. Default nil: no alarm.
	AlarmEmail pulumi.StringInput
	// AlarmProvider is the provider for the alarm's resources; its region must be us-east-1
	// (given to it, or taken from AWS_REGION when it was created without one). Default:
	// FailoverDNS creates its own us-east-1 provider with every other aws: setting of the stack
	// when AlarmEmail is set.
	AlarmProvider *aws.Provider
	// Tags are added to every taggable child. Default none.
	Tags pulumi.StringMap
	// Moved, when set, returns the aliases (pulumi.Alias) of the child whose name is the
	// component's and this suffix ("health", "example.com-A-primary"): the URNs it had before,
	// under another component or name, so that moving it replaces nothing. FailoverSite sets it
	// for what moves to and from edgefailover.EdgeFailover when the failover mode switches.
	// Default nil: no aliases.
	Moved func(suffix string) []pulumi.Alias
}

// NeedsUSEast1Provider reports whether New makes a us-east-1 provider of its own: it makes the
// alarm, and was given no provider for it.
func (a Args) NeedsUSEast1Provider() bool {
	return a.AlarmEmail != nil && a.AlarmProvider == nil
}

// WithDefaults returns the args with every unset field at its default.
func (a Args) WithDefaults() Args {
	s := a.Settings()
	a.HealthCheckPath, a.HealthCheckInterval, a.HealthCheckFailureThreshold = s.Path, &s.Interval, &s.FailureThreshold
	return a
}

// Settings returns the health check these args build.
func (a Args) Settings() CheckSettings {
	return healthcheck.SettingsOf(a.HealthCheckPath, a.HealthCheckInterval, a.HealthCheckFailureThreshold, a.HealthCheckRegions, a.FailoverDrill)
}

// Validate checks the values of args after defaults (New also needs the targets and the zone).
// Errors name the Args field.
func (a Args) Validate() error {
	if len(a.Names) == 0 {
		return validate.Invalid("Names", "", "at least one name to fail over")
	}
	seen := map[string]bool{}
	for i, n := range a.Names {
		field := fmt.Sprintf("Names[%d]", i)
		if err := validate.DomainName(field, n); err != nil {
			return err
		}
		if seen[n] {
			return validate.Invalid(field, n, "each name once")
		}
		seen[n] = true
	}
	if err := a.Settings().Validate(); err != nil {
		return err
	}
	return healthcheck.ValidateEmail(a.AlarmEmail)
}
