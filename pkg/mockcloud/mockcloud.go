// Package mockcloud owns the one simulated AWS account behind the offline plan and every test:
// it answers the Pulumi SDK's mock monitor with realistic ids, ARNs, DNS names and per-region
// hosted zone ids, answers the invokes the program makes, refuses what AWS itself would refuse,
// and records every registration so that a plan can be printed from it.
//
// Every generated value is derived from the resource's URN, so the same program always yields
// the same plan, byte for byte, whatever order goroutines register resources in.
package mockcloud

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// AccountID is the simulated AWS account.
const AccountID = "123456789012"

// CloudFrontZoneID is the hosted zone id of every CloudFront distribution, for alias records.
const CloudFrontZoneID = "Z2FDTNDATAQYW2"

// Resource is one registration the program made, with what the simulated account answered.
type Resource struct {
	URN       string
	ID        string
	Type      string
	Name      string
	Custom    bool
	Parent    string
	Provider  string
	DependsOn []string
	Protect   bool
	// IgnoreChanges are the input paths whose changes are not applied to the live resource.
	IgnoreChanges []string
	Inputs        resource.PropertyMap
	Outputs       resource.PropertyMap
}

// Invoke is one data-source call the program made.
type Invoke struct {
	Token    string
	Provider string
	Args     resource.PropertyMap
	Result   resource.PropertyMap
}

// ExistingSubnet describes a subnet that exists in the account before the program runs.
type ExistingSubnet struct {
	VpcID            string
	AvailabilityZone string
	// IPv6CIDR is the subnet's IPv6 block, if it has one.
	IPv6CIDR string
}

// Cloud is a simulated AWS account. It implements pulumi.MockResourceMonitor.
type Cloud struct {
	project, stack, region string

	// Subnets are the subnets that already exist in the account, by id, for stacks that bring
	// their own network. A subnet not listed here does not exist.
	Subnets map[string]ExistingSubnet

	mu         sync.Mutex
	resources  map[string]Resource
	invokes    []Invoke
	regions    map[string]string // provider reference ("urn::id") -> region
	subnetAZ   map[string]string // subnet id -> availability zone, for subnets the program creates
	subnetIPv6 map[string]bool   // subnet id -> has an IPv6 block, likewise
}

// New returns an empty account for a stack whose default provider is in region.
func New(project, stack, region string) *Cloud {
	return &Cloud{
		project:    project,
		stack:      stack,
		region:     region,
		Subnets:    map[string]ExistingSubnet{},
		resources:  map[string]Resource{},
		regions:    map[string]string{},
		subnetAZ:   map[string]string{},
		subnetIPv6: map[string]bool{},
	}
}

// RunOption returns the pulumi.RunOption that runs a program against this account.
func (c *Cloud) RunOption() pulumi.RunOption {
	return pulumi.WithMocks(c.project, c.stack, c)
}

// Resources returns every registered resource, sorted by URN.
func (c *Cloud) Resources() []Resource {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]Resource, 0, len(c.resources))
	for _, r := range c.resources {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].URN < out[j].URN })
	return out
}

// Invokes returns every invoke, sorted by token, then provider, then arguments.
func (c *Cloud) Invokes() []Invoke {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := append([]Invoke(nil), c.invokes...)
	key := func(i Invoke) string { return i.Token + "\x00" + i.Provider + "\x00" + fmt.Sprint(i.Args.Mappable()) }
	sort.Slice(out, func(i, j int) bool { return key(out[i]) < key(out[j]) })
	return out
}

