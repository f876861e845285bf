package mockcloud

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
	"github.com/seed-2b23e6e5/route53-failover/internal/bootscript"
)

// The visitor model: what a client on the internet gets for a served name and path, from the
// account as it stands, hop by hop (DNS, TLS, security groups, listener and rules, targets,
// CloudFront's behaviours, origin groups and functions, the bucket). It answers the steady state
// each hop settles into (a health check as its checkers will see it, a target as its checks will
// find it), which is what a visitor meets a minute after a change.

const (
	// PageMain is the main site's page: served by a healthy instance.
	PageMain = "main"
	// PageError is the error page: an object of the error bucket.
	PageError = "error"
)

// Answer is what a visitor gets for one name and path.
type Answer struct {
	// Name and Path are what the visitor asked for, over HTTPS unless Scheme says "http".
	Name   string `json:"name"`
	Path   string `json:"path"`
	Scheme string `json:"scheme,omitempty"`
	// Status is the HTTP status of the answer; 0 when there was none (no such name, a refused
	// connection, a timeout, a TLS error).
	Status int `json:"status,omitempty"`
	// Page is PageMain or PageError, or "" for anything else.
	Page string `json:"page,omitempty"`
	// Failure says why the visitor got neither page ("" when it got one).
	Failure string `json:"failure,omitempty"`
	// StoppedAt says where a request without an HTTP answer stopped: StopDNS, StopConnect or
	// StopTLS ("" when it was answered).
	StoppedAt string `json:"stoppedAt,omitempty"`
	// Location is where a redirect sends the visitor.
	Location string `json:"location,omitempty"`
	// Route lists the hops the request took.
	Route []string `json:"route"`
}

// Where a request that got no HTTP answer stopped (Answer.StoppedAt).
const (
	// StopDNS: the name did not resolve.
	StopDNS = "dns"
	// StopConnect: no connection (a security group that admits nothing, no listener).
	StopConnect = "connect"
	// StopTLS: the TLS handshake failed (no certificate covers the name, say).
	StopTLS = "tls"
)

// Served reports whether the visitor got the main page (200) or the error page with errorCode.
func (a Answer) Served(errorCode int) bool {
	return (a.Page == PageMain && a.Status == 200) || (a.Page == PageError && a.Status == errorCode)
}

// String is the answer in one line: what came back, then the route.
func (a Answer) String() string {
	what := fmt.Sprintf("%d %s page", a.Status, a.Page)
	if a.Failure != "" {
		what = a.Failure
	}
	scheme := a.Scheme
	if scheme == "" {
		scheme = "https"
	}
	return fmt.Sprintf("%s://%s%s → %s (%s)", scheme, a.Name, a.Path, what, strings.Join(a.Route, " → "))
}

// Visit answers a visitor's HTTPS request for name and path.
func (a *Account) Visit(name, urlPath string) Answer {
	return ForEngine(a, "").visit(name, urlPath)
}

// VisitWithMainSiteDown answers the request as Visit does, with every instance of the main site
// failing its checks (Apache stopped, say): what a visitor gets while the site is down. The
// visitor reloads the main page it holds, so the request is conditional (If-None-Match and
// If-Modified-Since), and the model lets those headers reach the origin's functions, where
// they are read-only.
func (a *Account) VisitWithMainSiteDown(name, urlPath string) Answer {
	c := ForEngine(a, "")
	c.mainSiteDown, c.reload = true, true
	return c.visit(name, urlPath)
}

func (c *Cloud) visit(name, urlPath string) Answer {
	answer := Answer{Name: name, Path: urlPath}
	target, why, ok := c.resolve(strings.ToLower(name), 0)
	if !ok {
		answer.Failure, answer.StoppedAt = fmt.Sprintf("no answer for %s: %s", name, why), StopDNS
		return answer
	}
	answer.fill(c.endAnswer(target, "https", strings.ToLower(name), urlPath))
	answer.Route = append([]string{"DNS " + why}, answer.Route...)
	return answer
}

