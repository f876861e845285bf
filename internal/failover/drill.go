package failover

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// Methods returns the ways Drill breaks the primary.
func Methods() []string { return []string{MethodInvert, MethodDeregister} }

const (
	// MethodInvert inverts the Route 53 health check: only Route 53's view changes.
	MethodInvert = "invert"
	// MethodDeregister takes the instances out of the target group: the load balancer answers
	// 503 and its target health goes bad, the path a real outage takes.
	MethodDeregister = "deregister"
)

// DrillOptions configure a drill.
type DrillOptions struct {
	// Method is MethodInvert or MethodDeregister.
	Method string
	// Interval between polls. Default 1 s.
	Interval time.Duration
	// Timeout bounds the whole drill, the way back included. Default 10 min.
	Timeout time.Duration
	// Force skips the preflight check (the reads a drill needs still run).
	Force bool
	// Log receives each event as it happens; nil for none.
	Log io.Writer
}

// Signal is one thing a drill or a watch polls, and whether it shows the failover.
type Signal struct {
	// Name says what is polled; FailedOver and Normal say what each state means.
	Name, FailedOver, Normal string
	// Optional: a drill does not wait for it, as its method may never change it.
	Optional bool
}

// Event is the first moment a signal reached the state a phase waits for.
type Event struct {
	// Signal is what changed, as the phase words it.
	Signal string `json:"signal"`
	// Seconds is the time since the phase began: the break, or the restore.
	Seconds float64 `json:"seconds"`
}

// Timeline is what a drill measured.
type Timeline struct {
	// Method is how the primary was broken.
	Method string `json:"method"`
	// Failover are the events after the break; Recovery those after the restore.
	Failover []Event `json:"failover"`
	Recovery []Event `json:"recovery"`
	// Estimate is the stack's failoverEstimate.
	Estimate Estimate `json:"estimate"`
}

// RestoreError says that restoring the primary failed: what is still broken and the command
// that repairs it.
type RestoreError struct {
	// Broken says what is still broken; Repair is the AWS CLI command that repairs it.
	Broken, Repair string
	// Err is why restoring failed.
	Err error
}

// Error says what is broken, why, and the repair.
func (e *RestoreError) Error() string {
	return fmt.Sprintf("the primary is NOT restored: %s (%v). Repair it with:\n  %s", e.Broken, e.Err, e.Repair)
}

// Unwrap is why restoring failed.
func (e *RestoreError) Unwrap() error { return e.Err }

// healthSignal is the health check's checkers, as GetHealthCheckStatus reports them.
const healthSignal = "health check"

// signals are what a drill and a watch poll, in the order a failover reaches them. In edge mode
// no DNS answer changes: the health check (which watches the site through the distribution)
// and the page. An inverted health check changes Route 53's decision, not what its checkers
// find, which may read healthy throughout: method invert does not wait for them.
func (p *Probe) signals(nameServers []string, method string) []Signal {
	page := Signal{Name: urlOf("https", p.Stack.Domain(), "/"), FailedOver: "serves the error page", Normal: "serves the main page"}
	health := Signal{Name: healthSignal, FailedOver: "unhealthy", Normal: "healthy", Optional: method == MethodInvert}
	if p.Stack.Edge() {
		return []Signal{health, page}
	}
	answers := func(name string) Signal {
		return Signal{Name: name, FailedOver: "answers CloudFront", Normal: "answers the load balancer"}
	}
	out := []Signal{health, answers("Route 53")}
	for _, ns := range nameServers {
		out = append(out, answers(ns))
	}
	return append(out, answers("the resolver"), page)
}

// words is what a signal's state says; a health check's says when it is inverted.
func (s Signal) words(failedOver bool, round *poll) string {
	w := s.Normal
	if failedOver {
		w = s.FailedOver
	}
	if s.Name == healthSignal && round.health.Inverted {
		w += " (Inverted: Route 53 routes away whatever the checkers find)"
	}
	return w
}

