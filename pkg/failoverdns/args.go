package failoverdns

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/optional"
	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
)

// Defaults and AWS's limits for the Route 53 health check (Route 53 Developer Guide, "Values
// that you specify when you create or update health checks").
const (
	DefaultPath             = "/"
	DefaultInterval         = 10
	DefaultFailureThreshold = 2
	MinFailureThreshold     = 1
	MaxFailureThreshold     = 10
	MinCheckerRegions       = 3

	// ErrorRateThreshold and ErrorRateMinutes make the edge-mode error-rate alarm: more than
	// this percent of requests answered with a 5xx, each minute for this many minutes.
	ErrorRateThreshold = 5
	ErrorRateMinutes   = 5
)

// Intervals returns the request intervals Route 53 offers: fast and standard.
func Intervals() []int { return []int{10, 30} }

// CheckerRegions returns the regions Route 53 health checkers run from.
func CheckerRegions() []string {
	return []string{
		"ap-northeast-1", "ap-southeast-1", "ap-southeast-2", "eu-west-1",
		"sa-east-1", "us-east-1", "us-west-1", "us-west-2",
	}
}

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
	// DistributionID is the id of the target when it is a CloudFront distribution. Required for
	// Secondary with Edge and AlarmEmail: the alarm then also watches the distribution's 5xx
	// error rate. Default nil.
	DistributionID pulumi.StringInput
}

// CheckSettings are the Route 53 health check as it is built: Args with the defaults applied.
type CheckSettings struct {
	// Path is HealthCheckPath.
	Path string
	// Interval and FailureThreshold are HealthCheckInterval and HealthCheckFailureThreshold.
	Interval, FailureThreshold int
	// Regions are the checker regions, sorted; nil for all of CheckerRegions.
	Regions []string
	// Inverted is FailoverDrill.
	Inverted bool
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
	// HealthCheckRegions are the checker regions, at least 3 of CheckerRegions, in any order.
	// Default none: all of them.
	HealthCheckRegions []string
	// FailoverDrill inverts the health check, so that Route 53 serves the secondary while the
	// primary is up: a drill. Set it back to false to end the drill. Default false.
	FailoverDrill bool
	// Edge publishes each name as a plain alias (A, and AAAA when Secondary serves IPv6) to
	// Secondary, a CloudFront distribution that fails over per request by itself (edge mode):
	// no failover records, and Primary is not used. The health check then requests Names[0]
	// through the distribution, over HTTPS: Route 53's checkers cannot reach a load balancer
	// that admits only CloudFront, and a request the main site fails comes back with the error
	// status, so the check fails (and the alarm fires) while the main site is down. Default
	// false.
	Edge bool

	// AlarmEmail, when set, receives a message when the health check fails and when it
	// recovers (an SNS topic, an email subscription to confirm, and a CloudWatch alarm, all in
	// us-east-1), and with Edge also when over ErrorRateThreshold percent of the distribution's
	// answers are 5xx for ErrorRateMinutes minutes (a second alarm). A secret (config.RequireSecret, pulumi.ToSecret) stays secret in the
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
}

// NeedsUSEast1Provider reports whether New makes a us-east-1 provider of its own: it makes the
// alarm, and was given no provider for it.
func (a Args) NeedsUSEast1Provider() bool {
	return a.AlarmEmail != nil && a.AlarmProvider == nil
}

// WithDefaults returns the args with every unset field at its default.
func (a Args) WithDefaults() Args {
	a.HealthCheckPath = optional.String(a.HealthCheckPath, DefaultPath)
	a.HealthCheckInterval = optional.Int(a.HealthCheckInterval, DefaultInterval)
	a.HealthCheckFailureThreshold = optional.Int(a.HealthCheckFailureThreshold, DefaultFailureThreshold)
	return a
}

// Settings returns the health check these args build.
func (a Args) Settings() CheckSettings {
	a = a.WithDefaults()
	c := CheckSettings{Path: a.HealthCheckPath, Interval: *a.HealthCheckInterval, FailureThreshold: *a.HealthCheckFailureThreshold, Inverted: a.FailoverDrill}
	if len(a.HealthCheckRegions) > 0 {
		c.Regions = sortedRegions(a.HealthCheckRegions)
	}
	return c
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
	h := a.Settings()
	if err := validate.HealthCheckPath("HealthCheckPath", h.Path); err != nil {
		return err
	}
	if err := validate.OneOf("HealthCheckInterval", h.Interval, Intervals()...); err != nil {
		return err
	}
	if err := validate.IntRange("HealthCheckFailureThreshold", h.FailureThreshold, MinFailureThreshold, MaxFailureThreshold); err != nil {
		return err
	}
	if h.Regions != nil {
		if err := checkRegions("HealthCheckRegions", a.HealthCheckRegions); err != nil {
			return err
		}
	}
	if a.Edge && a.FailoverDrill {
		return validate.Invalid("FailoverDrill", "true",
			"false in edge mode (Edge): the health check steers no record there; drill by taking the main site's targets away (failover drill -method deregister)", "Edge")
	}
	if email, ok := a.AlarmEmail.(pulumi.String); ok {
		return validate.Email("AlarmEmail", string(email))
	}
	return nil
}

func checkRegions(field string, regions []string) error {
	known := map[string]bool{}
	for _, r := range CheckerRegions() {
		known[r] = true
	}
	seen := map[string]bool{}
	for _, r := range regions {
		if !known[r] || seen[r] {
			return validate.Invalid(field, strings.Join(regions, ","),
				"distinct Route 53 checker regions, from: "+strings.Join(CheckerRegions(), ", "))
		}
		seen[r] = true
	}
	if len(regions) < MinCheckerRegions {
		return validate.Invalid(field, strings.Join(regions, ","),
			fmt.Sprintf("at least %d checker regions (Route 53's minimum), or none for all %d", MinCheckerRegions, len(CheckerRegions())))
	}
	return nil
}

// sortedRegions returns the regions in a stable order, so reordering never changes the check.
func sortedRegions(regions []string) []string {
	out := append([]string(nil), regions...)
	sort.Strings(out)
	return out
}
