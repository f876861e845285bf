// Package edgefailover owns edge mode: one CloudFront distribution serves the whole site and
// fails over per request. Its default behaviour targets an origin group whose primary is the
// main site (reached over HTTPS by a name of its own) and whose fallback is the error bucket; a
// Lambda@Edge function answers, on the spot, each request the main site fails (a 5xx, a refused
// connection, a timeout) with the error page and its status. The served names are plain alias
// records to the distribution; given the error bucket's ARN, it also writes the bucket's policy,
// which names the distribution. A Route 53 health check of the site through the distribution, and
// an optional alarm, tell the owner; they steer nothing.
package edgefailover

import (
	"cmp"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/cdn"
	"github.com/seed-2b23e6e5/route53-failover/internal/healthcheck"
	"github.com/seed-2b23e6e5/route53-failover/internal/naming"
	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/certificate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/edgeorigin"
	"github.com/seed-2b23e6e5/route53-failover/pkg/errorsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/useast1"
)

// Type is the component's type token; changing it would replace every child.
const Type = "route53-failover:index:EdgeFailover"

// The error page's place, and how the distribution reaches the main site.
const (
	// PageKey is the page's object key (errorsite.ServedBy.PageKey): under a path of its own,
	// served by an ordered behaviour straight from the bucket, so that fetching it never waits
	// on the main site, and a main-site path of the same name is not shadowed.
	PageKey = errorsite.EdgePageKey
	// PagePattern is the path pattern of that behaviour.
	PagePattern = "/_failover/*"
	// OriginTLS is the only protocol CloudFront speaks to the main site.
	OriginTLS = "TLSv1.2"
)

// Origin ids inside the distribution.
const (
	mainOriginID  = "main-site"
	groupOriginID = "main-site-or-error-page"
)

// UncachedErrorCodes returns the errors whose answers the distribution keeps out of its cache.
// CloudFront caches an error for the error caching minimum TTL, 10 s by default, and for all
// but 404, 410, 414 and 501 ignores the origin's no-store ("Control how long CloudFront caches
// errors", CloudFront Developer Guide): the error page, or the main site's own 404, would answer
// requests the main site can serve again. Their custom error responses set only that time, 0:
// no page, no status.
func UncachedErrorCodes() []int { return []int{404, 500, 502, 503, 504} }

// FailoverStatusCodes returns the main site's answers that send a request on to the error bucket:
// server errors only, so that the main site's own 4xx (a 404, a 403) reach the viewer as sent.
func FailoverStatusCodes() []int { return []int{500, 502, 503, 504} }

// OriginGroupMethods returns the methods the default behaviour allows. CloudFront refuses
// POST, PUT, PATCH and DELETE on a behaviour whose target is an origin group ("The parameter
// AllowedMethods cannot include POST, PUT, PATCH, or DELETE for a cached behavior associated with
// an origin group"), and fails over only GET, HEAD and OPTIONS anyway.
func OriginGroupMethods() []string { return []string{"GET", "HEAD", "OPTIONS"} }

// EdgeFailover is the site's front door in edge mode. It exposes the resources it creates, so
// that a stack can build on them (a WAF web ACL on the distribution, another alarm on the check).
type EdgeFailover struct {
	pulumi.ResourceState

	// Distribution serves the site.
	Distribution *cloudfront.Distribution
	// Function is the Lambda@Edge function that turns a failed-over request into the error page.
	Function *Function
	// BucketPolicy is the error bucket's policy, which EdgeFailover writes when given
	// Origins.Fallback.BucketARN (nil otherwise).
	BucketPolicy *s3.BucketPolicy
	// Records are the plain alias records to the distribution, by served name, then record type
	// ("A", "AAAA").
	Records map[string]map[string]*route53.Record
	// HealthCheck is the Route 53 health check of Domain through the distribution.
	HealthCheck *route53.HealthCheck
	// Alarm is the alarm (nil without Args.AlarmEmail); its ErrorRateAlarm watches the
	// distribution's 5xx error rate.
	Alarm *healthcheck.Alarm

	// DomainName is the distribution's *.cloudfront.net name.
	DomainName pulumi.StringOutput
	// DistributionID and DistributionARN identify the distribution.
	DistributionID  pulumi.StringOutput
	DistributionARN pulumi.StringOutput
	// URL is https:// and the distribution's own name (its certificate is for Domain, so a
	// browser warns on it; it is for diagnosis).
	URL pulumi.StringOutput
	// HealthCheckID is the health check's id.
	HealthCheckID pulumi.StringOutput
	// AlarmTopicARN is the SNS topic of the alarm (empty without AlarmEmail).
	AlarmTopicARN pulumi.StringOutput
	// RecordTypes are the record types published for each name: A, and AAAA with Args.IPv6.
	RecordTypes []string
	// Settings are the health check as built.
	Settings healthcheck.Settings
}

