package topology

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/pkg/mainsite"
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
	if len(records) == 0 {
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
