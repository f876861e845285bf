// Package mockcloud owns the one simulated AWS account behind the offline plan, every test and
// the engine rehearsal: it answers registrations and invokes with realistic ids, ARNs, DNS names
// and per-region hosted zone ids, refuses what AWS itself would refuse, keeps the account's state
// (what exists before a stack, what stacks created, the DNS record sets of its zones), and records
// every registration so that a plan can be printed from it. Its traffic model answers what a
// visitor gets from the account (visitor.go), and, cut at each protocol, what a client outside
// meets (dataplane.go).
//
// The same account serves two drivers: the Pulumi SDK's mock monitor (NewResource and Call, for
// in-process runs) and the simulated AWS plugin that the real engine talks to (package awsplugin,
// through Create, Update, Delete, Read and Invoke). Every generated value is derived from the
// resource's URN (without the project's name), so the same program always yields the same ids,
// whichever driver runs it, in whatever order goroutines register resources, under whatever
// project name.
//
// Each AWS service has a file of its own (acm.go, autoscaling.go, cloudfront.go, cloudwatch.go,
// ec2.go, elb.go, iam.go, lambda.go, route53.go, s3.go, sns.go) with the rules AWS applies to its
// resources; mockcloud.go is the machinery, account.go the state, visitor*.go and watch.go what
// a visitor would get.
package mockcloud

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
)

// AccountID is the simulated AWS account.
const AccountID = "123456789012"

// CloudFrontZoneID is the hosted zone id of every CloudFront distribution, for alias records.
const CloudFrontZoneID = "Z2FDTNDATAQYW2"

// Invoke is one data-source call the program made.
type Invoke struct {
	// Token is the data source, Provider the provider reference ("" for the default one).
	Token    string
	Provider string
	// Args are its arguments and Result what the account answered.
	Args   resource.PropertyMap
	Result resource.PropertyMap
}

// Assumption is a fact about the account that the simulation took for granted because it was
// asked about something it does not hold (see AssumeUnknown).
type Assumption struct {
	// Kind is what was assumed to exist: "hosted zone", "subnet", "route table", ...
	Kind string `json:"kind"`
	// ID is the id (or name) asked about.
	ID string `json:"id"`
	// Detail is what was assumed about it.
	Detail string `json:"detail"`
}

// Cloud is a simulated AWS account. It implements pulumi.MockResourceMonitor.
type Cloud struct {
	project, stack, region string

	// assume, when set, makes lookups of things the account does not hold answer plausibly
	// and record the answer as an Assumption, instead of failing as AWS would.
	assume *assumptions
	// engine is set when the real engine drives the account: it checks URNs itself, and a
	// replacement is created while the resource it replaces still exists.
	engine bool
	// generic, when set, answers a resource type without a simulation generically instead of
	// failing (see AnswerUnmodelled).
	generic bool

	mu        sync.Mutex
	account   *Account
	program   map[string]*Resource // components, providers and reads of a mock run, by URN
	urns      map[string]bool      // every URN a mock run registered
	providers map[string]string    // provider reference ("urn::id") → region
	invokes   []Invoke
	// wait is how long the last operation keeps AWS busy (see Wait).
	wait time.Duration
	// mainSiteDown makes the visitor model find every instance of an Auto Scaling group failing
	// its checks.
	mainSiteDown bool
	// reload makes the visitor send what a browser sends when it reloads a page it holds
	// (see VisitWithMainSiteDown).
	reload bool
	// stackTransforms records a stack or invoke transform: the plan cannot run it.
	stackTransforms bool
}

type assumptions struct {
	vpcID    string
	ipv6     bool
	made     map[string]Assumption
	subnets  int
	lastArch string
}

// New returns an account for a stack whose default provider is in region. It holds nothing yet;
// Add describes what exists before the stack runs. Unknown ids are errors, as in AWS.
func New(project, stack, region string) *Cloud {
	return &Cloud{
		project:   project,
		stack:     stack,
		region:    region,
		account:   NewAccount(Existing{}),
		program:   map[string]*Resource{},
		urns:      map[string]bool{},
		providers: map[string]string{},
	}
}

