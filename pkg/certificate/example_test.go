package certificate_test

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/pkg/certificate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

// A certificate for CloudFront: issued where its provider points, us-east-1, and validated
// with one CNAME per name.
func ExampleNew() {
	p, err := plan.RunInRegion("eu-west-1", func(ctx *pulumi.Context) error {
		east, err := aws.NewProvider(ctx, "us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		_, err = certificate.New(ctx, "cdn", &certificate.Args{
			Domain:         "example.com",
			AlternateNames: []string{"www.example.com"},
			ZoneID:         pulumi.String("Z0123456789ABCDEFGHIJ"),
		}, pulumi.Provider(east))
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	cert := p.OfType("aws:acm/certificate:Certificate")[0]
	fmt.Println(cert.Inputs["domainName"], cert.Inputs["subjectAlternativeNames"], "in", p.Region(&cert))
	fmt.Println(len(p.OfType("aws:route53/record:Record")), "validation records")
	// Output:
	// example.com [www.example.com] in us-east-1
	// 2 validation records
}
