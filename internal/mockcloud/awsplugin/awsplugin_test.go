package awsplugin

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
)

const zoneURN = "urn:pulumi:dev::route53-failover::route53-failover:index:FailoverSite$aws:route53/zone:Zone::site-zone"

func props(t *testing.T, m resource.PropertyMap) *structpb.Struct {
	t.Helper()
	s, err := marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// server returns a plugin on a fresh, empty account file, configured for the region.
func server(t *testing.T, region string) (*Server, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "account.json")
	if err := mockcloud.NewAccount(mockcloud.Existing{}).SaveAccount(path); err != nil {
		t.Fatal(err)
	}
	t.Setenv(AccountEnv, path)
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Configure(context.Background(), &pulumirpc.ConfigureRequest{Args: props(t, resource.PropertyMap{"region": resource.NewProperty(region)})}); err != nil {
		t.Fatal(err)
	}
	return s, path
}

func TestNewRefusesWithoutAnAccount(t *testing.T) {
	t.Setenv(AccountEnv, "")
	if _, err := New(); err == nil || !strings.Contains(err.Error(), AccountEnv) {
		t.Errorf("New() without %s = %v, want an error that names it", AccountEnv, err)
	}
}

func TestConfigure(t *testing.T) {
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	tests := []struct {
		name    string
		args    resource.PropertyMap
		vars    map[string]string
		wantErr string
	}{
		{name: "provider region", args: resource.PropertyMap{"region": resource.NewProperty("eu-west-1")}},
		{name: "stack region", vars: map[string]string{"aws:region": "ap-northeast-1"}},
		{name: "no region", wantErr: `invalid AWS Region ""`},
		{name: "unknown region", args: resource.PropertyMap{"region": resource.NewProperty("eu-west-9")}, wantErr: "eu-west-9"},
		{
			name:    "account not allowed",
			args:    resource.PropertyMap{"region": resource.NewProperty("eu-west-1"), "allowedAccountIds": resource.NewProperty([]resource.PropertyValue{resource.NewProperty("111111111111")})},
			wantErr: "AWS account ID not allowed: " + mockcloud.AccountID,
		},
		{
			name:    "account forbidden",
			args:    resource.PropertyMap{"region": resource.NewProperty("eu-west-1"), "forbiddenAccountIds": resource.NewProperty([]resource.PropertyValue{resource.NewProperty(mockcloud.AccountID)})},
			wantErr: "AWS account ID not allowed: " + mockcloud.AccountID,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Server{account: "unused"}
			_, err := s.Configure(context.Background(), &pulumirpc.ConfigureRequest{Args: props(t, tt.args), Variables: tt.vars})
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Configure: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("Configure = %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestDiffConfigReplacesOnRegionChange(t *testing.T) {
	tests := []struct {
		name         string
		olds, news   resource.PropertyMap
		wantReplaces []string
		wantDiffs    []string
	}{
		{
			name:         "region",
			olds:         resource.PropertyMap{"region": resource.NewProperty("eu-west-1")},
			news:         resource.PropertyMap{"region": resource.NewProperty("eu-central-1")},
			wantReplaces: []string{"region"},
			wantDiffs:    []string{"region"},
		},
		{
			name:      "another setting",
			olds:      resource.PropertyMap{"region": resource.NewProperty("eu-west-1")},
			news:      resource.PropertyMap{"region": resource.NewProperty("eu-west-1"), "profile": resource.NewProperty("ops")},
			wantDiffs: []string{"profile"},
		},
		{
			name: "a secret with the same value",
			olds: resource.PropertyMap{"region": resource.NewProperty("eu-west-1")},
			news: resource.PropertyMap{"region": resource.MakeSecret(resource.NewProperty("eu-west-1"))},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := (&Server{}).DiffConfig(context.Background(), &pulumirpc.DiffRequest{OldInputs: props(t, tt.olds), News: props(t, tt.news)})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(resp.Replaces, tt.wantReplaces) || !slices.Equal(resp.Diffs, tt.wantDiffs) {
				t.Errorf("DiffConfig: replaces %v, diffs %v; want %v, %v", resp.Replaces, resp.Diffs, tt.wantReplaces, tt.wantDiffs)
			}
		})
	}
}

func TestDiff(t *testing.T) {
	zone := resource.PropertyMap{"name": resource.NewProperty("example.com"), "comment": resource.NewProperty("site")}
	with := func(key, value string) resource.PropertyMap {
		m := zone.Copy()
		m[resource.PropertyKey(key)] = resource.NewProperty(value)
		return m
	}
	unknownName := zone.Copy()
	unknownName["name"] = resource.MakeComputed(resource.NewProperty(""))
	tests := []struct {
		name         string
		news         resource.PropertyMap
		ignore       []string
		wantReplaces []string
		wantChange   bool
	}{
		{name: "nothing", news: zone},
		{name: "in place", news: with("comment", "other"), wantChange: true},
		{name: "forces new", news: with("name", "example.org"), wantChange: true, wantReplaces: []string{"name"}},
		{name: "unknown counts as a change", news: unknownName, wantChange: true, wantReplaces: []string{"name"}},
		{name: "ignored", news: with("name", "example.org"), ignore: []string{"name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := (&Server{}).Diff(context.Background(), &pulumirpc.DiffRequest{
				Urn: zoneURN, OldInputs: props(t, zone), News: props(t, tt.news), IgnoreChanges: tt.ignore,
			})
			if err != nil {
				t.Fatal(err)
			}
			if changed := resp.Changes == pulumirpc.DiffResponse_DIFF_SOME; changed != tt.wantChange {
				t.Errorf("changed = %v, want %v (diffs %v)", changed, tt.wantChange, resp.Diffs)
			}
			if !slices.Equal(resp.Replaces, tt.wantReplaces) {
				t.Errorf("replaces = %v, want %v", resp.Replaces, tt.wantReplaces)
			}
		})
	}
}

