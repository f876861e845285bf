// Package estimate owns the failover-time estimate: from the health check and origin settings in
// force, how long after the main site fails clients reach the error page, in either failover mode.
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

// Modes of failover.
const (
	// DNS is Route 53 failover records: clients move once their DNS answer changes.
	DNS = "dns"
	// Edge is a CloudFront origin group: each request fails over by itself.
	Edge = "edge"
)

// Settings are the inputs of the estimate. A zero health check interval means there is no Route
// 53 health check (only evaluate-target-health on the load balancer). Origin set means edge
// mode.
type Settings struct {
	// Origin is CloudFront's connection to the main site in edge mode; nil in DNS mode.
	Origin *Origin
	// TargetInterval and TargetUnhealthyThreshold are the target group's health check.
	TargetInterval           int
	TargetUnhealthyThreshold int
	// HealthCheckInterval and HealthCheckFailureThreshold are the Route 53 health check's.
	HealthCheckInterval         int
	HealthCheckFailureThreshold int
}

// Origin is how CloudFront reaches the main site in edge mode.
type Origin struct {
	// ConnectionAttempts is how many times CloudFront tries to connect.
	ConnectionAttempts int
	// ConnectionTimeout and ReadTimeout are its timeouts, in seconds.
	ConnectionTimeout, ReadTimeout int
}

// Estimate is how long a failover takes, in seconds.
type Estimate struct {
	// Mode is DNS or Edge.
	Mode string `json:"mode"`
	// DetectionMin and DetectionMax bound the time from the failure until Route 53 holds the
	// primary unhealthy (DNS), or until the target group takes a hung server out (Edge).
	DetectionMin int `json:"detectionMin"`
	DetectionMax int `json:"detectionMax"`
	// Typical is the expected time until a client reaches the error page: in edge mode 0, the
	// failed request itself is answered with it.
	Typical int `json:"typical"`
	// Worst is the longest such time: for a client that looked the name up just before (DNS),
	// or for one request to a server that accepts it and never answers, asked
	// ConnectionAttempts times (Edge).
	Worst int `json:"worst"`
	// Unreachable is, in edge mode, what one request waits on a server that takes no
	// connection: ConnectionAttempts × ConnectionTimeout. 0 in DNS mode.
	Unreachable int `json:"unreachable"`
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
	if s.Origin != nil {
		return computeEdge(s)
	}
	min, max := (s.TargetUnhealthyThreshold-1)*s.TargetInterval, s.TargetUnhealthyThreshold*s.TargetInterval
	if s.HealthCheckInterval > 0 {
		hcMax := s.HealthCheckFailureThreshold * s.HealthCheckInterval
		hcMin := hcMax - ((100-UnhealthyCheckers)*s.HealthCheckInterval+50)/100
		min, max = lesser(min, hcMin), lesser(max, hcMax)
	}
	return Estimate{
		Mode:         DNS,
		DetectionMin: min,
		DetectionMax: max,
		Typical:      (min+max+1)/2 + Propagation + AliasTTL/2,
		Worst:        max + Propagation + AliasTTL + BrowserCache,
	}
}

// computeEdge estimates a failover at CloudFront (CloudFront Developer Guide, "Optimize high
// availability with CloudFront origin failover" and "Origin settings"). The origin group sends
// each request to the main site first and, when that fails, the same request to the error
// bucket. So:
//
//   - a main site that answers 500, 502, 503 or 504 (the load balancer's own 502 or 503, with no
//     healthy target), or refuses the connection: the same request gets the error page (0 s);
//   - one that takes no connection: each request waits ConnectionAttempts × ConnectionTimeout;
//   - one that takes the request and never answers: each request waits ReadTimeout, and
//     CloudFront asks again after each timeout, ConnectionAttempts times in all, so
//     ConnectionAttempts × ReadTimeout (Worst; "Origin settings", response timeout, and "Amazon
//     CloudFront introduces new origin response timeout controls", AWS What's New, July 2025:
//     "If your origin times out, CloudFront resets the response timeout and tries again based
//     on the configured number of retries"), until the target group marks the server unhealthy, (U-1)·I to U·I after the failure
//     (Detection); then the load balancer sends no more requests to it, as long as another
//     target is healthy. When none is, it sends them to every target anyway (fail open), and the
//     wait lasts until the Auto Scaling group replaces the server.
//
// No DNS answer changes, so no cache is involved.
func computeEdge(s Settings) Estimate {
	o := s.Origin
	unreachable := o.ConnectionAttempts * o.ConnectionTimeout
	return Estimate{
		Mode:         Edge,
		DetectionMin: (s.TargetUnhealthyThreshold - 1) * s.TargetInterval,
		DetectionMax: s.TargetUnhealthyThreshold * s.TargetInterval,
		Typical:      0,
		Worst:        max(o.ConnectionAttempts*o.ReadTimeout, unreachable),
		Unreachable:  unreachable,
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

// Table renders estimates as a Markdown table (docs/design.md shows the defaults' table).
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

// ModesTable renders the two modes side by side, one row per way the main site can fail, as
// docs/edge-mode.md shows them: dns with its settings, edge with its own.
func ModesTable(dns, edge Settings) string {
	d, e := Compute(dns), Compute(edge)
	dnsTime := fmt.Sprintf("%s typical, %s worst (detection %d–%d s, then DNS caches)", duration(d.Typical), duration(d.Worst), d.DetectionMin, d.DetectionMax)
	var b strings.Builder
	b.WriteString("| the main site | dns | edge |\n| --- | --- | --- |\n")
	fmt.Fprintf(&b, "| answers 500, 502, 503 or 504 (the load balancer's own 502 and 503 included), or refuses connections | %s | on the same request: %d s |\n", dnsTime, e.Typical)
	fmt.Fprintf(&b, "| takes no connection | %s | %d s per request (%d × %d s connection timeout) |\n", dnsTime, e.Unreachable, edge.Origin.ConnectionAttempts, edge.Origin.ConnectionTimeout)
	fmt.Fprintf(&b, "| takes requests and never answers | %s | %d s per request (%d × %d s read timeout), for %d–%d s, until the target group takes the server out (if another is healthy) |\n", dnsTime, e.Worst, edge.Origin.ConnectionAttempts, edge.Origin.ReadTimeout, e.DetectionMin, e.DetectionMax)
	return b.String()
}
