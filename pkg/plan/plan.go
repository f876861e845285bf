// Package plan owns the offline plan: it runs a stack program in-process against the shared mock
// cloud (internal/mockcloud) and turns every registration, invoke and stack output into one
// deterministic document, printed as JSON or Markdown. It needs no AWS account, Pulumi CLI or
// network.
package plan

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/mapper"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"

	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
)

// Version is the version of the plan document's format.
const Version = 1

// Secret replaces every secret value in a plan.
const Secret = "[secret]"

// Plan is what a stack would create: the document the plan command prints and the snapshots
// hold. Equal programs and options give equal plans, byte for byte.
type Plan struct {
	// Version is the document format's version, Version.
	Version int `json:"version"`
	// Project and Stack name the stack planned.
	Project string `json:"project"`
	Stack   string `json:"stack"`
	// Config is the stack's configuration by namespaced key; secrets show as Secret.
	Config map[string]string `json:"config"`
	// Resources are every registration, sorted by URN.
	Resources []Resource `json:"resources"`
	// Invokes are the data-source calls the program made, sorted.
	Invokes []Invoke `json:"invokes"`
	// Outputs are the stack outputs the program returned; secrets show as Secret.
	Outputs map[string]any `json:"outputs"`
	// Assumptions are the facts about the account the plan took for granted: things the stack
	// uses but does not create (its hosted zone, given subnets), which the simulated account
	// does not hold (see Options.AssumeUnknown).
	Assumptions []Assumption `json:"assumptions"`
	// Account is the simulated account the stack left behind, for asking what a visitor would
	// get (mockcloud.Account.Visit). It is not part of the document.
	Account *mockcloud.Account `json:"-"`
}

// Resource is one resource the program registers: a component, a provider or a cloud resource.
type Resource struct {
	// URN is the resource's Pulumi URN: its identity across updates.
	URN string `json:"urn"`
	// ID is the physical id the cloud gave the resource (empty for components).
	ID string `json:"id"`
	// Type is the type token ("aws:lb/loadBalancer:LoadBalancer") and Name the logical name.
	Type string `json:"type"`
	Name string `json:"name"`
	// Custom is false for components, which exist only in Pulumi's state.
	Custom bool `json:"custom"`
	// Parent is the parent's URN ("" at the top).
	Parent string `json:"parent"`
	// Provider is the provider reference ("urn::id"); "" for the stack's default provider.
	Provider string `json:"provider"`
	// DependsOn are the URNs whose outputs flow into this resource's inputs, and those named
	// with pulumi.DependsOn.
	DependsOn []string `json:"dependsOn"`
	// Protect is pulumi.Protect: the engine refuses to delete the resource.
	Protect bool `json:"protect"`
	// IgnoreChanges lists the inputs whose later changes are not applied (only when set).
	IgnoreChanges []string `json:"ignoreChanges,omitempty"`
	// Aliases are the URNs of the same type the resource had before (pulumi.Aliases), under
	// another parent or name: a resource of an older plan under one of them is this one, moved
	// (only when set).
	Aliases []string `json:"aliases,omitempty"`
	// Read marks a resource the program reads (pulumi get) instead of managing it: the engine
	// never creates, changes or deletes it.
	Read bool `json:"read,omitempty"`
	// Unsimulated marks a resource of a type the simulated account does not model (see
	// Options.Strict): its outputs echo its inputs, and no AWS rule was checked for it.
	Unsimulated bool `json:"unsimulated,omitempty"`
	// Inputs are what the AWS provider would receive; Outputs what the account answered (its
	// whole state).
	Inputs  map[string]any `json:"inputs"`
	Outputs map[string]any `json:"outputs"`
}

// Unsimulated returns the resources of types the simulated account does not model.
func (p *Plan) Unsimulated() []Resource {
	var out []Resource
	for _, r := range p.Resources {
		if r.Unsimulated {
			out = append(out, r)
		}
	}
	return out
}

