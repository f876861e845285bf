package failover

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestOldTLSRefused: only a refusal in the handshake passes the TLS 1.0/1.1 check; a name that
// does not resolve, or a server nobody answers for, fails it instead of passing as "refused".
func TestOldTLSRefused(t *testing.T) {
	ctx := context.Background()
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := closed.Addr().String()
	closed.Close()
	modern := httptest.NewUnstartedServer(http.NotFoundHandler())
	modern.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
	modern.StartTLS()
	defer modern.Close()
	// A server that takes TLS 1.0 with a certificate the client does not trust (httptest's),
	// as a load balancer asked for its own DNS name answers.
	old := httptest.NewUnstartedServer(http.NotFoundHandler())
	old.TLS = &tls.Config{MinVersion: tls.VersionTLS10}
	old.StartTLS()
	defer old.Close()
	web := &Web{Connect: map[string]string{"nobody.example": addr, "modern.example": modern.Listener.Addr().String(),
		"old.example": old.Listener.Addr().String()}}

	for _, tt := range []struct {
		name string
		err  error
		pass bool
	}{
		{"a completed handshake", nil, false},
		{"nothing listening", web.Handshake(ctx, "nobody.example", tls.VersionTLS10, tls.VersionTLS11), false},
		{"a server that takes TLS 1.2 and later", web.Handshake(ctx, "modern.example", tls.VersionTLS10, tls.VersionTLS11), true},
		{"a server that takes TLS 1.0, with a certificate that does not verify", web.Handshake(ctx, "old.example", tls.VersionTLS10, tls.VersionTLS11), false},
	} {
		failure, detail := oldTLSRefused(tt.err)
		if (failure == nil) != tt.pass {
			t.Errorf("%s (%v): failure %v, detail %q; want pass %v", tt.name, tt.err, failure, detail, tt.pass)
		}
	}
}

// TestSameURL: the redirect check takes a Location with or without the scheme's default port,
// as an ALB (which writes :443) and CloudFront (which does not) send it, and nothing else.
func TestSameURL(t *testing.T) {
	for _, tt := range []struct {
		location string
		same     bool
	}{
		{"https://shop.example/", true},
		{"https://shop.example:443/", true},
		{"https://shop.example", true},
		{"HTTPS://Shop.Example:443/", true},
		{"https://shop.example:8443/", false},
		{"http://shop.example:443/", false},
		{"https://shop.example/index.html", false},
		{"https://shop.example/?a=1", false},
		{"https://other.example/", false},
		{"/", false},
	} {
		if got := sameURL(tt.location, "https://shop.example/"); got != tt.same {
			t.Errorf("sameURL(%q, https://shop.example/) = %v, want %v", tt.location, got, tt.same)
		}
	}
}
