package failoverdns

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

const (
	zone       = "Z0123456789ABCDEFGHIJ"
	albDNS     = "web-alb-1234567890.eu-west-1.elb.amazonaws.com"
	albZone    = "Z32O12XQLNTSW2"
	cdnDNS     = "d111111abcdef8.cloudfront.net"
	recordType = awstype.Record
	checkType  = awstype.HealthCheck
	alarmType  = awstype.MetricAlarm
)

func baseArgs() *Args {
	return &Args{
		ZoneID:    pulumi.String(zone),
		Names:     []string{"example.com", "www.example.com"},
		Primary:   Target{DNSName: pulumi.String(albDNS), ZoneID: pulumi.String(albZone)},
		Secondary: Target{DNSName: pulumi.String(cdnDNS), ZoneID: pulumi.String("Z2FDTNDATAQYW2"), IPv6: true},
	}
}

func runDNS(t *testing.T, args *Args) *plan.Plan {
	t.Helper()
	p, err := plan.RunInRegion("eu-west-1", func(ctx *pulumi.Context) error {
		_, err := New(ctx, "dns", args)
		return err
	}, plan.Strict)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// records groups the plan's records by name, type and failover role.
func records(p *plan.Plan) map[string][]plan.Resource {
	out := map[string][]plan.Resource{}
	for _, r := range p.OfType(recordType) {
		role, _ := plan.Get(r.Inputs, "failoverRoutingPolicies", 0, "type").(string)
		key := r.Inputs["name"].(string) + " " + r.Inputs["type"].(string) + " " + role
		out[key] = append(out[key], r)
	}
	return out
}

func TestFailoverPairs(t *testing.T) {
	p := runDNS(t, baseArgs())
	check := p.OfType(checkType)
	if len(check) != 1 {
		t.Fatalf("%d health checks", len(check))
	}
	byKey := records(p)
	if len(byKey) != 4 || len(p.OfType(recordType)) != 4 {
		t.Fatalf("records: %v", keys(byKey))
	}
	for _, name := range []string{"example.com", "www.example.com"} {
		primary, secondary := byKey[name+" A PRIMARY"], byKey[name+" A SECONDARY"]
		if len(primary) != 1 || len(secondary) != 1 {
			t.Fatalf("%s: %d PRIMARY and %d SECONDARY A records", name, len(primary), len(secondary))
		}
		pr, se := primary[0].Inputs, secondary[0].Inputs
		for _, c := range []struct {
			in   map[string]any
			path []any
			want any
		}{
			{pr, []any{"zoneId"}, zone},
			{pr, []any{"aliases", 0, "name"}, "dualstack." + albDNS},
			{pr, []any{"aliases", 0, "zoneId"}, albZone},
			{pr, []any{"aliases", 0, "evaluateTargetHealth"}, true},
			{pr, []any{"healthCheckId"}, check[0].ID},
			{pr, []any{"ttl"}, nil},
			{se, []any{"zoneId"}, zone},
			{se, []any{"aliases", 0, "name"}, cdnDNS},
			{se, []any{"aliases", 0, "zoneId"}, "Z2FDTNDATAQYW2"},
			{se, []any{"aliases", 0, "evaluateTargetHealth"}, false},
			{se, []any{"healthCheckId"}, nil},
			{se, []any{"ttl"}, nil},
		} {
			if got := plan.Get(c.in, c.path...); got != c.want {
				t.Errorf("%s: %v = %v, want %v", name, c.path, got, c.want)
			}
		}
		if pr["setIdentifier"] == se["setIdentifier"] || pr["setIdentifier"] == nil {
			t.Errorf("%s: set identifiers %v and %v", name, pr["setIdentifier"], se["setIdentifier"])
		}
	}
}

func TestHealthCheckTargetsTheLoadBalancer(t *testing.T) {
	args := baseArgs()
	args.HealthCheckPath, args.HealthCheckInterval, args.HealthCheckFailureThreshold = "/health", pulumi.IntRef(30), pulumi.IntRef(3)
	args.HealthCheckRegions = []string{"us-west-2", "eu-west-1", "ap-northeast-1"}
	p := runDNS(t, args)
	in := p.OfType(checkType)[0].Inputs
	want := map[string]any{"type": "HTTPS", "port": 443.0, "fqdn": albDNS, "enableSni": true, "resourcePath": "/health",
		"requestInterval": 30.0, "failureThreshold": 3.0, "invertHealthcheck": false}
	for k, v := range want {
		if in[k] != v {
			t.Errorf("health check %s = %v, want %v", k, in[k], v)
		}
	}
	for _, name := range args.Names {
		if in["fqdn"] == name {
			t.Errorf("the health check targets the failover record %s itself", name)
		}
	}
	regions := in["regions"].([]any)
	if len(regions) != 3 || regions[0] != "ap-northeast-1" || regions[2] != "us-west-2" {
		t.Errorf("regions %v, want the three, sorted", regions)
	}

	defaults := runDNS(t, baseArgs()).OfType(checkType)[0].Inputs
	if defaults["requestInterval"] != 10.0 || defaults["failureThreshold"] != 2.0 || defaults["resourcePath"] != "/" {
		t.Errorf("default health check: %v", defaults)
	}
	if _, set := defaults["regions"]; set {
		t.Error("default health check limits the checker regions")
	}
}

func TestAAAAOnlyWhenBothEndsServeIPv6(t *testing.T) {
	for _, tt := range []struct {
		primary, secondary bool
		wantAAAA           bool
	}{
		{false, false, false},
		{false, true, false},
		{true, false, false},
		{true, true, true},
	} {
		args := baseArgs()
		args.Primary.IPv6, args.Secondary.IPv6 = tt.primary, tt.secondary
		byKey := records(runDNS(t, args))
		for _, name := range args.Names {
			primary, secondary := len(byKey[name+" AAAA PRIMARY"]), len(byKey[name+" AAAA SECONDARY"])
			if primary != secondary {
				t.Errorf("primary IPv6 %v, secondary IPv6 %v: %s has %d PRIMARY and %d SECONDARY AAAA records",
					tt.primary, tt.secondary, name, primary, secondary)
			}
			if (primary == 1) != tt.wantAAAA {
				t.Errorf("primary IPv6 %v, secondary IPv6 %v: AAAA pair for %s = %v", tt.primary, tt.secondary, name, primary == 1)
			}
		}
	}
}

func TestAlarm(t *testing.T) {
	if n := len(runDNS(t, baseArgs()).OfType(awstype.Topic)); n != 0 {
		t.Fatalf("%d topics without an alarm email", n)
	}
	args := baseArgs()
	args.AlarmEmail = pulumi.String("ops@example.com")
	p := runDNS(t, args)
	check := p.OfType(checkType)[0]
	topics, subs, alarms := p.OfType(awstype.Topic), p.OfType(awstype.TopicSubscription), p.OfType(awstype.MetricAlarm)
	if len(topics) != 1 || len(subs) != 1 || len(alarms) != 1 {
		t.Fatalf("%d topics, %d subscriptions, %d alarms", len(topics), len(subs), len(alarms))
	}
	for _, r := range []plan.Resource{topics[0], subs[0], alarms[0]} {
		if got := p.Region(&r); got != "us-east-1" {
			t.Errorf("%s is in %s; health check metrics exist only in us-east-1", r.Name, got)
		}
	}
	if subs[0].Inputs["protocol"] != "email" || subs[0].Inputs["endpoint"] != "ops@example.com" || subs[0].Inputs["topic"] != topics[0].ID {
		t.Errorf("subscription: %v", subs[0].Inputs)
	}
	a := alarms[0].Inputs
	// HealthCheckStatus is 1 while healthy: its minimum over a minute is below 1 as soon as one
	// report in that minute says unhealthy, so one such minute raises the alarm.
	want := map[string]any{"namespace": "AWS/Route53", "metricName": "HealthCheckStatus", "comparisonOperator": "LessThanThreshold",
		"threshold": 1.0, "treatMissingData": "breaching", "statistic": "Minimum", "period": 60.0, "evaluationPeriods": 1.0}
	for k, v := range want {
		if a[k] != v {
			t.Errorf("alarm %s = %v, want %v", k, a[k], v)
		}
	}
	if plan.Get(a, "dimensions", "HealthCheckId") != check.ID {
		t.Errorf("alarm watches %v, not the health check %s", plan.Get(a, "dimensions"), check.ID)
	}
	if plan.Get(a, "alarmActions", 0) != topics[0].ID || plan.Get(a, "okActions", 0) != topics[0].ID {
		t.Error("the owner is not told of both the failover and the recovery")
	}
}

// TestSecretAlarmEmail: an email given as a secret stays secret in the subscription, and its
// value appears nowhere in the plan.
func TestSecretAlarmEmail(t *testing.T) {
	args := baseArgs()
	args.AlarmEmail = pulumi.ToSecret(pulumi.String("oncall-7f3a@example.com")).(pulumi.StringOutput)
	p := runDNS(t, args)
	sub := p.OfType(awstype.TopicSubscription)
	if len(sub) != 1 || sub[0].Inputs["endpoint"] != plan.Secret {
		t.Fatalf("subscription: %v", sub)
	}
	doc, err := p.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(doc), "oncall-7f3a") {
		t.Error("the plan holds the secret email in clear")
	}
}