// ForEngine returns the account as the engine's AWS plugin sees it from one provider: its region
// and the account's stored state.
func ForEngine(account *Account, region string) *Cloud {
	c := New("", "", region)
	c.account = account
	c.engine = true
	return c
}

// Add describes things that exist in the account before the stack runs.
func (c *Cloud) Add(existing Existing) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.account.Existing.Add(existing)
}

// AssumeUnknown makes the account answer for things it does not hold, for the offline plan of a
// stack whose network, zone or certificates live in a real account: a hosted zone, subnet,
// route table, image, certificate or instance it is asked about is assumed to exist, as the
// stack needs it (subnets in vpcID, in distinct Availability Zones in the order they are asked
// about, public, with IPv6 blocks when ipv6), and each assumption is listed by Assumptions.
func (c *Cloud) AssumeUnknown(vpcID string, ipv6 bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.assume = &assumptions{vpcID: vpcID, ipv6: ipv6, made: map[string]Assumption{}}
}

// AnswerUnmodelled makes the account answer a resource type it does not model (an importer's
// WAF association or listener rule, say) generically: its inputs echoed as its state, with a
// synthetic id and ARN derived from its URN, and the resource marked Unsimulated. Without it, such
// a type is an error, so that the project's own programs only use what the account checks.
func (c *Cloud) AnswerUnmodelled() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.generic = true
}

// Assumptions lists what the account assumed, sorted by kind and id.
func (c *Cloud) Assumptions() []Assumption {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []Assumption
	if c.assume != nil {
		for _, a := range c.assume.made {
			out = append(out, a)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Account returns the account's state. It must not be used while a program runs against it.
func (c *Cloud) Account() *Account { return c.account }

// RunOption returns the pulumi.RunOption that runs a program against this account.
func (c *Cloud) RunOption() pulumi.RunOption {
	return pulumi.WithMocks(c.project, c.stack, c)
}

// Resources returns every resource of the run and the account, sorted by URN.
func (c *Cloud) Resources() []Resource {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []Resource
	for _, r := range c.program {
		out = append(out, *r)
	}
	for _, r := range c.account.sortedResources() {
		out = append(out, *r)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].URN < out[j].URN })
	return out
}

// Invokes returns every invoke, sorted by token, then provider, then arguments.
func (c *Cloud) Invokes() []Invoke {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := append([]Invoke(nil), c.invokes...)
	sort.Slice(out, func(i, j int) bool { return invokeKey(out[i]) < invokeKey(out[j]) })
	return out
}

func invokeKey(i Invoke) string {
	return i.Token + "\x00" + i.Provider + "\x00" + fmt.Sprint(i.Args.Mappable())
}

// RegisterTransform notes a stack transform (ctx.RegisterResourceTransform), which the offline
// plan cannot run (see NewResource).
func (c *Cloud) RegisterTransform(pulumi.ResourceTransform) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stackTransforms = true
}

// RegisterInvokeTransform notes an invoke transform, which the offline plan cannot run either.
func (c *Cloud) RegisterInvokeTransform(pulumi.InvokeTransform) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stackTransforms = true
}

