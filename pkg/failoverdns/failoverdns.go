// Package failoverdns owns the failover itself: a Route 53 health check on the primary and, for
// every served name, a PRIMARY alias record to the load balancer and a SECONDARY alias record to
// the CloudFront distribution, with an optional alarm that tells the owner of a failover and of
// the recovery. (Edge mode, where a distribution fails over per request, is edgefailover's.)
package failoverdns

import (
	"cmp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/healthcheck"
	"github.com/seed-2b23e6e5/route53-failover/internal/naming"
	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
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
	// Records are the failover records, by served name, then record type ("A", "AAAA").
	Records map[string]map[string]Pair
	// Alarm is the failover alarm (nil without Args.AlarmEmail).
	Alarm *Alarm

	// HealthCheckID is the Route 53 health check on the primary.
	HealthCheckID pulumi.StringOutput
	// RecordTypes are the record types published for each name: A, and AAAA when both ends
	// serve IPv6.
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

// CheckSettings are the health check as it is built: Args with the defaults applied.
type CheckSettings = healthcheck.Settings

// Alarm tells someone of a failover and of the recovery; it lives in us-east-1, where Route 53
// health check metrics are.
type Alarm = healthcheck.Alarm

// New builds the health check and the failover records.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*FailoverDNS, error) {
	if args == nil {
		args = &Args{}
	}
	if err := args.Validate(); err != nil {
		return nil, err
	}
	if err := cmp.Or(
		validate.Required("ZoneID", args.ZoneID),
		validate.Required("Primary.DNSName", args.Primary.DNSName), validate.Required("Primary.ZoneID", args.Primary.ZoneID),
		validate.Required("Secondary.DNSName", args.Secondary.DNSName), validate.Required("Secondary.ZoneID", args.Secondary.ZoneID),
	); err != nil {
		return nil, err
	}
	if args.AlarmEmail != nil {
		if err := healthcheck.CheckAlarm(ctx, args.AlarmEmail, args.AlarmProvider); err != nil {
			return nil, err
		}
	}
	a := *args

	dns := &FailoverDNS{RecordTypes: []string{"A"}, Settings: a.Settings(), Names: a.Names, Records: map[string]map[string]Pair{}}
	if a.Secondary.IPv6 && a.Primary.IPv6 {
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

	moved := naming.Moved(a.Moved)
	// The load balancer's own name, never the failover record's: a check that follows the
	// record it steers gives unpredictable results.
	check, err := healthcheck.New(ctx, name, a.Primary.DNSName, dns.Settings, a.Tags, parent, moved.Of("health"))
	if err != nil {
		return nil, err
	}
	dns.HealthCheck = check
	dns.HealthCheckID = check.ID().ToStringOutput()
	if err := dns.failoverRecords(ctx, name, &a, check, moved, parent); err != nil {
		return nil, err
	}

	alarm := healthcheck.AlarmArgs{Email: a.AlarmEmail, Provider: a.AlarmProvider, Tags: a.Tags, Moved: moved}
	if dns.Alarm, err = healthcheck.NewAlarm(ctx, name, check, alarm, parent); err != nil {
		return nil, err
	}
	dns.AlarmTopicARN = dns.Alarm.TopicARN()

	return dns, ctx.RegisterResourceOutputs(dns, pulumi.Map{
		"healthCheckId": dns.HealthCheckID,
		"alarmTopicArn": dns.AlarmTopicARN,
	})
}

// failoverRecords publishes each name as a PRIMARY alias to the load balancer and a SECONDARY
// alias to the distribution.
func (dns *FailoverDNS) failoverRecords(ctx *pulumi.Context, name string, a *Args, check *route53.HealthCheck, moved naming.Moved, parent pulumi.ResourceOption) error {
	evaluatePrimary := true
	if a.PrimaryEvaluateTargetHealth != nil {
		evaluatePrimary = *a.PrimaryEvaluateTargetHealth
	}
	primaryAlias, secondaryAlias := AliasName(a.Primary.DNSName), AliasName(a.Secondary.DNSName)
	for _, served := range a.Names {
		dns.Records[served] = map[string]Pair{}
		for _, recordType := range dns.RecordTypes {
			primary, err := route53.NewRecord(ctx, naming.Child(name, served, recordType, "primary"), &route53.RecordArgs{
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
			}, parent, moved.Of(served, recordType, "primary"))
			if err != nil {
				return err
			}
			secondary, err := route53.NewRecord(ctx, naming.Child(name, served, recordType, "secondary"), &route53.RecordArgs{
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
			}, parent, pulumi.DependsOn([]pulumi.Resource{primary}), moved.Of(served, recordType, "secondary"))
			if err != nil {
				return err
			}
			dns.Records[served][recordType] = Pair{Primary: primary, Secondary: secondary}
		}
	}
	return nil
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