// TestPrimaryEvaluatesTargetHealth: the PRIMARY records evaluate the load balancer's target
// health unless told not to; the SECONDARY never does (CloudFront refuses it).
func TestPrimaryEvaluatesTargetHealth(t *testing.T) {
	yes, no := true, false
	for _, tt := range []struct {
		name string
		set  *bool
		want bool
	}{{"default", nil, true}, {"true", &yes, true}, {"false", &no, false}} {
		args := baseArgs()
		args.PrimaryEvaluateTargetHealth = tt.set
		for key, rs := range records(runDNS(t, args)) {
			for _, r := range rs {
				want := tt.want
				if strings.HasSuffix(key, "SECONDARY") {
					want = false
				}
				if got := plan.Get(r.Inputs, "aliases", 0, "evaluateTargetHealth"); got != want {
					t.Errorf("%s: %s evaluates target health %v, want %v", tt.name, key, got, want)
				}
			}
		}
	}
}

// TestAliasInTheWrongZoneIsRefused: the simulated account refuses an alias to a load balancer
// that names another region's load balancer zone, as Route 53 does.
func TestAliasInTheWrongZoneIsRefused(t *testing.T) {
	args := baseArgs()
	args.Primary.ZoneID = pulumi.String("Z35SXDOTRQ7X7K") // us-east-1's; the load balancer is in eu-west-1
	_, err := plan.RunInRegion("eu-west-1", func(ctx *pulumi.Context) error {
		_, err := New(ctx, "dns", args)
		return err
	}, plan.Strict)
	if err == nil || !strings.Contains(err.Error(), "the alias target name does not lie within the target zone") {
		t.Fatalf("error = %v", err)
	}
}

