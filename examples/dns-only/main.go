// Command dns-only is an example stack: FailoverDNS on its own, steering a name between a load
// balancer in front of the stack's existing servers and a CloudFront distribution of a status
// page, both declared by the stack itself (neither MainSite nor ErrorSite is used).
package main

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/seed-2b23e6e5/route53-failover/pkg/failoverdns"
)

func main() {
	pulumi.Run(program)
}

func program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	domain, vpcID := cfg.Require("domain"), cfg.Require("vpcId")
	var subnetIDs, targetIDs []string
	cfg.RequireObject("subnetIds", &subnetIDs)
	cfg.RequireObject("targetInstanceIds", &targetIDs)
	network, err := ec2.LookupVpc(ctx, &ec2.LookupVpcArgs{Id: pulumi.StringRef(vpcID)})
	if err != nil {
		return err
	}

	alb, err := frontEnd(ctx, vpcID, network.CidrBlock, subnetIDs, targetIDs, cfg.Require("albCertificateArn"))
	if err != nil {
		return err
	}
	status, err := statusPage(ctx, domain, cfg.Require("statusPageOrigin"), cfg.Require("cloudFrontCertificateArn"))
	if err != nil {
		return err
	}

	zone := route53.LookupZoneOutput(ctx, route53.LookupZoneOutputArgs{Name: pulumi.String(domain)})
	dns, err := failoverdns.New(ctx, "api", &failoverdns.Args{
		ZoneID:                      zone.ZoneId(),
		Names:                       []string{domain},
		Primary:                     failoverdns.Target{DNSName: alb.DnsName, ZoneID: alb.ZoneId},
		Secondary:                   failoverdns.Target{DNSName: status.DomainName, ZoneID: status.HostedZoneId, IPv6: true},
		HealthCheckPath:             "/health",
		HealthCheckInterval:         pulumi.IntRef(30),
		HealthCheckFailureThreshold: pulumi.IntRef(3),
		HealthCheckRegions:          []string{"eu-west-1", "us-east-1", "ap-northeast-1"},
	})
	if err != nil {
		return err
	}
	ctx.Export("healthCheckId", dns.HealthCheckID)
	ctx.Export("loadBalancer", alb.DnsName)
	return nil
}

