package failover

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
	"github.com/seed-2b23e6e5/route53-failover/internal/standin"
	"github.com/seed-2b23e6e5/route53-failover/internal/tier"
)

// The moto server the tests share, started by the first that needs it (full tier only).
var (
	motoOnce    sync.Once
	moto        *standin.Moto
	motoMissing error
)

func TestMain(m *testing.M) {
	os.Exit(func() int {
		defer func() {
			if moto != nil {
				moto.Stop()
			}
			if plansDir != "" {
				_ = os.RemoveAll(plansDir)
			}
		}()
		return m.Run()
	}())
}

// sharedMoto is the tests' moto server; in the fast tier it skips t.
func sharedMoto(t *testing.T) *standin.Moto {
	t.Helper()
	tier.Needs(t, "moto 5 (Python), the AWS API emulator", nil)
	motoOnce.Do(func() { moto, motoMissing = standin.StartMoto() })
	tier.Needs(t, "moto 5 (Python), the AWS API emulator", motoMissing)
	return moto
}

// The plans of the example stacks, made once per test binary by the first test that needs each
// (full tier only: the tests that use them need moto).
var (
	plansMu  sync.Mutex
	plans    = map[string]*standin.Plan{}
	plansDir string
)

// stackPlan is the plan of an example stack (stacks/Pulumi.NAME.yaml) with the simulated account
// it leaves behind: what the tests' worlds are made from.
func stackPlan(t *testing.T, name string) *standin.Plan {
	t.Helper()
	plansMu.Lock()
	defer plansMu.Unlock()
	if p, ok := plans[name]; ok {
		return p
	}
	if plansDir == "" {
		dir, err := os.MkdirTemp("", "failover-plans-")
		if err != nil {
			t.Fatal(err)
		}
		plansDir = dir
	}
	p, err := standin.PlanStack(filepath.Join("..", ".."), name, plansDir)
	if err != nil {
		t.Fatal(err)
	}
	plans[name] = p
	return p
}

// world deploys the dev stack (dns mode) in moto, with its stand-ins, and returns it with a probe
// of it.
func world(t *testing.T, opts standin.Options) (*standin.World, *Probe) {
	t.Helper()
	return worldIn(t, sharedMoto(t), stackPlan(t, "dev"), opts)
}

// edgeWorld is world with the edge stack.
func edgeWorld(t *testing.T, opts standin.Options) (*standin.World, *Probe) {
	t.Helper()
	return worldIn(t, sharedMoto(t), stackPlan(t, "edge"), opts)
}