// NewResource answers a registration (or a read) the way the AWS provider would.
func (c *Cloud) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	parent, protect, deps, ignore := "", false, []string(nil), []string(nil)
	if rpc := args.RegisterRPC; rpc != nil {
		parent, protect, deps, ignore = rpc.GetParent(), rpc.GetProtect(), rpc.GetDependencies(), rpc.GetIgnoreChanges()
	} else if rpc := args.ReadRPC; rpc != nil {
		parent, deps = rpc.GetParent(), rpc.GetDependencies()
	}
	urn := c.urn(parent, args.TypeToken, args.Name)

	c.mu.Lock()
	region := c.region
	if args.Provider != "" {
		r, ok := c.regions[args.Provider]
		if !ok {
			c.mu.Unlock()
			return "", nil, fmt.Errorf("mockcloud: %s uses unknown provider %s", urn, args.Provider)
		}
		region = r
	}
	c.mu.Unlock()

	req := &request{cloud: c, urn: urn, name: args.Name, region: region, inputs: args.Inputs}
	var (
		id      string
		outputs map[string]any
		err     error
	)
	if !args.Custom {
		outputs = map[string]any{}
	} else if answer, ok := answers[args.TypeToken]; ok {
		id, outputs, err = answer(req)
		if err != nil {
			return "", nil, fmt.Errorf("%s: %w", urn, err)
		}
	} else {
		return "", nil, fmt.Errorf("mockcloud: no simulation for resource type %s (%s); add one to pkg/mockcloud",
			args.TypeToken, urn)
	}
	if args.ID != "" {
		id = args.ID
	}
	state := args.Inputs.Copy()
	for k, v := range resource.NewPropertyMapFromMap(outputs) {
		state[k] = v
	}

	deps = append([]string(nil), deps...)
	sort.Strings(deps)
	c.mu.Lock()
	defer c.mu.Unlock()
	if args.TypeToken == "pulumi:providers:aws" {
		c.regions[urn+"::"+id] = req.region
	}
	c.resources[urn] = Resource{
		URN: urn, ID: id, Type: args.TypeToken, Name: args.Name, Custom: args.Custom, Parent: parent,
		Provider: args.Provider, DependsOn: dedupe(deps), Protect: protect, IgnoreChanges: ignore,
		Inputs: args.Inputs, Outputs: state,
	}
	return id, state, nil
}

// Call answers an invoke the way the AWS provider would.
func (c *Cloud) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	region := c.region
	if args.Provider != "" {
		c.mu.Lock()
		r, ok := c.regions[args.Provider]
		c.mu.Unlock()
		if !ok {
			return nil, fmt.Errorf("mockcloud: invoke %s uses unknown provider %s", args.Token, args.Provider)
		}
		region = r
	}
	answer, ok := invokeAnswers[args.Token]
	if !ok {
		return nil, fmt.Errorf("mockcloud: no simulation for invoke %s; add one to pkg/mockcloud", args.Token)
	}
	result, err := answer(c, region, args.Args)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", args.Token, err)
	}
	props := resource.NewPropertyMapFromMap(result)
	c.mu.Lock()
	c.invokes = append(c.invokes, Invoke{Token: args.Token, Provider: args.Provider, Args: args.Args, Result: props})
	c.mu.Unlock()
	return props, nil
}

// urn computes a resource's URN exactly as the SDK's mock monitor does.
func (c *Cloud) urn(parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(c.stack), tokens.PackageName(c.project), parentType,
		tokens.Type(typ), name))
}

// request is one registration being answered.
type request struct {
	cloud  *Cloud
	urn    string
	name   string
	region string
	inputs resource.PropertyMap
}

// hex returns n hex digits derived from the URN and a salt.
func (r *request) hex(salt string, n int) string { return hashHex(r.urn+"\x00"+salt, n) }

func (r *request) str(key string) string {
	v, ok := r.inputs[resource.PropertyKey(key)]
	if !ok {
		return ""
	}
	if v.IsSecret() {
		v = v.SecretValue().Element
	}
	if v.IsString() {
		return v.StringValue()
	}
	return ""
}

func (r *request) strings(key string) []string {
	v, ok := r.inputs[resource.PropertyKey(key)]
	if !ok || !v.IsArray() {
		return nil
	}
	var out []string
	for _, e := range v.ArrayValue() {
		if e.IsString() {
			out = append(out, e.StringValue())
		}
	}
	return out
}

func (r *request) object(key string) resource.PropertyMap {
	v, ok := r.inputs[resource.PropertyKey(key)]
	if !ok || !v.IsObject() {
		return resource.PropertyMap{}
	}
	return v.ObjectValue()
}

// physicalName is the name AWS gets: the given one, else Pulumi's auto-name (logical name plus
// seven random hex digits), cut to the service's limit.
func (r *request) physicalName(max int) string {
	if n := r.str("name"); n != "" {
		return n
	}
	suffix := "-" + r.hex("autoname", 7)
	base := r.name
	if len(base)+len(suffix) > max {
		base = base[:max-len(suffix)]
	}
	return base + suffix
}

func (r *request) arn(service, rest string) string {
	return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, r.region, AccountID, rest)
}

func hashHex(s string, n int) string {
	sum := sha256.Sum256([]byte(s))
	h := hex.EncodeToString(sum[:])
	for len(h) < n {
		h += h
	}
	return h[:n]
}

func hashDigits(s string, n int) string {
	sum := sha256.Sum256([]byte(s))
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		b.WriteByte('0' + sum[i%len(sum)]%10)
	}
	return b.String()
}

func dedupe(sorted []string) []string {
	out := sorted[:0]
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}
