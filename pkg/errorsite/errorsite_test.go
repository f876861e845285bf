package errorsite

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

const (
	zone             = "Z0123456789ABCDEFGHIJ"
	distributionType = awstype.Distribution
	bucketType       = awstype.Bucket
	certType         = awstype.Certificate
)

// edgeARN is a distribution made elsewhere, as ServedBy names it.
const edgeARN = "arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE0EDGE"

func baseArgs() *Args {
	return &Args{Domain: "example.com", AlternateNames: []string{"www.example.com"}, ZoneID: pulumi.String(zone)}
}

// account holds the zone of example.com, which receives the validation records.
var account = mockcloud.Existing{Zones: []mockcloud.Zone{{ID: zone, Name: "example.com"}}}

func runSite(t *testing.T, region string, args *Args) *plan.Plan {
	t.Helper()
	p, err := plan.RunInAccount(region, account, func(ctx *pulumi.Context) error {
		_, err := New(ctx, "err", args)
		return err
	}, plan.Strict)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBucketIsPrivate(t *testing.T) {
	p := runSite(t, "ap-northeast-1", baseArgs())
	bucket := p.OfType(bucketType)
	if len(bucket) != 1 {
		t.Fatalf("%d buckets", len(bucket))
	}
	name := bucket[0].ID
	block := p.Find(awstype.BucketPublicAccessBlock, "err-bucket")
	if block == nil || block.Inputs["bucket"] != name {
		t.Fatal("no public access block on the bucket")
	}
	for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
		if block.Inputs[k] != true {
			t.Errorf("public access block %s = %v", k, block.Inputs[k])
		}
	}
	owner := p.Find(awstype.BucketOwnershipControls, "err-bucket")
	if owner == nil || plan.Get(owner.Inputs, "rule", "objectOwnership") != "BucketOwnerEnforced" {
		t.Errorf("ownership controls: %v", owner)
	}
	sse := p.Find(awstype.BucketEncryption, "err-bucket")
	if sse == nil || plan.Get(sse.Inputs, "rules", 0, "applyServerSideEncryptionByDefault", "sseAlgorithm") != "AES256" {
		t.Errorf("default encryption: %v", sse)
	}
	for _, r := range p.Resources {
		if strings.Contains(r.Type, "Website") || strings.Contains(r.Type, "Acl") {
			t.Errorf("%s %s would expose the bucket", r.Type, r.Name)
		}
	}
}

func TestBucketPolicy(t *testing.T) {
	p := runSite(t, "ap-northeast-1", baseArgs())
	bucket := p.OfType(bucketType)[0]
	dist := p.OfType(distributionType)[0]
	policy := p.Find(awstype.BucketPolicy, "err-bucket")
	if policy == nil || policy.Inputs["bucket"] != bucket.ID {
		t.Fatal("no policy on the bucket")
	}
	var doc struct {
		Statement []struct {
			Sid       string
			Effect    string
			Principal any
			Action    any
			Resource  any
			Condition map[string]map[string]string
		}
	}
	if err := json.Unmarshal([]byte(policy.Inputs["policy"].(string)), &doc); err != nil {
		t.Fatal(err)
	}
	var allows, denies int
	for _, s := range doc.Statement {
		switch s.Effect {
		case "Allow":
			allows++
			if !reflect.DeepEqual(s.Principal, map[string]any{"Service": "cloudfront.amazonaws.com"}) {
				t.Errorf("read allowed to %v, want only CloudFront", s.Principal)
			}
			if s.Action != "s3:GetObject" || s.Resource != bucket.Outputs["arn"].(string)+"/*" {
				t.Errorf("allowed %v on %v", s.Action, s.Resource)
			}
			if got := s.Condition["StringEquals"]["AWS:SourceArn"]; got != dist.Outputs["arn"] {
				t.Errorf("read allowed for %q, want only this distribution %v", got, dist.Outputs["arn"])
			}
		case "Deny":
			denies++
			if s.Principal != "*" || s.Condition["Bool"]["aws:SecureTransport"] != "false" {
				t.Errorf("deny statement does not refuse plain HTTP: %+v", s)
			}
		}
	}
	if allows != 1 || denies != 1 {
		t.Errorf("%d allow and %d deny statements, want 1 and 1", allows, denies)
	}
}