// NewResource answers a registration (or a read) from the SDK's mock monitor the way the engine
// and the AWS provider together would.
func (c *Cloud) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	// The engine runs a resource's transforms (and its ancestors', and the stack's) before the
	// provider sees it; the SDK's mock monitor runs none. A plan without them would show other
	// resources than the engine creates, so it is refused rather than shown.
	if len(args.Transforms) > 0 || c.stackTransforms {
		return "", nil, fmt.Errorf("%s: the offline plan does not run pulumi.Transforms, so it cannot show what the engine "+
			"would create; preview with the engine instead: go run ./cmd/plan sandbox -- pulumi preview", args.Name)
	}
	reg := registration{typ: args.TypeToken, name: args.Name, inputs: args.Inputs, provider: args.Provider}
	if rpc := args.RegisterRPC; rpc != nil {
		reg.parent, reg.protect, reg.deps, reg.ignore = rpc.GetParent(), rpc.GetProtect(), rpc.GetDependencies(), rpc.GetIgnoreChanges()
	} else if rpc := args.ReadRPC; rpc != nil {
		reg.parent, reg.deps = rpc.GetParent(), rpc.GetDependencies()
	}
	reg.urn = c.urn(reg.parent, reg.typ, reg.name)
	if rpc := args.RegisterRPC; rpc != nil {
		for _, alias := range rpc.GetAliases() {
			// A move to another parent or name; the SDK's own aliases of a type's older
			// tokens are not the program's business.
			if urn := c.aliasURN(reg, alias); string(resource.URN(urn).Type()) == reg.typ {
				reg.aliases = append(reg.aliases, urn)
			}
		}
	}
	reg.deps = dedupe(append([]string(nil), reg.deps...))

	c.mu.Lock()
	defer c.mu.Unlock()
	if c.urns[reg.urn] {
		return "", nil, fmt.Errorf("duplicate resource URN %s: two resources of one type have the same name under one parent", reg.urn)
	}
	c.urns[reg.urn] = true
	reg.region = c.region
	if reg.provider != "" {
		region, ok := c.providers[reg.provider]
		if !ok {
			return "", nil, fmt.Errorf("mockcloud: %s uses unknown provider %s", reg.urn, reg.provider)
		}
		reg.region = region
	}

	switch {
	case args.ReadRPC != nil:
		res, err := c.read(reg.typ, args.ID)
		if err != nil {
			return "", nil, fmt.Errorf("%s: %w", reg.urn, err)
		}
		read := reg.resource(res.ID, true)
		read.Read, read.Outputs = true, res.Outputs
		c.program[reg.urn] = read
		return res.ID, resource.PropertyMap(res.Outputs), nil
	case !args.Custom:
		c.program[reg.urn] = reg.resource("", false)
		return "", resource.PropertyMap{}, nil
	case reg.typ == awstype.Provider:
		// Without a region the provider takes AWS_REGION from its environment; the simulated
		// environment is the stack's region.
		region := stringArg(reg.inputs, "region")
		if region == "" {
			region = c.region
		}
		if !KnownRegion(region) {
			return "", nil, fmt.Errorf("%s: invalid AWS region %q: not a region of the aws partition", reg.urn, region)
		}
		id := uuid(hashHex(withoutProject(reg.urn)+"\x00id", 32))
		c.providers[reg.urn+"::"+id] = region
		p := reg.resource(id, true)
		p.Region = region
		p.Outputs = Properties(reg.inputs.Copy())
		c.program[reg.urn] = p
		return id, reg.inputs.Copy(), nil
	}
	res, err := c.create(reg)
	if err != nil {
		return "", nil, err
	}
	return res.ID, resource.PropertyMap(res.Outputs), nil
}

// Call answers an invoke from the SDK's mock monitor the way the AWS provider would.
func (c *Cloud) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	region := c.region
	if args.Provider != "" {
		r, ok := c.providers[args.Provider]
		if !ok {
			return nil, fmt.Errorf("mockcloud: invoke %s uses unknown provider %s", args.Token, args.Provider)
		}
		region = r
	}
	result, err := c.invoke(args.Token, region, args.Args)
	if err != nil {
		return nil, err
	}
	c.invokes = append(c.invokes, Invoke{Token: args.Token, Provider: args.Provider, Args: args.Args, Result: result})
	return result, nil
}

// Create creates a resource for the engine and returns its id and state (inputs and outputs).
func (c *Cloud) Create(urn string, inputs resource.PropertyMap) (string, resource.PropertyMap, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	u := resource.URN(urn)
	if err := c.account.Throttle.take(string(u.Type()), time.Now()); err != nil {
		return "", nil, err
	}
	generation := c.account.Generations[urn]
	res, err := c.create(registration{urn: urn, typ: string(u.Type()), name: u.Name(), region: c.region, inputs: inputs, generation: generation})
	if err != nil {
		return "", nil, err
	}
	c.account.Generations[urn] = generation + 1
	c.account.observe("create", urn)
	return res.ID, resource.PropertyMap(res.Outputs), nil
}

