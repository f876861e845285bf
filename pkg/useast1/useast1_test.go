package useast1

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

// runWithConfig makes the us-east-1 provider in a stack with the given config (aws:region is
// eu-west-1 unless given) and secret keys.
func runWithConfig(config map[string]string, secret ...string) (*plan.Plan, error) {
	if _, ok := config["aws:region"]; !ok {
		config["aws:region"] = "eu-west-1"
	}
	return plan.Run(plan.Options{Project: "p", Stack: "s", Strict: true, Config: config, SecretKeys: secret}, func(ctx *pulumi.Context) (pulumi.Map, error) {
		_, err := NewProvider(ctx, "site")
		return nil, err
	})
}

// TestNewProviderInheritsStackSettings: every aws: setting of the stack but the region reaches the
// us-east-1 provider, typed as the provider's schema types it, so that its resources land in the
// same account, with the same credentials, endpoints and tags.
func TestNewProviderInheritsStackSettings(t *testing.T) {
	p, err := runWithConfig(map[string]string{
		"aws:profile":                   "work",
		"aws:assumeRole":                `{"roleArn":"arn:aws:iam::123456789012:role/deploy","sessionName":"pulumi"}`,
		"aws:allowedAccountIds":         `["123456789012"]`,
		"aws:defaultTags":               `{"tags":{"team":"web"}}`,
		"aws:ignoreTags":                `{"keyPrefixes":["kubernetes.io/"]}`,
		"aws:sharedConfigFiles":         `["/home/me/.aws/config"]`,
		"aws:endpoints":                 `[{"route53":"http://localhost:4566"}]`,
		"aws:skipCredentialsValidation": "true",
		"aws:maxRetries":                "5",
		"aws:region":                    "ap-northeast-1",
	})
	if err != nil {
		t.Fatal(err)
	}
	provider := p.Find(awstype.Provider, "site-us-east-1")
	if provider == nil {
		t.Fatal("no provider")
	}
	want := map[string]any{
		"region":                    "us-east-1",
		"profile":                   "work",
		"assumeRole":                map[string]any{"roleArn": "arn:aws:iam::123456789012:role/deploy", "sessionName": "pulumi"},
		"allowedAccountIds":         []any{"123456789012"},
		"defaultTags":               map[string]any{"tags": map[string]any{"team": "web"}},
		"ignoreTags":                map[string]any{"keyPrefixes": []any{"kubernetes.io/"}},
		"sharedConfigFiles":         []any{"/home/me/.aws/config"},
		"endpoints":                 []any{map[string]any{"route53": "http://localhost:4566"}},
		"skipCredentialsValidation": true,
		"maxRetries":                5.0,
	}
	for k, v := range want {
		if !reflect.DeepEqual(provider.Inputs[k], v) {
			t.Errorf("%s = %#v, want %#v", k, provider.Inputs[k], v)
		}
	}
}

// TestSecretSettingsStaySecret: a setting that is secret in the stack's config is a secret input
// of the provider, and its value appears nowhere in the plan.
func TestSecretSettingsStaySecret(t *testing.T) {
	const key, role = "AKIAEXAMPLESECRET123", "arn:aws:iam::123456789012:role/secret-deploy"
	p, err := runWithConfig(map[string]string{
		"aws:accessKey":  key,
		"aws:secretKey":  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"aws:assumeRole": `{"roleArn":"` + role + `","externalId":"x-42"}`,
	}, "aws:accessKey", "aws:secretKey", "aws:assumeRole")
	if err != nil {
		t.Fatal(err)
	}
	provider := p.Find(awstype.Provider, "site-us-east-1")
	for _, k := range []string{"accessKey", "secretKey", "assumeRole"} {
		if provider.Inputs[k] != plan.Secret {
			t.Errorf("%s = %v, want a secret", k, provider.Inputs[k])
		}
	}
	doc, err := p.JSON()
	if err != nil {
		t.Fatal(err)
	}
	for _, clear := range []string{key, "wJalrXUtnFEMI", role, "x-42"} {
		if strings.Contains(string(doc), clear) {
			t.Errorf("the plan holds %q in clear", clear)
		}
	}
}

func TestMalformedSettingIsRefused(t *testing.T) {
	tests := []struct {
		name   string
		config map[string]string
		secret []string
		want   string
	}{
		{"not a number", map[string]string{"aws:maxRetries": "many"}, nil, `aws:maxRetries: invalid value "many": a value for the AWS provider's maxRetries setting`},
		{"typo inside an object", map[string]string{"aws:assumeRole": `{"roleArnn":"arn:aws:iam::1:role/x"}`}, nil, `aws:assumeRole: invalid value "{\"roleArnn\"`},
		{"secret, not shown", map[string]string{"aws:assumeRole": `{"roleArn":`}, []string{"aws:assumeRole"}, `aws:assumeRole: invalid value "[secret]": a value for the AWS provider's assumeRole setting`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := runWithConfig(tt.config, tt.secret...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			if len(tt.secret) > 0 && strings.Contains(err.Error(), "roleArn") {
				t.Errorf("the error shows the secret: %v", err)
			}
		})
	}
}

// TestCheck: a provider passes when its region is us-east-1, whether given to it or taken from
// AWS_REGION at its creation.
func TestCheck(t *testing.T) {
	tests := []struct {
		name      string
		args      *aws.ProviderArgs
		awsRegion string
		want      string
	}{
		{"us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")}, "eu-west-1", ""},
		{"elsewhere", &aws.ProviderArgs{Region: pulumi.String("us-west-2")}, "us-east-1", `Provider: invalid value "us-west-2": a provider in us-east-1: reasons`},
		{"from the environment", &aws.ProviderArgs{}, "us-east-1", ""},
		{"no region anywhere", &aws.ProviderArgs{}, "", `Provider: invalid value "(none)"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("AWS_REGION", tt.awsRegion)
			t.Setenv("AWS_DEFAULT_REGION", "")
			_, err := plan.RunInRegion("eu-west-1", func(ctx *pulumi.Context) error {
				provider, err := aws.NewProvider(ctx, "given", tt.args)
				if err != nil {
					return err
				}
				return Check(ctx, "Provider", "reasons", provider)
			}, plan.Strict)
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