// poll is what polling needs: the zone's name servers and the error page, which every round
// compares with, and the health check as last read.
type poll struct {
	nameServers []string
	errorPage   string
	health      Health
	// healthEvery is how often the health check is read; healthAt when it last was.
	healthEvery time.Duration
	healthAt    time.Time
}

// newPoll reads the zone's name servers, the error page and the health check.
func (p *Probe) newPoll(ctx context.Context) (*poll, error) {
	nameServers, err := p.Delegation(ctx)
	if err != nil {
		return nil, err
	}
	page, err := p.ErrorPage(ctx)
	if err != nil {
		return nil, fmt.Errorf("the error site: %w", err)
	}
	health, err := p.HealthConfig(ctx)
	if err != nil {
		return nil, err
	}
	every := p.HealthEvery
	if every <= 0 {
		every = health.Interval
	}
	return &poll{nameServers: nameServers, errorPage: page, health: health, healthEvery: every}, nil
}

// observe polls every signal once: true where it shows the failover. The health check is read
// once per healthEvery, and its last reading stands between. An AWS API error ends the poll. A
// name server that does not answer in time, or a site that cannot be reached, shows neither
// state this round: mid-failover, clients see errors too.
func (p *Probe) observe(ctx context.Context, round *poll) (map[string]bool, error) {
	domain := p.Stack.Domain()
	state := map[string]bool{}
	if round.healthAt.IsZero() || time.Since(round.healthAt) >= round.healthEvery {
		health, err := p.Health(ctx)
		if err != nil {
			return nil, err
		}
		round.health, round.healthAt = health, time.Now()
	}
	state[healthSignal] = !round.health.EndpointHealthy()
	if p.Stack.Edge() {
		p.observePage(ctx, round, state)
		return state, nil
	}
	route53Answer, err := p.Route53Answer(ctx, domain)
	if err != nil {
		return nil, err
	}
	ends, err := p.Ends(ctx)
	if err != nil {
		return state, nil
	}
	answers := map[string][]string{"Route 53": route53Answer}
	if a, err := p.Web.Resolver.Ask(ctx, "", domain, dns.TypeA); err == nil {
		answers["the resolver"] = a
	}
	for _, ns := range round.nameServers {
		if a, err := p.askNameServer(ctx, ns, domain); err == nil {
			answers[ns] = a
		}
	}
	for name, answer := range answers {
		if side := ends.SideOf(answer); side != Unknown {
			state[name] = side == CloudFront
		}
	}
	p.observePage(ctx, round, state)
	return state, nil
}

// observePage records whether the domain serves the error page (with the error status) or the
// main page; anything else (a connection error, the load balancer's own 503) is neither.
func (p *Probe) observePage(ctx context.Context, round *poll, state map[string]bool) {
	url := urlOf("https", p.Stack.Domain(), "/")
	if status, _, body, err := p.Web.Get(ctx, url); err == nil {
		switch {
		case status == p.Stack.ErrorResponseCode && body == round.errorPage:
			state[url] = true
		case status == 200:
			state[url] = false
		}
	}
}

// measure polls until every signal a drill waits for shows want, recording when each first
// did (an optional one too, should it change meanwhile).
func (p *Probe) measure(ctx context.Context, opts *DrillOptions, signals []Signal, round *poll, want bool, start time.Time, events *[]Event) error {
	// seen: the signal showed want; away: it showed the other state. An optional signal is
	// an event only when it changes within the phase.
	seen, away := map[string]bool{}, map[string]bool{}
	waitingFor := func() (n int) {
		for _, s := range signals {
			if !s.Optional && !seen[s.Name] {
				n++
			}
		}
		return n
	}
	for {
		state, err := p.observe(ctx, round)
		if err != nil && ctx.Err() == nil {
			return err
		}
		for _, s := range signals {
			v, known := state[s.Name]
			if known && v != want {
				away[s.Name] = true
			}
			if known && v == want && !seen[s.Name] && (!s.Optional || away[s.Name]) {
				seen[s.Name] = true
				e := Event{Signal: s.Name + " " + s.words(want, round), Seconds: time.Since(start).Round(100 * time.Millisecond).Seconds()}
				*events = append(*events, e)
				p.log(opts, "%7.1f s  %s\n", e.Seconds, e.Signal)
			}
		}
		if waitingFor() == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("stopped after %.0f s with %d signals still to change: %w", time.Since(start).Seconds(), waitingFor(), context.Cause(ctx))
		case <-time.After(opts.Interval):
		}
	}
}

