// Package healthcheck owns the Route 53 health check of a site and the alarm that tells its owner
// when the check fails and recovers. FailoverDNS steers its records by the check; EdgeFailover's
// distribution fails over by itself, and its check and alarm only tell. Both components' Args
// name the settings alike (HealthCheckPath, AlarmEmail, ...), and so do the errors here.
package healthcheck

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/naming"
	"github.com/seed-2b23e6e5/route53-failover/internal/optional"
	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/useast1"
)

// Defaults and AWS's limits for the Route 53 health check (Route 53 Developer Guide, "Values
// that you specify when you create or update health checks",
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html).
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

// Settings are the health check as it is built: the Args with their defaults applied.
type Settings struct {
	// Path is HealthCheckPath.
	Path string
	// Interval and FailureThreshold are HealthCheckInterval and HealthCheckFailureThreshold.
	Interval, FailureThreshold int
	// Regions are the checker regions, sorted; nil for all of CheckerRegions.
	Regions []string
	// Inverted is FailoverDrill.
	Inverted bool

	given []string // HealthCheckRegions as given, for Validate's errors
}

// SettingsOf applies the defaults to the Args fields of a check.
func SettingsOf(path string, interval, failureThreshold *int, regions []string, inverted bool) Settings {
	s := Settings{
		Path:             optional.String(path, DefaultPath),
		Interval:         *optional.Int(interval, DefaultInterval),
		FailureThreshold: *optional.Int(failureThreshold, DefaultFailureThreshold),
		Inverted:         inverted,
	}
	if len(regions) > 0 {
		// Sorted, so that reordering never changes the check.
		s.given, s.Regions = regions, slices.Sorted(slices.Values(regions))
	}
	return s
}

// Validate checks the settings; errors name the Args fields.
func (s Settings) Validate() error {
	if err := validate.HealthCheckPath("HealthCheckPath", s.Path); err != nil {
		return err
	}
	if err := validate.OneOf("HealthCheckInterval", s.Interval, Intervals()...); err != nil {
		return err
	}
	err := validate.IntRange("HealthCheckFailureThreshold", s.FailureThreshold, MinFailureThreshold, MaxFailureThreshold)
	if err != nil {
		return err
	}
	if s.Regions == nil {
		return nil
	}
	given := strings.Join(s.given, ",")
	for i, r := range s.Regions {
		if !slices.Contains(CheckerRegions(), r) || (i > 0 && s.Regions[i-1] == r) {
			return validate.Invalid("HealthCheckRegions", given,
				"distinct Route 53 checker regions, from: "+strings.Join(CheckerRegions(), ", "))
		}
	}
	if len(s.Regions) < MinCheckerRegions {
		return validate.Invalid("HealthCheckRegions", given,
			fmt.Sprintf("at least %d checker regions (Route 53's minimum), or none for all %d", MinCheckerRegions, len(CheckerRegions())))
	}
	return nil
}

// New makes the health check, named name-health, of https://fqdn:443 and the settings' path.
// HTTPS, because on 80 a load balancer answers its own 301, which passes even when every
// instance is down.
func New(ctx *pulumi.Context, name string, fqdn pulumi.StringInput, s Settings, tags pulumi.StringMap,
	opts ...pulumi.ResourceOption) (*route53.HealthCheck, error) {
	checkName := naming.Child(name, "health")
	args := &route53.HealthCheckArgs{
		Fqdn:              fqdn,
		Type:              pulumi.String("HTTPS"),
		Port:              pulumi.Int(443),
		EnableSni:         pulumi.Bool(true),
		ResourcePath:      pulumi.String(s.Path),
		RequestInterval:   pulumi.Int(s.Interval),
		FailureThreshold:  pulumi.Int(s.FailureThreshold),
		InvertHealthcheck: pulumi.Bool(s.Inverted),
		Tags:              naming.Tags(name, checkName, tags),
	}
	if s.Regions != nil {
		args.Regions = pulumi.ToStringArray(s.Regions)
	}
	return route53.NewHealthCheck(ctx, checkName, args, opts...)
}

// Alarm tells someone of a failover and of the recovery; it lives in us-east-1, where Route 53
// health check metrics are.
type Alarm struct {
	// Topic receives the alarm's notices.
	Topic *sns.Topic
	// Subscription delivers them by email; the address must confirm it.
	Subscription *sns.TopicSubscription
	// MetricAlarm watches the health check's status.
	MetricAlarm *cloudwatch.MetricAlarm
	// ErrorRateAlarm, in edge mode, watches the share of requests the distribution answers with
	// a 5xx (nil otherwise). It catches what the health check, a request every few seconds,
	// can miss: Lambda@Edge errors and throttles on some requests, which CloudFront answers
	// with 502 and 503 and does not fail over.
	ErrorRateAlarm *cloudwatch.MetricAlarm
}

// TopicARN is the ARN of the alarm's topic, empty without an alarm (a nil Alarm).
func (a *Alarm) TopicARN() pulumi.StringOutput {
	if a == nil {
		return pulumi.String("").ToStringOutput()
	}
	return a.Topic.Arn
}

// AlarmArgs are what an alarm needs beyond the health check.
type AlarmArgs struct {
	// Email receives the notices (AlarmEmail).
	Email pulumi.StringInput
	// Provider is a us-east-1 provider (AlarmProvider); nil makes one named after the component.
	Provider *aws.Provider
	// DistributionID, when set, adds the alarm on the distribution's 5xx error rate.
	DistributionID pulumi.StringInput
	// Tags are added to every taggable child.
	Tags pulumi.StringMap
	// Moved gives a child's aliases by its name's suffix (see naming.Moved).
	Moved naming.Moved
}

