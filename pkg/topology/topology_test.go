package topology

import (
	"maps"
	"net"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
	"github.com/seed-2b23e6e5/route53-failover/internal/docs"
	"github.com/seed-2b23e6e5/route53-failover/internal/healthcheck"
	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
	"github.com/seed-2b23e6e5/route53-failover/pkg/edgefailover"
	"github.com/seed-2b23e6e5/route53-failover/pkg/errorsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/estimate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/failoverdns"
	"github.com/seed-2b23e6e5/route53-failover/pkg/mainsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

// account holds the public zones of the tests' domains.
var account = mockcloud.Existing{Zones: []mockcloud.Zone{
	mockcloud.PublicZone("example.com"), mockcloud.PublicZone("shop.example"), mockcloud.PublicZone("blog.example"),
	{ID: "Z0GIVEN00000000000000", Name: "example.com"},
}}

func run(region string, body func(ctx *pulumi.Context) error) (*plan.Plan, error) {
	return plan.RunInAccount(region, account, body, plan.Strict)
}

func TestGivenZoneIsNotLookedUp(t *testing.T) {
	p, err := run("eu-west-1", func(ctx *pulumi.Context) error {
		_, err := New(ctx, "site", &Args{Domain: "example.com", HostedZoneID: pulumi.String("Z0GIVEN00000000000000")})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range p.Invokes {
		if i.Token == awstype.GetZone {
			t.Error("the zone was looked up although it was given")
		}
	}
	records := p.OfType(awstype.Record)
	if len(records) < 4 {
		t.Fatal("no records")
	}
	for _, r := range records {
		if !r.Read && r.Inputs["zoneId"] != "Z0GIVEN00000000000000" {
			t.Errorf("record %s in zone %v", r.Name, r.Inputs["zoneId"])
		}
	}
}

func TestTwoSitesInOneStack(t *testing.T) {
	p, err := run("eu-west-1", func(ctx *pulumi.Context) error {
		if _, err := New(ctx, "shop", &Args{Domain: "shop.example"}); err != nil {
			return err
		}
		_, err := New(ctx, "blog", &Args{Domain: "blog.example", Tags: pulumi.StringMap{"team": pulumi.String("blog")}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(p.OfType(mainsite.Type)); n != 2 {
		t.Fatalf("%d main sites", n)
	}
	alb := p.Find(awstype.LoadBalancer, "blog-main-alb")
	if alb == nil || plan.Get(alb.Inputs, "tags", "team") != "blog" {
		t.Errorf("the topology's tags do not reach its resources: %v", alb)
	}
}

func TestValidateNamesFields(t *testing.T) {
	args := &Args{Domain: "example.com", MainSite: mainsite.Args{TargetCheckInterval: pulumi.IntRef(1)}}
	err := args.Validate()
	if err == nil || !strings.HasPrefix(err.Error(), `MainSite.TargetCheckInterval: invalid value "1"`) {
		t.Fatalf("error = %v", err)
	}
	args = &Args{Domain: "example.com", AlternateNames: []string{"example.org"}}
	if err := args.Validate(); err == nil || !strings.HasPrefix(err.Error(), `AlternateNames[0]: invalid value "example.org"`) {
		t.Fatalf("error = %v", err)
	}
	// A part's rule about a field the topology sets names the topology's field that sets it.
	args = &Args{Domain: "example.com", FailoverMode: ModeEdge, FailoverDNS: failoverdns.Args{FailoverDrill: true}}
	if err := args.Validate(); err == nil || err.Error() != `FailoverDNS.FailoverDrill: invalid value "true": false in edge mode (FailoverMode): `+
		`the health check steers no record there; drill by taking the main site's targets away (failover drill -method deregister)` {
		t.Fatalf("error = %v", err)
	}
}

// TestCertificates: in us-east-1 one certificate (and one set of validation records) serves the
// load balancer and CloudFront; elsewhere each gets one in the region it needs, and the two ask
// for the same validation records, which the stack writes once: the main site's certificate
// writes them, CloudFront's reads them.
func TestCertificates(t *testing.T) {
	tests := []struct {
		region       string
		certificates int
		listenerCert string // region of the listener's certificate
		reads        int
		ownProviders int
	}{
		{"us-east-1", 1, "us-east-1", 0, 0},
		{"ap-northeast-1", 2, "ap-northeast-1", 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			p, err := run(tt.region, func(ctx *pulumi.Context) error {
				_, err := New(ctx, "site", &Args{Domain: "example.com", AlternateNames: []string{"www.example.com"}})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if n := len(p.OfType(awstype.Certificate)); n != tt.certificates {
				t.Errorf("%d certificates, want %d", n, tt.certificates)
			}
			written, reads := map[string]int{}, 0
			for _, r := range p.OfType(awstype.Record) {
				switch {
				case r.Read:
					reads++
				case r.Inputs["type"] != "CNAME":
				default:
					written[r.Inputs["zoneId"].(string)+" "+r.Inputs["name"].(string)]++
				}
			}
			if len(written) != 2 || reads != tt.reads {
				t.Errorf("validation records written %v, read %d; want 2 records each written once, %d read", written, reads, tt.reads)
			}
			for record, n := range written {
				if n != 1 {
					t.Errorf("validation record %s is written by %d resources: deleting one would delete the record the other needs", record, n)
				}
			}
			if n := len(p.OfType(awstype.Provider)); n != tt.ownProviders {
				t.Errorf("%d extra providers, want %d", n, tt.ownProviders)
			}
			listener := plan.Get(p.Find(awstype.Listener, "site-main-https").Inputs, "certificateArn").(string)
			viewer := plan.Get(p.OfType(awstype.Distribution)[0].Inputs, "viewerCertificate", "acmCertificateArn").(string)
			if !strings.HasPrefix(listener, "arn:aws:acm:"+tt.listenerCert+":") || !strings.HasPrefix(viewer, "arn:aws:acm:us-east-1:") {
				t.Errorf("listener uses %s, CloudFront uses %s", listener, viewer)
			}
			if (listener == viewer) != (tt.certificates == 1) {
				t.Errorf("listener and CloudFront share a certificate: %v", listener == viewer)
			}
		})
	}
}

// TestNothingBeforeTheAccountIsChecked: when the main site finds that the account cannot run the
// stack (an instance type offered in one zone only), nothing has been registered yet: not the
// zone the topology creates, nor the certificate it shares in us-east-1.
func TestNothingBeforeTheAccountIsChecked(t *testing.T) {
	for _, tt := range []struct {
		region, instanceType string
		create               bool
	}{{"ap-northeast-1", "m8g.large", true}, {"us-east-1", "t9.micro", false}} {
		p, err := run(tt.region, func(ctx *pulumi.Context) error {
			_, err := New(ctx, "site", &Args{Domain: "example.com", CreateHostedZone: tt.create,
				MainSite: mainsite.Args{InstanceType: tt.instanceType}})
			return err
		})
		if err == nil || !strings.Contains(err.Error(), `MainSite.InstanceType: invalid value "`+tt.instanceType+`"`) {
			t.Fatalf("%s: error = %v", tt.region, err)
		}
		for _, r := range p.Resources {
			if r.Custom {
				t.Errorf("%s: %s was registered before the account was checked", tt.region, r.URN)
			}
		}
	}
}

// TestRegionComesFromTheProvider: the topology runs in its provider's region, not the stack's:
// given a us-east-1 provider in a stack of eu-west-1, it shares one certificate between the
// sites and needs no provider of its own.
func TestRegionComesFromTheProvider(t *testing.T) {
	for _, tt := range []struct {
		name         string
		provider     string // "" for the stack's default provider
		certificates int
	}{
		{"stack's region", "", 2},
		{"given us-east-1 provider", "us-east-1", 1},
	} {
		p, err := run("eu-west-1", func(ctx *pulumi.Context) error {
			var opts []pulumi.ResourceOption
			if tt.provider != "" {
				given, err := aws.NewProvider(ctx, "given", &aws.ProviderArgs{Region: pulumi.String(tt.provider)})
				if err != nil {
					return err
				}
				opts = append(opts, pulumi.Provider(given))
			}
			_, err := New(ctx, "site", &Args{Domain: "example.com"}, opts...)
			return err
		})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		certs := p.OfType(awstype.Certificate)
		if len(certs) != tt.certificates {
			t.Errorf("%s: %d certificates, want %d", tt.name, len(certs), tt.certificates)
		}
		if tt.provider == "" {
			continue
		}
		for _, r := range p.Resources {
			if r.Custom && r.Type != awstype.Provider && p.Region(&r) != tt.provider {
				t.Errorf("%s: %s is managed in %s, want %s", tt.name, r.Name, p.Region(&r), tt.provider)
			}
		}
		if n := len(p.OfType(awstype.Provider)); n != 1 {
			t.Errorf("%s: %d providers, want only the given one", tt.name, n)
		}
	}
}

func countCNAMEs(p *plan.Plan) int {
	n := 0
	for _, r := range p.OfType(awstype.Record) {
		if r.Inputs["type"] == "CNAME" {
			n++
		}
	}
	return n
}

func TestCreatedZone(t *testing.T) {
	var nameServers []string
	p, err := plan.RunInAccount("eu-west-1", mockcloud.Existing{}, func(ctx *pulumi.Context) error {
		site, err := New(ctx, "site", &Args{Domain: "example.com", CreateHostedZone: true})
		if err != nil {
			return err
		}
		site.NameServers.ApplyT(func(ns []string) []string { nameServers = ns; return ns })
		return nil
	}, plan.Strict)
	if err != nil {
		t.Fatal(err)
	}
	zones := p.OfType(awstype.Zone)
	if len(zones) != 1 || zones[0].Inputs["name"] != "example.com" {
		t.Fatalf("zones: %v", zones)
	}
	if !zones[0].Protect {
		t.Error("the created zone is not protected from deletion")
	}
	if len(nameServers) != 4 || !strings.HasPrefix(nameServers[0], "ns-") {
		t.Errorf("name servers to delegate: %v", nameServers)
	}
	for _, r := range p.OfType(awstype.Record) {
		if !r.Read && r.Inputs["zoneId"] != zones[0].ID {
			t.Errorf("record %s is not in the created zone", r.Name)
		}
	}
	for _, i := range p.Invokes {
		if i.Token == awstype.GetZone {
			t.Error("the zone was looked up although it is created")
		}
	}

	_, err = run("eu-west-1", func(ctx *pulumi.Context) error {
		_, err := New(ctx, "site", &Args{Domain: "example.com", CreateHostedZone: true, HostedZoneID: pulumi.String("Z0123")})
		return err
	})
	if err == nil || !strings.Contains(err.Error(), `CreateHostedZone: invalid value "true": false when HostedZoneID is given`) {
		t.Fatalf("error = %v", err)
	}
}

// TestIPv6 follows IPv6 from the network to the records: a dualstack load balancer in subnets
// with their own /64 of the VPC's /56, a route for ::/0, and AAAA pairs. Without it, no AAAA.
func TestIPv6(t *testing.T) {
	for _, ipv6 := range []bool{false, true} {
		p, err := run("ap-northeast-1", func(ctx *pulumi.Context) error {
			_, err := New(ctx, "site", &Args{Domain: "example.com", MainSite: mainsite.Args{IPv6: ipv6}})
			return err
		})
		if err != nil {
			t.Fatalf("ipv6 %v: %v", ipv6, err)
		}
		aaaa := 0
		for _, r := range p.OfType(awstype.Record) {
			if r.Inputs["type"] == "AAAA" {
				aaaa++
			}
		}
		wantType, wantAAAA := "ipv4", 0
		if ipv6 {
			wantType, wantAAAA = "dualstack", 2
		}
		if got := p.OfType(awstype.LoadBalancer)[0].Inputs["ipAddressType"]; got != wantType {
			t.Errorf("ipv6 %v: load balancer %v", ipv6, got)
		}
		if aaaa != wantAAAA {
			t.Errorf("ipv6 %v: %d AAAA records, want %d (a PRIMARY and a SECONDARY)", ipv6, aaaa, wantAAAA)
		}
		if !ipv6 {
			continue
		}
		vpc := p.OfType(awstype.VPC)[0].Outputs["ipv6CidrBlock"].(string)
		_, vpcNet, err := net.ParseCIDR(vpc)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[any]bool{}
		for _, s := range p.OfType(awstype.Subnet) {
			block, _ := s.Inputs["ipv6CidrBlock"].(string)
			ip, subnet, err := net.ParseCIDR(block)
			if err != nil || !vpcNet.Contains(ip) || seen[block] {
				t.Errorf("subnet %s has IPv6 block %q in VPC %s", s.Name, block, vpc)
				continue
			}
			if ones, _ := subnet.Mask.Size(); ones != 64 {
				t.Errorf("subnet %s has a /%d", s.Name, ones)
			}
			seen[block] = true
		}
		found := false
		for _, r := range p.OfType(awstype.Route) {
			found = found || r.Inputs["destinationIpv6CidrBlock"] == "::/0"
		}
		if !found {
			t.Error("no IPv6 default route: the load balancer could not answer IPv6 clients")
		}
	}
}

func TestAlarmSharesTheUSEast1Provider(t *testing.T) {
	p, err := run("ap-northeast-1", func(ctx *pulumi.Context) error {
		_, err := New(ctx, "site", &Args{Domain: "example.com", FailoverDNS: failoverdns.Args{AlarmEmail: pulumi.String("ops@example.com")}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	providers := p.OfType(awstype.Provider)
	if len(providers) != 1 || providers[0].Inputs["region"] != "us-east-1" {
		t.Fatalf("providers: %v", providers)
	}
	ref := providers[0].URN + "::" + providers[0].ID
	for _, typ := range []string{awstype.Certificate, awstype.MetricAlarm} {
		used := false
		for _, r := range p.OfType(typ) {
			used = used || r.Provider == ref
		}
		if !used {
			t.Errorf("no %s uses the us-east-1 provider", typ)
		}
	}
}

// TestWhatValidateCannotSeeRegistersNothing: a given provider outside us-east-1, or a secret
// email that is not one, is refused before the topology registers anything; the secret is not
// shown.
func TestWhatValidateCannotSeeRegistersNothing(t *testing.T) {
	for _, tt := range []struct {
		name string
		dns  func(ctx *pulumi.Context) (failoverdns.Args, error)
		want string
	}{
		{"provider elsewhere", func(ctx *pulumi.Context) (failoverdns.Args, error) {
			west, err := aws.NewProvider(ctx, "west", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
			return failoverdns.Args{AlarmEmail: pulumi.String("ops@example.com"), AlarmProvider: west}, err
		}, `FailoverDNS.AlarmProvider: invalid value "eu-west-1"`},
		{"secret email", func(*pulumi.Context) (failoverdns.Args, error) {
			return failoverdns.Args{AlarmEmail: pulumi.ToSecret(pulumi.String("oncall at example")).(pulumi.StringOutput)}, nil
		}, `FailoverDNS.AlarmEmail: invalid value "[secret]"`},
	} {
		p, err := run("eu-west-1", func(ctx *pulumi.Context) error {
			dns, err := tt.dns(ctx)
			if err != nil {
				return err
			}
			_, err = New(ctx, "site", &Args{Domain: "example.com", FailoverDNS: dns})
			return err
		})
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "oncall") {
			t.Fatalf("%s: error = %v, want %q", tt.name, err, tt.want)
		}
		for _, r := range p.Resources {
			if r.Type != awstype.Provider {
				t.Errorf("%s: %s registered before the error", tt.name, r.URN)
			}
		}
	}
}

// TestExposedResources: each resource a component exposes is the resource of that role, so that
// an importer who builds on it (a rule on HTTPSListener, a WAF on LoadBalancer) builds on the
// right one.
func TestExposedResources(t *testing.T) {
	var urns map[string]string
	p, err := run("eu-west-1", func(ctx *pulumi.Context) error {
		site, err := New(ctx, "site", &Args{
			Domain: "example.com", AlternateNames: []string{"www.example.com"},
			MainSite:    mainsite.Args{IPv6: true},
			FailoverDNS: failoverdns.Args{AlarmEmail: pulumi.String("ops@example.com")},
		})
		if err != nil {
			return err
		}
		m, e, d := site.MainSite, site.ErrorSite, site.DNS
		exposed := map[string]pulumi.Resource{
			"MainSite.LoadBalancer": m.LoadBalancer, "MainSite.TargetGroup": m.TargetGroup,
			"MainSite.HTTPSListener": m.HTTPSListener, "MainSite.HTTPListener": m.HTTPListener,
			"MainSite.SecurityGroups.LoadBalancer": m.SecurityGroups.LoadBalancer,
			"MainSite.SecurityGroups.Instance":     m.SecurityGroups.Instance,
			"MainSite.LaunchTemplate":              m.LaunchTemplate, "MainSite.AutoScalingGroup": m.AutoScalingGroup, "MainSite.VPC": m.VPC,
			"MainSite.Subnets[0]": m.Subnets[0], "MainSite.Subnets[1]": m.Subnets[1],
			"MainSite.Certificate.Certificate": m.Certificate.Certificate,
			"ErrorSite.Bucket":                 e.Bucket, "ErrorSite.Distribution": e.Distribution,
			"ErrorSite.OriginAccessControl":              e.OriginAccessControl,
			"ErrorSite.Certificate.Validation":           e.Certificate.Validation,
			"DNS.HealthCheck":                            d.HealthCheck,
			"DNS.Records[www.example.com][AAAA].Primary": d.Records["www.example.com"]["AAAA"].Primary,
			"DNS.Records[example.com][A].Secondary":      d.Records["example.com"]["A"].Secondary,
			"DNS.Alarm.Topic":                            d.Alarm.Topic, "DNS.Alarm.Subscription": d.Alarm.Subscription,
			"DNS.Alarm.MetricAlarm": d.Alarm.MetricAlarm,
		}
		var fields []string
		var outs []any
		for field, r := range exposed {
			fields = append(fields, field)
			outs = append(outs, r.URN())
		}
		pulumi.All(outs...).ApplyT(func(v []any) error {
			urns = map[string]string{}
			for i, u := range v {
				urns[fields[i]] = string(u.(pulumi.URN))
			}
			return nil
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"MainSite.LoadBalancer":                      "aws:lb/loadBalancer:LoadBalancer::site-main-alb",
		"MainSite.TargetGroup":                       "aws:lb/targetGroup:TargetGroup::site-main-tg",
		"MainSite.HTTPSListener":                     "aws:lb/listener:Listener::site-main-https",
		"MainSite.HTTPListener":                      "aws:lb/listener:Listener::site-main-http",
		"MainSite.SecurityGroups.LoadBalancer":       "aws:ec2/securityGroup:SecurityGroup::site-main-alb-sg",
		"MainSite.SecurityGroups.Instance":           "aws:ec2/securityGroup:SecurityGroup::site-main-web-sg",
		"MainSite.LaunchTemplate":                    "aws:ec2/launchTemplate:LaunchTemplate::site-main-web",
		"MainSite.AutoScalingGroup":                  "aws:autoscaling/group:Group::site-main-web",
		"MainSite.VPC":                               "aws:ec2/vpc:Vpc::site-main-vpc",
		"MainSite.Subnets[0]":                        "aws:ec2/subnet:Subnet::site-main-public-1",
		"MainSite.Subnets[1]":                        "aws:ec2/subnet:Subnet::site-main-public-2",
		"MainSite.Certificate.Certificate":           "aws:acm/certificate:Certificate::site-main-cert",
		"ErrorSite.Bucket":                           "aws:s3/bucketV2:BucketV2::site-error-bucket",
		"ErrorSite.Distribution":                     "aws:cloudfront/distribution:Distribution::site-error-cdn",
		"ErrorSite.OriginAccessControl":              "aws:cloudfront/originAccessControl:OriginAccessControl::site-error-oac",
		"ErrorSite.Certificate.Validation":           "aws:acm/certificateValidation:CertificateValidation::site-error-cert-validation",
		"DNS.HealthCheck":                            "aws:route53/healthCheck:HealthCheck::site-dns-health",
		"DNS.Records[www.example.com][AAAA].Primary": "aws:route53/record:Record::site-dns-www.example.com-AAAA-primary",
		"DNS.Records[example.com][A].Secondary":      "aws:route53/record:Record::site-dns-example.com-A-secondary",
		"DNS.Alarm.Topic":                            "aws:sns/topic:Topic::site-dns-alarm",
		"DNS.Alarm.Subscription":                     "aws:sns/topicSubscription:TopicSubscription::site-dns-alarm-email",
		"DNS.Alarm.MetricAlarm":                      "aws:cloudwatch/metricAlarm:MetricAlarm::site-dns-alarm",
	}
	for field, suffix := range want {
		urn := urns[field]
		if !strings.HasSuffix(urn, suffix) || p.ByURN(urn) == nil {
			t.Errorf("%s is %q, want the planned resource ...%s", field, urn, suffix)
		}
	}
}

// TestRulesAddedComeBeforeTheSecretRule: in edge mode with a secret, a rule a stack adds to the
// HTTPS listener (the README's /admin answered 403) still applies to what CloudFront forwards:
// the rule that forwards requests carrying the secret comes last.
func TestRulesAddedComeBeforeTheSecretRule(t *testing.T) {
	p, err := run("eu-west-1", func(ctx *pulumi.Context) error {
		site, err := New(ctx, "shop", &Args{Domain: "shop.example", FailoverMode: ModeEdge,
			OriginSecret: pulumi.ToSecret(pulumi.String("0123456789abcdef0123456789abcdef")).(pulumi.StringOutput)})
		if err != nil {
			return err
		}
		_, err = lb.NewListenerRule(ctx, "shop-no-admin", &lb.ListenerRuleArgs{
			ListenerArn: site.MainSite.HTTPSListener.Arn,
			Priority:    pulumi.Int(10),
			Conditions: lb.ListenerRuleConditionArray{&lb.ListenerRuleConditionArgs{
				PathPattern: &lb.ListenerRuleConditionPathPatternArgs{Values: pulumi.ToStringArray([]string{"/admin*"})},
			}},
			Actions: lb.ListenerRuleActionArray{&lb.ListenerRuleActionArgs{
				Type:          pulumi.String("fixed-response"),
				FixedResponse: &lb.ListenerRuleActionFixedResponseArgs{ContentType: pulumi.String("text/plain"), StatusCode: pulumi.String("403")},
			}},
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		path   string
		status int
		page   string
	}{{"/", 200, mockcloud.PageMain}, {"/admin/users", 403, ""}} {
		got := p.Account.Visit("shop.example", tt.path)
		if got.Status != tt.status || got.Page != tt.page {
			t.Errorf("%s: %s, want %d %q", tt.path, got, tt.status, tt.page)
		}
	}
}

// TestModeSwitchKeepsURNs: what the edge front door and dns mode's parts both hold (the
// distribution, the health check, the alarm, each name's A record) is one AWS resource: each
// side's aliases name the other side's URN, so that switching modes moves it instead of replacing
// it. What only edge mode made under the error site (the function, its role) is aliased to
// where it was, for the upgrade.
func TestModeSwitchKeepsURNs(t *testing.T) {
	plans := map[string]*plan.Plan{}
	for _, mode := range Modes() {
		p, err := run("eu-west-1", func(ctx *pulumi.Context) error {
			_, err := New(ctx, "site", &Args{Domain: "example.com", AlternateNames: []string{"www.example.com"}, FailoverMode: mode,
				FailoverDNS: failoverdns.Args{AlarmEmail: pulumi.String("ops@example.com")}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		plans[mode] = p
	}
	dns, edge := plans[ModeDNS], plans[ModeEdge]
	paired := map[string]string{}
	for _, r := range edge.Resources {
		for _, alias := range r.Aliases {
			if other := dns.ByURN(alias); other != nil {
				paired[r.Name] = other.Name
				if !slices.Contains(other.Aliases, r.URN) {
					t.Errorf("%s is aliased to %s, which is not aliased back", r.Name, other.Name)
				}
			}
		}
	}
	want := map[string]string{
		"site-edge-cdn": "site-error-cdn", "site-edge-health": "site-dns-health", "site-edge-alarm": "site-dns-alarm",
		"site-edge-alarm-email": "site-dns-alarm-email", "site-edge-example.com-A": "site-dns-example.com-A-primary",
		"site-edge-www.example.com-A": "site-dns-www.example.com-A-primary",
	}
	if !maps.Equal(paired, want) {
		t.Errorf("edge mode's resources and their dns-mode counterparts: %v, want %v", paired, want)
	}
	for name, before := range map[string]string{"site-edge-failover": "site-error-failover", "site-edge-failover-role": "site-error-failover-role"} {
		prefix := "urn:pulumi:test::test::" + Type + "$" + errorsite.Type + "$"
		for _, r := range edge.Resources {
			if r.Name == name && !slices.ContainsFunc(r.Aliases, func(a string) bool {
				return strings.HasPrefix(a, prefix) && strings.HasSuffix(a, "::"+before)
			}) {
				t.Errorf("%s %s is not aliased to the error site's %s: %v", r.Type, name, before, r.Aliases)
			}
		}
	}
}

// readmeRows are the configurations the documentation compares (docs/design.md): the hand-built
// original and this project's defaults.
var readmeRows = []estimate.Row{
	{Name: "AWS defaults (the hand-built original)", Settings: estimate.AWSDefaults},
	{Name: "this project's defaults", Settings: estimate.Settings{
		TargetInterval: mainsite.DefaultInterval, TargetUnhealthyThreshold: mainsite.DefaultUnhealthyThreshold,
		HealthCheckInterval: healthcheck.DefaultInterval, HealthCheckFailureThreshold: healthcheck.DefaultFailureThreshold,
	}},
	{Name: "fastest allowed (target group 5 s × 2, health check 10 s × 1)", Settings: estimate.Settings{
		TargetInterval: 5, TargetUnhealthyThreshold: 2, HealthCheckInterval: 10, HealthCheckFailureThreshold: 1,
	}},
}

// TestEstimateTable keeps the documentation's table (docs/design.md) the function's own output.
func TestEstimateTable(t *testing.T) {
	readme, err := docs.ReadDocuments("../..")
	if err != nil {
		t.Fatal(err)
	}
	table := estimate.Table(readmeRows...)
	if !strings.Contains(readme, table) {
		t.Fatalf("docs/design.md does not contain the estimate table; paste this:\n%s", table)
	}
}

// TestModesTable keeps the documentation's comparison of the two modes
// (docs/edge-mode.md), at the project's defaults, the function's own output.
func TestModesTable(t *testing.T) {
	readme, err := docs.ReadDocuments("../..")
	if err != nil {
		t.Fatal(err)
	}
	dns := readmeRows[1].Settings
	edge := dns
	edge.Origin = &estimate.Origin{ConnectionAttempts: edgefailover.DefaultConnectionAttempts, ConnectionTimeout: edgefailover.DefaultConnectionTimeout, ReadTimeout: edgefailover.DefaultReadTimeout}
	table := estimate.ModesTable(dns, edge)
	if !strings.Contains(readme, table) {
		t.Fatalf("docs/edge-mode.md does not contain the modes table; paste this:\n%s", table)
	}
}
