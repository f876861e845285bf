package main

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

// TestShop plans the stack offline, against route53-failover's simulated AWS account: no
// account, no Pulumi CLI, no environment.
func TestShop(t *testing.T) {
	p, err := plan.RunInRegion("eu-west-1", func(ctx *pulumi.Context) error {
		_, err := shop(ctx, "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shop/0123abcd")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	listener := p.Find("aws:lb/listener:Listener", "shop-main-https")
	rule := p.Find("aws:lb/listenerRule:ListenerRule", "shop-no-admin")
	if rule == nil || rule.Inputs["listenerArn"] != listener.Outputs["arn"] {
		t.Errorf("the rule is not on the site's HTTPS listener: %v", rule)
	}
	alb := p.Find("aws:lb/loadBalancer:LoadBalancer", "shop-main-alb")
	waf := p.Find("aws:wafv2/webAclAssociation:WebAclAssociation", "shop-waf")
	if waf == nil || waf.Inputs["resourceArn"] != alb.Outputs["arn"] {
		t.Errorf("the web ACL is not on the site's load balancer: %v", waf)
	}
	txt := p.Find("aws:route53/record:Record", "shop-verification")
	primary := p.Find("aws:route53/record:Record", "shop-dns-shop.example-A-primary")
	if txt == nil || txt.Inputs["zoneId"] != primary.Inputs["zoneId"] {
		t.Errorf("the TXT record is not in the site's zone: %v", txt)
	}

	// The simulated account checks listener rules as AWS does, but does not model WAF
	// associations: it answers those without checking AWS's rules, and says so.
	unsimulated := p.Unsimulated()
	if len(unsimulated) != 1 || unsimulated[0].Name != "shop-waf" {
		t.Errorf("unsimulated resources %v, want the association only", unsimulated)
	}
}