// worldIn deploys the stack that p plans in the moto m; the probe reads the stack's outputs as
// the deployed stack has them.
func worldIn(t *testing.T, m *standin.Moto, p *standin.Plan, opts standin.Options) (*standin.World, *Probe) {
	t.Helper()
	w, err := standin.NewWorld(context.Background(), m, p, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	stack, err := FromOutputs(w.Outputs())
	if err != nil {
		t.Fatal(err)
	}
	web := &Web{Resolver: &Resolver{Server: w.NameServer}, Connect: w.Connect, Roots: w.Roots}
	// The stand-in's checkers report within milliseconds; AWS's once per request interval.
	return w, &Probe{Stack: stack, AWS: standin.Config(w.AWSEndpoint), Web: web, HealthEvery: 20 * time.Millisecond}
}

// assertRestored fails unless the primary is as the stack left it: the health check not
// inverted, the instance in the target group, the group's processes running.
func assertRestored(t *testing.T, w *standin.World) {
	t.Helper()
	inverted, targets, err := w.Primary(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if inverted || targets != 1 {
		t.Errorf("the primary is not restored: health check inverted %v, %d targets", inverted, targets)
	}
	if suspended, err := w.Suspended(context.Background()); err != nil || len(suspended) != 0 {
		t.Errorf("the group's processes %v stay suspended (%v)", suspended, err)
	}
}

func TestCheckHealthyStack(t *testing.T) {
	_, probe := world(t, standin.Options{})
	// delegation, 2 certificates, the health check, the group's refresh and versions, per name (Route 53, 4
	// name servers, the resolver, HTTPS, HTTP), TLS, the error site.
	assertAllPass(t, probe.Check(context.Background()), 1+2+1+1+1+2*(1+4+1+2)+2)
	// A refresh under way is no failure, nor the instances it is replacing: pulumi up returns
	// before it ends.
	_, probe = world(t, standin.Options{Refresh: "InProgress", StaleInstances: true})
	results := probe.Check(context.Background())
	assertAllPass(t, results, 1+2+1+1+1+2*(1+4+1+2)+2)
	if !slices.ContainsFunc(results, func(r Result) bool {
		return strings.HasPrefix(r.Check, "the latest instance refresh") && strings.Contains(r.Detail, "InProgress, 40% done")
	}) {
		t.Errorf("the refresh under way is not reported: %+v", results)
	}
}

// assertAllPass: every check passed, and there were want of them.
func assertAllPass(t *testing.T, results []Result, want int) {
	t.Helper()
	for _, r := range results {
		if !r.OK {
			t.Errorf("FAIL %s: %s", r.Check, r.Detail)
		}
	}
	if len(results) != want {
		t.Errorf("%d checks, want %d", len(results), want)
	}
}

// TestCheckFindsEachFailure: each way a deployment goes wrong fails its own check, with the
// reason, and the exit status of the command follows Failed.
func TestCheckFindsEachFailure(t *testing.T) {
	for _, tt := range []struct {
		name       string
		opts       standin.Options
		fault      string
		invert     bool
		deregister bool
		check      string
		because    string
	}{
		{"undelegated zone", standin.Options{}, "undelegated", false, false, "delegation of example.com", "set the zone's at the registrar"},
		{"pending certificate", standin.Options{PendingCertificate: true}, "", false, false, "certificate arn:aws:acm:ap-northeast-1:", "is PENDING_VALIDATION, not ISSUED"},
		// A page change whose instances never became healthy: the old page still serves.
		{"failed instance refresh", standin.Options{Refresh: "Failed"}, "", false, false, "the latest instance refresh of ", "Failed (stand-in refresh): the group launches the new launch template version already"},
		// A failed refresh leaves the group launching the new version: the old instances serve
		// until the group replaces them with new ones.
		{"instances of an older version", standin.Options{StaleInstances: true, Refresh: "Failed"}, "", false, false, "the instances of ", "run an older version than the group launches (2)"},
		{"instances of an older version, no refresh", standin.Options{StaleInstances: true}, "", false, false, "the instances of ", "every instance it launches from now on runs version 2"},
		{"rolled back instance refresh", standin.Options{Refresh: "RollbackSuccessful"}, "", false, false, "the latest instance refresh of ", "RollbackSuccessful"},
		{"unhealthy check", standin.Options{}, "", false, true, "health check ", "1 of 8 checkers report the load balancer healthy"},
		// Its checkers still find the site healthy; Route 53 routes away all the same.
		{"inverted check", standin.Options{}, "", true, false, "health check ", "inverted: Route 53 routes away from the load balancer whatever its 2 of 8 checkers find"},
		{"wrong answer", standin.Options{}, "answer CloudFront", false, false, "Route 53 answers example.com", "it points at CloudFront, not the load balancer"},
		{"plain HTTP not redirecting", standin.Options{}, "no redirect", false, false, "http://example.com/ redirects to HTTPS", "status 200"},
		// Crawlers and monitors would take a 200 error page for the site.
		{"error page with 200", standin.Options{}, "error page 200", false, false, "the error site answers every path with the error page", "answers 200, not 503"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w, probe := world(t, tt.opts)
			if tt.fault != "" {
				w.Fault(tt.fault)
			}
			if tt.invert {
				if err := probe.SetInverted(context.Background(), true); err != nil {
					t.Fatal(err)
				}
			}
			if tt.deregister {
				takeTargetsOut(t, probe)
			}
			results := probe.Check(context.Background())
			if !Failed(results) {
				t.Fatal("every check passed")
			}
			found := false
			for _, r := range results {
				if !r.OK && strings.HasPrefix(r.Check, tt.check) && strings.Contains(r.Detail, tt.because) {
					found = true
				}
			}
			if !found {
				t.Errorf("no failed check %q because %q in %+v", tt.check, tt.because, results)
			}
		})
	}
}

// takeTargetsOut takes the main site's targets out of its target group, as an outage would.
func takeTargetsOut(t *testing.T, probe *Probe) {
	t.Helper()
	targets, err := probe.Targets(context.Background())
	if err == nil {
		err = probe.SetTargets(context.Background(), targets, false)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestDrill fails over by each method, both ways, and measures every event in order: the
// health check first (deregister: its checkers find the site down; invert: they find it up
// throughout, and the drill completes from Route 53's answers), the resolver and the page after
// it; the primary ends restored.
func TestDrill(t *testing.T) {
	for _, method := range Methods() {
		t.Run(method, func(t *testing.T) {
			w, probe := world(t, standin.Options{HealthDelay: 300 * time.Millisecond, DNSDelay: 300 * time.Millisecond})
			var log strings.Builder
			var suspendedMidDrill []string
			timeline, err := probe.Drill(context.Background(), DrillOptions{Method: method, Interval: 50 * time.Millisecond, Timeout: time.Minute,
				Log: &signalAfter{n: 2, also: &log, stop: func() { suspendedMidDrill, _ = w.Suspended(context.Background()) }}})
			if err != nil {
				t.Fatalf("%v\n%s", err, log.String())
			}
			// Deregistering takes the instances out the way the group expects: it neither replaces
			// them nor adds others while the drill runs.
			if wantSuspended := method == MethodDeregister; slices.Contains(suspendedMidDrill, "ReplaceUnhealthy") != wantSuspended ||
				slices.Contains(suspendedMidDrill, "AddToLoadBalancer") != wantSuspended {
				t.Errorf("%s: the group's processes suspended mid-drill: %v", method, suspendedMidDrill)
			}
			for i, phase := range [][]Event{timeline.Failover, timeline.Recovery} {
				want := 8 // health, Route 53, 4 name servers, resolver, page
				if method == MethodInvert {
					want = 7 // the checkers find the site up throughout
				}
				if len(phase) != want {
					t.Fatalf("%d events, want %d:\n%s", len(phase), want, log.String())
				}
				at := map[string]float64{}
				for _, e := range phase {
					at[e.Signal] = e.Seconds
				}
				health, resolver, page := "health check unhealthy", "the resolver answers CloudFront", "https://example.com/ serves the error page"
				if i == 1 {
					health, resolver, page = "health check healthy", "the resolver answers the load balancer", "https://example.com/ serves the main page"
				}
				// The stand-in reports the health 0.3 s after the change, the answers 0.3 s later;
				// the page follows the answers (within the same poll, it may be seen first).
				healthAt, healthSeen := at[health]
				if healthSeen != (method == MethodDeregister) {
					t.Errorf("%s: event %q seen %v:\n%s", method, health, healthSeen, log.String())
				}
				if (healthSeen && healthAt < 0.3) || at[resolver] < 0.6 || at[page] < 0.6 {
					t.Errorf("%s at %v, %s at %v, %s at %v:\n%s", health, at[health], resolver, at[resolver], page, at[page], log.String())
				}
			}
			assertRestored(t, w)
		})
	}
}

// signalAfter is a log that calls stop at its n-th line (the first is the header of the break).
type signalAfter struct {
	mu   sync.Mutex
	n    int
	stop func()
	// also receives every line, when set.
	also *strings.Builder
}

func (s *signalAfter) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.also != nil {
		s.also.Write(b)
	}
	if s.n--; s.n == 0 {
		s.stop()
	}
	return len(b), nil
}

// TestDrillAlwaysRestores: whatever ends a drill after the break (Ctrl-C, the timeout, an error
// while polling), the primary is restored, by either method.
func TestDrillAlwaysRestores(t *testing.T) {
	for _, method := range Methods() {
		for _, tt := range []struct {
			name string
			run  func(w *standin.World, probe *Probe) error
			want string
		}{
			{"interrupt", func(w *standin.World, probe *Probe) error {
				ctx, cancel := context.WithCancelCause(context.Background())
				_, err := probe.Drill(ctx, DrillOptions{Method: method, Interval: 20 * time.Millisecond,
					Log: &signalAfter{n: 2, stop: func() { cancel(errors.New("interrupt")) }}})
				return err
			}, "interrupt"},
			{"timeout", func(w *standin.World, probe *Probe) error {
				_, err := probe.Drill(context.Background(), DrillOptions{Method: method, Interval: 20 * time.Millisecond, Timeout: 300 * time.Millisecond})
				return err
			}, "timeout"},
			{"poll error", func(w *standin.World, probe *Probe) error {
				_, err := probe.Drill(context.Background(), DrillOptions{Method: method, Interval: 20 * time.Millisecond,
					Log: &signalAfter{n: 2, stop: func() { w.Fault("fail status") }}})
				return err
			}, "InternalError"},
		} {
			t.Run(method+"/"+tt.name, func(t *testing.T) {
				w, probe := world(t, standin.Options{HealthDelay: 100 * time.Millisecond, DNSDelay: 2 * time.Second})
				err := tt.run(w, probe)
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("error = %v, want one about %q", err, tt.want)
				}
				var restore *RestoreError
				if errors.As(err, &restore) {
					t.Fatalf("the restore failed: %v", err)
				}
				assertRestored(t, w)
			})
		}
	}
}

// TestRestoreFailure: when putting the primary back is refused, the drill says what is still
// broken and the one command that repairs it.
func TestRestoreFailure(t *testing.T) {
	for _, tt := range []struct{ method, repair string }{
		{MethodInvert, "aws route53 update-health-check --health-check-id %s --no-inverted"},
		{MethodDeregister, "aws elbv2 register-targets --region ap-northeast-1 --target-group-arn %s --targets Id=%s,Port=80 && aws autoscaling resume-processes --region ap-northeast-1 --auto-scaling-group-name %s"},
	} {
		t.Run(tt.method, func(t *testing.T) {
			w, probe := world(t, standin.Options{HealthDelay: 50 * time.Millisecond})
			_, err := probe.Drill(context.Background(), DrillOptions{Method: tt.method, Interval: 20 * time.Millisecond,
				Log: &signalAfter{n: 2, stop: func() { w.Fault("refuse restore") }}})
			var restore *RestoreError
			if !errors.As(err, &restore) {
				t.Fatalf("error = %v, want a RestoreError", err)
			}
			want := fmt.Sprintf(tt.repair, w.Resources.HealthCheckID)
			if tt.method == MethodDeregister {
				want = fmt.Sprintf(tt.repair, w.Resources.TargetGroupARN, w.Resources.InstanceID, w.Resources.AutoScalingGroup)
			}
			if restore.Repair != want || !strings.Contains(err.Error(), "NOT restored") {
				t.Errorf("repair = %q, want %q\n%v", restore.Repair, want, err)
			}
		})
	}
}

// TestPreflight: a drill refuses before it touches anything when the check fails (unless
// forced), when the health check is already inverted, or for an unknown method.
func TestPreflight(t *testing.T) {
	ctx := context.Background()
	w, probe := world(t, standin.Options{})
	w.Fault("no redirect")
	if _, err := probe.Drill(ctx, DrillOptions{Method: MethodDeregister}); err == nil || !strings.Contains(err.Error(), "preflight check failed") {
		t.Errorf("failed check: error = %v", err)
	}
	assertRestored(t, w)
	if _, err := probe.Drill(ctx, DrillOptions{Method: "unplug"}); err == nil || !strings.Contains(err.Error(), `-method "unplug"`) {
		t.Errorf("unknown method: error = %v", err)
	}
	if err := probe.SetInverted(ctx, true); err != nil {
		t.Fatal(err)
	}
	// Bounded: should the refusal go, the drill would otherwise run for its default 10 minutes.
	if _, err := probe.Drill(ctx, DrillOptions{Method: MethodDeregister, Force: true, Timeout: 10 * time.Second}); err == nil || !strings.Contains(err.Error(), "already inverted") {
		t.Errorf("inverted: error = %v", err)
	}
	if _, targets, _ := w.Primary(ctx); targets != 1 {
		t.Error("the drill took the targets out although it refused")
	}
}

// TestWatch prints each transition of an outage someone else causes, and changes nothing.
func TestWatch(t *testing.T) {
	_, probe := world(t, standin.Options{HealthDelay: 100 * time.Millisecond, DNSDelay: 100 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	var out lockedBuilder
	done := make(chan error)
	go func() { done <- probe.Watch(ctx, 30*time.Millisecond, &out) }()
	time.Sleep(300 * time.Millisecond)
	targets, err := probe.Targets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	takeTargetsOut(t, probe)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := probe.SetTargets(context.Background(), targets, true); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"health check healthy", "health check unhealthy", "the resolver answers the load balancer",
		"the resolver answers CloudFront", "https://example.com/ serves the error page"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("watch did not print %q:\n%s", want, out.String())
		}
	}
}

type lockedBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuilder) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuilder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestFromOutputs(t *testing.T) {
	_, err := FromOutputs(map[string]any{"siteUrl": "https://example.com"})
	if err == nil || !strings.Contains(err.Error(), "albDnsName, certificateArns, errorResponseCode") {
		t.Errorf("error = %v", err)
	}
}