// Update changes a resource in place for the engine and returns its new state; its id stays.
func (c *Cloud) Update(urn, id string, news resource.PropertyMap) (resource.PropertyMap, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.account.Throttle.take(string(resource.URN(urn).Type()), time.Now()); err != nil {
		return nil, err
	}
	old, ok := c.stored(urn, id)
	if !ok {
		// What no resource of the account wrote: an imported record set, say.
		read, err := c.read(string(resource.URN(urn).Type()), id)
		if err != nil {
			return nil, fmt.Errorf("%s: %s does not exist", urn, id)
		}
		old = read
		old.URN, old.Name = urn, resource.URN(urn).Name()
	}
	// Undo what the old inputs did (a record set, say), then apply the new ones as a creation
	// would; the simulated account is saved only if this succeeds. For a record set that is
	// one change batch, which Route 53 applies all or nothing (ChangeResourceRecordSets, Route 53
	// API Reference), so no visitor sees the name without it.
	// Under the URN it was created with: AWS keeps a resource's names and ids when the engine
	// moves it to another URN.
	c.remove(old)
	res, err := c.create(registration{urn: old.URN, typ: old.Type, name: old.Name, region: old.Region, inputs: news, generation: old.Generation, previous: old})
	if err != nil {
		return nil, err
	}
	if res.ID != id {
		delete(c.account.Resources, key(res.URN, res.ID))
		res.ID = id
		c.account.Resources[key(res.URN, id)] = res
	}
	c.account.observe("update", urn)
	return resource.PropertyMap(res.Outputs), nil
}

// stored finds the resource the engine calls urn with the id. The engine moves a resource to
// another URN (pulumi.Aliases: "existing resources will be migrated to the new name instead of
// being deleted and replaced", https://www.pulumi.com/docs/iac/concepts/resources/options/aliases/)
// without telling the provider, while AWS knows only ids: a resource
// of the URN's type with that id, stored under another URN, is that resource. The account keeps
// it under the URN it was created with, whose name its physical names derive from.
func (c *Cloud) stored(urn, id string) (*Resource, bool) {
	if res, ok := c.account.Resources[key(urn, id)]; ok {
		return res, true
	}
	return c.resource(string(resource.URN(urn).Type()), id)
}

// Delete deletes a resource for the engine. Deleting what is already gone succeeds, as the AWS
// provider's deletes do.
func (c *Cloud) Delete(urn, id string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.account.Throttle.take(string(resource.URN(urn).Type()), time.Now()); err != nil {
		return err
	}
	res, ok := c.stored(urn, id)
	if !ok {
		return nil
	}
	if check := Lookup(res.Type).checkDelete; check != nil {
		if err := check(c, res); err != nil {
			return err
		}
	}
	c.remove(res)
	c.account.observe("delete", urn)
	return nil
}

// Read returns the id, state and inputs of a resource by type and id (or the id pulumi import
// takes), for the engine, and whether it exists.
func (c *Cloud) Read(typ, id string) (readID string, state, inputs resource.PropertyMap, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	res, err := c.read(typ, id)
	if err != nil {
		return "", nil, nil, false
	}
	return res.ID, resource.PropertyMap(res.Outputs), resource.PropertyMap(res.Inputs), true
}

// Invoke answers a data-source call for the engine.
func (c *Cloud) Invoke(token string, args resource.PropertyMap) (resource.PropertyMap, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.invoke(token, c.region, args)
}

// Wait returns how long the engine's plugin must wait before it answers the last operation:
// the time AWS stays busy with it (a bucket setting, say), so that an unordered second write
// meanwhile is refused as AWS refuses it.
func (c *Cloud) Wait() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.wait
}

// registration is one resource being created.
type registration struct {
	urn, typ, name, region, parent, provider string
	inputs                                   resource.PropertyMap
	deps, ignore, aliases                    []string
	protect                                  bool
	generation                               int
	// previous is the resource an update changes (nil for a creation).
	previous *Resource
}

