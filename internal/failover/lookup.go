package failover

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
)

// LooksUp reports whether a pending create's import id is known only to AWS, which
// LookupImportID asks: a security group rule's (sgr-...), a listener's (its ARN) and a
// distribution's (E...). AWS refuses to create the first two twice (InvalidPermission.Duplicate,
// DuplicateListener), and a second distribution with the first's alternate domain names
// (CNAMEAlreadyExists); a distribution without them is made again, and nothing tells the first
// from another.
func LooksUp(c PendingCreate) bool {
	switch c.Type {
	case awstype.IngressRule, awstype.EgressRule, awstype.Listener:
		return true
	case awstype.Distribution:
		return len(inputStrings(c.Inputs["aliases"])) > 0
	}
	return false
}

// LookupImportID asks AWS, in region, for the id under which pulumi import adopts what a pending
// create made: the security group rule with the create's group, direction, protocol, ports and
// peer (DescribeSecurityGroupRules, Amazon EC2 API Reference:
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSecurityGroupRules.html;
// imported by its id, https://www.pulumi.com/registry/packages/aws/api-docs/vpc/securitygroupingressrule/#import),
// or the listener on the create's load balancer and port (DescribeListeners, Elastic Load
// Balancing API Reference:
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeListeners.html;
// imported by its ARN, https://www.pulumi.com/registry/packages/aws/api-docs/lb/listener/#import),
// or the distribution with the create's alternate domain names, which no other distribution may
// have (ListDistributions, GetDistribution and CreateDistribution's CNAMEAlreadyExists, Amazon
// CloudFront API Reference: https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ListDistributions.html,
// https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_GetDistribution.html,
// https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateDistribution.html;
// imported by its id,
// https://www.pulumi.com/registry/packages/aws/api-docs/cloudfront/distribution/#import).
// "" when AWS holds none: the killed pulumi up had not got that far.
func LookupImportID(ctx context.Context, cfg aws.Config, region string, c PendingCreate) (string, error) {
	str := func(k string) string { s, _ := c.Inputs[k].(string); return s }
	// port is a port input; AWS reports -1 for a rule of every protocol, which has none.
	port := func(k string) int32 {
		if n, ok := c.Inputs[k].(float64); ok {
			return int32(n)
		}
		return -1
	}
	switch c.Type {
	case awstype.IngressRule, awstype.EgressRule:
		client := ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.Region = region })
		pages := ec2.NewDescribeSecurityGroupRulesPaginator(client, &ec2.DescribeSecurityGroupRulesInput{
			Filters: []ec2types.Filter{{Name: aws.String("group-id"), Values: []string{str("securityGroupId")}}},
		})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				return "", fmt.Errorf("the rules of %s: %w", str("securityGroupId"), err)
			}
			for _, r := range page.SecurityGroupRules {
				var peer string
				if r.ReferencedGroupInfo != nil {
					peer = aws.ToString(r.ReferencedGroupInfo.GroupId)
				}
				if aws.ToBool(r.IsEgress) == (c.Type == awstype.EgressRule) &&
					aws.ToString(r.IpProtocol) == str("ipProtocol") &&
					aws.ToInt32(r.FromPort) == port("fromPort") && aws.ToInt32(r.ToPort) == port("toPort") &&
					aws.ToString(r.CidrIpv4) == str("cidrIpv4") && aws.ToString(r.CidrIpv6) == str("cidrIpv6") &&
					aws.ToString(r.PrefixListId) == str("prefixListId") && peer == str("referencedSecurityGroupId") {
					return aws.ToString(r.SecurityGroupRuleId), nil
				}
			}
		}
	case awstype.Listener:
		client := elb.NewFromConfig(cfg, func(o *elb.Options) { o.Region = region })
		pages := elb.NewDescribeListenersPaginator(client, &elb.DescribeListenersInput{LoadBalancerArn: aws.String(str("loadBalancerArn"))})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				return "", fmt.Errorf("the listeners of %s: %w", str("loadBalancerArn"), err)
			}
			for _, l := range page.Listeners {
				if aws.ToInt32(l.Port) == port("port") {
					return aws.ToString(l.ListenerArn), nil
				}
			}
		}
	case awstype.Distribution:
		aliases := aliasSet(inputStrings(c.Inputs["aliases"]))
		// CloudFront is global: its API answers in us-east-1.
		client := cloudfront.NewFromConfig(cfg, func(o *cloudfront.Options) { o.Region = "us-east-1" })
		pages := cloudfront.NewListDistributionsPaginator(client, &cloudfront.ListDistributionsInput{})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				return "", fmt.Errorf("the distributions: %w", err)
			}
			if page.DistributionList == nil {
				break
			}
			// Each distribution's own configuration, rather than the list's summary of it: the
			// stand-in these lookups are tested against (moto) leaves the summary's aliases out.
			for _, summary := range page.DistributionList.Items {
				d, err := client.GetDistribution(ctx, &cloudfront.GetDistributionInput{Id: summary.Id})
				if err != nil {
					return "", fmt.Errorf("distribution %s: %w", aws.ToString(summary.Id), err)
				}
				if config := d.Distribution.DistributionConfig; config.Aliases != nil && maps.Equal(aliasSet(config.Aliases.Items), aliases) {
					return aws.ToString(summary.Id), nil
				}
			}
		}
	}
	return "", nil
}

// aliasSet is the set of a distribution's alternate domain names, which DNS compares without case.
func aliasSet(names []string) map[string]bool {
	set := map[string]bool{}
	for _, name := range names {
		set[strings.ToLower(name)] = true
	}
	return set
}

// inputStrings are the strings of a list input.
func inputStrings(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
