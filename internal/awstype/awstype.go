// Package awstype owns the type tokens of the pulumi-aws resources and data sources this project
// uses, spelled as the pinned SDK spells them (mockcloud's registry test derives each from the
// SDK's Args type). Code names a type by these constants, never by a string literal.
package awstype

// Provider is the type token of an AWS provider resource.
const Provider = "pulumi:providers:aws"

// Resources, by service.
const (
	Certificate           = "aws:acm/certificate:Certificate"
	CertificateValidation = "aws:acm/certificateValidation:CertificateValidation"

	AutoScalingGroup = "aws:autoscaling/group:Group"
	ScalingPolicy    = "aws:autoscaling/policy:Policy"

	Distribution        = "aws:cloudfront/distribution:Distribution"
	OriginAccessControl = "aws:cloudfront/originAccessControl:OriginAccessControl"

	MetricAlarm = "aws:cloudwatch/metricAlarm:MetricAlarm"

	VPC                   = "aws:ec2/vpc:Vpc"
	Subnet                = "aws:ec2/subnet:Subnet"
	InternetGateway       = "aws:ec2/internetGateway:InternetGateway"
	RouteTable            = "aws:ec2/routeTable:RouteTable"
	Route                 = "aws:ec2/route:Route"
	RouteTableAssociation = "aws:ec2/routeTableAssociation:RouteTableAssociation"
	SecurityGroup         = "aws:ec2/securityGroup:SecurityGroup"
	Instance              = "aws:ec2/instance:Instance"
	LaunchTemplate        = "aws:ec2/launchTemplate:LaunchTemplate"
	IngressRule           = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	EgressRule            = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"

	Role                 = "aws:iam/role:Role"
	RolePolicyAttachment = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"

	Function = "aws:lambda/function:Function"

	LoadBalancer          = "aws:lb/loadBalancer:LoadBalancer"
	TargetGroup           = "aws:lb/targetGroup:TargetGroup"
	TargetGroupAttachment = "aws:lb/targetGroupAttachment:TargetGroupAttachment"
	Listener              = "aws:lb/listener:Listener"
	ListenerCertificate   = "aws:lb/listenerCertificate:ListenerCertificate"
	ListenerRule          = "aws:lb/listenerRule:ListenerRule"

	Zone        = "aws:route53/zone:Zone"
	Record      = "aws:route53/record:Record"
	HealthCheck = "aws:route53/healthCheck:HealthCheck"

	Bucket                  = "aws:s3/bucketV2:BucketV2"
	BucketObject            = "aws:s3/bucketObjectv2:BucketObjectv2"
	BucketPolicy            = "aws:s3/bucketPolicy:BucketPolicy"
	BucketPublicAccessBlock = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	BucketOwnershipControls = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	BucketEncryption        = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	BucketVersioning        = "aws:s3/bucketVersioningV2:BucketVersioningV2"

	Topic             = "aws:sns/topic:Topic"
	TopicSubscription = "aws:sns/topicSubscription:TopicSubscription"
)

// Data sources.
const (
	GetAvailabilityZones     = "aws:index/getAvailabilityZones:getAvailabilityZones"
	GetCallerIdentity        = "aws:index/getCallerIdentity:getCallerIdentity"
	GetRegion                = "aws:index/getRegion:getRegion"
	GetAmi                   = "aws:ec2/getAmi:getAmi"
	GetInstanceType          = "aws:ec2/getInstanceType:getInstanceType"
	GetInstanceTypeOfferings = "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings"
	GetManagedPrefixList     = "aws:ec2/getManagedPrefixList:getManagedPrefixList"
	GetRouteTable            = "aws:ec2/getRouteTable:getRouteTable"
	GetSubnet                = "aws:ec2/getSubnet:getSubnet"
	GetVpc                   = "aws:ec2/getVpc:getVpc"
	GetZone                  = "aws:route53/getZone:getZone"
	GetParameter             = "aws:ssm/getParameter:getParameter"
)