// frontEnd is an internet-facing load balancer over the existing servers: HTTPS on 443 forwards
// to them (HTTP on their port 80, health-checked on /health), HTTP on 80 redirects to HTTPS. Its
// security group admits 80 and 443 from anywhere and reaches only the VPC on port 80; the
// servers' own security group must admit 80 from the VPC (or from this group).
func frontEnd(ctx *pulumi.Context, vpcID, vpcCIDR string, subnetIDs, targetIDs []string, certificateARN string) (*lb.LoadBalancer, error) {
	sg, err := ec2.NewSecurityGroup(ctx, "api", &ec2.SecurityGroupArgs{
		VpcId:       pulumi.String(vpcID),
		Description: pulumi.String("api load balancer: HTTP and HTTPS from anywhere, HTTP to the servers"),
	})
	if err != nil {
		return nil, err
	}
	anywhere := []struct {
		family   string
		ipv4, v6 pulumi.StringPtrInput
	}{{"ipv4", pulumi.String("0.0.0.0/0"), nil}, {"ipv6", nil, pulumi.String("::/0")}}
	for _, port := range []int{80, 443} {
		for _, from := range anywhere {
			if _, err := vpc.NewSecurityGroupIngressRule(ctx, fmt.Sprintf("api-%d-%s", port, from.family), &vpc.SecurityGroupIngressRuleArgs{
				SecurityGroupId: sg.ID(), IpProtocol: pulumi.String("tcp"), FromPort: pulumi.Int(port), ToPort: pulumi.Int(port),
				CidrIpv4: from.ipv4, CidrIpv6: from.v6,
			}); err != nil {
				return nil, err
			}
		}
	}
	if _, err := vpc.NewSecurityGroupEgressRule(ctx, "api-to-servers", &vpc.SecurityGroupEgressRuleArgs{
		SecurityGroupId: sg.ID(), IpProtocol: pulumi.String("tcp"), FromPort: pulumi.Int(80), ToPort: pulumi.Int(80),
		CidrIpv4: pulumi.String(vpcCIDR),
	}); err != nil {
		return nil, err
	}

	servers, err := lb.NewTargetGroup(ctx, "api", &lb.TargetGroupArgs{
		VpcId: pulumi.String(vpcID), Port: pulumi.Int(80), Protocol: pulumi.String("HTTP"), TargetType: pulumi.String("instance"),
		DeregistrationDelay: pulumi.Int(30),
		HealthCheck: &lb.TargetGroupHealthCheckArgs{
			Path: pulumi.String("/health"), Matcher: pulumi.String("200"), Interval: pulumi.Int(10), Timeout: pulumi.Int(5),
			HealthyThreshold: pulumi.Int(2), UnhealthyThreshold: pulumi.Int(2),
		},
	})
	if err != nil {
		return nil, err
	}
	for _, id := range targetIDs {
		if _, err := lb.NewTargetGroupAttachment(ctx, "api-"+id, &lb.TargetGroupAttachmentArgs{
			TargetGroupArn: servers.Arn, TargetId: pulumi.String(id), Port: pulumi.Int(80),
		}); err != nil {
			return nil, err
		}
	}

	alb, err := lb.NewLoadBalancer(ctx, "api", &lb.LoadBalancerArgs{
		LoadBalancerType:        pulumi.String("application"),
		SecurityGroups:          pulumi.StringArray{sg.ID()},
		Subnets:                 pulumi.ToStringArray(subnetIDs),
		DropInvalidHeaderFields: pulumi.Bool(true),
	})
	if err != nil {
		return nil, err
	}
	if _, err := lb.NewListener(ctx, "api-https", &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn,
		Port:            pulumi.Int(443),
		Protocol:        pulumi.String("HTTPS"),
		SslPolicy:       pulumi.String("ELBSecurityPolicy-TLS13-1-2-2021-06"),
		CertificateArn:  pulumi.String(certificateARN),
		DefaultActions: lb.ListenerDefaultActionArray{lb.ListenerDefaultActionArgs{
			Type: pulumi.String("forward"), TargetGroupArn: servers.Arn,
		}},
	}); err != nil {
		return nil, err
	}
	if _, err := lb.NewListener(ctx, "api-http", &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn,
		Port:            pulumi.Int(80),
		Protocol:        pulumi.String("HTTP"),
		DefaultActions: lb.ListenerDefaultActionArray{lb.ListenerDefaultActionArgs{
			Type: pulumi.String("redirect"),
			Redirect: lb.ListenerDefaultActionRedirectArgs{
				Protocol: pulumi.String("HTTPS"), Port: pulumi.String("443"), StatusCode: pulumi.String("HTTP_301"),
			},
		}},
	}); err != nil {
		return nil, err
	}
	return alb, nil
}

// statusPage is a CloudFront distribution that serves the status page from its own host.
func statusPage(ctx *pulumi.Context, domain, origin, certificateARN string) (*cloudfront.Distribution, error) {
	return cloudfront.NewDistribution(ctx, "status", &cloudfront.DistributionArgs{
		Enabled:       pulumi.Bool(true),
		Aliases:       pulumi.StringArray{pulumi.String(domain)},
		IsIpv6Enabled: pulumi.Bool(true),
		Origins: cloudfront.DistributionOriginArray{cloudfront.DistributionOriginArgs{
			OriginId:   pulumi.String("status"),
			DomainName: pulumi.String(origin),
			CustomOriginConfig: cloudfront.DistributionOriginCustomOriginConfigArgs{
				HttpPort: pulumi.Int(80), HttpsPort: pulumi.Int(443),
				OriginProtocolPolicy: pulumi.String("https-only"),
				OriginSslProtocols:   pulumi.StringArray{pulumi.String("TLSv1.2")},
			},
		}},
		DefaultCacheBehavior: cloudfront.DistributionDefaultCacheBehaviorArgs{
			TargetOriginId:       pulumi.String("status"),
			ViewerProtocolPolicy: pulumi.String("redirect-to-https"),
			AllowedMethods:       pulumi.ToStringArray([]string{"GET", "HEAD"}),
			CachedMethods:        pulumi.ToStringArray([]string{"GET", "HEAD"}),
			CachePolicyId:        pulumi.String("658327ea-f89d-4fab-a63d-7e88639e58f6"), // CachingOptimized
		},
		Restrictions: cloudfront.DistributionRestrictionsArgs{
			GeoRestriction: cloudfront.DistributionRestrictionsGeoRestrictionArgs{RestrictionType: pulumi.String("none")},
		},
		ViewerCertificate: cloudfront.DistributionViewerCertificateArgs{
			AcmCertificateArn:      pulumi.String(certificateARN),
			SslSupportMethod:       pulumi.String("sni-only"),
			MinimumProtocolVersion: pulumi.String("TLSv1.2_2021"),
		},
	})
}