// Drill fails the stack over on purpose, measures each step, restores the primary and measures
// the way back. Before it touches anything it checks the stack (unless Force) and reads what it
// will restore; whatever happens after the break (an error, the timeout, ctx cancelled by
// Ctrl-C), the primary is restored, or a *RestoreError says what is still broken and how to
// repair it.
func (p *Probe) Drill(ctx context.Context, opts DrillOptions) (timeline *Timeline, err error) {
	if opts.Method != MethodInvert && opts.Method != MethodDeregister {
		return nil, fmt.Errorf("-method %q: one of %s", opts.Method, strings.Join(Methods(), ", "))
	}
	if opts.Method == MethodInvert && p.Stack.Edge() {
		return nil, fmt.Errorf("-method invert: the stack fails over in edge mode, where the health check steers no record (inverting it fails nothing over); use -method deregister, which takes the main site's targets away as an outage would")
	}
	if opts.Interval <= 0 {
		opts.Interval = time.Second
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Minute
	}
	if !opts.Force {
		if results := p.Check(ctx); Failed(results) {
			return nil, fmt.Errorf("the preflight check failed (see failover check; -force drills anyway): %s", firstFailure(results))
		}
	}
	round, err := p.newPoll(ctx)
	if err != nil {
		return nil, err
	}
	if round.health.Inverted {
		return nil, fmt.Errorf("health check %s is already inverted (is the failoverDrill config key on?): nothing to drill", p.Stack.HealthCheckID)
	}
	var targets []Target
	if opts.Method == MethodDeregister {
		if targets, err = p.Targets(ctx); err != nil {
			return nil, err
		}
		if len(targets) == 0 {
			return nil, fmt.Errorf("target group %s has no target to take out", p.Stack.TargetGroupARN)
		}
	}

	ctx, cancel := context.WithTimeoutCause(ctx, opts.Timeout, fmt.Errorf("the drill's timeout (%s)", opts.Timeout))
	defer cancel()
	timeline = &Timeline{Method: opts.Method, Estimate: p.Stack.Estimate, Failover: []Event{}, Recovery: []Event{}}
	signals := p.signals(round.nameServers, opts.Method)

	broken := true
	restore := func() error {
		broken = false // one attempt: a failed one says how to repair
		// The restore must run even when ctx is cancelled or out of time.
		rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer rcancel()
		if err := p.setBroken(rctx, opts.Method, targets, false); err != nil {
			return p.restoreError(opts.Method, targets, err)
		}
		return nil
	}
	defer func() {
		if broken {
			err = errors.Join(err, restore())
		}
	}()

	p.log(&opts, "broke the primary (%s); seconds after the break:\n", opts.Method)
	start := time.Now()
	if err := p.setBroken(ctx, opts.Method, targets, true); err != nil {
		return timeline, err
	}
	if opts.Method == MethodInvert {
		p.log(&opts, "        health check %s Inverted: Route 53 routes away whatever its checkers find, which may read healthy throughout; the drill waits for Route 53's answers and the page\n",
			p.Stack.HealthCheckID)
	}
	if err := p.measure(ctx, &opts, signals, round, true, start, &timeline.Failover); err != nil {
		return timeline, fmt.Errorf("failing over: %w", err)
	}
	start = time.Now()
	if err := restore(); err != nil {
		return timeline, err
	}
	p.log(&opts, "restored the primary; seconds after the restore:\n")
	if err := p.measure(ctx, &opts, signals, round, false, start, &timeline.Recovery); err != nil {
		return timeline, fmt.Errorf("coming back: %w", err)
	}
	return timeline, nil
}

