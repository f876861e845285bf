package stack

import (
	"encoding/json"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
	"github.com/seed-2b23e6e5/route53-failover/internal/stackconfig"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

// serviceLinkedRoles are the roles AWS creates on first use, which the deployer must be allowed
// to create: Auto Scaling's and Elastic Load Balancing's, and in edge mode Lambda@Edge's
// replicator and CloudFront's logger.
var serviceLinkedRoles = map[string][]string{
	"dns":  {"autoscaling.amazonaws.com", "elasticloadbalancing.amazonaws.com"},
	"edge": {"autoscaling.amazonaws.com", "elasticloadbalancing.amazonaws.com", "replicator.lambda.amazonaws.com", "logger.cloudfront.amazonaws.com"},
}

type policyStatement struct {
	Effect    string
	Action    any
	Resource  any
	Condition map[string]map[string]any
}

func readPolicy(t *testing.T, mode string) []policyStatement {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(projectDir, "docs", "iam", mode+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version   string
		Statement []policyStatement
	}
	if err := json.Unmarshal(b, &doc); err != nil || doc.Version != "2012-10-17" {
		t.Fatalf("docs/iam/%s.json is not an IAM policy of version 2012-10-17: %v", mode, err)
	}
	return doc.Statement
}

func strs(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, s := range v {
			out = append(out, s.(string))
		}
		return out
	}
	return nil
}

// allows reports whether a statement without a condition allows action, as IAM matches actions:
// case-insensitive, with * and ? wildcards.
func allows(statements []policyStatement, action string) bool {
	for _, s := range statements {
		if s.Effect != "Allow" || s.Condition != nil {
			continue
		}
		for _, pattern := range strs(s.Action) {
			if ok, _ := path.Match(strings.ToLower(pattern), strings.ToLower(action)); ok {
				return true
			}
		}
	}
	return false
}

// slrAllowed are the services whose service-linked role the policy lets the deployer create.
func slrAllowed(statements []policyStatement) []string {
	var services []string
	for _, s := range statements {
		if s.Effect == "Allow" && slices.Contains(strs(s.Action), "iam:CreateServiceLinkedRole") {
			services = append(services, strs(s.Condition["StringEquals"]["iam:AWSServiceName"])...)
		}
	}
	return services
}

// TestIAMPolicies keeps docs/iam/<mode>.json, the README's deploy policies, sufficient: every
// resource type and data source of a stack in that mode, with every option that adds one (the
// alarm, a created zone, scaling, IPv6, the origin secret, access logs), has the actions the provider calls
// allowed, and the service-linked roles AWS creates on first use. The DNS-mode policy allows
// nothing of Lambda or IAM roles.
func TestIAMPolicies(t *testing.T) {
	key := stackconfig.Key
	everything := map[string]string{
		key(stackconfig.KeyAlarmEmail): "ops@example.com", key(stackconfig.KeyCreateHostedZone): "true",
		key(stackconfig.KeyInstanceCount): "2", key(stackconfig.KeyMaxInstanceCount): "4", key(stackconfig.KeyIPv6): "true",
		key(stackconfig.KeyAccessLogs): "true",
	}
	for _, mode := range []string{"dns", "edge"} {
		t.Run(mode, func(t *testing.T) {
			config := map[string]string{key(stackconfig.KeyFailoverMode): mode}
			for k, v := range everything {
				config[k] = v
			}
			opts := testOptions(t, config)
			if mode == "edge" {
				opts.Config[key(stackconfig.KeyOriginSecret)] = "3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e"
				opts.SecretKeys = []string{key(stackconfig.KeyOriginSecret)}
			}
			p, err := plan.Run(opts, Program)
			if err != nil {
				t.Fatal(err)
			}
			used := map[string]bool{}
			for _, r := range p.Resources {
				if r.Custom && !strings.HasPrefix(r.Type, "pulumi:") {
					used[r.Type] = true
				}
			}
			for _, i := range p.Invokes {
				used[i.Token] = true
			}
			statements := readPolicy(t, mode)
			for _, typ := range slices.Sorted(maps.Keys(used)) {
				actions := mockcloud.Lookup(typ).Actions
				if actions == nil {
					t.Errorf("%s: no actions known for it; add them to its Type in internal/mockcloud/registry.go and to the policies", typ)
				}
				for _, action := range actions {
					if !allows(statements, action) {
						t.Errorf("docs/iam/%s.json does not allow %s (for %s)", mode, action, typ)
					}
				}
			}
			if got := slrAllowed(statements); !slices.Equal(got, serviceLinkedRoles[mode]) {
				t.Errorf("docs/iam/%s.json lets the deployer create the service-linked roles of %v, want %v", mode, got, serviceLinkedRoles[mode])
			}
			if mode == "dns" {
				for _, action := range []string{"lambda:CreateFunction", "iam:CreateRole", "iam:PassRole"} {
					if allows(statements, action) {
						t.Errorf("docs/iam/dns.json allows %s, which only edge mode needs", action)
					}
				}
			}
		})
	}
}