// endAnswer is what the end a name resolved to (a distribution's or a load balancer's DNS name,
// or an address) answers a request over scheme for host and path.
func (c *Cloud) endAnswer(end, scheme, host, urlPath string) response {
	switch {
	case strings.HasSuffix(end, ".cloudfront.net"):
		if d, ok := c.findOutput(awstype.Distribution, "domainName", end); ok {
			return c.cloudFront(d, scheme, host, urlPath)
		}
		return failed(nil, "%s names no distribution of the account", end)
	case strings.HasSuffix(end, ".elb.amazonaws.com"):
		return c.loadBalancerAnswer(end, scheme, host, urlPath, internet, nil, true)
	case slices.Contains(c.account.Existing.WebServers, end):
		return response{status: 200, page: PageMain, route: []string{"the web server at " + end + ", outside the stack"}}
	}
	return failed(nil, "%s is not served by the account", end)
}

func (a *Answer) fill(r response) {
	a.Status, a.Page, a.Failure, a.StoppedAt, a.Location, a.Route = r.status, r.page, r.failure, r.stoppedAt, r.location, r.route
}

// response is what one hop answered: a status (0 for no HTTP answer, with where it stopped) and
// the page or the redirect's location, or why not.
type response struct {
	status    int
	page      string
	location  string
	failure   string
	stoppedAt string
	route     []string
}

func (r *response) hop(format string, args ...any) {
	r.route = append(r.route, fmt.Sprintf(format, args...))
}

func failed(route []string, format string, args ...any) response {
	return response{failure: fmt.Sprintf(format, args...), route: route}
}

// stopped is a request that got no HTTP answer: it stopped at stage (StopConnect, StopTLS).
func stopped(stage string, route []string, format string, args ...any) response {
	r := failed(route, format, args...)
	r.stoppedAt = stage
	return r
}

func (r response) failureOrStatus() string {
	if r.status == 0 {
		return r.failure
	}
	return fmt.Sprint(r.status)
}

// resolve answers an A query the way Route 53 does: a plain record, or the failover pair (the
// PRIMARY while it is healthy, else a healthy SECONDARY, else the PRIMARY: Route 53 Developer
// Guide, "How Amazon Route 53 chooses records when health checking is configured"). It returns
// the alias target and how it was chosen.
func (c *Cloud) resolve(name string, depth int) (target, why string, ok bool) {
	var plain, primary, secondary *RecordSet
	for _, rs := range c.account.RecordSets {
		if rs.Name != name || rs.Type != "A" {
			continue
		}
		if zone, ok := c.zone(rs.ZoneID); !ok || zone.Private {
			continue
		}
		switch rs.Failover {
		case "PRIMARY":
			primary = rs
		case "SECONDARY":
			secondary = rs
		default:
			plain = rs
		}
	}
	switch {
	case plain != nil && plain.AliasTarget == "":
		return plain.target(), name + " has the address " + plain.target(), plain.target() != ""
	case plain != nil:
		return plain.AliasTarget, name + " is an alias of " + plain.AliasTarget, true
	case primary == nil && secondary == nil:
		return "", "the zone has no A record", false
	}
	primaryHealthy, whyNot := false, "there is none"
	if primary != nil {
		primaryHealthy, whyNot = c.recordHealthy(primary, depth)
	}
	if !primaryHealthy && secondary != nil {
		if healthy, _ := c.recordHealthy(secondary, depth); healthy || primary == nil {
			return secondary.target(), fmt.Sprintf("SECONDARY %s (the PRIMARY is unhealthy: %s)", secondary.target(), whyNot), true
		}
	}
	if !primaryHealthy {
		return primary.target(), fmt.Sprintf("PRIMARY %s although unhealthy (%s): no healthy SECONDARY", primary.target(), whyNot), true
	}
	return primary.target(), "PRIMARY " + primary.target(), true
}

// target is where a record set sends a visitor: its alias target, or its first address.
func (rs *RecordSet) target() string {
	if rs.AliasTarget != "" || len(rs.Values) == 0 {
		return rs.AliasTarget
	}
	return rs.Values[0]
}

