// Package useast1 owns the AWS provider pinned to us-east-1 that the components need whatever
// the stack's region: CloudFront only takes certificates issued there, and Route 53 health check
// metrics (and so their alarms) exist only there.
package useast1

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"

	"github.com/seed-2b23e6e5/route53-failover/pkg/naming"
	"github.com/seed-2b23e6e5/route53-failover/pkg/validate"
)

// Region is us-east-1.
const Region = "us-east-1"

// NewProvider makes a us-east-1 provider named after its owner. It takes the stack's aws:profile,
// if set, so that it acts in the same account as the default provider; other credentials come
// from the environment, as for the default provider.
func NewProvider(ctx *pulumi.Context, owner string, opts ...pulumi.ResourceOption) (*aws.Provider, error) {
	args := &aws.ProviderArgs{Region: pulumi.String(Region)}
	if profile, ok := ctx.GetConfig("aws:profile"); ok && profile != "" {
		args.Profile = pulumi.String(profile)
	}
	return aws.NewProvider(ctx, naming.Child(owner, Region), args, opts...)
}

// Check refuses a provider whose region is not explicitly us-east-1; field names the argument
// that gave it, and why names what needs us-east-1. A provider's region is an input its owner
// gave, so it resolves before the caller registers anything.
func Check(ctx *pulumi.Context, field, why string, provider *aws.Provider) error {
	result, err := internals.UnsafeAwaitOutput(ctx.Context(), provider.Region)
	if err != nil {
		return err
	}
	region, _ := result.Value.(*string)
	if result.Known && region != nil && *region == Region {
		return nil
	}
	got := "(not set explicitly)"
	if region != nil {
		got = *region
	}
	return validate.Invalid(field, got, fmt.Sprintf("a provider with region %s set explicitly: %s", Region, why))
}