// TestServedBy: with a distribution made elsewhere, the error site makes none and puts the page
// where that distribution asks for it; given the distribution's ARN it lets only that distribution
// read the bucket, and without it writes no policy (the distribution's component does).
func TestServedBy(t *testing.T) {
	for _, tt := range []struct {
		name    string
		by      ServedBy
		readers []any // nil: no bucket policy
		pageKey string
	}{
		{"with the distribution's ARN", ServedBy{DistributionARN: pulumi.String(edgeARN), PageKey: "pages/error.html"},
			[]any{edgeARN}, "pages/error.html"},
		{"without it, the page where edge mode asks", ServedBy{}, nil, EdgePageKey},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := baseArgs()
			args.ServedBy = &tt.by
			p := runSite(t, "ap-northeast-1", args)
			if n := len(p.OfType(distributionType)); n != 0 {
				t.Errorf("%d distributions, want none: another one serves the page", n)
			}
			if page := p.Find(awstype.BucketObject, "err-page"); page == nil || page.Inputs["key"] != tt.pageKey {
				t.Errorf("the page is not at %s, where the other distribution asks for it: %v", tt.pageKey, page)
			}
			policy := p.Find(awstype.BucketPolicy, "err-bucket")
			if tt.readers == nil {
				if policy != nil {
					t.Errorf("a bucket policy the distribution's component would overwrite: %v", policy.Inputs)
				}
				return
			}
			var doc struct{ Statement []map[string]any }
			if err := json.Unmarshal([]byte(policy.Inputs["policy"].(string)), &doc); err != nil {
				t.Fatal(err)
			}
			var readers []any
			for _, statement := range doc.Statement {
				if statement["Effect"] == "Allow" {
					readers = append(readers, plan.Get(statement, "Condition", "StringEquals", "AWS:SourceArn"))
				}
			}
			if !reflect.DeepEqual(readers, tt.readers) {
				t.Errorf("the bucket policy lets %v read, want only %v", readers, tt.readers)
			}
		})
	}
}

// TestBucketNameOf: the name in a bucket's ARN, in any partition; anything else is refused.
func TestBucketNameOf(t *testing.T) {
	for _, tt := range []struct{ arn, want string }{
		{"arn:aws:s3:::site-error-bucket-4f2a", "site-error-bucket-4f2a"},
		{"arn:aws-cn:s3:::logs.example", "logs.example"},
		{"arn:aws:s3:::bucket/key", ""},
		{"arn:aws:s3:eu-west-1::bucket", ""},
		{"site-error-bucket", ""},
		{"arn:aws:s3:::", ""},
	} {
		got, err := BucketNameOf(tt.arn)
		if got != tt.want || (err == nil) != (tt.want != "") {
			t.Errorf("BucketNameOf(%q) = %q, %v; want %q", tt.arn, got, err, tt.want)
		}
	}
}

// TestBucketSettingsOneAfterAnother: S3 refuses a write to a bucket's settings while another is
// under way, so of any two settings of the bucket, one waits for the other.
func TestBucketSettingsOneAfterAnother(t *testing.T) {
	p := runSite(t, "ap-northeast-1", baseArgs())
	var settings []plan.Resource
	for _, typ := range []string{awstype.BucketPublicAccessBlock, awstype.BucketOwnershipControls,
		awstype.BucketEncryption, awstype.BucketPolicy} {
		settings = append(settings, p.OfType(typ)...)
	}
	if len(settings) != 4 {
		t.Fatalf("%d bucket settings, want 4", len(settings))
	}
	for i, a := range settings {
		for _, b := range settings[i+1:] {
			if !p.WaitsFor(a.URN, b.URN) && !p.WaitsFor(b.URN, a.URN) {
				t.Errorf("%s and %s of the bucket may be written at once", shortType(a.Type), shortType(b.Type))
			}
		}
	}
}

// waitsFor reports whether r depends, directly or through others, on the resource urn.

func shortType(t string) string { return t[strings.LastIndex(t, ":")+1:] }

