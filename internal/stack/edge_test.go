package stack

import (
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
	"github.com/seed-2b23e6e5/route53-failover/internal/failover"
	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
	"github.com/seed-2b23e6e5/route53-failover/internal/stackconfig"
	"github.com/seed-2b23e6e5/route53-failover/pkg/edgefailover"
	"github.com/seed-2b23e6e5/route53-failover/pkg/edgeorigin"
	"github.com/seed-2b23e6e5/route53-failover/pkg/mainsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
	"github.com/seed-2b23e6e5/route53-failover/pkg/topology"
)

// edgeConfig is the tests' stack in edge mode, with more config.
func edgeConfig(more map[string]string) map[string]string {
	config := map[string]string{stackconfig.Key(stackconfig.KeyFailoverMode): "edge"}
	for k, v := range more {
		config[k] = v
	}
	return config
}

// distributionOf returns the plan's one distribution, failing the test otherwise.
func distributionOf(t *testing.T, p *plan.Plan) plan.Resource {
	t.Helper()
	dists := p.OfType(awstype.Distribution)
	if len(dists) != 1 {
		t.Fatalf("%d distributions, want one that serves the site", len(dists))
	}
	return dists[0]
}

// TestEdgeErrorResponseCodeFromConfig: errorResponseCode reaches the front door in edge mode: the
// distribution keeps that status out of its cache.
func TestEdgeErrorResponseCodeFromConfig(t *testing.T) {
	p := run(t, edgeConfig(map[string]string{stackconfig.Key(stackconfig.KeyErrorResponseCode): "403"}))
	for _, r := range distributionOf(t, p).Inputs["customErrorResponses"].([]any) {
		if e := r.(map[string]any); e["errorCode"] == 403.0 && e["errorCachingMinTtl"] == 0.0 {
			return
		}
	}
	t.Error("errorResponseCode 403: the distribution caches the error page's status")
}

