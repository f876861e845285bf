// Command dns-only is an example stack: FailoverDNS on its own, steering a name between a load
// balancer and a CloudFront distribution that the stack declares itself (neither MainSite nor
// ErrorSite is used).
package main

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/seed-2b23e6e5/route53-failover/pkg/failoverdns"
)

func main() {
	pulumi.Run(program)
}

func program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	domain := cfg.Require("domain")
	var subnetIDs []string
	cfg.RequireObject("subnetIds", &subnetIDs)

	alb, err := lb.NewLoadBalancer(ctx, "api", &lb.LoadBalancerArgs{
		LoadBalancerType:        pulumi.String("application"),
		Subnets:                 pulumi.ToStringArray(subnetIDs),
		DropInvalidHeaderFields: pulumi.Bool(true),
	})
	if err != nil {
		return err
	}
	if _, err := lb.NewListener(ctx, "api-https", &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn,
		Port:            pulumi.Int(443),
		Protocol:        pulumi.String("HTTPS"),
		SslPolicy:       pulumi.String("ELBSecurityPolicy-TLS13-1-2-2021-06"),
		CertificateArn:  pulumi.String(cfg.Require("albCertificateArn")),
		DefaultActions: lb.ListenerDefaultActionArray{lb.ListenerDefaultActionArgs{
			Type: pulumi.String("fixed-response"),
			FixedResponse: lb.ListenerDefaultActionFixedResponseArgs{
				ContentType: pulumi.String("text/plain"), MessageBody: pulumi.String("ok"), StatusCode: pulumi.String("200"),
			},
		}},
	}); err != nil {
		return err
	}

	status, err := cloudfront.NewDistribution(ctx, "status", &cloudfront.DistributionArgs{
		Enabled:       pulumi.Bool(true),
		Aliases:       pulumi.StringArray{pulumi.String(domain)},
		IsIpv6Enabled: pulumi.Bool(true),
		Origins: cloudfront.DistributionOriginArray{cloudfront.DistributionOriginArgs{
			OriginId:   pulumi.String("status"),
			DomainName: pulumi.String(cfg.Require("statusPageOrigin")),
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
			AcmCertificateArn:      pulumi.String(cfg.Require("cloudFrontCertificateArn")),
			SslSupportMethod:       pulumi.String("sni-only"),
			MinimumProtocolVersion: pulumi.String("TLSv1.2_2021"),
		},
	})
	if err != nil {
		return err
	}

	zone := route53.LookupZoneOutput(ctx, route53.LookupZoneOutputArgs{Name: pulumi.String(domain)})
	dns, err := failoverdns.New(ctx, "api", &failoverdns.Args{
		ZoneID:    zone.ZoneId(),
		Names:     []string{domain},
		Primary:   failoverdns.Target{DNSName: alb.DnsName, ZoneID: alb.ZoneId},
		Secondary: failoverdns.Target{DNSName: status.DomainName, ZoneID: status.HostedZoneId, IPv6: true},
		HealthCheck: failoverdns.HealthCheck{
			Interval:         30,
			FailureThreshold: 3,
			Regions:          []string{"eu-west-1", "us-east-1", "ap-northeast-1"},
		},
	})
	if err != nil {
		return err
	}
	ctx.Export("healthCheckId", dns.HealthCheckID)
	return nil
}
