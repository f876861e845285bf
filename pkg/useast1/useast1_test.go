package useast1

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

func TestNewProviderTakesTheStackProfile(t *testing.T) {
	for _, profile := range []string{"", "work"} {
		config := map[string]string{"aws:region": "eu-west-1"}
		if profile != "" {
			config["aws:profile"] = profile
		}
		p, err := plan.Run(plan.Options{Project: "p", Stack: "s", Config: config}, func(ctx *pulumi.Context) (pulumi.Map, error) {
			_, err := NewProvider(ctx, "site")
			return nil, err
		})
		if err != nil {
			t.Fatal(err)
		}
		provider := p.Find("pulumi:providers:aws", "site-us-east-1")
		if provider == nil || provider.Inputs["region"] != "us-east-1" {
			t.Fatalf("provider: %v", provider)
		}
		if got, _ := provider.Inputs["profile"].(string); got != profile {
			t.Errorf("profile = %q, want the stack's %q", got, profile)
		}
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		args *aws.ProviderArgs
		want string
	}{
		{"us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")}, ""},
		{"elsewhere", &aws.ProviderArgs{Region: pulumi.String("us-west-2")}, `Provider: invalid value "us-west-2": a provider with region us-east-1 set explicitly: reasons`},
		{"from the environment", &aws.ProviderArgs{}, `Provider: invalid value "(not set explicitly)"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := plan.RunInRegion("eu-west-1", func(ctx *pulumi.Context) error {
				provider, err := aws.NewProvider(ctx, "given", tt.args)
				if err != nil {
					return err
				}
				return Check(ctx, "Provider", "reasons", provider)
			})
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
		})
	}
}