// A preview creates nothing; pulumi up creates the resource in the account file, where the next
// process (the next provider, the next command) finds it, and deletes it from there.
func TestCreateReadDelete(t *testing.T) {
	s, path := server(t, "eu-west-1")
	ctx := context.Background()
	inputs := props(t, resource.PropertyMap{"name": resource.NewProperty("example.com")})

	preview, err := s.Create(ctx, &pulumirpc.CreateRequest{Urn: zoneURN, Properties: inputs, Preview: true})
	if err != nil {
		t.Fatal(err)
	}
	if preview.Id != "" {
		t.Errorf("a preview created %q", preview.Id)
	}
	if a, err := mockcloud.LoadAccount(path); err != nil || len(a.Resources) != 0 {
		t.Fatalf("after the preview the account holds %d resources (%v)", len(a.Resources), err)
	}

	created, err := s.Create(ctx, &pulumirpc.CreateRequest{Urn: zoneURN, Properties: inputs})
	if err != nil {
		t.Fatal(err)
	}
	state, err := unmarshal(created.Properties)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(created.Id, "Z") || len(state["nameServers"].ArrayValue()) != 4 {
		t.Errorf("created zone %q with name servers %v, want a zone id and four name servers", created.Id, state["nameServers"])
	}
	// As pulumi-aws's, the outputs carry the id: policy packs (AWSGuard) read it there.
	if got := state["id"]; !got.IsString() || got.StringValue() != created.Id {
		t.Errorf("created zone %q has the output id %v", created.Id, got)
	}

	other, err := New() // another provider process, on the same file
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Configure(ctx, &pulumirpc.ConfigureRequest{Args: props(t, resource.PropertyMap{"region": resource.NewProperty("us-east-1")})}); err != nil {
		t.Fatal(err)
	}
	read, err := other.Read(ctx, &pulumirpc.ReadRequest{Urn: zoneURN, Id: created.Id})
	if err != nil || read.Id != created.Id {
		t.Fatalf("Read = %v, %v; want the zone %s", read, err, created.Id)
	}
	if readState, err := unmarshal(read.Properties); err != nil || readState["id"].StringValue() != created.Id {
		t.Errorf("read zone %q has the output id %v (%v)", created.Id, readState["id"], err)
	}

	if _, err := other.Delete(ctx, &pulumirpc.DeleteRequest{Urn: zoneURN, Id: created.Id}); err != nil {
		t.Fatal(err)
	}
	gone, err := s.Read(ctx, &pulumirpc.ReadRequest{Urn: zoneURN, Id: created.Id})
	if err != nil || gone.Id != "" {
		t.Errorf("Read after Delete = %v, %v; want an empty id (gone)", gone, err)
	}
}

