// Package awsplugin owns the simulated AWS plugin: a Pulumi resource provider that the real
// Pulumi engine loads in place of pulumi-aws (for the engine rehearsal, never for a real stack),
// and that answers from the same simulated account as the offline plan (package mockcloud), so
// that a rehearsal's ids and outputs equal the plan's.
//
// Each provider instance the engine starts (the default provider, the us-east-1 one) is its own
// process; they share the account through a file (MOCKCLOUD_ACCOUNT), read and written under an
// exclusive lock for every call, and written only when AWS would have changed (not in previews,
// not on a refused call).
package awsplugin

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
)

// Version is the pulumi-aws version the plugin stands in for.
const Version = "6.83.4"

// AccountEnv names the environment variable that holds the path of the account file.
const AccountEnv = "MOCKCLOUD_ACCOUNT"

// HangEnv names the environment variable that makes the plugin stop answering after it has
// created or updated, in the account, the resource whose URN ends with its value ("TYPE::NAME"):
// AWS did the change, and the engine never hears of it, as when pulumi up is killed while it
// waits. The plugin first writes the file
// HangMarker(account), so that whoever kills pulumi up knows the moment has come.
const HangEnv = "MOCKCLOUD_HANG_AFTER"

// HangMarker is the file the plugin writes when it hangs (HangEnv).
func HangMarker(account string) string { return account + ".hung" }

// RetriesLog is the file to which the plugin adds a line for every AWS answer it retried, as the
// provider would have: a rehearsal reads it to know that AWS's transient answers came.
func RetriesLog(account string) string { return account + ".retries" }

// Server is the simulated AWS plugin.
type Server struct {
	pulumirpc.UnimplementedResourceProviderServer

	account string

	mu     sync.Mutex
	region string
	// attempts is the provider's maxRetries: how many times it sends a throttled request.
	attempts int
}

// DefaultMaxRetries is the provider's maxRetries when the stack sets none: "If omitted, the
// default value is 25" (max_retries, AWS provider for Terraform, which pulumi-aws bridges:
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs#max_retries).
const DefaultMaxRetries = 25

// MaxBackoff caps the wait between two attempts of a throttled request: the AWS SDK for Go's
// standard retryer, which the provider uses, backs off exponentially, with jitter, up to
// DefaultMaxBackoff, 20 seconds (https://pkg.go.dev/github.com/aws/aws-sdk-go-v2/aws/retry),
// scaled down here to a tenth.
const MaxBackoff = 2 * time.Second

// retried runs op, and again, as the provider retries what AWS refuses for a moment
// (mockcloud.RetriedError): for the error's window, polling; or, for a throttled request, up to
// the provider's maxRetries attempts, backing off exponentially.
func (s *Server) retried(op func() (time.Duration, error)) (time.Duration, error) {
	s.mu.Lock()
	attempts := s.attempts
	s.mu.Unlock()
	start := time.Now()
	for attempt := 1; ; attempt++ {
		wait, err := op()
		var transient *mockcloud.RetriedError
		if !errors.As(err, &transient) {
			return wait, err
		}
		var pause time.Duration
		switch {
		case transient.Window > 0 && time.Since(start) < transient.Window:
			pause = 100 * time.Millisecond
		case transient.Window == 0 && attempt < attempts:
			pause = backoff(attempt)
		default:
			return 0, err
		}
		s.logRetry(err)
		time.Sleep(pause)
	}
}

// logRetry adds the answer to RetriesLog; a log that cannot be written loses the line only.
func (s *Server) logRetry(err error) {
	f, openErr := os.OpenFile(RetriesLog(s.account), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if openErr != nil {
		return
	}
	defer f.Close()
	_, _ = fmt.Fprintln(f, strings.ReplaceAll(err.Error(), "\n", " "))
}

// backoff is the wait after a throttled request's attempt: the SDK's 1 s, doubled with every
// attempt, up to its 20 s, scaled down as MaxBackoff is; without the SDK's jitter (one stack's
// few requests need none to spread out). The shift stops where the cap has long been reached.
func backoff(attempt int) time.Duration {
	return min(MaxBackoff, 100*time.Millisecond<<min(attempt-1, 10))
}

// New returns the plugin for the account file named by MOCKCLOUD_ACCOUNT; without it the plugin
// refuses to start, so that it can never act as the AWS plugin of a real stack.
func New() (*Server, error) {
	path := os.Getenv(AccountEnv)
	if path == "" {
		return nil, fmt.Errorf("%s is not set: this plugin simulates an AWS account for the engine rehearsal; install it only into a temporary PULUMI_HOME", AccountEnv)
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("%s: %w", AccountEnv, err)
	}
	return &Server{account: path}, nil
}

var wire = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true}

