package stack

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
	"github.com/seed-2b23e6e5/route53-failover/internal/bootscript"
	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
	"github.com/seed-2b23e6e5/route53-failover/internal/stackconfig"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

// givenNetwork is a VPC of the account's own with two public subnets that map no public address
// on launch, as subnets outside a default VPC do.
const givenVPC = "vpc-0aaaaaaaaaaaaaaa1"

var givenNetwork = mockcloud.Existing{
	VPCs: []mockcloud.VPC{{ID: givenVPC, CIDR: "10.1.0.0/16"}},
	Subnets: []mockcloud.Subnet{
		{ID: "subnet-0aaaaaaaaaaaaaaa1", VpcID: givenVPC, AvailabilityZone: "ap-northeast-1a"},
		{ID: "subnet-0aaaaaaaaaaaaaaa2", VpcID: givenVPC, AvailabilityZone: "ap-northeast-1c"},
	},
	RouteTables: []mockcloud.RouteTable{{ID: "rtb-0aaaaaaaaaaaaaaa1", VpcID: givenVPC, Main: true,
		Routes: []mockcloud.Route{{Destination: "0.0.0.0/0", Target: "igw-0aaaaaaaaaaaaaaa1"}}}},
}

// removeResource deletes from the account the resources whose URN ends with ::name, as an outage
// or a mistake outside the stack would.
func removeResource(name string) func(t *testing.T, a *mockcloud.Account) {
	return func(t *testing.T, a *mockcloud.Account) {
		t.Helper()
		removed := 0
		for k, r := range a.Resources {
			if strings.HasSuffix(r.URN, "::"+name) {
				delete(a.Resources, k)
				removed++
			}
		}
		if removed == 0 {
			t.Fatalf("no resource %s to remove", name)
		}
	}
}

// bootScript replaces the main site's launch template's user data with script, as a change
// outside the stack would.
func bootScript(script string) func(t *testing.T, a *mockcloud.Account) {
	return func(t *testing.T, a *mockcloud.Account) {
		t.Helper()
		for _, r := range a.Resources {
			if r.Type == awstype.LaunchTemplate && strings.HasSuffix(r.URN, "::site-main-web") {
				r.Inputs["userData"] = resource.NewStringProperty(base64.StdEncoding.EncodeToString([]byte(script)))
				return
			}
		}
		t.Fatal("no launch template site-main-web")
	}
}

// chain applies each change in turn.
func chain(changes ...func(t *testing.T, a *mockcloud.Account)) func(t *testing.T, a *mockcloud.Account) {
	return func(t *testing.T, a *mockcloud.Account) {
		for _, change := range changes {
			change(t, a)
		}
	}
}

