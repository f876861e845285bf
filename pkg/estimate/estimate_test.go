package estimate

import (
	"os"
	"strings"
	"testing"

	"github.com/seed-2b23e6e5/route53-failover/pkg/failoverdns"
	"github.com/seed-2b23e6e5/route53-failover/pkg/mainsite"
)

func TestCompute(t *testing.T) {
	tests := []struct {
		name string
		in   Settings
		want Estimate
	}{
		// The hand-built original: detection 30-60 s, typically 75-90 s, about 3 minutes at worst
		// (../shared/AWS-FACTS.md, "How long a failover takes").
		{"AWS defaults", AWSDefaults, Estimate{DetectionMin: 30, DetectionMax: 60, Typical: 80, Worst: 185}},
		// This project's defaults: target group 10 s × 2, fast health check, threshold 2.
		{"project defaults", Settings{10, 2, 10, 2}, Estimate{DetectionMin: 10, DetectionMax: 20, Typical: 50, Worst: 145}},
		// The tuned row of the same table: about 40 s typical, about 2.3 min worst.
		{"tuned", Settings{5, 2, 10, 1}, Estimate{DetectionMin: 0, DetectionMax: 10, Typical: 40, Worst: 135}},
		{"target group at its fastest", Settings{5, 2, 30, 3}, Estimate{DetectionMin: 5, DetectionMax: 10, Typical: 43, Worst: 135}},
		{"slow target group, health check decides", Settings{300, 10, 30, 3}, Estimate{DetectionMin: 60, DetectionMax: 90, Typical: 110, Worst: 215}},
	}
	for _, tt := range tests {
		if got := Compute(tt.in); got != tt.want {
			t.Errorf("%s: Compute(%+v) = %+v, want %+v", tt.name, tt.in, got, tt.want)
		}
	}
}

// READMERows are the configurations the README compares: the hand-built original and this
// project's defaults.
var READMERows = []Row{
	{"AWS defaults (the hand-built original)", AWSDefaults},
	{"this project's defaults", Settings{
		TargetInterval: mainsite.DefaultInterval, TargetUnhealthyThreshold: mainsite.DefaultUnhealthyThreshold,
		HealthCheckInterval: failoverdns.DefaultInterval, HealthCheckFailureThreshold: failoverdns.DefaultFailureThreshold,
	}},
	{"fastest allowed (target group 5 s × 2, health check 10 s × 1)", Settings{5, 2, 10, 1}},
}

// TestREADMETable keeps the README's table the function's own output.
func TestREADMETable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	table := Table(READMERows...)
	if !strings.Contains(string(readme), table) {
		t.Fatalf("README.md does not contain the estimate table; paste this:\n%s", table)
	}
}