// TestEdgeDistribution: in edge mode one distribution serves the site, with the served names
// and the us-east-1 certificate; its default behaviour is an origin group that tries the load
// balancer (by the origin name, over HTTPS, tuned to give up fast) and then the error bucket on
// 500/502/503/504, without caching; the page has a behaviour of its own, straight from the
// bucket; and no custom error response replaces the main site's own 403 or 404.
func TestEdgeDistribution(t *testing.T) {
	for _, ipv6 := range []bool{false, true} {
		config := map[string]string{}
		if ipv6 {
			config[stackconfig.Key(stackconfig.KeyIPv6)] = "true"
		}
		p := run(t, edgeConfig(config))
		dist := distributionOf(t, p)
		in := dist.Inputs

		if aliases := plan.Get(in, "aliases"); !equalStrings(aliases, "example.com", "www.example.com") {
			t.Errorf("aliases %v, want the served names", aliases)
		}
		certARN, _ := plan.Get(in, "viewerCertificate", "acmCertificateArn").(string)
		if !strings.HasPrefix(certARN, "arn:aws:acm:us-east-1:") {
			t.Errorf("viewer certificate %s, want one issued in us-east-1", certARN)
		}
		if in["isIpv6Enabled"] != ipv6 || in["httpVersion"] != "http2and3" {
			t.Errorf("ipv6 %v: isIpv6Enabled %v, httpVersion %v", ipv6, in["isIpv6Enabled"], in["httpVersion"])
		}
		if root, _ := in["defaultRootObject"].(string); root != "" {
			t.Errorf("defaultRootObject %q: the main site serves /", root)
		}
		// Custom error responses only keep errors out of the cache: a page or a status would
		// replace the main site's own errors, and a cached error would outlive the outage.
		var uncached []int
		for _, r := range in["customErrorResponses"].([]any) {
			e := r.(map[string]any)
			if e["responsePagePath"] != nil || e["responseCode"] != nil || e["errorCachingMinTtl"] != 0.0 {
				t.Errorf("custom error response %v: want only an error caching minimum TTL of 0", e)
			}
			uncached = append(uncached, int(e["errorCode"].(float64)))
		}
		if !slices.Equal(uncached, []int{404, 500, 502, 503, 504}) {
			t.Errorf("errors kept out of the cache %v, want 404, 500, 502, 503, 504", uncached)
		}

		origins := map[string]map[string]any{}
		for _, o := range plan.Get(in, "origins").([]any) {
			origin := o.(map[string]any)
			origins[origin["originId"].(string)] = origin
		}
		main, bucket := origins["main-site"], origins["error-page-bucket"]
		if main == nil || bucket == nil || len(origins) != 2 {
			t.Fatalf("origins %v, want the main site and the error bucket", origins)
		}
		if main["domainName"] != "origin.example.com" || main["connectionAttempts"] != 1.0 || main["connectionTimeout"] != 3.0 {
			t.Errorf("main-site origin %v, want origin.example.com, 1 attempt, 3 s", main)
		}
		custom := main["customOriginConfig"].(map[string]any)
		if custom["originProtocolPolicy"] != "https-only" || !equalStrings(custom["originSslProtocols"], "TLSv1.2") || custom["originReadTimeout"] != 10.0 {
			t.Errorf("main-site origin config %v, want HTTPS only, TLS 1.2, 10 s read timeout", custom)
		}
		if _, has := main["customHeaders"]; has {
			t.Errorf("a custom header without originSecret: %v", main["customHeaders"])
		}
		oac := p.OfType(awstype.OriginAccessControl)[0]
		if bucket["originAccessControlId"] != oac.ID {
			t.Errorf("the bucket origin is not read through the origin access control: %v", bucket)
		}

		group := plan.Get(in, "originGroups", 0).(map[string]any)
		if plan.Get(group, "members", 0, "originId") != "main-site" || plan.Get(group, "members", 1, "originId") != "error-page-bucket" {
			t.Errorf("origin group members %v, want the main site first, then the bucket", group["members"])
		}
		if codes := plan.Get(group, "failoverCriteria", "statusCodes"); !equalNumbers(codes, 500, 502, 503, 504) {
			t.Errorf("failover status codes %v, want 500, 502, 503, 504 only", codes)
		}

		b := plan.Get(in, "defaultCacheBehavior").(map[string]any)
		if b["targetOriginId"] != group["originId"] || b["viewerProtocolPolicy"] != "redirect-to-https" ||
			b["cachePolicyId"] != "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" || // Managed-CachingDisabled
			b["originRequestPolicyId"] != "b689b0a8-53d0-40ab-baf2-68738e2966ac" || // Managed-AllViewerExceptHostHeader
			!equalStrings(b["allowedMethods"], "GET", "HEAD", "OPTIONS") {
			t.Errorf("default behaviour %v", b)
		}
		fn := p.OfType(awstype.Function)[0]
		events := []string{}
		for _, a := range b["lambdaFunctionAssociations"].([]any) {
			association := a.(map[string]any)
			events = append(events, association["eventType"].(string))
			if association["lambdaArn"] != fn.Outputs["qualifiedArn"] || !strings.HasSuffix(fn.Outputs["qualifiedArn"].(string), ":1") ||
				association["includeBody"] == true {
				t.Errorf("association %v, want the function's published version %v", association, fn.Outputs["qualifiedArn"])
			}
		}
		if !equalStrings(events, "origin-request", "origin-response") {
			t.Errorf("function events %v", events)
		}
		page := plan.Get(in, "orderedCacheBehaviors", 0).(map[string]any)
		if page["pathPattern"] != edgefailover.PagePattern || page["targetOriginId"] != "error-page-bucket" {
			t.Errorf("page behaviour %v, want %s straight from the bucket", page, edgefailover.PagePattern)
		}
		if failover.EdgePagePath != "/"+edgefailover.PageKey {
			t.Errorf("failover check looks for the page at %s, the distribution serves it at /%s", failover.EdgePagePath, edgefailover.PageKey)
		}
		object := p.OfType(awstype.BucketObject)[0]
		if "/"+object.Inputs["key"].(string) != strings.TrimSuffix(edgefailover.PagePattern, "*")+"error.html" {
			t.Errorf("the page is at %v, not under %s", object.Inputs["key"], edgefailover.PagePattern)
		}
	}
}

