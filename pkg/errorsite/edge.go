package errorsite

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"text/template"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/naming"
	"github.com/seed-2b23e6e5/route53-failover/internal/optional"
	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/edgeorigin"
)

// Edge mode: CloudFront's own limits and managed policies (CloudFront Developer Guide, "Origin
// settings", https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesOrigin.html,
// and "Use managed cache policies" / "Use managed origin request policies").
const (
	// CachingDisabled is the id of CloudFront's managed cache policy of that name: the main site
	// is dynamic, so nothing of it is cached.
	CachingDisabled = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
	// AllViewerExceptHostHeader is the id of CloudFront's managed origin request policy of that
	// name: cookies, query strings and headers reach the main site; the Host is the origin's name.
	AllViewerExceptHostHeader = "b689b0a8-53d0-40ab-baf2-68738e2966ac"

	// EdgePageKey is the page's object key in edge mode: under a path of its own, served by
	// an ordered behaviour straight from the bucket, so that fetching it never waits on the main
	// site, and a main-site path of the same name is not shadowed.
	EdgePageKey = "_failover/error.html"
	// EdgePagePattern is the path pattern of that behaviour.
	EdgePagePattern = "/_failover/*"
	// OriginTLS is the only protocol CloudFront speaks to the main site.
	OriginTLS = "TLSv1.2"

	DefaultConnectionAttempts = 1
	DefaultConnectionTimeout  = 3
	DefaultReadTimeout        = 10

	MinConnectionAttempts, MaxConnectionAttempts = 1, 3
	MinConnectionTimeout, MaxConnectionTimeout   = 1, 10
	MinReadTimeout, MaxReadTimeout               = 1, 60

	// edgeRuntime is a Node.js runtime Lambda@Edge supports, years from deprecation.
	edgeRuntime = "nodejs22.x"
	// edgeTimeout is the function's timeout; it only rewrites a request or a status.
	edgeTimeout = 5
	// basicExecutionPolicy lets the function write its logs.
	basicExecutionPolicy = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
)

// UncachedErrorCodes returns the errors whose answers edge mode keeps out of CloudFront's cache.
// CloudFront caches an error for the error caching minimum TTL, 10 s by default, and for all
// but 404, 410, 414 and 501 ignores the origin's no-store ("Control how long CloudFront caches
// errors", CloudFront Developer Guide): the error page, or the main site's own 404, would answer
// requests the main site can serve again. Their custom error responses set only that time, 0:
// no page, no status.
func UncachedErrorCodes() []int { return []int{404, 500, 502, 503, 504} }

// FailoverStatusCodes returns the main site's answers that send a request on to the error bucket:
// server errors only, so that the main site's own 4xx (a 404, a 403) reach the viewer as sent.
func FailoverStatusCodes() []int { return []int{500, 502, 503, 504} }

// OriginGroupMethods returns the methods the site's default behaviour allows. CloudFront refuses
// POST, PUT, PATCH and DELETE on a behaviour whose target is an origin group ("The parameter
// AllowedMethods cannot include POST, PUT, PATCH, or DELETE for a cached behavior associated with
// an origin group"), and fails over only GET, HEAD and OPTIONS anyway.
func OriginGroupMethods() []string { return []string{"GET", "HEAD", "OPTIONS"} }

