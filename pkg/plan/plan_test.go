package plan

import (
	"strings"
	"testing"

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