func TestFailoverDrill(t *testing.T) {
	args := baseArgs()
	args.FailoverDrill = true
	if got := runDNS(t, args).OfType(checkType)[0].Inputs["invertHealthcheck"]; got != true {
		t.Fatalf("invertHealthcheck = %v", got)
	}
}

func TestInvalidArgs(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Args)
		want   string
	}{
		{"interval 20", func(a *Args) { a.HealthCheckInterval = pulumi.IntRef(20) }, `HealthCheckInterval: invalid value "20": one of 10, 30`},
		{"threshold 0, not the default", func(a *Args) { a.HealthCheckFailureThreshold = pulumi.IntRef(0) }, `HealthCheckFailureThreshold: invalid value "0": a whole number from 1 to 10`},
		{"threshold 11", func(a *Args) { a.HealthCheckFailureThreshold = pulumi.IntRef(11) }, `HealthCheckFailureThreshold: invalid value "11": a whole number from 1 to 10`},
		{"two regions", func(a *Args) { a.HealthCheckRegions = []string{"us-east-1", "eu-west-1"} }, `HealthCheckRegions: invalid value "us-east-1,eu-west-1": at least 3 checker regions`},
		{"unknown region", func(a *Args) { a.HealthCheckRegions = []string{"us-east-1", "eu-west-1", "eu-central-1"} }, `HealthCheckRegions: invalid value "us-east-1,eu-west-1,eu-central-1": distinct Route 53 checker regions`},
		{"repeated region", func(a *Args) { a.HealthCheckRegions = []string{"us-east-1", "us-east-1", "eu-west-1"} }, `distinct Route 53 checker regions`},
		{"no names", func(a *Args) { a.Names = nil }, `Names: invalid value "": at least one name`},
		{"repeated name", func(a *Args) { a.Names = []string{"example.com", "example.com"} }, `Names[1]: invalid value "example.com": each name once`},
		{"bad path", func(a *Args) { a.HealthCheckPath = "health" }, `HealthCheckPath: invalid value "health"`},
		{"bad email", func(a *Args) { a.AlarmEmail = pulumi.String("ops at example") }, `AlarmEmail: invalid value "ops at example": a plain email address`},
		{"bad secret email", func(a *Args) { a.AlarmEmail = pulumi.ToSecret(pulumi.String("ops at example")).(pulumi.StringOutput) },
			`AlarmEmail: invalid value "[secret]": a plain email address`},
		{"no primary", func(a *Args) { a.Primary.DNSName = nil }, `Primary.DNSName: invalid value "": required`},
		{"no zone", func(a *Args) { a.ZoneID = nil }, `ZoneID: invalid value "": required`},
		{"no secondary", func(a *Args) { a.Secondary.DNSName = nil }, `Secondary.DNSName: invalid value "": required`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := baseArgs()
			tt.mutate(args)
			p, err := plan.RunInRegion("eu-west-1", func(ctx *pulumi.Context) error {
				_, err := New(ctx, "dns", args)
				return err
			}, plan.Strict)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "ops at example") && strings.Contains(tt.want, "[secret]") {
				t.Errorf("the error shows the secret: %v", err)
			}
			if len(p.Resources) != 0 {
				t.Errorf("%d resources registered before the error", len(p.Resources))
			}
		})
	}
}

