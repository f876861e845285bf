package mockcloud_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

func subnet(ctx *pulumi.Context, name, az string) (*ec2.Subnet, error) {
	return ec2.NewSubnet(ctx, name, &ec2.SubnetArgs{
		VpcId: pulumi.String("vpc-12345678"), CidrBlock: pulumi.String("10.0.0.0/24"), AvailabilityZone: pulumi.String(az),
	})
}

func alb(ctx *pulumi.Context, zones ...string) (*lb.LoadBalancer, error) {
	var ids pulumi.StringArray
	for i, az := range zones {
		s, err := subnet(ctx, "s"+string(rune('0'+i)), az)
		if err != nil {
			return nil, err
		}
		ids = append(ids, s.ID())
	}
	return lb.NewLoadBalancer(ctx, "alb", &lb.LoadBalancerArgs{Subnets: ids})
}

func distribution(ctx *pulumi.Context, name, cert string) (*cloudfront.Distribution, error) {
	return cloudfront.NewDistribution(ctx, name, &cloudfront.DistributionArgs{
		Enabled:           pulumi.Bool(true),
		Aliases:           pulumi.StringArray{pulumi.String("example.com")},
		ViewerCertificate: cloudfront.DistributionViewerCertificateArgs{AcmCertificateArn: pulumi.String(cert)},
		DefaultCacheBehavior: cloudfront.DistributionDefaultCacheBehaviorArgs{TargetOriginId: pulumi.String("o"),
			ViewerProtocolPolicy: pulumi.String("redirect-to-https"), AllowedMethods: pulumi.StringArray{}, CachedMethods: pulumi.StringArray{}},
		Origins:      cloudfront.DistributionOriginArray{cloudfront.DistributionOriginArgs{OriginId: pulumi.String("o"), DomainName: pulumi.String("b.s3.us-east-1.amazonaws.com")}},
		Restrictions: cloudfront.DistributionRestrictionsArgs{GeoRestriction: cloudfront.DistributionRestrictionsGeoRestrictionArgs{RestrictionType: pulumi.String("none")}},
	})
}

