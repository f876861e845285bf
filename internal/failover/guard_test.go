package failover

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
)

// TestCheckModeSwitch: a change of mode either way is refused, with the way to do it; a first
// deployment and an unchanged mode are one pulumi up.
func TestCheckModeSwitch(t *testing.T) {
	for _, tt := range []struct {
		deployed, configured string
		refused              bool
	}{
		{"dns", "edge", true},
		{"edge", "dns", true},
		{"edge", "", true},
		{"dns", "", false},
		{"", "edge", false},
		{"edge", "edge", false},
	} {
		err := CheckModeSwitch(tt.deployed, tt.configured)
		if (err != nil) != tt.refused {
			t.Errorf("deployed %q, configured %q: %v, want refused %v", tt.deployed, tt.configured, err, tt.refused)
			continue
		}
		if err != nil && (!strings.Contains(err.Error(), "plain pulumi up would") || !strings.Contains(err.Error(), SwitchProcedure)) {
			t.Errorf("the refusal does not say why and what to do: %v", err)
		}
	}
}

// TestDeployedMode: a stack deployed before modes existed (no mode in its failoverEstimate, or no
// failoverEstimate at all) runs in dns mode; only a stack without outputs was never deployed.
func TestDeployedMode(t *testing.T) {
	for _, tt := range []struct {
		name    string
		outputs auto.OutputMap
		want    string
	}{
		{"never deployed", auto.OutputMap{}, ""},
		{"edge", auto.OutputMap{"failoverEstimate": {Value: map[string]any{"mode": "edge"}}}, "edge"},
		{"dns", auto.OutputMap{"failoverEstimate": {Value: map[string]any{"mode": "dns"}}}, "dns"},
		{"an estimate without a mode", auto.OutputMap{"failoverEstimate": {Value: map[string]any{"typical": 50.0}}}, "dns"},
		{"no estimate", auto.OutputMap{"siteUrl": {Value: "https://example.com"}}, "dns"},
	} {
		if got := DeployedMode(tt.outputs); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	// The way back from edge, for a stack that never said its mode, is refused too.
	if err := CheckModeSwitch(DeployedMode(auto.OutputMap{"siteUrl": {Value: "x"}}), "edge"); err == nil {
		t.Error("a stack from before edge mode switches to edge in one pulumi up")
	}
}
