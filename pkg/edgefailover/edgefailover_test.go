package edgefailover

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
	"github.com/seed-2b23e6e5/route53-failover/pkg/edgeorigin"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

const (
	zone           = "Z0123456789ABCDEFGHIJ"
	certificateARN = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
)

// account holds the zone of the served names and the issued us-east-1 certificate for them.
var account = mockcloud.Existing{
	Zones:        []mockcloud.Zone{{ID: zone, Name: "example.com"}},
	Certificates: []mockcloud.Certificate{{ARN: certificateARN, Names: []string{"example.com", "www.example.com"}, Status: "ISSUED"}},
}

func baseArgs() *Args {
	return &Args{
		Domain: "example.com", AlternateNames: []string{"www.example.com"},
		ZoneID: pulumi.String(zone), CertificateARN: pulumi.String(certificateARN),
		Origins: OriginGroup{Primary: MainOrigin{Origin: edgeorigin.Origin{Name: "origin.example.com"}}},
	}
}

// withBucket makes the error bucket and its origin access control, as an importer's program
// would, and makes them the fallback of the args that mutate (given the bucket) leaves.
func withBucket(args *Args, mutate func(*Args, *s3.BucketV2)) func(ctx *pulumi.Context) error {
	return func(ctx *pulumi.Context) error {
		bucket, err := s3.NewBucketV2(ctx, "pages", &s3.BucketV2Args{})
		if err != nil {
			return err
		}
		oac, err := cloudfront.NewOriginAccessControl(ctx, "pages", &cloudfront.OriginAccessControlArgs{
			OriginAccessControlOriginType: pulumi.String("s3"),
			SigningBehavior:               pulumi.String("always"),
			SigningProtocol:               pulumi.String("sigv4"),
		})
		if err != nil {
			return err
		}
		args.Origins.Fallback = BucketOrigin{DomainName: bucket.BucketRegionalDomainName, OriginAccessControlID: oac.ID()}
		if mutate != nil {
			mutate(args, bucket)
		}
		_, err = New(ctx, "edge", args)
		return err
	}
}

