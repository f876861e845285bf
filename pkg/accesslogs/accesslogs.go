// Package accesslogs owns the bucket that receives the load balancer's and the distribution's
// access logs, as AWS Foundational Security Best Practices ELB.5 and CloudFront.5 ask: private,
// encrypted with S3-managed keys (the only kind a load balancer delivers to), writable by
// Elastic Load Balancing's log delivery under the load balancer's prefix alone, and with ACLs
// enabled, which CloudFront's standard logging needs.
package accesslogs

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/naming"
	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
)

// Type is the component's type token.
const Type = "route53-failover:index:AccessLogs"

// The prefixes each writer's logs go under.
const (
	LoadBalancerPrefix = "alb"
	DistributionPrefix = "cloudfront/"
)

// elbAccounts are the accounts Elastic Load Balancing delivers access logs from in the regions
// available before August 2022; later regions deliver as the service principal
// logdelivery.elasticloadbalancing.amazonaws.com ("Enable access logs for your Application Load
// Balancer", step 2, Elastic Load Balancing User Guide).
var elbAccounts = map[string]string{
	"us-east-1": "127311923021", "us-east-2": "033677994240", "us-west-1": "027434742980", "us-west-2": "797873946194",
	"af-south-1": "098369216593", "ap-east-1": "754344448648", "ap-southeast-3": "589379963580",
	"ap-south-1": "718504428378", "ap-northeast-3": "383597477331", "ap-northeast-2": "600734575887",
	"ap-southeast-1": "114774131450", "ap-southeast-2": "783225319266", "ap-northeast-1": "582318560864",
	"ca-central-1": "985666609251", "eu-central-1": "054676820928", "eu-west-1": "156460612806",
	"eu-west-2": "652711504416", "eu-south-1": "635631232127", "eu-west-3": "009996457667",
	"eu-north-1": "897822967062", "me-south-1": "076674570225", "sa-east-1": "507241528517",
}

// noStandardLogs are the regions CloudFront delivers no standard logs (legacy) to ("Configure
// standard logging (legacy)", Amazon CloudFront Developer Guide).
var noStandardLogs = []string{"af-south-1", "ap-east-1", "ap-south-2", "ap-southeast-3", "ap-southeast-4",
	"ca-west-1", "eu-central-2", "eu-south-1", "eu-south-2", "il-central-1", "me-central-1", "me-south-1"}

// Args configure the log bucket.
type Args struct {
	// Region is the region of the bucket, which must be the load balancer's: Elastic Load
	// Balancing delivers only to a bucket in its own region. Required.
	Region string
	// Tags are added to the bucket. Default none.
	Tags pulumi.StringMap
}

// Validate checks the args before anything is registered.
func (a *Args) Validate() error {
	if a.Region == "" {
		return validate.Invalid("Region", "", "the load balancer's region: required")
	}
	if slices.Contains(noStandardLogs, a.Region) {
		return validate.Invalid("Region", a.Region, "a region CloudFront delivers standard logs to (not "+fmt.Sprint(noStandardLogs)+")")
	}
	return nil
}

// Destination is where a writer puts its logs, and what must exist before it is told to.
type Destination struct {
	// Bucket is the bucket's name for a load balancer, its domain name (NAME.s3.amazonaws.com)
	// for CloudFront. Required.
	Bucket pulumi.StringOutput
	// Prefix is what the writer's log keys start with. Default "": the bucket's top level.
	Prefix string
	// Ready are the bucket settings the writer needs: a load balancer checks the policy when its
	// logging is turned on, CloudFront the ACLs. Default none: the bucket lets the writer in
	// already.
	Ready []pulumi.Resource
}

// AccessLogs is the log bucket with its settings.
type AccessLogs struct {
	pulumi.ResourceState

	// Bucket is the log bucket.
	Bucket *s3.BucketV2
	// PublicAccessBlock blocks every kind of public access.
	PublicAccessBlock *s3.BucketPublicAccessBlock
	// OwnershipControls enable ACLs (BucketOwnerPreferred), for CloudFront's standard logging.
	OwnershipControls *s3.BucketOwnershipControls
	// Encryption is SSE-S3, the one kind a load balancer delivers to.
	Encryption *s3.BucketServerSideEncryptionConfigurationV2
	// Policy lets the region's load balancer log delivery write under LoadBalancerPrefix.
	Policy *s3.BucketPolicy
	// LoadBalancer and Distribution are where each writes.
	LoadBalancer, Distribution Destination
}

