// Package errorsite owns the error site of the topology: a static error page in a private S3
// bucket, served through CloudFront over HTTPS with a certificate issued in us-east-1, so that
// every path answers with the page while the main site is down.
package errorsite

import (
	"encoding/json"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/pkg/certificate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/internal/naming"
	"github.com/seed-2b23e6e5/route53-failover/pkg/useast1"
)

// Type is the component's type token; changing it would replace every child.
const Type = "route53-failover:index:ErrorSite"

// Fixed CloudFront values.
const (
	// CloudFrontZoneID is the hosted zone of every CloudFront distribution, for alias records.
	CloudFrontZoneID = "Z2FDTNDATAQYW2"
	// CachingOptimized is the id of CloudFront's managed cache policy of that name.
	CachingOptimized = "658327ea-f89d-4fab-a63d-7e88639e58f6"
	// MinimumTLS is the oldest TLS the distribution accepts from viewers.
	MinimumTLS = "TLSv1.2_2021"
	// PageKey is the page's object key. It is not the root object (index.html, which does not
	// exist), so that "/" too answers through the custom error responses, with ErrorResponseCode.
	PageKey = "error.html"
	// PageCacheControl keeps an updated page from lingering in CloudFront and browsers.
	PageCacheControl = "max-age=60"
)

// ErrorSite is the site people reach while the main site is down. It exposes the resources it
// creates, so that a stack can build on them (a WAF web ACL or a response headers policy on the
// distribution, another object in the bucket).
type ErrorSite struct {
	pulumi.ResourceState

	// Bucket is the private bucket that holds the page.
	Bucket *s3.BucketV2
	// Distribution is the CloudFront distribution that serves the page.
	Distribution *cloudfront.Distribution
	// OriginAccessControl signs the distribution's reads of the bucket.
	OriginAccessControl *cloudfront.OriginAccessControl

	// DomainName is the distribution's *.cloudfront.net name.
	DomainName pulumi.StringOutput
	// ZoneID is CloudFront's hosted zone id, Z2FDTNDATAQYW2, for alias records.
	ZoneID pulumi.StringOutput
	// DistributionID and DistributionARN identify the distribution.
	DistributionID  pulumi.StringOutput
	DistributionARN pulumi.StringOutput
	// BucketName is the private bucket that holds the page.
	BucketName pulumi.StringOutput
	// URL is https:// and the distribution's own name (its certificate is for Domain, so a
	// browser warns on it; it is for diagnosis).
	URL pulumi.StringOutput
	// CertificateARN is the distribution's certificate, resolved once it is issued.
	CertificateARN pulumi.StringOutput
	// ResponseCode is the HTTP status the site answers every path with (Args.ErrorResponseCode).
	ResponseCode int
	// Certificate is the us-east-1 certificate ErrorSite requested (nil when
	// Args.CertificateARN was given).
	Certificate *certificate.Certificate
	// IPv6 is true: the distribution serves IPv6, so an AAAA alias to it answers.
	IPv6 bool
}

