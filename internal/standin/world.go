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
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/miekg/dns"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
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

// World is one deployed stack, made from a plan of it: its resources in moto, and its data plane
// (Route 53's answers and checkers, the load balancer, CloudFront) served from the simulated
// account the plan left behind (mockcloud's traffic model), with what the failover command
// changed in moto (the health check's Inverted, the group's targets) carried over.
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
	// account is the traffic model's account; ends maps its ends' DNS names to their addresses.
	account *mockcloud.Account
	ends    map[string]string
	// primary is the primary's state as moto holds it; readAt is when it was last read (reads
	// within readEvery reuse it: one poll asks many times).
	primary delayed
	readAt  time.Time
	// statusReads counts GetHealthCheckStatus calls.
	statusReads int
	// Faults of the API and the registrar: a refused status, a refused restore, a wrong
	// delegation.
	failStatus, refuseRestore bool
	delegation                []string
	closers                   []func()
	// policy is the IAM policy EnforceIAM enforces, nil for none.
	policy map[string]any
}

// NewWorld creates the resources of the stack that plan plans in moto and starts its stand-ins;
// Close stops them.
func NewWorld(ctx context.Context, moto *Moto, plan *Plan, opts Options) (*World, error) {
	w := &World{
		Names: plan.Names(), LoadBalancer: plan.str("albDnsName"), Distribution: plan.str("errorSiteDomainName"),
		opts: opts, plan: plan, moto: moto, direct: Config(moto.URL), primary: delayed{now: asDeployed, before: asDeployed},
	}
	if len(w.Names) == 0 || w.LoadBalancer == "" || w.Distribution == "" {
		return nil, errors.New("the plan's outputs lack servedNames, albDnsName or errorSiteDomainName")
	}
	w.ends = map[string]string{w.LoadBalancer: LoadBalancerIP, w.Distribution: CloudFrontIP}
	var err error
	if w.account, err = plan.account(); err != nil {
		return nil, err
	}
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

// Fault breaks the deployed stack. Three faults change the account as a hand edit in the
// console would, and the traffic model answers what follows: "answer CloudFront" (the served
// names' PRIMARY records alias the distribution), "no redirect" (the load balancer's HTTP
// listener forwards to the target group instead of redirecting), "error page 200" (the
// distribution's error responses answer 200). The others are the API's and the registrar's:
// "fail status" (GetHealthCheckStatus answers 500), "refuse restore" (putting the health check
// back, or the targets, is refused), "undelegated" (the resolver sees other name servers).
func (w *World) Fault(name string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch name {
	case "answer CloudFront":
		for _, rs := range w.account.RecordSets {
			if rs.Failover == "PRIMARY" && slices.Contains(w.Names, rs.Name) {
				rs.AliasTarget, rs.AliasZoneID, rs.EvaluateTargetHealth = w.Distribution, mockcloud.CloudFrontZoneID, false
			}
		}
	case "no redirect":
		forward := []any{map[string]any{"type": "forward", "targetGroupArn": w.plan.str("targetGroupArn")}}
		for _, r := range w.account.Resources {
			if r.Type == awstype.Listener && r.Inputs["port"].IsNumber() && r.Inputs["port"].NumberValue() == 80 {
				r.Inputs["defaultActions"] = resource.NewPropertyValue(forward)
			}
		}
	case "error page 200":
		for _, r := range w.account.Resources {
			if r.Type != awstype.Distribution || !r.Inputs["customErrorResponses"].IsArray() {
				continue
			}
			for _, e := range r.Inputs["customErrorResponses"].ArrayValue() {
				if e.IsObject() {
					e.ObjectValue()["responseCode"] = resource.NewNumberProperty(200)
				}
			}
		}
	case "fail status":
		w.failStatus = true
	case "refuse restore":
		w.refuseRestore = true
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

// primaryState is what the failover command changes of the primary: whether its health check
// is inverted and whether the group's instances are registered with the target group.
type primaryState struct{ inverted, registered bool }

var asDeployed = primaryState{inverted: false, registered: true}

// refresh reads the primary's state from moto, unless it did within readEvery.
func (w *World) refresh(ctx context.Context) error {
	w.mu.Lock()
	fresh := time.Since(w.readAt) < readEvery
	w.mu.Unlock()
	if fresh {
		return nil
	}
	inverted, targets, err := w.Primary(ctx)
	if err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.primary.set(primaryState{inverted: inverted, registered: targets > 0})
	w.readAt = time.Now()
	return nil
}

// ask runs query against the traffic model with the primary as seen delay after its changes:
// Route 53's checkers see a change HealthDelay after it, its DNS answers HealthDelay + DNSDelay
// after it, the load balancer at once.
func (w *World) ask(ctx context.Context, delay time.Duration, query func(a *mockcloud.Account)) error {
	if err := w.refresh(ctx); err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	seen := w.primary.after(delay)
	if err := w.account.InvertHealthCheck(w.plan.str("healthCheckId"), seen.inverted); err != nil {
		return err
	}
	if err := w.account.SetTargetsRegistered(w.plan.str("targetGroupArn"), seen.registered); err != nil {
		return err
	}
	query(w.account)
	return nil
}

// resolve is the address Route 53 answers for a served name, and whether it has one.
func (w *World) resolve(ctx context.Context, name string) (string, bool, error) {
	var end string
	var ok bool
	err := w.ask(ctx, w.opts.HealthDelay+w.opts.DNSDelay, func(a *mockcloud.Account) { end, _, ok = a.Resolve(name) })
	w.mu.Lock()
	defer w.mu.Unlock()
	if ip, known := w.ends[strings.TrimPrefix(end, "dualstack.")]; known {
		return ip, ok, err
	}
	return end, ok && net.ParseIP(end) != nil, err
}

// delayed is a state that others see only some time after it changes.
type delayed struct {
	now, before primaryState
	changedAt   time.Time
}

func (d *delayed) set(v primaryState) {
	if v != d.now {
		d.before, d.now, d.changedAt = d.now, v, time.Now()
	}
}

// after is the state as seen delay after its changes.
func (d *delayed) after(delay time.Duration) primaryState {
	if time.Since(d.changedAt) >= delay {
		return d.now
	}
	return d.before
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
			denied(rw, r, iamAction)
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
			var healthy bool
			err := w.ask(r.Context(), w.opts.HealthDelay, func(a *mockcloud.Account) { healthy, _ = a.CheckersSee(w.plan.str("healthCheckId")) })
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
			name := r.URL.Query().Get("recordname")
			ip, ok, err := w.resolve(r.Context(), name)
			if err != nil {
				http.Error(rw, err.Error(), 500)
				return
			}
			code, data := "NXDOMAIN", ""
			if ok {
				code, data = "NOERROR", "<RecordDataEntry>"+ip+"</RecordDataEntry>"
			}
			fmt.Fprintf(rw, `<?xml version="1.0" encoding="UTF-8"?><TestDNSAnswerResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Nameserver>%s</Nameserver><RecordName>%s</RecordName><RecordType>A</RecordType><RecordData>%s</RecordData><ResponseCode>%s</ResponseCode><Protocol>UDP</Protocol></TestDNSAnswerResponse>`,
				w.Resources.NameServers[0], name, data, code)
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
// (KEY/DATE/REGION/SERVICE/aws4_request); for these services it is also their IAM prefix, but
// for iamPrefixes'.
var signingName = regexp.MustCompile(`Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request`)

// iamPrefixes are the IAM prefixes of the services whose signing name differs: the Resource
// Groups Tagging API signs as "tagging" and authorizes as "tag" ("Actions, resources, and
// condition keys for Amazon Resource Group Tagging API", Service Authorization Reference:
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonresourcegrouptaggingapi.html).
var iamPrefixes = map[string]string{"tagging": "tag"}

// actionOf is the IAM action of a call: service:Action, from the query API's Action, the JSON
// API's X-Amz-Target (Service.Action) or Route 53's method and path; "" when unknown.
func actionOf(r *http.Request, queryAction string) string {
	scope := signingName.FindStringSubmatch(r.Header.Get("Authorization"))
	if scope == nil {
		return ""
	}
	service := scope[1]
	if prefix, ok := iamPrefixes[service]; ok {
		service = prefix
	}
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

// denied answers a call the policy does not allow as its service's protocol writes errors: a
// JSON service (X-Amz-Target) with AccessDeniedException in the body's __type ("Common Errors",
// Resource Groups Tagging API Reference:
// https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/CommonErrors.html), the
// query and REST-XML services with AccessDenied in an ErrorResponse.
func denied(rw http.ResponseWriter, r *http.Request, iamAction string) {
	message := "User is not authorized to perform: " + iamAction
	if r.Header.Get("X-Amz-Target") != "" {
		rw.Header().Set("Content-Type", "application/x-amz-json-1.1")
		rw.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(rw, `{"__type":"AccessDeniedException","message":%q}`, message)
		return
	}
	rw.WriteHeader(http.StatusForbidden)
	fmt.Fprintf(rw, `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>%s</Message></Error><RequestId>standin</RequestId></ErrorResponse>`, message)
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

// startDNS answers as the resolver and every name server would: the served names as Route 53
// resolves them (the traffic model), the two ends' own names, and the domain's name servers.
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
		case w.ends[strings.TrimPrefix(name, "dualstack.")] != "":
			a(w.ends[strings.TrimPrefix(name, "dualstack.")])
		default:
			ip, ok, err := w.resolve(context.Background(), name)
			switch {
			case err != nil:
				reply.Rcode = dns.RcodeServerFailure
			case !ok:
				reply.Rcode = dns.RcodeNameError
			default:
				a(ip)
			}
		}
		_ = rw.WriteMsg(reply)
	})}
	go func() { _ = server.ActivateAndServe() }()
	w.NameServer = conn.LocalAddr().String()
	w.closers = append(w.closers, func() { _ = server.Shutdown() })
	return nil
}

