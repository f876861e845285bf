package topology

import (
	"net"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/pkg/failoverdns"
	"github.com/seed-2b23e6e5/route53-failover/pkg/mainsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/mockcloud"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

func TestGivenZoneIsNotLookedUp(t *testing.T) {
	p, err := plan.RunInRegion("eu-west-1", func(ctx *pulumi.Context) error {
		_, err := New(ctx, "site", &Args{Domain: "example.com", HostedZoneID: pulumi.String("Z0GIVEN00000000000000")})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range p.Invokes {
		if i.Token == "aws:route53/getZone:getZone" {
			t.Error("the zone was looked up although it was given")
		}
	}
	records := p.OfType("aws:route53/record:Record")
	if len(records) < 4 {
		t.Fatal("no records")
	}
	for _, r := range records {
		if r.Inputs["zoneId"] != "Z0GIVEN00000000000000" {
			t.Errorf("record %s in zone %v", r.Name, r.Inputs["zoneId"])
		}
	}
}

func TestTwoSitesInOneStack(t *testing.T) {
	p, err := plan.RunInRegion("eu-west-1", func(ctx *pulumi.Context) error {
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
	alb := p.Find("aws:lb/loadBalancer:LoadBalancer", "blog-main-alb")
	if alb == nil || plan.Get(alb.Inputs, "tags", "team") != "blog" {
		t.Errorf("the topology's tags do not reach its resources: %v", alb)
	}
}

func TestValidateNamesFields(t *testing.T) {
	args := &Args{Domain: "example.com", MainSite: mainsite.Args{HealthCheck: mainsite.TargetHealthCheck{Interval: 1}}}
	err := args.Validate(nil)
	if err == nil || !strings.HasPrefix(err.Error(), `MainSite.HealthCheck.Interval: invalid value "1"`) {
		t.Fatalf("error = %v", err)
	}
	args = &Args{Domain: "example.com", AlternateNames: []string{"example.org"}}
	if err := args.Validate(nil); err == nil || !strings.HasPrefix(err.Error(), `AlternateNames[0]: invalid value "example.org"`) {
		t.Fatalf("error = %v", err)
	}
}

// TestCertificates: in us-east-1 one certificate (and one set of validation records) serves the
// load balancer and CloudFront; elsewhere each gets one in the region it needs.
func TestCertificates(t *testing.T) {
	tests := []struct {
		region       string
		certificates int
		listenerCert string // region of the listener's certificate
		records      int
		ownProviders int
	}{
		{"us-east-1", 1, "us-east-1", 2, 0},
		{"ap-northeast-1", 2, "ap-northeast-1", 4, 1},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			p, err := plan.RunInRegion(tt.region, func(ctx *pulumi.Context) error {
				_, err := New(ctx, "site", &Args{Domain: "example.com", AlternateNames: []string{"www.example.com"}})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if n := len(p.OfType("aws:acm/certificate:Certificate")); n != tt.certificates {
				t.Errorf("%d certificates, want %d", n, tt.certificates)
			}
			if n := countCNAMEs(p); n != tt.records {
				t.Errorf("%d validation records, want %d", n, tt.records)
			}
			if n := len(p.OfType("pulumi:providers:aws")); n != tt.ownProviders {
				t.Errorf("%d extra providers, want %d", n, tt.ownProviders)
			}
			listener := plan.Get(p.Find("aws:lb/listener:Listener", "site-main-https").Inputs, "certificateArn").(string)
			viewer := plan.Get(p.OfType("aws:cloudfront/distribution:Distribution")[0].Inputs, "viewerCertificate", "acmCertificateArn").(string)
			if !strings.HasPrefix(listener, "arn:aws:acm:"+tt.listenerCert+":") || !strings.HasPrefix(viewer, "arn:aws:acm:us-east-1:") {
				t.Errorf("listener uses %s, CloudFront uses %s", listener, viewer)
			}
			if (listener == viewer) != (tt.certificates == 1) {
				t.Errorf("listener and CloudFront share a certificate: %v", listener == viewer)
			}
		})
	}
}

func TestRegionRequired(t *testing.T) {
	_, err := plan.RunInRegion("", func(ctx *pulumi.Context) error {
		_, err := New(ctx, "site", &Args{Domain: "example.com"})
		return err
	})
	if err == nil || !strings.Contains(err.Error(), `Region: invalid value ""`) {
		t.Fatalf("error = %v", err)
	}
}

func countCNAMEs(p *plan.Plan) int {
	n := 0
	for _, r := range p.OfType("aws:route53/record:Record") {
		if r.Inputs["type"] == "CNAME" {
			n++
		}
	}
	return n
}

func TestCreatedZone(t *testing.T) {
	var nameServers []string
	p, err := plan.RunInRegion("eu-west-1", func(ctx *pulumi.Context) error {
		site, err := New(ctx, "site", &Args{Domain: "example.com", CreateHostedZone: true})
		if err != nil {
			return err
		}
		site.NameServers.ApplyT(func(ns []string) []string { nameServers = ns; return ns })
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	zones := p.OfType("aws:route53/zone:Zone")
	if len(zones) != 1 || zones[0].Inputs["name"] != "example.com" {
		t.Fatalf("zones: %v", zones)
	}
	if !zones[0].Protect {
		t.Error("the created zone is not protected from deletion")
	}
	if len(nameServers) != 4 || !strings.HasPrefix(nameServers[0], "ns-") {
		t.Errorf("name servers to delegate: %v", nameServers)
	}
	for _, r := range p.OfType("aws:route53/record:Record") {
		if r.Inputs["zoneId"] != zones[0].ID {
			t.Errorf("record %s is not in the created zone", r.Name)
		}
	}
	for _, i := range p.Invokes {
		if i.Token == "aws:route53/getZone:getZone" {
			t.Error("the zone was looked up although it is created")
		}
	}

	_, err = plan.RunInRegion("eu-west-1", func(ctx *pulumi.Context) error {
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
		p, err := plan.RunInRegion("ap-northeast-1", func(ctx *pulumi.Context) error {
			_, err := New(ctx, "site", &Args{Domain: "example.com", MainSite: mainsite.Args{IPv6: ipv6}})
			return err
		})
		if err != nil {
			t.Fatalf("ipv6 %v: %v", ipv6, err)
		}
		aaaa := 0
		for _, r := range p.OfType("aws:route53/record:Record") {
			if r.Inputs["type"] == "AAAA" {
				aaaa++
			}
		}
		wantType, wantAAAA := "ipv4", 0
		if ipv6 {
			wantType, wantAAAA = "dualstack", 2
		}
		if got := p.OfType("aws:lb/loadBalancer:LoadBalancer")[0].Inputs["ipAddressType"]; got != wantType {
			t.Errorf("ipv6 %v: load balancer %v", ipv6, got)
		}
		if aaaa != wantAAAA {
			t.Errorf("ipv6 %v: %d AAAA records, want %d (a PRIMARY and a SECONDARY)", ipv6, aaaa, wantAAAA)
		}
		if !ipv6 {
			continue
		}
		vpc := p.OfType("aws:ec2/vpc:Vpc")[0].Outputs["ipv6CidrBlock"].(string)
		_, vpcNet, err := net.ParseCIDR(vpc)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[any]bool{}
		for _, s := range p.OfType("aws:ec2/subnet:Subnet") {
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
		for _, r := range p.OfType("aws:ec2/route:Route") {
			found = found || r.Inputs["destinationIpv6CidrBlock"] == "::/0"
		}
		if !found {
			t.Error("no IPv6 default route: the load balancer could not answer IPv6 clients")
		}
	}
}

func TestAlarmSharesTheUSEast1Provider(t *testing.T) {
	p, err := plan.RunInRegion("ap-northeast-1", func(ctx *pulumi.Context) error {
		_, err := New(ctx, "site", &Args{Domain: "example.com", FailoverDNS: failoverdns.Args{AlarmEmail: "ops@example.com"}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	providers := p.OfType("pulumi:providers:aws")
	if len(providers) != 1 || providers[0].Inputs["region"] != "us-east-1" {
		t.Fatalf("providers: %v", providers)
	}
	ref := providers[0].URN + "::" + providers[0].ID
	for _, typ := range []string{"aws:acm/certificate:Certificate", "aws:cloudwatch/metricAlarm:MetricAlarm"} {
		used := false
		for _, r := range p.OfType(typ) {
			used = used || r.Provider == ref
		}
		if !used {
			t.Errorf("no %s uses the us-east-1 provider", typ)
		}
	}
}

// TestWrongProviderRegistersNothing: a given provider outside us-east-1 is refused before the
// topology registers anything.
func TestWrongProviderRegistersNothing(t *testing.T) {
	var cloud *mockcloud.Cloud
	_, err := plan.Run(plan.Options{Project: "test", Stack: "test", Config: map[string]string{"aws:region": "eu-west-1"},
		Cloud: func(c *mockcloud.Cloud) { cloud = c }}, func(ctx *pulumi.Context) (pulumi.Map, error) {
		west, err := aws.NewProvider(ctx, "west", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
		if err != nil {
			return nil, err
		}
		_, err = New(ctx, "site", &Args{Domain: "example.com", FailoverDNS: failoverdns.Args{AlarmEmail: "ops@example.com", AlarmProvider: west}})
		return nil, err
	})
	if err == nil || !strings.Contains(err.Error(), `FailoverDNS.AlarmProvider: invalid value "eu-west-1"`) {
		t.Fatalf("error = %v", err)
	}
	for _, r := range cloud.Resources() {
		if r.Type != "pulumi:providers:aws" {
			t.Errorf("%s registered before the error", r.URN)
		}
	}
}
