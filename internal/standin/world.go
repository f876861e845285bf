package standin

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/miekg/dns"

	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
)

// The addresses the stand-in DNS gives the two ends; Connect maps them to the local servers.
const (
	LoadBalancerIP = "192.0.2.10"
	CloudFrontIP   = "192.0.2.20"
)

// Page texts the stand-in sites serve.
const (
	MainPage  = "<h1>Test Main Page!</h1>"
	ErrorPage = "<h1>Error Page!</h1>"
)

// Options shape a World.
type Options struct {
	// HealthDelay is how long after the primary breaks (or comes back) Route 53's checkers
	// report it; DNSDelay is how much later the answers follow.
	HealthDelay, DNSDelay time.Duration
	// PendingCertificate leaves the load balancer's certificate PENDING_VALIDATION.
	PendingCertificate bool
	// StaleInstances leaves the group's instance on an older launch template version than the
	// group launches, as a failed instance refresh does.
	StaleInstances bool
	// Refresh is the status of the group's latest instance refresh (InProgress, Failed,
	// RollbackSuccessful...), which the stand-in answers for moto (which has none). Default "":
	// the group has had no refresh.
	Refresh string
}

// World is one deployed stack, made from a plan of it: its resources in moto, Route 53's data
// plane, the two sites. In edge mode the names answer the distribution, which serves the main
// site while the group holds a target and the error page (503) otherwise, and the page itself at
// /_failover/error.html; the load balancer refuses connections from here.
type World struct {
	// Names, LoadBalancer and Distribution are the stack's served names and ends.
	Names                      []string
	LoadBalancer, Distribution string
	// Resources are its resources in moto.
	Resources *Resources
	// AWSEndpoint is the stand-in's endpoint: moto, with Route 53's data plane in front.
	AWSEndpoint string
	// NameServer is the stand-in DNS server (host:port): the resolver and every name server.
	NameServer string
	// Connect maps the ends' addresses to the local TLS and HTTP servers.
	Connect map[string]string
	// Roots trusts the sites' certificates; CAPEM is their CA, for -ca.
	Roots *x509.CertPool
	CAPEM []byte

	opts   Options
	plan   *Plan
	moto   *Moto
	direct aws.Config

	mu sync.Mutex
	// endpoint is whether the load balancer serves, primary whether Route 53 routes to it, as
	// AWS holds them; readAt is when they were last read from moto (reads within readEvery
	// reuse them: one poll asks many times).
	endpoint, primary delayed
	readAt            time.Time
	// statusReads counts GetHealthCheckStatus calls.
	statusReads int
	// Faults: wrong answers, a refused status, a refused restore, no redirect, a 200 error
	// page, a wrong delegation.
	answerCloudFront, failStatus, refuseRestore, noRedirect, errorPageOK bool
	delegation                                                           []string
	closers                                                              []func()
	// policy is the IAM policy EnforceIAM enforces, nil for none.
	policy map[string]any
}