func TestDistribution(t *testing.T) {
	p := runSite(t, "eu-west-1", baseArgs())
	dist := p.OfType(distributionType)
	if len(dist) != 1 {
		t.Fatalf("%d distributions", len(dist))
	}
	in := dist[0].Inputs
	bucket := p.OfType(bucketType)[0]
	oac := p.OfType(awstype.OriginAccessControl)[0]

	checks := []struct {
		path []any
		want any
	}{
		{[]any{"aliases", 0}, "example.com"},
		{[]any{"aliases", 1}, "www.example.com"},
		{[]any{"defaultRootObject"}, "index.html"},
		{[]any{"isIpv6Enabled"}, true},
		{[]any{"httpVersion"}, "http2and3"},
		{[]any{"priceClass"}, "PriceClass_100"},
		{[]any{"origins", 0, "domainName"}, bucket.Outputs["bucketRegionalDomainName"]},
		{[]any{"origins", 0, "originAccessControlId"}, oac.ID},
		{[]any{"defaultCacheBehavior", "viewerProtocolPolicy"}, "redirect-to-https"},
		{[]any{"defaultCacheBehavior", "cachePolicyId"}, "658327ea-f89d-4fab-a63d-7e88639e58f6"},
		{[]any{"defaultCacheBehavior", "forwardedValues"}, nil},
		{[]any{"defaultCacheBehavior", "targetOriginId"}, plan.Get(in, "origins", 0, "originId")},
		{[]any{"viewerCertificate", "sslSupportMethod"}, "sni-only"},
		{[]any{"viewerCertificate", "minimumProtocolVersion"}, "TLSv1.2_2021"},
		{[]any{"viewerCertificate", "cloudfrontDefaultCertificate"}, nil},
	}
	for _, c := range checks {
		if got := plan.Get(in, c.path...); got != c.want {
			t.Errorf("distribution %v = %v, want %v", c.path, got, c.want)
		}
	}
	if n := len(in["aliases"].([]any)); n != 2 {
		t.Errorf("%d aliases", n)
	}
	if !strings.HasSuffix(bucket.Outputs["bucketRegionalDomainName"].(string), ".s3.eu-west-1.amazonaws.com") {
		t.Errorf("origin is not the bucket's regional REST endpoint: %v", bucket.Outputs["bucketRegionalDomainName"])
	}
	for k, want := range map[string]any{"originAccessControlOriginType": "s3", "signingBehavior": "always", "signingProtocol": "sigv4"} {
		if oac.Inputs[k] != want {
			t.Errorf("origin access control %s = %v, want %v", k, oac.Inputs[k], want)
		}
	}
}

// TestEveryPathShowsThePage: S3 answers 403 for a key that does not exist (CloudFront may not
// list the bucket), and 404 where it may; both become the page with the configured code. The root
// object is not the page, so "/" goes the same way instead of answering 200.
func TestEveryPathShowsThePage(t *testing.T) {
	for _, code := range []*int{nil, pulumi.IntRef(404)} {
		args := baseArgs()
		args.ErrorResponseCode = code
		args.ErrorPage = "<h1>Down for maintenance</h1>"
		want := 503.0
		if code != nil {
			want = float64(*code)
		}
		p := runSite(t, "ap-northeast-1", args)
		in := p.OfType(distributionType)[0].Inputs
		responses := in["customErrorResponses"].([]any)
		seen := map[float64]bool{}
		for _, r := range responses {
			r := r.(map[string]any)
			seen[r["errorCode"].(float64)] = true
			if r["responseCode"] != want || r["responsePagePath"] != "/"+PageKey || r["errorCachingMinTtl"] != 10.0 {
				t.Errorf("error response %v: want code %v, page /%s, cached 10 s", r, want, PageKey)
			}
		}
		if !seen[403] || !seen[404] || len(responses) != 2 {
			t.Errorf("error responses for %v, want 403 and 404", seen)
		}
		page := p.Find(awstype.BucketObject, "err-page")
		if page == nil || page.Inputs["key"] != PageKey || page.Inputs["content"] != args.ErrorPage ||
			!strings.HasPrefix(page.Inputs["contentType"].(string), "text/html") || page.Inputs["cacheControl"] != "max-age=60" {
			t.Fatalf("page object: %v", page)
		}
		if page.Inputs["key"] == in["defaultRootObject"] {
			t.Error("the page is the root object: / would answer 200")
		}
	}
	if !strings.Contains(DefaultErrorPage, "Error Page!") {
		t.Error("default page lost its heading")
	}
}

