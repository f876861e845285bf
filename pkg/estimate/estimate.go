// Package estimate owns the failover-time estimate: from the health check settings in force, how
// long after the main site fails clients reach the error page.
package estimate

import (
	"fmt"
	"strings"
)

// Fixed parts of the estimate, in seconds.
const (
	// AliasTTL is how long resolvers cache an alias record: the target's TTL, 60 s for both an
	// ALB and CloudFront (Route 53 Developer Guide, "Values for alias records").
	AliasTTL = 60
	// BrowserCache is how long browsers keep a DNS answer whatever its TTL (about 60 s in
	// Chromium and Firefox).
	BrowserCache = 60
	// Propagation is the time Route 53 takes to act on a changed health status: a few seconds,
	// not documented; 5 s is assumed.
	Propagation = 5
	// UnhealthyCheckers is the share of Route 53's health checkers, in percent, that must see the
	// endpoint fail before Route 53 holds it unhealthy: it is healthy while more than 18% see it
	// healthy (Route 53 Developer Guide, "How Amazon Route 53 determines whether a health check
	// is healthy", https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html).
	UnhealthyCheckers = 82
)

// Settings are the inputs of the estimate. A zero health check interval means there is no Route
// 53 health check (only evaluate-target-health on the load balancer).
type Settings struct {
	// TargetInterval and TargetUnhealthyThreshold are the target group's health check.
	TargetInterval           int
	TargetUnhealthyThreshold int
	// HealthCheckInterval and HealthCheckFailureThreshold are the Route 53 health check's.
	HealthCheckInterval         int
	HealthCheckFailureThreshold int
}

// Estimate is how long a failover takes, in seconds.
type Estimate struct {
	// DetectionMin and DetectionMax bound the time from the failure until Route 53 holds the
	// primary unhealthy.
	DetectionMin int `json:"detectionMin"`
	DetectionMax int `json:"detectionMax"`
	// Typical is the expected time until a client reaches the error page.
	Typical int `json:"typical"`
	// Worst is the longest such time, for a client that looked the name up just before.
	Worst int `json:"worst"`
}

// AWSDefaults are the settings of the hand-built original: the target group's AWS defaults
// (30 s, 2 failures) and no Route 53 health check.
var AWSDefaults = Settings{TargetInterval: 30, TargetUnhealthyThreshold: 2}

// Compute estimates a failover.
//
// Detection. The target group marks the instance unhealthy after UnhealthyThreshold failed
// checks: between (threshold-1) and threshold intervals after the failure, depending on where in
// its interval the failure falls (ELB User Guide, "Health checks for Application Load Balancer
// target groups", https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html).
// Route 53's health checkers each count FailureThreshold failures the same way, but they are
// not synchronised (the same Route 53 page as UnhealthyCheckers): their checks are spread over
// the interval, and Route 53 holds the endpoint unhealthy only once UnhealthyCheckers percent
// of them have seen it fail. With checks spread evenly, that is UnhealthyCheckers percent into
// the last interval; at worst, all of it:
//
//	target group: [(U-1)·I, U·I]        Route 53: [(T-1)·I + 0.82·I, T·I]
//
// The primary record needs both evaluate-target-health and the health check to pass, so the
// first of the two to fail decides: detection = [min(lower bounds), min(upper bounds)]. The
// checks' own timeouts (2-5 s) are left out; they are small against the DNS caches.
//
// Time to the error page. After detection Route 53 answers with the secondary within a few
// seconds (Propagation). A resolver that cached the primary keeps it for what is left of the
// alias TTL: 0 to AliasTTL, AliasTTL/2 on average. A browser may keep its own copy up to
// BrowserCache longer. So:
//
//	typical = mid(detection) + Propagation + AliasTTL/2
//	worst   = max(detection) + Propagation + AliasTTL + BrowserCache
//
// Clients holding a keep-alive connection to the load balancer stay on it until it closes; the
// estimate leaves them out.
func Compute(s Settings) Estimate {
	min, max := (s.TargetUnhealthyThreshold-1)*s.TargetInterval, s.TargetUnhealthyThreshold*s.TargetInterval
	if s.HealthCheckInterval > 0 {
		hcMax := s.HealthCheckFailureThreshold * s.HealthCheckInterval
		hcMin := hcMax - ((100-UnhealthyCheckers)*s.HealthCheckInterval+50)/100
		min, max = lesser(min, hcMin), lesser(max, hcMax)
	}
	return Estimate{
		DetectionMin: min,
		DetectionMax: max,
		Typical:      (min+max+1)/2 + Propagation + AliasTTL/2,
		Worst:        max + Propagation + AliasTTL + BrowserCache,
	}
}

func lesser(a, b int) int {
	if a < b {
		return a
	}
	return b
}

// Row is one line of a comparison table.
type Row struct {
	// Name is the row's label; Settings are the checks it estimates.
	Name     string
	Settings Settings
}

// Table renders estimates as a Markdown table (the README shows the defaults' table).
func Table(rows ...Row) string {
	var b strings.Builder
	b.WriteString("| configuration | target group | Route 53 health check | detection | typical | worst |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- |\n")
	for _, r := range rows {
		e := Compute(r.Settings)
		hc := "none"
		if r.Settings.HealthCheckInterval > 0 {
			hc = fmt.Sprintf("%d s × %d", r.Settings.HealthCheckInterval, r.Settings.HealthCheckFailureThreshold)
		}
		fmt.Fprintf(&b, "| %s | %d s × %d | %s | %d–%d s | %s | %s |\n", r.Name,
			r.Settings.TargetInterval, r.Settings.TargetUnhealthyThreshold, hc,
			e.DetectionMin, e.DetectionMax, duration(e.Typical), duration(e.Worst))
	}
	return b.String()
}

func duration(seconds int) string {
	if seconds < 120 {
		return fmt.Sprintf("%d s", seconds)
	}
	return fmt.Sprintf("%d s (%.1f min)", seconds, float64(seconds)/60)
}
