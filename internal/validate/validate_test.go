package validate

import (
	"errors"
	"strings"
	"testing"
)

func TestDomainName(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"example.com", true},
		{"www.example.co.uk", true},
		{"xn--bcher-kva.example", true},
		{"a-b.example.com", true},
		{"", false},
		{"localhost", false},
		{"Example.com", false},
		{"example.com.", false},
		{"*.example.com", false},
		{"-a.example.com", false},
		{"a-.example.com", false},
		{"a..example.com", false},
		{"example.123", false},
		{"exa mple.com", false},
		{"https://example.com", false},
		{strings.Repeat("a", 64) + ".com", false},
		{strings.Repeat("a.", 127) + "com", false},
	}
	for _, tt := range tests {
		err := DomainName("domain", tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("DomainName(%q) = %v, want ok=%v", tt.in, err, tt.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "domain: invalid value") {
			t.Errorf("DomainName(%q) error %q does not name the field", tt.in, err)
		}
	}
}

func TestServedNames(t *testing.T) {
	long := strings.Repeat("a", 60) + ".com" // 64 characters: the longest first name ACM takes
	tests := []struct {
		name       string
		domain     string
		alternates []string
		wantErr    string
	}{
		{"apex alone", "example.com", nil, ""},
		{"apex and www", "example.com", []string{"www.example.com", "shop.example.com"}, ""},
		{"64 characters", long, nil, ""},
		{"65 characters", "b" + long, nil, "at most 64 characters"},
		{"outside the zone", "example.com", []string{"www.example.org"}, `alt[0]: invalid value "www.example.org": a name inside example.com's hosted zone`},
		{"suffix but not a subdomain", "example.com", []string{"badexample.com"}, `alt[0]: invalid value "badexample.com"`},
		{"repeat", "example.com", []string{"www.example.com", "www.example.com"}, `alt[1]: invalid value "www.example.com": each name once`},
		{"the domain again", "example.com", []string{"example.com"}, "each name once"},
		{"malformed alternate", "example.com", []string{"WWW.example.com"}, "alt[0]"},
		{"too many", "example.com", manyNames(100), "at most 99 names"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ServedNames("domain", tt.domain, "alt", tt.alternates)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func manyNames(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "n" + strings.Repeat("x", i%5) + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ".example.com"
	}
	return out
}

func TestFormats(t *testing.T) {
	tests := []struct {
		check func(string, string) error
		name  string
		good  []string
		bad   []string
	}{
		{InstanceType, "InstanceType", []string{"t3.micro", "m7g.2xlarge", "u-6tb1.metal", "c6in.large"}, []string{"", "t3", "micro", "T3.micro", "t3.micro ", "t3..micro"}},
		{AMIID, "AMIID", []string{"ami-12345678", "ami-0123456789abcdef0"}, []string{"", "ami-123", "ami-0123456789ABCDEF0", "ami_12345678"}},
		{VPCID, "VPCID", []string{"vpc-12345678", "vpc-0123456789abcdef0"}, []string{"vpc-", "subnet-12345678"}},
		{SubnetID, "SubnetID", []string{"subnet-12345678", "subnet-0123456789abcdef0"}, []string{"subnet-xyz", "vpc-12345678"}},
		{HostedZoneID, "HostedZoneID", []string{"Z0123456789ABCDEFGHIJ", "Z2FDTNDATAQYW2"}, []string{"", "/hostedzone/Z0123", "z0123", "Z"}},
		{Region, "Region", []string{"ap-northeast-1", "us-east-1", "eu-central-2", "il-central-1", "mx-central-1"},
			[]string{"", "tokyo", "ap-northeast", "AP-NORTHEAST-1", "ap-northeast-9", "us-gov-west-1", "cn-north-1"}},
		{Email, "Email", []string{"ops@example.com", "a.b+c@sub.example.org"}, []string{"", "ops", "Ops <ops@example.com>", "ops@"}},
		{HealthCheckPath, "HealthCheckPath", []string{"/", "/health", "/status?full=1"}, []string{"", "health", "/with space", "/" + strings.Repeat("a", 255)}},
	}
	for _, tt := range tests {
		for _, v := range tt.good {
			if err := tt.check("key", v); err != nil {
				t.Errorf("%s(%q): unexpected error %v", tt.name, v, err)
			}
		}
		for _, v := range tt.bad {
			err := tt.check("key", v)
			if err == nil {
				t.Errorf("%s(%q): accepted", tt.name, v)
				continue
			}
			var e *Error
			if !asError(err, &e) || e.Field != "key" || e.Value != v || e.Allowed == "" {
				t.Errorf("%s(%q): error %#v does not name the field, the value and what is allowed", tt.name, v, err)
			}
		}
	}
}

func asError(err error, target **Error) bool {
	e, ok := err.(*Error)
	*target = e
	return ok
}

func TestRanges(t *testing.T) {
	if err := IntRange("interval", 5, 5, 300); err != nil {
		t.Error(err)
	}
	if err := IntRange("interval", 4, 5, 300); err == nil || err.Error() != `interval: invalid value "4": a whole number from 5 to 300` {
		t.Errorf("got %v", err)
	}
	if err := OneOf("interval", 20, 10, 30); err == nil || err.Error() != `interval: invalid value "20": one of 10, 30` {
		t.Errorf("got %v", err)
	}
}

// TestErrorPaths: an error from a part is named from the enclosing Args (Within), then mapped to
// what the user wrote (Rename), keeping an index; a secret's value is hidden (Masked).
func TestErrorPaths(t *testing.T) {
	err := Within("MainSite", Invalid("SubnetIDs[1]", "subnet-1", "a public subnet"))
	if err.Error() != `MainSite.SubnetIDs[1]: invalid value "subnet-1": a public subnet` {
		t.Fatalf("Within: %v", err)
	}
	err = Rename(err, func(path string) string { return map[string]string{"MainSite.SubnetIDs": "p:subnetIds"}[path] })
	if err.Error() != `p:subnetIds[1]: invalid value "subnet-1": a public subnet` {
		t.Fatalf("Rename: %v", err)
	}
	if got := Masked(Invalid("p:alarmEmail", "ops at example", "an email")).Error(); got != `p:alarmEmail: invalid value "[secret]": an email` {
		t.Fatalf("Masked: %v", got)
	}
	other := errors.New("not a validation error")
	if Within("X", other) != other || Rename(other, nil) != other || Masked(other) != other {
		t.Fatal("other errors must pass unchanged")
	}
}
