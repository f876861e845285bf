package mockcloud_test

import (
	"reflect"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/pkg/failoverdns"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
	"github.com/seed-2b23e6e5/route53-failover/pkg/topology"
)

// TestStackTagsReachEveryTaggableResource: the stack's tags are on every resource whose type
// takes tags in the pinned SDK, in both modes, with access logs and the alarm. failover check
// finds what an interrupted pulumi up left behind by the tags all of the stack's resources
// share: a taggable resource without them would hide the stack's tag from it.
func TestStackTagsReachEveryTaggableResource(t *testing.T) {
	taggable := map[string]bool{}
	for _, args := range sdkArgs {
		if f, ok := reflect.TypeOf(args).FieldByName("Tags"); ok && f.Type == reflect.TypeFor[pulumi.StringMapInput]() {
			taggable[tokenOf(reflect.TypeOf(args))] = true
		}
	}
	if len(taggable) < 15 {
		t.Fatalf("only %d taggable types: the SDK's Args lost their Tags?", len(taggable))
	}
	account := plan.Existing{Zones: []plan.Zone{plan.PublicZone("shop.example.com")}}
	for _, mode := range topology.Modes() {
		t.Run(mode, func(t *testing.T) {
			p, err := plan.RunInAccount("eu-west-1", account, func(ctx *pulumi.Context) error {
				_, err := topology.New(ctx, "site", &topology.Args{
					Domain: "shop.example.com", FailoverMode: mode, AccessLogs: true,
					FailoverDNS: failoverdns.Args{AlarmEmail: pulumi.String("ops@example.com")},
					Tags:        pulumi.StringMap{"stack": pulumi.String("shop-dev")},
				})
				return err
			}, plan.Strict)
			if err != nil {
				t.Fatal(err)
			}
			checked := 0
			for _, r := range p.Resources {
				if !taggable[r.Type] {
					continue
				}
				checked++
				if got := plan.Get(r.Inputs, "tags", "stack"); got != "shop-dev" {
					t.Errorf("%s %s: tags.stack = %v, not the stack's shop-dev", r.Type, r.Name, got)
				}
			}
			if checked < 10 {
				t.Errorf("only %d taggable resources in the plan", checked)
			}
		})
	}
}
