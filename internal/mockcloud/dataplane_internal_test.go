package mockcloud

import (
	"crypto/tls"
	"testing"
)

// TestRedirectLocation: a redirect action's Location keeps each part of the request it does not
// set, fills in the keywords, and spells out the port.
func TestRedirectLocation(t *testing.T) {
	for _, tt := range []struct {
		name     string
		redirect redirectAction
		path     string
		status   int
		location string
	}{
		{"HTTP to HTTPS", redirectAction{Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301"}, "/a/b", 301, "https://example.com:443/a/b"},
		{"the port kept", redirectAction{Protocol: "HTTPS", StatusCode: "HTTP_301"}, "/", 301, "https://example.com:80/"},
		{"keywords", redirectAction{Host: "www.#{host}", Path: "/new/#{path}", StatusCode: "HTTP_302"}, "/a", 302, "http://www.example.com:80/new/a"},
		{"a query", redirectAction{Protocol: "HTTPS", Query: "from=#{port}", StatusCode: "HTTP_301"}, "/", 301, "https://example.com:80/?from=80"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, location := tt.redirect.answer("http", "example.com", 80, tt.path)
			if status != tt.status || location != tt.location {
				t.Errorf("%d %q, want %d %q", status, location, tt.status, tt.location)
			}
		})
	}
}

// TestMinTLS: the oldest TLS version a load balancer's policy or a distribution's minimum
// protocol version lets a viewer use.
func TestMinTLS(t *testing.T) {
	for _, tt := range []struct {
		policy string
		want   uint16
	}{
		{"ELBSecurityPolicy-TLS13-1-2-2021-06", tls.VersionTLS12},
		{"ELBSecurityPolicy-TLS13-1-3-2021-06", tls.VersionTLS13},
		{"ELBSecurityPolicy-TLS-1-1-2017-01", tls.VersionTLS11},
		{"ELBSecurityPolicy-FS-1-2-Res-2020-10", tls.VersionTLS12},
		{"ELBSecurityPolicy-FS-2018-06", tls.VersionTLS10},
		{"ELBSecurityPolicy-2016-08", tls.VersionTLS10},
		{"", tls.VersionTLS10},
	} {
		if got := loadBalancerMinTLS(tt.policy); got != tt.want {
			t.Errorf("load balancer policy %q: %s, want %s", tt.policy, tls.VersionName(got), tls.VersionName(tt.want))
		}
	}
	for _, tt := range []struct {
		version     string
		defaultCert bool
		want        uint16
	}{
		{"TLSv1.2_2021", false, tls.VersionTLS12},
		{"TLSv1.2_2018", false, tls.VersionTLS12},
		{"TLSv1.1_2016", false, tls.VersionTLS11},
		{"TLSv1_2016", false, tls.VersionTLS10},
		{"TLSv1.2_2021", true, tls.VersionTLS10},
	} {
		if got := cloudFrontMinTLS(tt.version, tt.defaultCert); got != tt.want {
			t.Errorf("distribution %q (default certificate %v): %s, want %s", tt.version, tt.defaultCert, tls.VersionName(got), tls.VersionName(tt.want))
		}
	}
}