// TestEdgeOrigin: only CloudFront reaches the load balancer: 443 from the looked-up
// origin-facing prefix list, no rule from the internet, no HTTP listener; the origin name is an
// alias to the load balancer, covered by a certificate on the HTTPS listener.
func TestEdgeOrigin(t *testing.T) {
	p := run(t, edgeConfig(nil))
	albSG := p.Find(awstype.SecurityGroup, "site-main-alb-sg")
	var ingress []map[string]any
	for _, r := range p.OfType(awstype.IngressRule) {
		if r.Inputs["securityGroupId"] == albSG.ID {
			ingress = append(ingress, r.Inputs)
		}
	}
	if len(ingress) != 1 || ingress[0]["prefixListId"] != mockcloud.CloudFrontPrefixListID("ap-northeast-1") ||
		ingress[0]["fromPort"] != 443.0 || ingress[0]["toPort"] != 443.0 {
		t.Errorf("load balancer ingress %v, want 443 from CloudFront's prefix list only", ingress)
	}
	looked := false
	for _, i := range p.Invokes {
		looked = looked || (i.Token == awstype.GetManagedPrefixList && i.Args["name"] == mainsite.CloudFrontPrefixList)
	}
	if !looked {
		t.Error("the prefix list is not looked up by name")
	}
	if listeners := p.OfType(awstype.Listener); len(listeners) != 1 || listeners[0].Inputs["protocol"] != "HTTPS" {
		t.Errorf("listeners %v, want the HTTPS one only", listeners)
	}
	alb := p.OfType(awstype.LoadBalancer)[0]
	origin := p.Find(awstype.Record, "site-main-origin")
	if origin == nil || origin.Inputs["name"] != "origin.example.com" || plan.Get(origin.Inputs, "aliases", 0, "name") != alb.Outputs["dnsName"] {
		t.Fatalf("origin record %v", origin)
	}
	attached := p.OfType(awstype.ListenerCertificate)
	cert := p.Find(awstype.Certificate, "site-main-origin-cert")
	if len(attached) != 1 || cert == nil || cert.Inputs["domainName"] != "origin.example.com" ||
		!strings.HasPrefix(cert.ID, "arn:aws:acm:ap-northeast-1:") {
		t.Fatalf("origin certificate %v, attached %v", cert, attached)
	}
	if rules := p.OfType(awstype.ListenerRule); len(rules) != 0 {
		t.Errorf("a listener rule without originSecret: %v", rules)
	}
	https := p.OfType(awstype.Listener)[0]
	if plan.Get(https.Inputs, "defaultActions", 0, "type") != "forward" {
		t.Errorf("without originSecret the listener forwards everything: %v", https.Inputs["defaultActions"])
	}
}

