package failover

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
	"github.com/seed-2b23e6e5/route53-failover/internal/standin"
)

// TestLookupImportID: against moto, failover recover finds what a killed pulumi up made of a
// security group rule, a listener or a distribution, whose ids only AWS knows, by the create's
// inputs, and nothing where AWS holds no such rule, listener or distribution.
func TestLookupImportID(t *testing.T) {
	m := sharedMoto(t)
	ctx := context.Background()
	if err := m.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	const region = "eu-west-1"
	cfg := standin.Config(m.URL)
	compute := ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.Region = region })
	balancing := elb.NewFromConfig(cfg, func(o *elb.Options) { o.Region = region })
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	vpcs, err := compute.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String("is-default"), Values: []string{"true"}}}})
	must(err)
	vpc := aws.ToString(vpcs.Vpcs[0].VpcId)
	subnets, err := compute.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpc}}}})
	must(err)
	group := func(name string) string {
		out, err := compute.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String(name), Description: aws.String(name), VpcId: aws.String(vpc)})
		must(err)
		return aws.ToString(out.GroupId)
	}
	albGroup, webGroup := group("site-main-alb"), group("site-main-web")
	fromALB := ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(80), ToPort: aws.Int32(80),
		UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String(albGroup)}}}
	ingress, err := compute.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(webGroup), IpPermissions: []ec2types.IpPermission{fromALB}})
	must(err)
	if len(ingress.SecurityGroupRules) != 1 || aws.ToString(ingress.SecurityGroupRules[0].SecurityGroupRuleId) == "" {
		t.Fatalf("AuthorizeSecurityGroupIngress gave no rule id: %+v", ingress.SecurityGroupRules)
	}
	balancer, err := balancing.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{Name: aws.String("site-main-alb"),
		Subnets: []string{aws.ToString(subnets.Subnets[0].SubnetId), aws.ToString(subnets.Subnets[1].SubnetId)}, SecurityGroups: []string{albGroup}})
	must(err)
	lbARN := aws.ToString(balancer.LoadBalancers[0].LoadBalancerArn)
	listener, err := balancing.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: aws.String(lbARN), Port: aws.Int32(80), Protocol: elbtypes.ProtocolEnumHttp,
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumFixedResponse, FixedResponseConfig: &elbtypes.FixedResponseActionConfig{StatusCode: aws.String("404")}}}})
	must(err)
	edge := cloudfront.NewFromConfig(cfg, func(o *cloudfront.Options) { o.Region = "us-east-1" })
	distribution, err := edge.CreateDistribution(ctx, &cloudfront.CreateDistributionInput{DistributionConfig: &cftypes.DistributionConfig{
		CallerReference: aws.String("site-error-cdn"), Comment: aws.String("error page"), Enabled: aws.Bool(true),
		Aliases: &cftypes.Aliases{Quantity: aws.Int32(2), Items: []string{"example.com", "www.example.com"}},
		Origins: &cftypes.Origins{Quantity: aws.Int32(1), Items: []cftypes.Origin{{Id: aws.String("bucket"),
			DomainName: aws.String("site-error-bucket.s3.eu-west-1.amazonaws.com"), S3OriginConfig: &cftypes.S3OriginConfig{OriginAccessIdentity: aws.String("")}}}},
		DefaultCacheBehavior: &cftypes.DefaultCacheBehavior{TargetOriginId: aws.String("bucket"), ViewerProtocolPolicy: cftypes.ViewerProtocolPolicyRedirectToHttps,
			CachePolicyId: aws.String("658327ea-f89d-4fab-a63d-7e88639e58f6")},
	}})
	must(err)
	cdn := func(aliases ...any) PendingCreate {
		return PendingCreate{Type: awstype.Distribution, URN: "urn:r::cdn", Inputs: map[string]any{"aliases": aliases}}
	}

	rule := func(typ, protocol string, port float64, peer string) PendingCreate {
		return PendingCreate{Type: typ, URN: "urn:r::rule", Inputs: map[string]any{"securityGroupId": webGroup, "ipProtocol": protocol,
			"fromPort": port, "toPort": port, "referencedSecurityGroupId": peer}}
	}
	if LooksUp(cdn()) {
		t.Error("LooksUp of a distribution without aliases = true: nothing tells it from another")
	}
	for _, tt := range []struct {
		name    string
		pending PendingCreate
		want    string
	}{
		{"the web servers' rule from the load balancer", rule(awstype.IngressRule, "tcp", 80, albGroup), aws.ToString(ingress.SecurityGroupRules[0].SecurityGroupRuleId)},
		{"a rule on another port", rule(awstype.IngressRule, "tcp", 443, albGroup), ""},
		{"the same rule outbound", rule(awstype.EgressRule, "tcp", 80, albGroup), ""},
		{"the listener on port 80", PendingCreate{Type: awstype.Listener, URN: "urn:r::http",
			Inputs: map[string]any{"loadBalancerArn": lbARN, "port": 80.0}}, aws.ToString(listener.Listeners[0].ListenerArn)},
		{"no listener on port 443", PendingCreate{Type: awstype.Listener, URN: "urn:r::https",
			Inputs: map[string]any{"loadBalancerArn": lbARN, "port": 443.0}}, ""},
		{"the distribution with the create's aliases", cdn("www.example.com", "Example.com"), aws.ToString(distribution.Distribution.Id)},
		{"no distribution with only some of them", cdn("example.com"), ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !LooksUp(tt.pending) {
				t.Fatalf("LooksUp(%s) = false", tt.pending.Type)
			}
			got, err := LookupImportID(ctx, cfg, region, tt.pending)
			if err != nil || got != tt.want {
				t.Errorf("LookupImportID = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
