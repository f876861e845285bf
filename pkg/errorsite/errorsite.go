// Package errorsite owns the error site of the topology: a static error page in a private S3
// bucket, served through CloudFront over HTTPS with a certificate issued in us-east-1, so that
// every path answers with the page while the main site is down. In edge mode (Args.Edge) the
// same distribution serves the whole site through an origin group, main site first, and a
// Lambda@Edge function answers each request the main site fails with the page.
package errorsite

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/naming"
	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/certificate"
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
	// IPv6 says the distribution serves IPv6, so that an AAAA alias to it answers: always in
	// the default mode, Edge.IPv6 in edge mode.
	IPv6 bool
	// Edge is true in edge mode (Args.Edge): the distribution serves the whole site.
	Edge bool
	// EdgeFunction is the Lambda@Edge function of edge mode (nil otherwise).
	EdgeFunction *EdgeFunction
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
	if args.Edge != nil {
		if err := args.Edge.Origin.CheckSecretOutput(ctx.Context()); err != nil {
			return nil, validate.Within("Edge.Origin", err)
		}
	}
	a := args.WithDefaults()

	site := &ErrorSite{ResponseCode: *a.ErrorResponseCode, Edge: a.Edge != nil}
	inputs := pulumi.Map{
		"domain":            pulumi.String(a.Domain),
		"errorResponseCode": pulumi.Int(*a.ErrorResponseCode),
		"priceClass":        pulumi.String(a.PriceClass),
		"edge":              pulumi.Bool(a.Edge != nil),
	}
	if err := ctx.RegisterComponentResourceV2(Type, name, inputs, site, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(site)
	tags := func(child string) pulumi.StringMap { return naming.Tags(name, child, a.Tags) }

	var provider *aws.Provider
	if a.CertificateARN == nil || a.Edge != nil {
		var err error
		if provider, err = useast1.Provider(ctx, name, a.CertificateProvider, parent); err != nil {
			return nil, err
		}
	}
	certificateARN := a.CertificateARN
	if certificateARN == nil {
		var err error
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
	pageKey := PageKey
	if a.Edge != nil {
		pageKey = EdgePageKey
	}
	page, err := s3.NewBucketObjectv2(ctx, naming.Child(name, "page"), &s3.BucketObjectv2Args{
		Bucket:       bucket.ID(),
		Key:          pulumi.String(pageKey),
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

	shape := pageShape(a, bucket.BucketRegionalDomainName, oac)
	if a.Edge != nil {
		if site.EdgeFunction, err = newEdgeFunction(ctx, name, *a.ErrorResponseCode, provider, tags, parent); err != nil {
			return nil, err
		}
		shape = edgeShape(*a.Edge, shape, site.EdgeFunction.Function, *a.ErrorResponseCode)
	}
	var aliases pulumi.StringArray
	for _, n := range certificate.Names(a.Domain, a.AlternateNames) {
		aliases = append(aliases, pulumi.String(n))
	}
	distName := naming.Child(name, "cdn")
	distDeps := append([]pulumi.Resource{page}, shape.dependsOn...)
	var logging *cloudfront.DistributionLoggingConfigArgs
	if d := a.AccessLogs; d != nil {
		logging = &cloudfront.DistributionLoggingConfigArgs{Bucket: d.Bucket, Prefix: pulumi.String(d.Prefix), IncludeCookies: pulumi.Bool(false)}
		distDeps = append(distDeps, d.Ready...)
	}
	dist, err := cloudfront.NewDistribution(ctx, distName, &cloudfront.DistributionArgs{
		Enabled:               pulumi.Bool(true),
		Comment:               pulumi.String(comment(a)),
		Aliases:               aliases,
		DefaultRootObject:     shape.rootObject,
		IsIpv6Enabled:         pulumi.Bool(shape.ipv6),
		HttpVersion:           pulumi.String("http2and3"),
		PriceClass:            pulumi.String(a.PriceClass),
		Origins:               shape.origins,
		OriginGroups:          shape.groups,
		DefaultCacheBehavior:  shape.defaults,
		OrderedCacheBehaviors: shape.ordered,
		CustomErrorResponses:  shape.errorResponses,
		Restrictions: cloudfront.DistributionRestrictionsArgs{
			GeoRestriction: cloudfront.DistributionRestrictionsGeoRestrictionArgs{RestrictionType: pulumi.String("none")},
		},
		ViewerCertificate: cloudfront.DistributionViewerCertificateArgs{
			AcmCertificateArn:      certificateARN,
			SslSupportMethod:       pulumi.String("sni-only"),
			MinimumProtocolVersion: pulumi.String(MinimumTLS),
		},
		LoggingConfig: logging,
		Tags:          tags(distName),
	}, parent, pulumi.DependsOn(distDeps))
	if err != nil {
		return nil, err
	}
	site.IPv6 = shape.ipv6

	policy := pulumi.All(bucket.Arn, dist.Arn).ApplyT(func(v []any) (string, error) {
		return bucketPolicy(v[0].(string), v[1].(string), a.ExtraBucketPolicy)
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

// comment describes the distribution in the CloudFront console.
func comment(a Args) string {
	if a.Edge != nil {
		return a.Domain + ", failing over to its error page per request"
	}
	return "Error page of " + a.Domain
}

// pageShape is the distribution of the default mode: the bucket behind every path, and the
// bucket's 403 (a missing key, for a reader that may not list) and 404 answered with the page
// and ErrorResponseCode. It is also where edge mode starts from: the same bucket origin.
func pageShape(a Args, bucketDomain pulumi.StringInput, oac *cloudfront.OriginAccessControl) distributionShape {
	var errorResponses cloudfront.DistributionCustomErrorResponseArray
	for _, code := range []int{403, 404} {
		errorResponses = append(errorResponses, cloudfront.DistributionCustomErrorResponseArgs{
			ErrorCode:          pulumi.Int(code),
			ResponseCode:       pulumi.Int(*a.ErrorResponseCode),
			ResponsePagePath:   pulumi.String("/" + PageKey),
			ErrorCachingMinTtl: pulumi.Int(*a.ErrorCachingMinTTL),
		})
	}
	return distributionShape{
		origins:        cloudfront.DistributionOriginArray{bucketOrigin(bucketDomain, oac)},
		defaults:       pageBehavior(),
		errorResponses: errorResponses,
		rootObject:     pulumi.String("index.html"),
		ipv6:           true,
	}
}

// BucketPolicy lets CloudFront read objects only on behalf of the one distribution, and refuses
// every request made without TLS.
func BucketPolicy(bucketARN, distributionARN string) (string, error) {
	return bucketPolicy(bucketARN, distributionARN, nil)
}

// bucketPolicy is BucketPolicy with the statements extra returns (Args.ExtraBucketPolicy) after
// the site's own; an error names the field and the statement.
func bucketPolicy(bucketARN, distributionARN string, extra func(string) []map[string]any) (string, error) {
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
	if extra != nil {
		statements := doc["Statement"].([]any)
		sids := map[any]bool{"AllowCloudFrontReadForThisDistribution": true, "DenyInsecureTransport": true}
		for i, s := range extra(bucketARN) {
			field := fmt.Sprintf("ExtraBucketPolicy[%d]", i)
			b, _ := json.Marshal(s)
			if s["Effect"] != "Allow" && s["Effect"] != "Deny" {
				return "", validate.Invalid(field, string(b), "a statement whose Effect is Allow or Deny")
			}
			if sid, named := s["Sid"]; named {
				if sids[sid] {
					return "", validate.Invalid(field, string(b), fmt.Sprintf("a statement with a Sid of its own, not %v", sid))
				}
				sids[sid] = true
			}
			statements = append(statements, s)
		}
		doc["Statement"] = statements
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