func (reg registration) resource(id string, custom bool) *Resource {
	return &Resource{
		URN: reg.urn, ID: id, Type: reg.typ, Name: reg.name, Custom: custom, Parent: reg.parent,
		Provider: reg.provider, DependsOn: reg.deps, Protect: reg.protect, IgnoreChanges: reg.ignore,
		Aliases: reg.aliases, Inputs: Properties(reg.inputs), Outputs: Properties(resource.PropertyMap{}),
	}
}

// create runs the type's simulation and stores the resource. The caller holds c.mu, so a check
// and the state it guards are always taken together.
func (c *Cloud) create(reg registration) (*Resource, error) {
	simulate := Lookup(reg.typ).simulate
	ok := simulate != nil
	switch {
	case !ok && c.generic:
		simulate = unmodelled
	case !ok:
		return nil, fmt.Errorf("mockcloud: no simulation for resource type %s (%s); add one to internal/mockcloud", reg.typ, reg.urn)
	}
	r := &request{cloud: c, reg: reg}
	id, outputs, err := simulate(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", reg.urn, err)
	}
	k := key(reg.urn, id)
	if _, taken := c.account.Resources[k]; taken {
		switch repeated := Lookup(reg.typ).Repeated; {
		case repeated == nil:
			return nil, fmt.Errorf("%s: mockcloud gave the id %s twice", reg.urn, id)
		case !repeated.Upsert:
			return nil, fmt.Errorf("%s: %w", reg.urn, errorf(repeated.Code, "%s %s exists already", reg.typ, id))
		}
	}
	state := reg.inputs.Copy()
	for k, v := range resource.NewPropertyMapFromMap(outputs) {
		state[k] = v
	}
	res := reg.resource(id, true)
	res.Region = reg.region
	res.Outputs = Properties(state)
	res.Generation = reg.generation
	res.Unsimulated = !ok
	c.account.Resources[k] = res
	if r.after != nil {
		r.after(res)
	}
	return res, nil
}

// remove deletes a resource and what it wrote beyond itself.
func (c *Cloud) remove(res *Resource) {
	if undo := Lookup(res.Type).undo; undo != nil {
		undo(c, res)
	}
	delete(c.account.Resources, key(res.URN, res.ID))
}

// read finds a resource by type and id. A record is what its zone holds: the record set, as a
// resource that wrote it stored it, or as read back when none did (or when the one that did
// was deleted with it).
func (c *Cloud) read(typ, id string) (*Resource, error) {
	if typ == awstype.Record {
		// A resource keeps its id when an update gives its record set another set identifier
		// (the engine keeps the id an update started with), so it is found first.
		if res, ok := c.resource(typ, id); ok {
			if _, held := c.account.RecordSets[storedRecordSet(res).key()]; held {
				return res, nil
			}
		}
		rs, ok := c.recordSetByID(id)
		if !ok {
			return nil, fmt.Errorf("NotFound: no record set %s", id)
		}
		// Read back, as on import: the inputs that would write it are its state.
		state := Properties(resource.NewPropertyMapFromMap(rs.state()))
		return &Resource{ID: id, Type: typ, Custom: true, Inputs: state, Outputs: state}, nil
	}
	if res, ok := c.resource(typ, id); ok {
		return res, nil
	}
	if res, ok := c.byImportID(typ, id); ok {
		return res, nil
	}
	return nil, fmt.Errorf("NotFound: %s %s does not exist", typ, id)
}