// NewWorld creates the resources of the stack that plan plans in moto and starts its stand-ins;
// Close stops them.
func NewWorld(ctx context.Context, moto *Moto, plan *Plan, opts Options) (*World, error) {
	w := &World{
		Names: plan.Names(), LoadBalancer: plan.str("albDnsName"), Distribution: plan.str("errorSiteDomainName"),
		opts: opts, plan: plan, moto: moto, direct: Config(moto.URL), endpoint: delayed{now: true}, primary: delayed{now: true},
	}
	if len(w.Names) == 0 || w.LoadBalancer == "" || w.Distribution == "" {
		return nil, errors.New("the plan's outputs lack servedNames, albDnsName or errorSiteDomainName")
	}
	var err error
	if w.Resources, err = moto.Create(ctx, plan, opts); err != nil {
		return nil, err
	}
	w.delegation = w.Resources.NameServers
	if err := w.startAPI(); err != nil {
		return nil, err
	}
	if err := w.startDNS(); err != nil {
		w.Close()
		return nil, err
	}
	if err := w.startSites(); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// Close stops the stand-ins.
func (w *World) Close() {
	for _, c := range w.closers {
		c()
	}
}

// Fault switches a fault on: "answer CloudFront" (every name answers CloudFront), "fail status"
// (GetHealthCheckStatus answers 500), "refuse restore" (putting the health check back, or the
// targets, is refused), "no redirect" (HTTP answers 200), "undelegated" (the resolver sees other
// name servers), "error page 200" (the error site answers its page with 200).
func (w *World) Fault(name string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch name {
	case "answer CloudFront":
		w.answerCloudFront = true
	case "fail status":
		w.failStatus = true
	case "refuse restore":
		w.refuseRestore = true
	case "no redirect":
		w.noRedirect = true
	case "error page 200":
		w.errorPageOK = true
	case "undelegated":
		w.delegation = []string{"ns1.registrar-parking.example", "ns2.registrar-parking.example"}
	default:
		panic("unknown fault " + name)
	}
}

// EnforceIAM has the stand-in authorize every call to its endpoint by policy from now on, as
// AWS would for a user who holds exactly that policy. Moto would enforce IAM itself
// (INITIAL_NO_AUTH_ACTION_COUNT), but moto 5.2.1 then refuses every Route 53 call's signature
// (SignatureDoesNotMatch, boto3's too), so the stand-in, which every call passes, decides.
func (w *World) EnforceIAM(policy map[string]any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.policy = policy
}

// allows reports whether the enforced policy (none: anything) allows action: an Allow statement
// whose Action matches and whose Resource is "*" (the stand-in does not work out a call's ARN),
// for "by default, all requests are implicitly denied" ("Policy evaluation logic", IAM User
// Guide: docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
// Action names match without regard to case.
func (w *World) allows(action string) bool {
	w.mu.Lock()
	policy := w.policy
	w.mu.Unlock()
	if policy == nil {
		return true
	}
	statements, _ := policy["Statement"].([]any)
	for _, raw := range statements {
		st, _ := raw.(map[string]any)
		if st["Effect"] == "Allow" && matchesAny(st["Action"], action, true) && matchesAny(st["Resource"], "*", false) {
			return true
		}
	}
	return false
}

// matchesAny: one of a policy element's patterns (a string or a list of them; * and ? as
// wildcards) matches value.
func matchesAny(element any, value string, foldCase bool) bool {
	var patterns []string
	switch e := element.(type) {
	case string:
		patterns = []string{e}
	case []any:
		for _, p := range e {
			if s, ok := p.(string); ok {
				patterns = append(patterns, s)
			}
		}
	}
	for _, p := range patterns {
		if foldCase {
			p, value = strings.ToLower(p), strings.ToLower(value)
		}
		re := "^" + strings.NewReplacer(`\*`, ".*", `\?`, ".").Replace(regexp.QuoteMeta(p)) + "$"
		if ok, _ := regexp.MatchString(re, value); ok {
			return true
		}
	}
	return false
}

// Primary reads, from moto, whether the health check is inverted and how many targets the
// group holds.
func (w *World) Primary(ctx context.Context) (inverted bool, targets int, err error) {
	check, err := route53.NewFromConfig(w.direct).GetHealthCheck(ctx, &route53.GetHealthCheckInput{HealthCheckId: &w.Resources.HealthCheckID})
	if err != nil {
		return false, 0, err
	}
	health, err := elb.NewFromConfig(w.direct, func(o *elb.Options) { o.Region = w.plan.Region() }).DescribeTargetHealth(ctx,
		&elb.DescribeTargetHealthInput{TargetGroupArn: &w.Resources.TargetGroupARN})
	if err != nil {
		return false, 0, err
	}
	return aws.ToBool(check.HealthCheck.HealthCheckConfig.Inverted), len(health.TargetHealthDescriptions), nil
}

// StatusReads returns how many times GetHealthCheckStatus was called.
func (w *World) StatusReads() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.statusReads
}

