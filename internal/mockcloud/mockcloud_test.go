package mockcloud_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	awsvpc "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

const (
	region    = "ap-northeast-1"
	zone      = "Z0EXAMPLEZONE0000001"
	vpc       = "vpc-0aaaaaaaaaaaaaaa1"
	subnetA   = "subnet-0aaaaaaaaaaaaaaa1"
	subnetC   = "subnet-0aaaaaaaaaaaaaaa2"
	issued    = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-00000000000a"
	pending   = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-00000000000b"
	regional  = "arn:aws:acm:ap-northeast-1:123456789012:certificate/00000000-0000-0000-0000-00000000000c"
	unissued  = "arn:aws:acm:ap-northeast-1:123456789012:certificate/00000000-0000-0000-0000-00000000000e"
	elsewhere = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-00000000000d"
)

// account is what the tests' account holds before they run: the zone of example.com, a public
// VPC with subnets in two zones, certificates issued or not.
var account = mockcloud.Existing{
	Zones: []mockcloud.Zone{{ID: zone, Name: "example.com"}},
	VPCs:  []mockcloud.VPC{{ID: vpc, CIDR: "10.1.0.0/16"}},
	Subnets: []mockcloud.Subnet{
		{ID: subnetA, VpcID: vpc, AvailabilityZone: "ap-northeast-1a", CIDR: "10.1.1.0/24"},
		{ID: subnetC, VpcID: vpc, AvailabilityZone: "ap-northeast-1c", CIDR: "10.1.2.0/24"},
	},
	RouteTables: []mockcloud.RouteTable{{ID: "rtb-0aaaaaaaaaaaaaaa1", VpcID: vpc, Main: true,
		Routes: []mockcloud.Route{{Destination: "0.0.0.0/0", Target: "igw-0aaaaaaaaaaaaaaa1"}}}},
	Certificates: []mockcloud.Certificate{
		{ARN: issued, Names: []string{"example.com", "*.example.com"}, Status: "ISSUED"},
		{ARN: pending, Names: []string{"example.com"}, Status: "PENDING_VALIDATION"},
		{ARN: regional, Names: []string{"example.com"}, Status: "ISSUED"},
		{ARN: elsewhere, Names: []string{"example.com"}, Status: "ISSUED"},
		{ARN: unissued, Names: []string{"example.com"}, Status: "PENDING_VALIDATION"},
	},
}

func run(body func(ctx *pulumi.Context) error) (*plan.Plan, error) {
	return plan.RunInAccount(region, account, body, plan.Strict)
}

// alarm creates a one-minute alarm on a distribution's 5xx error rate.
func alarm(ctx *pulumi.Context, statistic string, periods, datapoints int) error {
	args := &cloudwatch.MetricAlarmArgs{
		Namespace: pulumi.String("AWS/CloudFront"), MetricName: pulumi.String("5xxErrorRate"),
		Statistic: pulumi.String(statistic), Period: pulumi.Int(60), EvaluationPeriods: pulumi.Int(periods),
		Threshold: pulumi.Float64(5), ComparisonOperator: pulumi.String("GreaterThanThreshold"),
	}
	if datapoints > 0 {
		args.DatapointsToAlarm = pulumi.Int(datapoints)
	}
	_, err := cloudwatch.NewMetricAlarm(ctx, "errors", args)
	return err
}

func newSubnet(ctx *pulumi.Context, name, az string) (*ec2.Subnet, error) {
	return ec2.NewSubnet(ctx, name, &ec2.SubnetArgs{
		VpcId: pulumi.String(vpc), CidrBlock: pulumi.String("10.1.9.0/24"), AvailabilityZone: pulumi.String(az),
	})
}

// twice creates two resources alike, named a and b, as create makes them.
func twice(create func(name string) error) error {
	for _, name := range []string{"a", "b"} {
		if err := create(name); err != nil {
			return err
		}
	}
	return nil
}

func newALB(ctx *pulumi.Context, subnets ...string) (*lb.LoadBalancer, error) {
	return lb.NewLoadBalancer(ctx, "alb", &lb.LoadBalancerArgs{Subnets: pulumi.ToStringArray(subnets)})
}

