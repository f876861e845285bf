package main

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"

	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

func TestFailoverDNSInFrontOfItsOwnTargets(t *testing.T) {
	opts, err := plan.LoadExample(".", "dev")
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Run(opts, plan.Exporting(program))
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
		// Inputs read into the SDK's own types, checked by the compiler.
		policies, err := plan.Input[[]route53.RecordFailoverRoutingPolicy](&r, "failoverRoutingPolicies")
		if err != nil {
			t.Fatal(err)
		}
		aliases, err := plan.Input[[]route53.RecordAlias](&r, "aliases")
		if err != nil || len(policies) != 1 || len(aliases) != 1 {
			t.Fatalf("record %s: %v; want one failover policy and one alias", r.Name, err)
		}
		switch target := aliases[0]; policies[0].Type {
		case "PRIMARY":
			if target.Name != "dualstack."+alb.Outputs["dnsName"].(string) || target.ZoneId != "Z32O12XQLNTSW2" {
				t.Errorf("PRIMARY points at %+v", target)
			}
		case "SECONDARY":
			if target.Name != dist.Outputs["domainName"] {
				t.Errorf("SECONDARY points at %+v", target)
			}
		default:
			t.Errorf("record %s has role %v", r.Name, policies[0].Type)
		}
	}
	check := p.OfType("aws:route53/healthCheck:HealthCheck")[0].Inputs
	if check["fqdn"] != alb.Outputs["dnsName"] || check["requestInterval"] != 30.0 || len(check["regions"].([]any)) != 3 {
		t.Errorf("health check: %v", check)
	}

	// A working front end: the load balancer's own security group admits 443 from anywhere, its
	// HTTPS listener forwards to a target group that holds the servers (evaluate-target-health
	// needs healthy targets), and the group checks the path the Route 53 health check asks for.
	sg := p.Find("aws:ec2/securityGroup:SecurityGroup", "api")
	if got := plan.Get(alb.Inputs, "securityGroups", 0); sg == nil || got != sg.ID {
		t.Fatalf("load balancer security groups %v: without its own it gets the VPC's default group, closed to the internet", alb.Inputs["securityGroups"])
	}
	open := false
	for _, rule := range p.OfType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
		open = open || rule.Inputs["securityGroupId"] == sg.ID && rule.Inputs["fromPort"] == 443.0 && rule.Inputs["cidrIpv4"] == "0.0.0.0/0"
	}
	if !open {
		t.Error("the load balancer does not admit HTTPS from anywhere: the health checkers cannot reach it")
	}
	tg := p.Find("aws:lb/targetGroup:TargetGroup", "api")
	https := p.Find("aws:lb/listener:Listener", "api-https")
	if tg == nil || plan.Get(https.Inputs, "defaultActions", 0, "targetGroupArn") != tg.Outputs["arn"] {
		t.Fatal("the HTTPS listener does not forward to a target group")
	}
	if plan.Get(tg.Inputs, "healthCheck", "path") != "/health" {
		t.Errorf("target group checks %v", plan.Get(tg.Inputs, "healthCheck", "path"))
	}
	targets := map[any]bool{}
	for _, a := range p.OfType("aws:lb/targetGroupAttachment:TargetGroupAttachment") {
		if a.Inputs["targetGroupArn"] == tg.Outputs["arn"] {
			targets[a.Inputs["targetId"]] = true
		}
	}
	if len(targets) != 2 || !targets["i-0a1b2c3d4e5f60731"] || !targets["i-0a1b2c3d4e5f60742"] {
		t.Errorf("targets %v, want the two servers", targets)
	}
}