func unmarshal(s *structpb.Struct) (resource.PropertyMap, error) {
	if s == nil {
		return resource.PropertyMap{}, nil
	}
	return plugin.UnmarshalProperties(s, wire)
}

func marshal(m resource.PropertyMap) (*structpb.Struct, error) {
	return plugin.MarshalProperties(m, wire)
}

// GetPluginInfo says which pulumi-aws version this plugin stands in for.
func (s *Server) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: Version}, nil
}

// CheckConfig refuses a region the account does not have, as the provider refuses an invalid one.
func (s *Server) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	news, err := unmarshal(req.News)
	if err != nil {
		return nil, err
	}
	var failures []*pulumirpc.CheckFailure
	if region := stringValue(news, "region"); region != "" && !mockcloud.KnownRegion(region) {
		failures = append(failures, &pulumirpc.CheckFailure{Property: "region", Reason: fmt.Sprintf("invalid AWS Region: %s", region)})
	}
	return &pulumirpc.CheckResponse{Inputs: req.News, Failures: failures}, nil
}

// DiffConfig reports a changed setting as an update, and a changed region as a replacement of the
// provider, which the engine cascades to every resource it manages: pulumi-aws does so since
// https://github.com/pulumi/pulumi-aws/pull/4000.
func (s *Server) DiffConfig(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	olds, err := unmarshal(req.OldInputs)
	if err != nil {
		return nil, err
	}
	if req.OldInputs == nil {
		if olds, err = unmarshal(req.Olds); err != nil {
			return nil, err
		}
	}
	news, err := unmarshal(req.News)
	if err != nil {
		return nil, err
	}
	var replaces []string
	if stringValue(olds, "region") != stringValue(news, "region") {
		replaces = []string{"region"}
	}
	return diffResponse(plain(olds), plain(news), replaces, nil), nil
}

// Configure takes the provider's region (its own, else aws:region, else AWS_REGION as the
// provider reads it) and refuses an account the settings exclude.
func (s *Server) Configure(_ context.Context, req *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	args, err := unmarshal(req.Args)
	if err != nil {
		return nil, err
	}
	region := stringValue(args, "region")
	for _, candidate := range []string{req.Variables["aws:region"], os.Getenv("AWS_REGION"), os.Getenv("AWS_DEFAULT_REGION")} {
		if region == "" {
			region = candidate
		}
	}
	if !mockcloud.KnownRegion(region) {
		return nil, fmt.Errorf("invalid AWS Region %q: set aws:region (or the provider's region)", region)
	}
	if allowed := stringsValue(args, "allowedAccountIds"); allowed != nil && !slices.Contains(allowed, mockcloud.AccountID) {
		return nil, fmt.Errorf("AWS account ID not allowed: %s", mockcloud.AccountID)
	}
	if slices.Contains(stringsValue(args, "forbiddenAccountIds"), mockcloud.AccountID) {
		return nil, fmt.Errorf("AWS account ID not allowed: %s", mockcloud.AccountID)
	}
	attempts := DefaultMaxRetries
	if n, ok := plainValue(args["maxRetries"]).(float64); ok && n >= 1 {
		attempts = int(n)
	}
	s.mu.Lock()
	s.region, s.attempts = region, attempts
	s.mu.Unlock()
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, AcceptResources: true, SupportsPreview: true}, nil
}

// Check takes the inputs as they are: the simulated account names resources from their URNs
// when it creates them, so that ids and names equal the plan's.
func (s *Server) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.News}, nil
}

// Diff compares the old inputs with the new, property by property; a change at a property the
// provider cannot change in place (mockcloud.ForceNew) replaces the resource. An unknown new value
// counts as a change.
func (s *Server) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	oldsStruct := req.OldInputs
	if oldsStruct == nil {
		oldsStruct = req.Olds
	}
	olds, err := unmarshal(oldsStruct)
	if err != nil {
		return nil, err
	}
	news, err := unmarshal(req.News)
	if err != nil {
		return nil, err
	}
	typ := string(resource.URN(req.Urn).Type())
	oldPlain, newPlain := plain(olds), plain(news)
	var paths []string
	for _, c := range mockcloud.Changes(oldPlain, newPlain) {
		if !ignored(c.Path, req.IgnoreChanges) {
			paths = append(paths, c.Path)
		}
	}
	var replaces []string
	for _, p := range mockcloud.ReplacingPaths(typ, newPlain, paths) {
		replaces = append(replaces, topKey(p))
	}
	return diffResponse(oldPlain, newPlain, replaces, req.IgnoreChanges), nil
}

