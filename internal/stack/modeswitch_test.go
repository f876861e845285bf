package stack

import (
	"strings"
	"testing"

	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

// TestModeSwitch: a change of failover mode, which one pulumi up cannot make, gets a warning
// at the top of the plan diff with the steps that make it; nothing else does.
func TestModeSwitch(t *testing.T) {
	dns, edge := run(t, nil), run(t, edgeConfig(nil))
	bigger := run(t, map[string]string{"route53-failover:instanceCount": "2"})
	tests := []struct {
		name     string
		from, to *plan.Plan
		want     []string // empty: no warning
	}{
		{"dns to edge", dns, edge, []string{"### ⚠️ The failover mode changes", "from dns to edge. One `pulumi up` cannot make",
			"pulumi destroy --target '**::site-dns-*-secondary'"}},
		{"edge to dns", edge, dns, []string{"### ⚠️ The failover mode changes", "from edge to dns",
			"`pulumi up` with the distribution excluded"}},
		{"same mode", dns, bigger, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := plan.Compare(tt.from, tt.to, ModeSwitch)
			if len(tt.want) == 0 && len(d.Warnings) != 0 {
				t.Errorf("warnings %v", d.Warnings)
			}
			md := d.Markdown()
			for _, want := range tt.want {
				if !strings.Contains(md, want) {
					t.Errorf("the diff lacks %q:\n%s", want, md)
				}
			}
		})
	}
}
