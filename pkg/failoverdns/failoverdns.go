// Package failoverdns owns the failover itself: a Route 53 health check on the primary and, for
// every served name, a PRIMARY alias record to the load balancer and a SECONDARY alias record to
// the CloudFront distribution, with an optional alarm that tells the owner of a failover and of
// the recovery. In edge mode (Args.Edge) each name is a plain alias to a distribution that fails
// over by itself, and the health check and alarm only tell.
package failoverdns

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/naming"
	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/useast1"
)

// Type is the component's type token; changing it would replace every child.
const Type = "route53-failover:index:FailoverDNS"

// FailoverDNS is the failover records of some names and the health check that drives them. It
// exposes the resources it creates, so that a stack can build on them (another alarm on
// HealthCheck, a record that depends on the failover pair).
type FailoverDNS struct {
	pulumi.ResourceState

	// HealthCheck is the Route 53 health check on the primary.
	HealthCheck *route53.HealthCheck
	// Names are the names that fail over, as Args.Names gave them.
	Names []string
	// Records are the failover records, by served name, then record type ("A", "AAAA"); empty
	// with Args.Edge.
	Records map[string]map[string]Pair
	// Aliases are the plain alias records of Args.Edge, by served name, then record type; empty
	// without it.
	Aliases map[string]map[string]*route53.Record
	// Alarm is the failover alarm (nil without Args.AlarmEmail).
	Alarm *Alarm

	// HealthCheckID is the Route 53 health check on the primary.
	HealthCheckID pulumi.StringOutput
	// RecordTypes are the record types published for each name: A, and AAAA when both ends
	// serve IPv6 (with Args.Edge, when the distribution does).
	RecordTypes []string
	// Settings are the health check as built, for the failover estimate.
	Settings CheckSettings
	// AlarmTopicARN is the SNS topic of the alarm (empty without AlarmEmail).
	AlarmTopicARN pulumi.StringOutput
}

