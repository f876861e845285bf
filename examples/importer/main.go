// Command shop is a stack of its own that imports route53-failover: the whole failover site, and
// beside it what the components do not make (a maintenance rule on the HTTPS listener, a WAF web
// ACL on the load balancer, a TXT record in the zone), built on the resources they expose.
package main

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/wafv2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/pkg/failoverdns"
	"github.com/seed-2b23e6e5/route53-failover/pkg/mainsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/topology"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		_, err := shop(ctx, "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shop/0123abcd")
		return err
	})
}

// shop builds the site for shop.example and what the shop adds to it; webACL is the ARN of a
// regional WAF web ACL.
func shop(ctx *pulumi.Context, webACL string) (*topology.FailoverSite, error) {
	site, err := topology.New(ctx, "shop", &topology.Args{
		Domain:         "shop.example",
		AlternateNames: []string{"www.shop.example"},
		MainSite: mainsite.Args{
			InstanceType:        "t3.small",
			TargetCheckInterval: pulumi.IntRef(5),
			TargetCheckTimeout:  pulumi.IntRef(3),
		},
		FailoverDNS: failoverdns.Args{
			AlarmEmail:                  pulumi.String("ops@shop.example"),
			HealthCheckFailureThreshold: pulumi.IntRef(1),
		},
	})
	if err != nil {
		return nil, err
	}

	// /admin answers 403 on the site's own HTTPS listener.
	if _, err := lb.NewListenerRule(ctx, "shop-no-admin", &lb.ListenerRuleArgs{
		ListenerArn: site.MainSite.HTTPSListener.Arn,
		Priority:    pulumi.Int(10),
		Conditions: lb.ListenerRuleConditionArray{&lb.ListenerRuleConditionArgs{
			PathPattern: &lb.ListenerRuleConditionPathPatternArgs{Values: pulumi.ToStringArray([]string{"/admin*"})},
		}},
		Actions: lb.ListenerRuleActionArray{&lb.ListenerRuleActionArgs{
			Type: pulumi.String("fixed-response"),
			FixedResponse: &lb.ListenerRuleActionFixedResponseArgs{
				ContentType: pulumi.String("text/plain"),
				StatusCode:  pulumi.String("403"),
			},
		}},
	}); err != nil {
		return nil, err
	}

	// The WAF web ACL filters what reaches the load balancer.
	if _, err := wafv2.NewWebAclAssociation(ctx, "shop-waf", &wafv2.WebAclAssociationArgs{
		ResourceArn: site.MainSite.LoadBalancer.Arn,
		WebAclArn:   pulumi.String(webACL),
	}); err != nil {
		return nil, err
	}

	// A record beside the failover pair, in the same zone.
	if _, err := route53.NewRecord(ctx, "shop-verification", &route53.RecordArgs{
		ZoneId:  site.ZoneID,
		Name:    pulumi.String("_verify.shop.example"),
		Type:    pulumi.String("TXT"),
		Ttl:     pulumi.Int(300),
		Records: pulumi.ToStringArray([]string{"shop-verification=1"}),
	}); err != nil {
		return nil, err
	}
	return site, nil
}
