package stack

import (
	"crypto/tls"
	"testing"

	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
)

// TestDataPlane: what a client meets step by step (the DNS answer, TLS, the end's HTTP answer,
// Route 53's checkers) for the dev stack in dns mode, as the stack is deployed and after each
// change the failover command's drill makes.
func TestDataPlane(t *testing.T) {
	p := run(t, nil)
	lb, distribution := p.Outputs["albDnsName"].(string), p.Outputs["errorSiteDomainName"].(string)
	check, targets := p.Outputs["healthCheckId"].(string), p.Outputs["targetGroupArn"].(string)
	for _, end := range []string{lb, distribution} {
		if v, ok := p.Account.MinTLSVersion(end); !ok || v != tls.VersionTLS12 {
			t.Errorf("%s takes %s (%v), want TLS 1.2 and later", end, tls.VersionName(v), ok)
		}
	}
	if got := p.Account.Serve(lb, "https", lb, "/"); got.StoppedAt != mockcloud.StopTLS {
		t.Errorf("the load balancer's own name: %s, want a TLS failure (no certificate covers it)", got)
	}

	for _, tt := range []struct {
		name                 string
		inverted, registered bool
		end                  string // what example.com resolves to
		checkers             bool   // what Route 53's checkers observe
		main                 int    // the load balancer's answer for https://example.com/
	}{
		{"as deployed", false, true, lb, true, 200},
		{"health check inverted", true, true, distribution, true, 200},
		{"targets deregistered", false, false, distribution, false, 503},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := p.Account.InvertHealthCheck(check, tt.inverted); err != nil {
				t.Fatal(err)
			}
			if err := p.Account.SetTargetsRegistered(targets, tt.registered); err != nil {
				t.Fatal(err)
			}
			end, why, ok := p.Account.Resolve("example.com")
			if !ok || (end != tt.end && end != "dualstack."+tt.end) {
				t.Errorf("example.com resolves to %q (%s), want %s", end, why, tt.end)
			}
			if healthy, why := p.Account.CheckersSee(check); healthy != tt.checkers {
				t.Errorf("the checkers see healthy %v (%s), want %v", healthy, why, tt.checkers)
			}
			if got := p.Account.Serve(lb, "https", "example.com", "/"); got.Status != tt.main {
				t.Errorf("https://example.com/ at the load balancer: %s, want %d", got, tt.main)
			}
			want := map[string]string{lb: "https://example.com:443/", distribution: "https://example.com/"}
			if got := p.Account.Serve(end, "http", "example.com", "/"); got.Status != 301 || got.Location != want[tt.end] {
				t.Errorf("http://example.com/: %s to %q, want 301 to %s", got, got.Location, want[tt.end])
			}
			if got := p.Account.Serve(distribution, "https", distribution, "/"); got.Page != mockcloud.PageError || got.Status != 503 {
				t.Errorf("the error site: %s, want the error page with 503", got)
			}
		})
	}
}