// recordHealthy is a failover record's health: its health check's, and with evaluate target
// health its target's.
func (c *Cloud) recordHealthy(rs *RecordSet, depth int) (bool, string) {
	if rs.HealthCheckID != "" {
		if ok, why := c.healthCheckHealthy(rs.HealthCheckID, depth); !ok {
			return false, "health check " + why
		}
	}
	if rs.EvaluateTargetHealth && strings.HasSuffix(rs.AliasTarget, ".elb.amazonaws.com") {
		if ok, why := c.loadBalancerHealthy(rs.AliasTarget); !ok {
			return false, "target health: " + why
		}
	}
	return true, ""
}

// healthCheckHealthy is what Route 53's checkers settle on for an HTTPS check: a 2xx or 3xx
// from the endpoint. They do not check the certificate (Route 53 Developer Guide, "How Amazon
// Route 53 determines whether a health check is healthy").
func (c *Cloud) healthCheckHealthy(id string, depth int) (bool, string) {
	hc, ok := c.resource(awstype.HealthCheck, id)
	if !ok {
		return false, "does not exist"
	}
	in := storedInputs[healthCheckInputs](hc)
	if in.Disabled {
		return true, "" // Route 53 considers a disabled check healthy
	}
	healthy, why := c.endpointHealthy(in, depth)
	if in.InvertHealthcheck {
		return !healthy, "is inverted"
	}
	return healthy, why
}

// endpointHealthy is what a health check's checkers observe of its endpoint, which inverting
// the check does not change.
func (c *Cloud) endpointHealthy(in healthCheckInputs, depth int) (bool, string) {
	fqdn, checkPath := strings.ToLower(in.FQDN), in.ResourcePath
	if checkPath == "" {
		checkPath = "/"
	}
	var r response
	switch {
	case depth > 3:
		r = failed(nil, "loops through its own records")
	case strings.HasSuffix(fqdn, ".elb.amazonaws.com"):
		r = c.loadBalancerAnswer(fqdn, "https", fqdn, checkPath, internet, nil, false)
	default:
		target, why, found := c.resolve(fqdn, depth+1)
		switch {
		case !found:
			r = failed(nil, "%s does not resolve: %s", fqdn, why)
		case strings.HasSuffix(target, ".cloudfront.net"):
			if d, ok := c.findOutput(awstype.Distribution, "domainName", target); ok {
				r = c.cloudFront(d, "https", fqdn, checkPath)
			} else {
				r = failed(nil, "%s names no distribution", target)
			}
		default:
			r = c.loadBalancerAnswer(target, "https", fqdn, checkPath, internet, nil, false)
		}
	}
	healthy := r.status >= 200 && r.status < 400
	got := r.failure
	if got == "" {
		got = fmt.Sprint(r.status)
	}
	return healthy, "gets " + got + " from " + fqdn
}

// client is who connects to a load balancer.
type client int

const (
	internet client = iota
	cloudFrontClient
)

func (cl client) String() string {
	if cl == cloudFrontClient {
		return "CloudFront"
	}
	return "the internet"
}

// loadBalancerAnswer is what a load balancer answers a request over scheme ("https" on 443,
// "http" on 80) for host and path from a client carrying headers; checkName says whether the
// certificate must cover host (Route 53's checkers do not check it).
func (c *Cloud) loadBalancerAnswer(dnsName, scheme, host, urlPath string, from client, headers map[string]string, checkName bool) response {
	var r response
	lb, ok := c.findOutput(awstype.LoadBalancer, "dnsName", strings.TrimPrefix(dnsName, "dualstack."))
	if !ok {
		return failed(nil, "%s names no load balancer of the account", dnsName)
	}
	r.hop("load balancer %s", stringArg(lb.out(), "name"))
	groups := storedInputs[loadBalancerInputs](lb).SecurityGroups
	if len(groups) == 0 {
		groups = stringsArg(lb.out(), "securityGroups")
	}
	port, protocol := 443, "HTTPS"
	if scheme == "http" {
		port, protocol = 80, "HTTP"
	}
	if !c.permits(groups, "ingress", port, peer{from: from}, lb.Region) {
		return stopped(StopConnect, r.route, "timeout: the load balancer's security groups admit nothing from %s on %d", from, port)
	}
	listener := c.listenerOn(lb.ID, port)
	if listener == nil {
		return stopped(StopConnect, r.route, "connection refused: no listener on %d", port)
	}
	if storedInputs[listenerInputs](listener).Protocol != protocol {
		return stopped(StopTLS, r.route, "TLS error: the listener on %d does not speak %s", port, protocol)
	}
	if problem := c.certificateFor(c.listenerCertificates(listener), host); protocol == "HTTPS" && checkName && problem != "" {
		return stopped(StopTLS, r.route, "TLS error: %s", problem)
	}
	action, which := c.listenerAction(listener, host, urlPath, headers)
	r.hop("%s", which)
	switch action.Type {
	case "forward":
		t := c.targetGroupAnswer(action.TargetGroupArn, urlPath)
		r.route = append(r.route, t.route...)
		r.status, r.page, r.failure = t.status, t.page, t.failure
	case "fixed-response":
		code := 0
		if action.FixedResponse != nil {
			code, _ = strconv.Atoi(action.FixedResponse.StatusCode)
		}
		r.status, r.failure = code, fmt.Sprintf("HTTP %d from the listener's fixed response", code)
	case "redirect":
		r.status, r.location = action.Redirect.answer(scheme, host, port, urlPath)
		r.failure = fmt.Sprintf("HTTP %d from the listener's redirect to %s", r.status, r.location)
	default:
		r.failure = fmt.Sprintf("the listener's action %q is not modelled", action.Type)
	}
	return r
}

