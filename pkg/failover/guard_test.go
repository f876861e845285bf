package failover

import (
	"strings"
	"testing"
)

// TestCheckModeSwitch: only dns to edge is refused, with the way to do it; the way back, a first
// deployment and an unchanged mode are one pulumi up.
func TestCheckModeSwitch(t *testing.T) {
	for _, tt := range []struct {
		deployed, configured string
		refused              bool
	}{
		{"dns", "edge", true},
		{"edge", "dns", false},
		{"edge", "", false},
		{"dns", "", false},
		{"", "edge", false},
		{"edge", "edge", false},
	} {
		err := CheckModeSwitch(tt.deployed, tt.configured)
		if (err != nil) != tt.refused {
			t.Errorf("deployed %q, configured %q: %v, want refused %v", tt.deployed, tt.configured, err, tt.refused)
			continue
		}
		if err != nil && (!strings.Contains(err.Error(), "InvalidChangeBatch") || !strings.Contains(err.Error(), SwitchProcedure)) {
			t.Errorf("the refusal does not say why and what to do: %v", err)
		}
	}
}