// TestCertificateInUSEast1 runs the error site in several stack regions: its certificate is
// always issued in us-east-1, by a provider of its own, and the distribution uses it once issued.
func TestCertificateInUSEast1(t *testing.T) {
	for _, region := range []string{"ap-northeast-1", "eu-west-1", "us-west-2", "us-east-1"} {
		p := runSite(t, region, baseArgs())
		certs := p.OfType(certType)
		if len(certs) != 1 {
			t.Fatalf("%s: %d certificates", region, len(certs))
		}
		if got := p.Region(&certs[0]); got != "us-east-1" {
			t.Errorf("%s: CloudFront's certificate is managed in %s", region, got)
		}
		provider := p.Find(awstype.Provider, "err-us-east-1")
		if provider == nil || provider.Parent != p.Find(Type, "err").URN {
			t.Errorf("%s: no us-east-1 provider inside the component", region)
		}
		validation := p.Find(awstype.CertificateValidation, "err-cert-validation")
		dist := p.OfType(distributionType)[0]
		if got := plan.Get(dist.Inputs, "viewerCertificate", "acmCertificateArn"); got != certs[0].Outputs["arn"] || !strings.HasPrefix(got.(string), "arn:aws:acm:us-east-1:") {
			t.Errorf("%s: distribution uses %v", region, got)
		}
		if !slices.Contains(dist.DependsOn, validation.URN) {
			t.Errorf("%s: the distribution does not wait for the certificate's issuance", region)
		}
	}
}