// answer is a redirect action's status and Location for a request over scheme to host:port and
// path: "a URI consists of the following components: protocol://hostname:port/path?query ...
// Any components that you do not modify retain their original values", and a component may
// reuse the request's with #{protocol}, #{host}, #{port}, #{path} (without its leading "/") and
// #{query} (RedirectActionConfig, Elastic Load Balancing API Reference:
// docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RedirectActionConfig.html).
// The Location spells the port out.
func (rd *redirectAction) answer(scheme, host string, port int, urlPath string) (int, string) {
	if rd == nil {
		return 0, ""
	}
	or := func(v, request string) string {
		if v == "" {
			return request
		}
		return strings.NewReplacer("#{protocol}", scheme, "#{host}", host, "#{port}", strconv.Itoa(port),
			"#{path}", strings.TrimPrefix(urlPath, "/"), "#{query}", "").Replace(v)
	}
	status := 301
	if rd.StatusCode == "HTTP_302" {
		status = 302
	}
	location := fmt.Sprintf("%s://%s:%s%s", strings.ToLower(or(rd.Protocol, scheme)), or(rd.Host, host),
		or(rd.Port, strconv.Itoa(port)), or(rd.Path, urlPath))
	if query := or(rd.Query, ""); query != "" {
		location += "?" + query
	}
	return status, location
}

// listenerOn returns the load balancer's listener on port, or nil.
func (c *Cloud) listenerOn(lbARN string, port int) *Resource {
	for _, l := range c.ofType(awstype.Listener) {
		if in := storedInputs[listenerInputs](l); in.LoadBalancerArn == lbARN && int(in.Port) == port {
			return l
		}
	}
	return nil
}

// listenerCertificates are a listener's default certificate and its listener certificates (SNI).
func (c *Cloud) listenerCertificates(listener *Resource) []string {
	arns := []string{storedInputs[listenerInputs](listener).CertificateArn}
	for _, lc := range c.ofType(awstype.ListenerCertificate) {
		if in := storedInputs[listenerCertificateInputs](lc); in.ListenerArn == stringArg(listener.out(), "arn") {
			arns = append(arns, in.CertificateArn)
		}
	}
	return arns
}

// certificateFor returns "" when one of the certificates is issued and covers name, else why not.
func (c *Cloud) certificateFor(arns []string, name string) string {
	for _, arn := range arns {
		if cert, ok := c.certificate(arn); ok && cert.Status == "ISSUED" && cert.covers(name) {
			return ""
		}
	}
	return "no issued certificate covers " + name
}

