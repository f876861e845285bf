package failover

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// Resolver asks name servers directly.
type Resolver struct {
	// Server, when set (host:port), answers every question: the resolver's and those meant
	// for a zone's own name servers (-nameserver, for tests and split-horizon setups).
	Server string
	// Recursive is the resolver to use otherwise (host:port); default the first of
	// /etc/resolv.conf.
	Recursive string
	// Timeout bounds one question. Default 2 s.
	Timeout time.Duration
}

func (r *Resolver) recursive() (string, error) {
	switch {
	case r.Server != "":
		return r.Server, nil
	case r.Recursive != "":
		return r.Recursive, nil
	}
	conf, err := dns.ClientConfigFromFile("/etc/resolv.conf")
	if err != nil || len(conf.Servers) == 0 {
		return "", fmt.Errorf("no DNS resolver: /etc/resolv.conf lists none (use -nameserver): %v", err)
	}
	return net.JoinHostPort(conf.Servers[0], conf.Port), nil
}

// Ask sends one question to server ("" for the resolver) and returns the answer's records of
// that type, as text (an address, a name server without its trailing dot).
func (r *Resolver) Ask(ctx context.Context, server, name string, qtype uint16) ([]string, error) {
	if server == "" || r.Server != "" {
		var err error
		if server, err = r.recursive(); err != nil {
			return nil, err
		}
	}
	timeout := r.Timeout
	if timeout == 0 {
		timeout = 2 * time.Second
	}
	msg := new(dns.Msg)
	msg.SetQuestion(dns.Fqdn(name), qtype)
	client := &dns.Client{Timeout: timeout}
	in, _, err := client.ExchangeContext(ctx, msg, server)
	if err != nil {
		return nil, fmt.Errorf("DNS %s %s at %s: %w", dns.TypeToString[qtype], name, server, err)
	}
	if in.Rcode != dns.RcodeSuccess {
		return nil, fmt.Errorf("DNS %s %s at %s: %s", dns.TypeToString[qtype], name, server, dns.RcodeToString[in.Rcode])
	}
	var out []string
	for _, rr := range in.Answer {
		switch v := rr.(type) {
		case *dns.A:
			if qtype == dns.TypeA {
				out = append(out, v.A.String())
			}
		case *dns.NS:
			if qtype == dns.TypeNS {
				out = append(out, strings.ToLower(strings.TrimSuffix(v.Ns, ".")))
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

// NameServer returns the address (host:port) to ask a zone's name server by its name: the
// override when one is set, else its first address as the resolver knows it.
func (r *Resolver) NameServer(ctx context.Context, ns string) (string, error) {
	if r.Server != "" {
		return r.Server, nil
	}
	addrs, err := r.Ask(ctx, "", ns, dns.TypeA)
	if err != nil || len(addrs) == 0 {
		return "", fmt.Errorf("the address of name server %s: %v", ns, err)
	}
	return net.JoinHostPort(addrs[0], "53"), nil
}

// Web is how the command reaches the sites: names resolved by the Resolver, connections
// redirected by Connect, TLS 1.2 or later, redirects not followed (a 301 is a result).
type Web struct {
	// Resolver resolves the names the command connects to.
	Resolver *Resolver
	// Connect maps HOST:PORT or HOST (a name or an address) to the address to dial instead,
	// like curl's --connect-to.
	Connect map[string]string
	// Roots are the certificate authorities to trust; default the system's.
	Roots *x509.CertPool
	// Timeout bounds one request. Default 10 s.
	Timeout time.Duration
}

// LoadRoots returns the system's roots and the PEM certificates of file.
func LoadRoots(file string) (*x509.CertPool, error) {
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s holds no PEM certificate", file)
	}
	return pool, nil
}

// dial connects to host:port: through Connect when it names the host (or, once resolved, its
// address), else to the host's first address.
func (w *Web) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	target := w.redirect(host, port)
	if target == "" {
		ip := host
		if net.ParseIP(host) == nil {
			addrs, err := w.Resolver.Ask(ctx, "", host, dns.TypeA)
			if err != nil {
				return nil, err
			}
			if len(addrs) == 0 {
				return nil, fmt.Errorf("%s has no address", host)
			}
			ip = addrs[0]
		}
		if target = w.redirect(ip, port); target == "" {
			target = net.JoinHostPort(ip, port)
		}
	}
	var d net.Dialer
	return d.DialContext(ctx, network, target)
}

func (w *Web) redirect(host, port string) string {
	if to, ok := w.Connect[net.JoinHostPort(host, port)]; ok {
		return to
	}
	return w.Connect[host]
}

// tlsConfig trusts Roots and speaks TLS 1.2 or later with the server name.
func (w *Web) tlsConfig(name string) *tls.Config {
	return &tls.Config{ServerName: name, RootCAs: w.Roots, MinVersion: tls.VersionTLS12}
}

// Get requests url and returns the status, the Location header and the body (at most 1 MiB),
// without following redirects.
func (w *Web) Get(ctx context.Context, url string) (status int, location, body string, err error) {
	timeout := w.Timeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	client := &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			DialContext:       w.dial,
			TLSClientConfig:   w.tlsConfig(""), // the server name comes from each URL
			DisableKeepAlives: true,            // each poll sees where DNS points now
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, "", "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, resp.Header.Get("Location"), string(b), err
}

// Handshake reports whether host:443 completes a TLS handshake limited to versions min-max.
func (w *Web) Handshake(ctx context.Context, host string, min, max uint16) error {
	conn, err := w.dial(ctx, "tcp", net.JoinHostPort(host, "443"))
	if err != nil {
		return &ConnectError{Host: host, Err: err}
	}
	defer conn.Close()
	cfg := w.tlsConfig(host)
	cfg.MinVersion, cfg.MaxVersion = min, max
	tc := tls.Client(conn, cfg)
	return tc.HandshakeContext(ctx)
}

// ConnectError is a handshake that never started: the name did not resolve, or nothing took
// the connection. It says nothing about the TLS versions the server accepts.
type ConnectError struct {
	// Host is the name connected to; Err why it failed.
	Host string
	Err  error
}

// Error says which host could not be reached, and why.
func (e *ConnectError) Error() string { return "cannot connect to " + e.Host + ": " + e.Err.Error() }

// Unwrap returns why.
func (e *ConnectError) Unwrap() error { return e.Err }