// TestEdgeCheck: an edge-mode stack passes its own checks (the names answer the distribution, the
// distribution refuses old TLS, the load balancer takes no connection from here, the page
// answers at its own path), and fails the one that matters when a name still points at the load
// balancer.
func TestEdgeCheck(t *testing.T) {
	_, probe := edgeWorld(t, standin.Options{})
	results := probe.Check(context.Background())
	// delegation, 2 certificates, the health check, the group's refresh and versions, per name (Route 53, 4
	// name servers, the resolver, HTTPS, HTTP), TLS, the load balancer closed, the page.
	assertAllPass(t, results, 1+2+1+1+1+2*(1+4+1+2)+3)
	for _, want := range []string{"the distribution refuses TLS 1.0 and 1.1", "the load balancer takes no connection from here", "the distribution serves the error page at /_failover/error.html"} {
		if !slices.ContainsFunc(results, func(r Result) bool { return r.Check == want && r.OK }) {
			t.Errorf("no passing check %q", want)
		}
	}

	// The same stand-in seen as a DNS-mode stack fails: its names answer CloudFront.
	probe.Stack.Mode = ModeDNS
	results = probe.Check(context.Background())
	if !slices.ContainsFunc(results, func(r Result) bool {
		return !r.OK && r.Check == "Route 53 answers example.com" && strings.Contains(r.Detail, "points at CloudFront, not the load balancer")
	}) {
		t.Errorf("a DNS-mode check of an edge stack passes: %+v", results)
	}
}