// TestGivenCertificateProvider: a given provider must be in us-east-1, whether its region was
// given to it or taken from AWS_REGION when it was created without one.
func TestGivenCertificateProvider(t *testing.T) {
	tests := []struct {
		name      string
		region    *string
		awsRegion string
		want      string
	}{
		{"us-east-1", pulumi.StringRef("us-east-1"), "eu-west-1", ""},
		{"eu-west-1", pulumi.StringRef("eu-west-1"), "us-east-1", `CertificateProvider: invalid value "eu-west-1": a provider in us-east-1`},
		{"no region, none in the environment", nil, "", `CertificateProvider: invalid value "(none)": a provider in us-east-1`},
		{"no region, us-east-1 in the environment", nil, "us-east-1", ""},
		{"no region, another in the environment", nil, "ap-northeast-1", `CertificateProvider: invalid value "ap-northeast-1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("AWS_REGION", tt.awsRegion)
			t.Setenv("AWS_DEFAULT_REGION", "")
			p, err := plan.RunInAccount("ap-northeast-1", account, func(ctx *pulumi.Context) error {
				args := &aws.ProviderArgs{Region: pulumi.StringPtrFromPtr(tt.region)}
				if tt.region == nil {
					args.Region = nil
				}
				provider, err := aws.NewProvider(ctx, "mine", args)
				if err != nil {
					return err
				}
				siteArgs := baseArgs()
				siteArgs.CertificateProvider = provider
				_, err = New(ctx, "err", siteArgs)
				return err
			}, plan.Strict)
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("error = %v, want %q", err, tt.want)
				}
				for _, r := range p.Resources {
					if r.Type != awstype.Provider {
						t.Errorf("%s registered before the error", r.URN)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(p.OfType(awstype.Provider)) != 1 {
				t.Error("ErrorSite made a provider of its own although one was given")
			}
			if cert := p.OfType(certType)[0]; p.Region(&cert) != "us-east-1" {
				t.Errorf("certificate in %s", p.Region(&cert))
			}
		})
	}
}

// TestChangingThePageTouchesOnlyThePage: the bucket and the distribution get the same inputs, so
// a new page is an in-place update of one object.
func TestChangingThePageTouchesOnlyThePage(t *testing.T) {
	a, b := baseArgs(), baseArgs()
	b.ErrorPage = "<h1>Back soon</h1>"
	pa, pb := runSite(t, "ap-northeast-1", a), runSite(t, "ap-northeast-1", b)
	for _, r := range pa.Resources {
		other := pb.ByURN(r.URN)
		if other == nil {
			t.Fatalf("%s gone", r.URN)
		}
		changed := !reflect.DeepEqual(r.Inputs, other.Inputs)
		if changed != (r.Name == "err-page") {
			t.Errorf("%s: inputs changed = %v", r.Name, changed)
		}
	}
}

func TestInvalidArgs(t *testing.T) {
	ttl := -1
	tests := []struct {
		name   string
		mutate func(*Args)
		want   string
	}{
		{"no zone", func(a *Args) { a.ZoneID = nil }, `ZoneID: invalid value ""`},
		{"bad alias", func(a *Args) { a.AlternateNames = []string{"www.example.org"} }, `AlternateNames[0]: invalid value "www.example.org"`},
		{"zero code, not the default", func(a *Args) { a.ErrorResponseCode = pulumi.IntRef(0) }, `ErrorResponseCode: invalid value "0": one of 200`},
		{"redirect code", func(a *Args) { a.ErrorResponseCode = pulumi.IntRef(301) }, `ErrorResponseCode: invalid value "301": one of 200, 400`},
		{"price class", func(a *Args) { a.PriceClass = "cheap" }, `PriceClass: invalid value "cheap": one of PriceClass_100, PriceClass_200, PriceClass_All`},
		{"negative ttl", func(a *Args) { a.ErrorCachingMinTTL = &ttl }, `ErrorCachingMinTTL: invalid value "-1": a whole number from 0 to 86400`},
		{"extra statements for a policy it does not write", func(a *Args) {
			a.ServedBy = &ServedBy{}
			a.ExtraBucketPolicy = func(string) []map[string]any { return nil }
		}, `ExtraBucketPolicy: invalid value "set": unset when ServedBy has no DistributionARN`},
		{"served from a path", func(a *Args) {
			a.ServedBy = &ServedBy{DistributionARN: pulumi.String(edgeARN), PageKey: "/_failover/error.html"}
		}, `ServedBy.PageKey: invalid value "/_failover/error.html": an object key, without a leading /`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := baseArgs()
			tt.mutate(args)
			_, err := plan.RunInAccount("ap-northeast-1", account, func(ctx *pulumi.Context) error {
				_, err := New(ctx, "err", args)
				return err
			}, plan.Strict)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestExtraBucketPolicy: an importer's statements join the bucket's one policy after the site's
// own, with the bucket's real ARN; a statement that is not one, or reuses a Sid, is refused
// before anything is registered, naming the field; a public Allow is refused by S3.
func TestExtraBucketPolicy(t *testing.T) {
	reader := func(arn string) []map[string]any {
		return []map[string]any{{"Sid": "ReportsRead", "Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::111122223333:role/reports"},
			"Action": "s3:GetObject", "Resource": arn + "/*"}}
	}
	for _, tt := range []struct {
		name  string
		extra func(string) []map[string]any
		want  string // "" for accepted
	}{
		{"a role that reads the page", reader, ""},
		{"no effect", func(string) []map[string]any { return []map[string]any{{"Action": "s3:GetObject"}} },
			`ExtraBucketPolicy[0]: invalid value "{\"Action\":\"s3:GetObject\"}": a statement whose Effect is Allow or Deny`},
		{"the site's own Sid", func(string) []map[string]any {
			return []map[string]any{{"Sid": "DenyInsecureTransport", "Effect": "Deny"}}
		},
			"a statement with a Sid of its own, not DenyInsecureTransport"},
		{"a public read", func(arn string) []map[string]any {
			return []map[string]any{{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": arn + "/*"}}
		}, "the bucket's public access block refuses a public policy"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := baseArgs()
			args.ExtraBucketPolicy = tt.extra
			p, err := plan.RunInAccount("ap-northeast-1", account, func(ctx *pulumi.Context) error {
				_, err := New(ctx, "err", args)
				return err
			}, plan.Strict)
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("error = %v, want %q", err, tt.want)
				}
				// Validate runs before New registers anything; S3's refusal comes with the policy.
				byS3 := strings.Contains(tt.want, "public access block")
				if invalid := args.Validate(); (invalid == nil) != byS3 {
					t.Errorf("Validate: %v", invalid)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var doc struct{ Statement []map[string]any }
			if err := json.Unmarshal([]byte(p.Find(awstype.BucketPolicy, "err-bucket").Inputs["policy"].(string)), &doc); err != nil {
				t.Fatal(err)
			}
			arn := p.OfType(bucketType)[0].Outputs["arn"].(string)
			if len(doc.Statement) != 3 || doc.Statement[0]["Sid"] != "AllowCloudFrontReadForThisDistribution" ||
				doc.Statement[2]["Sid"] != "ReportsRead" || doc.Statement[2]["Resource"] != arn+"/*" {
				t.Errorf("the bucket's policy: %v, want the site's two statements, then the reader's on %s/*", doc.Statement, arn)
			}
		})
	}
}
