package failover

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	acmtypes "github.com/aws/aws-sdk-go-v2/service/acm/types"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
	"github.com/seed-2b23e6e5/route53-failover/internal/standin"
)

// export is a stack export (pulumi stack export) holding resources.
func export(t *testing.T, resources ...StateResource) *State {
	t.Helper()
	b, err := json.Marshal(map[string]any{"version": 3, "deployment": map[string]any{"resources": resources}})
	if err != nil {
		t.Fatal(err)
	}
	state, err := ReadState(b)
	if err != nil {
		t.Fatal(err)
	}
	return state
}

func tagged(tags map[string]any) map[string]any { return map[string]any{"tags": tags} }

func TestSharedTags(t *testing.T) {
	stackTags := map[string]any{"stack": "shop-dev", "team": "web"}
	withName := maps.Clone(stackTags)
	withName["Name"] = "site-main-vpc"
	secret := maps.Clone(stackTags)
	secret["owner"] = map[string]any{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:..."}
	for _, tt := range []struct {
		name      string
		resources []StateResource
		want      map[string]string
	}{
		{"the tags every tagged resource has", []StateResource{
			{Type: awstype.VPC, Inputs: tagged(withName)},
			{Type: awstype.LoadBalancer, Inputs: tagged(stackTags)},
			{Type: awstype.BucketPolicy, Inputs: map[string]any{"policy": "{}"}}, // not taggable
			{Type: awstype.AutoScalingGroup, Inputs: map[string]any{"tags": []any{map[string]any{"key": "stack", "value": "shop-dev"}}}},
		}, map[string]string{"stack": "shop-dev", "team": "web"}},
		{"a secret value is left out", []StateResource{
			{Type: awstype.VPC, Inputs: tagged(secret)}, {Type: awstype.LoadBalancer, Inputs: tagged(secret)},
		}, map[string]string{"stack": "shop-dev", "team": "web"}},
		{"one taggable resource without them", []StateResource{
			{Type: awstype.VPC, Inputs: tagged(stackTags)}, {Type: awstype.LoadBalancer, Inputs: tagged(map[string]any{})},
		}, map[string]string{}},
		{"a stack without tags", []StateResource{{Type: awstype.VPC, Inputs: map[string]any{}}}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := export(t, tt.resources...).SharedTags(); !maps.Equal(got, tt.want) {
				t.Errorf("SharedTags() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestStateARNsAndRegions(t *testing.T) {
	state := export(t,
		StateResource{Type: awstype.LoadBalancer, ID: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/site-main-alb/50dc6c495c0c9188",
			Outputs: map[string]any{"arn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/site-main-alb/50dc6c495c0c9188"}},
		StateResource{Type: awstype.Bucket, ID: "site-error-bucket-9cfba7d", Outputs: map[string]any{"arn": "arn:aws:s3:::site-error-bucket-9cfba7d"}},
		StateResource{Type: awstype.Record, ID: "Z0EXAMPLE_shop.example.com_A_primary", Outputs: map[string]any{}},
	)
	want := []string{
		"arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/site-main-alb/50dc6c495c0c9188",
		"arn:aws:s3:::site-error-bucket-9cfba7d",
	}
	if got := slices.Sorted(maps.Keys(state.ARNs())); !slices.Equal(got, want) {
		t.Errorf("ARNs() = %v, want %v", got, want)
	}
	// S3's ARNs name no region: the bucket is listed in its own region, which its load
	// balancer's shares here.
	if got := state.regions(); !slices.Equal(got, []string{"eu-west-1", "us-east-1"}) {
		t.Errorf("regions() = %v, want the load balancer's and us-east-1", got)
	}
}

// requestCertificate requests an ACM certificate with tags in region, as a killed pulumi up may
// have, and returns its ARN.
func requestCertificate(t *testing.T, cfg aws.Config, region, domain string, tags map[string]string) string {
	t.Helper()
	in := &acm.RequestCertificateInput{DomainName: aws.String(domain), ValidationMethod: acmtypes.ValidationMethodDns}
	for k, v := range tags {
		in.Tags = append(in.Tags, acmtypes.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	out, err := acm.NewFromConfig(cfg, func(o *acm.Options) { o.Region = region }).RequestCertificate(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.CertificateArn)
}

// TestLeftovers: against moto's Resource Groups Tagging API, check lists what carries every tag
// the stack's resources share but is not in the state, in the stack's region and in us-east-1,
// and nothing else (another stack's, an untagged one, one in the state).
func TestLeftovers(t *testing.T) {
	m := sharedMoto(t)
	ctx := context.Background()
	if err := m.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	cfg := standin.Config(m.URL)
	certificate := func(region, domain string, tags map[string]string) string {
		return requestCertificate(t, cfg, region, domain, tags)
	}
	dev := map[string]string{"stack": "shop-dev", "team": "web"}
	inState := certificate("eu-west-1", "shop.example.com", dev)
	leftBehind := certificate("eu-west-1", "shop.example.com", dev)
	leftInUSEast1 := certificate("us-east-1", "shop.example.com", dev)
	certificate("eu-west-1", "shop.example.com", map[string]string{"stack": "shop-prod", "team": "web"})
	certificate("eu-west-1", "shop.example.com", nil)

	state := export(t, StateResource{Type: awstype.Certificate, ID: inState, Inputs: tagged(map[string]any{"stack": "shop-dev", "team": "web"}),
		Outputs: map[string]any{"arn": inState}})
	probe := &Probe{AWS: cfg}
	tags, leftovers, err := probe.Leftovers(ctx, state)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{leftBehind, leftInUSEast1}
	slices.Sort(want)
	if !maps.Equal(tags, dev) || !slices.Equal(leftovers, want) {
		t.Errorf("Leftovers() = %v tagged %v, want %v tagged %v", leftovers, tags, want, dev)
	}
	result := probe.CheckLeftovers(ctx, state)
	if result.OK || !strings.Contains(result.Detail, leftBehind) || !strings.Contains(result.Detail, "stack=shop-dev,team=web") {
		t.Errorf("the check passes or hides what was left behind: %+v", result)
	}

	// A stack whose resources share no tag: nothing is looked for, and the check says how to
	// make it look.
	untagged := export(t, StateResource{Type: awstype.Certificate, ID: inState, Inputs: map[string]any{}})
	if result := probe.CheckLeftovers(ctx, untagged); !result.OK || !strings.Contains(result.Detail, "tags config key") {
		t.Errorf("an untagged stack: %+v", result)
	}
}