// Suspended returns the processes of the group that are suspended.
func (w *World) Suspended(ctx context.Context) ([]string, error) {
	out, err := autoscaling.NewFromConfig(w.direct, func(o *autoscaling.Options) { o.Region = w.plan.Region() }).DescribeAutoScalingGroups(ctx,
		&autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{w.Resources.AutoScalingGroup}})
	if err != nil || len(out.AutoScalingGroups) != 1 {
		return nil, fmt.Errorf("group %s: %v", w.Resources.AutoScalingGroup, err)
	}
	var names []string
	for _, p := range out.AutoScalingGroups[0].SuspendedProcesses {
		names = append(names, aws.ToString(p.ProcessName))
	}
	return names, nil
}

// view is what Route 53 reports now: what its checkers observe of the endpoint, and whether the
// names answer the primary, each following a change of the primary after its delay. The checkers
// report the endpoint as they find it: GetHealthCheckStatus lists "one HealthCheckObservation
// element for each Route 53 health checker that is reporting a status about the health check
// endpoint" (Route 53 API Reference, GetHealthCheckStatus), and inverting a check makes Route 53
// "consider a health check unhealthy when it otherwise would be considered healthy" (UpdateHealthCheck,
// Inverted), so an inverted check of a serving site keeps reading Success while the names move
// to the secondary.
func (w *World) view(ctx context.Context) (endpointHealthy, answersPrimary bool, err error) {
	w.mu.Lock()
	fresh := time.Since(w.readAt) < readEvery
	w.mu.Unlock()
	if !fresh {
		inverted, targets, err := w.Primary(ctx)
		if err != nil {
			return false, false, err
		}
		endpoint := targets > 0
		// The primary record needs its health check healthy and (evaluate target health) a
		// healthy target.
		primary := endpoint && !inverted
		w.mu.Lock()
		w.endpoint.set(endpoint)
		w.primary.set(primary)
		w.readAt = time.Now()
		w.mu.Unlock()
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	endpointHealthy = w.endpoint.after(w.opts.HealthDelay)
	answersPrimary = w.primary.after(w.opts.HealthDelay + w.opts.DNSDelay)
	return endpointHealthy, answersPrimary && !w.answerCloudFront && !w.plan.Edge(), nil
}

// delayed is a state that others see only some time after it changes.
type delayed struct {
	now       bool
	changedAt time.Time
}

func (d *delayed) set(v bool) {
	if v != d.now {
		d.now, d.changedAt = v, time.Now()
	}
}

// after is the state as seen delay after its changes.
func (d *delayed) after(delay time.Duration) bool {
	if time.Since(d.changedAt) >= delay {
		return d.now
	}
	return !d.now
}

// action is the Action of a query-protocol request (Auto Scaling's, EC2's), "" for another;
// the body stays readable for the proxy.
func action(r *http.Request) string {
	if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		return ""
	}
	body, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return ""
	}
	form, _ := url.ParseQuery(string(body))
	return form.Get("Action")
}

// readEvery is how long a read of the primary's state from moto is reused.
const readEvery = 20 * time.Millisecond

var (
	statusPath      = regexp.MustCompile(`^/2013-04-01/healthcheck/([^/]+)/status$`)
	healthCheckPath = regexp.MustCompile(`^/2013-04-01/healthcheck/([^/]+)$`)
)

