package errorsite

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/optional"
	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/accesslogs"
	"github.com/seed-2b23e6e5/route53-failover/pkg/certificate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/useast1"
)

// DefaultErrorPage is the page served unless Args.ErrorPage says otherwise: the original
// hand-built setup's "Error Page!".
//
//go:embed pages/error.html
var DefaultErrorPage string

// Defaults.
const (
	DefaultErrorResponseCode  = 503
	DefaultErrorCachingMinTTL = 10
	DefaultPriceClass         = "PriceClass_100"
)

// CertificateRegion is the only region whose certificates CloudFront accepts.
const CertificateRegion = useast1.Region

// PriceClasses returns CloudFront's price classes.
func PriceClasses() []string { return []string{"PriceClass_100", "PriceClass_200", "PriceClass_All"} }

// ResponseCodes returns the HTTP codes CloudFront lets a custom error response return.
func ResponseCodes() []int { return []int{200, 400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504} }

// maxErrorCachingMinTTL keeps the error responses short-lived: a day at most.
const maxErrorCachingMinTTL = 86400

// Args configure an ErrorSite.
type Args struct {
	// Domain is the apex name the distribution answers for (an alias) and its certificate
	// covers. Required.
	Domain string
	// AlternateNames are more aliases, each inside Domain's zone. Default none.
	AlternateNames []string
	// ZoneID is the public hosted zone that receives the certificate's validation records.
	// Required unless CertificateARN is given.
	ZoneID pulumi.StringInput
	// CertificateARN is an issued us-east-1 ACM certificate for Domain and AlternateNames.
	// Default: ErrorSite requests and DNS-validates one in us-east-1.
	CertificateARN pulumi.StringInput
	// CertificateProvider is the AWS provider to request the certificate with, and to create the
	// Lambda@Edge function with in edge mode; its region must be us-east-1 (given to it, or taken
	// from AWS_REGION when it was created without one). Default: ErrorSite creates its own
	// us-east-1 provider with every other aws: setting of the stack (see useast1.Provider).
	CertificateProvider *aws.Provider
	// ValidationRecordsOf is a certificate of the same names in the same account (the main
	// site's) whose validation records the error site's certificate reads instead of writing its
	// own copies: ACM asks both for the same records (see certificate.Args). Default nil: the
	// certificate writes its own records. FailoverSite sets it outside us-east-1.
	ValidationRecordsOf *certificate.Certificate

	// ErrorPage is the HTML served for every path (in edge mode, for every request the main
	// site fails). Default DefaultErrorPage. Changing it updates the object in place; it never
	// replaces the bucket or the distribution.
	ErrorPage string
	// ErrorResponseCode is the HTTP status served with the page, one of ResponseCodes; in edge
	// mode 4xx or 5xx. Default 503, so that crawlers and monitors do not take the page for the
	// site.
	ErrorResponseCode *int
	// ErrorCachingMinTTL is how long, in seconds, CloudFront caches an error response,
	// 0-86400 (not used in edge mode, where the distribution keeps the page out of its cache
	// with an error caching minimum TTL of 0 for its status).
	// Default 10.
	ErrorCachingMinTTL *int
	// PriceClass is the distribution's price class, one of PriceClasses. Default
	// "PriceClass_100" (North America and Europe edges).
	PriceClass string
	// AccessLogs, when set, is where the distribution writes its standard logs (an
	// accesslogs.AccessLogs' Distribution), cookies left out. Default nil: no access logs.
	AccessLogs *accesslogs.Destination
	// ExtraBucketPolicy, when set, returns more statements for the error bucket's policy, given
	// the bucket's ARN (a role of yours that reads the page, say). S3 keeps one policy per
	// bucket: a policy of your own would replace this one, and with it CloudFront's read. Each
	// statement is an IAM policy statement as encoding/json decodes one, with Effect Allow or
	// Deny and a Sid of its own if any; S3 refuses a public Allow (the bucket blocks public
	// policies). It must not create resources. Default nil: none.
	ExtraBucketPolicy func(bucketARN string) []map[string]any

	// Edge, when set, makes the distribution serve the whole site and fail over per request
	// (see Edge): edge mode. Default nil: the distribution serves only the error page, and DNS
	// failover records choose between it and the main site.
	Edge *Edge

	// Tags are added to every taggable child. Default none.
	Tags pulumi.StringMap
}

// NeedsUSEast1Provider reports whether New makes a us-east-1 provider of its own: it requests
// a certificate or creates the edge function, and was given no provider for them.
func (a Args) NeedsUSEast1Provider() bool {
	return (a.CertificateARN == nil || a.Edge != nil) && a.CertificateProvider == nil
}

// WithDefaults returns the args with every unset field at its default.
func (a Args) WithDefaults() Args {
	a.ErrorPage = optional.String(a.ErrorPage, DefaultErrorPage)
	a.ErrorResponseCode = optional.Int(a.ErrorResponseCode, DefaultErrorResponseCode)
	a.ErrorCachingMinTTL = optional.Int(a.ErrorCachingMinTTL, DefaultErrorCachingMinTTL)
	a.PriceClass = optional.String(a.PriceClass, DefaultPriceClass)
	if a.Edge != nil {
		edge := a.Edge.WithDefaults()
		a.Edge = &edge
	}
	return a
}

// Validate checks the values of args after defaults (New also needs ZoneID or CertificateARN).
// Errors name the Args field.
func (a Args) Validate() error {
	a = a.WithDefaults()
	if err := validate.ServedNames("Domain", a.Domain, "AlternateNames", a.AlternateNames); err != nil {
		return err
	}
	if err := validate.OneOf("ErrorResponseCode", *a.ErrorResponseCode, ResponseCodes()...); err != nil {
		return err
	}
	if err := validate.IntRange("ErrorCachingMinTTL", *a.ErrorCachingMinTTL, 0, maxErrorCachingMinTTL); err != nil {
		return err
	}
	if !slices.Contains(PriceClasses(), a.PriceClass) {
		return validate.Invalid("PriceClass", a.PriceClass, "one of "+strings.Join(PriceClasses(), ", "))
	}
	// The statements are checked on an example ARN now, before anything is registered.
	if _, err := bucketPolicy("arn:aws:s3:::example-bucket", "arn:aws:cloudfront::111122223333:distribution/EXAMPLE", a.ExtraBucketPolicy); err != nil {
		return err
	}
	if a.Edge != nil {
		// The health check requests the site through the distribution: a failed request answered
		// 2xx or 3xx would keep it green, and no alarm would fire.
		if *a.ErrorResponseCode < 400 {
			return validate.Invalid("ErrorResponseCode", fmt.Sprint(*a.ErrorResponseCode), "an error status (4xx or 5xx) in edge mode, where the health check reads the site through the distribution", "Edge")
		}
		return validate.Within("Edge", a.Edge.Validate(certificate.Names(a.Domain, a.AlternateNames)))
	}
	return nil
}