// TestEdgeOriginSecret: with originSecret CloudFront sends it, the load balancer forwards only
// what carries it and answers 403 to the rest, and the value is secret everywhere.
func TestEdgeOriginSecret(t *testing.T) {
	const secret = "3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e"
	for _, ipv6 := range []string{"false", "true"} {
		opts := testOptions(t, edgeConfig(map[string]string{stackconfig.Key(stackconfig.KeyOriginSecret): secret, stackconfig.Key(stackconfig.KeyIPv6): ipv6}))
		opts.SecretKeys = []string{stackconfig.Key(stackconfig.KeyOriginSecret)}
		p, err := plan.Run(opts, Program)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := p.JSON()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(doc), secret) {
			t.Errorf("ipv6 %s: the plan holds the origin secret in clear", ipv6)
		}
		header := plan.Get(distributionOf(t, p).Inputs, "origins", 1, "customHeaders", 0)
		if h, _ := header.(map[string]any); h["name"] != edgeorigin.SecretHeader || h["value"] != plan.Secret {
			t.Errorf("origin header %v, want %s with a secret value", header, edgeorigin.SecretHeader)
		}
		rules := p.OfType(awstype.ListenerRule)
		if len(rules) != 1 {
			t.Fatalf("%d listener rules", len(rules))
		}
		condition := plan.Get(rules[0].Inputs, "conditions", 0, "httpHeader").(map[string]any)
		if condition["httpHeaderName"] != edgeorigin.SecretHeader || !equalStrings(condition["values"], plan.Secret) {
			t.Errorf("rule condition %v", condition)
		}
		if plan.Get(rules[0].Inputs, "actions", 0, "type") != "forward" {
			t.Errorf("the rule does not forward: %v", rules[0].Inputs["actions"])
		}
		https := p.OfType(awstype.Listener)[0]
		if plan.Get(https.Inputs, "defaultActions", 0, "fixedResponse", "statusCode") != "403" {
			t.Errorf("requests without the header are not refused: %v", https.Inputs["defaultActions"])
		}
	}
}

// TestEdgeDNS: each served name is a plain alias to the distribution (AAAA too with ipv6); no
// failover record; the health check watches the domain through the distribution.
func TestEdgeDNS(t *testing.T) {
	for _, ipv6 := range []bool{false, true} {
		config := map[string]string{}
		types := []string{"A"}
		if ipv6 {
			config[stackconfig.Key(stackconfig.KeyIPv6)] = "true"
			types = append(types, "AAAA")
		}
		p := run(t, edgeConfig(config))
		dist := distributionOf(t, p)
		published := map[string]bool{}
		for _, r := range p.OfType(awstype.Record) {
			name, _ := r.Inputs["name"].(string)
			if name != "example.com" && name != "www.example.com" {
				continue
			}
			if _, failover := r.Inputs["failoverRoutingPolicies"]; failover || r.Inputs["setIdentifier"] != nil {
				t.Errorf("%s %s is a failover record", name, r.Inputs["type"])
			}
			if plan.Get(r.Inputs, "aliases", 0, "name") != dist.Outputs["domainName"] {
				t.Errorf("%s %s points at %v, not the distribution", name, r.Inputs["type"], plan.Get(r.Inputs, "aliases", 0, "name"))
			}
			published[name+" "+r.Inputs["type"].(string)] = true
		}
		for _, name := range []string{"example.com", "www.example.com"} {
			for _, typ := range types {
				if !published[name+" "+typ] {
					t.Errorf("ipv6 %v: no %s record for %s", ipv6, typ, name)
				}
			}
		}
		if len(published) != 2*len(types) {
			t.Errorf("ipv6 %v: records %v", ipv6, published)
		}
		check := p.OfType(awstype.HealthCheck)[0]
		if check.Inputs["fqdn"] != "example.com" || check.Inputs["type"] != "HTTPS" {
			t.Errorf("health check %v %v, want HTTPS on the domain, through the distribution", check.Inputs["type"], check.Inputs["fqdn"])
		}
		if p.Outputs["failoverMode"] != "edge" || plan.Get(p.Outputs, "failoverEstimate", "mode") != "edge" ||
			plan.Get(p.Outputs, "failoverEstimate", "typical") != 0.0 || plan.Get(p.Outputs, "failoverEstimate", "worst") != 10.0 {
			t.Errorf("outputs: failoverMode %v, failoverEstimate %v", p.Outputs["failoverMode"], p.Outputs["failoverEstimate"])
		}
	}
}

