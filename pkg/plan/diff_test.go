package plan_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
	"github.com/seed-2b23e6e5/route53-failover/internal/stack"
	"github.com/seed-2b23e6e5/route53-failover/pkg/mainsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

// devWith plans a stack of the tests' own (example.com and www.example.com in ap-northeast-1,
// the project's defaults, an account that holds the zone) with some config changed.
func devWith(t *testing.T, changes map[string]string) *plan.Plan {
	t.Helper()
	opts := plan.Options{Project: stack.Project, Stack: "test", RootDirectory: "../..", Strict: true, Config: map[string]string{
		"aws:region": "ap-northeast-1", "route53-failover:domain": "example.com", "route53-failover:alternateNames": `["www.example.com"]`,
	}, Existing: mockcloud.Existing{Zones: []mockcloud.Zone{mockcloud.PublicZone("example.com")}}}
	for k, v := range changes {
		opts.Config[k] = v
	}
	p, err := plan.Run(opts, stack.Program)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCompareChecks: a check's warning about the change as a whole comes first in the diff, and
// a check that finds nothing adds nothing.
func TestCompareChecks(t *testing.T) {
	old, new := devWith(t, nil), devWith(t, map[string]string{"route53-failover:instanceCount": "2"})
	warns := func(*plan.Plan, *plan.Plan) *plan.Warning {
		return &plan.Warning{Heading: "Two servers", Text: "They cost twice as much."}
	}
	silent := func(*plan.Plan, *plan.Plan) *plan.Warning { return nil }
	md := plan.Compare(old, new, silent, warns).Markdown()
	warning, summary := strings.Index(md, "### ⚠️ Two servers\n\nThey cost twice as much."), strings.Index(md, "to change")
	if warning < 0 || warning < summary || strings.Index(md, "### Changed") < warning {
		t.Errorf("the warning is missing or not first:\n%s", md)
	}
	if d := plan.Compare(old, new, silent); len(d.Warnings) != 0 {
		t.Errorf("warnings %v from a check that found nothing", d.Warnings)
	}
}

func TestCompare(t *testing.T) {
	base := devWith(t, nil)
	salePage := filepath.Join(t.TempDir(), "sale.html")
	if err := os.WriteFile(salePage, []byte(strings.Replace(mainsite.DefaultMainPage, "Test Main Page!", "Sale on now!", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name           string
		changes        map[string]string
		added, removed int
		changed        []string // resources whose inputs change
		replaced       []string // flagged stateful or slow resources
		markdown       []string
		kept           []string // stack outputs that must not change
	}{
		{name: "identical", markdown: []string{"No change."}},
		{name: "target group interval", changes: map[string]string{"route53-failover:targetCheckInterval": "30"},
			changed: []string{"site-main-tg"},
			markdown: []string{"| healthCheck.interval | 10 | 30 |", "| route53-failover:targetCheckInterval | (none) | 30 |",
				"| failoverEstimate.detectionMin | 10 | 18 |"}},
		{name: "health check interval", changes: map[string]string{"route53-failover:healthCheckInterval": "30"},
			changed: []string{"site-dns-health"}, replaced: []string{"site-dns-health"},
			markdown: []string{"Stateful or slow resources replaced or deleted", "**site-dns-health** (`aws:route53/healthCheck:HealthCheck`): replaced: requestInterval changes (10 → 30)"}},
		{name: "another name", changes: map[string]string{"route53-failover:alternateNames": `["www.example.com","shop.example.com"]`},
			added:    4, // a validation record per certificate, a PRIMARY and a SECONDARY record
			changed:  []string{"site-error-cdn", "site-error-cert", "site-error-cert-validation", "site-main-cert", "site-main-cert-validation"},
			replaced: []string{"site-error-cert", "site-main-cert"},
			markdown: []string{`| subjectAlternativeNames | ["www.example.com"] | ["shop.example.com","www.example.com"] |`,
				"| site-dns-shop.example.com-A-primary | `aws:route53/record:Record` |"}},
		{name: "created zone", changes: map[string]string{"route53-failover:createHostedZone": "true"},
			added: 1, changed: []string{"*"},
			markdown: []string{"| site-zone | `aws:route53/zone:Zone` |"}},
		// A page change reads as the page's changed line, not as base64.
		{name: "main page", changes: map[string]string{"route53-failover:mainPageFile": salePage},
			changed:  []string{"site-main-web"},
			markdown: []string{`| mainPage | line 8: <h1 style="color: green;">Test Main Page!</h1> | line 8: <h1 style="color: green;">Sale on now!</h1> |`}},
		// The distribution, the health check and the PRIMARY records move to the EdgeFailover
		// component (pulumi.Aliases): changed, not added and removed, and none replaced.
		{name: "edge mode", changes: map[string]string{"route53-failover:failoverMode": "edge"},
			added: 11, removed: 8, changed: []string{"*"},
			markdown: []string{"**site-edge-cdn** (`aws:cloudfront/distribution:Distribution`)", "| (urn) | urn:pulumi:test::route53-failover::"},
			kept:     []string{"distributionId", "errorSiteDomainName", "healthCheckId"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := plan.Compare(base, devWith(t, tt.changes))
			if len(d.Added) != tt.added || len(d.Removed) != tt.removed {
				t.Errorf("%d added, %d removed; want %d and %d", len(d.Added), len(d.Removed), tt.added, tt.removed)
			}
			var changed, replaced []string
			for _, c := range d.Changed {
				if c.New.Custom {
					changed = append(changed, c.New.Name)
				}
			}
			for _, r := range d.Replaced {
				replaced = append(replaced, r.Name)
			}
			if !(len(tt.changed) == 1 && tt.changed[0] == "*") && strings.Join(changed, ",") != strings.Join(tt.changed, ",") {
				t.Errorf("changed %v, want %v", changed, tt.changed)
			}
			if strings.Join(replaced, ",") != strings.Join(tt.replaced, ",") {
				t.Errorf("flagged %v, want %v", replaced, tt.replaced)
			}
			for _, o := range d.Outputs {
				if slices.Contains(tt.kept, o.Path) {
					t.Errorf("output %s changes (%v → %v): the resource it names is kept", o.Path, o.Old, o.New)
				}
			}
			md := d.Markdown()
			for _, want := range tt.markdown {
				if !strings.Contains(md, want) {
					t.Errorf("markdown lacks %q:\n%s", want, md)
				}
			}
			if d.Empty() != (tt.name == "identical") {
				t.Errorf("Empty() = %v", d.Empty())
			}
		})
	}
}

func TestRemovedAndMovedStatefulResources(t *testing.T) {
	base := devWith(t, nil)
	without := *base
	without.Resources = nil
	for _, r := range base.Resources {
		if r.Type != awstype.Bucket {
			without.Resources = append(without.Resources, r)
		}
	}
	d := plan.Compare(base, &without)
	if len(d.Removed) != 1 || len(d.Replaced) != 1 || d.Replaced[0].Reason != "deleted" {
		t.Fatalf("removed %d, flagged %+v", len(d.Removed), d.Replaced)
	}

	moved := *base
	moved.Resources = nil
	for _, r := range base.Resources {
		if r.Type == awstype.HealthCheck {
			r.URN = strings.Replace(r.URN, "FailoverDNS$", "FailoverDNS$route53-failover:index:Renamed$", 1)
		}
		moved.Resources = append(moved.Resources, r)
	}
	d = plan.Compare(base, &moved)
	if len(d.Replaced) != 1 || !strings.Contains(d.Replaced[0].Reason, "its URN changes") {
		t.Fatalf("flagged %+v, want the health check replaced for its new URN", d.Replaced)
	}
}

// TestManagedToRead: a resource the program reads where it used to manage it is not deleted,
// and the diff says so.
func TestManagedToRead(t *testing.T) {
	base := devWith(t, nil)
	read := *base
	read.Resources = nil
	for _, r := range base.Resources {
		if r.Name == "site-main-cert-validation-example.com" {
			r.Read = true
		}
		read.Resources = append(read.Resources, r)
	}
	d := plan.Compare(base, &read)
	if len(d.Replaced) != 0 || len(d.Changed) != 1 || !strings.Contains(d.Markdown(), "| (read) | false | true |") {
		t.Fatalf("replaced %v, changed %v:\n%s", d.Replaced, d.Changed, d.Markdown())
	}
}

func TestDiffNeverPrintsSecrets(t *testing.T) {
	run := func(password string) *plan.Plan {
		p, err := plan.Run(plan.Options{Project: "p", Stack: "s", Strict: true,
			Config: map[string]string{"aws:region": "us-east-1", "p:password": password}, SecretKeys: []string{"p:password"}},
			func(ctx *pulumi.Context) (pulumi.Map, error) {
				c := &struct{ pulumi.ResourceState }{}
				err := ctx.RegisterComponentResourceV2("test:index:Thing", "thing",
					pulumi.Map{"password": pulumi.ToSecret(pulumi.String(password)), "size": pulumi.Int(len(password))}, c)
				return pulumi.Map{"password": pulumi.ToSecret(pulumi.String(password))}, err
			})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	d := plan.Compare(run("hunter2"), run("correct horse"))
	md := d.Markdown()
	if strings.Contains(md, "hunter2") || strings.Contains(md, "correct horse") {
		t.Fatalf("a secret is printed:\n%s", md)
	}
	if !strings.Contains(md, "| size | 7 | 13 |") {
		t.Errorf("the non-secret change is missing:\n%s", md)
	}
}

// TestDependencyChanges: what a resource waits for decides what visitors meet while a stack
// changes, so a reviewer sees a dependency come or go, by name.
func TestDependencyChanges(t *testing.T) {
	old, changed := devWith(t, nil), devWith(t, nil)
	group := changed.Find(awstype.AutoScalingGroup, "site-main-web")
	listener := changed.Find(awstype.Listener, "site-main-https")
	group.DependsOn = slices.DeleteFunc(slices.Clone(group.DependsOn), func(urn string) bool { return urn == listener.URN })
	d := plan.Compare(old, changed)
	if len(d.Changed) != 1 || d.Changed[0].New.Name != "site-main-web" {
		t.Fatalf("changed %v, want the group alone", d.Changed)
	}
	if md := d.Markdown(); !strings.Contains(md, `| (dependsOn) | ["site-main-https"] | null |`) {
		t.Errorf("the diff does not show the group no longer waiting for the listener:\n%s", md)
	}
}