// TestWhatAVisitorGets: every served name answers the main page while the site can serve, and
// the error page with errorResponseCode when it cannot, in both modes, by the route each mode
// promises; what breaks the site shows as the reason.
func TestWhatAVisitorGets(t *testing.T) {
	secret := map[string]string{stackconfig.Key(stackconfig.KeyOriginSecret): "0123456789abcdef0123456789abcdef"}
	given := map[string]string{
		stackconfig.Key(stackconfig.KeyVpcID):     givenVPC,
		stackconfig.Key(stackconfig.KeySubnetIDs): `["subnet-0aaaaaaaaaaaaaaa1","subnet-0aaaaaaaaaaaaaaa2"]`,
	}
	tests := []struct {
		name    string
		config  map[string]string
		breakIt func(t *testing.T, a *mockcloud.Account)
		page    string
		status  int
		route   []string // in the answer's route, in order
	}{
		{"dns mode", nil, nil, mockcloud.PageMain, 200, []string{"PRIMARY", "target group"}},
		{"dns mode in given subnets", given, nil, mockcloud.PageMain, 200, []string{"PRIMARY", "target group"}},
		{"dns mode, instances cannot reach the internet", nil, removeResource("site-main-web-sg-out"), mockcloud.PageError, 503,
			[]string{"SECONDARY", "let nothing out to the internet", "distribution", "custom error response for 403"}},
		{"dns mode, no HTTPS listener", nil, removeResource("site-main-https"), mockcloud.PageError, 503,
			[]string{"SECONDARY", "no listener on 443", "bucket"}},
		// The load balancer checks /health, where the boot script, changed outside the stack, no
		// longer writes a page: Apache answers 404, no target is healthy.
		{"dns mode, the boot script writes no page at the check's path", map[string]string{stackconfig.Key(stackconfig.KeyHealthCheckPath): "/health"},
			bootScript(bootscript.Script("<h1>hi</h1>", "/")), mockcloud.PageError, 503,
			[]string{"SECONDARY", "the health check's path /health is no page", "distribution"}},
		{"edge mode", edgeConfig(nil), nil, mockcloud.PageMain, 200, []string{"alias of", "distribution", "origin origin.example.com", "target group"}},
		{"edge mode with a secret", edgeConfig(secret), nil, mockcloud.PageMain, 200, []string{"distribution", "rule 50000 (forward)", "target group"}},
		{"edge mode, instances cannot reach the internet", edgeConfig(nil), removeResource("site-main-web-sg-out"), mockcloud.PageError, 503,
			[]string{"origin origin.example.com", "failover on 502", "origin request function", "origin response function sets 503"}},
		// CloudFront does not fail over on 403 (the main site's own 403s must pass): a listener
		// that refuses CloudFront's requests reaches every visitor.
		{"edge mode with a secret, the forwarding rule gone", edgeConfig(secret), removeResource("site-main-https-from-cloudfront"), "", 403,
			[]string{"origin origin.example.com", "default action (fixed-response)"}},
		// The function answers with a page of its own when the bucket does not hold the page.
		{"edge mode, the page gone from the bucket", edgeConfig(nil), chain(removeResource("site-main-web-sg-out"), removeResource("site-error-page")), mockcloud.PageError, 503,
			[]string{"failover on 502", "origin response function sets 503", "and sends its built-in page"}},
		// Lambda@Edge runs the function with its role: with the role gone, CloudFront answers 503.
		{"edge mode, the function's role gone", edgeConfig(nil), chain(removeResource("site-main-web-sg-out"), removeResource("site-edge-failover-role")), "", 503,
			[]string{"failover on 502", "cannot run, its role"}},
		{"edge mode, the load balancer admits nobody", edgeConfig(nil), removeResource("site-main-alb-sg-443-cloudfront"), mockcloud.PageError, 503,
			[]string{"admit nothing from CloudFront", "failover on 504", "bucket"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions(t, tt.config)
			opts.Existing.Add(givenNetwork)
			if _, ok := tt.config[stackconfig.Key(stackconfig.KeyOriginSecret)]; ok {
				opts.SecretKeys = []string{stackconfig.Key(stackconfig.KeyOriginSecret)}
			}
			p, err := plan.Run(opts, Program)
			if err != nil {
				t.Fatal(err)
			}
			if tt.breakIt != nil {
				tt.breakIt(t, p.Account)
			}
			for _, name := range []string{"example.com", "www.example.com"} {
				got := p.Account.Visit(name, "/")
				if got.Page != tt.page || got.Status != tt.status {
					t.Errorf("%s: %s, want the %s page with %d", name, got, tt.page, tt.status)
					continue
				}
				route := strings.Join(got.Route, " → ")
				at := 0
				for _, hop := range tt.route {
					i := strings.Index(route[at:], hop)
					if i < 0 {
						t.Errorf("%s: route %q lacks %q (in order %q)", name, route, hop, tt.route)
						break
					}
					at += i + len(hop)
				}
			}
		})
	}
}

// waitsFor reports whether the resource with URN from waits, directly or not, for the one named
// name of type typ.
func waitsFor(p *plan.Plan, from, typ, name string) bool {
	target := p.Find(typ, name)
	return target != nil && p.WaitsFor(from, target.URN)
}