// diffResponse describes what differs between two sets of inputs, top-level key by key.
func diffResponse(olds, news map[string]any, replaces, ignore []string) *pulumirpc.DiffResponse {
	resp := &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE, HasDetailedDiff: true, DetailedDiff: map[string]*pulumirpc.PropertyDiff{}}
	replaces = uniqueSorted(replaces)
	for _, c := range mockcloud.Changes(olds, news) {
		if ignored(c.Path, ignore) {
			continue
		}
		kind := pulumirpc.PropertyDiff_UPDATE
		switch {
		case c.Old == nil:
			kind = pulumirpc.PropertyDiff_ADD
		case c.New == nil:
			kind = pulumirpc.PropertyDiff_DELETE
		}
		if slices.Contains(replaces, topKey(c.Path)) {
			kind = replacing[kind]
		}
		resp.DetailedDiff[c.Path] = &pulumirpc.PropertyDiff{Kind: kind, InputDiff: true}
		resp.Diffs = append(resp.Diffs, topKey(c.Path))
	}
	resp.Diffs = uniqueSorted(resp.Diffs)
	if len(resp.Diffs) > 0 {
		resp.Changes = pulumirpc.DiffResponse_DIFF_SOME
		resp.Replaces = replaces
	}
	return resp
}

var replacing = map[pulumirpc.PropertyDiff_Kind]pulumirpc.PropertyDiff_Kind{
	pulumirpc.PropertyDiff_ADD:    pulumirpc.PropertyDiff_ADD_REPLACE,
	pulumirpc.PropertyDiff_DELETE: pulumirpc.PropertyDiff_DELETE_REPLACE,
	pulumirpc.PropertyDiff_UPDATE: pulumirpc.PropertyDiff_UPDATE_REPLACE,
}

// Create creates the resource in the account. A preview creates nothing and returns the inputs
// alone, so that the outputs AWS would compute read as unknown; like pulumi-aws, it does not ask
// AWS, so AWS's refusals come with pulumi up (what a preview plans before it does not exist yet).
func (s *Server) Create(_ context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	if req.Preview {
		return &pulumirpc.CreateResponse{Properties: req.Properties}, nil
	}
	inputs, err := unmarshal(req.Properties)
	if err != nil {
		return nil, err
	}
	var id string
	var state resource.PropertyMap
	create := func(c *mockcloud.Cloud) error {
		id, state, err = c.Create(req.Urn, inputs)
		return err
	}
	wait, err := s.retried(func() (time.Duration, error) { return s.withAccount(true, create) })
	if err != nil {
		return nil, err
	}
	time.Sleep(wait)
	s.hangAfter(req.Urn)
	props, err := marshal(withID(state, id))
	return &pulumirpc.CreateResponse{Id: id, Properties: props}, err
}

// withID is a resource's state with its id as the output "id", as a bridged provider such as
// pulumi-aws returns it (policy packs read it).
func withID(state resource.PropertyMap, id string) resource.PropertyMap {
	state = state.Copy()
	state["id"] = resource.NewProperty(id)
	return state
}

// Read returns what the account holds under the id (or the id pulumi import takes, answered with
// the resource's own); an empty id means it is gone.
func (s *Server) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	var id string
	var state, inputs resource.PropertyMap
	var found bool
	if _, err := s.withAccount(false, func(c *mockcloud.Cloud) error {
		id, state, inputs, found = c.Read(string(resource.URN(req.Urn).Type()), req.Id)
		return nil
	}); err != nil {
		return nil, err
	}
	if !found {
		return &pulumirpc.ReadResponse{}, nil
	}
	props, err := marshal(withID(state, id))
	if err != nil {
		return nil, err
	}
	in, err := marshal(inputs)
	if len(inputs) == 0 {
		in = req.Inputs
	}
	return &pulumirpc.ReadResponse{Id: id, Properties: props, Inputs: in}, err
}

