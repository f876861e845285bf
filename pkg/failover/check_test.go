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
	web := &Web{Connect: map[string]string{"nobody.example": addr, "modern.example": modern.Listener.Addr().String()}}

	for _, tt := range []struct {
		name string
		err  error
		pass bool
	}{
		{"a completed handshake", nil, false},
		{"nothing listening", web.Handshake(ctx, "nobody.example", tls.VersionTLS10, tls.VersionTLS11), false},
		{"a server that takes TLS 1.2 and later", web.Handshake(ctx, "modern.example", tls.VersionTLS10, tls.VersionTLS11), true},
	} {
		failure, detail := oldTLSRefused(tt.err)
		if (failure == nil) != tt.pass {
			t.Errorf("%s (%v): failure %v, detail %q; want pass %v", tt.name, tt.err, failure, detail, tt.pass)
		}
	}
}
