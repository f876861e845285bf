package main

import (
	"strings"
	"testing"

	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

// run plans the example's dev stack against an account that holds what account.json describes
// (the VPC, its subnets and route table, the hosted zone), changed by change.
func run(t *testing.T, change func(*plan.Existing)) (*plan.Plan, error) {
	t.Helper()
	opts, err := plan.LoadExample(".", "dev")
	if err != nil {
		t.Fatal(err)
	}
	if change != nil {
		change(&opts.Existing)
	}
	return plan.Run(opts, plan.Exporting(program))
}

func TestExistingNetworkAndZone(t *testing.T) {
	p, err := run(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []string{"aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:route53/zone:Zone"} {
		if n := len(p.OfType(typ)); n != 0 {
			t.Errorf("created %d %s although it exists", n, typ)
		}
	}
	failover := 0
	for _, r := range p.OfType("aws:route53/record:Record") {
		if !r.Read && r.Inputs["zoneId"] != "Z0EXAMPLE00000000000A" {
			t.Errorf("record %s outside the given zone", r.Name)
		}
		if r.Inputs["setIdentifier"] != nil {
			failover++
		}
	}
	if failover != 4 {
		t.Errorf("%d failover records, want 4 (shop and www, primary and secondary)", failover)
	}
	if len(p.OfType("aws:cloudwatch/metricAlarm:MetricAlarm")) != 1 {
		t.Error("no alarm for the configured email")
	}
	if got := plan.Get(p.OfType("aws:autoscaling/group:Group")[0].Inputs, "vpcZoneIdentifiers", 0); got != "subnet-0a1b2c3d4e5f60711" {
		t.Errorf("the group's first subnet is %v", got)
	}
	if alb := p.OfType("aws:lb/loadBalancer:LoadBalancer")[0]; plan.Get(alb.Inputs, "tags", "team") != "shop" {
		t.Errorf("the example's tags do not reach the load balancer: %v", alb.Inputs["tags"])
	}
}

func TestSubnetsInOneZoneAreRefused(t *testing.T) {
	_, err := run(t, func(e *plan.Existing) { e.Subnets[1].AvailabilityZone = "eu-west-1a" })
	if err == nil || !strings.Contains(err.Error(), `SubnetIDs[1]: invalid value "subnet-0a1b2c3d4e5f60722": one subnet per Availability Zone`) {
		t.Fatalf("error = %v", err)
	}
}

// TestSecretAlarmEmail: the example reads the email as a secret, so it stays one in the state.
func TestSecretAlarmEmail(t *testing.T) {
	p, err := run(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sub := p.OfType("aws:sns/topicSubscription:TopicSubscription"); len(sub) != 1 || sub[0].Inputs["endpoint"] != plan.Secret {
		t.Fatalf("subscription %v", sub)
	}
}