func runEdge(t *testing.T, args *Args) *plan.Plan {
	t.Helper()
	p, err := plan.RunInAccount("eu-west-1", account, withBucket(args, nil), plan.Strict)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// records groups the plan's records by name and type.
func records(p *plan.Plan) map[string][]plan.Resource {
	out := map[string][]plan.Resource{}
	for _, r := range p.OfType(awstype.Record) {
		key := r.Inputs["name"].(string) + " " + r.Inputs["type"].(string)
		out[key] = append(out[key], r)
	}
	return out
}

// TestAliases: each served name is one plain alias per type to the distribution (AAAA when it
// serves IPv6); the health check requests the domain itself, through the distribution.
func TestAliases(t *testing.T) {
	for _, ipv6 := range []bool{false, true} {
		args := baseArgs()
		args.IPv6 = ipv6
		p := runEdge(t, args)
		dist := p.OfType(awstype.Distribution)[0]
		byKey := records(p)
		want := []string{"example.com A", "www.example.com A"}
		if ipv6 {
			want = []string{"example.com A", "example.com AAAA", "www.example.com A", "www.example.com AAAA"}
		}
		if got := slices.Sorted(func(yield func(string) bool) {
			for k := range byKey {
				if !yield(k) {
					return
				}
			}
		}); !slices.Equal(got, want) {
			t.Fatalf("ipv6 %v: records %v, want %v", ipv6, got, want)
		}
		for key, rs := range byKey {
			r := rs[0]
			if len(rs) != 1 || r.Inputs["setIdentifier"] != nil || plan.Get(r.Inputs, "aliases", 0, "name") != dist.Outputs["domainName"] ||
				plan.Get(r.Inputs, "aliases", 0, "evaluateTargetHealth") != false {
				t.Errorf("%s: %s %v", key, r.Name, r.Inputs)
			}
		}
		if dist.Inputs["isIpv6Enabled"] != ipv6 {
			t.Errorf("ipv6 %v: the distribution's isIpv6Enabled is %v", ipv6, dist.Inputs["isIpv6Enabled"])
		}
		if fqdn := p.OfType(awstype.HealthCheck)[0].Inputs["fqdn"]; fqdn != "example.com" {
			t.Errorf("the health check requests %v, want the domain through the distribution", fqdn)
		}
	}
}

// TestOriginGroup: the distribution's default behaviour targets the main site first and the
// bucket second, with the given origins and timeouts, and serves the page's path from the bucket.
func TestOriginGroup(t *testing.T) {
	args := baseArgs()
	args.Origins.Primary.ReadTimeout = pulumi.IntRef(20)
	p := runEdge(t, args)
	in := p.OfType(awstype.Distribution)[0].Inputs
	bucket, oac := p.Find(awstype.Bucket, "pages"), p.Find(awstype.OriginAccessControl, "pages")
	members := plan.Get(in, "originGroups", 0, "members")
	if fmt.Sprint(members) != "[map[originId:main-site] map[originId:error-page-bucket]]" {
		t.Errorf("origin group members %v, want the main site, then the bucket", members)
	}
	for _, c := range []struct {
		path []any
		want any
	}{
		{[]any{"origins", 0, "domainName"}, bucket.Outputs["bucketRegionalDomainName"]},
		{[]any{"origins", 0, "originAccessControlId"}, oac.ID},
		{[]any{"origins", 1, "domainName"}, "origin.example.com"},
		{[]any{"origins", 1, "connectionAttempts"}, 1.0},
		{[]any{"origins", 1, "connectionTimeout"}, 3.0},
		{[]any{"origins", 1, "customOriginConfig", "originReadTimeout"}, 20.0},
		{[]any{"origins", 1, "customOriginConfig", "originProtocolPolicy"}, "https-only"},
		{[]any{"defaultCacheBehavior", "targetOriginId"}, "main-site-or-error-page"},
		{[]any{"orderedCacheBehaviors", 0, "pathPattern"}, PagePattern},
		{[]any{"orderedCacheBehaviors", 0, "targetOriginId"}, "error-page-bucket"},
		{[]any{"viewerCertificate", "acmCertificateArn"}, certificateARN},
	} {
		if got := plan.Get(in, c.path...); got != c.want {
			t.Errorf("%v = %v, want %v", c.path, got, c.want)
		}
	}
	if !strings.HasPrefix("/"+PageKey, strings.TrimSuffix(PagePattern, "*")) {
		t.Errorf("the page %s is not under the bucket's behaviour %s", PageKey, PagePattern)
	}
}

// TestErrorRateAlarm: the owner is also told when many requests get a 5xx from the distribution,
// failed over or not (Lambda@Edge errors and throttles are not): its 5xxErrorRate, as CloudFront
// publishes it in us-east-1.
func TestErrorRateAlarm(t *testing.T) {
	if n := len(runEdge(t, baseArgs()).OfType(awstype.MetricAlarm)); n != 0 {
		t.Fatalf("%d alarms without an alarm email", n)
	}
	args := baseArgs()
	args.AlarmEmail = pulumi.String("ops@example.com")
	p := runEdge(t, args)
	var errorRate *plan.Resource
	for _, a := range p.OfType(awstype.MetricAlarm) {
		if a.Inputs["metricName"] == "5xxErrorRate" {
			errorRate = &a
		}
	}
	if errorRate == nil {
		t.Fatal("no alarm on the distribution's 5xxErrorRate")
	}
	if got := p.Region(errorRate); got != "us-east-1" {
		t.Errorf("the error-rate alarm is in %s; CloudFront publishes its metrics in us-east-1", got)
	}
	a := errorRate.Inputs
	want := map[string]any{"namespace": "AWS/CloudFront", "statistic": "Average", "period": 60.0, "evaluationPeriods": 5.0,
		"threshold": 5.0, "comparisonOperator": "GreaterThanThreshold", "treatMissingData": "notBreaching"}
	for k, v := range want {
		if a[k] != v {
			t.Errorf("error-rate alarm %s = %v, want %v", k, a[k], v)
		}
	}
	dist := p.OfType(awstype.Distribution)[0]
	if d := plan.Get(a, "dimensions"); fmt.Sprint(d) != fmt.Sprintf("map[DistributionId:%s Region:Global]", dist.ID) {
		t.Errorf("error-rate alarm dimensions %v, want the distribution's, with Region Global", d)
	}
	topic := p.OfType(awstype.Topic)[0].ID
	if plan.Get(a, "alarmActions", 0) != topic || plan.Get(a, "okActions", 0) != topic {
		t.Error("the error-rate alarm does not tell the owner")
	}
}

// TestMoved: the Moved hook gives each child the aliases of its suffix, so a stack keeps the
// URNs of what it made under other components.
func TestMoved(t *testing.T) {
	args := baseArgs()
	args.Moved = func(suffix string) []pulumi.Alias {
		return []pulumi.Alias{{Name: pulumi.String("before-" + suffix), NoParent: pulumi.Bool(true)}}
	}
	p := runEdge(t, args)
	for _, child := range []struct{ typ, name, alias string }{
		{awstype.Distribution, "edge-cdn", "before-cdn"},
		{awstype.Function, "edge-failover", "before-failover"},
		{awstype.Role, "edge-failover-role", "before-failover-role"},
		{awstype.Record, "edge-example.com-A", "before-example.com-A"},
		{awstype.HealthCheck, "edge-health", "before-health"},
	} {
		r := p.Find(child.typ, child.name)
		want := "urn:pulumi:test::test::" + child.typ + "::" + child.alias
		if r == nil || !slices.Contains(r.Aliases, want) {
			t.Errorf("%s %s: aliases %v, want %s", child.typ, child.name, r.Aliases, want)
		}
	}
}

// TestErrorPageStatusUncached: whatever status the error page is served with, CloudFront keeps
// it out of its cache (for 400, 403, 405 and 416 it would otherwise hold the error page 10 s,
// the default error caching minimum TTL, after the main site is back).
func TestErrorPageStatusUncached(t *testing.T) {
	for _, code := range []int{400, 403, 405, 416, 503} {
		args := baseArgs()
		args.ErrorResponseCode = pulumi.IntRef(code)
		found := false
		for _, r := range runEdge(t, args).OfType(awstype.Distribution)[0].Inputs["customErrorResponses"].([]any) {
			e := r.(map[string]any)
			if e["errorCode"] == float64(code) {
				found = e["errorCachingMinTtl"] == 0.0
			}
		}
		if !found {
			t.Errorf("ErrorResponseCode %d: no custom error response with an error caching minimum TTL of 0 for it", code)
		}
	}
}

// TestFunction: the failover function lives in us-east-1, published, x86_64, its role
// assumable by Lambda@Edge; it rewrites only requests bound for the bucket to the page and sets
// the error status on the bucket's answer.
func TestFunction(t *testing.T) {
	args := baseArgs()
	args.ErrorResponseCode = pulumi.IntRef(500)
	p := runEdge(t, args)
	fns := p.OfType(awstype.Function)
	if len(fns) != 1 {
		t.Fatalf("%d functions", len(fns))
	}
	fn := fns[0]
	if !strings.HasPrefix(fn.Outputs["arn"].(string), "arn:aws:lambda:us-east-1:") || fn.Inputs["publish"] != true ||
		fmt.Sprint(fn.Inputs["architectures"]) != "[x86_64]" || fn.Inputs["skipDestroy"] != true {
		t.Errorf("function %v", fn.Inputs)
	}
	// The code is Node.js (index.js, exports.handler), and 5 s is far beyond what it does but
	// within origin events' 30 s.
	for k, want := range map[string]any{"runtime": "nodejs22.x", "handler": "index.handler", "timeout": 5.0, "memorySize": 128.0} {
		if fn.Inputs[k] != want {
			t.Errorf("function %s = %v, want %v", k, fn.Inputs[k], want)
		}
	}
	role := p.OfType(awstype.Role)[0]
	var trust struct {
		Statement []struct {
			Effect    string
			Principal struct{ Service []string }
			Action    string
		}
	}
	if err := json.Unmarshal([]byte(role.Inputs["assumeRolePolicy"].(string)), &trust); err != nil || len(trust.Statement) != 1 ||
		trust.Statement[0].Effect != "Allow" || trust.Statement[0].Action != "sts:AssumeRole" ||
		!slices.Equal(trust.Statement[0].Principal.Service, []string{"edgelambda.amazonaws.com", "lambda.amazonaws.com"}) {
		t.Errorf("role trust %v, want Lambda and Lambda@Edge to assume it", role.Inputs["assumeRolePolicy"])
	}
	code := FailoverFunctionCode("/"+PageKey, 500)
	for _, want := range []string{"request.origin.s3", "request.uri = PAGE", "'/" + PageKey + "'", "'500'", "'Internal Server Error'", "no-store"} {
		if !strings.Contains(code, want) {
			t.Errorf("the function's code lacks %q:\n%s", want, code)
		}
	}
}

// TestWritesBucketPolicy: given the bucket's ARN, the front door writes the bucket's policy, which
// lets its distribution read, and sends visitors to the distribution only once the policy is in
// place; without it, it leaves the bucket's policy to the error site.
func TestWritesBucketPolicy(t *testing.T) {
	for _, writes := range []bool{false, true} {
		args := baseArgs()
		p, err := plan.RunInAccount("eu-west-1", account, withBucket(args, func(a *Args, bucket *s3.BucketV2) {
			if writes {
				a.Origins.Fallback.BucketARN = bucket.Arn
			}
		}), plan.Strict)
		if err != nil {
			t.Fatal(err)
		}
		policies := p.OfType(awstype.BucketPolicy)
		if !writes {
			if len(policies) != 0 {
				t.Errorf("a bucket policy without the bucket's ARN: %v", policies)
			}
			continue
		}
		bucket := p.OfType(awstype.Bucket)[0].ID
		if len(policies) != 1 || policies[0].Inputs["bucket"] != bucket {
			t.Fatalf("no policy on the bucket %s: %v", bucket, policies)
		}
		policy := policies[0]
		var doc struct{ Statement []map[string]any }
		if err := json.Unmarshal([]byte(policy.Inputs["policy"].(string)), &doc); err != nil {
			t.Fatal(err)
		}
		distributionARN := p.OfType(awstype.Distribution)[0].Outputs["arn"]
		if reader := plan.Get(doc.Statement[0], "Condition", "StringEquals", "AWS:SourceArn"); reader != distributionARN {
			t.Errorf("the bucket policy lets %v read, want the distribution %v", reader, distributionARN)
		}
		for _, record := range p.OfType(awstype.Record) {
			if !slices.Contains(record.DependsOn, policy.URN) {
				t.Errorf("%s may send visitors to the distribution before it can read the error page", record.Name)
			}
		}
	}
}

func TestInvalidArgs(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Args)
		want   string
	}{
		{"no zone", func(a *Args) { a.ZoneID = nil }, `ZoneID: invalid value "": required`},
		{"no certificate", func(a *Args) { a.CertificateARN = nil }, `CertificateARN: invalid value "": required`},
		{"no bucket", func(a *Args) { a.Origins.Fallback.DomainName = nil }, `Origins.Fallback.DomainName: invalid value "": required`},
		{"a page with a redirect's status", func(a *Args) { a.ErrorResponseCode = pulumi.IntRef(302) },
			`ErrorResponseCode: invalid value "302": one of 400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504`},
		{"a page with 200", func(a *Args) { a.ErrorResponseCode = pulumi.IntRef(200) }, `ErrorResponseCode: invalid value "200": one of 400`},
		{"price class", func(a *Args) { a.PriceClass = "cheap" }, `PriceClass: invalid value "cheap": one of PriceClass_100`},
		{"origin that is served", func(a *Args) { a.Origins.Primary.Origin.Name = "example.com" },
			`Origins.Primary.Origin.Name: invalid value "example.com": a name under example.com that is not served`},
		{"origin that is no name", func(a *Args) { a.Origins.Primary.Origin.Name = "origin..example.com" },
			`Origins.Primary.Origin.Name: invalid value "origin..example.com"`},
		{"origin outside the zone", func(a *Args) { a.Origins.Primary.Origin.Name = "origin.example.org" },
			`Origins.Primary.Origin.Name: invalid value "origin.example.org"`},
		{"origin secret with a wildcard", func(a *Args) { a.Origins.Primary.Origin.Secret = pulumi.String("0123456789abcdef*") },
			`Origins.Primary.Origin.Secret: invalid value "[secret]": 16-128 characters without * or ?`},
		{"origin secret from config, too short", func(a *Args) {
			a.Origins.Primary.Origin.Secret = pulumi.ToSecret(pulumi.String("short")).(pulumi.StringOutput)
		}, `Origins.Primary.Origin.Secret: invalid value "[secret]": 16-128 characters`},
		{"four connection attempts", func(a *Args) { a.Origins.Primary.ConnectionAttempts = pulumi.IntRef(4) },
			`Origins.Primary.ConnectionAttempts: invalid value "4": a whole number from 1 to 3`},
		{"no connection timeout", func(a *Args) { a.Origins.Primary.ConnectionTimeout = pulumi.IntRef(0) },
			`Origins.Primary.ConnectionTimeout: invalid value "0": a whole number from 1 to 10`},
		{"read timeout over a minute", func(a *Args) { a.Origins.Primary.ReadTimeout = pulumi.IntRef(61) },
			`Origins.Primary.ReadTimeout: invalid value "61": a whole number from 1 to 60`},
		{"interval 20", func(a *Args) { a.HealthCheckInterval = pulumi.IntRef(20) }, `HealthCheckInterval: invalid value "20": one of 10, 30`},
		{"bad email", func(a *Args) { a.AlarmEmail = pulumi.String("ops at example") }, `AlarmEmail: invalid value "ops at example"`},
		{"a bucket's name for its ARN", func(a *Args) { a.Origins.Fallback.BucketARN = pulumi.String("site-error-bucket") },
			`Origins.Fallback.BucketARN: invalid value "site-error-bucket": an S3 bucket's ARN, arn:PARTITION:s3:::NAME`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := baseArgs()
			p, err := plan.RunInAccount("eu-west-1", account, withBucket(args, func(a *Args, _ *s3.BucketV2) { tt.mutate(a) }), plan.Strict)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			for _, r := range p.Resources {
				if strings.HasPrefix(r.Name, "edge") {
					t.Errorf("%s registered before the error", r.Name)
				}
			}
		})
	}
}
