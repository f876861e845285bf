package certificate

import (
	"bytes"
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
	certType       = awstype.Certificate
	recordType     = awstype.Record
	validationType = awstype.CertificateValidation
	zone           = "Z0123456789ABCDEFGHIJ"
)

// account holds the zone of example.com, which receives the validation records.
var account = mockcloud.Existing{Zones: []mockcloud.Zone{{ID: zone, Name: "example.com"}}}

func run(body func(ctx *pulumi.Context) error) (*plan.Plan, error) {
	return plan.RunInAccount("ap-northeast-1", account, body, plan.Strict)
}

func newCert(domain string, alternates ...string) func(ctx *pulumi.Context) error {
	return func(ctx *pulumi.Context) error {
		_, err := New(ctx, "cert", &Args{Domain: domain, AlternateNames: alternates, ZoneID: pulumi.String(zone)})
		return err
	}
}

func TestValidationRecords(t *testing.T) {
	p, err := run(newCert("example.com", "www.example.com", "shop.example.com"))
	if err != nil {
		t.Fatal(err)
	}
	cert := p.Find(certType, "cert")
	if cert == nil {
		t.Fatal("no certificate")
	}
	if got := plan.Get(cert.Inputs, "subjectAlternativeNames"); len(got.([]any)) != 2 ||
		got.([]any)[0] != "shop.example.com" || got.([]any)[1] != "www.example.com" {
		t.Errorf("subjectAlternativeNames = %v, want the alternates sorted", got)
	}
	if cert.Inputs["validationMethod"] != "DNS" {
		t.Errorf("validationMethod = %v", cert.Inputs["validationMethod"])
	}

	records := p.OfType(recordType)
	if len(records) != 3 {
		t.Fatalf("%d validation records, want one per name (3)", len(records))
	}
	// Each record carries the CNAME that ACM asked for its own name.
	for _, option := range cert.Outputs["domainValidationOptions"].([]any) {
		o := option.(map[string]any)
		name := o["domainName"].(string)
		r := p.Find(recordType, "cert-validation-"+name)
		if r == nil {
			t.Errorf("no validation record for %s", name)
			continue
		}
		checks := map[string]any{
			"zoneId":         zone,
			"name":           o["resourceRecordName"],
			"type":           "CNAME",
			"allowOverwrite": true,
		}
		for k, want := range checks {
			if r.Inputs[k] != want {
				t.Errorf("record for %s: %s = %v, want %v", name, k, r.Inputs[k], want)
			}
		}
		if got := plan.Get(r.Inputs, "records", 0); got != o["resourceRecordValue"] {
			t.Errorf("record for %s points at %v, want %v", name, got, o["resourceRecordValue"])
		}
	}

	validation := p.Find(validationType, "cert-validation")
	if validation == nil {
		t.Fatal("no certificate validation: nothing waits for issuance")
	}
	if validation.Inputs["certificateArn"] != cert.Outputs["arn"] {
		t.Errorf("validation waits for %v, not the certificate %v", validation.Inputs["certificateArn"], cert.Outputs["arn"])
	}
	for _, r := range records {
		if !slices.Contains(validation.DependsOn, r.URN) {
			t.Errorf("validation does not wait for record %s", r.Name)
		}
	}
}