// TestOrderVisitorsDependOn: what sends visitors somewhere waits until it serves them. The group
// (whose creation waits for healthy instances) waits for the HTTPS listener, and with a secret for
// the rule that forwards CloudFront's requests: before, its target group is unused and no
// instance can become healthy. The PRIMARY records and the health check wait for the HTTPS
// listener and the group.
func TestOrderVisitorsDependOn(t *testing.T) {
	const (
		listenerType = awstype.Listener
		ruleType     = awstype.ListenerRule
		groupType    = awstype.AutoScalingGroup
	)
	dns := run(t, nil)
	group := dns.Find(groupType, "site-main-web")
	if !waitsFor(dns, group.URN, listenerType, "site-main-https") {
		t.Error("the Auto Scaling group does not wait for the HTTPS listener")
	}
	var waiting []plan.Resource
	for _, r := range dns.OfType(awstype.Record) {
		if strings.HasSuffix(r.Name, "-primary") {
			waiting = append(waiting, r)
		}
	}
	waiting = append(waiting, dns.OfType(awstype.HealthCheck)...)
	if len(waiting) != 3 {
		t.Fatalf("%d PRIMARY records and health checks, want 3", len(waiting))
	}
	for _, r := range waiting {
		for _, needed := range [][2]string{{listenerType, "site-main-https"}, {groupType, "site-main-web"}} {
			if !waitsFor(dns, r.URN, needed[0], needed[1]) {
				t.Errorf("%s does not wait for %s", r.Name, needed[1])
			}
		}
	}

	opts := testOptions(t, edgeConfig(map[string]string{stackconfig.Key(stackconfig.KeyOriginSecret): "0123456789abcdef0123456789abcdef"}))
	opts.SecretKeys = []string{stackconfig.Key(stackconfig.KeyOriginSecret)}
	edge, err := plan.Run(opts, Program)
	if err != nil {
		t.Fatal(err)
	}
	if !waitsFor(edge, edge.Find(groupType, "site-main-web").URN, ruleType, "site-main-https-from-cloudfront") {
		t.Error("with a secret, the Auto Scaling group does not wait for the rule that forwards CloudFront's requests")
	}
}

// TestWhatAVisitorGetsWithTheMainSiteDown: with every instance failing its checks, each mode
// answers the error page with errorResponseCode by its own route (the rehearsal audits every
// change this way too).
func TestWhatAVisitorGetsWithTheMainSiteDown(t *testing.T) {
	secret := map[string]string{stackconfig.Key(stackconfig.KeyOriginSecret): "0123456789abcdef0123456789abcdef"}
	for _, tt := range []struct {
		name   string
		config map[string]string
		route  string
	}{
		{"dns mode", nil, "SECONDARY"},
		{"edge mode", edgeConfig(nil), "failover on 502"},
		{"edge mode with a secret", edgeConfig(secret), "failover on 502"},
	} {
		opts := testOptions(t, tt.config)
		if tt.config[stackconfig.Key(stackconfig.KeyOriginSecret)] != "" {
			opts.SecretKeys = []string{stackconfig.Key(stackconfig.KeyOriginSecret)}
		}
		p, err := plan.Run(opts, Program)
		if err != nil {
			t.Fatal(err)
		}
		got := p.Account.VisitWithMainSiteDown("example.com", "/")
		if got.Page != mockcloud.PageError || got.Status != 503 || !strings.Contains(strings.Join(got.Route, " → "), tt.route) ||
			!strings.Contains(strings.Join(got.Route, " → "), "the main site is down") {
			t.Errorf("%s: %s, want the error page with 503 through %q", tt.name, got, tt.route)
		}
		if up := p.Account.Visit("example.com", "/"); up.Page != mockcloud.PageMain {
			t.Errorf("%s: the visit with the main site down changed the account: %s", tt.name, up)
		}
	}
}