// listenerAction is the action a listener takes for a request: its rules in priority order,
// then its default action.
func (c *Cloud) listenerAction(listener *Resource, host, urlPath string, headers map[string]string) (listenerAction, string) {
	var rules []listenerRuleInputs
	for _, r := range c.ofType(awstype.ListenerRule) {
		if rule := storedInputs[listenerRuleInputs](r); rule.ListenerArn == stringArg(listener.out(), "arn") {
			rules = append(rules, rule)
		}
	}
	sort.Slice(rules, func(i, j int) bool { return rules[i].Priority < rules[j].Priority })
	for _, rule := range rules {
		if actions := rule.Actions; len(actions) > 0 && rule.matches(host, urlPath, headers) {
			last := actions[len(actions)-1]
			return last, fmt.Sprintf("rule %v (%s)", rule.Priority, last.Type)
		}
	}
	actions := storedInputs[listenerInputs](listener).DefaultActions
	if len(actions) == 0 {
		return listenerAction{}, "no default action"
	}
	last := actions[len(actions)-1]
	return last, fmt.Sprintf("default action (%s)", last.Type)
}

// matches reports whether every condition of a rule matches; a condition the model does not
// know (source IP, query string, method) never matches.
func (rule listenerRuleInputs) matches(host, urlPath string, headers map[string]string) bool {
	for _, cond := range rule.Conditions {
		var value string
		var values []string
		switch {
		case cond.HTTPHeader != nil:
			value, values = headers[strings.ToLower(cond.HTTPHeader.HTTPHeaderName)], cond.HTTPHeader.Values
		case cond.PathPattern != nil:
			value, values = urlPath, cond.PathPattern.Values
		case cond.HostHeader != nil:
			value, values = host, cond.HostHeader.Values
		default:
			return false
		}
		if value == "" || !slices.ContainsFunc(values, func(pattern string) bool { return wildcard(pattern, value) }) {
			return false
		}
	}
	return true
}

// wildcard matches a load balancer or CloudFront pattern: "*" any run of characters, "?" one.
func wildcard(pattern, s string) bool {
	re := "^" + strings.NewReplacer(`\*`, ".*", `\?`, ".").Replace(regexp.QuoteMeta(pattern)) + "$"
	ok, _ := regexp.MatchString(re, s)
	return ok
}

// targetGroupAnswer is what the target group's targets answer: the main page from a healthy
// instance; 503 with no registered target; with registered targets that are all unhealthy the
// load balancer fails open and sends to them anyway (ELB User Guide, "Health checks for
// Application Load Balancer target groups"), and they cannot answer.
func (c *Cloud) targetGroupAnswer(arn, urlPath string) response {
	var r response
	tg, ok := c.findOutput(awstype.TargetGroup, "arn", arn)
	if !ok {
		return failed(nil, "the target group %s does not exist", arn)
	}
	registered, healthy, why := c.targets(tg)
	switch {
	case registered == 0:
		r.hop("target group %s: no registered target", stringArg(tg.out(), "name"))
		r.status, r.failure = 503, "HTTP 503: the target group has no registered target"
	case healthy == 0:
		r.hop("target group %s: %d registered, none healthy (%s)", stringArg(tg.out(), "name"), registered, why)
		r.status, r.failure = 502, "HTTP 502: no target can answer ("+why+")"
	default:
		r.hop("target group %s: %d of %d healthy", stringArg(tg.out(), "name"), healthy, registered)
		r.status, r.page = 200, PageMain
	}
	return r
}

// targets counts a target group's registered and healthy targets: the instances of the groups
// that put theirs in it (healthy once they can boot and pass the checks), and instances attached
// to it (taken as serving: the account does not know how they boot).
func (c *Cloud) targets(tg *Resource) (registered, healthy int, why string) {
	for _, a := range c.ofType(awstype.TargetGroupAttachment) {
		if storedInputs[targetGroupAttachmentInputs](a).TargetGroupArn == tg.ID {
			registered++
			healthy++
		}
	}
	for _, g := range c.ofType(awstype.AutoScalingGroup) {
		group := storedInputs[autoScalingGroupInputs](g)
		if !slices.Contains(group.TargetGroupArns, tg.ID) || c.account.Deregistered[tg.ID] {
			continue
		}
		n := int(group.MinSize)
		if group.DesiredCapacity != nil {
			n = int(*group.DesiredCapacity)
		}
		registered += n
		if why = c.cannotServe(group, tg); why == "" && c.mainSiteDown {
			why = "the main site is down"
		}
		if why == "" {
			healthy += n
		}
	}
	return registered, healthy, why
}