// startSites starts the two ends, the load balancer and CloudFront, over HTTPS and HTTP, with a
// certificate of a CA that Roots trusts; each answers what the traffic model says. An end the
// model says takes no connection on a port from here (its security groups, no listener) gets a
// closed port.
func (w *World) startSites() error {
	cert, caDER, err := certificate(append(append([]string{}, w.Names...), w.LoadBalancer, w.Distribution))
	if err != nil {
		return err
	}
	ca, _ := x509.ParseCertificate(caDER)
	// What an end sends for a name none of its certificates covers: a certificate of another
	// name, which the client does not accept.
	other, _, err := certificate([]string{"no-certificate-covers-this-name.invalid"})
	if err != nil {
		return err
	}
	w.Roots = x509.NewCertPool()
	w.Roots.AddCert(ca)
	w.CAPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	_ = closed.Close()
	w.Connect = map[string]string{}
	for end, ip := range w.ends {
		for _, scheme := range []string{"https", "http"} {
			port := map[string]string{"https": "443", "http": "80"}[scheme]
			w.Connect[net.JoinHostPort(ip, port)] = closed.Addr().String()
			if w.account.Serve(end, scheme, end, "/").StoppedAt == mockcloud.StopConnect {
				continue
			}
			server := httptest.NewUnstartedServer(w.site(end, scheme))
			if scheme == "https" {
				minVersion, _ := w.account.MinTLSVersion(end)
				server.TLS = &tls.Config{MinVersion: minVersion, GetCertificate: w.certificateFor(end, &cert, &other)}
				server.StartTLS()
			} else {
				server.Start()
			}
			w.closers = append(w.closers, server.Close)
			w.Connect[net.JoinHostPort(ip, port)] = server.Listener.Addr().String()
		}
	}
	return nil
}

