package naming

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func TestChild(t *testing.T) {
	tests := []struct {
		component string
		parts     []string
		want      string
	}{
		{"site", nil, "site"},
		{"site", []string{"main"}, "site-main"},
		{"site-main", []string{"cert", "validation", "www.example.com"}, "site-main-cert-validation-www.example.com"},
	}
	for _, tt := range tests {
		if got := Child(tt.component, tt.parts...); got != tt.want {
			t.Errorf("Child(%q, %q) = %q, want %q", tt.component, tt.parts, got, tt.want)
		}
	}
}

func TestTagsKeepTheirOwnKeys(t *testing.T) {
	extra := pulumi.StringMap{"team": pulumi.String("web"), "Name": pulumi.String("overridden?")}
	tags := Tags("site-main", "site-main-alb", extra)
	if tags["Name"] != pulumi.String("site-main-alb") || tags["route53-failover:component"] != pulumi.String("site-main") || tags["team"] != pulumi.String("web") {
		t.Fatalf("tags = %v", tags)
	}
	if extra["Name"] != pulumi.String("overridden?") {
		t.Fatal("Tags changed the caller's map")
	}
}