// byImportID finds, for pulumi import, a resource by the id the AWS provider imports it by where
// that is not the id AWS gives it: a route by ROUTETABLEID_DESTINATION ("Import",
// https://www.pulumi.com/registry/packages/aws/api-docs/ec2/route/#import) and a subnet's route
// table association by SUBNETID/ROUTETABLEID
// (https://www.pulumi.com/registry/packages/aws/api-docs/ec2/routetableassociation/#import).
// The resource read back has its own id, which the state then keeps.
func (c *Cloud) byImportID(typ, id string) (*Resource, bool) {
	for _, r := range c.ofType(typ) {
		switch typ {
		case awstype.Route:
			in := storedInputs[routeInputs](r)
			if id == in.RouteTableID+"_"+in.DestinationCidrBlock+in.DestinationIpv6CidrBlock {
				return r, true
			}
		case awstype.RouteTableAssociation:
			if in := storedInputs[routeTableAssociationInputs](r); id == in.SubnetID+"/"+in.RouteTableID {
				return r, true
			}
		}
	}
	return nil, false
}

// urn computes a resource's URN exactly as the engine does.
func (c *Cloud) urn(parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(c.stack), tokens.PackageName(c.project), parentType,
		tokens.Type(typ), name))
}

// aliasURN is the URN an alias names, as the engine resolves a spec: each part left out is the
// resource's own (its name, type, parent, stack and project).
func (c *Cloud) aliasURN(reg registration, alias *pulumirpc.Alias) string {
	if urn := alias.GetUrn(); urn != "" {
		return urn
	}
	spec := alias.GetSpec()
	name, typ, parent := reg.name, reg.typ, reg.parent
	if spec.GetName() != "" {
		name = spec.GetName()
	}
	if spec.GetType() != "" {
		typ = spec.GetType()
	}
	switch {
	case spec.GetNoParent():
		parent = ""
	case spec.GetParentUrn() != "":
		parent = spec.GetParentUrn()
	}
	stack, project := c.stack, c.project
	if spec.GetStack() != "" {
		stack = spec.GetStack()
	}
	if spec.GetProject() != "" {
		project = spec.GetProject()
	}
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(stack), tokens.PackageName(project), parentType, tokens.Type(typ), name))
}

// assumed records an assumption (in Assume mode) and reports whether the account may assume.
func (c *Cloud) assumed(kind, id, detail string) bool {
	if c.assume == nil {
		return false
	}
	c.assume.made[kind+"\x00"+id] = Assumption{Kind: kind, ID: id, Detail: detail}
	return true
}

// request is one registration being answered by a type's simulation.
type request struct {
	cloud *Cloud
	reg   registration
	// after, when set, runs once the resource is stored (to write a record set, say).
	after func(res *Resource)
}

func (r *request) region() string { return r.reg.region }

// others are the account's resources of typ but the one the request updates: what a create
// or an update can conflict with.
func (r *request) others(typ string) []*Resource {
	var out []*Resource
	for _, res := range r.cloud.ofType(typ) {
		if res != r.reg.previous {
			out = append(out, res)
		}
	}
	return out
}

// hex returns n hex digits derived from the URN, the generation and a salt.
// seedURN is the URN seed derives from.
func (r *request) seedURN() string { return slices.Max(append([]string{r.reg.urn}, r.reg.aliases...)) }

func (r *request) hex(salt string, n int) string { return hashHex(r.seed()+"\x00"+salt, n) }

// seed is what the resource's ids derive from: its URN, or, when it has aliases (pulumi.Aliases),
// the one of its URN and aliases that sorts last. The engine keeps a resource's id when it moves
// it to another URN, and a stack names one AWS resource the same way from either side of a move
// (its failover modes), so each side's plan shows the same id. (Last, not first: for this
// project's components that is the URN the resource had first, so the snapshots keep its ids.)
func (r *request) seed() string {
	seed := withoutProject(r.seedURN())
	if r.reg.generation > 0 {
		return fmt.Sprintf("%s\x00%d", seed, r.reg.generation)
	}
	return seed
}

// withoutProject is a URN without the project's name: what ids and names derive from, so that a
// project made from the template by pulumi new (named otherwise) plans the example stacks with the
// template's ids, and their snapshots hold.
func withoutProject(urn string) string {
	if parts := strings.SplitN(urn, "::", 3); len(parts) == 3 {
		return parts[0] + "::" + parts[2]
	}
	return urn
}

func (r *request) str(key string) string { return stringArg(r.reg.inputs, key) }

