package rehearsal

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"

	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud/awsplugin"
)

// TestSlowAWS: a fresh pulumi up in edge mode meets the transient answers AWS gives and the
// provider retries: Route 53 shared with another client that leaves the stack one request a
// second, from an empty bucket; a role that Lambda cannot assume until IAM has propagated it;
// certificates slow to issue; distributions slow to deploy. The up completes, visitors are
// served at every change, and nothing is left to change. It logs how long the up took, for the
// README's "Slow and throttled AWS answers".
func TestSlowAWS(t *testing.T) {
	engine(t)
	t.Parallel()
	s := newSite(t, "", exampleZone)
	ctx, cancel := s.context()
	defer cancel()
	st := s.stack(ctx, "", "slow")
	config := auto.ConfigMap{"aws:region": {Value: "eu-west-1"}, key("domain"): {Value: "example.com"}, key("failoverMode"): {Value: "edge"}}
	if err := st.SetAllConfig(ctx, config); err != nil {
		t.Fatal(err)
	}
	a := s.loadAccount()
	a.Throttle = &mockcloud.Throttle{Refill: 1, Updated: time.Now()}
	if err := a.SaveAccount(s.account); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := st.Up(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}
	t.Logf("pulumi up, Route 53 throttled to one request a second, took %v", time.Since(start).Round(time.Second))
	s.audit(ctx, st)
	if _, err := st.Preview(ctx, optpreview.ExpectNoChanges()); err != nil {
		t.Errorf("after the up the stack still has changes to make: %v", err)
	}
	b, err := os.ReadFile(awsplugin.RetriesLog(s.account))
	if err != nil {
		t.Fatalf("the plugin retried nothing: %v", err)
	}
	retried := string(b)
	for _, answer := range []string{"Throttling: Rate exceeded", "The role defined for the function cannot be assumed by Lambda"} {
		if n := strings.Count(retried, answer); n == 0 {
			t.Errorf("AWS never answered %q: the scenario did not happen", answer)
		} else {
			t.Logf("retried %d times: %s", n, answer)
		}
	}
	if _, err := st.Destroy(ctx); err != nil {
		t.Fatalf("destroy: %v", err)
	}
}