// startAPI serves moto with Route 53's data plane in front: GetHealthCheckStatus and
// TestDNSAnswer from view, and the faults.
func (w *World) startAPI() error {
	target, err := url.Parse(w.moto.URL)
	if err != nil {
		return err
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	server := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		failStatus, refuseRestore := w.failStatus, w.refuseRestore
		w.mu.Unlock()
		queryAction := action(r)
		if iamAction := actionOf(r, queryAction); !w.allows(iamAction) {
			rw.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(rw, `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: %s</Message></Error><RequestId>standin</RequestId></ErrorResponse>`, iamAction)
			return
		}
		switch {
		case queryAction == "DescribeInstanceRefreshes":
			fmt.Fprint(rw, `<DescribeInstanceRefreshesResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><DescribeInstanceRefreshesResult><InstanceRefreshes>`)
			if w.opts.Refresh != "" {
				fmt.Fprintf(rw, `<member><InstanceRefreshId>0a1b2c3d-refresh</InstanceRefreshId><AutoScalingGroupName>%s</AutoScalingGroupName><Status>%s</Status><StatusReason>stand-in refresh</StatusReason><PercentageComplete>40</PercentageComplete></member>`,
					w.Resources.AutoScalingGroup, w.opts.Refresh)
			}
			fmt.Fprint(rw, `</InstanceRefreshes></DescribeInstanceRefreshesResult><ResponseMetadata><RequestId>standin</RequestId></ResponseMetadata></DescribeInstanceRefreshesResponse>`)
		case statusPath.MatchString(r.URL.Path) && failStatus:
			http.Error(rw, "<ErrorResponse><Error><Code>InternalError</Code><Message>stand-in fault</Message></Error></ErrorResponse>", 500)
		case statusPath.MatchString(r.URL.Path):
			w.mu.Lock()
			w.statusReads++
			w.mu.Unlock()
			healthy, _, err := w.view(r.Context())
			if err != nil {
				http.Error(rw, err.Error(), 500)
				return
			}
			// Checkers disagree, as they do while a check changes state: Route 53 holds an
			// endpoint healthy while more than 18% of them report it so. Healthy here is 2 of 8
			// (25%), unhealthy 1 of 8 (12.5%), so that a reading of "any" or "most" checkers
			// gets both wrong.
			succeeding := 1
			if healthy {
				succeeding = 2
			}
			fmt.Fprint(rw, `<?xml version="1.0" encoding="UTF-8"?><GetHealthCheckStatusResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><HealthCheckObservations>`)
			for i, region := range mockcloud.HealthCheckerRegions() {
				status := "Failure: HTTP Status Code 503, Service Unavailable."
				if i < succeeding {
					status = "Success: HTTP Status Code 200, OK."
				}
				fmt.Fprintf(rw, `<HealthCheckObservation><Region>%s</Region><IPAddress>15.177.0.%d</IPAddress><StatusReport><Status>%s</Status><CheckedTime>%s</CheckedTime></StatusReport></HealthCheckObservation>`,
					region, i+1, status, time.Now().UTC().Format(time.RFC3339))
			}
			fmt.Fprint(rw, `</HealthCheckObservations></GetHealthCheckStatusResponse>`)
		case r.URL.Path == "/2013-04-01/testdnsanswer":
			_, primary, err := w.view(r.Context())
			if err != nil {
				http.Error(rw, err.Error(), 500)
				return
			}
			fmt.Fprintf(rw, `<?xml version="1.0" encoding="UTF-8"?><TestDNSAnswerResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Nameserver>%s</Nameserver><RecordName>%s</RecordName><RecordType>A</RecordType><RecordData><RecordDataEntry>%s</RecordDataEntry></RecordData><ResponseCode>NOERROR</ResponseCode><Protocol>UDP</Protocol></TestDNSAnswerResponse>`,
				w.Resources.NameServers[0], r.URL.Query().Get("recordname"), answer(primary))
		case refuseRestore && r.Method == http.MethodPost && healthCheckPath.MatchString(r.URL.Path):
			http.Error(rw, "<ErrorResponse><Error><Code>Throttling</Code><Message>stand-in fault</Message></Error></ErrorResponse>", 400)
		case refuseRestore && r.Method == http.MethodPost && strings.Contains(r.Header.Get("Content-Type"), "x-www-form-urlencoded") && formAction(r) == "RegisterTargets":
			http.Error(rw, "<ErrorResponse><Error><Code>Throttling</Code><Message>stand-in fault</Message></Error></ErrorResponse>", 400)
		default:
			proxy.ServeHTTP(rw, r)
		}
	}))
	w.AWSEndpoint = server.URL
	w.closers = append(w.closers, server.Close)
	return nil
}

// route53Actions name the Route 53 REST calls the failover command makes ("Actions", Route 53
// API Reference: the method and path of each).
var route53Actions = []struct {
	method string
	path   *regexp.Regexp
	action string
}{
	{http.MethodGet, regexp.MustCompile(`^/2013-04-01/hostedzone/[^/]+$`), "GetHostedZone"},
	{http.MethodGet, healthCheckPath, "GetHealthCheck"},
	{http.MethodPost, healthCheckPath, "UpdateHealthCheck"},
	{http.MethodGet, statusPath, "GetHealthCheckStatus"},
	{http.MethodGet, regexp.MustCompile(`^/2013-04-01/testdnsanswer$`), "TestDNSAnswer"},
}

