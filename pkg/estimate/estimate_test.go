package estimate

import (
	"testing"
)

func TestCompute(t *testing.T) {
	tests := []struct {
		name string
		in   Settings
		want Estimate
	}{
		// The hand-built original: the target group's AWS defaults (30 s, 2 failures) find the
		// failure after 30-60 s; about 80 s typical, about 3 minutes at worst.
		{"AWS defaults", AWSDefaults, Estimate{Mode: DNS, DetectionMin: 30, DetectionMax: 60, Typical: 80, Worst: 185}},
		// This project's defaults: target group 10 s × 2 (10-20 s) is faster than the fast health
		// check at threshold 2 (18-20 s).
		{"project defaults", Settings{TargetInterval: 10, TargetUnhealthyThreshold: 2, HealthCheckInterval: 10, HealthCheckFailureThreshold: 2}, Estimate{Mode: DNS, DetectionMin: 10, DetectionMax: 20, Typical: 50, Worst: 145}},
		// The fastest allowed: target group 5 s × 2 (5-10 s); the health check at threshold 1
		// needs 82% of its checkers, so 8-10 s, not 0-10 s.
		{"fastest", Settings{TargetInterval: 5, TargetUnhealthyThreshold: 2, HealthCheckInterval: 10, HealthCheckFailureThreshold: 1}, Estimate{Mode: DNS, DetectionMin: 5, DetectionMax: 10, Typical: 43, Worst: 135}},
		{"target group at its fastest", Settings{TargetInterval: 5, TargetUnhealthyThreshold: 2, HealthCheckInterval: 30, HealthCheckFailureThreshold: 3}, Estimate{Mode: DNS, DetectionMin: 5, DetectionMax: 10, Typical: 43, Worst: 135}},
		// Route 53 decides: 3 failures of a 30 s check, the last interval 82% through: 85-90 s.
		{"slow target group, health check decides", Settings{TargetInterval: 300, TargetUnhealthyThreshold: 10, HealthCheckInterval: 30, HealthCheckFailureThreshold: 3}, Estimate{Mode: DNS, DetectionMin: 85, DetectionMax: 90, Typical: 123, Worst: 215}},
		{"health check at threshold 1 decides", Settings{TargetInterval: 300, TargetUnhealthyThreshold: 10, HealthCheckInterval: 30, HealthCheckFailureThreshold: 1}, Estimate{Mode: DNS, DetectionMin: 25, DetectionMax: 30, Typical: 63, Worst: 155}},
		{"no health check", Settings{TargetInterval: 10, TargetUnhealthyThreshold: 3}, Estimate{Mode: DNS, DetectionMin: 20, DetectionMax: 30, Typical: 60, Worst: 155}},
	}
	projectTarget := Settings{TargetInterval: 10, TargetUnhealthyThreshold: 2, HealthCheckInterval: 10, HealthCheckFailureThreshold: 2}
	edge := func(attempts, connect, read int) Settings {
		s := projectTarget
		s.Origin = &Origin{ConnectionAttempts: attempts, ConnectionTimeout: connect, ReadTimeout: read}
		return s
	}
	tests = append(tests, []struct {
		name string
		in   Settings
		want Estimate
	}{
		// Edge defaults: a 5xx or a refused connection fails over on the same request; a dead
		// host costs one 3 s connection attempt, a hung one the 10 s read timeout, for as long
		// as the target group takes to mark it unhealthy (10-20 s). The Route 53 check plays
		// no part.
		{"edge defaults", edge(1, 3, 10), Estimate{Mode: Edge, DetectionMin: 10, DetectionMax: 20, Typical: 0, Worst: 10, Unreachable: 3}},
		// CloudFront's own defaults: a hung server is asked 3 times, 30 s each.
		{"edge with CloudFront's defaults", edge(3, 10, 30), Estimate{Mode: Edge, DetectionMin: 10, DetectionMax: 20, Typical: 0, Worst: 90, Unreachable: 30}},
		{"edge, two attempts", edge(2, 3, 10), Estimate{Mode: Edge, DetectionMin: 10, DetectionMax: 20, Typical: 0, Worst: 20, Unreachable: 6}},
		{"edge, connection attempts decide", edge(3, 10, 2), Estimate{Mode: Edge, DetectionMin: 10, DetectionMax: 20, Typical: 0, Worst: 30, Unreachable: 30}},
	}...)
	for _, tt := range tests {
		if got := Compute(tt.in); got != tt.want {
			t.Errorf("%s: Compute(%+v) = %+v, want %+v", tt.name, tt.in, got, tt.want)
		}
	}
}