// TestEdgeConfigErrors: bad edge settings fail before anything is created, naming the key.
func TestEdgeConfigErrors(t *testing.T) {
	tests := []struct {
		name   string
		config map[string]string
		secret bool
		want   string
	}{
		{"unknown mode", map[string]string{stackconfig.Key(stackconfig.KeyFailoverMode): "anycast"},
			false, `route53-failover:failoverMode: invalid value "anycast": one of dns, edge`},
		{"origin outside the domain", edgeConfig(map[string]string{stackconfig.Key(stackconfig.KeyOriginName): "origin.example.org"}),
			false, `route53-failover:originName: invalid value "origin.example.org": a name under example.com that is not served`},
		{"origin is a served name", edgeConfig(map[string]string{stackconfig.Key(stackconfig.KeyOriginName): "www.example.com"}),
			false, `route53-failover:originName: invalid value "www.example.com"`},
		{"short secret", edgeConfig(map[string]string{stackconfig.Key(stackconfig.KeyOriginSecret): "hunter2hunter2"}),
			true, `route53-failover:originSecret: invalid value "[secret]": 16-128 characters without * or ?`},
		{"wildcard in the secret", edgeConfig(map[string]string{stackconfig.Key(stackconfig.KeyOriginSecret): "abcdefghijklmnop*"}),
			true, `route53-failover:originSecret: invalid value "[secret]": 16-128 characters without * or ?`},
		{"secret in clear", edgeConfig(map[string]string{stackconfig.Key(stackconfig.KeyOriginSecret): "3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e"}),
			false, `route53-failover:originSecret: invalid value "[secret]": a secret: pulumi config set --secret originSecret`},
		{"previous secret without a secret", edgeConfig(map[string]string{stackconfig.Key(stackconfig.KeyPreviousOriginSecret): "3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e"}),
			true, `route53-failover:previousOriginSecret: invalid value "[secret]": only with route53-failover:originSecret, during a rotation`},
		{"short previous secret", edgeConfig(map[string]string{stackconfig.Key(stackconfig.KeyOriginSecret): "3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e",
			stackconfig.Key(stackconfig.KeyPreviousOriginSecret): "hunter2hunter2"}),
			true, `route53-failover:previousOriginSecret: invalid value "[secret]": 16-128 characters without * or ?`},
		{"drill by inverting the check", edgeConfig(map[string]string{stackconfig.Key(stackconfig.KeyFailoverDrill): "true"}),
			false, `route53-failover:failoverDrill: invalid value "true": false in edge mode (route53-failover:failoverMode)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions(t, tt.config)
			if tt.secret {
				opts.SecretKeys = []string{stackconfig.Key(stackconfig.KeyOriginSecret), stackconfig.Key(stackconfig.KeyPreviousOriginSecret)}
			}
			_, err := plan.Run(opts, Program)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("error = %v, want %s...", err, tt.want)
			}
			for _, key := range []string{stackconfig.KeyOriginSecret, stackconfig.KeyPreviousOriginSecret} {
				if secret := tt.config[stackconfig.Key(key)]; secret != "" && strings.Contains(err.Error(), secret) {
					t.Errorf("the error shows the secret: %v", err)
				}
			}
		})
	}
}

func equalStrings(v any, want ...string) bool {
	var got []string
	switch list := v.(type) {
	case []any:
		for _, e := range list {
			s, _ := e.(string)
			got = append(got, s)
		}
	case []string:
		got = list
	}
	return slices.Equal(got, want)
}

func equalNumbers(v any, want ...float64) bool {
	list, _ := v.([]any)
	got := make([]float64, 0, len(list))
	for _, e := range list {
		n, _ := e.(float64)
		got = append(got, n)
	}
	return slices.Equal(got, want)
}

// TestSwitchingModes: switching a stack from dns to edge and back keeps the bucket, the
// certificates, the zone and the distribution (changed in place); the PRIMARY records turn into
// the plain aliases in place, the SECONDARY ones go, and what edge mode adds (the origin name,
// its certificate, the function) comes and goes with it.
func TestSwitchingModes(t *testing.T) {
	dns, edge := run(t, nil), run(t, edgeConfig(nil))
	for _, step := range []struct {
		name     string
		from, to *plan.Plan
	}{{"dns to edge", dns, edge}, {"edge to dns", edge, dns}} {
		t.Run(step.name, func(t *testing.T) {
			d := plan.Compare(step.from, step.to)
			for _, r := range d.Replaced {
				// Leaving edge mode deletes the origin name's own certificate; nothing else
				// stateful goes.
				if r.Name != "site-main-origin-cert" || r.Reason != "deleted" || step.to != dns {
					t.Errorf("stateful resource replaced or deleted: %+v", r)
				}
			}
			gone := map[string]bool{}
			for _, r := range d.Removed {
				gone[r.Name] = true
			}
			for _, r := range d.Added {
				gone[r.Name] = true // a name that comes back is a replacement
			}
			changed := map[string]bool{} // under either name: the front door's resources move
			for _, c := range d.Changed {
				changed[c.Old.Name], changed[c.New.Name] = true, true
			}
			for _, kept := range []string{"site-error-bucket", "site-error-cert", "site-main-cert", "site-error-cdn", "site-error-oac",
				"site-dns-health", "site-edge-cdn", "site-edge-health"} {
				if gone[kept] {
					t.Errorf("%s is removed or added", kept)
				}
			}
			for _, name := range []string{"example.com", "www.example.com"} {
				primary := "site-dns-" + name + "-A-primary"
				if !changed[primary] || gone[primary] {
					t.Errorf("%s is not changed in place", primary)
				}
				if !gone["site-dns-"+name+"-A-secondary"] {
					t.Errorf("the SECONDARY record of %s does not come or go", name)
				}
			}
			if !changed["site-error-cdn"] || !changed["site-edge-cdn"] {
				t.Error("the distribution does not change")
			}
			for _, edgeOnly := range []string{"site-main-origin", "site-main-origin-cert", "site-edge-failover"} {
				if !gone[edgeOnly] {
					t.Errorf("%s does not come or go", edgeOnly)
				}
			}
		})
	}
}

// TestNothingPointsAtAClosedLoadBalancer: the load balancer moves to its security group only once
// the group's rules exist, and the PRIMARY records alias it only once the rules that admit
// clients and the listeners exist: a stack leaving edge mode sends no client to a load balancer
// that still admits only CloudFront.
func TestNothingPointsAtAClosedLoadBalancer(t *testing.T) {
	p := run(t, nil)
	urns := func(typ string, names ...string) []string {
		var out []string
		for _, n := range names {
			r := p.Find(typ, n)
			if r == nil {
				t.Fatalf("no %s %s", typ, n)
			}
			out = append(out, r.URN)
		}
		return out
	}
	const rule = awstype.IngressRule
	admitting := append(urns(rule, "site-main-alb-sg-80-ipv4", "site-main-alb-sg-80-ipv6", "site-main-alb-sg-443-ipv4", "site-main-alb-sg-443-ipv6"),
		urns(awstype.Listener, "site-main-http")...)
	alb := p.Find(awstype.LoadBalancer, "site-main-alb")
	for _, u := range append(slices.Clone(admitting[:4]), urns(rule, "site-main-web-sg-from-alb")...) {
		if !slices.Contains(alb.DependsOn, u) {
			t.Errorf("the load balancer does not wait for %s", u)
		}
	}
	// A changed description would replace the group: it is set once, and kept.
	if sg := p.Find(awstype.SecurityGroup, "site-main-alb-sg"); !slices.Contains(sg.IgnoreChanges, "description") {
		t.Errorf("the load balancer's group would be replaced by a new description: ignoreChanges %v", sg.IgnoreChanges)
	}
	primary := p.Find(awstype.Record, "site-dns-example.com-A-primary")
	for _, u := range admitting {
		if !slices.Contains(primary.DependsOn, u) {
			t.Errorf("the PRIMARY record does not wait for %s", u)
		}
	}
}

// TestEdgeInEveryShape: edge mode plans in us-east-1 (one certificate for both ends) and
// elsewhere, with the alarm and IPv6; the function and CloudFront's certificate are always in
// us-east-1, and the origin's certificate in the stack's region.
func TestEdgeInEveryShape(t *testing.T) {
	for _, region := range []string{"us-east-1", "eu-west-1"} {
		p := run(t, edgeConfig(map[string]string{
			"aws:region": region, stackconfig.Key(stackconfig.KeyIPv6): "true", stackconfig.Key(stackconfig.KeyAlarmEmail): "ops@example.com",
		}))
		fn := p.OfType(awstype.Function)[0]
		if !strings.HasPrefix(fn.Outputs["arn"].(string), "arn:aws:lambda:us-east-1:") {
			t.Errorf("%s: function %v", region, fn.Outputs["arn"])
		}
		cert := p.Find(awstype.Certificate, "site-main-origin-cert")
		if cert == nil || !strings.HasPrefix(cert.ID, "arn:aws:acm:"+region+":") {
			t.Errorf("%s: origin certificate %v", region, cert)
		}
		viewer, _ := plan.Get(distributionOf(t, p).Inputs, "viewerCertificate", "acmCertificateArn").(string)
		if !strings.HasPrefix(viewer, "arn:aws:acm:us-east-1:") {
			t.Errorf("%s: viewer certificate %s", region, viewer)
		}
	}
}

// TestEdgePartsOnlyInEdgeMode: the parts' edge settings come from FailoverMode; set on a part
// in dns mode they are refused, not half applied.
func TestEdgePartsOnlyInEdgeMode(t *testing.T) {
	for _, tt := range []struct {
		name   string
		mutate func(*topology.Args)
		want   string
	}{
		{"front door", func(a *topology.Args) {
			a.Edge.Origins.Primary.ReadTimeout = pulumi.IntRef(20)
		}, "Edge"},
		{"main site", func(a *topology.Args) {
			a.MainSite.CloudFrontOrigin = &edgeorigin.Origin{Name: "origin.example.com"}
		}, "MainSite.CloudFrontOrigin"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := &topology.Args{Domain: "example.com"}
			tt.mutate(args)
			err := args.Validate()
			if err == nil || !strings.HasPrefix(err.Error(), tt.want+": ") || !strings.Contains(err.Error(), "FailoverMode") {
				t.Fatalf("error = %v, want one about %s and FailoverMode", err, tt.want)
			}
		})
	}
}

// TestEdgeOriginSecretRotation: while a rotation's pulumi up has updated the load balancer's rule
// and CloudFront's edges still send the previous secret (the distribution takes minutes to
// deploy), visitors get the main page: the rule accepts previousOriginSecret too. Without it,
// every visitor would get the listener's 403.
func TestEdgeOriginSecretRotation(t *testing.T) {
	const old, renewed = "3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e", "9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d"
	planWith := func(secrets map[string]string) *plan.Plan {
		t.Helper()
		config := map[string]string{}
		for key, v := range secrets {
			config[stackconfig.Key(key)] = v
		}
		opts := testOptions(t, edgeConfig(config))
		for key := range secrets {
			opts.SecretKeys = append(opts.SecretKeys, stackconfig.Key(key))
		}
		p, err := plan.Run(opts, Program)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	before := planWith(map[string]string{stackconfig.KeyOriginSecret: old})
	for _, tt := range []struct {
		name    string
		secrets map[string]string
		status  int
	}{
		{"the previous secret accepted", map[string]string{stackconfig.KeyOriginSecret: renewed, stackconfig.KeyPreviousOriginSecret: old}, 200},
		{"the new secret alone", map[string]string{stackconfig.KeyOriginSecret: renewed}, 403},
	} {
		during := planWith(tt.secrets)
		// The rule is the new plan's; the distribution still the old one's.
		for i, r := range during.Account.Resources {
			if r.Type == awstype.Distribution {
				for _, old := range before.Account.Resources {
					if old.URN == r.URN {
						during.Account.Resources[i].Inputs = old.Inputs
					}
				}
			}
		}
		if got := during.Account.Visit("example.com", "/"); got.Status != tt.status {
			t.Errorf("%s: %s, want %d", tt.name, got, tt.status)
		}
	}
}
