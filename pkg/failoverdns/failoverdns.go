// Package failoverdns owns the failover itself: a Route 53 health check on the primary and, for
// every served name, a PRIMARY alias record to the load balancer and a SECONDARY alias record to
// the CloudFront distribution, with an optional alarm that tells the owner of a failover and of
// the recovery.
package failoverdns

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"

	"github.com/seed-2b23e6e5/route53-failover/pkg/naming"
	"github.com/seed-2b23e6e5/route53-failover/pkg/useast1"
	"github.com/seed-2b23e6e5/route53-failover/pkg/validate"
)

// Type is the component's type token; changing it would replace every child.
const Type = "route53-failover:index:FailoverDNS"

// FailoverDNS is the failover records of some names and the health check that drives them.
type FailoverDNS struct {
	pulumi.ResourceState

	// HealthCheckID is the Route 53 health check on the primary.
	HealthCheckID pulumi.StringOutput
	// RecordTypes are the record types published for each name: A, and AAAA when both ends
	// serve IPv6.
	RecordTypes []string
	// Settings are the resolved health check settings, for the failover estimate.
	Settings HealthCheck
	// AlarmTopicARN is the SNS topic of the alarm (empty without AlarmEmail).
	AlarmTopicARN pulumi.StringOutput
}

// New builds the health check and the failover records.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*FailoverDNS, error) {
	if args == nil {
		args = &Args{}
	}
	if err := args.Validate(nil); err != nil {
		return nil, err
	}
	for _, required := range []struct {
		field string
		input pulumi.StringInput
	}{
		{"ZoneID", args.ZoneID},
		{"Primary.DNSName", args.Primary.DNSName}, {"Primary.ZoneID", args.Primary.ZoneID},
		{"Secondary.DNSName", args.Secondary.DNSName}, {"Secondary.ZoneID", args.Secondary.ZoneID},
	} {
		if required.input == nil {
			return nil, validate.Invalid(required.field, "", "required")
		}
	}
	if args.AlarmEmail != nil {
		if err := CheckEmail(ctx, args.AlarmEmail); err != nil {
			return nil, err
		}
		if args.AlarmProvider != nil {
			if err := useast1.Check(ctx, "AlarmProvider", "Route 53 health check metrics exist only there", args.AlarmProvider); err != nil {
				return nil, err
			}
		}
	}
	a := args.WithDefaults()

	dns := &FailoverDNS{RecordTypes: []string{"A"}, Settings: a.HealthCheck}
	if a.Primary.IPv6 && a.Secondary.IPv6 {
		// A lone SECONDARY AAAA would answer every IPv6 client with the error page.
		dns.RecordTypes = append(dns.RecordTypes, "AAAA")
	}
	inputs := pulumi.Map{
		"names":       pulumi.ToStringArray(a.Names),
		"recordTypes": pulumi.ToStringArray(dns.RecordTypes),
	}
	if err := ctx.RegisterComponentResourceV2(Type, name, inputs, dns, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(dns)

	h := a.HealthCheck
	checkName := naming.Child(name, "health")
	checkArgs := &route53.HealthCheckArgs{
		// The load balancer's own name, never the failover record's: a check that follows the
		// record it steers gives unpredictable results. HTTPS, because on 80 the load balancer
		// answers its own 301, which passes even when every instance is down.
		Fqdn:              a.Primary.DNSName,
		Type:              pulumi.String("HTTPS"),
		Port:              pulumi.Int(443),
		EnableSni:         pulumi.Bool(true),
		ResourcePath:      pulumi.String(h.Path),
		RequestInterval:   pulumi.Int(h.Interval),
		FailureThreshold:  pulumi.Int(h.FailureThreshold),
		InvertHealthcheck: pulumi.Bool(h.Inverted),
		Tags:              naming.Tags(name, checkName, a.Tags),
	}
	if h.Regions != nil {
		checkArgs.Regions = pulumi.ToStringArray(sortedRegions(h.Regions))
	}
	check, err := route53.NewHealthCheck(ctx, checkName, checkArgs, parent)
	if err != nil {
		return nil, err
	}
	dns.HealthCheckID = check.ID().ToStringOutput()

	evaluatePrimary := true
	if a.PrimaryEvaluateTargetHealth != nil {
		evaluatePrimary = *a.PrimaryEvaluateTargetHealth
	}
	for _, served := range a.Names {
		for _, recordType := range dns.RecordTypes {
			if _, err := route53.NewRecord(ctx, naming.Child(name, served, recordType, "primary"), &route53.RecordArgs{
				ZoneId:        a.ZoneID,
				Name:          pulumi.String(served),
				Type:          pulumi.String(recordType),
				SetIdentifier: pulumi.String("primary"),
				FailoverRoutingPolicies: route53.RecordFailoverRoutingPolicyArray{
					route53.RecordFailoverRoutingPolicyArgs{Type: pulumi.String("PRIMARY")},
				},
				HealthCheckId: check.ID(),
				Aliases: route53.RecordAliasArray{route53.RecordAliasArgs{
					Name:                 pulumi.Sprintf("dualstack.%s", a.Primary.DNSName),
					ZoneId:               a.Primary.ZoneID,
					EvaluateTargetHealth: pulumi.Bool(evaluatePrimary),
				}},
			}, parent); err != nil {
				return nil, err
			}
			if _, err := route53.NewRecord(ctx, naming.Child(name, served, recordType, "secondary"), &route53.RecordArgs{
				ZoneId:        a.ZoneID,
				Name:          pulumi.String(served),
				Type:          pulumi.String(recordType),
				SetIdentifier: pulumi.String("secondary"),
				FailoverRoutingPolicies: route53.RecordFailoverRoutingPolicyArray{
					route53.RecordFailoverRoutingPolicyArgs{Type: pulumi.String("SECONDARY")},
				},
				Aliases: route53.RecordAliasArray{route53.RecordAliasArgs{
					Name:   a.Secondary.DNSName,
					ZoneId: a.Secondary.ZoneID,
					// AWS refuses true for a CloudFront alias; the secondary is the last resort.
					EvaluateTargetHealth: pulumi.Bool(false),
				}},
			}, parent); err != nil {
				return nil, err
			}
		}
	}

	dns.AlarmTopicARN = pulumi.String("").ToStringOutput()
	if a.AlarmEmail != nil {
		topic, err := newAlarm(ctx, name, &a, check, parent)
		if err != nil {
			return nil, err
		}
		dns.AlarmTopicARN = topic.Arn
	}

	return dns, ctx.RegisterResourceOutputs(dns, pulumi.Map{
		"healthCheckId": dns.HealthCheckID,
		"alarmTopicArn": dns.AlarmTopicARN,
	})
}