// New builds the front door.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*EdgeFailover, error) {
	if args == nil {
		args = &Args{}
	}
	if err := args.Validate(); err != nil {
		return nil, err
	}
	if err := cmp.Or(
		validate.Required("ZoneID", args.ZoneID), validate.Required("CertificateARN", args.CertificateARN),
		validate.Required("Origins.Fallback.DomainName", args.Origins.Fallback.DomainName),
		validate.Required("Origins.Fallback.OriginAccessControlID", args.Origins.Fallback.OriginAccessControlID),
	); err != nil {
		return nil, err
	}
	if err := args.Origins.Primary.Origin.CheckSecretOutput(ctx.Context()); err != nil {
		return nil, validate.Within("Origins.Primary.Origin", err)
	}
	if args.FunctionProvider != nil {
		if err := useast1.Check(ctx, "FunctionProvider", "Lambda@Edge functions are made there", args.FunctionProvider); err != nil {
			return nil, err
		}
	}
	if args.AlarmEmail != nil {
		if err := healthcheck.CheckAlarm(ctx, args.AlarmEmail, args.AlarmProvider); err != nil {
			return nil, err
		}
	}
	a := args.WithDefaults()
	served := certificate.Names(a.Domain, a.AlternateNames)

	edge := &EdgeFailover{RecordTypes: []string{"A"}, Settings: a.Settings(), Records: map[string]map[string]*route53.Record{}}
	if a.IPv6 {
		edge.RecordTypes = append(edge.RecordTypes, "AAAA")
	}
	inputs := pulumi.Map{
		"names":             pulumi.ToStringArray(served),
		"originName":        pulumi.String(a.Origins.Primary.Origin.Name),
		"errorResponseCode": pulumi.Int(*a.ErrorResponseCode),
		"recordTypes":       pulumi.ToStringArray(edge.RecordTypes),
	}
	if err := ctx.RegisterComponentResourceV2(Type, name, inputs, edge, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(edge)
	moved := naming.Moved(a.Moved)

	provider, err := useast1.Provider(ctx, name, a.FunctionProvider, parent, moved.Of(useast1.Region))
	if err != nil {
		return nil, err
	}
	edge.Function, err = newFunction(ctx, name, *a.ErrorResponseCode, a.Tags, moved, parent, pulumi.Provider(provider))
	if err != nil {
		return nil, err
	}
	if edge.Distribution, err = newDistribution(ctx, name, a, served, edge.Function, moved, parent); err != nil {
		return nil, err
	}
	dist := edge.Distribution
	edge.DomainName, edge.DistributionARN = dist.DomainName, dist.Arn
	edge.DistributionID = dist.ID().ToStringOutput()
	edge.URL = pulumi.Sprintf("https://%s", dist.DomainName)
	// Visitors are sent to the distribution only once it can read the error page.
	var recordsWait []pulumi.Resource
	if fallback := a.Origins.Fallback; fallback.BucketARN != nil {
		if edge.BucketPolicy, err = errorsite.NewBucketPolicy(ctx, naming.Child(name, "error-bucket"), fallback.BucketARN,
			dist.Arn, nil, parent, pulumi.DependsOn(fallback.Ready)); err != nil {
			return nil, err
		}
		recordsWait = append(recordsWait, edge.BucketPolicy)
	}

	for _, servedName := range served {
		edge.Records[servedName] = map[string]*route53.Record{}
		for _, recordType := range edge.RecordTypes {
			record, err := route53.NewRecord(ctx, naming.Child(name, servedName, recordType), &route53.RecordArgs{
				ZoneId: a.ZoneID,
				Name:   pulumi.String(servedName),
				Type:   pulumi.String(recordType),
				Aliases: route53.RecordAliasArray{route53.RecordAliasArgs{
					Name:   dist.DomainName,
					ZoneId: dist.HostedZoneId,
					// AWS refuses true for a CloudFront alias.
					EvaluateTargetHealth: pulumi.Bool(false),
				}},
			}, parent, pulumi.DependsOn(recordsWait), moved.Of(servedName, recordType))
			if err != nil {
				return nil, err
			}
			edge.Records[servedName][recordType] = record
		}
	}

	// The served name, through the distribution: only CloudFront reaches the load balancer.
	check, err := healthcheck.New(ctx, name, pulumi.String(a.Domain), edge.Settings, a.Tags, parent, moved.Of("health"))
	if err != nil {
		return nil, err
	}
	edge.HealthCheck, edge.HealthCheckID = check, check.ID().ToStringOutput()
	alarmProvider := a.AlarmProvider
	if alarmProvider == nil {
		alarmProvider = provider
	}
	alarm := healthcheck.AlarmArgs{
		Email: a.AlarmEmail, Provider: alarmProvider, DistributionID: edge.DistributionID, Tags: a.Tags, Moved: moved,
	}
	if edge.Alarm, err = healthcheck.NewAlarm(ctx, name, check, alarm, parent); err != nil {
		return nil, err
	}
	edge.AlarmTopicARN = edge.Alarm.TopicARN()

	return edge, ctx.RegisterResourceOutputs(edge, pulumi.Map{
		"domainName":      edge.DomainName,
		"distributionId":  edge.DistributionID,
		"distributionArn": edge.DistributionARN,
		"url":             edge.URL,
		"healthCheckId":   edge.HealthCheckID,
		"alarmTopicArn":   edge.AlarmTopicARN,
	})
}