// Update changes the resource in place; in a preview it returns the new inputs over the old state.
func (s *Server) Update(_ context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	news, err := unmarshal(req.News)
	if err != nil {
		return nil, err
	}
	if req.Preview {
		olds, err := unmarshal(req.Olds)
		if err != nil {
			return nil, err
		}
		for k, v := range news {
			olds[k] = v
		}
		props, err := marshal(olds)
		return &pulumirpc.UpdateResponse{Properties: props}, err
	}
	var state resource.PropertyMap
	wait, err := s.retried(func() (time.Duration, error) {
		return s.withAccount(true, func(c *mockcloud.Cloud) error {
			state, err = c.Update(req.Urn, req.Id, news)
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	time.Sleep(wait)
	s.hangAfter(req.Urn)
	props, err := marshal(withID(state, req.Id))
	return &pulumirpc.UpdateResponse{Properties: props}, err
}

// Delete deletes the resource from the account.
func (s *Server) Delete(_ context.Context, req *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	wait, err := s.retried(func() (time.Duration, error) {
		return s.withAccount(true, func(c *mockcloud.Cloud) error { return c.Delete(req.Urn, req.Id) })
	})
	time.Sleep(wait)
	return &emptypb.Empty{}, err
}

// Invoke answers a data source from the account.
func (s *Server) Invoke(_ context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	args, err := unmarshal(req.Args)
	if err != nil {
		return nil, err
	}
	var result resource.PropertyMap
	if _, err := s.withAccount(false, func(c *mockcloud.Cloud) error {
		result, err = c.Invoke(req.Tok, args)
		return err
	}); err != nil {
		return nil, err
	}
	ret, err := marshal(result)
	return &pulumirpc.InvokeResponse{Return: ret}, err
}

// Cancel has nothing to stop: every call finishes at once.
func (s *Server) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// hangAfter never returns after a change of the resource HangEnv names.
func (s *Server) hangAfter(urn string) {
	if hang := os.Getenv(HangEnv); hang == "" || !strings.HasSuffix(urn, hang) {
		return
	}
	if err := os.WriteFile(HangMarker(s.account), []byte(urn), 0o644); err == nil {
		select {}
	}
}

// withAccount runs f on the account under the file lock, and saves the account afterwards when
// save is set and f succeeded. It returns how long AWS stays busy with what f did.
func (s *Server) withAccount(save bool, f func(c *mockcloud.Cloud) error) (time.Duration, error) {
	s.mu.Lock()
	region := s.region
	s.mu.Unlock()
	if region == "" {
		return 0, errors.New("the provider is not configured")
	}
	unlock, err := lock(s.account + ".lock")
	if err != nil {
		return 0, err
	}
	defer unlock()
	account, err := mockcloud.LoadAccount(s.account)
	if err != nil {
		return 0, err
	}
	c := mockcloud.ForEngine(account, region)
	if err := f(c); err != nil {
		return 0, err
	}
	if save {
		if err := account.SaveAccount(s.account); err != nil {
			return 0, err
		}
	}
	return c.Wait(), nil
}

// plain turns properties into plain values for comparison: secrets by their value, unknowns as
// a marker that equals nothing known.
func plain(m resource.PropertyMap) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if !strings.HasPrefix(string(k), "__") {
			out[string(k)] = plainValue(v)
		}
	}
	return out
}

type unknown struct{}

func plainValue(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return plainValue(v.SecretValue().Element)
	case v.IsComputed(), v.IsOutput() && !v.OutputValue().Known:
		return unknown{}
	case v.IsOutput():
		return plainValue(v.OutputValue().Element)
	case v.IsArray():
		out := make([]any, len(v.ArrayValue()))
		for i, e := range v.ArrayValue() {
			out[i] = plainValue(e)
		}
		return out
	case v.IsObject():
		return plain(v.ObjectValue())
	case v.IsNull():
		return nil
	}
	return v.V
}

func stringValue(m resource.PropertyMap, key string) string {
	if s, ok := plainValue(m[resource.PropertyKey(key)]).(string); ok {
		return s
	}
	return ""
}

func stringsValue(m resource.PropertyMap, key string) []string {
	list, ok := plainValue(m[resource.PropertyKey(key)]).([]any)
	if !ok {
		return nil
	}
	out := []string{}
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func ignored(path string, ignore []string) bool {
	for _, i := range ignore {
		if path == i || strings.HasPrefix(path, i+".") || strings.HasPrefix(path, i+"[") {
			return true
		}
	}
	return false
}

// topKey is the top-level property of a path: "healthCheck" of "healthCheck.interval".
func topKey(path string) string {
	if i := strings.IndexAny(path, ".["); i >= 0 {
		return path[:i]
	}
	return path
}

func uniqueSorted(list []string) []string {
	sort.Strings(list)
	return slices.Compact(list)
}
