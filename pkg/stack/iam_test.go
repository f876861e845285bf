package stack

import (
	"encoding/json"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
	"github.com/seed-2b23e6e5/route53-failover/pkg/stackconfig"
)

// actionsOf are, for each resource type and data source the program uses, the IAM actions the
// AWS provider calls to create, update, read and delete it. A type missing here fails
// TestIAMPolicies: add its actions, and to the policies in docs/iam.
var actionsOf = map[string][]string{
	"aws:acm/certificate:Certificate":                     {"acm:RequestCertificate", "acm:DescribeCertificate", "acm:AddTagsToCertificate", "acm:ListTagsForCertificate", "acm:DeleteCertificate"},
	"aws:acm/certificateValidation:CertificateValidation": {"acm:DescribeCertificate"},
	// A group with a launch template launches as its caller: ec2:RunInstances and CreateTags.
	"aws:autoscaling/group:Group": {"autoscaling:CreateAutoScalingGroup", "autoscaling:UpdateAutoScalingGroup", "autoscaling:DescribeAutoScalingGroups",
		"autoscaling:StartInstanceRefresh", "autoscaling:DescribeInstanceRefreshes", "autoscaling:CreateOrUpdateTags", "autoscaling:DeleteAutoScalingGroup",
		"ec2:RunInstances", "ec2:CreateTags", "ec2:DescribeLaunchTemplateVersions"},
	"aws:autoscaling/policy:Policy": {"autoscaling:PutScalingPolicy", "autoscaling:DescribePolicies", "autoscaling:DeletePolicy"},
	// Standard logging: CloudFront reads and updates the log bucket's ACL as its caller
	// (CloudFront Developer Guide, "Configure standard logging (legacy)", Permissions).
	"aws:cloudfront/distribution:Distribution": {"cloudfront:CreateDistributionWithTags", "cloudfront:GetDistribution", "cloudfront:UpdateDistribution",
		"cloudfront:ListTagsForResource", "cloudfront:DeleteDistribution", "s3:GetBucketAcl", "s3:PutBucketAcl"},
	// GetCallerIdentity needs no permission (AWS STS API Reference).
	"aws:index/getCallerIdentity:getCallerIdentity":          {},
	"aws:cloudfront/originAccessControl:OriginAccessControl": {"cloudfront:CreateOriginAccessControl", "cloudfront:GetOriginAccessControl", "cloudfront:DeleteOriginAccessControl"},
	"aws:cloudwatch/metricAlarm:MetricAlarm":                 {"cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource", "cloudwatch:DeleteAlarms"},
	"aws:ec2/internetGateway:InternetGateway":                {"ec2:CreateInternetGateway", "ec2:AttachInternetGateway", "ec2:DescribeInternetGateways", "ec2:DetachInternetGateway", "ec2:DeleteInternetGateway"},
	"aws:ec2/launchTemplate:LaunchTemplate":                  {"ec2:CreateLaunchTemplate", "ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate", "ec2:DescribeLaunchTemplates", "ec2:DeleteLaunchTemplate"},
	"aws:ec2/route:Route":                                    {"ec2:CreateRoute", "ec2:DescribeRouteTables", "ec2:DeleteRoute"},
	"aws:ec2/routeTable:RouteTable":                          {"ec2:CreateRouteTable", "ec2:DescribeRouteTables", "ec2:DeleteRouteTable"},
	"aws:ec2/routeTableAssociation:RouteTableAssociation":    {"ec2:AssociateRouteTable", "ec2:DisassociateRouteTable"},
	"aws:ec2/securityGroup:SecurityGroup":                    {"ec2:CreateSecurityGroup", "ec2:DescribeSecurityGroups", "ec2:RevokeSecurityGroupEgress", "ec2:DeleteSecurityGroup"},
	"aws:ec2/subnet:Subnet":                                  {"ec2:CreateSubnet", "ec2:ModifySubnetAttribute", "ec2:DescribeSubnets", "ec2:DeleteSubnet"},
	"aws:ec2/vpc:Vpc":                                        {"ec2:CreateVpc", "ec2:ModifyVpcAttribute", "ec2:DescribeVpcs", "ec2:DeleteVpc"},
	"aws:iam/role:Role":                                      {"iam:CreateRole", "iam:GetRole", "iam:TagRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:DeleteRole"},
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment":      {"iam:AttachRolePolicy", "iam:ListAttachedRolePolicies", "iam:DetachRolePolicy"},
	// Lambda@Edge: the function's role is passed to Lambda, and a distribution that names a
	// version replicates it (CloudFront Developer Guide, "Set up IAM permissions and roles for
	// Lambda@Edge").
	"aws:lambda/function:Function": {"lambda:CreateFunction", "lambda:GetFunction", "lambda:PublishVersion", "lambda:ListVersionsByFunction",
		"lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration", "lambda:EnableReplication*", "lambda:DisableReplication*", "iam:PassRole"},
	"aws:lb/listener:Listener":                       {"elasticloadbalancing:CreateListener", "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:ModifyListener", "elasticloadbalancing:DeleteListener"},
	"aws:lb/listenerCertificate:ListenerCertificate": {"elasticloadbalancing:AddListenerCertificates", "elasticloadbalancing:DescribeListenerCertificates", "elasticloadbalancing:RemoveListenerCertificates"},
	"aws:lb/listenerRule:ListenerRule":               {"elasticloadbalancing:CreateRule", "elasticloadbalancing:DescribeRules", "elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities", "elasticloadbalancing:DeleteRule"},
	"aws:lb/loadBalancer:LoadBalancer": {"elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetSecurityGroups",
		"elasticloadbalancing:AddTags", "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DeleteLoadBalancer"},
	"aws:lb/targetGroup:TargetGroup": {"elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:ModifyTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes",
		"elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DeleteTargetGroup"},
	"aws:route53/healthCheck:HealthCheck":                                                        {"route53:CreateHealthCheck", "route53:GetHealthCheck", "route53:UpdateHealthCheck", "route53:ChangeTagsForResource", "route53:DeleteHealthCheck"},
	"aws:route53/record:Record":                                                                  {"route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:GetChange"},
	"aws:route53/zone:Zone":                                                                      {"route53:CreateHostedZone", "route53:GetHostedZone", "route53:ChangeTagsForResource", "route53:DeleteHostedZone"},
	"aws:s3/bucketObjectv2:BucketObjectv2":                                                       {"s3:PutObject", "s3:GetObject", "s3:DeleteObject"},
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls":                                     {"s3:PutBucketOwnershipControls", "s3:GetBucketOwnershipControls"},
	"aws:s3/bucketPolicy:BucketPolicy":                                                           {"s3:PutBucketPolicy", "s3:GetBucketPolicy", "s3:DeleteBucketPolicy"},
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":                                     {"s3:PutBucketPublicAccessBlock", "s3:GetBucketPublicAccessBlock"},
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": {"s3:PutEncryptionConfiguration", "s3:GetEncryptionConfiguration"},
	"aws:s3/bucketV2:BucketV2":                                                                   {"s3:CreateBucket", "s3:ListBucket", "s3:PutBucketTagging", "s3:GetBucketTagging", "s3:DeleteBucket"},
	"aws:sns/topic:Topic":                                                                        {"sns:CreateTopic", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:TagResource", "sns:DeleteTopic"},
	"aws:sns/topicSubscription:TopicSubscription":                                                {"sns:Subscribe", "sns:GetSubscriptionAttributes", "sns:Unsubscribe"},
	"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":                                    {"ec2:AuthorizeSecurityGroupEgress", "ec2:DescribeSecurityGroupRules", "ec2:RevokeSecurityGroupEgress"},
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":                                  {"ec2:AuthorizeSecurityGroupIngress", "ec2:DescribeSecurityGroupRules", "ec2:RevokeSecurityGroupIngress"},

	"aws:ec2/getInstanceType:getInstanceType":                   {"ec2:DescribeInstanceTypes"},
	"aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings": {"ec2:DescribeInstanceTypeOfferings"},
	"aws:ec2/getManagedPrefixList:getManagedPrefixList":         {"ec2:DescribeManagedPrefixLists", "ec2:GetManagedPrefixListEntries"},
	"aws:ec2/getSubnet:getSubnet":                               {"ec2:DescribeSubnets"},
	"aws:ec2/getRouteTable:getRouteTable":                       {"ec2:DescribeRouteTables"},
	"aws:index/getAvailabilityZones:getAvailabilityZones":       {"ec2:DescribeAvailabilityZones"},
	"aws:index/getRegion:getRegion":                             {},
	"aws:route53/getZone:getZone":                               {"route53:ListHostedZones", "route53:GetHostedZone"},
	"aws:ssm/getParameter:getParameter":                         {"ssm:GetParameter"},
}

// serviceLinkedRoles are the roles AWS creates on first use, which the deployer must be allowed
// to create: Auto Scaling's and Elastic Load Balancing's, and in edge mode Lambda@Edge's
// replicator and CloudFront's logger.
var serviceLinkedRoles = map[string][]string{
	"dns":  {"autoscaling.amazonaws.com", "elasticloadbalancing.amazonaws.com"},
	"edge": {"autoscaling.amazonaws.com", "elasticloadbalancing.amazonaws.com", "replicator.lambda.amazonaws.com", "logger.cloudfront.amazonaws.com"},
}

type policyStatement struct {
	Effect    string
	Action    any
	Resource  any
	Condition map[string]map[string]any
}

func readPolicy(t *testing.T, mode string) []policyStatement {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(projectDir, "docs", "iam", mode+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version   string
		Statement []policyStatement
	}
	if err := json.Unmarshal(b, &doc); err != nil || doc.Version != "2012-10-17" {
		t.Fatalf("docs/iam/%s.json is not an IAM policy of version 2012-10-17: %v", mode, err)
	}
	return doc.Statement
}

func strs(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, s := range v {
			out = append(out, s.(string))
		}
		return out
	}
	return nil
}

