// Package cdn owns what the two CloudFront distributions share: ErrorSite's, which serves the
// error page, and EdgeFailover's, which serves the whole site and falls back to the page. Both
// read the same private bucket, present the same kind of certificate and keep the same settings
// that are not a mode's business (CloudFront Developer Guide, "Distribution settings reference",
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/distribution-web-values-specify.html).
package cdn

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/pkg/accesslogs"
)

// CloudFront's managed policies ("Use managed cache policies", "Use managed origin request
// policies", CloudFront Developer Guide) and its TLS policy for viewers.
const (
	// CachingOptimized is the id of CloudFront's managed cache policy of that name.
	CachingOptimized = "658327ea-f89d-4fab-a63d-7e88639e58f6"
	// CachingDisabled is the id of CloudFront's managed cache policy of that name.
	CachingDisabled = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
	// AllViewerExceptHostHeader is the id of CloudFront's managed origin request policy of that
	// name: cookies, query strings and headers reach the origin; the Host is the origin's name.
	AllViewerExceptHostHeader = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
	// MinimumTLS is the oldest TLS the distributions accept from viewers.
	MinimumTLS = "TLSv1.2_2021"
	// BucketOriginID is the error bucket's origin id inside a distribution.
	BucketOriginID = "error-page-bucket"
)

// Bucket is the error bucket as a distribution reads it: through an origin access control.
type Bucket struct {
	// DomainName is the bucket's regional domain name.
	DomainName pulumi.StringInput
	// OriginAccessControlID signs the distribution's reads.
	OriginAccessControlID pulumi.StringInput
}

// Origin is the bucket as a distribution's origin.
func (b Bucket) Origin() cloudfront.DistributionOriginArgs {
	return cloudfront.DistributionOriginArgs{
		OriginId:              pulumi.String(BucketOriginID),
		DomainName:            b.DomainName,
		OriginAccessControlId: b.OriginAccessControlID,
	}
}

// PageBehavior serves the bucket with the managed CachingOptimized policy.
func PageBehavior() cloudfront.DistributionDefaultCacheBehaviorArgs {
	return cloudfront.DistributionDefaultCacheBehaviorArgs{
		TargetOriginId:       pulumi.String(BucketOriginID),
		ViewerProtocolPolicy: pulumi.String("redirect-to-https"),
		AllowedMethods:       pulumi.ToStringArray([]string{"GET", "HEAD"}),
		CachedMethods:        pulumi.ToStringArray([]string{"GET", "HEAD"}),
		CachePolicyId:        pulumi.String(CachingOptimized),
		Compress:             pulumi.Bool(true),
	}
}

// Common are the settings of a distribution that do not depend on what it serves.
type Common struct {
	// Comment describes the distribution in the CloudFront console.
	Comment string
	// Aliases are the served names.
	Aliases []string
	// CertificateARN is the us-east-1 certificate for the aliases.
	CertificateARN pulumi.StringInput
	// PriceClass is the distribution's price class.
	PriceClass string
	// IPv6 lets viewers reach it over IPv6.
	IPv6 bool
	// AccessLogs, when set, is where it writes its standard logs, cookies left out.
	AccessLogs *accesslogs.Destination
	// Tags are its tags.
	Tags pulumi.StringMap
}

// Args returns the distribution's args: the common settings over what the caller set (origins,
// behaviours, error responses); and the resources it must wait for beyond its inputs (the log
// bucket's settings).
func (c Common) Args(serving cloudfront.DistributionArgs) (*cloudfront.DistributionArgs, []pulumi.Resource) {
	args := serving
	args.Enabled = pulumi.Bool(true)
	args.Comment = pulumi.String(c.Comment)
	args.Aliases = pulumi.ToStringArray(c.Aliases)
	args.IsIpv6Enabled = pulumi.Bool(c.IPv6)
	args.HttpVersion = pulumi.String("http2and3")
	args.PriceClass = pulumi.String(c.PriceClass)
	args.Restrictions = cloudfront.DistributionRestrictionsArgs{
		GeoRestriction: cloudfront.DistributionRestrictionsGeoRestrictionArgs{RestrictionType: pulumi.String("none")},
	}
	args.ViewerCertificate = cloudfront.DistributionViewerCertificateArgs{
		AcmCertificateArn:      c.CertificateARN,
		SslSupportMethod:       pulumi.String("sni-only"),
		MinimumProtocolVersion: pulumi.String(MinimumTLS),
	}
	args.Tags = c.Tags
	var wait []pulumi.Resource
	if d := c.AccessLogs; d != nil {
		args.LoggingConfig = &cloudfront.DistributionLoggingConfigArgs{Bucket: d.Bucket, Prefix: pulumi.String(d.Prefix), IncludeCookies: pulumi.Bool(false)}
		wait = d.Ready
	}
	return &args, wait
}