func keys(m map[string][]plan.Resource) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestDualstackOnlyForLoadBalancers: the alias gets the dualstack. prefix when its target is a
// load balancer, whichever end it is, and never otherwise (an API Gateway or CloudFront primary,
// a name that already has it).
func TestDualstackOnlyForLoadBalancers(t *testing.T) {
	for _, tt := range []struct{ target, zone, want string }{
		{albDNS, albZone, "dualstack." + albDNS},
		{"DualStack." + albDNS, albZone, "DualStack." + albDNS},
		{"d-abc123.execute-api.eu-west-1.amazonaws.com", "ZLY8HYME6SFDD", "d-abc123.execute-api.eu-west-1.amazonaws.com"},
		{"d222222abcdef8.cloudfront.net", "Z2FDTNDATAQYW2", "d222222abcdef8.cloudfront.net"},
	} {
		args := baseArgs()
		args.Primary = Target{DNSName: pulumi.String(tt.target), ZoneID: pulumi.String(tt.zone)}
		if tt.zone != albZone {
			args.PrimaryEvaluateTargetHealth = pulumi.BoolRef(false) // not a load balancer
		}
		for _, r := range runDNS(t, args).OfType(recordType) {
			role := plan.Get(r.Inputs, "failoverRoutingPolicies", 0, "type")
			got := plan.Get(r.Inputs, "aliases", 0, "name")
			if role == "PRIMARY" && got != tt.want {
				t.Errorf("primary %s: alias %v, want %s", tt.target, got, tt.want)
			}
			if role == "SECONDARY" && got != cdnDNS {
				t.Errorf("secondary: alias %v, want %s", got, cdnDNS)
			}
		}
	}
}

// TestSecondaryWaitsForPrimary: each SECONDARY record is created after its PRIMARY, so that a
// stack leaving edge mode turns the plain alias into the PRIMARY before Route 53 sees a failover
// record beside it.
func TestSecondaryWaitsForPrimary(t *testing.T) {
	byKey := records(runDNS(t, baseArgs()))
	for _, name := range []string{"example.com", "www.example.com"} {
		primary, secondary := byKey[name+" A PRIMARY"][0], byKey[name+" A SECONDARY"][0]
		if !slices.Contains(secondary.DependsOn, primary.URN) {
			t.Errorf("%s: the SECONDARY does not wait for the PRIMARY: %v", name, secondary.DependsOn)
		}
	}
}