func (p *Probe) log(opts *DrillOptions, format string, args ...any) {
	if opts.Log != nil {
		fmt.Fprintf(opts.Log, format, args...)
	}
}

// setBroken breaks the primary by method, or restores it. Deregistering first suspends the Auto
// Scaling group's processes that would fight the drill, and registering resumes them after.
func (p *Probe) setBroken(ctx context.Context, method string, targets []Target, broken bool) error {
	if method == MethodInvert {
		return p.SetInverted(ctx, broken)
	}
	if p.Stack.AutoScalingGroup != "" && broken {
		if err := p.SetGroupSuspended(ctx, true); err != nil {
			return err
		}
	}
	if err := p.SetTargets(ctx, targets, !broken); err != nil {
		return err
	}
	if p.Stack.AutoScalingGroup != "" && !broken {
		return p.SetGroupSuspended(ctx, false)
	}
	return nil
}

func (p *Probe) restoreError(method string, targets []Target, err error) error {
	if method == MethodInvert {
		return &RestoreError{
			Broken: fmt.Sprintf("health check %s is inverted, so the names stay on the error page", p.Stack.HealthCheckID),
			Repair: fmt.Sprintf("aws route53 update-health-check --health-check-id %s --no-inverted", p.Stack.HealthCheckID),
			Err:    err,
		}
	}
	var ids []string
	for _, t := range targets {
		ids = append(ids, fmt.Sprintf("Id=%s,Port=%d", t.ID, t.Port))
	}
	region, _ := regionOf(p.Stack.TargetGroupARN)
	restore := &RestoreError{
		Broken: fmt.Sprintf("the targets %s are out of target group %s, so the load balancer answers 503", strings.Join(ids, " "), p.Stack.TargetGroupARN),
		Repair: fmt.Sprintf("aws elbv2 register-targets --region %s --target-group-arn %s --targets %s", region, p.Stack.TargetGroupARN, strings.Join(ids, " ")),
		Err:    err,
	}
	if p.Stack.AutoScalingGroup != "" {
		restore.Broken += fmt.Sprintf(", and group %s does not replace instances", p.Stack.AutoScalingGroup)
		restore.Repair += fmt.Sprintf(" && aws autoscaling resume-processes --region %s --auto-scaling-group-name %s", region, p.Stack.AutoScalingGroup)
	}
	return restore
}

func firstFailure(results []Result) string {
	for _, r := range results {
		if !r.OK {
			return r.Check + ": " + r.Detail
		}
	}
	return ""
}

// Watch polls the signals every interval and writes each change as it happens, until ctx ends
// (Ctrl-C, or the duration the caller set): a timeline of a real outage, or of a maintenance
// someone else performs. It changes nothing.
func (p *Probe) Watch(ctx context.Context, interval time.Duration, out io.Writer) error {
	if interval <= 0 {
		interval = time.Second
	}
	round, err := p.newPoll(ctx)
	if err != nil {
		return err
	}
	signals := p.signals(round.nameServers, "")
	start := time.Now()
	last := map[string]bool{}
	for {
		state, err := p.observe(ctx, round)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		for _, s := range signals {
			v, known := state[s.Name]
			if was, seen := last[s.Name]; !known || (seen && was == v) {
				continue
			}
			last[s.Name] = v
			fmt.Fprintf(out, "%s %7.1f s  %s %s\n", time.Now().UTC().Format(time.TimeOnly), time.Since(start).Seconds(), s.Name, s.words(v, round))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(interval):
		}
	}
}
