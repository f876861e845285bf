package plan

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

type component struct{ pulumi.ResourceState }

func TestSecretsAreMasked(t *testing.T) {
	opts := Options{Project: "p", Stack: "s", Config: map[string]string{"aws:region": "us-east-1", "p:token": "hunter2"},
		SecretKeys: []string{"p:token"}}
	p, err := Run(opts, func(ctx *pulumi.Context) (pulumi.Map, error) {
		c := &component{}
		err := ctx.RegisterComponentResourceV2("test:index:Thing", "thing",
			pulumi.Map{"password": pulumi.ToSecret(pulumi.String("hunter2")), "user": pulumi.String("admin")}, c)
		if err != nil {
			return nil, err
		}
		return pulumi.Map{"password": pulumi.ToSecret(pulumi.String("hunter2")), "user": pulumi.String("admin")}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "hunter2") {
		t.Fatalf("a secret is printed:\n%s", b)
	}
	if strings.Contains(p.Markdown(), "hunter2") {
		t.Fatal("a secret is printed in Markdown")
	}
	thing := p.Find("test:index:Thing", "thing")
	if thing.Inputs["password"] != Secret || thing.Inputs["user"] != "admin" {
		t.Errorf("inputs = %v", thing.Inputs)
	}
	if p.Outputs["password"] != Secret || p.Outputs["user"] != "admin" || p.Config["p:token"] != Secret {
		t.Errorf("outputs = %v, config = %v", p.Outputs, p.Config)
	}
}

func TestGet(t *testing.T) {
	m := map[string]any{"a": []any{map[string]any{"b": 1.0}}}
	if Get(m, "a", 0, "b") != 1.0 || Get(m, "a", 1) != nil || Get(m, "x", "y") != nil {
		t.Fatal("Get")
	}
}

// logGroup registers a resource type the simulated account does not model (an importer's own).
func logGroup(ctx *pulumi.Context) error {
	_, err := cloudwatch.NewLogGroup(ctx, "logs", &cloudwatch.LogGroupArgs{
		RetentionInDays: pulumi.Int(14),
	})
	return err
}

// TestUnmodelledTypes: by default a type the account does not model is answered generically and
// listed as unsimulated; Strict makes it an error, as the project's own tests need.
func TestUnmodelledTypes(t *testing.T) {
	p, err := RunInRegion("eu-west-1", logGroup)
	if err != nil {
		t.Fatal(err)
	}
	logs := p.Find("aws:cloudwatch/logGroup:LogGroup", "logs")
	if logs == nil || !logs.Unsimulated || len(p.Unsimulated()) != 1 {
		t.Fatalf("the log group is not listed as unsimulated: %+v", logs)
	}
	if arn, _ := logs.Outputs["arn"].(string); !strings.HasPrefix(arn, "arn:aws:cloudwatch:eu-west-1:123456789012:logGroup/") ||
		logs.Outputs["retentionInDays"] != 14.0 || logs.ID == "" {
		t.Errorf("the log group's state is not its inputs with an id and an ARN: id %q, %v", logs.ID, logs.Outputs)
	}
	if !strings.Contains(p.Markdown(), "not simulated") {
		t.Error("the Markdown does not say that the log group is not simulated")
	}

	_, err = RunInRegion("eu-west-1", logGroup, Strict)
	if err == nil || !strings.Contains(err.Error(), "no simulation for resource type aws:cloudwatch/logGroup:LogGroup") {
		t.Fatalf("strict: error = %v", err)
	}
}

// TestNothingFromTheEnvironment: a plan is the options' alone, whatever the environment says
// (a test run under the engine, or by someone with AWS settings).
func TestNothingFromTheEnvironment(t *testing.T) {
	program := func(ctx *pulumi.Context) error {
		if region, _ := ctx.GetConfig("aws:region"); region != "eu-west-1" || ctx.DryRun() {
			return fmt.Errorf("the program sees region %q, dry run %v", region, ctx.DryRun())
		}
		return logGroup(ctx)
	}
	clean, err := RunInRegion("eu-west-1", program)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		"PULUMI_CONFIG": `{"aws:region":"us-west-2"}`, "PULUMI_DRY_RUN": "true", "PULUMI_PROJECT": "other",
		"PULUMI_STACK": "other", "AWS_REGION": "us-west-2", "AWS_DEFAULT_REGION": "us-west-2", "PULUMI_CONFIG_SECRET_KEYS": `["aws:region"]`,
	} {
		t.Setenv(k, v)
	}
	dirty, err := RunInRegion("eu-west-1", program)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := clean.JSON()
	b, _ := dirty.JSON()
	if string(a) != string(b) {
		t.Errorf("the environment changes the plan:\n%s\n%s", a, b)
	}
}

// TestTransformsAreRefused: the engine runs pulumi.Transforms (a resource's, its ancestors', the
// stack's) and the SDK's mock monitor runs none, so a plan of a program that has any would show
// other resources than pulumi up creates; the plan refuses it and says what to run instead.
func TestTransformsAreRefused(t *testing.T) {
	tag := pulumi.ResourceTransform(func(_ context.Context, a *pulumi.ResourceTransformArgs) *pulumi.ResourceTransformResult {
		a.Props["tags"] = pulumi.StringMap{"team": pulumi.String("web")}
		return &pulumi.ResourceTransformResult{Props: a.Props, Opts: a.Opts}
	})
	for _, tt := range []struct {
		name    string
		program func(ctx *pulumi.Context) error
	}{
		{"on a resource", func(ctx *pulumi.Context) error {
			_, err := s3.NewBucketV2(ctx, "b", &s3.BucketV2Args{}, pulumi.Transforms([]pulumi.ResourceTransform{tag}))
			return err
		}},
		{"on the stack", func(ctx *pulumi.Context) error {
			if err := ctx.RegisterResourceTransform(tag); err != nil {
				return err
			}
			_, err := s3.NewBucketV2(ctx, "b", &s3.BucketV2Args{})
			return err
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := RunInRegion("eu-west-1", tt.program)
			if err == nil || !strings.Contains(err.Error(), "the offline plan does not run pulumi.Transforms") ||
				!strings.Contains(err.Error(), "go run ./cmd/plan sandbox -- pulumi preview") {
				t.Fatalf("error = %v, want the plan refused", err)
			}
		})
	}
}
