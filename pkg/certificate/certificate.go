// Package certificate owns the DNS-validated ACM certificate shared by the main site (issued in
// the stack's region) and the error site (issued in us-east-1 for CloudFront): the certificate,
// one validation record per name (written, or read from another certificate of the same names),
// and the wait for issuance.
package certificate

import (
	"slices"
	"sort"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/naming"
	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
)

// Type is the component's type token; changing it would replace every child.
const Type = "route53-failover:index:Certificate"

// Args configure a Certificate.
type Args struct {
	// Domain is the certificate's first name (its subject). Required; at most 64 characters.
	Domain string
	// AlternateNames are further names the certificate covers, inside Domain's zone. Default
	// none. Their order does not matter: they are sorted, so reordering never replaces the
	// certificate.
	AlternateNames []string
	// ZoneID is the public hosted zone that receives the validation records. Required unless
	// ValidationRecordsOf is given.
	ZoneID pulumi.StringInput
	// Tags are added to the certificate's tags. Default none.
	Tags pulumi.StringMap
	// ValidationRecordsOf is another certificate of the same names in the same account, whose
	// validation records this one uses instead of writing its own. ACM asks every certificate of
	// a name in one account for the same CNAME, so two certificates that each wrote it would be
	// two owners of one DNS record, and removing either would delete the record the other needs
	// to renew. This certificate also reads each record (pulumi get) under the name its own copy
	// would have: that takes over, without deleting it, a copy an earlier version of this
	// package wrote. Default nil: the certificate writes its own records.
	ValidationRecordsOf *Certificate
}

// Certificate is an ACM certificate validated through Route 53. It is issued in the region of
// the AWS provider it is given (pulumi.Provider or a parent's), else the stack's region.
type Certificate struct {
	pulumi.ResourceState

	// Certificate is the ACM certificate (use CertificateARN to wait for its issuance).
	Certificate *acm.Certificate
	// Validation is ACM's validation of the certificate: complete once it is issued.
	Validation *acm.CertificateValidation
	// CertificateARN is the certificate's ARN, resolved only once ACM has issued it: use it, not
	// the certificate's own arn, so that nothing uses the certificate before it is valid.
	CertificateARN pulumi.StringOutput
	// Names are the names covered, the domain first and the alternates sorted.
	Names []string
	// ValidationRecords are the validation records, by name: written by this certificate, or
	// those of the certificate in Args.ValidationRecordsOf.
	ValidationRecords map[string]*route53.Record
}

// Names returns the names a certificate for domain and alternates covers, in the order the
// certificate lists them: the domain first, then the alternate names sorted and without repeats.
func Names(domain string, alternates []string) []string {
	seen := map[string]bool{domain: true}
	var sans []string
	for _, n := range alternates {
		if !seen[n] {
			seen[n] = true
			sans = append(sans, n)
		}
	}
	sort.Strings(sans)
	return append([]string{domain}, sans...)
}

// New requests the certificate, writes one validation CNAME per name, and waits for issuance.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Certificate, error) {
	if args == nil {
		args = &Args{}
	}
	if err := validate.ServedNames("Domain", args.Domain, "AlternateNames", args.AlternateNames); err != nil {
		return nil, err
	}
	c := &Certificate{Names: Names(args.Domain, args.AlternateNames)}
	if shared := args.ValidationRecordsOf; shared != nil {
		if !slices.Equal(shared.Names, c.Names) {
			return nil, validate.Invalid("ValidationRecordsOf", strings.Join(shared.Names, ","),
				"a certificate of the same names ("+strings.Join(c.Names, ", ")+"), whose validation records are this one's")
		}
	} else if args.ZoneID == nil {
		return nil, validate.Invalid("ZoneID", "", "the id of the public hosted zone that holds the validation records")
	}
	// The component's inputs are plain: registering it waits for them, and a caller may hand it a
	// zone that is created later (FailoverSite does).
	inputs := pulumi.Map{"names": pulumi.ToStringArray(c.Names)}
	if err := ctx.RegisterComponentResourceV2(Type, name, inputs, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)

	var sans pulumi.StringArray
	for _, n := range c.Names[1:] {
		sans = append(sans, pulumi.String(n))
	}
	cert, err := acm.NewCertificate(ctx, name, &acm.CertificateArgs{
		DomainName:              pulumi.String(args.Domain),
		SubjectAlternativeNames: sans,
		ValidationMethod:        pulumi.String("DNS"),
		KeyAlgorithm:            pulumi.String("RSA_2048"),
		Tags:                    naming.Tags(name, name, args.Tags),
	}, parent)
	if err != nil {
		return nil, err
	}
	c.Certificate = cert

	c.ValidationRecords = map[string]*route53.Record{}
	var fqdns pulumi.StringArray
	for _, n := range c.Names {
		recordName := naming.Child(name, "validation", n)
		var record *route53.Record
		if shared := args.ValidationRecordsOf; shared != nil {
			record = shared.ValidationRecords[n]
			// A read under the name this certificate's own copy had takes that copy over from
			// an earlier version without deleting the record it shares. Nothing depends on the
			// read: during a first preview its id is unknown, and the SDK then gives it no URN.
			_, err = route53.GetRecord(ctx, recordName, record.ID(), nil, parent)
		} else {
			record, err = newValidationRecord(ctx, recordName, n, cert, args.ZoneID, parent)
		}
		if err != nil {
			return nil, err
		}
		c.ValidationRecords[n] = record
		fqdns = append(fqdns, record.Fqdn)
	}

	validation, err := acm.NewCertificateValidation(ctx, naming.Child(name, "validation"), &acm.CertificateValidationArgs{
		CertificateArn:        cert.Arn,
		ValidationRecordFqdns: fqdns,
	}, parent)
	if err != nil {
		return nil, err
	}
	c.Validation, c.CertificateARN = validation, validation.CertificateArn

	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"certificateArn": c.CertificateARN,
	})
}

// newValidationRecord writes the CNAME that ACM asks for to validate one name. The names are
// known now, so the record exists in the plan, and it takes its CNAME from the option ACM
// returns for that name.
func newValidationRecord(ctx *pulumi.Context, name, domain string, cert *acm.Certificate, zoneID pulumi.StringInput,
	parent pulumi.ResourceOption) (*route53.Record, error) {
	option := cert.DomainValidationOptions.ApplyT(func(opts []acm.CertificateDomainValidationOption) acm.CertificateDomainValidationOption {
		for _, o := range opts {
			if o.DomainName != nil && *o.DomainName == domain {
				return o
			}
		}
		return acm.CertificateDomainValidationOption{}
	}).(acm.CertificateDomainValidationOptionOutput)
	return route53.NewRecord(ctx, name, &route53.RecordArgs{
		ZoneId:  zoneID,
		Name:    option.ResourceRecordName().Elem(),
		Type:    option.ResourceRecordType().Elem(),
		Records: pulumi.StringArray{option.ResourceRecordValue().Elem()},
		Ttl:     pulumi.Int(300),
		// A certificate for the same names outside this stack (an earlier, hand-built one, say)
		// asks for the very same CNAME.
		AllowOverwrite: pulumi.Bool(true),
	}, parent)
}

// CheckSource refuses a component's args that give neither an issued certificate (arn) nor the
// hosted zone to validate a new one in (zoneID).
func CheckSource(arn, zoneID pulumi.StringInput) error {
	if arn == nil && zoneID == nil {
		return validate.Invalid("ZoneID", "", "a hosted zone id for the certificate's validation records, or a CertificateARN")
	}
	return nil
}
