// Package validate owns the input checks shared by the stack config and the components' Args, so
// that a bad value is refused with the same message before any resource is registered, whichever
// way it came in.
package validate

import (
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
)

// Error says which field (a config key or an Args field) holds which value, and what is allowed.
type Error struct {
	Field   string
	Value   string
	Allowed string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s: invalid value %q: %s", e.Field, e.Value, e.Allowed)
}

// Field maps an Args field path (such as "HealthCheck.Interval") to the name the user wrote the
// value under (a config key, say), so that an error names what the user can find. A nil Field
// keeps the Args names.
type Field func(path string) string

// Name returns the name of the field at path.
func (f Field) Name(path string) string {
	if f == nil {
		return path
	}
	return f(path)
}

// Invalid builds an *Error.
func Invalid(field, value, allowed string) error {
	return &Error{Field: field, Value: value, Allowed: allowed}
}

// Within returns err with its field named from the enclosing Args: a component that sets a part's
// Args (topology setting MainSite's) reports the part's errors under the part's field
// ("MainSite.InstanceType"). Other errors pass unchanged.
func Within(prefix string, err error) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	renamed := *e
	renamed.Field = prefix + "." + e.Field
	return &renamed
}

// Masked returns err with its value hidden, for a value that is secret: an error message must
// not carry a secret into a terminal or a log.
func Masked(err error) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	masked := *e
	masked.Value = "[secret]"
	return &masked
}

// Rename returns err with its field mapped by field (an Args path to the config key the user
// wrote, say). An index suffix ("SubnetIDs[1]") is kept: the path without it is mapped. Other
// errors pass unchanged.
func Rename(err error, field Field) error {
	var e *Error
	if !errors.As(err, &e) || field == nil {
		return err
	}
	path, index := e.Field, ""
	if i := strings.IndexByte(path, '['); i >= 0 {
		path, index = path[:i], path[i:]
	}
	renamed := *e
	renamed.Field = field(path) + index
	return &renamed
}

// MaxPrimaryDomainLength is ACM's limit on a certificate's first domain name (its subject CN).
const MaxPrimaryDomainLength = 64

// MaxCertificateNames is ACM's hard limit on the names of one certificate (the default quota is 10).
const MaxCertificateNames = 100

var label = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// DomainName accepts a fully qualified DNS name of at least two labels, written in lowercase,
// without a trailing dot or a wildcard.
func DomainName(field, v string) error {
	const allowed = "a lowercase DNS name such as example.com: labels of 1-63 letters, digits or hyphens " +
		"(not at either end), at least two labels, 253 characters at most, no trailing dot, no wildcard"
	if v == "" || len(v) > 253 || strings.HasSuffix(v, ".") {
		return Invalid(field, v, allowed)
	}
	labels := strings.Split(v, ".")
	if len(labels) < 2 {
		return Invalid(field, v, allowed)
	}
	for _, l := range labels {
		if !label.MatchString(l) {
			return Invalid(field, v, allowed)
		}
	}
	if isDigits(labels[len(labels)-1]) {
		return Invalid(field, v, allowed+" (the top-level label cannot be all digits)")
	}
	return nil
}

// ServedNames checks the apex domain and its alternate names together: each a valid name, the
// domain short enough to be a certificate's first name, alternates inside the domain's zone,
// no repeats, and no more names than a certificate can hold.
func ServedNames(domainField, domain, alternatesField string, alternates []string) error {
	if err := DomainName(domainField, domain); err != nil {
		return err
	}
	if len(domain) > MaxPrimaryDomainLength {
		return Invalid(domainField, domain,
			fmt.Sprintf("at most %d characters: ACM limits a certificate's first name to that", MaxPrimaryDomainLength))
	}
	if 1+len(alternates) > MaxCertificateNames {
		return Invalid(alternatesField, strings.Join(alternates, ","),
			fmt.Sprintf("at most %d names: ACM allows %d names per certificate, the domain included",
				MaxCertificateNames-1, MaxCertificateNames))
	}
	seen := map[string]bool{domain: true}
	for i, name := range alternates {
		field := fmt.Sprintf("%s[%d]", alternatesField, i)
		if err := DomainName(field, name); err != nil {
			return err
		}
		if seen[name] {
			return Invalid(field, name, "each name once, and not the domain itself")
		}
		if !strings.HasSuffix(name, "."+domain) {
			return Invalid(field, name, fmt.Sprintf("a name inside %s's hosted zone, such as www.%s", domain, domain))
		}
		seen[name] = true
	}
	return nil
}