// CheckEmail checks an AlarmEmail given as an Output (a secret from config, say) as Validate
// checks a plain one, and masks a secret in its error. A config value is known at once; an
// Output of a resource is checked once the resource exists, and an unknown value (during a
// preview) is left to SNS to check.
func CheckEmail(ctx *pulumi.Context, email pulumi.StringInput) error {
	if _, plain := email.(pulumi.String); plain {
		return nil
	}
	result, err := internals.UnsafeAwaitOutput(ctx.Context(), email.ToStringOutput())
	if err != nil || !result.Known {
		return err
	}
	value, _ := result.Value.(string)
	if err := validate.Email("AlarmEmail", value); err != nil {
		if result.Secret {
			return validate.Masked(err)
		}
		return err
	}
	return nil
}

// newAlarm tells AlarmEmail when the health check fails and when it recovers. Health check
// metrics exist only in us-east-1, so the topic and the alarm live there.
func newAlarm(ctx *pulumi.Context, name string, a *Args, check *route53.HealthCheck, parent pulumi.ResourceOption) (*sns.Topic, error) {
	provider := a.AlarmProvider
	if provider == nil {
		var err error
		if provider, err = useast1.NewProvider(ctx, name, parent); err != nil {
			return nil, err
		}
	}
	inUSEast1 := pulumi.Provider(provider)
	topicName := naming.Child(name, "alarm")
	topic, err := sns.NewTopic(ctx, topicName, &sns.TopicArgs{Tags: naming.Tags(name, topicName, a.Tags)}, parent, inUSEast1)
	if err != nil {
		return nil, err
	}
	if _, err := sns.NewTopicSubscription(ctx, naming.Child(name, "alarm", "email"), &sns.TopicSubscriptionArgs{
		Topic:    topic.Arn,
		Protocol: pulumi.String("email"),
		Endpoint: a.AlarmEmail,
	}, parent, inUSEast1); err != nil {
		return nil, err
	}
	if _, err := cloudwatch.NewMetricAlarm(ctx, topicName, &cloudwatch.MetricAlarmArgs{
		AlarmDescription:   pulumi.String(fmt.Sprintf("%s: the primary failed its Route 53 health check; the names fail over to the error page", name)),
		Namespace:          pulumi.String("AWS/Route53"),
		MetricName:         pulumi.String("HealthCheckStatus"),
		Dimensions:         pulumi.StringMap{"HealthCheckId": check.ID()},
		Statistic:          pulumi.String("Minimum"),
		Period:             pulumi.Int(60),
		EvaluationPeriods:  pulumi.Int(1),
		Threshold:          pulumi.Float64(1),
		ComparisonOperator: pulumi.String("LessThanThreshold"),
		// No data means no checker reports: count it as down, not as fine.
		TreatMissingData: pulumi.String("breaching"),
		AlarmActions:     pulumi.Array{topic.Arn},
		OkActions:        pulumi.Array{topic.Arn},
		Tags:             naming.Tags(name, topicName, a.Tags),
	}, parent, inUSEast1); err != nil {
		return nil, err
	}
	return topic, nil
}