// Edge makes the distribution serve the whole site and fail over per request: its default
// behaviour targets an origin group whose primary is the main site (reached by Origin.Name over
// HTTPS) and whose secondary is the error bucket. A request the main site fails with a 5xx, a
// refused connection or a timeout is answered, on the spot, with the error page and
// ErrorResponseCode. The DNS names then point at the distribution itself (no failover records).
type Edge struct {
	// Origin is the main site as CloudFront reaches it: its name (Origin.Name, not a served
	// name; the load balancer's certificate must cover it) and the secret sent with every
	// request in edgeorigin.SecretHeader (Origin.Secret, kept secret in the distribution's
	// state). Give it the value given to mainsite.Args.CloudFrontOrigin. Origin.Name is required.
	Origin edgeorigin.Origin
	// OriginReady are resources the distribution waits for before it sends requests to
	// Origin.Name: its DNS record and the listener certificate that covers it
	// (mainsite.MainSite.Origin.Ready). Default none.
	OriginReady []pulumi.Resource
	// IPv6 lets viewers reach the distribution over IPv6. Default false.
	IPv6 bool
	// ConnectionAttempts is how many times CloudFront tries to connect to the main site, and
	// asks it again after a read timeout, before it fails over, 1-3. Default 1: a second attempt
	// only doubles the wait on a dead or hung server.
	ConnectionAttempts *int
	// ConnectionTimeout is the seconds CloudFront waits for a connection to the main site, 1-10.
	// Default 3: a connection within the AWS network takes milliseconds, and 3 s still covers one
	// lost SYN (resent after 1 s).
	ConnectionTimeout *int
	// ReadTimeout is the seconds CloudFront waits for the main site's response (and between its
	// packets) before it fails over, 1-60. Default 10, a third of CloudFront's 30: a hung server
	// costs each request this long. Pages slower than this are served the error page instead.
	ReadTimeout *int
}

// WithDefaults returns the edge settings with every unset field at its default.
func (e Edge) WithDefaults() Edge {
	e.ConnectionAttempts = optional.Int(e.ConnectionAttempts, DefaultConnectionAttempts)
	e.ConnectionTimeout = optional.Int(e.ConnectionTimeout, DefaultConnectionTimeout)
	e.ReadTimeout = optional.Int(e.ReadTimeout, DefaultReadTimeout)
	return e
}

// Validate checks the edge settings after defaults; errors name the field within Edge.
func (e Edge) Validate(served []string) error {
	e = e.WithDefaults()
	if err := validate.Within("Origin", e.Origin.ValidateFor("", served)); err != nil {
		return err
	}
	if err := validate.IntRange("ConnectionAttempts", *e.ConnectionAttempts, MinConnectionAttempts, MaxConnectionAttempts); err != nil {
		return err
	}
	if err := validate.IntRange("ConnectionTimeout", *e.ConnectionTimeout, MinConnectionTimeout, MaxConnectionTimeout); err != nil {
		return err
	}
	return validate.IntRange("ReadTimeout", *e.ReadTimeout, MinReadTimeout, MaxReadTimeout)
}

// EdgeFunction is the Lambda@Edge function that turns a failed-over request into the error page.
type EdgeFunction struct {
	// Function is the function, in us-east-1 as Lambda@Edge requires; it is kept on AWS when
	// it leaves the stack (see FailoverFunctionCode).
	Function *lambda.Function
	// Role is its execution role, which Lambda and Lambda@Edge may assume.
	Role *iam.Role
}

//go:embed edgefunction/index.js
var failoverFunctionSource string

var failoverFunctionTemplate = template.Must(template.New("index.js").Parse(failoverFunctionSource))

// FailoverFunctionCode is the source of the Lambda@Edge function, for the page at pagePath and
// the status code: on a request the origin group sends to the bucket (which it does only after
// the main site failed it) it asks for the page; on the bucket's answer it sets the status and
// Cache-Control: no-store (which CloudFront ignores for most errors: uncachedErrors keeps the
// status out of its cache). The main site's own answers pass untouched.
func FailoverFunctionCode(pagePath string, status int) string {
	var b strings.Builder
	_ = failoverFunctionTemplate.Execute(&b, map[string]any{
		"PagePath": pagePath, "Status": status, "StatusText": http.StatusText(status),
	})
	return b.String()
}

// edgeTrustPolicy lets Lambda and the Lambda@Edge replicas assume the function's role.
func edgeTrustPolicy() string {
	doc, _ := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": []string{"edgelambda.amazonaws.com", "lambda.amazonaws.com"}},
			"Action":    "sts:AssumeRole",
		}},
	})
	return string(doc)
}