// New builds the error site.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*ErrorSite, error) {
	if args == nil {
		args = &Args{}
	}
	if err := args.Validate(); err != nil {
		return nil, err
	}
	if err := certificate.CheckSource(args.CertificateARN, args.ZoneID); err != nil {
		return nil, err
	}
	if args.CertificateProvider != nil && args.CertificateARN == nil {
		if err := useast1.Check(ctx, "CertificateProvider", "CloudFront only accepts certificates issued there", args.CertificateProvider); err != nil {
			return nil, err
		}
	}
	a := args.WithDefaults()

	site := &ErrorSite{IPv6: true, ResponseCode: *a.ErrorResponseCode}
	inputs := pulumi.Map{
		"domain":            pulumi.String(a.Domain),
		"errorResponseCode": pulumi.Int(*a.ErrorResponseCode),
		"priceClass":        pulumi.String(a.PriceClass),
	}
	if err := ctx.RegisterComponentResourceV2(Type, name, inputs, site, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(site)
	tags := func(child string) pulumi.StringMap { return naming.Tags(name, child, a.Tags) }

	certificateARN := a.CertificateARN
	if certificateARN == nil {
		provider, err := useast1.Provider(ctx, name, a.CertificateProvider, parent)
		if err != nil {
			return nil, err
		}
		site.Certificate, err = certificate.New(ctx, naming.Child(name, "cert"), &certificate.Args{
			Domain: a.Domain, AlternateNames: a.AlternateNames, ZoneID: a.ZoneID, Tags: a.Tags,
			ValidationRecordsOf: a.ValidationRecordsOf,
		}, parent, pulumi.Provider(provider))
		if err != nil {
			return nil, err
		}
		certificateARN = site.Certificate.CertificateARN
	}

	bucket, settings, err := newPrivateBucket(ctx, name, tags, parent)
	if err != nil {
		return nil, err
	}
	page, err := s3.NewBucketObjectv2(ctx, naming.Child(name, "page"), &s3.BucketObjectv2Args{
		Bucket:       bucket.ID(),
		Key:          pulumi.String(PageKey),
		Content:      pulumi.String(a.ErrorPage),
		ContentType:  pulumi.String("text/html; charset=utf-8"),
		CacheControl: pulumi.String(PageCacheControl),
		Tags:         tags(naming.Child(name, "page")),
	}, parent)
	if err != nil {
		return nil, err
	}

	oac, err := cloudfront.NewOriginAccessControl(ctx, naming.Child(name, "oac"), &cloudfront.OriginAccessControlArgs{
		Description:                   pulumi.String("Signed reads of " + name + "'s error page bucket"),
		OriginAccessControlOriginType: pulumi.String("s3"),
		SigningBehavior:               pulumi.String("always"),
		SigningProtocol:               pulumi.String("sigv4"),
	}, parent)
	if err != nil {
		return nil, err
	}

	const originID = "error-page-bucket"
	var aliases pulumi.StringArray
	for _, n := range certificate.Names(a.Domain, a.AlternateNames) {
		aliases = append(aliases, pulumi.String(n))
	}
	var errorResponses cloudfront.DistributionCustomErrorResponseArray
	for _, code := range []int{403, 404} { // S3 answers 403 for a missing key when the reader may not list
		errorResponses = append(errorResponses, cloudfront.DistributionCustomErrorResponseArgs{
			ErrorCode:          pulumi.Int(code),
			ResponseCode:       pulumi.Int(*a.ErrorResponseCode),
			ResponsePagePath:   pulumi.String("/" + PageKey),
			ErrorCachingMinTtl: pulumi.Int(*a.ErrorCachingMinTTL),
		})
	}
	distName := naming.Child(name, "cdn")
	dist, err := cloudfront.NewDistribution(ctx, distName, &cloudfront.DistributionArgs{
		Enabled:           pulumi.Bool(true),
		Comment:           pulumi.String("Error page of " + a.Domain),
		Aliases:           aliases,
		DefaultRootObject: pulumi.String("index.html"),
		IsIpv6Enabled:     pulumi.Bool(true),
		HttpVersion:       pulumi.String("http2and3"),
		PriceClass:        pulumi.String(a.PriceClass),
		Origins: cloudfront.DistributionOriginArray{cloudfront.DistributionOriginArgs{
			OriginId:              pulumi.String(originID),
			DomainName:            bucket.BucketRegionalDomainName,
			OriginAccessControlId: oac.ID(),
		}},
		DefaultCacheBehavior: cloudfront.DistributionDefaultCacheBehaviorArgs{
			TargetOriginId:       pulumi.String(originID),
			ViewerProtocolPolicy: pulumi.String("redirect-to-https"),
			AllowedMethods:       pulumi.ToStringArray([]string{"GET", "HEAD"}),
			CachedMethods:        pulumi.ToStringArray([]string{"GET", "HEAD"}),
			CachePolicyId:        pulumi.String(CachingOptimized),
			Compress:             pulumi.Bool(true),
		},
		CustomErrorResponses: errorResponses,
		Restrictions: cloudfront.DistributionRestrictionsArgs{
			GeoRestriction: cloudfront.DistributionRestrictionsGeoRestrictionArgs{RestrictionType: pulumi.String("none")},
		},
		ViewerCertificate: cloudfront.DistributionViewerCertificateArgs{
			AcmCertificateArn:      certificateARN,
			SslSupportMethod:       pulumi.String("sni-only"),
			MinimumProtocolVersion: pulumi.String(MinimumTLS),
		},
		Tags: tags(distName),
	}, parent, pulumi.DependsOn([]pulumi.Resource{page}))
	if err != nil {
		return nil, err
	}

	policy := pulumi.All(bucket.Arn, dist.Arn).ApplyT(func(v []any) (string, error) {
		return BucketPolicy(v[0].(string), v[1].(string))
	}).(pulumi.StringOutput)
	if _, err := s3.NewBucketPolicy(ctx, naming.Child(name, "bucket"), &s3.BucketPolicyArgs{
		Bucket: bucket.ID(),
		Policy: policy,
	}, parent, pulumi.DependsOn([]pulumi.Resource{settings})); err != nil {
		return nil, err
	}

	site.Bucket, site.Distribution, site.OriginAccessControl = bucket, dist, oac
	site.CertificateARN = certificateARN.ToStringOutput()
	site.DomainName = dist.DomainName
	site.ZoneID = dist.HostedZoneId
	site.DistributionID = dist.ID().ToStringOutput()
	site.DistributionARN = dist.Arn
	site.BucketName = bucket.Bucket
	site.URL = pulumi.Sprintf("https://%s", dist.DomainName)
	return site, ctx.RegisterResourceOutputs(site, pulumi.Map{
		"domainName":      site.DomainName,
		"zoneId":          site.ZoneID,
		"distributionId":  site.DistributionID,
		"distributionArn": site.DistributionARN,
		"bucketName":      site.BucketName,
		"url":             site.URL,
	})
}