// dependsOn reports whether the resource waits for (depends on, directly or not) the resource with
// the given URN. Only mock runs know dependencies; under the engine it is always true, because the
// engine's own ordering already shows in the account's state.
func (r *request) dependsOn(urn string) bool {
	if r.cloud.engine {
		return true
	}
	seen := map[string]bool{}
	var walk func(deps []string) bool
	walk = func(deps []string) bool {
		for _, d := range deps {
			if d == urn {
				return true
			}
			if seen[d] {
				continue
			}
			seen[d] = true
			if res := r.cloud.byURN(d); res != nil && walk(res.DependsOn) {
				return true
			}
		}
		return false
	}
	return walk(r.reg.deps)
}

func (c *Cloud) byURN(urn string) *Resource {
	if r, ok := c.program[urn]; ok {
		return r
	}
	for _, r := range c.account.Resources {
		if r.URN == urn {
			return r
		}
	}
	return nil
}

// physicalName is the name AWS gets: the given one, else Pulumi's auto-name (logical name plus
// seven random hex digits), cut to the service's limit. The logical name is the seed's: a moved
// resource keeps the name it was made with.
func (r *request) physicalName(max int) string {
	if n := r.str("name"); n != "" {
		return n
	}
	suffix := "-" + r.hex("autoname", 7)
	base := resource.URN(r.seedURN()).Name()
	if len(base)+len(suffix) > max {
		base = base[:max-len(suffix)]
	}
	return base + suffix
}

func (r *request) arn(service, rest string) string {
	return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, r.region(), AccountID, rest)
}

func stringArg(m resource.PropertyMap, key string) string {
	v, ok := m[resource.PropertyKey(key)]
	if !ok {
		return ""
	}
	v = unwrap(v)
	if v.IsString() {
		return v.StringValue()
	}
	return ""
}

func stringsArg(m resource.PropertyMap, key string) []string {
	v := unwrap(m[resource.PropertyKey(key)])
	if !v.IsArray() {
		return nil
	}
	var out []string
	for _, e := range v.ArrayValue() {
		if e = unwrap(e); e.IsString() {
			out = append(out, e.StringValue())
		}
	}
	return out
}

func boolArg(m resource.PropertyMap, key string) bool {
	v := unwrap(m[resource.PropertyKey(key)])
	return v.IsBool() && v.BoolValue()
}

func number(m resource.PropertyMap, key string) float64 {
	v := unwrap(m[resource.PropertyKey(key)])
	if v.IsNumber() {
		return v.NumberValue()
	}
	return 0
}

// unwrap looks through secrets and known outputs to the value.
func unwrap(v resource.PropertyValue) resource.PropertyValue {
	for {
		switch {
		case v.IsSecret():
			v = v.SecretValue().Element
		case v.IsOutput() && v.OutputValue().Known:
			v = v.OutputValue().Element
		default:
			return v
		}
	}
}

// unmodelled answers a resource type without a simulation: a synthetic id and ARN in the
// type's service ("aws:wafv2/webAclAssociation:WebAclAssociation" is in wafv2), nothing checked.
func unmodelled(r *request) (string, map[string]any, error) {
	typ := tokens.Type(r.reg.typ)
	service, kind, _ := strings.Cut(string(typ.Module().Name()), "/")
	if kind == "" {
		kind = strings.ToLower(string(typ.Name()))
	}
	id := strings.ToLower(string(typ.Name())) + "-" + hashHex(r.reg.urn+"\x00id", 17)
	return id, map[string]any{
		"id":  id,
		"arn": fmt.Sprintf("arn:aws:%s:%s:%s:%s/%s", service, r.reg.region, AccountID, kind, id),
	}, nil
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

func uuid(h string) string {
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func dedupe(list []string) []string {
	sort.Strings(list)
	out := list[:0]
	for i, s := range list {
		if i == 0 || s != list[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// errorf builds an AWS-style error: the error code, then the message.
func errorf(code, format string, args ...any) error {
	return errors.New(code + ": " + fmt.Sprintf(format, args...))
}