// NewAlarm tells Email when the health check fails and when it recovers, and, with a
// DistributionID, when too many of the distribution's answers are 5xx. Health check metrics exist
// only in us-east-1, so the topic and the alarms live there. Without an Email it makes nothing
// and returns nil.
func NewAlarm(ctx *pulumi.Context, name string, check *route53.HealthCheck, a AlarmArgs, parent pulumi.ResourceOption) (*Alarm, error) {
	if a.Email == nil {
		return nil, nil
	}
	provider, err := useast1.Provider(ctx, name, a.Provider, parent)
	if err != nil {
		return nil, err
	}
	inUSEast1 := pulumi.Provider(provider)
	alarm := &Alarm{}
	topicName := naming.Child(name, "alarm")
	if alarm.Topic, err = sns.NewTopic(ctx, topicName, &sns.TopicArgs{Tags: naming.Tags(name, topicName, a.Tags)},
		parent, inUSEast1, a.Moved.Of("alarm")); err != nil {
		return nil, err
	}
	if alarm.Subscription, err = sns.NewTopicSubscription(ctx, naming.Child(name, "alarm", "email"), &sns.TopicSubscriptionArgs{
		Topic:    alarm.Topic.Arn,
		Protocol: pulumi.String("email"),
		Endpoint: a.Email,
	}, parent, inUSEast1, a.Moved.Of("alarm", "email")); err != nil {
		return nil, err
	}
	// Each alarm looks at one-minute periods and tells the topic when it fires and when it
	// clears.
	watch := func(suffix []string, args cloudwatch.MetricAlarmArgs) (*cloudwatch.MetricAlarm, error) {
		alarmName := naming.Child(name, suffix...)
		args.Period = pulumi.Int(60)
		args.AlarmActions, args.OkActions = pulumi.Array{alarm.Topic.Arn}, pulumi.Array{alarm.Topic.Arn}
		args.Tags = naming.Tags(name, alarmName, a.Tags)
		return cloudwatch.NewMetricAlarm(ctx, alarmName, &args, parent, inUSEast1, a.Moved.Of(suffix...))
	}
	if alarm.MetricAlarm, err = watch([]string{"alarm"}, cloudwatch.MetricAlarmArgs{
		AlarmDescription: pulumi.String(fmt.Sprintf(
			"%s: the primary failed its Route 53 health check; the names fail over to the error page", name)),
		Namespace:          pulumi.String("AWS/Route53"),
		MetricName:         pulumi.String("HealthCheckStatus"),
		Dimensions:         pulumi.StringMap{"HealthCheckId": check.ID()},
		Statistic:          pulumi.String("Minimum"),
		EvaluationPeriods:  pulumi.Int(1),
		Threshold:          pulumi.Float64(1),
		ComparisonOperator: pulumi.String("LessThanThreshold"),
		// No data means no checker reports: count it as down, not as fine.
		TreatMissingData: pulumi.String("breaching"),
	}); err != nil {
		return nil, err
	}
	if a.DistributionID != nil {
		if alarm.ErrorRateAlarm, err = watch([]string{"alarm", "errors"}, cloudwatch.MetricAlarmArgs{
			AlarmDescription: pulumi.String(fmt.Sprintf("%s: over %d%% of requests answered with a 5xx for %d minutes: "+
				"the main site failed over, or the Lambda@Edge function fails or is throttled (those requests are not "+
				"failed over)", name, ErrorRateThreshold, ErrorRateMinutes)),
			Namespace:  pulumi.String("AWS/CloudFront"),
			MetricName: pulumi.String("5xxErrorRate"),
			// CloudFront's metrics carry Region "Global" (CloudFront Developer Guide, "Types
			// of metrics for CloudFront"); Average is the statistic the rate takes.
			Dimensions:         pulumi.StringMap{"DistributionId": a.DistributionID, "Region": pulumi.String("Global")},
			Statistic:          pulumi.String("Average"),
			EvaluationPeriods:  pulumi.Int(ErrorRateMinutes),
			Threshold:          pulumi.Float64(ErrorRateThreshold),
			ComparisonOperator: pulumi.String("GreaterThanThreshold"),
			// CloudFront sends no data for a minute without requests: no errors either.
			TreatMissingData: pulumi.String("notBreaching"),
		}); err != nil {
			return nil, err
		}
	}
	return alarm, nil
}

// CheckEmail checks an AlarmEmail given as an Output (a secret from config, say) as Validate
// checks a plain one, and masks a secret in its error. A config value is known at once; an
// Output of a resource is checked once the resource exists, and an unknown value (during a
// preview) is left to SNS to check.
func CheckEmail(ctx *pulumi.Context, email pulumi.StringInput) error {
	return validate.Output(ctx.Context(), email, func(v string) error { return validate.Email("AlarmEmail", v) })
}

// CheckAlarm checks the alarm's settings before anything is registered: a plain AlarmEmail
// (Validate's part), an Output one, and a given provider's region.
func CheckAlarm(ctx *pulumi.Context, email pulumi.StringInput, provider *aws.Provider) error {
	if err := CheckEmail(ctx, email); err != nil {
		return err
	}
	if provider == nil {
		return nil
	}
	return useast1.Check(ctx, "AlarmProvider", "Route 53 health check metrics exist only there", provider)
}

// ValidateEmail checks a plain AlarmEmail; an Output is left to CheckEmail.
func ValidateEmail(email pulumi.StringInput) error {
	if plain, ok := email.(pulumi.String); ok {
		return validate.Email("AlarmEmail", string(plain))
	}
	return nil
}