// BucketPolicy lets CloudFront read objects only on behalf of the one distribution, and refuses
// every request made without TLS.
func BucketPolicy(bucketARN, distributionARN string) (string, error) {
	doc := map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{
			map[string]any{
				"Sid":       "AllowCloudFrontReadForThisDistribution",
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": "cloudfront.amazonaws.com"},
				"Action":    "s3:GetObject",
				"Resource":  bucketARN + "/*",
				"Condition": map[string]any{"StringEquals": map[string]any{"AWS:SourceArn": distributionARN}},
			},
			map[string]any{
				"Sid":       "DenyInsecureTransport",
				"Effect":    "Deny",
				"Principal": "*",
				"Action":    "s3:*",
				"Resource":  []any{bucketARN, bucketARN + "/*"},
				"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
			},
		},
	}
	b, err := json.Marshal(doc)
	return string(b), err
}

// newPrivateBucket makes the bucket with every public-access block on, ownership enforced (no
// ACLs) and default encryption, one setting after another: S3 refuses a write to a bucket's
// settings while another is under way (OperationAborted). It returns the last setting, which
// the bucket policy must wait for too.
func newPrivateBucket(ctx *pulumi.Context, name string, tags func(string) pulumi.StringMap, parent pulumi.ResourceOption) (*s3.BucketV2, pulumi.Resource, error) {
	bucketName := naming.Child(name, "bucket")
	bucket, err := s3.NewBucketV2(ctx, bucketName, &s3.BucketV2Args{Tags: tags(bucketName)}, parent)
	if err != nil {
		return nil, nil, err
	}
	access, err := s3.NewBucketPublicAccessBlock(ctx, bucketName, &s3.BucketPublicAccessBlockArgs{
		Bucket:                bucket.ID(),
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}, parent)
	if err != nil {
		return nil, nil, err
	}
	ownership, err := s3.NewBucketOwnershipControls(ctx, bucketName, &s3.BucketOwnershipControlsArgs{
		Bucket: bucket.ID(),
		Rule:   s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")},
	}, parent, pulumi.DependsOn([]pulumi.Resource{access}))
	if err != nil {
		return nil, nil, err
	}
	encryption, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, bucketName, &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm: pulumi.String("AES256"),
			},
		}},
	}, parent, pulumi.DependsOn([]pulumi.Resource{ownership}))
	if err != nil {
		return nil, nil, err
	}
	return bucket, encryption, nil
}