// Invoke is one data-source call the program makes.
type Invoke struct {
	// Token is the data source ("aws:ec2/getSubnet:getSubnet").
	Token string `json:"token"`
	// Args are its arguments.
	Args map[string]any `json:"args"`
	// Provider is the provider reference; "" for the stack's default provider.
	Provider string `json:"provider"`
}

// Program is a stack program that returns its stack outputs instead of exporting them, so that
// the plan can read them back.
type Program func(ctx *pulumi.Context) (pulumi.Map, error)

// Options say which stack to simulate.
type Options struct {
	// Project and Stack name the stack, as the engine would (they are part of every URN).
	Project string
	Stack   string
	// Config holds the stack's configuration with namespaced keys ("aws:region").
	Config map[string]string
	// SecretKeys are the config keys whose values are secret; the plan masks them.
	SecretKeys []string
	// RootDirectory is the project directory, against which the program resolves relative
	// paths (a page file, say).
	RootDirectory string
	// Existing describes what the simulated account holds before the program runs: a zone,
	// subnets, certificates the stack uses but does not create.
	Existing Existing
	// AssumeUnknown, when set, makes the simulated account assume that what it does not hold
	// exists as the stack needs it, instead of failing as AWS would; the plan lists each
	// assumption. For planning a real stack offline.
	AssumeUnknown *Assume
	// Strict refuses a resource type the simulated account does not model, as an error. Without
	// it such a resource (an importer's listener rule or WAF association, say) is answered
	// generically: its inputs echoed, a synthetic id and ARN, marked Unsimulated in the plan.
	// The project's own programs are planned strictly.
	Strict bool
}

// Option changes the Options of RunInRegion and RunInAccount.
type Option func(*Options)

// Strict is the Option that sets Options.Strict.
func Strict(o *Options) { o.Strict = true }

// Assume says what the simulated account assumes about subnets it does not hold.
type Assume struct {
	// VpcID is the VPC assumed subnets are in.
	VpcID string
	// IPv6 gives assumed subnets IPv6 blocks and routes.
	IPv6 bool
}

// Run runs program against a fresh simulated account and returns its plan. An error returned by
// the program (an invalid config, say) is returned as is, with the plan of what the program
// registered before it (no outputs).
func Run(opts Options, program Program) (*Plan, error) {
	cloud := mockcloud.New(opts.Project, opts.Stack, opts.Config["aws:region"])
	cloud.Add(opts.Existing)
	if a := opts.AssumeUnknown; a != nil {
		cloud.AssumeUnknown(a.VpcID, a.IPv6)
	}
	if !opts.Strict {
		cloud.AnswerUnmodelled()
	}
	exports := map[string]pulumi.Output{}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		outs, err := program(ctx)
		if err != nil {
			return err
		}
		for key, v := range outs {
			out := pulumi.ToOutput(v)
			ctx.Export(key, out)
			exports[key] = out
		}
		return nil
	}, cloud.RunOption(), func(info *pulumi.RunInfo) {
		// Nothing of the environment (PULUMI_CONFIG, PULUMI_DRY_RUN, ... when the tests run
		// under the engine, say) reaches the plan: it is the options' alone.
		info.Config = opts.Config
		info.DryRun, info.Parallel, info.Organization = false, 0, ""
		info.ConfigSecretKeys = opts.SecretKeys
		info.RootDirectory = opts.RootDirectory
	})
	runErr := single(err)

	p := &Plan{
		Version:   Version,
		Project:   opts.Project,
		Stack:     opts.Stack,
		Config:    map[string]string{},
		Resources: []Resource{},
		Invokes:   []Invoke{},
		Outputs:   map[string]any{},

		Assumptions: append([]Assumption{}, cloud.Assumptions()...),
		Account:     cloud.Account(),
	}
	secretKeys := map[string]bool{}
	for _, k := range opts.SecretKeys {
		secretKeys[k] = true
	}
	for k, v := range opts.Config {
		if secretKeys[k] {
			v = Secret
		}
		p.Config[k] = v
	}
	for _, r := range cloud.Resources() {
		p.Resources = append(p.Resources, Resource{
			URN: r.URN, ID: r.ID, Type: r.Type, Name: r.Name, Custom: r.Custom, Parent: r.Parent,
			Provider: r.Provider, DependsOn: append([]string{}, r.DependsOn...), Protect: r.Protect,
			IgnoreChanges: r.IgnoreChanges, Aliases: r.Aliases, Read: r.Read, Unsimulated: r.Unsimulated,
			Inputs: plainMap(resource.PropertyMap(r.Inputs)), Outputs: plainMap(resource.PropertyMap(r.Outputs)),
		})
	}
	for _, i := range cloud.Invokes() {
		p.Invokes = append(p.Invokes, Invoke{Token: i.Token, Args: plainMap(i.Args), Provider: i.Provider})
	}
	if runErr != nil {
		return p, runErr
	}
	for key, out := range exports {
		result, err := internals.UnsafeAwaitOutput(context.Background(), out)
		if err != nil {
			return nil, fmt.Errorf("stack output %s: %w", key, err)
		}
		if result.Secret {
			p.Outputs[key] = Secret
			continue
		}
		v, err := roundTrip(result.Value)
		if err != nil {
			return nil, fmt.Errorf("stack output %s: %w", key, err)
		}
		p.Outputs[key] = v
	}
	return p, nil
}