// IntRange accepts min <= v <= max.
func IntRange(field string, v, min, max int) error {
	if v < min || v > max {
		return Invalid(field, fmt.Sprint(v), fmt.Sprintf("a whole number from %d to %d", min, max))
	}
	return nil
}

// OneOf accepts v when it is one of allowed.
func OneOf(field string, v int, allowed ...int) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	words := make([]string, len(allowed))
	for i, a := range allowed {
		words[i] = fmt.Sprint(a)
	}
	return Invalid(field, fmt.Sprint(v), "one of "+strings.Join(words, ", "))
}

var (
	instanceType = regexp.MustCompile(`^[a-z][a-z0-9-]*[0-9][a-z0-9-]*\.[a-z0-9-]+$`)
	amiID        = regexp.MustCompile(`^ami-([0-9a-f]{8}|[0-9a-f]{17})$`)
	vpcID        = regexp.MustCompile(`^vpc-([0-9a-f]{8}|[0-9a-f]{17})$`)
	subnetID     = regexp.MustCompile(`^subnet-([0-9a-f]{8}|[0-9a-f]{17})$`)
	hostedZoneID = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)
	region       = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]$`)
	urlPath      = regexp.MustCompile(`^/[A-Za-z0-9\-._~!$&'()*+,;=:@/%?]*$`)
)

// InstanceType accepts an EC2 instance type name such as t3.micro or m7g.2xlarge.
func InstanceType(field, v string) error {
	if !instanceType.MatchString(v) || len(v) > 64 {
		return Invalid(field, v, "an EC2 instance type: family and size separated by a dot, such as t3.micro or m7i.large")
	}
	return nil
}

// AMIID accepts an AMI id (ami- and 8 or 17 hex digits).
func AMIID(field, v string) error {
	if !amiID.MatchString(v) {
		return Invalid(field, v, "an AMI id: ami- followed by 8 or 17 lowercase hex digits")
	}
	return nil
}

// VPCID accepts a VPC id (vpc- and 8 or 17 hex digits).
func VPCID(field, v string) error {
	if !vpcID.MatchString(v) {
		return Invalid(field, v, "a VPC id: vpc- followed by 8 or 17 lowercase hex digits")
	}
	return nil
}

// SubnetID accepts a subnet id (subnet- and 8 or 17 hex digits).
func SubnetID(field, v string) error {
	if !subnetID.MatchString(v) {
		return Invalid(field, v, "a subnet id: subnet- followed by 8 or 17 lowercase hex digits")
	}
	return nil
}

// HostedZoneID accepts a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ (no /hostedzone/ prefix).
func HostedZoneID(field, v string) error {
	if !hostedZoneID.MatchString(v) {
		return Invalid(field, v, "a Route 53 hosted zone id: Z followed by uppercase letters and digits, without /hostedzone/")
	}
	return nil
}

// Regions are the regions of the standard AWS partition ("aws"), where every service the
// topology uses exists. CloudFront and its us-east-1 certificates do not exist in the China and
// GovCloud partitions (AWS General Reference, "AWS Regions",
// https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html).
var Regions = []string{
	"af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1",
	"ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
	"ap-southeast-5", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2",
	"eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1",
	"me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-west-1",
	"us-west-2",
}

// Region accepts a region of the standard AWS partition, such as ap-northeast-1.
func Region(field, v string) error {
	switch {
	case !region.MatchString(v):
		return Invalid(field, v, "an AWS region name such as ap-northeast-1 (set it with: pulumi config set aws:region REGION)")
	case strings.HasPrefix(v, "cn-") || strings.HasPrefix(v, "us-gov-") || strings.HasPrefix(v, "us-iso"):
		return Invalid(field, v, "a region of the standard AWS partition: CloudFront and its us-east-1 certificates, which the error site needs, are not in the China, GovCloud or isolated partitions")
	case !slices.Contains(Regions, v):
		return Invalid(field, v, "an existing AWS region, one of "+strings.Join(Regions, ", "))
	}
	return nil
}

// Email accepts a plain email address such as ops@example.com.
func Email(field, v string) error {
	if addr, err := mail.ParseAddress(v); err != nil || addr.Address != v {
		return Invalid(field, v, "a plain email address such as ops@example.com")
	}
	return nil
}

// HealthCheckPath accepts an absolute URL path of at most 255 characters (Route 53's and the
// target group's limit) made of URL characters only.
func HealthCheckPath(field, v string) error {
	if len(v) > 255 || !urlPath.MatchString(v) {
		return Invalid(field, v, "an absolute URL path such as / or /health: starts with /, at most 255 characters, no spaces")
	}
	return nil
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
