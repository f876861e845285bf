package mockcloud

import (
	"slices"
	"strings"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
)

// Type is everything the project knows about one AWS resource type or data source, in one
// place: how the simulated account answers it, which input changes replace it, which IAM
// actions the AWS provider calls for it, and how a plan shows it. TestRegistryMatchesTheSDK
// checks every token and input path against the pinned SDK's Args.
type Type struct {
	// Token is the Pulumi type token.
	Token string
	// Label is the resource's short name in a plan's diagram; empty when diagrams leave it out.
	Label string
	// ForceNew are the input paths, such as "ami" or "rootBlockDevice.encrypted", whose change
	// the provider cannot apply in place: it deletes the resource and creates it again. The
	// pulumi-aws provider bridges the Terraform AWS provider, whose documentation (Source)
	// marks each such argument "Forces new resource".
	ForceNew []string
	// ForceNewWhen holds, for a ForceNew path that replaces only when a flag input is true, the
	// flag (userData replaces an instance only with userDataReplaceOnChange).
	ForceNewWhen map[string]string
	// Stateful marks a resource whose replacement loses data or takes long: the hosted zone
	// (its name servers), the bucket, the distribution, a certificate (its validation), the
	// health check (the records that name it), the instance, the load balancer (its DNS name).
	Stateful bool
	// Source is the Terraform AWS provider's documentation page of the resource.
	Source string
	// Actions are the IAM actions the AWS provider calls to create, read, update and delete the
	// resource, or to read the data source; nil when nobody has listed them yet.
	Actions []string
	// KeySettings are the input paths worth a reviewer's eye in a plan.
	KeySettings []string
	// Inputs is the struct its simulation (or the data source's answer) decodes the inputs
	// into, its pulumi tags naming them as the SDK's Args do; nil when it reads none.
	Inputs any
	// Repeated is how AWS answers a create the engine repeats for a resource the account holds
	// already, for a type whose call names the resource by its inputs (a bucket's setting, a
	// route): after an interrupted pulumi up whose pending create was cleared, say. Nil for the
	// others: their call makes another resource, with ids and names of its own, and leaves the
	// first one behind.
	Repeated *Repeated
	// Virtual marks a resource of the provider alone, for which AWS holds nothing: a
	// certificate validation only waits for the certificate to be issued (its Source page). A
	// create of it left behind by an interrupted pulumi up leaves nothing in AWS.
	Virtual bool

	simulate    simulation                          // answers a create or an update
	undo        func(c *Cloud, res *Resource)       // removes what the resource wrote beyond itself
	checkDelete func(c *Cloud, res *Resource) error // refuses a delete AWS refuses
	answer      invokeAnswer                        // answers a data-source call
}

const terraformDocs = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/"

// Repeated is how AWS answers a call that creates a resource it holds already.
type Repeated struct {
	// Upsert: the call writes the resource again and succeeds.
	Upsert bool
	// Code is AWS's error code when it refuses the call.
	Code string
	// Source is the AWS page that says so.
	Source string
}

// writesAgain is a Put call's answer: it creates or replaces, from source.
func writesAgain(source string) *Repeated { return &Repeated{Upsert: true, Source: source} }

const s3API = "https://docs.aws.amazon.com/AmazonS3/latest/API/"