// newEdgeFunction creates the failover function in us-east-1, published, so that the
// distribution can name a numbered version as Lambda@Edge requires. Lambda@Edge keeps replicas
// of a function for hours after its last distribution lets go of it, and refuses to delete it
// until then, so the function is left on AWS (skipDestroy) when it leaves the stack.
func newEdgeFunction(ctx *pulumi.Context, name string, status int, provider *aws.Provider, tags func(string) pulumi.StringMap, parent pulumi.ResourceOption) (*EdgeFunction, error) {
	inUSEast1 := pulumi.Provider(provider)
	fnName := naming.Child(name, "failover")
	roleName := naming.Child(fnName, "role")
	role, err := iam.NewRole(ctx, roleName, &iam.RoleArgs{
		Description:      pulumi.String("Lambda@Edge failover function of " + name),
		AssumeRolePolicy: pulumi.String(edgeTrustPolicy()),
		Tags:             tags(roleName),
	}, parent, inUSEast1)
	if err != nil {
		return nil, err
	}
	logs, err := iam.NewRolePolicyAttachment(ctx, roleName, &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pulumi.String(basicExecutionPolicy),
	}, parent, inUSEast1)
	if err != nil {
		return nil, err
	}
	fn, err := lambda.NewFunction(ctx, fnName, &lambda.FunctionArgs{
		Description:   pulumi.String("Serves " + name + "'s error page for requests the main site failed"),
		Runtime:       pulumi.String(edgeRuntime),
		Architectures: pulumi.ToStringArray([]string{"x86_64"}), // Lambda@Edge runs x86_64 only
		Handler:       pulumi.String("index.handler"),
		Role:          role.Arn,
		Timeout:       pulumi.Int(edgeTimeout),
		MemorySize:    pulumi.Int(128),
		Publish:       pulumi.Bool(true),
		SkipDestroy:   pulumi.Bool(true),
		Code: pulumi.NewAssetArchive(map[string]any{
			"index.js": pulumi.NewStringAsset(FailoverFunctionCode("/"+EdgePageKey, status)),
		}),
		Tags: tags(fnName),
	}, parent, inUSEast1, pulumi.DependsOn([]pulumi.Resource{logs}))
	if err != nil {
		return nil, err
	}
	return &EdgeFunction{Function: fn, Role: role}, nil
}

// Origin ids inside the distribution.
const (
	bucketOriginID = "error-page-bucket"
	mainOriginID   = "main-site"
	groupOriginID  = "main-site-or-error-page"
)

// distributionShape is what differs between the two modes' distribution.
type distributionShape struct {
	origins        cloudfront.DistributionOriginArray
	groups         cloudfront.DistributionOriginGroupArray
	defaults       cloudfront.DistributionDefaultCacheBehaviorArgs
	ordered        cloudfront.DistributionOrderedCacheBehaviorArray
	errorResponses cloudfront.DistributionCustomErrorResponseArray
	rootObject     pulumi.StringPtrInput
	ipv6           bool
	dependsOn      []pulumi.Resource
}

// bucketOrigin is the error bucket, read through the origin access control.
func bucketOrigin(bucketDomain pulumi.StringInput, oac *cloudfront.OriginAccessControl) cloudfront.DistributionOriginArgs {
	return cloudfront.DistributionOriginArgs{
		OriginId:              pulumi.String(bucketOriginID),
		DomainName:            bucketDomain,
		OriginAccessControlId: oac.ID(),
	}
}

// pageBehavior serves the bucket with the managed CachingOptimized policy.
func pageBehavior() cloudfront.DistributionDefaultCacheBehaviorArgs {
	return cloudfront.DistributionDefaultCacheBehaviorArgs{
		TargetOriginId:       pulumi.String(bucketOriginID),
		ViewerProtocolPolicy: pulumi.String("redirect-to-https"),
		AllowedMethods:       pulumi.ToStringArray([]string{"GET", "HEAD"}),
		CachedMethods:        pulumi.ToStringArray([]string{"GET", "HEAD"}),
		CachePolicyId:        pulumi.String(CachingOptimized),
		Compress:             pulumi.Bool(true),
	}
}