// signingName is the service a request is signed for, from its SigV4 credential scope
// (KEY/DATE/REGION/SERVICE/aws4_request); for these services it is also their IAM prefix.
var signingName = regexp.MustCompile(`Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request`)

// actionOf is the IAM action of a call: service:Action, from the query API's Action, the JSON
// API's X-Amz-Target (Service.Action) or Route 53's method and path; "" when unknown.
func actionOf(r *http.Request, queryAction string) string {
	scope := signingName.FindStringSubmatch(r.Header.Get("Authorization"))
	if scope == nil {
		return ""
	}
	service := scope[1]
	switch target := r.Header.Get("X-Amz-Target"); {
	case queryAction != "":
		return service + ":" + queryAction
	case target != "":
		return service + ":" + target[strings.LastIndex(target, ".")+1:]
	case service == "route53":
		for _, a := range route53Actions {
			if r.Method == a.method && a.path.MatchString(r.URL.Path) {
				return service + ":" + a.action
			}
		}
	}
	return ""
}

// formAction reads a query API call's Action and leaves the body for the proxy.
func formAction(r *http.Request) string {
	if err := r.ParseForm(); err != nil {
		return ""
	}
	body := r.PostForm.Encode()
	r.Body, r.ContentLength = io.NopCloser(strings.NewReader(body)), int64(len(body))
	return r.PostForm.Get("Action")
}

func answer(primary bool) string {
	if primary {
		return LoadBalancerIP
	}
	return CloudFrontIP
}

// startDNS answers as the resolver and every name server would: the served names by view, the
// two ends' own names, and the domain's name servers.
func (w *World) startDNS() error {
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	server := &dns.Server{PacketConn: conn, Handler: dns.HandlerFunc(func(rw dns.ResponseWriter, q *dns.Msg) {
		reply := new(dns.Msg)
		reply.SetReply(q)
		question := q.Question[0]
		name := strings.ToLower(strings.TrimSuffix(question.Name, "."))
		a := func(ip string) {
			reply.Answer = append(reply.Answer, &dns.A{Hdr: dns.RR_Header{Name: question.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60}, A: net.ParseIP(ip)})
		}
		switch {
		case question.Qtype == dns.TypeNS && name == w.Names[0]:
			w.mu.Lock()
			for _, ns := range w.delegation {
				reply.Answer = append(reply.Answer, &dns.NS{Hdr: dns.RR_Header{Name: question.Name, Rrtype: dns.TypeNS, Class: dns.ClassINET, Ttl: 172800}, Ns: dns.Fqdn(ns)})
			}
			w.mu.Unlock()
		case question.Qtype != dns.TypeA:
		case name == w.LoadBalancer || name == "dualstack."+w.LoadBalancer:
			a(LoadBalancerIP)
		case name == w.Distribution:
			a(CloudFrontIP)
		case name == w.Names[0] || name == w.Names[1]:
			_, primary, err := w.view(context.Background())
			if err != nil {
				reply.Rcode = dns.RcodeServerFailure
				break
			}
			a(answer(primary))
		default:
			reply.Rcode = dns.RcodeNameError
		}
		_ = rw.WriteMsg(reply)
	})}
	go func() { _ = server.ActivateAndServe() }()
	w.NameServer = conn.LocalAddr().String()
	w.closers = append(w.closers, func() { _ = server.Shutdown() })
	return nil
}