func TestAlternateOrderDoesNotChangeThePlan(t *testing.T) {
	render := func(alternates ...string) []byte {
		p, err := run(newCert("example.com", alternates...))
		if err != nil {
			t.Fatal(err)
		}
		b, err := p.JSON()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a := render("www.example.com", "api.example.com", "shop.example.com")
	b := render("shop.example.com", "www.example.com", "api.example.com")
	if !bytes.Equal(a, b) {
		t.Fatal("reordering the alternate names changed the plan, which would replace the certificate")
	}
}

// TestRegionFollowsProvider checks that the certificate is issued where its provider points
// (us-east-1 for CloudFront), not in the stack's region.
func TestRegionFollowsProvider(t *testing.T) {
	p, err := run(func(ctx *pulumi.Context) error {
		east, err := aws.NewProvider(ctx, "us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		if _, err := New(ctx, "global", &Args{Domain: "example.com", ZoneID: pulumi.String(zone)}, pulumi.Provider(east)); err != nil {
			return err
		}
		_, err = New(ctx, "local", &Args{Domain: "example.com", ZoneID: pulumi.String(zone)})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"global": "us-east-1", "local": "ap-northeast-1"} {
		cert := p.Find(certType, name)
		if cert == nil {
			t.Fatalf("no certificate %s", name)
		}
		if got := p.Region(cert); got != want {
			t.Errorf("certificate %s is managed in %s, want %s", name, got, want)
		}
		if arn := cert.Outputs["arn"].(string); !strings.HasPrefix(arn, "arn:aws:acm:"+want+":") {
			t.Errorf("certificate %s has ARN %s, want one in %s", name, arn, want)
		}
	}
	// Both certificates ask for the same CNAME; allowOverwrite lets both records exist.
	a, b := p.Find(recordType, "global-validation-example.com"), p.Find(recordType, "local-validation-example.com")
	if a.Inputs["name"] != b.Inputs["name"] || a.Inputs["allowOverwrite"] != true || b.Inputs["allowOverwrite"] != true {
		t.Errorf("the two certificates' validation records differ or cannot overwrite: %v / %v", a.Inputs, b.Inputs)
	}
}

func TestInvalidArgs(t *testing.T) {
	tests := []struct {
		name string
		args *Args
		want string
	}{
		{"no args", nil, `Domain: invalid value ""`},
		{"bad domain", &Args{Domain: "example", ZoneID: pulumi.String(zone)}, `Domain: invalid value "example"`},
		{"alternate elsewhere", &Args{Domain: "example.com", AlternateNames: []string{"example.org"}, ZoneID: pulumi.String(zone)}, `AlternateNames[0]: invalid value "example.org"`},
		{"no zone", &Args{Domain: "example.com"}, `ZoneID: invalid value "": the id of the public hosted zone`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := run(func(ctx *pulumi.Context) error {
				_, err := New(ctx, "cert", tt.args)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			if len(p.Resources) != 0 {
				t.Fatalf("%d resources registered for invalid args", len(p.Resources))
			}
		})
	}
}

// TestSharedValidationRecords: a certificate of the same names that takes another's records
// writes none of its own: it reads each under the name its own copy would have, so each DNS
// record has exactly one owner, and ACM still issues it (the records exist).
func TestSharedValidationRecords(t *testing.T) {
	p, err := run(func(ctx *pulumi.Context) error {
		local, err := New(ctx, "local", &Args{Domain: "example.com", AlternateNames: []string{"www.example.com"}, ZoneID: pulumi.String(zone)})
		if err != nil {
			return err
		}
		east, err := aws.NewProvider(ctx, "us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		_, err = New(ctx, "global", &Args{Domain: "example.com", AlternateNames: []string{"www.example.com"},
			ValidationRecordsOf: local}, pulumi.Provider(east))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	written := map[string]string{}
	for _, r := range p.OfType(recordType) {
		if !r.Read {
			written[r.Inputs["name"].(string)] = r.Name
		}
	}
	if len(written) != 2 || written[p.Find(recordType, "local-validation-example.com").Inputs["name"].(string)] != "local-validation-example.com" {
		t.Fatalf("written validation records %v, want exactly the local certificate's two", written)
	}
	validation := p.Find(validationType, "global-validation")
	for _, n := range []string{"example.com", "www.example.com"} {
		read, own := p.Find(recordType, "global-validation-"+n), p.Find(recordType, "local-validation-"+n)
		if read == nil || !read.Read || read.ID != own.ID {
			t.Errorf("global certificate's record for %s: %+v, want a read of %s", n, read, own.ID)
			continue
		}
		if !slices.Contains(validation.DependsOn, own.URN) {
			t.Errorf("the global validation does not wait for the record of %s", n)
		}
	}
	if got := p.Region(p.Find(certType, "global")); got != "us-east-1" {
		t.Errorf("global certificate in %s", got)
	}

	_, err = run(func(ctx *pulumi.Context) error {
		local, err := New(ctx, "local", &Args{Domain: "example.com", ZoneID: pulumi.String(zone)})
		if err != nil {
			return err
		}
		_, err = New(ctx, "other", &Args{Domain: "example.com", AlternateNames: []string{"www.example.com"}, ValidationRecordsOf: local})
		return err
	})
	if err == nil || !strings.Contains(err.Error(), `ValidationRecordsOf: invalid value "example.com": a certificate of the same names (example.com, www.example.com)`) {
		t.Errorf("error = %v", err)
	}
}

func TestNames(t *testing.T) {
	got := Names("example.com", []string{"www.example.com", "api.example.com", "www.example.com", "example.com"})
	want := []string{"example.com", "api.example.com", "www.example.com"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("Names = %v, want %v", got, want)
	}
}
