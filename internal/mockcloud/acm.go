package mockcloud

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
)

// keyAlgorithms are the key algorithms ACM issues certificates with.
var keyAlgorithms = map[string]bool{"RSA_2048": true, "EC_prime256v1": true, "EC_secp384r1": true}

// The inputs of a certificate and its validation that their simulations read.
type (
	certificateInputs struct {
		DomainName              string   `pulumi:"domainName"`
		SubjectAlternativeNames []string `pulumi:"subjectAlternativeNames"`
		ValidationMethod        string   `pulumi:"validationMethod"`
		KeyAlgorithm            string   `pulumi:"keyAlgorithm"`
	}
	certificateValidationInputs struct {
		CertificateArn        string   `pulumi:"certificateArn"`
		ValidationRecordFqdns []string `pulumi:"validationRecordFqdns"`
	}
)

func simulateCertificate(r *request) (string, map[string]any, error) {
	in, err := decode[certificateInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	if m := in.ValidationMethod; m != "DNS" && m != "EMAIL" {
		return "", nil, errorf("ValidationException", "validation method %q is not DNS or EMAIL", m)
	}
	if k := in.KeyAlgorithm; k != "" && !keyAlgorithms[k] {
		return "", nil, errorf("ValidationException", "key algorithm %q is not one ACM issues", k)
	}
	names := append([]string{in.DomainName}, in.SubjectAlternativeNames...)
	if len(names[0]) > 64 {
		return "", nil, errorf("ValidationException", "the domain name %s is longer than 64 characters", names[0])
	}
	seen := map[string]bool{}
	var options []any
	for _, n := range names {
		if seen[n] {
			continue
		}
		seen[n] = true
		name, value := ValidationRecord(n)
		options = append(options, map[string]any{
			"domainName":          n,
			"resourceRecordName":  name,
			"resourceRecordType":  "CNAME",
			"resourceRecordValue": value,
		})
	}
	sans := names[1:]
	sort.Strings(sans)
	arn := r.arn("acm", "certificate/"+uuid(r.hex("id", 32)))
	return arn, map[string]any{
		"arn":                     arn,
		"domainValidationOptions": options,
		"status":                  "PENDING_VALIDATION",
		"type":                    "AMAZON_ISSUED",
		"keyAlgorithm":            "RSA_2048",
	}, nil
}

func undoCertificateValidation(c *Cloud, res *Resource) {
	if cert, ok := c.findOutput(awstype.Certificate, "arn", storedInputs[certificateValidationInputs](res).CertificateArn); ok {
		cert.Outputs["status"] = resource.NewProperty("PENDING_VALIDATION")
	}
}

// ValidationRecord is the CNAME (name and value, with trailing dots) ACM asks for to validate a
// domain name. It depends on the name alone: two certificates for one name in one account, in any
// regions, ask for the same record, as in ACM.
func ValidationRecord(domain string) (name, value string) {
	return "_" + hashHex("acm-name\x00"+domain, 32) + "." + domain + ".",
		"_" + hashHex("acm-value\x00"+domain, 32) + "." + hashHex("acm-zone\x00"+domain, 10) + ".acm-validations.aws."
}

// ValidationTime is how long the engine's plugin takes to answer a certificate validation. ACM
// takes minutes to issue a certificate; a couple of seconds are enough for what does not wait for
// the listener that uses it to run ahead of that listener, as it would on AWS.
const ValidationTime = 2 * time.Second

// certificateValidation waits, as the provider does, until ACM issues the certificate: ACM looks
// the validation CNAMEs up in DNS, so each must exist, with ACM's value, in a public hosted zone
// of the name. The provider also checks that validationRecordFqdns names every record.
func certificateValidation(r *request) (string, map[string]any, error) {
	in, err := decode[certificateValidationInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	arn := in.CertificateArn
	if region := arnRegion(arn); region != r.region() {
		return "", nil, errorf("ResourceNotFoundException", "certificate %s is in %s, not %s", arn, region, r.region())
	}
	cert, ok := r.cloud.findOutput(awstype.Certificate, "arn", arn)
	if !ok {
		return "", nil, errorf("ResourceNotFoundException", "certificate %s does not exist", arn)
	}
	fqdns := map[string]bool{}
	for _, f := range in.ValidationRecordFqdns {
		fqdns[strings.ToLower(strings.TrimSuffix(f, "."))] = true
	}
	for _, o := range arrayOfObjects(cert.out(), "domainValidationOptions") {
		domain := stringArg(o, "domainName")
		name := strings.ToLower(strings.TrimSuffix(stringArg(o, "resourceRecordName"), "."))
		if len(fqdns) > 0 && !fqdns[name] {
			return "", nil, errorf("ValidationError", "missing %s DNS validation record: %s", domain, name)
		}
		if !r.cloud.resolvesCNAME(name, stringArg(o, "resourceRecordValue")) {
			return "", nil, errorf("Timeout", "ACM cannot validate %s: no CNAME %s in a public hosted zone of this account, so the certificate stays PENDING_VALIDATION until the provider gives up", domain, name)
		}
	}
	r.after = func(*Resource) { cert.Outputs["status"] = resource.NewProperty("ISSUED") }
	if r.cloud.engine {
		r.cloud.wait = ValidationTime
	}
	// The provider's id is the time ACM issued the certificate.
	n, _ := strconv.ParseInt(hashDigits(r.seed()+"issued", 15), 10, 64)
	issued := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n % int64(24*time.Hour)))
	return issued.String(), map[string]any{}, nil
}

// resolvesCNAME reports whether a public zone of the account holds the CNAME name → value.
func (c *Cloud) resolvesCNAME(name, value string) bool {
	for _, rs := range c.account.RecordSets {
		if rs.Type != "CNAME" || rs.Name != name {
			continue
		}
		if z, ok := c.zone(rs.ZoneID); !ok || z.Private {
			continue
		}
		for _, v := range rs.Values {
			if strings.TrimSuffix(v, ".") == strings.TrimSuffix(value, ".") {
				return true
			}
		}
	}
	return false
}

// arrayOfObjects returns the objects of an array property.
func arrayOfObjects(m resource.PropertyMap, key string) []resource.PropertyMap {
	v := unwrap(m[resource.PropertyKey(key)])
	if !v.IsArray() {
		return nil
	}
	var out []resource.PropertyMap
	for _, e := range v.ArrayValue() {
		if e = unwrap(e); e.IsObject() {
			out = append(out, e.ObjectValue())
		}
	}
	return out
}