// newDistribution makes the distribution: the origin group behind the default behaviour, with
// the failover function on its origin requests and responses, and the page's own path straight
// from the bucket. It has no custom error responses with a page: they would apply to the main
// site's own 403 and 404 too.
func newDistribution(ctx *pulumi.Context, name string, a Args, served []string, fn *Function, moved naming.Moved,
	parent pulumi.ResourceOption) (*cloudfront.Distribution, error) {
	p := a.Origins.Primary
	main := cloudfront.DistributionOriginArgs{
		OriginId:           pulumi.String(mainOriginID),
		DomainName:         pulumi.String(p.Origin.Name),
		ConnectionAttempts: pulumi.Int(*p.ConnectionAttempts),
		ConnectionTimeout:  pulumi.Int(*p.ConnectionTimeout),
		CustomOriginConfig: cloudfront.DistributionOriginCustomOriginConfigArgs{
			HttpPort:             pulumi.Int(80),
			HttpsPort:            pulumi.Int(443),
			OriginProtocolPolicy: pulumi.String("https-only"),
			OriginSslProtocols:   pulumi.ToStringArray([]string{OriginTLS}),
			OriginReadTimeout:    pulumi.Int(*p.ReadTimeout),
		},
	}
	if p.Origin.Secret != nil {
		main.CustomHeaders = cloudfront.DistributionOriginCustomHeaderArray{cloudfront.DistributionOriginCustomHeaderArgs{
			Name:  pulumi.String(edgeorigin.SecretHeader),
			Value: pulumi.ToSecret(p.Origin.Secret).(pulumi.StringOutput),
		}}
	}
	bucket := cdn.Bucket{DomainName: a.Origins.Fallback.DomainName, OriginAccessControlID: a.Origins.Fallback.OriginAccessControlID}
	page := cdn.PageBehavior()
	associations := cloudfront.DistributionDefaultCacheBehaviorLambdaFunctionAssociationArray{}
	for _, event := range []string{"origin-request", "origin-response"} {
		associations = append(associations, cloudfront.DistributionDefaultCacheBehaviorLambdaFunctionAssociationArgs{
			EventType: pulumi.String(event),
			LambdaArn: fn.Function.QualifiedArn,
		})
	}
	distName := naming.Child(name, "cdn")
	args, wait := cdn.Common{
		Comment:        a.Domain + ", failing over to its error page per request",
		Aliases:        served,
		CertificateARN: a.CertificateARN,
		PriceClass:     a.PriceClass,
		IPv6:           a.IPv6,
		AccessLogs:     a.AccessLogs,
		Tags:           naming.Tags(name, distName, a.Tags),
	}.Args(cloudfront.DistributionArgs{
		Origins: cloudfront.DistributionOriginArray{bucket.Origin(), main},
		OriginGroups: cloudfront.DistributionOriginGroupArray{cloudfront.DistributionOriginGroupArgs{
			OriginId: pulumi.String(groupOriginID),
			FailoverCriteria: cloudfront.DistributionOriginGroupFailoverCriteriaArgs{
				StatusCodes: pulumi.ToIntArray(FailoverStatusCodes()),
			},
			Members: cloudfront.DistributionOriginGroupMemberArray{
				cloudfront.DistributionOriginGroupMemberArgs{OriginId: pulumi.String(mainOriginID)},
				cloudfront.DistributionOriginGroupMemberArgs{OriginId: pulumi.String(cdn.BucketOriginID)},
			},
		}},
		DefaultCacheBehavior: cloudfront.DistributionDefaultCacheBehaviorArgs{
			TargetOriginId:             pulumi.String(groupOriginID),
			ViewerProtocolPolicy:       pulumi.String("redirect-to-https"),
			AllowedMethods:             pulumi.ToStringArray(OriginGroupMethods()),
			CachedMethods:              pulumi.ToStringArray([]string{"GET", "HEAD"}),
			CachePolicyId:              pulumi.String(cdn.CachingDisabled),
			OriginRequestPolicyId:      pulumi.String(cdn.AllViewerExceptHostHeader),
			Compress:                   pulumi.Bool(true),
			LambdaFunctionAssociations: associations,
		},
		OrderedCacheBehaviors: cloudfront.DistributionOrderedCacheBehaviorArray{cloudfront.DistributionOrderedCacheBehaviorArgs{
			PathPattern:          pulumi.String(PagePattern),
			TargetOriginId:       page.TargetOriginId,
			ViewerProtocolPolicy: page.ViewerProtocolPolicy,
			AllowedMethods:       page.AllowedMethods,
			CachedMethods:        page.CachedMethods,
			CachePolicyId:        page.CachePolicyId,
			Compress:             page.Compress,
		}},
		CustomErrorResponses: uncachedErrors(*a.ErrorResponseCode),
	})
	waitFor := slices.Concat(p.Ready, a.Origins.Fallback.Ready, wait)
	return cloudfront.NewDistribution(ctx, distName, args, parent, pulumi.DependsOn(waitFor), moved.Of("cdn"))
}

// uncachedErrors are the custom error responses that keep UncachedErrorCodes, and the status the
// function gives the error page, out of the cache.
func uncachedErrors(errorResponseCode int) cloudfront.DistributionCustomErrorResponseArray {
	codes := UncachedErrorCodes()
	if !slices.Contains(codes, errorResponseCode) {
		codes = append(codes, errorResponseCode)
		slices.Sort(codes)
	}
	var responses cloudfront.DistributionCustomErrorResponseArray
	for _, code := range codes {
		responses = append(responses, cloudfront.DistributionCustomErrorResponseArgs{
			ErrorCode: pulumi.Int(code), ErrorCachingMinTtl: pulumi.Int(0),
		})
	}
	return responses
}
