package mockcloud_test

import (
	"reflect"
	"strings"
	"testing"
	"unicode"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	awsvpc "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"

	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
)

// sdkArgs are the pinned SDK's Args of every type the project uses. A test derives each type's
// token from the Args type's package and name, so nothing here spells a token.
var sdkArgs = []any{
	aws.ProviderArgs{},
	aws.GetAvailabilityZonesArgs{}, aws.GetCallerIdentityArgs{}, aws.GetRegionArgs{},
	acm.CertificateArgs{}, acm.CertificateValidationArgs{},
	autoscaling.GroupArgs{}, autoscaling.PolicyArgs{},
	cloudfront.DistributionArgs{}, cloudfront.OriginAccessControlArgs{},
	cloudwatch.MetricAlarmArgs{},
	ec2.VpcArgs{}, ec2.SubnetArgs{}, ec2.InternetGatewayArgs{}, ec2.RouteTableArgs{}, ec2.RouteArgs{},
	ec2.RouteTableAssociationArgs{}, ec2.SecurityGroupArgs{}, ec2.InstanceArgs{}, ec2.LaunchTemplateArgs{},
	ec2.LookupAmiArgs{}, ec2.GetInstanceTypeArgs{}, ec2.GetInstanceTypeOfferingsArgs{},
	ec2.LookupManagedPrefixListArgs{}, ec2.LookupRouteTableArgs{}, ec2.LookupSubnetArgs{}, ec2.LookupVpcArgs{},
	awsvpc.SecurityGroupIngressRuleArgs{}, awsvpc.SecurityGroupEgressRuleArgs{},
	iam.RoleArgs{}, iam.RolePolicyAttachmentArgs{},
	lambda.FunctionArgs{},
	lb.LoadBalancerArgs{}, lb.TargetGroupArgs{}, lb.TargetGroupAttachmentArgs{}, lb.ListenerArgs{},
	lb.ListenerCertificateArgs{}, lb.ListenerRuleArgs{},
	route53.ZoneArgs{}, route53.RecordArgs{}, route53.HealthCheckArgs{}, route53.LookupZoneArgs{},
	s3.BucketV2Args{}, s3.BucketObjectv2Args{}, s3.BucketPolicyArgs{}, s3.BucketPublicAccessBlockArgs{},
	s3.BucketOwnershipControlsArgs{}, s3.BucketServerSideEncryptionConfigurationV2Args{}, s3.BucketVersioningV2Args{},
	sns.TopicArgs{}, sns.TopicSubscriptionArgs{},
	ssm.LookupParameterArgs{},
}

// tokenOf derives the type token the SDK registers for an Args type: RecordArgs in package
// route53 is "aws:route53/record:Record", LookupSubnetArgs in ec2 is
// "aws:ec2/getSubnet:getSubnet", and package aws is the module "index".
func tokenOf(args reflect.Type) string {
	module := args.PkgPath()[strings.LastIndex(args.PkgPath(), "/")+1:]
	name := strings.TrimSuffix(args.Name(), "Args")
	if module == "aws" && name == "Provider" {
		return "pulumi:providers:aws"
	}
	if module == "aws" {
		module = "index"
	}
	lower := func(s string) string { return string(unicode.ToLower(rune(s[0]))) + s[1:] }
	for _, prefix := range []string{"Lookup", "Get"} {
		if rest, ok := strings.CutPrefix(name, prefix); ok {
			return "aws:" + module + "/get" + rest + ":get" + rest
		}
	}
	return "aws:" + module + "/" + lower(name) + ":" + name
}

// inputsOf returns the struct whose pulumi tags name a type's inputs: a resource's Args hold
// Inputs and name the plain struct by ElementType; a data source's Args are that struct.
func inputsOf(args any) reflect.Type {
	if input, ok := args.(interface{ ElementType() reflect.Type }); ok {
		return input.ElementType()
	}
	return reflect.TypeOf(args)
}

// field finds the input a path ("rootBlockDevice.encrypted") names, walking nested blocks.
func field(t reflect.Type, path string) bool {
	for _, name := range strings.Split(path, ".") {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return false
		}
		found := false
		for i := range t.NumField() {
			if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("pulumi"), ","); tag == name {
				t, found = t.Field(i).Type, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// tagPaths lists the input paths a decoded struct's pulumi tags name, nested blocks included.
func tagPaths(t reflect.Type, prefix string) []string {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	for i := range t.NumField() {
		if t.Field(i).Anonymous { // an embedded struct's inputs are the outer one's
			out = append(out, tagPaths(t.Field(i).Type, prefix)...)
			continue
		}
		tag, _, _ := strings.Cut(t.Field(i).Tag.Get("pulumi"), ",")
		if tag == "" {
			continue
		}
		out = append(out, prefix+tag)
		out = append(out, tagPaths(t.Field(i).Type, prefix+tag+".")...)
	}
	return out
}

// TestRegistryMatchesTheSDK ties mockcloud's registry to the pinned pulumi-aws SDK: every
// registered token is one the SDK registers, and every input path the registry names (what
// replaces a resource, its flags, what a plan shows, what its simulation decodes) is an input
// of that type.
func TestRegistryMatchesTheSDK(t *testing.T) {
	inputs := map[string]reflect.Type{}
	for _, args := range sdkArgs {
		inputs[tokenOf(reflect.TypeOf(args))] = inputsOf(args)
	}
	for _, typ := range mockcloud.Types() {
		in, ok := inputs[typ.Token]
		if !ok {
			t.Errorf("%s: not a type of the pinned SDK (or missing from sdkArgs)", typ.Token)
			continue
		}
		var paths []string
		paths = append(paths, typ.ForceNew...)
		paths = append(paths, typ.KeySettings...)
		for _, flag := range typ.ForceNewWhen {
			paths = append(paths, flag)
		}
		if typ.Inputs != nil {
			paths = append(paths, tagPaths(reflect.TypeOf(typ.Inputs), "")...)
		}
		for _, p := range paths {
			if !field(in, p) {
				t.Errorf("%s: %q is not one of its inputs in the pinned SDK", typ.Token, p)
			}
		}
	}
}

func TestTokenOf(t *testing.T) {
	tests := []struct {
		args any
		want string
	}{
		{route53.RecordArgs{}, "aws:route53/record:Record"},
		{ec2.LookupSubnetArgs{}, "aws:ec2/getSubnet:getSubnet"},
		{aws.GetRegionArgs{}, "aws:index/getRegion:getRegion"},
		{s3.BucketObjectv2Args{}, "aws:s3/bucketObjectv2:BucketObjectv2"},
		{aws.ProviderArgs{}, "pulumi:providers:aws"},
	}
	for _, tt := range tests {
		if got := tokenOf(reflect.TypeOf(tt.args)); got != tt.want {
			t.Errorf("tokenOf(%T) = %s, want %s", tt.args, got, tt.want)
		}
	}
}
