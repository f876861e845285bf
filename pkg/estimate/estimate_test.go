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
		// The hand-built original: the target group's AWS defaults (30 s, 2 failures) find the
		// failure after 30-60 s; about 80 s typical, about 3 minutes at worst.
		{"AWS defaults", AWSDefaults, Estimate{DetectionMin: 30, DetectionMax: 60, Typical: 80, Worst: 185}},
		// This project's defaults: target group 10 s × 2 (10-20 s) is faster than the fast health
		// check at threshold 2 (18-20 s).
		{"project defaults", Settings{10, 2, 10, 2}, Estimate{DetectionMin: 10, DetectionMax: 20, Typical: 50, Worst: 145}},
		// The fastest allowed: target group 5 s × 2 (5-10 s); the health check at threshold 1
		// needs 82% of its checkers, so 8-10 s, not 0-10 s.
		{"fastest", Settings{5, 2, 10, 1}, Estimate{DetectionMin: 5, DetectionMax: 10, Typical: 43, Worst: 135}},
		{"target group at its fastest", Settings{5, 2, 30, 3}, Estimate{DetectionMin: 5, DetectionMax: 10, Typical: 43, Worst: 135}},
		// Route 53 decides: 3 failures of a 30 s check, the last interval 82% through: 85-90 s.
		{"slow target group, health check decides", Settings{300, 10, 30, 3}, Estimate{DetectionMin: 85, DetectionMax: 90, Typical: 123, Worst: 215}},
		{"health check at threshold 1 decides", Settings{300, 10, 30, 1}, Estimate{DetectionMin: 25, DetectionMax: 30, Typical: 63, Worst: 155}},
		{"no health check", Settings{TargetInterval: 10, TargetUnhealthyThreshold: 3}, Estimate{DetectionMin: 20, DetectionMax: 30, Typical: 60, Worst: 155}},
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
