package componentpkg

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/stack"
	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/accesslogs"
	"github.com/seed-2b23e6e5/route53-failover/pkg/edgefailover"
	"github.com/seed-2b23e6e5/route53-failover/pkg/errorsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/failoverdns"
	"github.com/seed-2b23e6e5/route53-failover/pkg/mainsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/topology"
)

// component is a Go component the package exposes.
type component struct {
	// typ is its type token, the Go package's Type.
	typ string
	// args and resource are its Args struct and its component struct.
	args, resource reflect.Type
	// build runs its New with args (a *Args) and returns it with its outputs.
	build func(ctx *pulumi.Context, name string, args any, opts ...pulumi.ResourceOption) (pulumi.Resource, pulumi.Map, error)
}

// part exposes a component whose outputs are its own output fields.
func part[A, C any](typ string, newPart func(*pulumi.Context, string, *A, ...pulumi.ResourceOption) (*C, error)) component {
	return component{
		typ: typ, args: reflect.TypeFor[A](), resource: reflect.TypeFor[C](),
		build: func(ctx *pulumi.Context, name string, args any, opts ...pulumi.ResourceOption) (pulumi.Resource, pulumi.Map, error) {
			c, err := newPart(ctx, name, args.(*A), opts...)
			if err != nil {
				return nil, nil, err
			}
			return any(c).(pulumi.Resource), fieldOutputs(reflect.ValueOf(c).Elem()), nil
		},
	}
}

// components are what the package exposes: the whole site, whose outputs are the stack's, and
// the parts a program composes: in DNS mode the failover records, in edge mode the front door
// (which writes the error bucket's policy, since the policy names its distribution).
var components = []component{
	{
		typ: topology.Type, args: reflect.TypeFor[topology.Args](), resource: reflect.TypeFor[topology.FailoverSite](),
		build: func(ctx *pulumi.Context, name string, args any, opts ...pulumi.ResourceOption) (pulumi.Resource, pulumi.Map, error) {
			site, err := topology.New(ctx, name, args.(*topology.Args), opts...)
			if err != nil {
				return nil, nil, err
			}
			return site, stack.Outputs(site), nil
		},
	},
	part(mainsite.Type, mainsite.New),
	part(errorsite.Type, errorsite.New),
	part(failoverdns.Type, failoverdns.New),
	part(edgefailover.Type, edgefailover.New),
}

// inSite reports whether the component is FailoverSite, whose inputs hold the parts' Args
// without what it sets itself.
func (c component) inSite() bool { return c.args == reflect.TypeFor[topology.Args]() }

// find is the component of a type token.
func find(typ string) (component, error) {
	var tokens []string
	for _, c := range components {
		if c.typ == typ {
			return c, nil
		}
		tokens = append(tokens, c.typ)
	}
	return component{}, fmt.Errorf("%s has no component %s; it has %s", Name, typ, strings.Join(tokens, ", "))
}

// Construct builds the component of type typ that a program declared and returns it with its
// outputs; resources are the resources the inputs' values came from, by URN (an output of another
// component, say), which what the component makes with them depends on. It registers nothing
// when the inputs are wrong; an error names the input as the program wrote it.
func Construct(ctx *pulumi.Context, typ, name string, inputs resource.PropertyMap, resources map[resource.URN]pulumi.Resource,
	opts ...pulumi.ResourceOption) (pulumi.Resource, pulumi.Map, error) {
	c, err := find(typ)
	if err != nil {
		return nil, nil, err
	}
	args := reflect.New(c.args)
	if err := (decoder{inSite: c.inSite(), resources: resources}).decodeStruct("", args.Elem(), inputs, nil); err != nil {
		return nil, nil, err
	}
	options, err := pulumi.NewResourceOptions(opts...)
	if err != nil {
		return nil, nil, err
	}
	waitForDependsOn(args.Elem(), c.inSite(), options.DependsOn)
	res, outputs, err := c.build(ctx, name, args.Interface(), opts...)
	if err != nil {
		return nil, nil, validate.Rename(err, SchemaPath)
	}
	return res, outputs, nil
}

// waitForDependsOn makes what in args waits for resources wait for the component's dependsOn: a
// program names a log bucket by value, and the settings that let a writer in (a load balancer's
// bucket policy, CloudFront's ACLs) are resources that cannot cross the schema; nor can the main
// site's origin record and certificate, which the front door's distribution must wait for.
// Pulumi's Go SDK does not make a component's children wait for its dependsOn.
func waitForDependsOn(args reflect.Value, inSite bool, dependsOn []pulumi.Resource) {
	for _, f := range fields(args.Type(), inSite) {
		v := args.FieldByIndex(f.Index)
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				continue
			}
			v = v.Elem()
		}
		switch waits := v.Addr().Interface().(type) {
		case *accesslogs.Destination:
			waits.Ready = append(waits.Ready, dependsOn...)
		case *edgefailover.MainOrigin:
			waits.Ready = append(waits.Ready, dependsOn...)
		default:
			if f.kind == object {
				waitForDependsOn(v, inSite, dependsOn)
			}
		}
	}
}

// fieldOutputs are a part's output fields: its Outputs that are set, and its plain values.
func fieldOutputs(c reflect.Value) pulumi.Map {
	out := pulumi.Map{}
	for _, f := range outputFields(c.Type()) {
		v := c.FieldByIndex(f.Index)
		switch value := v.Interface().(type) {
		case pulumi.StringOutput:
			if !v.IsZero() {
				out[f.name] = value
			}
		case string:
			out[f.name] = pulumi.String(value)
		case int:
			out[f.name] = pulumi.Int(value)
		case bool:
			out[f.name] = pulumi.Bool(value)
		case []string:
			out[f.name] = pulumi.ToStringArray(value)
		}
	}
	return out
}

// outputFields are the fields of a part that are outputs: strings and string outputs, numbers,
// flags and lists of strings. Its resources and settings structs are Go's alone.
func outputFields(t reflect.Type) []field {
	var out []field
	for f := range t.Fields() {
		switch f.Type {
		case reflect.TypeFor[pulumi.StringOutput](), reflect.TypeFor[string](), reflect.TypeFor[int](),
			reflect.TypeFor[bool](), reflect.TypeFor[[]string]():
			if f.IsExported() {
				out = append(out, field{StructField: f, name: PropertyName(f.Name)})
			}
		}
	}
	return out
}

// OutputShapes are the outputs as stack.Outputs builds them for a site with every part, never
// resolved: the schema reads their types.
func OutputShapes() pulumi.Map {
	return stack.Outputs(&topology.FailoverSite{
		MainSite: &mainsite.MainSite{}, ErrorSite: &errorsite.ErrorSite{},
		AccessLogs: &accesslogs.AccessLogs{Bucket: &s3.BucketV2{}},
	})
}
