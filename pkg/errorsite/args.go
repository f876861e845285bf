package errorsite

import (
	_ "embed"
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
	// CertificateProvider is the AWS provider to request the certificate with; its region must
	// be us-east-1 (given to it, or taken from AWS_REGION when it was created without one). Default: ErrorSite creates its own
	// us-east-1 provider with every other aws: setting of the stack (see useast1.Provider).
	CertificateProvider *aws.Provider
	// ValidationRecordsOf is a certificate of the same names in the same account (the main
	// site's) whose validation records the error site's certificate reads instead of writing its
	// own copies: ACM asks both for the same records (see certificate.Args). Default nil: the
	// certificate writes its own records. FailoverSite sets it outside us-east-1.
	ValidationRecordsOf *certificate.Certificate

	// ErrorPage is the HTML served for every path (with ServedBy, whatever that distribution
	// serves it for). Default DefaultErrorPage. Changing it updates the object in place; it never
	// replaces the bucket or the distribution.
	ErrorPage string
	// ErrorResponseCode is the HTTP status served with the page, one of ResponseCodes. Default
	// 503, so that crawlers and monitors do not take the page for the site.
	ErrorResponseCode *int
	// ErrorCachingMinTTL is how long, in seconds, CloudFront caches an error response,
	// 0-86400 (not used with ServedBy). Default 10.
	ErrorCachingMinTTL *int
	// PriceClass is the distribution's price class, one of PriceClasses (not used with
	// ServedBy). Default "PriceClass_100" (North America and Europe edges).
	PriceClass string
	// AccessLogs, when set, is where the distribution writes its standard logs (an
	// accesslogs.AccessLogs' Distribution), cookies left out (not used with ServedBy). Default
	// nil: no access logs.
	AccessLogs *accesslogs.Destination
	// ExtraBucketPolicy, when set, returns more statements for the error bucket's policy, given
	// the bucket's ARN (a role of yours that reads the page, say). S3 keeps one policy per
	// bucket: a policy of your own would replace this one, and with it CloudFront's read. Each
	// statement is an IAM policy statement as encoding/json decodes one, with Effect Allow or
	// Deny and a Sid of its own if any; S3 refuses a public Allow (the bucket blocks public
	// policies). It must not create resources. Default nil: none.
	ExtraBucketPolicy func(bucketARN string) []map[string]any

	// ServedBy, when set, is a distribution made elsewhere that serves the page from the bucket
	// (edge mode's, edgefailover.EdgeFailover): ErrorSite then makes no distribution, puts the
	// page at ServedBy.PageKey and, given ServedBy.DistributionARN, lets only that distribution
	// read the bucket. The certificate ErrorSite requests (unless CertificateARN is given) is
	// then that distribution's to use. Default nil: ErrorSite's own distribution serves the page.
	ServedBy *ServedBy

	// Tags are added to every taggable child. Default none.
	Tags pulumi.StringMap
	// Moved, when set, returns the aliases (pulumi.Alias) of the child whose name is the
	// component's and this suffix ("cdn"): the URNs it had before, under another component or
	// name, so that moving it replaces nothing. FailoverSite sets it for the distribution, which
	// moves to and from edgefailover.EdgeFailover when the failover mode switches. Default nil:
	// no aliases.
	Moved func(suffix string) []pulumi.Alias
}

// ServedBy is a distribution made elsewhere that serves the error page.
type ServedBy struct {
	// DistributionARN is its ARN, which the bucket policy ErrorSite writes names (an output
	// resolved later, when the distribution is made after the error site). Default nil: ErrorSite
	// writes no bucket policy, and the distribution's component writes it instead
	// (edgefailover.BucketOrigin.BucketARN), as a program in another language must: it cannot
	// hand ErrorSite an output of a component it declares later. Until a policy names the
	// distribution, CloudFront cannot read the page.
	DistributionARN pulumi.StringInput
	// PageKey is the page's object key, where that distribution asks for it, without a leading
	// /. Default EdgePageKey, where edgefailover's distribution asks for it.
	PageKey string
}

// EdgePageKey is where edgefailover's distribution asks for the page (edgefailover.PageKey).
const EdgePageKey = "_failover/error.html"

// writesPolicy reports whether ErrorSite writes the bucket policy: it knows the distribution.
func (a Args) writesPolicy() bool { return a.ServedBy == nil || a.ServedBy.DistributionARN != nil }

// NeedsUSEast1Provider reports whether New makes a us-east-1 provider of its own: it requests
// a certificate, and was given no provider for it.
func (a Args) NeedsUSEast1Provider() bool {
	return a.CertificateARN == nil && a.CertificateProvider == nil
}

// WithDefaults returns the args with every unset field at its default.
func (a Args) WithDefaults() Args {
	a.ErrorPage = optional.String(a.ErrorPage, DefaultErrorPage)
	a.ErrorResponseCode = optional.Int(a.ErrorResponseCode, DefaultErrorResponseCode)
	a.ErrorCachingMinTTL = optional.Int(a.ErrorCachingMinTTL, DefaultErrorCachingMinTTL)
	a.PriceClass = optional.String(a.PriceClass, DefaultPriceClass)
	if a.ServedBy != nil {
		by := *a.ServedBy
		by.PageKey = optional.String(by.PageKey, EdgePageKey)
		a.ServedBy = &by
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
	if by := a.ServedBy; by != nil && strings.HasPrefix(by.PageKey, "/") {
		return validate.Invalid("ServedBy.PageKey", by.PageKey, "an object key, without a leading /")
	}
	if a.ExtraBucketPolicy != nil && !a.writesPolicy() {
		return validate.Invalid("ExtraBucketPolicy", "set",
			"unset when ServedBy has no DistributionARN: the distribution's component writes the bucket policy then", "ServedBy.DistributionARN")
	}
	return nil
}