// edgeShape is the distribution of edge mode: the origin group behind the default behaviour,
// with the failover function on its origin requests and responses, and the page's own path
// straight from the bucket. It has no custom error responses: they would apply to the main
// site's own 403 and 404 too.
func edgeShape(e Edge, bucket distributionShape, fn *lambda.Function, errorResponseCode int) distributionShape {
	main := cloudfront.DistributionOriginArgs{
		OriginId:           pulumi.String(mainOriginID),
		DomainName:         pulumi.String(e.Origin.Name),
		ConnectionAttempts: pulumi.Int(*e.ConnectionAttempts),
		ConnectionTimeout:  pulumi.Int(*e.ConnectionTimeout),
		CustomOriginConfig: cloudfront.DistributionOriginCustomOriginConfigArgs{
			HttpPort:             pulumi.Int(80),
			HttpsPort:            pulumi.Int(443),
			OriginProtocolPolicy: pulumi.String("https-only"),
			OriginSslProtocols:   pulumi.ToStringArray([]string{OriginTLS}),
			OriginReadTimeout:    pulumi.Int(*e.ReadTimeout),
		},
	}
	if e.Origin.Secret != nil {
		main.CustomHeaders = cloudfront.DistributionOriginCustomHeaderArray{cloudfront.DistributionOriginCustomHeaderArgs{
			Name:  pulumi.String(edgeorigin.SecretHeader),
			Value: pulumi.ToSecret(e.Origin.Secret).(pulumi.StringOutput),
		}}
	}
	page := pageBehavior()
	associations := cloudfront.DistributionDefaultCacheBehaviorLambdaFunctionAssociationArray{}
	for _, event := range []string{"origin-request", "origin-response"} {
		associations = append(associations, cloudfront.DistributionDefaultCacheBehaviorLambdaFunctionAssociationArgs{
			EventType: pulumi.String(event),
			LambdaArn: fn.QualifiedArn,
		})
	}
	return distributionShape{
		origins: append(bucket.origins, main),
		groups: cloudfront.DistributionOriginGroupArray{cloudfront.DistributionOriginGroupArgs{
			OriginId:         pulumi.String(groupOriginID),
			FailoverCriteria: cloudfront.DistributionOriginGroupFailoverCriteriaArgs{StatusCodes: pulumi.ToIntArray(FailoverStatusCodes())},
			Members: cloudfront.DistributionOriginGroupMemberArray{
				cloudfront.DistributionOriginGroupMemberArgs{OriginId: pulumi.String(mainOriginID)},
				cloudfront.DistributionOriginGroupMemberArgs{OriginId: pulumi.String(bucketOriginID)},
			},
		}},
		defaults: cloudfront.DistributionDefaultCacheBehaviorArgs{
			TargetOriginId:             pulumi.String(groupOriginID),
			ViewerProtocolPolicy:       pulumi.String("redirect-to-https"),
			AllowedMethods:             pulumi.ToStringArray(OriginGroupMethods()),
			CachedMethods:              pulumi.ToStringArray([]string{"GET", "HEAD"}),
			CachePolicyId:              pulumi.String(CachingDisabled),
			OriginRequestPolicyId:      pulumi.String(AllViewerExceptHostHeader),
			Compress:                   pulumi.Bool(true),
			LambdaFunctionAssociations: associations,
		},
		ordered: cloudfront.DistributionOrderedCacheBehaviorArray{cloudfront.DistributionOrderedCacheBehaviorArgs{
			PathPattern:          pulumi.String(EdgePagePattern),
			TargetOriginId:       page.TargetOriginId,
			ViewerProtocolPolicy: page.ViewerProtocolPolicy,
			AllowedMethods:       page.AllowedMethods,
			CachedMethods:        page.CachedMethods,
			CachePolicyId:        page.CachePolicyId,
			Compress:             page.Compress,
		}},
		errorResponses: uncachedErrors(errorResponseCode),
		ipv6:           e.IPv6,
		dependsOn:      e.OriginReady,
	}
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
