package plan_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

// TestInput reads inputs of a planned stack into the pinned SDK's own types.
func TestInput(t *testing.T) {
	dns := devWith(t, nil)
	edge := devWith(t, map[string]string{"route53-failover:failoverMode": "edge"})
	alb := dns.Find(awstype.LoadBalancer, "site-main-alb")

	t.Run("a list of blocks", func(t *testing.T) {
		primary := dns.Find(awstype.Record, "site-dns-example.com-A-primary")
		aliases, err := plan.Input[[]route53.RecordAlias](primary, "aliases")
		if err != nil {
			t.Fatal(err)
		}
		if len(aliases) != 1 || aliases[0].Name != "dualstack."+alb.Outputs["dnsName"].(string) || !aliases[0].EvaluateTargetHealth {
			t.Errorf("aliases %+v, want the load balancer's, evaluating its health", aliases)
		}
	})
	t.Run("a block with numbers and optional fields", func(t *testing.T) {
		behavior, err := plan.Input[cloudfront.DistributionDefaultCacheBehavior](&edge.OfType(awstype.Distribution)[0], "defaultCacheBehavior")
		if err != nil {
			t.Fatal(err)
		}
		if behavior.ViewerProtocolPolicy != "redirect-to-https" || behavior.CachePolicyId == nil || len(behavior.AllowedMethods) == 0 {
			t.Errorf("default behaviour %+v", behavior)
		}
	})
	t.Run("an input the resource does not have", func(t *testing.T) {
		logs, err := plan.Input[*lb.LoadBalancerAccessLogs](alb, "accessLogs")
		if err != nil || logs != nil {
			t.Errorf("access logs %+v, %v; want none", logs, err)
		}
	})
	t.Run("a type that does not fit", func(t *testing.T) {
		_, err := plan.Input[[]route53.RecordAlias](alb, "securityGroups")
		if err == nil || !strings.Contains(err.Error(), "site-main-alb: input securityGroups") {
			t.Errorf("error = %v, want one naming the resource and the input", err)
		}
	})
}