func distribution(ctx *pulumi.Context, name, cert string, aliases ...string) (*cloudfront.Distribution, error) {
	return cloudfront.NewDistribution(ctx, name, &cloudfront.DistributionArgs{
		Enabled:           pulumi.Bool(true),
		Aliases:           pulumi.ToStringArray(aliases),
		ViewerCertificate: cloudfront.DistributionViewerCertificateArgs{AcmCertificateArn: pulumi.String(cert), SslSupportMethod: pulumi.String("sni-only")},
		DefaultCacheBehavior: cloudfront.DistributionDefaultCacheBehaviorArgs{TargetOriginId: pulumi.String("o"), CachePolicyId: pulumi.String("c"),
			ViewerProtocolPolicy: pulumi.String("redirect-to-https"), AllowedMethods: pulumi.ToStringArray([]string{"GET", "HEAD"}), CachedMethods: pulumi.StringArray{}},
		Origins:      cloudfront.DistributionOriginArray{cloudfront.DistributionOriginArgs{OriginId: pulumi.String("o"), DomainName: pulumi.String("b.s3.us-east-1.amazonaws.com")}},
		Restrictions: cloudfront.DistributionRestrictionsArgs{GeoRestriction: cloudfront.DistributionRestrictionsGeoRestrictionArgs{RestrictionType: pulumi.String("none")}},
	})
}

func listener(ctx *pulumi.Context, cert string) error {
	alb, err := newALB(ctx, subnetA, subnetC)
	if err != nil {
		return err
	}
	_, err = lb.NewListener(ctx, "https", &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn, Port: pulumi.Int(443), Protocol: pulumi.String("HTTPS"), CertificateArn: pulumi.String(cert),
		DefaultActions: lb.ListenerDefaultActionArray{lb.ListenerDefaultActionArgs{Type: pulumi.String("fixed-response")}},
	})
	return err
}

// rules adds a rule at each priority, one after the other, to an HTTPS listener.
func rules(ctx *pulumi.Context, priorities ...int) error {
	alb, err := newALB(ctx, subnetA, subnetC)
	if err != nil {
		return err
	}
	l, err := lb.NewListener(ctx, "https", &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn, Port: pulumi.Int(443), Protocol: pulumi.String("HTTPS"), CertificateArn: pulumi.String(regional),
		DefaultActions: lb.ListenerDefaultActionArray{lb.ListenerDefaultActionArgs{Type: pulumi.String("fixed-response")}},
	})
	if err != nil {
		return err
	}
	var previous []pulumi.Resource
	for i, priority := range priorities {
		rule, err := lb.NewListenerRule(ctx, fmt.Sprint("rule-", i), &lb.ListenerRuleArgs{
			ListenerArn: l.Arn, Priority: pulumi.Int(priority),
			Conditions: lb.ListenerRuleConditionArray{lb.ListenerRuleConditionArgs{
				PathPattern: lb.ListenerRuleConditionPathPatternArgs{Values: pulumi.ToStringArray([]string{"/admin*"})}}},
			Actions: lb.ListenerRuleActionArray{lb.ListenerRuleActionArgs{Type: pulumi.String("fixed-response"),
				FixedResponse: lb.ListenerRuleActionFixedResponseArgs{ContentType: pulumi.String("text/plain"), StatusCode: pulumi.String("403")}}},
		}, pulumi.DependsOn(previous))
		if err != nil {
			return err
		}
		previous = []pulumi.Resource{rule}
	}
	return nil
}

func healthCheck(ctx *pulumi.Context, typ string, port int) error {
	_, err := route53.NewHealthCheck(ctx, "hc", &route53.HealthCheckArgs{Type: pulumi.String(typ), Fqdn: pulumi.String("x.example.com"),
		Port: pulumi.Int(port), RequestInterval: pulumi.Int(30), FailureThreshold: pulumi.Int(2)})
	return err
}

