// Package validate owns the input checks the components share, and the error they report: the
// field, the value and what is allowed. A component checks its Args once, before it registers
// anything; the stack program renames the fields to the config keys the user wrote (Rename).
package validate

import (
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
)

// Error says which field (an Args field, or the config key that sets it) holds which value,
// and what is allowed.
type Error struct {
	// Field is the Args field path ("MainSite.SubnetIDs[1]") or config key with the value.
	Field string
	// Value is the value as the user wrote it ("[secret]" for a secret).
	Value string
	// Allowed says what the field accepts.
	Allowed string
	// Others are the other fields that Allowed names ("VpcID and SubnetIDs together"), as they
	// are written there, so that Within and Rename name them as they name Field.
	Others []string
}

// Error says "FIELD: invalid value "VALUE": ALLOWED".
func (e *Error) Error() string {
	return fmt.Sprintf("%s: invalid value %q: %s", e.Field, e.Value, e.Allowed)
}

// Field maps an Args field path (such as "MainSite.TargetCheckInterval") to the name the user
// wrote the value under (a config key, say), so that an error names what the user can find.
type Field func(path string) string

// Invalid builds an *Error; others are the fields allowed names besides field, written as they
// are in allowed.
func Invalid(field, value, allowed string, others ...string) error {
	return &Error{Field: field, Value: value, Allowed: allowed, Others: others}
}

// Within returns err with its fields named from the enclosing Args: a component that sets a
// part's Args (topology setting MainSite's) reports the part's errors under the part's field
// ("MainSite.InstanceType"). nil and other errors pass unchanged.
func Within(prefix string, err error) error {
	return rename(err, func(path string) string { return prefix + "." + path })
}

// rename maps the error's field and the others it names, keeping an index suffix
// ("SubnetIDs[1]"): the path without it is mapped.
func rename(err error, field Field) error {
	var e *Error
	if !errors.As(err, &e) || field == nil {
		return err
	}
	mapPath := func(p string) string {
		path, index := p, ""
		if i := strings.IndexByte(path, '['); i >= 0 {
			path, index = path[:i], path[i:]
		}
		return field(path) + index
	}
	renamed := *e
	renamed.Field = mapPath(e.Field)
	renamed.Others = nil
	for _, other := range e.Others {
		mapped := mapPath(other)
		renamed.Allowed = replaceWord(renamed.Allowed, other, mapped)
		renamed.Others = append(renamed.Others, mapped)
	}
	return &renamed
}

// replaceWord replaces the whole-word occurrences of old in s: not inside a longer name.
func replaceWord(s, old, replacement string) string {
	word := regexp.MustCompile(`(^|[^\w.:])` + regexp.QuoteMeta(old) + `($|[^\w.\[])`)
	return word.ReplaceAllString(s, "${1}"+strings.ReplaceAll(replacement, "$", "$$")+"${2}")
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

// Rename returns err with its field, and the others it names, mapped by field (an Args path to
// the config key the user wrote, say). An index suffix ("SubnetIDs[1]") is kept: the path without
// it is mapped. nil and other errors pass unchanged.
func Rename(err error, field Field) error {
	return rename(err, field)
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

// Nearest returns the candidate closest to key by edit distance, if it is close enough to be a
// typo of it (at most a third of the key's own name differs).
func Nearest(key string, candidates []string) string {
	best, bestDistance := "", len(key)/3+1
	for _, c := range candidates {
		if d := editDistance(key, c); d < bestDistance {
			best, bestDistance = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
