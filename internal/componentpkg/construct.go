package componentpkg

import (
	"reflect"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/stack"
	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/accesslogs"
	"github.com/seed-2b23e6e5/route53-failover/pkg/errorsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/mainsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/topology"
)

// Construct builds the FailoverSite a program declared and returns it with its outputs, the
// stack program's outputs. It registers nothing when the inputs are wrong.
func Construct(ctx *pulumi.Context, name string, inputs resource.PropertyMap, opts ...pulumi.ResourceOption,
) (*topology.FailoverSite, pulumi.Map, error) {
	args, err := Decode(inputs)
	if err != nil {
		return nil, nil, err
	}
	site, err := topology.New(ctx, name, args, opts...)
	if err != nil {
		return nil, nil, validate.Rename(err, SchemaPath)
	}
	return site, stack.Outputs(site), nil
}

// OutputShapes are the outputs as stack.Outputs builds them for a site with every part, never
// resolved: the schema reads their types.
func OutputShapes() pulumi.Map {
	return stack.Outputs(&topology.FailoverSite{
		MainSite: &mainsite.MainSite{}, ErrorSite: &errorsite.ErrorSite{},
		AccessLogs: &accesslogs.AccessLogs{Bucket: &s3.BucketV2{}},
	})
}

func argsType() reflect.Type { return reflect.TypeFor[topology.Args]() }
func siteType() reflect.Type { return reflect.TypeFor[topology.FailoverSite]() }
