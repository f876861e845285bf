// Package useast1 owns the AWS provider pinned to us-east-1 that the components need whatever
// the stack's region: CloudFront only takes certificates issued there, and Route 53 health check
// metrics (and so their alarms) exist only there.
package useast1

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"

	"github.com/seed-2b23e6e5/route53-failover/internal/naming"
	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
)

// Region is us-east-1.
const Region = "us-east-1"

// NewProvider makes a us-east-1 provider named after its owner. It takes every setting of the
// stack's default AWS provider (aws:profile, aws:assumeRole, aws:allowedAccountIds,
// aws:defaultTags, aws:endpoints, aws:skip..., every key of the provider's schema) but the
// region, so that it acts in the same account, with the same credentials and tags, as the rest
// of the stack. A setting that is secret in the stack's config stays secret in the provider's
// inputs. A value that does not fit the setting's type is an error naming the key.
func NewProvider(ctx *pulumi.Context, owner string, opts ...pulumi.ResourceOption) (*aws.Provider, error) {
	args, err := StackSettings(ctx)
	if err != nil {
		return nil, err
	}
	args.Region = pulumi.String(Region)
	return aws.NewProvider(ctx, naming.Child(owner, Region), args, opts...)
}

// Provider is the one place that decides which us-east-1 provider a component uses: given, when
// its Args name one, else a new one named after owner (see NewProvider).
func Provider(ctx *pulumi.Context, owner string, given *aws.Provider, opts ...pulumi.ResourceOption) (*aws.Provider, error) {
	if given != nil {
		return given, nil
	}
	return NewProvider(ctx, owner, opts...)
}

// StackSettings returns the stack's aws: settings, as provider args, without the region.
func StackSettings(ctx *pulumi.Context) (*aws.ProviderArgs, error) {
	args := &aws.ProviderArgs{}
	target := reflect.ValueOf(args).Elem()
	plain := args.ElementType()
	for i := range plain.NumField() {
		field := plain.Field(i)
		name, _, _ := strings.Cut(field.Tag.Get("pulumi"), ",")
		if name == "" || name == "region" {
			continue
		}
		key := "aws:" + name
		text, set := ctx.GetConfig(key)
		if !set {
			continue
		}
		value, err := settingValue(field.Type, text)
		if err != nil {
			allowed := fmt.Sprintf("a value for the AWS provider's %s setting", name)
			if ctx.IsConfigSecret(key) {
				// The parser's message can quote the value.
				return nil, validate.Masked(validate.Invalid(key, "", allowed))
			}
			return nil, validate.Invalid(key, text, allowed+": "+err.Error())
		}
		out := typedOutput(value)
		if ctx.IsConfigSecret(key) {
			out = pulumi.ToSecret(out)
		}
		target.FieldByName(field.Name).Set(reflect.ValueOf(out))
	}
	return args, nil
}

// typedOutput returns an output of value's type (StringPtrOutput for a *string, say) that resolves
// to value itself. pulumi.ToOutput would copy it, turning nil lists and maps into empty ones, and
// so set sub-settings (assumeRole.policyArns, say) that the stack did not set.
func typedOutput(value reflect.Value) pulumi.Output {
	fn := reflect.MakeFunc(reflect.FuncOf([]reflect.Type{reflect.TypeFor[bool]()}, []reflect.Type{value.Type()}, false),
		func([]reflect.Value) []reflect.Value { return []reflect.Value{value} })
	return pulumi.Bool(true).ToBoolOutput().ApplyT(fn.Interface())
}

// settingValue parses a config value as the provider setting's Go type: a string as it is,
// anything else (a boolean, a number, a list, an object such as assumeRole) as JSON, as Pulumi
// stores typed config. Unknown keys inside an object are refused, so that a typo does not drop
// a setting.
func settingValue(typ reflect.Type, text string) (reflect.Value, error) {
	value := reflect.New(typ)
	if typ.Kind() == reflect.Pointer && typ.Elem().Kind() == reflect.String {
		value.Elem().Set(reflect.ValueOf(&text))
		return value.Elem(), nil
	}
	decoder := json.NewDecoder(bytes.NewReader([]byte(text)))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(value.Interface()); err != nil {
		return reflect.Value{}, err
	}
	return value.Elem(), nil
}

// Check refuses a provider whose region is not us-east-1; field names the argument that gave it,
// and why names what needs us-east-1. A provider's region is an input of its own (aws.NewProvider
// fills it from AWS_REGION or AWS_DEFAULT_REGION when none is given), so it resolves before the
// caller registers anything.
func Check(ctx *pulumi.Context, field, why string, provider *aws.Provider) error {
	result, err := internals.UnsafeAwaitOutput(ctx.Context(), provider.Region)
	if err != nil {
		return err
	}
	region, _ := result.Value.(*string)
	if result.Known && region != nil && *region == Region {
		return nil
	}
	got := "(none)"
	if region != nil && *region != "" {
		got = *region
	}
	return validate.Invalid(field, got, fmt.Sprintf("a provider in %s: %s", Region, why))
}