// allows reports whether a statement without a condition allows action, as IAM matches actions:
// case-insensitive, with * and ? wildcards.
func allows(statements []policyStatement, action string) bool {
	for _, s := range statements {
		if s.Effect != "Allow" || s.Condition != nil {
			continue
		}
		for _, pattern := range strs(s.Action) {
			if ok, _ := path.Match(strings.ToLower(pattern), strings.ToLower(action)); ok {
				return true
			}
		}
	}
	return false
}

// slrAllowed are the services whose service-linked role the policy lets the deployer create.
func slrAllowed(statements []policyStatement) []string {
	var services []string
	for _, s := range statements {
		if s.Effect == "Allow" && slices.Contains(strs(s.Action), "iam:CreateServiceLinkedRole") {
			services = append(services, strs(s.Condition["StringEquals"]["iam:AWSServiceName"])...)
		}
	}
	return services
}

// TestIAMPolicies keeps docs/iam/<mode>.json, the README's deploy policies, sufficient: every
// resource type and data source of a stack in that mode, with every option that adds one (the
// alarm, a created zone, scaling, IPv6, the origin secret, access logs), has the actions the provider calls
// allowed, and the service-linked roles AWS creates on first use. The DNS-mode policy allows
// nothing of Lambda or IAM roles.
func TestIAMPolicies(t *testing.T) {
	key := stackconfig.Key
	everything := map[string]string{
		key(stackconfig.KeyAlarmEmail): "ops@example.com", key(stackconfig.KeyCreateHostedZone): "true",
		key(stackconfig.KeyInstanceCount): "2", key(stackconfig.KeyMaxInstanceCount): "4", key(stackconfig.KeyIPv6): "true",
		key(stackconfig.KeyAccessLogs): "true",
	}
	for _, mode := range []string{"dns", "edge"} {
		t.Run(mode, func(t *testing.T) {
			config := map[string]string{key(stackconfig.KeyFailoverMode): mode}
			for k, v := range everything {
				config[k] = v
			}
			opts := testOptions(t, config)
			if mode == "edge" {
				opts.Config[key(stackconfig.KeyOriginSecret)] = "3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e"
				opts.SecretKeys = []string{key(stackconfig.KeyOriginSecret)}
			}
			p, err := plan.Run(opts, Program)
			if err != nil {
				t.Fatal(err)
			}
			used := map[string]bool{}
			for _, r := range p.Resources {
				if r.Custom && !strings.HasPrefix(r.Type, "pulumi:") {
					used[r.Type] = true
				}
			}
			for _, i := range p.Invokes {
				used[i.Token] = true
			}
			statements := readPolicy(t, mode)
			for _, typ := range slices.Sorted(maps.Keys(used)) {
				actions, known := actionsOf[typ]
				if !known {
					t.Errorf("%s: no actions known for it; add them to actionsOf and the policies", typ)
				}
				for _, action := range actions {
					if !allows(statements, action) {
						t.Errorf("docs/iam/%s.json does not allow %s (for %s)", mode, action, typ)
					}
				}
			}
			if got := slrAllowed(statements); !slices.Equal(got, serviceLinkedRoles[mode]) {
				t.Errorf("docs/iam/%s.json lets the deployer create the service-linked roles of %v, want %v", mode, got, serviceLinkedRoles[mode])
			}
			if mode == "dns" {
				for _, action := range []string{"lambda:CreateFunction", "iam:CreateRole", "iam:PassRole"} {
					if allows(statements, action) {
						t.Errorf("docs/iam/dns.json allows %s, which only edge mode needs", action)
					}
				}
			}
		})
	}
}