// cannotServe says why a group's instances can never pass the target group's checks, or "".
// An instance boots the launch template's user data, which installs Apache from the package
// mirrors: it needs a way out to the internet (a public address and a route to an internet
// gateway, or a route to a NAT gateway) that its security groups let out. Then the load
// balancer's security group must let the check out to the instances, theirs must let it in, and
// the check's path must be a page the boot script writes, as the main site's own adapter
// (bootscript.Serves) says: the model reads no script.
func (c *Cloud) cannotServe(group autoScalingGroupInputs, tg *Resource) string {
	template, ok := c.resource(awstype.LaunchTemplate, group.LaunchTemplate.ID)
	if !ok {
		return "its launch template does not exist"
	}
	lt := storedInputs[launchTemplateInputs](template)
	groups, publicIP := lt.VpcSecurityGroupIDs, ""
	if len(lt.NetworkInterfaces) > 0 {
		nic := lt.NetworkInterfaces[0]
		if len(nic.SecurityGroups) > 0 {
			groups = nic.SecurityGroups
		}
		publicIP = nic.AssociatePublicIPAddress
	}
	for _, id := range group.VpcZoneIdentifiers {
		subnet, _ := c.subnet(id)
		table, _ := c.routeTableOf(id)
		switch route := table.defaultRoute(); {
		case strings.HasPrefix(route, "nat-"):
		case !strings.HasPrefix(route, "igw-"):
			return fmt.Sprintf("no way to the internet from %s: its route table has no default route, so the boot script cannot install Apache", id)
		case publicIP == "false" || (publicIP == "" && !subnet.MapPublicIPOnLaunch):
			return fmt.Sprintf("instances in %s get no public IP address (the launch template does not ask for one and the subnet does not map one), so the boot script cannot install Apache", id)
		}
	}
	if !c.permits(groups, "egress", 443, peer{}, tg.Region) {
		return "the instances' security groups let nothing out to the internet on 443, so the boot script cannot install Apache"
	}
	target := storedInputs[targetGroupInputs](tg)
	port, hc := int(target.Port), target.HealthCheck
	if p := hc.Port; p != "" && p != "traffic-port" {
		port, _ = strconv.Atoi(p)
	}
	lb := c.loadBalancerOf(tg)
	if lb == nil {
		return "no listener of a load balancer forwards to the target group, so it checks no target (their state is unused)"
	}
	lbGroups := storedInputs[loadBalancerInputs](lb).SecurityGroups
	if !c.permits(lbGroups, "egress", port, peerGroups(groups), lb.Region) {
		return fmt.Sprintf("the load balancer's security groups do not let its checks out to the instances on %d", port)
	}
	if !c.permits(groups, "ingress", port, peerGroups(lbGroups), lb.Region) {
		return fmt.Sprintf("the instances' security groups do not admit the load balancer on %d", port)
	}
	checkPath := hc.Path
	if checkPath == "" {
		checkPath = "/"
	}
	if script, err := base64.StdEncoding.DecodeString(lt.UserData); err != nil || !bootscript.Serves(string(script), checkPath) {
		return fmt.Sprintf("the health check's path %s is no page the main site's boot script writes (Apache answers 404)", checkPath)
	}
	return ""
}

// loadBalancerOf returns the load balancer whose listener (or listener rule) forwards to the
// target group, or nil: a target group no listener uses is "unused" and checks nothing.
func (c *Cloud) loadBalancerOf(tg *Resource) *Resource {
	for _, user := range c.usersOf(tg) {
		listener := user
		if user.Type == awstype.ListenerRule {
			listener, _ = c.findOutput(awstype.Listener, "arn", storedInputs[listenerRuleInputs](user).ListenerArn)
		}
		if listener == nil {
			continue
		}
		if lb, ok := c.findOutput(awstype.LoadBalancer, "arn", storedInputs[listenerInputs](listener).LoadBalancerArn); ok {
			return lb
		}
	}
	return nil
}