// An unconfigured provider refuses to act rather than guess a region.
func TestUnconfiguredRefuses(t *testing.T) {
	_, path := server(t, "eu-west-1")
	t.Setenv(AccountEnv, path)
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Create(context.Background(), &pulumirpc.CreateRequest{Urn: zoneURN, Properties: props(t, resource.PropertyMap{"name": resource.NewProperty("example.com")})}); err == nil || !strings.Contains(err.Error(), "not configured") {
		t.Errorf("Create on an unconfigured provider = %v, want an error", err)
	}
}

// TestVersionIsTheSDKs: the plugin stands in for the pulumi-aws version the program is built
// with, so that the engine, which asks for the SDK's version, loads it; bumping pulumi-aws in
// go.mod without the plugin's Version fails here.
func TestVersionIsTheSDKs(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	sdk := ""
	if m := regexp.MustCompile(`(?m)^\s*github\.com/pulumi/pulumi-aws/sdk/v6 v(\S+)`).FindSubmatch(b); m != nil {
		sdk = string(m[1])
	}
	if sdk != Version {
		t.Errorf("go.mod requires pulumi-aws %q, the simulated plugin is %s: change awsplugin.Version with it", sdk, Version)
	}
}

// TestRetriesAsTheProvider: what AWS refuses for a moment, the plugin retries as the provider
// does, so that pulumi up sees only the time it takes: a Route 53 request throttled while the
// bucket refills, up to the provider's maxRetries attempts; a function whose new role IAM has not
// propagated yet.
func TestRetriesAsTheProvider(t *testing.T) {
	const roleURN = "urn:pulumi:dev::route53-failover::aws:iam/role:Role::edge"
	const functionURN = "urn:pulumi:dev::route53-failover::aws:lambda/function:Function::edge"
	ctx := context.Background()
	zone := props(t, resource.PropertyMap{"name": resource.NewProperty("example.com")})
	tests := []struct {
		name string
		// throttle is Route 53's bucket, shared with another client (nil: not shared).
		throttle   *mockcloud.Throttle
		maxRetries float64
		run        func(t *testing.T, s *Server) error
		wantErr    string
	}{
		{
			name:     "throttled, then the bucket refills",
			throttle: &mockcloud.Throttle{Refill: 5},
			run: func(t *testing.T, s *Server) error {
				_, err := s.Create(ctx, &pulumirpc.CreateRequest{Urn: zoneURN, Properties: zone})
				return err
			},
		},
		{
			// A token every 5 s: the provider's default 25 attempts would get one.
			name:       "throttled beyond maxRetries",
			throttle:   &mockcloud.Throttle{Refill: 0.2},
			maxRetries: 2,
			run: func(t *testing.T, s *Server) error {
				_, err := s.Create(ctx, &pulumirpc.CreateRequest{Urn: zoneURN, Properties: zone})
				return err
			},
			wantErr: "Throttling: Rate exceeded",
		},
		{
			name: "a function right after its role",
			run: func(t *testing.T, s *Server) error {
				trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":["lambda.amazonaws.com"]}}]}`
				role, err := s.Create(ctx, &pulumirpc.CreateRequest{Urn: roleURN, Properties: props(t, resource.PropertyMap{"assumeRolePolicy": resource.NewProperty(trust)})})
				if err != nil {
					return err
				}
				state, err := unmarshal(role.Properties)
				if err != nil {
					return err
				}
				_, err = s.Create(ctx, &pulumirpc.CreateRequest{Urn: functionURN, Properties: props(t, resource.PropertyMap{
					"role": state["arn"], "runtime": resource.NewProperty("nodejs20.x"), "publish": resource.NewProperty(true)})})
				return err
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, path := server(t, "us-east-1")
			if tt.maxRetries != 0 {
				args := resource.PropertyMap{"region": resource.NewProperty("us-east-1"), "maxRetries": resource.NewProperty(tt.maxRetries)}
				if _, err := s.Configure(ctx, &pulumirpc.ConfigureRequest{Args: props(t, args)}); err != nil {
					t.Fatal(err)
				}
			}
			if tt.throttle != nil {
				a, err := mockcloud.LoadAccount(path)
				if err != nil {
					t.Fatal(err)
				}
				tt.throttle.Updated = time.Now()
				a.Throttle = tt.throttle
				if err := a.SaveAccount(path); err != nil {
					t.Fatal(err)
				}
			}
			err := tt.run(t, s)
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("got %v, want %q", err, tt.wantErr)
			}
		})
	}
}