// certificateFor sends, for the name a client asks for, cert when the traffic model says one of
// end's certificates covers it, and other when none does: an Application Load Balancer then
// sends its default certificate, which it uses "if there are no matching certificates in the
// certificate list" ("Default certificate", "SSL certificates for your Application Load
// Balancer", Elastic Load Balancing User Guide: docs.aws.amazon.com/elasticloadbalancing/latest/
// application/https-listener-certificates.html), and which the client rejects.
func (w *World) certificateFor(end string, cert, other *tls.Certificate) func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	return func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
		var answer mockcloud.Answer
		if err := w.ask(hello.Context(), 0, func(a *mockcloud.Account) { answer = a.Serve(end, "https", hello.ServerName, "/") }); err != nil {
			return nil, err
		}
		if answer.StoppedAt == mockcloud.StopTLS {
			return other, nil
		}
		return cert, nil
	}
}

// site answers the requests that reach end over scheme as the traffic model does: the main
// page, the error page, a redirect, a status, or a dropped connection.
func (w *World) site(end, scheme string) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		var answer mockcloud.Answer
		if err := w.ask(r.Context(), 0, func(a *mockcloud.Account) { answer = a.Serve(end, scheme, hostOnly(r.Host), r.URL.Path) }); err != nil {
			http.Error(rw, err.Error(), http.StatusInternalServerError)
			return
		}
		body := map[string]string{mockcloud.PageMain: MainPage, mockcloud.PageError: ErrorPage}[answer.Page]
		switch {
		case answer.Status == 0:
			if conn, _, err := http.NewResponseController(rw).Hijack(); err == nil {
				_ = conn.Close()
			}
			return
		case body == "":
			body = answer.Failure
		}
		if answer.Location != "" {
			rw.Header().Set("Location", answer.Location)
		}
		rw.WriteHeader(answer.Status)
		fmt.Fprint(rw, body)
	}
}

// hostOnly is a Host header without its port.
func hostOnly(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return host
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
