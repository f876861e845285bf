package mockcloud_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// logBucket is a log bucket named logs with the settings given ("" leaves one out), written one
// after another; it returns what a writer must wait for.
func logBucket(ctx *pulumi.Context, ownership, sse, policy string) ([]pulumi.Resource, error) {
	bucket, err := s3.NewBucketV2(ctx, "logs", &s3.BucketV2Args{Bucket: pulumi.String("logs")})
	if err != nil {
		return nil, err
	}
	ready := []pulumi.Resource{bucket}
	after := func() pulumi.ResourceOption { return pulumi.DependsOn(ready) }
	if ownership != "" {
		r, err := s3.NewBucketOwnershipControls(ctx, "ownership", &s3.BucketOwnershipControlsArgs{Bucket: bucket.ID(),
			Rule: &s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String(ownership)}}, after())
		if err != nil {
			return nil, err
		}
		ready = append(ready, r)
	}
	if sse != "" {
		r, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, "sse", &s3.BucketServerSideEncryptionConfigurationV2Args{Bucket: bucket.ID(),
			Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
				ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{SseAlgorithm: pulumi.String(sse)}}}},
			after())
		if err != nil {
			return nil, err
		}
		ready = append(ready, r)
	}
	if policy != "" {
		r, err := s3.NewBucketPolicy(ctx, "policy", &s3.BucketPolicyArgs{Bucket: bucket.ID(), Policy: pulumi.String(policy)}, after())
		if err != nil {
			return nil, err
		}
		ready = append(ready, r)
	}
	return ready, nil
}

// elbPolicy lets principal put objects at resource of the bucket logs.
func elbPolicy(principal, resource string) string {
	return fmt.Sprintf(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": %s, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::logs/%s"}]}`, principal, resource)
}

// TestAccessLogDelivery: a load balancer logs only to a bucket of its region, encrypted with
// S3-managed keys if at all, whose policy lets its region's log delivery put objects under its
// prefix; a distribution only to a bucket with ACLs enabled; either only once the bucket's
// settings are written.
func TestAccessLogDelivery(t *testing.T) {
	const tokyoELB = `{"AWS": "arn:aws:iam::582318560864:root"}` // the ELB account of ap-northeast-1
	alb := func(ready []pulumi.Resource, wait bool, ctx *pulumi.Context) error {
		opts := []pulumi.ResourceOption{}
		if wait {
			opts = append(opts, pulumi.DependsOn(ready))
		}
		_, err := lb.NewLoadBalancer(ctx, "alb", &lb.LoadBalancerArgs{Subnets: pulumi.ToStringArray([]string{subnetA, subnetC}),
			AccessLogs: &lb.LoadBalancerAccessLogsArgs{Bucket: pulumi.String("logs"), Prefix: pulumi.String("alb"), Enabled: pulumi.Bool(true)}}, opts...)
		return err
	}
	cdn := func(ready []pulumi.Resource, ctx *pulumi.Context) error {
		_, err := cloudfront.NewDistribution(ctx, "cdn", &cloudfront.DistributionArgs{
			Enabled:           pulumi.Bool(true),
			ViewerCertificate: cloudfront.DistributionViewerCertificateArgs{CloudfrontDefaultCertificate: pulumi.Bool(true)},
			DefaultCacheBehavior: cloudfront.DistributionDefaultCacheBehaviorArgs{TargetOriginId: pulumi.String("o"), CachePolicyId: pulumi.String("c"),
				ViewerProtocolPolicy: pulumi.String("redirect-to-https"), AllowedMethods: pulumi.ToStringArray([]string{"GET", "HEAD"}), CachedMethods: pulumi.StringArray{}},
			Origins:       cloudfront.DistributionOriginArray{cloudfront.DistributionOriginArgs{OriginId: pulumi.String("o"), DomainName: pulumi.String("b.s3.us-east-1.amazonaws.com")}},
			Restrictions:  cloudfront.DistributionRestrictionsArgs{GeoRestriction: cloudfront.DistributionRestrictionsGeoRestrictionArgs{RestrictionType: pulumi.String("none")}},
			LoggingConfig: &cloudfront.DistributionLoggingConfigArgs{Bucket: pulumi.String("logs.s3.amazonaws.com"), Prefix: pulumi.String("cloudfront/")},
		}, pulumi.DependsOn(ready))
		return err
	}
	good := elbPolicy(tokyoELB, "alb/AWSLogs/123456789012/*")
	tests := []struct {
		name                   string
		ownership, sse, policy string
		writer                 func([]pulumi.Resource, *pulumi.Context) error
		want                   string // "" for accepted
	}{
		{"load balancer, as documented", "", "AES256", good, func(r []pulumi.Resource, ctx *pulumi.Context) error { return alb(r, true, ctx) }, ""},
		{"load balancer before its policy", "", "AES256", good, func(r []pulumi.Resource, ctx *pulumi.Context) error { return alb(r, false, ctx) }, "Access Denied for bucket: logs"},
		{"load balancer without a policy", "", "AES256", "", func(r []pulumi.Resource, ctx *pulumi.Context) error { return alb(r, true, ctx) }, "Access Denied for bucket: logs"},
		{"another region's log account", "", "", elbPolicy(`{"AWS": "arn:aws:iam::127311923021:root"}`, "alb/AWSLogs/123456789012/*"),
			func(r []pulumi.Resource, ctx *pulumi.Context) error { return alb(r, true, ctx) }, "Access Denied for bucket: logs"},
		{"the service principal where an account delivers", "", "", elbPolicy(`{"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}`, "alb/AWSLogs/123456789012/*"),
			func(r []pulumi.Resource, ctx *pulumi.Context) error { return alb(r, true, ctx) }, "Access Denied for bucket: logs"},
		{"another prefix", "", "", elbPolicy(tokyoELB, "logs/AWSLogs/123456789012/*"),
			func(r []pulumi.Resource, ctx *pulumi.Context) error { return alb(r, true, ctx) }, "Access Denied for bucket: logs"},
		{"KMS encryption", "", "aws:kms", good, func(r []pulumi.Resource, ctx *pulumi.Context) error { return alb(r, true, ctx) }, "Access Denied for bucket: logs"},
		{"distribution, ACLs enabled", "BucketOwnerPreferred", "", "", cdn, ""},
		{"distribution, the default ownership", "", "", "", cdn, "does not enable ACL access: logs.s3.amazonaws.com"},
		{"distribution, ACLs disabled", "BucketOwnerEnforced", "", "", cdn, "does not enable ACL access: logs.s3.amazonaws.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := run(func(ctx *pulumi.Context) error {
				ready, err := logBucket(ctx, tt.ownership, tt.sse, tt.policy)
				if err != nil {
					return err
				}
				return tt.writer(ready, ctx)
			})
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
		})
	}
}