// startSites starts the load balancer (HTTPS: the main page while the group holds a target,
// else 503; HTTP: a 301 to HTTPS) and CloudFront (HTTPS: every path the error page with 503),
// with a certificate of a CA that Roots trusts. The load balancer speaks TLS 1.2 and 1.3 only.
func (w *World) startSites() error {
	cert, caDER, err := certificate(append(append([]string{}, w.Names...), w.LoadBalancer, w.Distribution))
	if err != nil {
		return err
	}
	ca, _ := x509.ParseCertificate(caDER)
	w.Roots = x509.NewCertPool()
	w.Roots.AddCert(ca)
	w.CAPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	start := func(handler http.HandlerFunc, tlsOn bool) string {
		server := httptest.NewUnstartedServer(handler)
		if tlsOn {
			server.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
			server.StartTLS()
		} else {
			server.Start()
		}
		w.closers = append(w.closers, server.Close)
		return server.Listener.Addr().String()
	}
	lbHTTPS := start(func(rw http.ResponseWriter, r *http.Request) {
		if _, targets, err := w.Primary(r.Context()); err != nil || targets == 0 {
			http.Error(rw, "503 Service Temporarily Unavailable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(rw, MainPage)
	}, true)
	lbHTTP := start(func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		noRedirect := w.noRedirect
		w.mu.Unlock()
		if noRedirect {
			fmt.Fprint(rw, MainPage)
			return
		}
		// An ALB redirect action builds its Location from #{protocol}://#{host}:#{port}/#{path}
		// ?#{query}, the port written out ("Redirect actions", Elastic Load Balancing User Guide
		// for Application Load Balancers: docs.aws.amazon.com/elasticloadbalancing/latest/
		// application/load-balancer-listeners.html#redirect-actions).
		http.Redirect(rw, r, "https://"+hostOnly(r.Host)+":443"+r.URL.Path, http.StatusMovedPermanently)
	}, false)
	// CloudFront's redirect-to-https answers 301 with the request's URL in HTTPS, no port
	// ("Viewer protocol policy", CloudFront Developer Guide: docs.aws.amazon.com/AmazonCloudFront/
	// latest/DeveloperGuide/DownloadDistValuesCacheBehavior.html#DownloadDistValuesViewerProtocolPolicy).
	cloudFrontHTTP := start(func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, "https://"+hostOnly(r.Host)+r.URL.Path, http.StatusMovedPermanently)
	}, false)
	cloudFront := start(func(rw http.ResponseWriter, r *http.Request) {
		if w.plan.Edge() {
			w.edgeResponse(rw, r)
			return
		}
		w.mu.Lock()
		errorPageOK := w.errorPageOK
		w.mu.Unlock()
		if !errorPageOK {
			rw.WriteHeader(http.StatusServiceUnavailable)
		}
		fmt.Fprint(rw, ErrorPage)
	}, true)
	w.Connect = map[string]string{
		LoadBalancerIP + ":443": lbHTTPS, LoadBalancerIP + ":80": lbHTTP, CloudFrontIP + ":443": cloudFront,
	}
	if w.plan.Edge() {
		// Only CloudFront reaches the load balancer: from here, a refused connection.
		closed, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		_ = closed.Close()
		w.Connect[LoadBalancerIP+":443"], w.Connect[LoadBalancerIP+":80"] = closed.Addr().String(), closed.Addr().String()
		w.Connect[CloudFrontIP+":80"] = cloudFrontHTTP
	}
	return nil
}

// hostOnly is a Host header without its port.
func hostOnly(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return host
}

// edgeResponse answers as an edge-mode distribution: its origin group serves the main page
// while the group holds a target, the error page with 503 when the load balancer answers 503,
// and the page itself at its own path.
func (w *World) edgeResponse(rw http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/_failover/error.html" {
		fmt.Fprint(rw, ErrorPage)
		return
	}
	if _, targets, err := w.Primary(r.Context()); err != nil || targets == 0 {
		rw.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(rw, ErrorPage)
		return
	}
	fmt.Fprint(rw, MainPage)
}

// certificate makes a CA and a server certificate for names, signed by it; it returns the
// server's and the CA's.
func certificate(names []string) (tls.Certificate, []byte, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	now := time.Now()
	caTemplate := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "stand-in CA"}, NotBefore: now.Add(-time.Hour),
		NotAfter: now.Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTemplate, caTemplate, &caKey.PublicKey, caKey)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	der, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: names[0]}, DNSNames: names,
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}, ca, &key.PublicKey, caKey)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, caDER, nil
}