// usersOf returns the listeners and listener rules that forward to the target group.
func (c *Cloud) usersOf(tg *Resource) []*Resource {
	forwards := func(actions []listenerAction) bool {
		return slices.ContainsFunc(actions, func(a listenerAction) bool {
			return a.Type == "forward" && a.TargetGroupArn == tg.ID
		})
	}
	var users []*Resource
	for _, l := range c.ofType(awstype.Listener) {
		if forwards(storedInputs[listenerInputs](l).DefaultActions) {
			users = append(users, l)
		}
	}
	for _, rule := range c.ofType(awstype.ListenerRule) {
		if forwards(storedInputs[listenerRuleInputs](rule).Actions) {
			users = append(users, rule)
		}
	}
	return users
}

// loadBalancerHealthy is a load balancer's health as an alias with evaluate target health sees
// it: every target group its listeners use needs a healthy target, and one without registered
// targets is unhealthy (Route 53 API Reference, AliasTarget, EvaluateTargetHealth).
func (c *Cloud) loadBalancerHealthy(dnsName string) (bool, string) {
	lb, ok := c.findOutput(awstype.LoadBalancer, "dnsName", strings.TrimPrefix(dnsName, "dualstack."))
	if !ok {
		return false, dnsName + " names no load balancer"
	}
	used := 0
	for _, tg := range c.ofType(awstype.TargetGroup) {
		if used := c.loadBalancerOf(tg); used == nil || used.ID != lb.ID {
			continue
		}
		used++
		registered, healthy, why := c.targets(tg)
		switch {
		case registered == 0:
			return false, "target group " + stringArg(tg.out(), "name") + " has no registered target"
		case healthy == 0:
			return false, "no healthy target in " + stringArg(tg.out(), "name") + " (" + why + ")"
		}
	}
	if used == 0 {
		return false, "no listener forwards to a target group"
	}
	return true, ""
}

// peer is what a security group rule is matched against: a client, or the groups of the other
// side.
type peer struct {
	from   client
	groups []string
}

func peerGroups(groups []string) peer { return peer{groups: groups} }

// permits reports whether any of the security groups has a rule, in direction ("ingress" or
// "egress"), for TCP port and the peer: a client on the internet matches 0.0.0.0/0, CloudFront
// also its origin-facing prefix list, other groups a rule that references one of them.
func (c *Cloud) permits(groups []string, direction string, port int, p peer, region string) bool {
	ruleType := awstype.IngressRule
	if direction == "egress" {
		ruleType = awstype.EgressRule
	}
	matches := func(protocol string, from, to float64, cidr, prefixList, group string) bool {
		if protocol != "-1" && (protocol != "tcp" || float64(port) < from || float64(port) > to) {
			return false
		}
		if p.groups != nil {
			return group != "" && slices.Contains(p.groups, group)
		}
		return cidr == "0.0.0.0/0" || (p.from == cloudFrontClient && prefixList == CloudFrontPrefixListID(region))
	}
	for _, r := range c.ofType(ruleType) {
		in := storedInputs[securityGroupRuleInputs](r)
		if slices.Contains(groups, in.SecurityGroupID) &&
			matches(in.IPProtocol, in.FromPort, in.ToPort, in.CidrIpv4, in.PrefixListID, in.ReferencedSecurityGroupID) {
			return true
		}
	}
	for _, id := range groups {
		sg, ok := c.resource(awstype.SecurityGroup, id)
		if !ok {
			continue
		}
		inline := storedInputs[securityGroupInputs](sg)
		rules := inline.Ingress
		if direction == "egress" {
			rules = inline.Egress
		}
		for _, rule := range rules {
			protocol, from, to := rule.Protocol, rule.FromPort, rule.ToPort
			for _, cidr := range rule.CidrBlocks {
				if matches(protocol, from, to, cidr, "", "") {
					return true
				}
			}
			for _, list := range rule.PrefixListIDs {
				if matches(protocol, from, to, "", list, "") {
					return true
				}
			}
			for _, g := range rule.SecurityGroups {
				if matches(protocol, from, to, "", "", g) {
					return true
				}
			}
		}
	}
	return false
}

// defaultRoute is where the table sends 0.0.0.0/0 ("" when nowhere).
func (t RouteTable) defaultRoute() string {
	for _, r := range t.Routes {
		if r.Destination == "0.0.0.0/0" {
			return r.Target
		}
	}
	return ""
}
