package main

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/pkg/mockcloud"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

func TestFailoverDNSInFrontOfItsOwnTargets(t *testing.T) {
	opts, err := plan.LoadStack(".", "dev", "")
	if err != nil {
		t.Fatal(err)
	}
	opts.Cloud = func(c *mockcloud.Cloud) {
		c.Subnets["subnet-0a1b2c3d4e5f60711"] = mockcloud.ExistingSubnet{VpcID: "vpc-0a1b2c3d4e5f60718", AvailabilityZone: "eu-west-1a"}
		c.Subnets["subnet-0a1b2c3d4e5f60722"] = mockcloud.ExistingSubnet{VpcID: "vpc-0a1b2c3d4e5f60718", AvailabilityZone: "eu-west-1b"}
	}
	p, err := plan.Run(opts, func(ctx *pulumi.Context) (pulumi.Map, error) { return nil, program(ctx) })
	if err != nil {
		t.Fatal(err)
	}
	alb := p.Find("aws:lb/loadBalancer:LoadBalancer", "api")
	dist := p.Find("aws:cloudfront/distribution:Distribution", "status")
	records := p.OfType("aws:route53/record:Record")
	if len(records) != 2 {
		t.Fatalf("%d records, want one PRIMARY and one SECONDARY A record (the ALB is IPv4 only)", len(records))
	}
	for _, r := range records {
		role := plan.Get(r.Inputs, "failoverRoutingPolicies", 0, "type")
		target := plan.Get(r.Inputs, "aliases", 0, "name")
		switch role {
		case "PRIMARY":
			if target != "dualstack."+alb.Outputs["dnsName"].(string) || plan.Get(r.Inputs, "aliases", 0, "zoneId") != "Z32O12XQLNTSW2" {
				t.Errorf("PRIMARY points at %v", target)
			}
		case "SECONDARY":
			if target != dist.Outputs["domainName"] {
				t.Errorf("SECONDARY points at %v", target)
			}
		default:
			t.Errorf("record %s has role %v", r.Name, role)
		}
	}
	check := p.OfType("aws:route53/healthCheck:HealthCheck")[0].Inputs
	if check["fqdn"] != alb.Outputs["dnsName"] || check["requestInterval"] != 30.0 || len(check["regions"].([]any)) != 3 {
		t.Errorf("health check: %v", check)
	}
}
