package errorsite_test

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/pkg/errorsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

// A maintenance page on its own: every path of shop.example answers it with 503.
func ExampleNew() {
	p, err := plan.RunInRegion("eu-west-1", func(ctx *pulumi.Context) error {
		_, err := errorsite.New(ctx, "maintenance", &errorsite.Args{
			Domain:    "shop.example",
			ZoneID:    pulumi.String("Z0123456789ABCDEFGHIJ"),
			ErrorPage: "<h1>Back soon</h1>",
		})
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	cert := p.OfType("aws:acm/certificate:Certificate")[0]
	dist := p.OfType("aws:cloudfront/distribution:Distribution")[0]
	fmt.Println("certificate in", p.Region(&cert))
	fmt.Println("answers", plan.Get(dist.Inputs, "customErrorResponses", 0, "responseCode"))
	// Output:
	// certificate in us-east-1
	// answers 503
}

// S3 keeps one policy per bucket: a statement of yours (a role that reads the page) goes into
// the error bucket's own policy, after the site's, with the bucket's ARN filled in.
func ExampleNew_extraBucketPolicy() {
	p, err := plan.RunInRegion("eu-west-1", func(ctx *pulumi.Context) error {
		_, err := errorsite.New(ctx, "maintenance", &errorsite.Args{
			Domain: "shop.example",
			ZoneID: pulumi.String("Z0123456789ABCDEFGHIJ"),
			ExtraBucketPolicy: func(bucketARN string) []map[string]any {
				return []map[string]any{{
					"Sid": "ReportsRead", "Effect": "Allow", "Action": "s3:GetObject", "Resource": bucketARN + "/*",
					"Principal": map[string]any{"AWS": "arn:aws:iam::111122223333:role/reports"},
				}}
			},
		})
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var policy struct{ Statement []struct{ Sid string } }
	_ = json.Unmarshal([]byte(p.OfType("aws:s3/bucketPolicy:BucketPolicy")[0].Inputs["policy"].(string)), &policy)
	for _, s := range policy.Statement {
		fmt.Println(s.Sid)
	}
	// Output:
	// AllowCloudFrontReadForThisDistribution
	// DenyInsecureTransport
	// ReportsRead
}
