// Package errorsite owns the error site of the topology: a static error page in a private S3
// bucket, served through CloudFront over HTTPS with a certificate issued in us-east-1, so that
// every path answers with the page while the main site is down. In edge mode another
// distribution (edgefailover's) serves the page from the bucket instead (Args.ServedBy).
package errorsite

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/cdn"
	"github.com/seed-2b23e6e5/route53-failover/internal/naming"
	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/certificate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/useast1"
)

// Type is the component's type token; changing it would replace every child.
const Type = "route53-failover:index:ErrorSite"

// The page.
const (
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
	// Page is the page's object in the bucket.
	Page *s3.BucketObjectv2
	// Distribution is the CloudFront distribution that serves the page (nil with
	// Args.ServedBy).
	Distribution *cloudfront.Distribution
	// OriginAccessControl signs a distribution's reads of the bucket (ServedBy's too).
	OriginAccessControl *cloudfront.OriginAccessControl

	// DomainName is the distribution's *.cloudfront.net name (unset with ServedBy, as are
	// ZoneID, DistributionID and URL).
	DomainName pulumi.StringOutput
	// ZoneID is CloudFront's hosted zone id, Z2FDTNDATAQYW2, for alias records.
	ZoneID pulumi.StringOutput
	// DistributionID identifies the distribution.
	DistributionID pulumi.StringOutput
	// DistributionARN is the ARN of the distribution that reads the bucket (ServedBy's, with it;
	// unset when ServedBy has none).
	DistributionARN pulumi.StringOutput
	// BucketName is the private bucket that holds the page.
	BucketName pulumi.StringOutput
	// URL is https:// and the distribution's own name (its certificate is for Domain, so a
	// browser warns on it; it is for diagnosis).
	URL pulumi.StringOutput
	// CertificateARN is the distribution's certificate, resolved once it is issued.
	CertificateARN pulumi.StringOutput
	// BucketRegionalDomainName and OriginAccessControlID are how a distribution made elsewhere
	// reads the bucket (edgefailover.BucketOrigin).
	BucketRegionalDomainName pulumi.StringOutput
	OriginAccessControlID    pulumi.StringOutput
	// BucketARN is the bucket's ARN, for a policy written elsewhere (edgefailover.BucketOrigin),
	// resolved once the bucket's other settings are in place: S3 refuses a write to a bucket's
	// settings while another is under way (OperationAborted).
	BucketARN pulumi.StringOutput
	// Ready are what a distribution made elsewhere waits for before it reads the bucket: the
	// page. (A bucket policy written elsewhere follows the bucket's settings through BucketARN.)
	Ready []pulumi.Resource
	// ResponseCode is the HTTP status the site answers every path with (Args.ErrorResponseCode).
	ResponseCode int
	// Certificate is the us-east-1 certificate ErrorSite requested (nil when
	// Args.CertificateARN was given).
	Certificate *certificate.Certificate
	// IPv6 says the distribution serves IPv6, so that an AAAA alias to it answers: always,
	// unless ServedBy (which has no distribution of its own).
	IPv6 bool
	// PageKey is the page's object key: PageKey, or ServedBy.PageKey.
	PageKey string
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

	site := &ErrorSite{ResponseCode: *a.ErrorResponseCode, IPv6: a.ServedBy == nil, PageKey: PageKey}
	if a.ServedBy != nil {
		site.PageKey = a.ServedBy.PageKey
	}
	inputs := pulumi.Map{
		"domain":            pulumi.String(a.Domain),
		"errorResponseCode": pulumi.Int(*a.ErrorResponseCode),
		"priceClass":        pulumi.String(a.PriceClass),
		"servedBy":          pulumi.Bool(a.ServedBy != nil),
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
		Key:          pulumi.String(site.PageKey),
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

	site.Bucket, site.Page, site.OriginAccessControl = bucket, page, oac
	site.CertificateARN = certificateARN.ToStringOutput()
	site.BucketName = bucket.Bucket
	site.BucketARN = pulumi.All(bucket.Arn, settings.URN()).ApplyT(func(v []any) string {
		return v[0].(string)
	}).(pulumi.StringOutput)
	site.BucketRegionalDomainName, site.OriginAccessControlID = bucket.BucketRegionalDomainName, oac.ID().ToStringOutput()
	site.Ready = []pulumi.Resource{page}
	outputs := pulumi.Map{"bucketName": site.BucketName}
	if a.ServedBy != nil {
		if !a.writesPolicy() {
			return site, ctx.RegisterResourceOutputs(site, outputs)
		}
		site.DistributionARN = a.ServedBy.DistributionARN.ToStringOutput()
	} else {
		bucketOrigin := cdn.Bucket{DomainName: bucket.BucketRegionalDomainName, OriginAccessControlID: oac.ID()}
		if site.Distribution, err = newDistribution(ctx, name, a, bucketOrigin, certificateARN, page, parent); err != nil {
			return nil, err
		}
		dist := site.Distribution
		site.DomainName, site.ZoneID = dist.DomainName, dist.HostedZoneId
		site.DistributionID, site.DistributionARN = dist.ID().ToStringOutput(), dist.Arn
		site.URL = pulumi.Sprintf("https://%s", dist.DomainName)
		outputs["domainName"], outputs["zoneId"], outputs["url"] = site.DomainName, site.ZoneID, site.URL
		outputs["distributionId"] = site.DistributionID
	}
	outputs["distributionArn"] = site.DistributionARN

	if _, err := NewBucketPolicy(ctx, naming.Child(name, "bucket"), site.BucketARN, site.DistributionARN, a.ExtraBucketPolicy,
		parent); err != nil {
		return nil, err
	}

	return site, ctx.RegisterResourceOutputs(site, outputs)
}

// NewBucketPolicy writes the error bucket's one policy: BucketPolicy, then the statements extra
// returns (Args.ExtraBucketPolicy; nil for none). ErrorSite writes it, unless ServedBy leaves it
// to the distribution's component.
func NewBucketPolicy(ctx *pulumi.Context, name string, bucketARN, distributionARN pulumi.StringInput,
	extra func(string) []map[string]any, opts ...pulumi.ResourceOption) (*s3.BucketPolicy, error) {
	bucket := bucketARN.ToStringOutput().ApplyT(BucketNameOf).(pulumi.StringOutput)
	policy := pulumi.All(bucketARN, distributionARN).ApplyT(func(v []any) (string, error) {
		return bucketPolicy(v[0].(string), v[1].(string), extra)
	}).(pulumi.StringOutput)
	return s3.NewBucketPolicy(ctx, name, &s3.BucketPolicyArgs{Bucket: bucket, Policy: policy}, opts...)
}

// BucketNameOf returns the name in an S3 bucket's ARN, arn:PARTITION:s3:::NAME (Service
// Authorization Reference, "Resource types defined by Amazon S3",
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
func BucketNameOf(bucketARN string) (string, error) {
	partition, name, ok := strings.Cut(strings.TrimPrefix(bucketARN, "arn:"), ":s3:::")
	if !ok || !strings.HasPrefix(bucketARN, "arn:") || partition == "" || strings.Contains(partition, ":") ||
		name == "" || strings.ContainsAny(name, ":/") {
		return "", validate.Invalid("BucketARN", bucketARN, "an S3 bucket's ARN, arn:PARTITION:s3:::NAME")
	}
	return name, nil
}

// newDistribution makes the distribution that serves the page: the bucket behind every path, and
// the bucket's 403 (a missing key, for a reader that may not list) and 404 answered with the page
// and ErrorResponseCode.
func newDistribution(ctx *pulumi.Context, name string, a Args, bucket cdn.Bucket, certificateARN pulumi.StringInput, page pulumi.Resource, parent pulumi.ResourceOption) (*cloudfront.Distribution, error) {
	var errorResponses cloudfront.DistributionCustomErrorResponseArray
	for _, code := range []int{403, 404} {
		errorResponses = append(errorResponses, cloudfront.DistributionCustomErrorResponseArgs{
			ErrorCode:          pulumi.Int(code),
			ResponseCode:       pulumi.Int(*a.ErrorResponseCode),
			ResponsePagePath:   pulumi.String("/" + PageKey),
			ErrorCachingMinTtl: pulumi.Int(*a.ErrorCachingMinTTL),
		})
	}
	distName := naming.Child(name, "cdn")
	args, wait := cdn.Common{
		Comment:        "Error page of " + a.Domain,
		Aliases:        certificate.Names(a.Domain, a.AlternateNames),
		CertificateARN: certificateARN,
		PriceClass:     a.PriceClass,
		IPv6:           true,
		AccessLogs:     a.AccessLogs,
		Tags:           naming.Tags(name, distName, a.Tags),
	}.Args(cloudfront.DistributionArgs{
		Origins:              cloudfront.DistributionOriginArray{bucket.Origin()},
		DefaultCacheBehavior: cdn.PageBehavior(),
		CustomErrorResponses: errorResponses,
		DefaultRootObject:    pulumi.String("index.html"),
	})
	return cloudfront.NewDistribution(ctx, distName, args, parent, pulumi.DependsOn(append([]pulumi.Resource{page}, wait...)),
		naming.Moved(a.Moved).Of("cdn"))
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