// Pair is the failover pair of one name and record type.
type Pair struct {
	// Primary answers while the health check passes (and, for a load balancer, while it has a
	// healthy target).
	Primary *route53.Record
	// Secondary answers otherwise.
	Secondary *route53.Record
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

// New builds the health check and the failover records.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*FailoverDNS, error) {
	if args == nil {
		args = &Args{}
	}
	if err := args.Validate(); err != nil {
		return nil, err
	}
	for _, required := range []struct {
		field string
		input pulumi.StringInput
		edge  bool
	}{
		{"ZoneID", args.ZoneID, true},
		{"Primary.DNSName", args.Primary.DNSName, false}, {"Primary.ZoneID", args.Primary.ZoneID, false},
		{"Secondary.DNSName", args.Secondary.DNSName, true}, {"Secondary.ZoneID", args.Secondary.ZoneID, true},
	} {
		if required.input == nil && (required.edge || !args.Edge) {
			return nil, validate.Invalid(required.field, "", "required")
		}
	}
	if args.Edge && args.AlarmEmail != nil && args.Secondary.DistributionID == nil {
		return nil, validate.Invalid("Secondary.DistributionID", "", "the distribution's id: required with Edge and AlarmEmail, for the alarm on its error rate", "Edge")
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
	a := *args

	dns := &FailoverDNS{
		RecordTypes: []string{"A"}, Settings: a.Settings(), Names: a.Names,
		Records: map[string]map[string]Pair{}, Aliases: map[string]map[string]*route53.Record{},
	}
	if a.Secondary.IPv6 && (a.Primary.IPv6 || a.Edge) {
		// A lone SECONDARY AAAA would answer every IPv6 client with the error page.
		dns.RecordTypes = append(dns.RecordTypes, "AAAA")
	}
	inputs := pulumi.Map{
		"names":       pulumi.ToStringArray(a.Names),
		"recordTypes": pulumi.ToStringArray(dns.RecordTypes),
		"edge":        pulumi.Bool(a.Edge),
	}
	if err := ctx.RegisterComponentResourceV2(Type, name, inputs, dns, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(dns)

	h := dns.Settings
	checkName := naming.Child(name, "health")
	// The load balancer's own name, never the failover record's: a check that follows the
	// record it steers gives unpredictable results. HTTPS, because on 80 the load balancer
	// answers its own 301, which passes even when every instance is down. In edge mode the
	// check steers nothing, and only the served names reach the main site.
	checked := a.Primary.DNSName
	if a.Edge {
		checked = pulumi.String(a.Names[0])
	}
	checkArgs := &route53.HealthCheckArgs{
		Fqdn:              checked,
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
		checkArgs.Regions = pulumi.ToStringArray(h.Regions)
	}
	check, err := route53.NewHealthCheck(ctx, checkName, checkArgs, parent)
	if err != nil {
		return nil, err
	}
	dns.HealthCheck = check
	dns.HealthCheckID = check.ID().ToStringOutput()

	if a.Edge {
		if err := dns.edgeAliases(ctx, name, &a, parent); err != nil {
			return nil, err
		}
	} else if err := dns.failoverRecords(ctx, name, &a, check, parent); err != nil {
		return nil, err
	}

	dns.AlarmTopicARN = pulumi.String("").ToStringOutput()
	if a.AlarmEmail != nil {
		if dns.Alarm, err = newAlarm(ctx, name, &a, check, parent); err != nil {
			return nil, err
		}
		dns.AlarmTopicARN = dns.Alarm.Topic.Arn
	}

	return dns, ctx.RegisterResourceOutputs(dns, pulumi.Map{
		"healthCheckId": dns.HealthCheckID,
		"alarmTopicArn": dns.AlarmTopicARN,
	})
}

// recordName is the resource name of a name's record of a type. An edge alias takes the name
// of the PRIMARY record it stands in for, so that switching modes updates that record in place.
func recordName(component, served, recordType, role string) string {
	return naming.Child(component, served, recordType, role)
}

// edgeAliases publishes each name as a plain alias to the distribution.
func (dns *FailoverDNS) edgeAliases(ctx *pulumi.Context, name string, a *Args, parent pulumi.ResourceOption) error {
	target := AliasName(a.Secondary.DNSName)
	for _, served := range a.Names {
		dns.Aliases[served] = map[string]*route53.Record{}
		for _, recordType := range dns.RecordTypes {
			record, err := route53.NewRecord(ctx, recordName(name, served, recordType, "primary"), &route53.RecordArgs{
				ZoneId: a.ZoneID,
				Name:   pulumi.String(served),
				Type:   pulumi.String(recordType),
				Aliases: route53.RecordAliasArray{route53.RecordAliasArgs{
					Name:   target,
					ZoneId: a.Secondary.ZoneID,
					// AWS refuses true for a CloudFront alias.
					EvaluateTargetHealth: pulumi.Bool(false),
				}},
			}, parent)
			if err != nil {
				return err
			}
			dns.Aliases[served][recordType] = record
		}
	}
	return nil
}

// failoverRecords publishes each name as a PRIMARY alias to the load balancer and a SECONDARY
// alias to the distribution.
func (dns *FailoverDNS) failoverRecords(ctx *pulumi.Context, name string, a *Args, check *route53.HealthCheck, parent pulumi.ResourceOption) error {
	evaluatePrimary := true
	if a.PrimaryEvaluateTargetHealth != nil {
		evaluatePrimary = *a.PrimaryEvaluateTargetHealth
	}
	primaryAlias, secondaryAlias := AliasName(a.Primary.DNSName), AliasName(a.Secondary.DNSName)
	for _, served := range a.Names {
		dns.Records[served] = map[string]Pair{}
		for _, recordType := range dns.RecordTypes {
			primary, err := route53.NewRecord(ctx, recordName(name, served, recordType, "primary"), &route53.RecordArgs{
				ZoneId:        a.ZoneID,
				Name:          pulumi.String(served),
				Type:          pulumi.String(recordType),
				SetIdentifier: pulumi.String("primary"),
				FailoverRoutingPolicies: route53.RecordFailoverRoutingPolicyArray{
					route53.RecordFailoverRoutingPolicyArgs{Type: pulumi.String("PRIMARY")},
				},
				HealthCheckId: check.ID(),
				Aliases: route53.RecordAliasArray{route53.RecordAliasArgs{
					Name:                 primaryAlias,
					ZoneId:               a.Primary.ZoneID,
					EvaluateTargetHealth: pulumi.Bool(evaluatePrimary),
				}},
			}, parent)
			if err != nil {
				return err
			}
			secondary, err := route53.NewRecord(ctx, recordName(name, served, recordType, "secondary"), &route53.RecordArgs{
				ZoneId:        a.ZoneID,
				Name:          pulumi.String(served),
				Type:          pulumi.String(recordType),
				SetIdentifier: pulumi.String("secondary"),
				FailoverRoutingPolicies: route53.RecordFailoverRoutingPolicyArray{
					route53.RecordFailoverRoutingPolicyArgs{Type: pulumi.String("SECONDARY")},
				},
				Aliases: route53.RecordAliasArray{route53.RecordAliasArgs{
					Name:   secondaryAlias,
					ZoneId: a.Secondary.ZoneID,
					// AWS refuses true for a CloudFront alias; the secondary is the last resort.
					EvaluateTargetHealth: pulumi.Bool(false),
				}},
				// After the primary: when a stack leaves edge mode, the primary record turns
				// from a plain alias into a failover record first, or Route 53 would refuse a
				// failover record next to a plain one.
			}, parent, pulumi.DependsOn([]pulumi.Resource{primary}))
			if err != nil {
				return err
			}
			dns.Records[served][recordType] = Pair{Primary: primary, Secondary: secondary}
		}
	}
	return nil
}

// CheckEmail checks an AlarmEmail given as an Output (a secret from config, say) as Validate
// checks a plain one, and masks a secret in its error. A config value is known at once; an
// Output of a resource is checked once the resource exists, and an unknown value (during a
// preview) is left to SNS to check.
func CheckEmail(ctx *pulumi.Context, email pulumi.StringInput) error {
	return validate.Output(ctx.Context(), email, func(v string) error { return validate.Email("AlarmEmail", v) })
}

// AliasName is the alias target name Route 53 is given for a target's DNS name: a load
// balancer's name with the "dualstack." prefix, so that the alias answers AAAA queries too (ELB
// User Guide, "Route traffic to an ELB load balancer"); any other target's name as it is.
func AliasName(dnsName pulumi.StringInput) pulumi.StringOutput {
	return dnsName.ToStringOutput().ApplyT(func(n string) string {
		lower := strings.ToLower(n)
		isLoadBalancer := strings.HasSuffix(lower, ".elb.amazonaws.com") || strings.HasSuffix(lower, ".elb.amazonaws.com.cn")
		if isLoadBalancer && !strings.HasPrefix(lower, "dualstack.") {
			return "dualstack." + n
		}
		return n
	}).(pulumi.StringOutput)
}

// newAlarm tells AlarmEmail when the health check fails and when it recovers. Health check
// metrics exist only in us-east-1, so the topic and the alarm live there.
func newAlarm(ctx *pulumi.Context, name string, a *Args, check *route53.HealthCheck, parent pulumi.ResourceOption) (*Alarm, error) {
	provider, err := useast1.Provider(ctx, name, a.AlarmProvider, parent)
	if err != nil {
		return nil, err
	}
	inUSEast1 := pulumi.Provider(provider)
	alarm := &Alarm{}
	topicName := naming.Child(name, "alarm")
	if alarm.Topic, err = sns.NewTopic(ctx, topicName, &sns.TopicArgs{Tags: naming.Tags(name, topicName, a.Tags)}, parent, inUSEast1); err != nil {
		return nil, err
	}
	if alarm.Subscription, err = sns.NewTopicSubscription(ctx, naming.Child(name, "alarm", "email"), &sns.TopicSubscriptionArgs{
		Topic:    alarm.Topic.Arn,
		Protocol: pulumi.String("email"),
		Endpoint: a.AlarmEmail,
	}, parent, inUSEast1); err != nil {
		return nil, err
	}
	// Each alarm looks at one-minute periods and tells the topic when it fires and when it
	// clears.
	watch := func(alarmName string, args cloudwatch.MetricAlarmArgs) (*cloudwatch.MetricAlarm, error) {
		args.Period = pulumi.Int(60)
		args.AlarmActions, args.OkActions = pulumi.Array{alarm.Topic.Arn}, pulumi.Array{alarm.Topic.Arn}
		args.Tags = naming.Tags(name, alarmName, a.Tags)
		return cloudwatch.NewMetricAlarm(ctx, alarmName, &args, parent, inUSEast1)
	}
	if alarm.MetricAlarm, err = watch(topicName, cloudwatch.MetricAlarmArgs{
		AlarmDescription:   pulumi.String(fmt.Sprintf("%s: the primary failed its Route 53 health check; the names fail over to the error page", name)),
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
	if a.Edge {
		if alarm.ErrorRateAlarm, err = watch(naming.Child(name, "alarm", "errors"), cloudwatch.MetricAlarmArgs{
			AlarmDescription: pulumi.String(fmt.Sprintf("%s: over %d%% of requests answered with a 5xx for %d minutes: the main site failed over, or the Lambda@Edge function fails or is throttled (those requests are not failed over)", name, ErrorRateThreshold, ErrorRateMinutes)),
			Namespace:        pulumi.String("AWS/CloudFront"),
			MetricName:       pulumi.String("5xxErrorRate"),
			// CloudFront's metrics carry Region "Global" (CloudFront Developer Guide, "Types
			// of metrics for CloudFront"); Average is the statistic the rate takes.
			Dimensions:         pulumi.StringMap{"DistributionId": a.Secondary.DistributionID, "Region": pulumi.String("Global")},
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