// RunInRegion runs body, a program that registers resources (a component under test, or a whole
// stack of one's own), in a throwaway stack "test" of project "test" whose default AWS provider
// is in region, and returns its plan. It needs no environment: not PULUMI_CONFIG, AWS_REGION or
// credentials. What the program uses but does not create (a hosted zone, subnets, certificates)
// is assumed to exist and listed in the plan's Assumptions; resource types the simulated account
// does not model are answered generically and marked Unsimulated (unless opts include Strict).
func RunInRegion(region string, body func(ctx *pulumi.Context) error, opts ...Option) (*Plan, error) {
	o := testOptions(region, opts)
	o.AssumeUnknown = &Assume{}
	return Run(o, func(ctx *pulumi.Context) (pulumi.Map, error) { return nil, body(ctx) })
}

// RunInAccount runs body like RunInRegion, against an account that holds exactly existing (and
// what body creates): like AWS, it refuses an id it does not hold.
func RunInAccount(region string, existing Existing, body func(ctx *pulumi.Context) error, opts ...Option) (*Plan, error) {
	o := testOptions(region, opts)
	o.Existing = existing
	return Run(o, func(ctx *pulumi.Context) (pulumi.Map, error) { return nil, body(ctx) })
}

func testOptions(region string, opts []Option) Options {
	o := Options{Project: "test", Stack: "test", Config: map[string]string{"aws:region": region}}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// single unwraps the SDK's one-element multierror, so that a config error reads as itself.
func single(err error) error {
	var multi interface{ WrappedErrors() []error }
	if errors.As(err, &multi) && len(multi.WrappedErrors()) == 1 {
		return multi.WrappedErrors()[0]
	}
	return err
}

// JSON renders the plan as indented JSON ending in a newline; equal plans give equal bytes.
func (p *Plan) JSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Find returns the resource of the type and logical name, or nil.
func (p *Plan) Find(typ, name string) *Resource {
	for i := range p.Resources {
		if p.Resources[i].Type == typ && p.Resources[i].Name == name {
			return &p.Resources[i]
		}
	}
	return nil
}

// OfType returns the resources of a type, in URN order.
func (p *Plan) OfType(typ string) []Resource {
	var out []Resource
	for _, r := range p.Resources {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// ByURN returns the resource with the URN, or nil.
func (p *Plan) ByURN(urn string) *Resource {
	i := sort.Search(len(p.Resources), func(i int) bool { return p.Resources[i].URN >= urn })
	if i < len(p.Resources) && p.Resources[i].URN == urn {
		return &p.Resources[i]
	}
	return nil
}

// WaitsFor reports whether the resource with URN from waits, directly or through others, for the
// resource with URN urn: the engine creates it only once that one is made, and deletes it first.
func (p *Plan) WaitsFor(from, urn string) bool {
	seen := map[string]bool{}
	var walk func(string) bool
	walk = func(u string) bool {
		if seen[u] {
			return false
		}
		seen[u] = true
		r := p.ByURN(u)
		if r == nil {
			return false
		}
		for _, d := range r.DependsOn {
			if d == urn || walk(d) {
				return true
			}
		}
		return false
	}
	return walk(from)
}

// Region returns the region a resource is managed in: its provider's, else the stack's.
func (p *Plan) Region(r *Resource) string {
	if r.Provider != "" {
		if prov := p.ByURN(providerURN(r.Provider)); prov != nil {
			if region, ok := prov.Inputs["region"].(string); ok {
				return region
			}
		}
	}
	return p.Config["aws:region"]
}

// providerURN strips the "::id" from a provider reference.
func providerURN(ref string) string {
	if i := strings.LastIndex(ref, "::"); i >= 0 {
		return ref[:i]
	}
	return ref
}

// Get walks a path of object keys and array indexes (ints) from a resource's inputs.
func Get(m map[string]any, path ...any) any {
	var cur any = m
	for _, step := range path {
		switch s := step.(type) {
		case string:
			obj, ok := cur.(map[string]any)
			if !ok {
				return nil
			}
			cur = obj[s]
		case int:
			arr, ok := cur.([]any)
			if !ok || s < 0 || s >= len(arr) {
				return nil
			}
			cur = arr[s]
		}
	}
	return cur
}

func plainMap(m resource.PropertyMap) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if k == "__defaults" {
			continue
		}
		out[string(k)] = plain(v)
	}
	return out
}

// plain turns a property value into JSON-ready data, masking secrets.
func plain(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return Secret
	case v.IsComputed():
		return "[unknown]"
	case v.IsOutput():
		o := v.OutputValue()
		if o.Secret {
			return Secret
		}
		if !o.Known {
			return "[unknown]"
		}
		return plain(o.Element)
	case v.IsNull():
		return nil
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		arr := make([]any, 0, len(v.ArrayValue()))
		for _, e := range v.ArrayValue() {
			arr = append(arr, plain(e))
		}
		return arr
	case v.IsObject():
		return plainMap(v.ObjectValue())
	case v.IsResourceReference():
		return v.ResourceReferenceValue().URN
	case v.IsAsset():
		a := v.AssetValue()
		return map[string]any{"asset": map[string]any{"hash": a.Hash, "path": a.Path, "uri": a.URI}}
	case v.IsArchive():
		a := v.ArchiveValue()
		return map[string]any{"archive": map[string]any{"hash": a.Hash, "path": a.Path, "uri": a.URI}}
	}
	return fmt.Sprint(v)
}

// roundTrip turns a Go value into the same JSON-ready form resources use.
func roundTrip(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	err = json.Unmarshal(b, &out)
	return out, err
}

// Input reads a resource's input key into T: a struct with pulumi tags, such as the pinned
// pulumi-aws SDK's own types (cloudfront.DistributionDefaultCacheBehavior, or
// []route53.RecordAlias), so that a test reads typed fields instead of walking maps with Get. An
// input the resource does not have reads as T's zero value.
func Input[T any](r *Resource, key string) (T, error) {
	var holder struct {
		Value T `pulumi:"value"`
	}
	value, ok := r.Inputs[key]
	if !ok {
		return holder.Value, nil
	}
	if err := mapper.MapI(map[string]any{"value": value}, &holder); err != nil {
		return holder.Value, fmt.Errorf("%s %s: input %s: %w", r.Type, r.Name, key, err)
	}
	return holder.Value, nil
}