// TestRefusesWhatAWSRefuses: the simulated account must not accept what AWS would reject, or
// the tests would pass on code that fails on the first pulumi up.
func TestRefusesWhatAWSRefuses(t *testing.T) {
	tests := []struct {
		name    string
		program func(ctx *pulumi.Context) error
		want    string
	}{
		{"ALB in one zone", func(ctx *pulumi.Context) error {
			_, err := alb(ctx, "ap-northeast-1a", "ap-northeast-1a")
			return err
		}, "at least two subnets in two different Availability Zones"},
		{"subnet in another region", func(ctx *pulumi.Context) error {
			_, err := subnet(ctx, "s", "us-east-1a")
			return err
		}, `availability zone "us-east-1a" is not in ap-northeast-1`},
		{"HTTPS listener with a certificate from another region", func(ctx *pulumi.Context) error {
			a, err := alb(ctx, "ap-northeast-1a", "ap-northeast-1c")
			if err != nil {
				return err
			}
			_, err = lb.NewListener(ctx, "https", &lb.ListenerArgs{
				LoadBalancerArn: a.Arn, Port: pulumi.Int(443), Protocol: pulumi.String("HTTPS"),
				CertificateArn: pulumi.String("arn:aws:acm:us-east-1:123456789012:certificate/x"),
				DefaultActions: lb.ListenerDefaultActionArray{lb.ListenerDefaultActionArgs{Type: pulumi.String("fixed-response")}},
			})
			return err
		}, "is in us-east-1; the load balancer is in ap-northeast-1"},
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
		}, "missing example.com DNS validation record"},
		{"timeout not below interval", func(ctx *pulumi.Context) error {
			_, err := lb.NewTargetGroup(ctx, "tg", &lb.TargetGroupArgs{HealthCheck: &lb.TargetGroupHealthCheckArgs{
				Interval: pulumi.Int(5), Timeout: pulumi.Int(5)}})
			return err
		}, "must be smaller than the interval"},
		{"alias on two distributions", func(ctx *pulumi.Context) error {
			for _, name := range []string{"a", "b"} {
				if _, err := distribution(ctx, name, "arn:aws:acm:us-east-1:123456789012:certificate/x"); err != nil {
					return err
				}
			}
			return nil
		}, "CNAMEAlreadyExists: example.com is an alias of another distribution"},
		{"CloudFront certificate outside us-east-1", func(ctx *pulumi.Context) error {
			_, err := distribution(ctx, "a", "arn:aws:acm:eu-west-1:123456789012:certificate/x")
			return err
		}, "is not in us-east-1"},
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
		{"dualstack ALB in IPv4-only subnets", func(ctx *pulumi.Context) error {
			a, err := subnet(ctx, "a", "ap-northeast-1a")
			if err != nil {
				return err
			}
			c, err := subnet(ctx, "c", "ap-northeast-1c")
			if err != nil {
				return err
			}
			_, err = lb.NewLoadBalancer(ctx, "alb", &lb.LoadBalancerArgs{Subnets: pulumi.StringArray{a.ID(), c.ID()}, IpAddressType: pulumi.String("dualstack")})
			return err
		}, "has no IPv6 CIDR block"},
		{"CloudFront alias evaluating target health", func(ctx *pulumi.Context) error {
			_, err := route53.NewRecord(ctx, "r", &route53.RecordArgs{ZoneId: pulumi.String("Z1"), Name: pulumi.String("example.com"), Type: pulumi.String("A"),
				Aliases: route53.RecordAliasArray{route53.RecordAliasArgs{Name: pulumi.String("d1.cloudfront.net"), ZoneId: pulumi.String("Z2FDTNDATAQYW2"), EvaluateTargetHealth: pulumi.Bool(true)}}})
			return err
		}, "evaluate target health is not supported for CloudFront aliases"},
		{"simple record beside a failover record", func(ctx *pulumi.Context) error {
			first, err := route53.NewRecord(ctx, "simple", &route53.RecordArgs{ZoneId: pulumi.String("Z1"), Name: pulumi.String("example.com"), Type: pulumi.String("A"),
				Records: pulumi.StringArray{pulumi.String("192.0.2.1")}, Ttl: pulumi.Int(60)})
			if err != nil {
				return err
			}
			_, err = route53.NewRecord(ctx, "failover", &route53.RecordArgs{ZoneId: pulumi.String("Z1"), Name: pulumi.String("example.com"), Type: pulumi.String("A"),
				SetIdentifier: pulumi.String("primary"), Records: pulumi.StringArray{pulumi.String("192.0.2.2")}, Ttl: pulumi.Int(60),
				FailoverRoutingPolicies: route53.RecordFailoverRoutingPolicyArray{route53.RecordFailoverRoutingPolicyArgs{Type: pulumi.String("PRIMARY")}}},
				pulumi.DependsOn([]pulumi.Resource{first}))
			return err
		}, "cannot coexist with a simple record"},
		{"health check interval 20", func(ctx *pulumi.Context) error {
			_, err := route53.NewHealthCheck(ctx, "hc", &route53.HealthCheckArgs{Type: pulumi.String("HTTPS"), Fqdn: pulumi.String("x.example.com"),
				RequestInterval: pulumi.Int(20), FailureThreshold: pulumi.Int(2)})
			return err
		}, "request interval 20 is not 10 or 30"},
		{"unsimulated type", func(ctx *pulumi.Context) error {
			_, err := ec2.NewEip(ctx, "eip", &ec2.EipArgs{})
			return err
		}, "no simulation for resource type aws:ec2/eip:Eip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := plan.RunInRegion("ap-northeast-1", tt.program)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestLoadBalancerNamesAndZones(t *testing.T) {
	for region, zone := range map[string]string{"ap-northeast-1": "Z14GRHDCWA56QT", "us-east-1": "Z35SXDOTRQ7X7K", "eu-west-1": "Z32O12XQLNTSW2"} {
		p, err := plan.RunInRegion(region, func(ctx *pulumi.Context) error {
			_, err := alb(ctx, region+"a", region+"c")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		out := p.OfType("aws:lb/loadBalancer:LoadBalancer")[0].Outputs
		if out["zoneId"] != zone {
			t.Errorf("%s: zoneId %v, want %s", region, out["zoneId"], zone)
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

func TestAvailabilityZones(t *testing.T) {
	p, err := plan.RunInRegion("ap-northeast-1", func(ctx *pulumi.Context) error {
		_, err := subnet(ctx, "s", "ap-northeast-1d")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.OfType("aws:ec2/subnet:Subnet")[0].Outputs["availabilityZoneId"]; got != "apne1-az4" {
		t.Errorf("availabilityZoneId = %v, want apne1-az4", got)
	}
}