// registry is every resource type and data source the project uses. Add a type here (see
// CONTRIBUTING.md, "Add a resource type"); nothing else lists types.
var registry = []Type{
	{Token: awstype.Provider, KeySettings: []string{"region"}},
	{Token: awstype.Zone,
		Label:    "hosted zone",
		ForceNew: []string{"name", "delegationSetId"},
		Stateful: true,
		Source:   terraformDocs + "route53_zone",
		Actions: []string{
			"route53:CreateHostedZone", "route53:GetHostedZone", "route53:ChangeTagsForResource",
			"route53:DeleteHostedZone",
		},
		KeySettings: []string{"name"},
		simulate:    simulateZone,
		checkDelete: checkZoneDelete,
		Inputs:      zoneInputs{},
	},
	{Token: awstype.Record,
		Label:    "record",
		ForceNew: []string{"name", "zoneId"},
		Source:   terraformDocs + "route53_record",
		Actions: []string{
			"route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets",
			"route53:GetChange",
		},
		KeySettings: []string{
			"name", "type", "allowOverwrite", "setIdentifier", "failoverRoutingPolicies", "aliases",
			"healthCheckId",
		},
		simulate: record,
		undo:     undoRecord,
		Inputs:   recordInputs{},
		// A create reaches the account's id check again only with allowOverwrite, which the
		// provider sends as an UPSERT; without it the simulation refuses the CREATE of a record
		// set that exists.
		Repeated: writesAgain("https://docs.aws.amazon.com/Route53/latest/APIReference/API_Change.html"),
	},
	{Token: awstype.HealthCheck,
		Label: "health check",
		ForceNew: []string{
			"type", "requestInterval", "measureLatency", "referenceName", "routingControlArn",
		},
		Stateful: true,
		Source:   terraformDocs + "route53_health_check",
		Actions: []string{
			"route53:CreateHealthCheck", "route53:GetHealthCheck", "route53:UpdateHealthCheck",
			"route53:ChangeTagsForResource", "route53:DeleteHealthCheck",
		},
		KeySettings: []string{
			"type", "fqdn", "port", "enableSni", "resourcePath", "requestInterval",
			"failureThreshold", "regions", "invertHealthcheck",
		},
		simulate: healthCheck,
		Inputs:   healthCheckInputs{},
	},
	{Token: awstype.Bucket,
		Label:    "S3 bucket",
		ForceNew: []string{"bucket", "bucketPrefix", "objectLockEnabled"},
		Stateful: true,
		Source:   terraformDocs + "s3_bucket",
		Actions: []string{
			"s3:CreateBucket", "s3:ListBucket", "s3:PutBucketTagging", "s3:GetBucketTagging",
			"s3:DeleteBucket",
		},
		simulate: simulateBucket,
		Inputs:   bucketInputs{},
	},
	{Token: awstype.BucketPublicAccessBlock,
		ForceNew: []string{"bucket"},
		Source:   terraformDocs + "s3_bucket_public_access_block",
		Actions:  []string{"s3:PutBucketPublicAccessBlock", "s3:GetBucketPublicAccessBlock"},
		KeySettings: []string{
			"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets",
		},
		simulate: bucketSetting,
		Inputs:   publicAccessBlockInputs{},
		Repeated: writesAgain(s3API + "API_PutPublicAccessBlock.html"),
	},
	{Token: awstype.BucketOwnershipControls,
		ForceNew:    []string{"bucket"},
		Source:      terraformDocs + "s3_bucket_ownership_controls",
		Actions:     []string{"s3:PutBucketOwnershipControls", "s3:GetBucketOwnershipControls"},
		KeySettings: []string{"rule.objectOwnership"},
		simulate:    bucketSetting,
		Inputs:      ownershipControlsInputs{},
		Repeated:    writesAgain(s3API + "API_PutBucketOwnershipControls.html"),
	},
	{Token: awstype.BucketEncryption,
		ForceNew: []string{"bucket", "expectedBucketOwner"},
		Source:   terraformDocs + "s3_bucket_server_side_encryption_configuration",
		Actions:  []string{"s3:PutEncryptionConfiguration", "s3:GetEncryptionConfiguration"},
		simulate: bucketSetting,
		Inputs:   bucketEncryptionInputs{},
		Repeated: writesAgain(s3API + "API_PutBucketEncryption.html"),
	},
	{Token: awstype.BucketPolicy,
		ForceNew: []string{"bucket"},
		Source:   terraformDocs + "s3_bucket_policy",
		Actions:  []string{"s3:PutBucketPolicy", "s3:GetBucketPolicy", "s3:DeleteBucketPolicy"},
		simulate: bucketSetting,
		Inputs:   bucketPolicyInputs{},
		Repeated: writesAgain(s3API + "API_PutBucketPolicy.html"),
	},
	{Token: awstype.BucketVersioning,
		ForceNew: []string{"bucket", "expectedBucketOwner"},
		Source:   terraformDocs + "s3_bucket_versioning",
		simulate: bucketSetting,
		Inputs:   bucketInputs{},
		Repeated: writesAgain(s3API + "API_PutBucketVersioning.html"),
	},
	{Token: awstype.BucketObject,
		Label:       "page",
		ForceNew:    []string{"bucket", "key"},
		Source:      terraformDocs + "s3_object",
		Actions:     []string{"s3:PutObject", "s3:GetObject", "s3:DeleteObject"},
		KeySettings: []string{"key", "contentType", "cacheControl"},
		simulate:    simulateBucketObject,
		Inputs:      bucketObjectInputs{},
		Repeated:    writesAgain(s3API + "API_PutObject.html"),
	},
	// Standard logging: CloudFront reads and updates the log bucket's ACL as its caller
	// (CloudFront Developer Guide, "Configure standard logging (legacy)", Permissions).
	{Token: awstype.Distribution,
		Label:    "CloudFront",
		Stateful: true,
		Source:   terraformDocs + "cloudfront_distribution",
		Actions: []string{
			"cloudfront:CreateDistributionWithTags", "cloudfront:GetDistribution",
			"cloudfront:UpdateDistribution", "cloudfront:ListTagsForResource",
			"cloudfront:DeleteDistribution", "s3:GetBucketAcl", "s3:PutBucketAcl",
		},
		KeySettings: []string{
			"aliases", "priceClass", "httpVersion", "isIpv6Enabled",
			"defaultCacheBehavior.viewerProtocolPolicy", "defaultCacheBehavior.cachePolicyId",
			"customErrorResponses", "viewerCertificate.minimumProtocolVersion",
		},
		simulate: distribution,
		Inputs:   distributionInputs{},
	},
	{Token: awstype.OriginAccessControl,
		Label:  "origin access control",
		Source: terraformDocs + "cloudfront_origin_access_control",
		Actions: []string{
			"cloudfront:CreateOriginAccessControl", "cloudfront:GetOriginAccessControl",
			"cloudfront:DeleteOriginAccessControl",
		},
		KeySettings: []string{
			"originAccessControlOriginType", "signingBehavior", "signingProtocol",
		},
		simulate: originAccessControl,
		Inputs:   originAccessControlInputs{},
	},
	{Token: awstype.Certificate,
		Label: "certificate",
		ForceNew: []string{
			"domainName", "subjectAlternativeNames", "validationMethod", "keyAlgorithm",
			"certificateAuthorityArn",
		},
		Stateful: true,
		Source:   terraformDocs + "acm_certificate",
		Actions: []string{
			"acm:RequestCertificate", "acm:DescribeCertificate", "acm:AddTagsToCertificate",
			"acm:ListTagsForCertificate", "acm:DeleteCertificate",
		},
		KeySettings: []string{"domainName", "subjectAlternativeNames", "validationMethod"},
		simulate:    simulateCertificate,
		Inputs:      certificateInputs{},
	},
	{Token: awstype.CertificateValidation,
		ForceNew: []string{"certificateArn", "validationRecordFqdns"},
		Source:   terraformDocs + "acm_certificate_validation",
		Actions:  []string{"acm:DescribeCertificate"},
		simulate: certificateValidation,
		undo:     undoCertificateValidation,
		Inputs:   certificateValidationInputs{},
		Virtual:  true,
	},
	{Token: awstype.VPC,
		Label:    "VPC",
		ForceNew: []string{"cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"},
		Source:   terraformDocs + "vpc",
		Actions: []string{
			"ec2:CreateVpc", "ec2:ModifyVpcAttribute", "ec2:DescribeVpcs", "ec2:DeleteVpc",
		},
		KeySettings: []string{"cidrBlock"},
		simulate:    simulateVPC,
		Inputs:      vpcInputs{},
	},
	{Token: awstype.Subnet,
		ForceNew: []string{
			"vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId", "outpostArn",
		},
		Source: terraformDocs + "subnet",
		Actions: []string{
			"ec2:CreateSubnet", "ec2:ModifySubnetAttribute", "ec2:DescribeSubnets",
			"ec2:DeleteSubnet",
		},
		KeySettings: []string{"cidrBlock", "availabilityZone", "mapPublicIpOnLaunch"},
		simulate:    simulateSubnet,
		Inputs:      subnetInputs{},
	},
	{Token: awstype.InternetGateway,
		Source: terraformDocs + "internet_gateway",
		Actions: []string{
			"ec2:CreateInternetGateway", "ec2:AttachInternetGateway",
			"ec2:DescribeInternetGateways", "ec2:DetachInternetGateway",
			"ec2:DeleteInternetGateway",
		},
		simulate: simulateInternetGateway,
		Inputs:   internetGatewayInputs{},
	},
	{Token: awstype.RouteTable,
		ForceNew: []string{"vpcId"},
		Source:   terraformDocs + "route_table",
		Actions: []string{
			"ec2:CreateRouteTable", "ec2:DescribeRouteTables", "ec2:DeleteRouteTable",
		},
		simulate: simulateRouteTable,
		Inputs:   routeTableInputs{},
	},
	{Token: awstype.Route,
		ForceNew: []string{
			"routeTableId", "destinationCidrBlock", "destinationIpv6CidrBlock",
			"destinationPrefixListId",
		},
		Source:      terraformDocs + "route",
		Actions:     []string{"ec2:CreateRoute", "ec2:DescribeRouteTables", "ec2:DeleteRoute"},
		KeySettings: []string{"destinationCidrBlock"},
		simulate:    simulateRoute,
		Inputs:      routeInputs{},
		Repeated:    &Repeated{Code: "RouteAlreadyExists", Source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html"},
	},
	{Token: awstype.RouteTableAssociation,
		ForceNew: []string{"subnetId", "gatewayId"},
		Source:   terraformDocs + "route_table_association",
		Actions:  []string{"ec2:AssociateRouteTable", "ec2:DisassociateRouteTable"},
		simulate: simulateRouteTableAssociation,
		Inputs:   routeTableAssociationInputs{},
	},
	{Token: awstype.SecurityGroup,
		ForceNew: []string{"name", "namePrefix", "description", "vpcId"},
		Source:   terraformDocs + "security_group",
		Actions: []string{
			"ec2:CreateSecurityGroup", "ec2:DescribeSecurityGroups",
			"ec2:RevokeSecurityGroupEgress", "ec2:DeleteSecurityGroup",
		},
		simulate: simulateSecurityGroup,
		Inputs:   securityGroupInputs{},
	},
	{Token: awstype.IngressRule,
		ForceNew: []string{"securityGroupId"},
		Source:   terraformDocs + "vpc_security_group_ingress_rule",
		Actions: []string{
			"ec2:AuthorizeSecurityGroupIngress", "ec2:DescribeSecurityGroupRules",
			"ec2:RevokeSecurityGroupIngress",
		},
		KeySettings: []string{
			"ipProtocol", "fromPort", "toPort", "cidrIpv4", "cidrIpv6", "referencedSecurityGroupId",
		},
		simulate: securityGroupRule,
		Inputs:   securityGroupRuleInputs{},
	},
	{Token: awstype.EgressRule,
		ForceNew: []string{"securityGroupId"},
		Source:   terraformDocs + "vpc_security_group_egress_rule",
		Actions: []string{
			"ec2:AuthorizeSecurityGroupEgress", "ec2:DescribeSecurityGroupRules",
			"ec2:RevokeSecurityGroupEgress",
		},
		KeySettings: []string{
			"ipProtocol", "fromPort", "toPort", "cidrIpv4", "cidrIpv6", "referencedSecurityGroupId",
		},
		simulate: securityGroupRule,
		Inputs:   securityGroupRuleInputs{},
	},
	{Token: awstype.Instance,
		Label: "instance",
		ForceNew: []string{
			"ami", "availabilityZone", "subnetId", "keyName", "associatePublicIpAddress", "privateIp",
			"placementGroup", "rootBlockDevice.encrypted", "rootBlockDevice.kmsKeyId", "userData",
		},
		ForceNewWhen: map[string]string{"userData": "userDataReplaceOnChange"},
		Stateful:     true,
		Source:       terraformDocs + "instance",
		KeySettings: []string{
			"instanceType", "ami", "metadataOptions.httpTokens", "userDataReplaceOnChange",
		},
		simulate: instance,
		Inputs:   instanceInputs{},
	},
	{Token: awstype.LoadBalancer,
		Label: "load balancer",
		ForceNew: []string{
			"name", "namePrefix", "internal", "loadBalancerType", "customerOwnedIpv4Pool",
		},
		Stateful: true,
		Source:   terraformDocs + "lb",
		Actions: []string{
			"elasticloadbalancing:CreateLoadBalancer",
			"elasticloadbalancing:ModifyLoadBalancerAttributes",
			"elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:AddTags",
			"elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DeleteLoadBalancer",
		},
		KeySettings: []string{
			"loadBalancerType", "internal", "ipAddressType", "dropInvalidHeaderFields",
		},
		simulate: loadBalancer,
		Inputs:   loadBalancerInputs{},
	},
	{Token: awstype.TargetGroup,
		Label: "target group",
		ForceNew: []string{
			"name", "namePrefix", "port", "protocol", "protocolVersion", "targetType", "vpcId",
			"ipAddressType",
		},
		Source: terraformDocs + "lb_target_group",
		Actions: []string{
			"elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:ModifyTargetGroup",
			"elasticloadbalancing:ModifyTargetGroupAttributes",
			"elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DeleteTargetGroup",
		},
		KeySettings: []string{"protocol", "port", "healthCheck"},
		simulate:    targetGroup,
		Inputs:      targetGroupInputs{},
	},
	{Token: awstype.LaunchTemplate,
		ForceNew: []string{"name", "namePrefix"},
		Source:   terraformDocs + "launch_template",
		Actions: []string{
			"ec2:CreateLaunchTemplate", "ec2:CreateLaunchTemplateVersion",
			"ec2:ModifyLaunchTemplate", "ec2:DescribeLaunchTemplates", "ec2:DeleteLaunchTemplate",
		},
		KeySettings: []string{"instanceType", "imageId", "metadataOptions.httpTokens"},
		simulate:    launchTemplate,
		Inputs:      launchTemplateInputs{},
	},
	// A group with a launch template launches as its caller: ec2:RunInstances and CreateTags.
	{Token: awstype.AutoScalingGroup,
		Label:    "Auto Scaling group",
		ForceNew: []string{"name", "namePrefix"},
		Stateful: true,
		Source:   terraformDocs + "autoscaling_group",
		Actions: []string{
			"autoscaling:CreateAutoScalingGroup", "autoscaling:UpdateAutoScalingGroup",
			"autoscaling:DescribeAutoScalingGroups", "autoscaling:StartInstanceRefresh",
			"autoscaling:DescribeInstanceRefreshes", "autoscaling:CreateOrUpdateTags",
			"autoscaling:DeleteAutoScalingGroup", "ec2:RunInstances", "ec2:CreateTags",
			"ec2:DescribeLaunchTemplateVersions",
		},
		KeySettings: []string{
			"minSize", "maxSize", "healthCheckType", "minElbCapacity", "instanceRefresh",
		},
		simulate: autoScalingGroup,
		Inputs:   autoScalingGroupInputs{},
	},
	{Token: awstype.ScalingPolicy,
		ForceNew: []string{"name", "autoscalingGroupName"},
		Source:   terraformDocs + "autoscaling_policy",
		Actions: []string{
			"autoscaling:PutScalingPolicy", "autoscaling:DescribePolicies",
			"autoscaling:DeletePolicy",
		},
		KeySettings: []string{"policyType", "targetTrackingConfiguration"},
		simulate:    scalingPolicy,
		Inputs:      scalingPolicyInputs{},
	},
	{Token: awstype.TargetGroupAttachment,
		ForceNew: []string{"targetGroupArn", "targetId", "port", "availabilityZone"},
		Source:   terraformDocs + "lb_target_group_attachment",
		simulate: simulateTargetGroupAttachment,
		Inputs:   targetGroupAttachmentInputs{},
	},
	{Token: awstype.Listener,
		Label:    "listener",
		ForceNew: []string{"loadBalancerArn"},
		Source:   terraformDocs + "lb_listener",
		Actions: []string{
			"elasticloadbalancing:CreateListener", "elasticloadbalancing:DescribeListeners",
			"elasticloadbalancing:ModifyListener", "elasticloadbalancing:DeleteListener",
		},
		KeySettings: []string{"protocol", "port", "sslPolicy", "defaultActions"},
		simulate:    listener,
		Inputs:      listenerInputs{},
	},
	{Token: awstype.Topic,
		Label:    "SNS topic",
		ForceNew: []string{"name", "namePrefix", "fifoTopic"},
		Source:   terraformDocs + "sns_topic",
		Actions: []string{
			"sns:CreateTopic", "sns:GetTopicAttributes", "sns:SetTopicAttributes",
			"sns:TagResource", "sns:DeleteTopic",
		},
		simulate: topic,
	},
	{Token: awstype.TopicSubscription,
		ForceNew:    []string{"topic", "protocol", "endpoint"},
		Source:      terraformDocs + "sns_topic_subscription",
		Actions:     []string{"sns:Subscribe", "sns:GetSubscriptionAttributes", "sns:Unsubscribe"},
		KeySettings: []string{"protocol"},
		simulate:    subscription,
		Inputs:      topicSubscriptionInputs{},
	},
	{Token: awstype.MetricAlarm,
		Label:    "alarm",
		ForceNew: []string{"name"},
		Source:   terraformDocs + "cloudwatch_metric_alarm",
		Actions: []string{
			"cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms",
			"cloudwatch:ListTagsForResource", "cloudwatch:DeleteAlarms",
		},
		KeySettings: []string{
			"metricName", "dimensions", "comparisonOperator", "threshold", "treatMissingData",
		},
		simulate: metricAlarm,
		Inputs:   metricAlarmInputs{},
	},
	{Token: awstype.ListenerCertificate,
		ForceNew: []string{"listenerArn", "certificateArn"},
		Source:   terraformDocs + "lb_listener_certificate",
		Actions: []string{
			"elasticloadbalancing:AddListenerCertificates",
			"elasticloadbalancing:DescribeListenerCertificates",
			"elasticloadbalancing:RemoveListenerCertificates",
		},
		simulate: listenerCertificate,
		Inputs:   listenerCertificateInputs{},
		Repeated: writesAgain("https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_AddListenerCertificates.html"),
	},
	{Token: awstype.ListenerRule,
		ForceNew: []string{"listenerArn"},
		Source:   terraformDocs + "lb_listener_rule",
		Actions: []string{
			"elasticloadbalancing:CreateRule", "elasticloadbalancing:DescribeRules",
			"elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities",
			"elasticloadbalancing:DeleteRule",
		},
		simulate: listenerRule,
		Inputs:   listenerRuleInputs{},
	},
	{Token: awstype.Role,
		ForceNew: []string{"name", "namePrefix", "path"},
		Source:   terraformDocs + "iam_role",
		Actions: []string{
			"iam:CreateRole", "iam:GetRole", "iam:TagRole", "iam:ListRolePolicies",
			"iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:DeleteRole",
		},
		simulate: role,
		Inputs:   roleInputs{},
	},
	{Token: awstype.RolePolicyAttachment,
		ForceNew: []string{"role", "policyArn"},
		Source:   terraformDocs + "iam_role_policy_attachment",
		Actions: []string{
			"iam:AttachRolePolicy", "iam:ListAttachedRolePolicies", "iam:DetachRolePolicy",
		},
		simulate: policyAttachment,
		Inputs:   rolePolicyAttachmentInputs{},
	},
	// Lambda@Edge: the function's role is passed to Lambda, and a distribution that names a
	// version replicates it (CloudFront Developer Guide, "Set up IAM permissions and roles for
	// Lambda@Edge").
	{Token: awstype.Function,
		ForceNew: []string{"name", "packageType"},
		Source:   terraformDocs + "lambda_function",
		Actions: []string{
			"lambda:CreateFunction", "lambda:GetFunction", "lambda:PublishVersion",
			"lambda:ListVersionsByFunction", "lambda:UpdateFunctionCode",
			"lambda:UpdateFunctionConfiguration", "lambda:EnableReplication*",
			"lambda:DisableReplication*", "iam:PassRole",
		},
		simulate: function,
		Inputs:   functionInputs{},
	},

	// GetCallerIdentity needs no permission (AWS STS API Reference).
	{Token: awstype.GetCallerIdentity, answer: getCallerIdentity, Actions: []string{}},
	{Token: awstype.GetInstanceType, answer: getInstanceType, Inputs: instanceTypeQuery{},
		Actions: []string{"ec2:DescribeInstanceTypes"}},
	{Token: awstype.GetInstanceTypeOfferings, answer: getInstanceTypeOfferings,
		Inputs: instanceTypeOfferingsQuery{}, Actions: []string{"ec2:DescribeInstanceTypeOfferings"}},
	{Token: awstype.GetManagedPrefixList, answer: getManagedPrefixList, Inputs: nameQuery{},
		Actions: []string{"ec2:DescribeManagedPrefixLists", "ec2:GetManagedPrefixListEntries"}},
	{Token: awstype.GetSubnet, answer: getSubnet, Inputs: idQuery{},
		Actions: []string{"ec2:DescribeSubnets"}},
	{Token: awstype.GetRouteTable, answer: getRouteTable, Inputs: routeTableQuery{},
		Actions: []string{"ec2:DescribeRouteTables"}},
	{Token: awstype.GetAvailabilityZones, answer: getAvailabilityZones,
		Actions: []string{"ec2:DescribeAvailabilityZones"}},
	{Token: awstype.GetRegion, answer: getRegion, Inputs: nameQuery{}, Actions: []string{}},
	{Token: awstype.GetZone, answer: getZone, Inputs: zoneQuery{},
		Actions: []string{"route53:ListHostedZones", "route53:GetHostedZone"}},
	{Token: awstype.GetParameter, answer: getParameter, Inputs: nameQuery{},
		Actions: []string{"ssm:GetParameter"}},
	{Token: awstype.GetVpc, answer: getVpc, Inputs: idQuery{}},
	{Token: awstype.GetAmi, answer: getAmi, Inputs: filtersQuery{}},
}

var byToken = func() map[string]*Type {
	m := map[string]*Type{}
	for i := range registry {
		m[registry[i].Token] = &registry[i]
	}
	return m
}()

// Lookup returns what the project knows about a type token; the zero Type (no simulation,
// nothing replacing, no label) for one it does not know.
func Lookup(token string) Type {
	if t, ok := byToken[token]; ok {
		return *t
	}
	return Type{Token: token}
}

// Types returns every registered type, sorted by token.
func Types() []Type {
	out := slices.Clone(registry)
	slices.SortFunc(out, func(a, b Type) int { return strings.Compare(a.Token, b.Token) })
	return out
}