// instance runs an instance of typ in subnetC (ap-northeast-1c) from the current Amazon Linux
// image of an architecture.
func instance(ctx *pulumi.Context, arch, typ string) error {
	image, err := ssm.LookupParameter(ctx, &ssm.LookupParameterArgs{Name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-" + arch})
	if err != nil {
		return err
	}
	_, err = ec2.NewInstance(ctx, "i", &ec2.InstanceArgs{Ami: pulumi.String(image.Value), InstanceType: pulumi.String(typ), SubnetId: pulumi.String(subnetC)})
	return err
}

// group makes a launch template of userData and a group over subnets of minSize-maxSize.
func group(ctx *pulumi.Context, userData string, subnets []string, minSize, maxSize int) error {
	_, err := newGroup(ctx, userData, subnets, minSize, maxSize, nil)
	return err
}

// refreshingGroup is a group whose instance refreshes keep minimum to maximum percent healthy.
func refreshingGroup(ctx *pulumi.Context, minimum, maximum int) error {
	_, err := newGroup(ctx, "", []string{subnetA}, 1, 1, &autoscaling.GroupInstanceRefreshArgs{Strategy: pulumi.String("Rolling"),
		Preferences: &autoscaling.GroupInstanceRefreshPreferencesArgs{MinHealthyPercentage: pulumi.Int(minimum), MaxHealthyPercentage: pulumi.Int(maximum)}})
	return err
}

// newGroup is a group of t3.micro instances with userData (base64; "" for none), refreshed as
// refresh says (nil: AWS's defaults).
func newGroup(ctx *pulumi.Context, userData string, subnets []string, minSize, maxSize int, refresh *autoscaling.GroupInstanceRefreshArgs) (*autoscaling.Group, error) {
	image, err := ssm.LookupParameter(ctx, &ssm.LookupParameterArgs{Name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"})
	if err != nil {
		return nil, err
	}
	template := &ec2.LaunchTemplateArgs{ImageId: pulumi.String(image.Value), InstanceType: pulumi.String("t3.micro")}
	if userData != "" {
		template.UserData = pulumi.String(userData)
	}
	lt, err := ec2.NewLaunchTemplate(ctx, "lt", template)
	if err != nil {
		return nil, err
	}
	return autoscaling.NewGroup(ctx, "asg", &autoscaling.GroupArgs{VpcZoneIdentifiers: pulumi.ToStringArray(subnets),
		MinSize: pulumi.Int(minSize), MaxSize: pulumi.Int(maxSize),
		LaunchTemplate:  &autoscaling.GroupLaunchTemplateArgs{Id: lt.ID(), Version: pulumi.String("1")},
		InstanceRefresh: refresh})
}

func record(ctx *pulumi.Context, name, zoneID, recordName string, opts ...pulumi.ResourceOption) error {
	_, err := route53.NewRecord(ctx, name, &route53.RecordArgs{ZoneId: pulumi.String(zoneID), Name: pulumi.String(recordName),
		Type: pulumi.String("A"), Records: pulumi.StringArray{pulumi.String("192.0.2.1")}, Ttl: pulumi.Int(60)}, opts...)
	return err
}

// TestRefusesWhatAWSRefuses: the simulated account must not accept what AWS would reject, or the
// tests would pass on code that fails on the first pulumi up.
func TestRefusesWhatAWSRefuses(t *testing.T) {
	tests := []struct {
		name    string
		program func(ctx *pulumi.Context) error
		want    string
	}{
		{"ALB in one zone", func(ctx *pulumi.Context) error {
			_, err := newALB(ctx, subnetA)
			return err
		}, "at least two subnets in two different Availability Zones"},
		{"ALB with two subnets in one zone", func(ctx *pulumi.Context) error {
			s, err := newSubnet(ctx, "second-a", "ap-northeast-1a")
			if err != nil {
				return err
			}
			_, err = lb.NewLoadBalancer(ctx, "alb", &lb.LoadBalancerArgs{Subnets: pulumi.StringArray{pulumi.String(subnetA), s.ID(), pulumi.String(subnetC)}})
			return err
		}, "cannot be attached to multiple subnets in the same Availability Zone"},
		{"ALB in a VPC without an internet gateway", func(ctx *pulumi.Context) error {
			v, err := ec2.NewVpc(ctx, "v", &ec2.VpcArgs{CidrBlock: pulumi.String("10.9.0.0/16")})
			if err != nil {
				return err
			}
			var ids pulumi.StringArray
			for i, az := range []string{"ap-northeast-1a", "ap-northeast-1c"} {
				s, err := ec2.NewSubnet(ctx, fmt.Sprint("s", i), &ec2.SubnetArgs{VpcId: v.ID(), CidrBlock: pulumi.Sprintf("10.9.%d.0/24", i), AvailabilityZone: pulumi.String(az)})
				if err != nil {
					return err
				}
				ids = append(ids, s.ID())
			}
			_, err = lb.NewLoadBalancer(ctx, "alb", &lb.LoadBalancerArgs{Subnets: ids})
			return err
		}, "has no internet gateway"},
		{"subnet in another region", func(ctx *pulumi.Context) error {
			_, err := newSubnet(ctx, "s", "us-east-1a")
			return err
		}, `availability zone "us-east-1a" is not in ap-northeast-1`},
		{"subnet in a VPC that does not exist", func(ctx *pulumi.Context) error {
			_, err := ec2.NewSubnet(ctx, "s", &ec2.SubnetArgs{VpcId: pulumi.String("vpc-0fffffffffffffff0"), CidrBlock: pulumi.String("10.1.9.0/24"), AvailabilityZone: pulumi.String("ap-northeast-1a")})
			return err
		}, "InvalidVpcID.NotFound"},
		{"HTTPS listener with a certificate from another region", func(ctx *pulumi.Context) error {
			return listener(ctx, elsewhere)
		}, "is in eu-west-1; it must be in ap-northeast-1"},
		{"HTTPS listener with a certificate that is not issued", func(ctx *pulumi.Context) error {
			return listener(ctx, unissued)
		}, "is PENDING_VALIDATION, not ISSUED"},
		{"validation without its record", func(ctx *pulumi.Context) error {
			c, err := acm.NewCertificate(ctx, "c", &acm.CertificateArgs{
				DomainName: pulumi.String("example.com"), ValidationMethod: pulumi.String("DNS"),
				SubjectAlternativeNames: pulumi.StringArray{pulumi.String("www.example.com")},
			})
			if err != nil {
				return err
			}
			_, err = acm.NewCertificateValidation(ctx, "v", &acm.CertificateValidationArgs{CertificateArn: c.Arn})
			return err
		}, "ACM cannot validate example.com: no CNAME"},
		{"validation record outside the certificate's zone", func(ctx *pulumi.Context) error {
			return record(ctx, "r", zone, "www.example.org")
		}, "RRSet with DNS name www.example.org. is not permitted in zone example.com."},
		{"record in a zone that does not exist", func(ctx *pulumi.Context) error {
			return record(ctx, "r", "Z0NOSUCHZONE00000000", "www.example.com")
		}, "NoSuchHostedZone"},
		{"timeout not below interval", func(ctx *pulumi.Context) error {
			_, err := lb.NewTargetGroup(ctx, "tg", &lb.TargetGroupArgs{VpcId: pulumi.String(vpc), HealthCheck: &lb.TargetGroupHealthCheckArgs{
				Interval: pulumi.Int(5), Timeout: pulumi.Int(5)}})
			return err
		}, "must be smaller than the interval"},
		{"alarm with a percentile as its statistic", func(ctx *pulumi.Context) error {
			return alarm(ctx, "p99", 1, 0)
		}, "Member must satisfy enum value set: [SampleCount, Average, Sum, Minimum, Maximum]"},
		{"alarm over no period", func(ctx *pulumi.Context) error {
			return alarm(ctx, "Average", 0, 0)
		}, "EvaluationPeriods must be at least 1"},
		{"alarm on more datapoints than periods", func(ctx *pulumi.Context) error {
			return alarm(ctx, "Average", 3, 5)
		}, "DatapointsToAlarm (5) must be less than or equal to EvaluationPeriods (3)"},
		{"two subnets with overlapping blocks", func(ctx *pulumi.Context) error {
			return twice(func(name string) error {
				_, err := newSubnet(ctx, name, "ap-northeast-1a")
				return err
			})
		}, "InvalidSubnet.Conflict: the CIDR block 10.1.9.0/24 conflicts"},
		{"a subnet over one the account has", func(ctx *pulumi.Context) error {
			_, err := ec2.NewSubnet(ctx, "s", &ec2.SubnetArgs{VpcId: pulumi.String(vpc), CidrBlock: pulumi.String("10.1.1.128/25"), AvailabilityZone: pulumi.String("ap-northeast-1a")})
			return err
		}, "InvalidSubnet.Conflict"},
		{"a subnet associated twice", func(ctx *pulumi.Context) error {
			table, err := ec2.NewRouteTable(ctx, "t", &ec2.RouteTableArgs{VpcId: pulumi.String(vpc)})
			if err != nil {
				return err
			}
			return twice(func(name string) error {
				_, err := ec2.NewRouteTableAssociation(ctx, name, &ec2.RouteTableAssociationArgs{RouteTableId: table.ID(), SubnetId: pulumi.String(subnetA)})
				return err
			})
		}, "Resource.AlreadyAssociated"},
		{"a security group rule twice", func(ctx *pulumi.Context) error {
			sg, err := ec2.NewSecurityGroup(ctx, "sg", &ec2.SecurityGroupArgs{VpcId: pulumi.String(vpc)})
			if err != nil {
				return err
			}
			return twice(func(name string) error {
				_, err := awsvpc.NewSecurityGroupIngressRule(ctx, name, &awsvpc.SecurityGroupIngressRuleArgs{SecurityGroupId: sg.ID(),
					IpProtocol: pulumi.String("tcp"), FromPort: pulumi.Int(443), ToPort: pulumi.Int(443), CidrIpv4: pulumi.String("0.0.0.0/0")})
				return err
			})
		}, "InvalidPermission.Duplicate"},
		{"two listeners on one port", func(ctx *pulumi.Context) error {
			alb, err := newALB(ctx, subnetA, subnetC)
			if err != nil {
				return err
			}
			return twice(func(name string) error {
				_, err := lb.NewListener(ctx, name, &lb.ListenerArgs{LoadBalancerArn: alb.Arn, Port: pulumi.Int(80), Protocol: pulumi.String("HTTP"),
					DefaultActions: lb.ListenerDefaultActionArray{lb.ListenerDefaultActionArgs{Type: pulumi.String("fixed-response"),
						FixedResponse: lb.ListenerDefaultActionFixedResponseArgs{ContentType: pulumi.String("text/plain"), StatusCode: pulumi.String("200")}}}})
				return err
			})
		}, "DuplicateListener"},
		{"alias on two distributions", func(ctx *pulumi.Context) error {
			return twice(func(name string) error {
				_, err := distribution(ctx, name, issued, "example.com")
				return err
			})
		}, "CNAMEAlreadyExists: example.com is an alias of another distribution"},
		{"CloudFront certificate outside us-east-1", func(ctx *pulumi.Context) error {
			_, err := distribution(ctx, "a", regional, "example.com")
			return err
		}, "must be in us-east-1"},
		{"CloudFront certificate not issued", func(ctx *pulumi.Context) error {
			_, err := distribution(ctx, "a", pending, "example.com")
			return err
		}, "is PENDING_VALIDATION, not ISSUED"},
		{"CloudFront certificate that does not cover an alias", func(ctx *pulumi.Context) error {
			_, err := distribution(ctx, "a", issued, "example.com", "shop.example.org")
			return err
		}, "does not cover shop.example.org"},
		{"public policy on a blocked bucket", func(ctx *pulumi.Context) error {
			b, err := s3.NewBucketV2(ctx, "b", &s3.BucketV2Args{})
			if err != nil {
				return err
			}
			block, err := s3.NewBucketPublicAccessBlock(ctx, "b", &s3.BucketPublicAccessBlockArgs{Bucket: b.ID(), BlockPublicPolicy: pulumi.Bool(true)})
			if err != nil {
				return err
			}
			_, err = s3.NewBucketPolicy(ctx, "b", &s3.BucketPolicyArgs{Bucket: b.ID(),
				Policy: pulumi.Sprintf(`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"%s/*"}]}`, b.Arn)},
				pulumi.DependsOn([]pulumi.Resource{block}))
			return err
		}, "refuses a public policy"},
		{"bucket settings written at once", func(ctx *pulumi.Context) error {
			b, err := s3.NewBucketV2(ctx, "b", &s3.BucketV2Args{})
			if err != nil {
				return err
			}
			if _, err := s3.NewBucketPublicAccessBlock(ctx, "b", &s3.BucketPublicAccessBlockArgs{Bucket: b.ID(), BlockPublicPolicy: pulumi.Bool(true)}); err != nil {
				return err
			}
			_, err = s3.NewBucketOwnershipControls(ctx, "b", &s3.BucketOwnershipControlsArgs{Bucket: b.ID(),
				Rule: s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")}})
			return err
		}, "OperationAborted"},
		{"dualstack ALB in IPv4-only subnets", func(ctx *pulumi.Context) error {
			_, err := lb.NewLoadBalancer(ctx, "alb", &lb.LoadBalancerArgs{Subnets: pulumi.ToStringArray([]string{subnetA, subnetC}), IpAddressType: pulumi.String("dualstack")})
			return err
		}, "has no IPv6 CIDR block"},
		{"CloudFront alias evaluating target health", func(ctx *pulumi.Context) error {
			_, err := route53.NewRecord(ctx, "r", &route53.RecordArgs{ZoneId: pulumi.String(zone), Name: pulumi.String("example.com"), Type: pulumi.String("A"),
				Aliases: route53.RecordAliasArray{route53.RecordAliasArgs{Name: pulumi.String("d1.cloudfront.net"), ZoneId: pulumi.String("Z2FDTNDATAQYW2"), EvaluateTargetHealth: pulumi.Bool(true)}}})
			return err
		}, "evaluate target health is not supported for CloudFront aliases"},
		{"alias to a distribution that does not exist", func(ctx *pulumi.Context) error {
			_, err := route53.NewRecord(ctx, "r", &route53.RecordArgs{ZoneId: pulumi.String(zone), Name: pulumi.String("example.com"), Type: pulumi.String("A"),
				Aliases: route53.RecordAliasArray{route53.RecordAliasArgs{Name: pulumi.String("d1.cloudfront.net"), ZoneId: pulumi.String("Z2FDTNDATAQYW2"), EvaluateTargetHealth: pulumi.Bool(false)}}})
			return err
		}, "the alias target name does not lie within the target zone"},
		{"simple record beside a failover record", func(ctx *pulumi.Context) error {
			if err := record(ctx, "simple", zone, "example.com"); err != nil {
				return err
			}
			_, err := route53.NewRecord(ctx, "failover", &route53.RecordArgs{ZoneId: pulumi.String(zone), Name: pulumi.String("example.com"), Type: pulumi.String("A"),
				SetIdentifier: pulumi.String("primary"), Records: pulumi.StringArray{pulumi.String("192.0.2.2")}, Ttl: pulumi.Int(60),
				FailoverRoutingPolicies: route53.RecordFailoverRoutingPolicyArray{route53.RecordFailoverRoutingPolicyArgs{Type: pulumi.String("PRIMARY")}}},
				pulumi.DependsOn([]pulumi.Resource{}))
			return err
		}, "cannot coexist with a simple record"},
		{"record set written twice", func(ctx *pulumi.Context) error {
			if err := record(ctx, "first", zone, "www.example.com"); err != nil {
				return err
			}
			return record(ctx, "second", zone, "www.example.com")
		}, "but it already exists"},
		{"health check interval 20", func(ctx *pulumi.Context) error {
			_, err := route53.NewHealthCheck(ctx, "hc", &route53.HealthCheckArgs{Type: pulumi.String("HTTPS"), Fqdn: pulumi.String("x.example.com"),
				RequestInterval: pulumi.Int(20), FailureThreshold: pulumi.Int(2)})
			return err
		}, "request interval 20 is not 10 or 30"},
		{"health check of an unknown type", func(ctx *pulumi.Context) error { return healthCheck(ctx, "HTTPX", 443) }, `health check type "HTTPX" is not one of`},
		{"health check port out of range", func(ctx *pulumi.Context) error { return healthCheck(ctx, "HTTPS", 70000) }, "port 70000 is not 1-65535"},
		{"duplicate URN", func(ctx *pulumi.Context) error {
			if err := record(ctx, "r", zone, "a.example.com"); err != nil {
				return err
			}
			return record(ctx, "r", zone, "b.example.com")
		}, "duplicate resource URN"},
		{"instance type the zone does not offer", func(ctx *pulumi.Context) error {
			return instance(ctx, "arm64", "m8g.large")
		}, "Your requested instance type (m8g.large) is not supported in your requested Availability Zone (ap-northeast-1c)"},
		{"image of another architecture", func(ctx *pulumi.Context) error {
			return instance(ctx, "x86_64", "t4g.micro")
		}, "the architecture 'arm64' of the specified instance type does not match the architecture 'x86_64' of the specified AMI"},
		{"image that does not exist", func(ctx *pulumi.Context) error {
			_, err := ec2.NewInstance(ctx, "i", &ec2.InstanceArgs{Ami: pulumi.String("ami-0123456789abcdef0"), InstanceType: pulumi.String("t3.micro"),
				SubnetId: pulumi.String(subnetC)})
			return err
		}, "InvalidAMIID.NotFound"},
		{"launch template user data not base64", func(ctx *pulumi.Context) error {
			return group(ctx, "#!/bin/bash\necho hi", []string{subnetA}, 1, 1)
		}, "InvalidUserData.Malformed: user data of a launch template must be base64-encoded"},
		{"group without subnets", func(ctx *pulumi.Context) error {
			return group(ctx, "IyEvYmluL2Jhc2g=", nil, 1, 1)
		}, "At least one Availability Zone or VPC Subnet is required"},
		{"group sizes upside down", func(ctx *pulumi.Context) error {
			return group(ctx, "IyEvYmluL2Jhc2g=", []string{subnetA}, 3, 2)
		}, "Max bound, 2, must be greater than or equal to min bound, 3"},
		{"instance refresh preferences too far apart", func(ctx *pulumi.Context) error {
			return refreshingGroup(ctx, 50, 200)
		}, "MaxHealthyPercentage 200 and MinHealthyPercentage 50 are more than 100 apart"},
		{"instance refresh minimum over 100 %", func(ctx *pulumi.Context) error {
			return refreshingGroup(ctx, 120, 200)
		}, "MinHealthyPercentage 120 is not between 0 and 100"},
		{"user data over 16 KiB", func(ctx *pulumi.Context) error {
			return group(ctx, base64.StdEncoding.EncodeToString([]byte(strings.Repeat("#", 16385))), []string{subnetA}, 1, 1)
		}, "user data is limited to 16384 bytes"},
		{"a CPU target over 100 %", func(ctx *pulumi.Context) error {
			g, err := newGroup(ctx, "IyEvYmluL2Jhc2g=", []string{subnetA}, 1, 2, nil)
			if err != nil {
				return err
			}
			_, err = autoscaling.NewPolicy(ctx, "cpu", &autoscaling.PolicyArgs{
				AutoscalingGroupName: g.Name, PolicyType: pulumi.String("TargetTrackingScaling"),
				TargetTrackingConfiguration: &autoscaling.PolicyTargetTrackingConfigurationArgs{TargetValue: pulumi.Float64(150),
					PredefinedMetricSpecification: &autoscaling.PolicyTargetTrackingConfigurationPredefinedMetricSpecificationArgs{
						PredefinedMetricType: pulumi.String("ASGAverageCPUUtilization")}},
			})
			return err
		}, "a CPU utilization target must be above 0 and at most 100, not 150"},
		{"two listener rules at one priority", func(ctx *pulumi.Context) error {
			return rules(ctx, 10, 10)
		}, "PriorityInUse: priority 10 is in use on the listener"},
		{"a listener rule past the last priority", func(ctx *pulumi.Context) error {
			return rules(ctx, 50001)
		}, "priority 50001 is not 1-50000"},
		{"health check from a region without checkers", func(ctx *pulumi.Context) error {
			return checkedFrom(ctx, "us-east-1", "eu-west-1", "eu-north-1")
		}, "eu-north-1 is not a health checker region"},
		{"unsimulated type", func(ctx *pulumi.Context) error {
			_, err := ec2.NewEip(ctx, "eip", &ec2.EipArgs{})
			return err
		}, "no simulation for resource type aws:ec2/eip:Eip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := run(tt.program)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

// checkedFrom creates an HTTPS health check whose checkers are in regions.
func checkedFrom(ctx *pulumi.Context, regions ...string) error {
	_, err := route53.NewHealthCheck(ctx, "hc", &route53.HealthCheckArgs{Type: pulumi.String("HTTPS"),
		Fqdn: pulumi.String("x.example.com"), Port: pulumi.Int(443), RequestInterval: pulumi.Int(30),
		FailureThreshold: pulumi.Int(2), Regions: pulumi.ToStringArray(regions)})
	return err
}

// TestHealthCheckerRegions: a health check may be checked from every region Route 53 has
// checkers in (Route 53 API Reference, HealthCheckConfig, Regions).
func TestHealthCheckerRegions(t *testing.T) {
	regions := []string{"us-east-1", "us-west-1", "us-west-2", "eu-west-1", "ap-southeast-1", "ap-southeast-2",
		"ap-northeast-1", "sa-east-1"}
	if _, err := run(func(ctx *pulumi.Context) error { return checkedFrom(ctx, regions...) }); err != nil {
		t.Fatal(err)
	}
}

// TestLookupsOfWhatIsNotThere: a strict account answers lookups only for what it holds.
func TestLookupsOfWhatIsNotThere(t *testing.T) {
	for name, program := range map[string]func(ctx *pulumi.Context) error{
		"zone": func(ctx *pulumi.Context) error {
			_, err := route53.LookupZone(ctx, &route53.LookupZoneArgs{Name: pulumi.StringRef("example.org")})
			return err
		},
		"subnet": func(ctx *pulumi.Context) error {
			_, err := ec2.LookupSubnet(ctx, &ec2.LookupSubnetArgs{Id: pulumi.StringRef("subnet-0fffffffffffffff0")})
			return err
		},
		"instance type": func(ctx *pulumi.Context) error {
			_, err := ec2.GetInstanceType(ctx, &ec2.GetInstanceTypeArgs{InstanceType: "t9.micro"})
			return err
		},
	} {
		if _, err := run(program); err == nil {
			t.Errorf("%s: a lookup of what the account does not hold succeeded", name)
		}
	}
	p, err := run(func(ctx *pulumi.Context) error {
		z, err := route53.LookupZone(ctx, &route53.LookupZoneArgs{Name: pulumi.StringRef("example.com")})
		if err == nil && z.ZoneId != zone {
			return fmt.Errorf("zone %s", z.ZoneId)
		}
		return err
	})
	if err != nil || len(p.Assumptions) != 0 {
		t.Fatalf("%v, assumptions %v", err, p.Assumptions)
	}
}

func TestLoadBalancerNamesZonesAndVPC(t *testing.T) {
	for region, zone := range map[string]string{"ap-northeast-1": "Z14GRHDCWA56QT", "us-east-1": "Z35SXDOTRQ7X7K", "eu-north-1": "Z23TAZ6LKFMNIO"} {
		zones := map[string][]string{"ap-northeast-1": {"a", "c"}, "us-east-1": {"a", "b"}, "eu-north-1": {"a", "b"}}[region]
		existing := mockcloud.Existing{
			VPCs: []mockcloud.VPC{{ID: vpc, CIDR: "10.1.0.0/16"}},
			Subnets: []mockcloud.Subnet{
				{ID: subnetA, VpcID: vpc, AvailabilityZone: region + zones[0]}, {ID: subnetC, VpcID: vpc, AvailabilityZone: region + zones[1]},
			},
			RouteTables: account.RouteTables,
		}
		p, err := plan.RunInAccount(region, existing, func(ctx *pulumi.Context) error {
			_, err := newALB(ctx, subnetA, subnetC)
			return err
		}, plan.Strict)
		if err != nil {
			t.Fatal(err)
		}
		out := p.OfType(awstype.LoadBalancer)[0].Outputs
		if out["zoneId"] != zone {
			t.Errorf("%s: zoneId %v, want %s", region, out["zoneId"], zone)
		}
		if out["vpcId"] != vpc {
			t.Errorf("%s: vpcId %v, want the subnets' VPC %s", region, out["vpcId"], vpc)
		}
		dns := out["dnsName"].(string)
		if !strings.HasPrefix(dns, out["name"].(string)+"-") || !strings.HasSuffix(dns, "."+region+".elb.amazonaws.com") {
			t.Errorf("%s: dnsName %s", region, dns)
		}
		if name := out["name"].(string); len(name) > 32 {
			t.Errorf("ALB name %s is longer than AWS's 32 characters", name)
		}
	}
}

// TestEveryRegionIsKnown: the account has every region the components accept, each with its
// load balancer zone id.
func TestEveryRegionIsKnown(t *testing.T) {
	for _, r := range mockcloud.Regions() {
		if id, ok := mockcloud.ALBZoneID(r); !ok || !strings.HasPrefix(id, "Z") {
			t.Errorf("%s: ALB zone %q", r, id)
		}
	}
	if n := len(mockcloud.Regions()); n != 32 {
		t.Errorf("%d regions, want the 32 of the aws partition", n)
	}
}