// New creates the log bucket. Its settings are written one after another: S3 refuses a
// setting written while another write to the bucket is under way.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*AccessLogs, error) {
	if args == nil {
		args = &Args{}
	}
	if err := args.Validate(); err != nil {
		return nil, err
	}
	logs := &AccessLogs{}
	if err := ctx.RegisterComponentResourceV2(Type, name, pulumi.Map{"region": pulumi.String(args.Region)}, logs, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(logs)
	tags := pulumi.StringMap{"Name": pulumi.String(name)}
	for k, v := range args.Tags {
		tags[k] = v
	}
	var err error
	if logs.Bucket, err = s3.NewBucketV2(ctx, name, &s3.BucketV2Args{Tags: tags}, parent); err != nil {
		return nil, err
	}
	bucket := logs.Bucket.ID()
	after := func(r pulumi.Resource) pulumi.ResourceOption { return pulumi.DependsOn([]pulumi.Resource{r}) }
	if logs.PublicAccessBlock, err = s3.NewBucketPublicAccessBlock(ctx, naming.Child(name, "public-access"), &s3.BucketPublicAccessBlockArgs{
		Bucket: bucket, BlockPublicAcls: pulumi.Bool(true), BlockPublicPolicy: pulumi.Bool(true),
		IgnorePublicAcls: pulumi.Bool(true), RestrictPublicBuckets: pulumi.Bool(true),
	}, parent); err != nil {
		return nil, err
	}
	// CloudFront's standard logging needs ACLs: it grants its log delivery account write access
	// through the bucket's ACL ("Configure standard logging (legacy)").
	if logs.OwnershipControls, err = s3.NewBucketOwnershipControls(ctx, naming.Child(name, "ownership"), &s3.BucketOwnershipControlsArgs{
		Bucket: bucket, Rule: &s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerPreferred")},
	}, parent, after(logs.PublicAccessBlock)); err != nil {
		return nil, err
	}
	if logs.Encryption, err = s3.NewBucketServerSideEncryptionConfigurationV2(ctx, naming.Child(name, "encryption"), &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: bucket, Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm: pulumi.String("AES256"),
			},
		}},
	}, parent, after(logs.OwnershipControls)); err != nil {
		return nil, err
	}
	account, err := aws.GetCallerIdentity(ctx, &aws.GetCallerIdentityArgs{}, parent)
	if err != nil {
		return nil, err
	}
	policy := logs.Bucket.Arn.ApplyT(func(arn string) (string, error) {
		return loadBalancerPolicy(arn, args.Region, account.AccountId)
	}).(pulumi.StringOutput)
	if logs.Policy, err = s3.NewBucketPolicy(ctx, naming.Child(name, "policy"), &s3.BucketPolicyArgs{
		Bucket: bucket, Policy: policy,
	}, parent, after(logs.Encryption)); err != nil {
		return nil, err
	}
	logs.LoadBalancer = Destination{Bucket: logs.Bucket.Bucket, Prefix: LoadBalancerPrefix, Ready: []pulumi.Resource{logs.Policy, logs.Encryption}}
	logs.Distribution = Destination{Bucket: logs.Bucket.BucketDomainName, Prefix: DistributionPrefix, Ready: []pulumi.Resource{logs.OwnershipControls}}
	return logs, ctx.RegisterResourceOutputs(logs, pulumi.Map{"bucket": logs.Bucket.Bucket})
}

// loadBalancerPolicy lets Elastic Load Balancing's log delivery in region put objects under the
// load balancer's prefix of the account's logs, and nothing else.
func loadBalancerPolicy(bucketARN, region, account string) (string, error) {
	principal := map[string]string{"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}
	if id, ok := elbAccounts[region]; ok {
		principal = map[string]string{"AWS": "arn:aws:iam::" + id + ":root"}
	}
	b, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Sid": "LoadBalancerAccessLogs", "Effect": "Allow", "Principal": principal, "Action": "s3:PutObject",
			"Resource": bucketARN + "/" + LoadBalancerPrefix + "/AWSLogs/" + account + "/*",
		}},
	})
	return string(b), err
}
