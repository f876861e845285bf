// Package certificate owns the DNS-validated ACM certificate shared by the main site (issued in
// the stack's region) and the error site (issued in us-east-1 for CloudFront): the certificate,
// one validation record per name, and the wait for issuance.
package certificate

import (
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/pkg/naming"
	"github.com/seed-2b23e6e5/route53-failover/pkg/validate"
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
	// ZoneID is the public hosted zone that receives the validation records. Required.
	ZoneID pulumi.StringInput
	// Tags are added to the certificate's tags. Default none.
	Tags pulumi.StringMap
}

// Certificate is an ACM certificate validated through Route 53. It is issued in the region of
// the AWS provider it is given (pulumi.Provider or a parent's), else the stack's region.
type Certificate struct {
	pulumi.ResourceState

	// CertificateARN is the certificate's ARN, resolved only once ACM has issued it: use it, not
	// the certificate's own arn, so that nothing uses the certificate before it is valid.
	CertificateARN pulumi.StringOutput
	// Names are the names covered, the domain first and the alternates sorted.
	Names []string
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
	if args.ZoneID == nil {
		return nil, validate.Invalid("ZoneID", "", "the id of the public hosted zone that holds the validation records")
	}

	c := &Certificate{Names: Names(args.Domain, args.AlternateNames)}
	inputs := pulumi.Map{"names": pulumi.ToStringArray(c.Names), "zoneId": args.ZoneID}
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

	// One record per name: the names are known now, so the records exist in the plan, and each
	// takes its CNAME from the option ACM returns for that name.
	var fqdns pulumi.StringArray
	for _, n := range c.Names {
		option := cert.DomainValidationOptions.ApplyT(func(opts []acm.CertificateDomainValidationOption) acm.CertificateDomainValidationOption {
			for _, o := range opts {
				if o.DomainName != nil && *o.DomainName == n {
					return o
				}
			}
			return acm.CertificateDomainValidationOption{}
		}).(acm.CertificateDomainValidationOptionOutput)
		record, err := route53.NewRecord(ctx, naming.Child(name, "validation", n), &route53.RecordArgs{
			ZoneId:  args.ZoneID,
			Name:    option.ResourceRecordName().Elem(),
			Type:    option.ResourceRecordType().Elem(),
			Records: pulumi.StringArray{option.ResourceRecordValue().Elem()},
			Ttl:     pulumi.Int(300),
			// Another certificate for the same name (the us-east-1 one for CloudFront, or a
			// previous stack) asks for the very same CNAME.
			AllowOverwrite: pulumi.Bool(true),
		}, parent)
		if err != nil {
			return nil, err
		}
		fqdns = append(fqdns, record.Fqdn)
	}

	validation, err := acm.NewCertificateValidation(ctx, naming.Child(name, "validation"), &acm.CertificateValidationArgs{
		CertificateArn:        cert.Arn,
		ValidationRecordFqdns: fqdns,
	}, parent)
	if err != nil {
		return nil, err
	}
	c.CertificateARN = validation.CertificateArn

	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"certificateArn": c.CertificateARN,
	})
}

// CheckSource refuses a component's args that give neither an issued certificate (arn) nor the
// hosted zone to validate a new one in (zoneID).
func CheckSource(arn, zoneID pulumi.StringInput) error {
	if arn == nil && zoneID == nil {
		return validate.Invalid("ZoneID", "", "a hosted zone id for the certificate's validation records, or a CertificateARN")
	}
	return nil
}

// ARN returns arn when the component was given one; otherwise it requests a certificate for
// args, named after the owner component, and returns its ARN as it resolves once issued.
func ARN(ctx *pulumi.Context, owner string, arn pulumi.StringInput, args *Args, opts ...pulumi.ResourceOption) (pulumi.StringInput, error) {
	if arn != nil {
		return arn, nil
	}
	cert, err := New(ctx, naming.Child(owner, "cert"), args, opts...)
	if err != nil {
		return nil, err
	}
	return cert.CertificateARN, nil
}