// TestEdgeDrill: in edge mode invert is refused before anything is touched; deregister fails
// over on the very next request (the page turns before the health check does) and comes back.
func TestEdgeDrill(t *testing.T) {
	w, probe := edgeWorld(t, standin.Options{HealthDelay: 500 * time.Millisecond})
	_, err := probe.Drill(context.Background(), DrillOptions{Method: MethodInvert, Force: true, Interval: 50 * time.Millisecond, Timeout: 3 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "edge mode") || !strings.Contains(err.Error(), "-method deregister") {
		t.Errorf("invert in edge mode: error = %v", err)
	}
	assertRestored(t, w)

	var log strings.Builder
	timeline, err := probe.Drill(context.Background(), DrillOptions{Method: MethodDeregister, Interval: 50 * time.Millisecond, Timeout: time.Minute, Log: &log})
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	for i, phase := range [][]Event{timeline.Failover, timeline.Recovery} {
		if len(phase) != 2 { // health, page: no DNS answer changes
			t.Fatalf("%d events, want 2:\n%s", len(phase), log.String())
		}
		at := map[string]float64{}
		for _, e := range phase {
			at[e.Signal] = e.Seconds
		}
		health, page := "health check unhealthy", "https://example.com/ serves the error page"
		if i == 1 {
			health, page = "health check healthy", "https://example.com/ serves the main page"
		}
		pageAt, pageSeen := at[page]
		healthAt, healthSeen := at[health]
		switch {
		case !pageSeen || !healthSeen:
			// A missing event would read as at 0 s, the page's best time.
			t.Errorf("events %v, want %q and %q:\n%s", phase, page, health, log.String())
		case pageAt >= 0.5 || healthAt < 0.5:
			t.Errorf("%q after %.2f s and %q after %.2f s: the page must change within the first requests (every 50 ms), before the health check does (0.5 s):\n%s",
				page, pageAt, health, healthAt, log.String())
		}
	}
	assertRestored(t, w)
	var summary strings.Builder
	printSummary(&summary, timeline)
	t.Logf("%s%s", log.String(), summary.String())
	if !strings.Contains(summary.String(), "estimate (edge)") || !strings.Contains(summary.String(), "within the estimate") {
		t.Errorf("summary:\n%s", summary.String())
	}
}

// TestFailoverModeOutput: the mode comes from the stack's failoverMode output; a stack from
// before edge mode fails over in DNS, and an unknown mode is refused.
func TestFailoverModeOutput(t *testing.T) {
	outputs := func(mode any) map[string]any {
		o := map[string]any{
			"servedNames": []any{"example.com"}, "hostedZoneId": "Z1", "healthCheckId": "h", "albDnsName": "a.elb.amazonaws.com",
			"targetGroupArn": "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/t/1", "errorSiteDomainName": "d.cloudfront.net",
			"certificateArns": []any{"arn:aws:acm:eu-west-1:1:certificate/c"}, "errorResponseCode": 503.0,
			"failoverEstimate": map[string]any{"typical": 0.0, "worst": 10.0, "mode": "edge"},
		}
		if mode != nil {
			o["failoverMode"] = mode
		}
		return o
	}
	for _, tt := range []struct {
		mode any
		want string
	}{{nil, ModeDNS}, {"dns", ModeDNS}, {"edge", ModeEdge}} {
		s, err := FromOutputs(outputs(tt.mode))
		if err != nil || s.Mode != tt.want {
			t.Errorf("failoverMode %v: mode %v, %v; want %s", tt.mode, s, err, tt.want)
		}
	}
	if _, err := FromOutputs(outputs("anycast")); err == nil || !strings.Contains(err.Error(), `failoverMode is "anycast"`) {
		t.Errorf("unknown mode: error = %v", err)
	}
}

// TestDrillReadsHealthPerInterval: a drill asks GetHealthCheckStatus, an API AWS says is not for
// high query rates, once per the check's request interval (10 s here), not at every poll, and
// says that the check is inverted.
func TestDrillReadsHealthPerInterval(t *testing.T) {
	w, probe := world(t, standin.Options{HealthDelay: 200 * time.Millisecond, DNSDelay: 200 * time.Millisecond})
	probe.HealthEvery = 0
	var log strings.Builder
	if _, err := probe.Drill(context.Background(), DrillOptions{Method: MethodInvert, Force: true, Interval: 20 * time.Millisecond,
		Timeout: time.Minute, Log: &log}); err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	if reads := w.StatusReads(); reads > 1 {
		t.Errorf("a drill of about a second read the health check's status %d times; its request interval is 10 s", reads)
	}
	if !strings.Contains(log.String(), "Inverted") {
		t.Errorf("the drill does not say the check is inverted:\n%s", log.String())
	}
	assertRestored(t, w)
}

// TestDocumentedPolicy runs check and both drills as a user holding exactly the policy of
// docs/iam/failover.json, with every call authorized by it: an action the command calls and
// the policy lacks fails it with AccessDenied.
func TestDocumentedPolicy(t *testing.T) {
	raw, err := os.ReadFile("../../docs/iam/failover.json")
	if err != nil {
		t.Fatal(err)
	}
	var policy map[string]any
	if err := json.Unmarshal(raw, &policy); err != nil {
		t.Fatalf("docs/iam/failover.json: %v", err)
	}
	// The stand-in authorizes by action: it does not work out each call's ARN, so a statement
	// of ARNs would never match.
	for _, st := range policy["Statement"].([]any) {
		st.(map[string]any)["Resource"] = "*"
	}
	w, probe := world(t, standin.Options{HealthDelay: 100 * time.Millisecond, DNSDelay: 100 * time.Millisecond})
	w.EnforceIAM(policy)
	assertAllPass(t, probe.Check(context.Background()), 1+2+1+1+1+2*(1+4+1+2)+2)
	// With the stack's state, check also lists what is tagged as the stack's resources but not
	// in the state (nothing here: the world's resources carry no such tag).
	state := export(t, StateResource{Type: awstype.Certificate, ID: w.Resources.CertificateARNs[0],
		Inputs: tagged(map[string]any{"stack": "shop-dev"})})
	if result := probe.CheckLeftovers(context.Background(), state); !result.OK || !strings.Contains(result.Detail, "none tagged") {
		t.Errorf("looking for leftovers as the documented user: %+v", result)
	}
	for _, method := range Methods() {
		if _, err := probe.Drill(context.Background(), DrillOptions{Method: method, Interval: 20 * time.Millisecond, Timeout: time.Minute}); err != nil {
			t.Errorf("drill -method %s as the documented user: %v", method, err)
		}
	}
	assertRestored(t, w)

	// Enforcement is on: a policy without an action the command calls fails the check.
	w.EnforceIAM(map[string]any{"Statement": []any{map[string]any{"Effect": "Allow", "Action": "route53:*", "Resource": "*"}}})
	if _, err := probe.LatestRefresh(context.Background()); err == nil || !strings.Contains(err.Error(), "AccessDenied") {
		t.Errorf("a user without autoscaling:DescribeInstanceRefreshes read the group's refreshes: %v", err)
	}
	if result := probe.CheckLeftovers(context.Background(), state); result.OK || !strings.Contains(result.Detail, "AccessDenied") {
		t.Errorf("a user without tag:GetResources looked for leftovers: %+v", result)
	}
}
