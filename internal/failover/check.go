package failover

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/miekg/dns"
)

// Result is the outcome of one check.
type Result struct {
	// Check says what was checked.
	Check string `json:"check"`
	// OK is whether it passed; Detail says what was seen (and why it failed).
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// Failed reports whether any result failed.
func Failed(results []Result) bool {
	return slices.ContainsFunc(results, func(r Result) bool { return !r.OK })
}

// Check checks the deployed stack end to end: the zone's delegation, each certificate, the
// health check (inverted counts as a failure), the Auto Scaling group's latest instance refresh
// and its instances' launch template version, what Route 53, the zone's name servers and the
// resolver answer for each name,
// the main site over HTTPS (and HTTP redirecting to it), the load balancer refusing TLS 1.0 and
// 1.1, and the error site answering every path with the error page. In edge mode the names must
// answer the distribution, the distribution refuses TLS 1.0 and 1.1, the load balancer takes no
// connection from here (only CloudFront's), and the error page answers at its own path. It
// changes nothing.
func (p *Probe) Check(ctx context.Context) []Result {
	var results []Result
	add := func(check string, err error, detail string) {
		if err != nil {
			results = append(results, Result{Check: check, Detail: err.Error()})
			return
		}
		results = append(results, Result{Check: check, OK: true, Detail: detail})
	}
	s := p.Stack

	delegation, delegationErr := p.Delegation(ctx)
	add("delegation of "+s.Domain(), p.checkDelegation(ctx, delegation, delegationErr), strings.Join(delegation, " "))

	for _, arn := range slices.Compact(slices.Clone(s.CertificateARNs)) {
		status, err := p.CertificateStatus(ctx, arn)
		if err == nil && status != "ISSUED" {
			err = fmt.Errorf("%s is %s, not ISSUED: ACM issues it once it can resolve its validation CNAMEs", arn, status)
		}
		add("certificate "+arn, err, status)
	}

	health, err := p.Health(ctx)
	switch {
	case err != nil:
	case health.Inverted:
		err = fmt.Errorf("inverted: Route 53 routes away from the load balancer whatever its %d of %d checkers find (a drill under way, or the failoverDrill config key on?)",
			health.Succeeding, health.Of)
	case !health.Healthy():
		err = fmt.Errorf("unhealthy: %d of %d checkers report the load balancer healthy", health.Succeeding, health.Of)
	}
	add("health check "+s.HealthCheckID, err, fmt.Sprintf("healthy: %d of %d checkers", health.Succeeding, health.Of))

	if s.AutoScalingGroup != "" {
		refresh, err := p.LatestRefresh(ctx)
		add("the latest instance refresh of "+s.AutoScalingGroup, refreshFailure(refresh, err), refreshDetail(refresh))
		versions, err := p.LaunchVersions(ctx)
		failure, detail := staleInstances(versions, refresh, err)
		add("the instances of "+s.AutoScalingGroup+" run the version it launches", failure, detail)
	}

	ends, endsErr := p.Ends(ctx)
	answerSide := func(ask func() ([]string, error)) (Side, string, error) {
		if endsErr != nil {
			return Unknown, "", endsErr
		}
		answer, err := ask()
		if err != nil {
			return Unknown, "", err
		}
		side := ends.SideOf(answer)
		return side, fmt.Sprintf("%s (%s)", side, orNone(answer)), nil
	}
	// In edge mode the names always answer the distribution, which serves the site.
	serving := LoadBalancer
	if s.Edge() {
		serving = CloudFront
	}
	for _, name := range s.Names {
		side, detail, err := answerSide(func() ([]string, error) { return p.Route53Answer(ctx, name) })
		add("Route 53 answers "+name, wantSide(side, serving, err), detail)
		for _, ns := range delegation {
			side, detail, err := answerSide(func() ([]string, error) { return p.askNameServer(ctx, ns, name) })
			add(ns+" answers "+name, wantSide(side, serving, err), detail)
		}
		side, detail, err = answerSide(func() ([]string, error) { return p.Web.Resolver.Ask(ctx, "", name, dns.TypeA) })
		add("the resolver answers "+name, wantSide(side, serving, err), detail)

		status, _, _, err := p.Web.Get(ctx, urlOf("https", name, "/"))
		if err == nil && status != 200 {
			err = fmt.Errorf("status %d, not 200: the main page is not served", status)
		}
		add(urlOf("https", name, "/")+" serves the main page", err, fmt.Sprintf("status %d", status))

		status, location, _, err := p.Web.Get(ctx, urlOf("http", name, "/"))
		if want := urlOf("https", name, "/"); err == nil && (status != 301 || !sameURL(location, want)) {
			err = fmt.Errorf("status %d to %q, not a 301 to %s", status, location, want)
		}
		add(urlOf("http", name, "/")+" redirects to HTTPS", err, fmt.Sprintf("%d to %s", status, location))
	}

	front, frontName := s.LoadBalancer, "the load balancer"
	if s.Edge() {
		front, frontName = s.Domain(), "the distribution"
	}
	failure, detail := oldTLSRefused(p.Web.Handshake(ctx, front, tls.VersionTLS10, tls.VersionTLS11))
	add(frontName+" refuses TLS 1.0 and 1.1", failure, detail)

	if s.Edge() {
		err = p.Web.Handshake(ctx, s.LoadBalancer, tls.VersionTLS12, tls.VersionTLS13)
		if err == nil {
			add("the load balancer takes no connection from here", fmt.Errorf("it completed a TLS handshake: its security group admits more than CloudFront"), "")
		} else {
			add("the load balancer takes no connection from here", nil, "only CloudFront's: "+err.Error())
		}
		_, err = p.ErrorPage(ctx)
		add("the distribution serves the error page at "+EdgePagePath, err, "status 200")
		return results
	}
	_, err = p.ErrorPage(ctx)
	add("the error site answers every path with the error page", err, fmt.Sprintf("status %d", s.ErrorResponseCode))
	return results
}

// refreshFailure is what is wrong with the latest refresh: one that failed, was cancelled or
// rolled back left instances of the previous launch template serving (a page change that did
// not reach visitors, say). One under way is not a failure.
func refreshFailure(r *Refresh, err error) error {
	if err != nil || r == nil {
		return err
	}
	if underWay(r) || r.Status == "Successful" {
		return nil
	}
	return fmt.Errorf("%s %s (%s): the group launches the new launch template version already (the provider sets it before the refresh starts); its old instances serve until it replaces them, and every instance it launches runs the new version; fix the change and pulumi up, see aws autoscaling describe-instance-refreshes", r.ID, r.Status, r.Reason)
}

// underWay reports whether a refresh is replacing the instances now.
func underWay(r *Refresh) bool {
	return r != nil && slices.Contains([]string{"Pending", "InProgress", "Baking"}, r.Status)
}

// staleInstances reads the group's versions: instances of another version than the group
// launches are what a change left behind. A refresh under way is replacing them; without one,
// the group launches that version for every instance it replaces or adds.
func staleInstances(v GroupVersions, refresh *Refresh, err error) (error, string) {
	if err != nil {
		return err, ""
	}
	stale := v.Stale()
	detail := fmt.Sprintf("%d instances, the group launches version %s", len(v.Instances), v.Launches)
	switch {
	case len(stale) == 0:
		return nil, detail
	case underWay(refresh):
		return nil, fmt.Sprintf("%s; %s still on an older version, which the refresh under way replaces", detail, strings.Join(stale, ", "))
	}
	return fmt.Errorf("%s run an older version than the group launches (%s), and no refresh is under way: they serve until the group replaces them, and every instance it launches from now on runs version %s; fix the change and pulumi up, or start an instance refresh",
		strings.Join(stale, ", "), v.Launches, v.Launches), detail
}

func refreshDetail(r *Refresh) string {
	if r == nil {
		return "none yet"
	}
	if r.Status == "Successful" {
		return r.ID + " Successful"
	}
	return fmt.Sprintf("%s %s, %d%% done: instances of the previous launch template still serve", r.ID, r.Status, r.Percent)
}

func (p *Probe) checkDelegation(ctx context.Context, delegation []string, err error) error {
	if err != nil {
		return err
	}
	seen, err := p.Web.Resolver.Ask(ctx, "", p.Stack.Domain(), dns.TypeNS)
	if err != nil {
		return err
	}
	if !slices.Equal(seen, delegation) {
		return fmt.Errorf("the resolver sees the name servers %s, the zone's are %s: set the zone's at the registrar",
			orNone(seen), strings.Join(delegation, " "))
	}
	return nil
}

func (p *Probe) askNameServer(ctx context.Context, ns, name string) ([]string, error) {
	server, err := p.Web.Resolver.NameServer(ctx, ns)
	if err != nil {
		return nil, err
	}
	return p.Web.Resolver.Ask(ctx, server, name, dns.TypeA)
}

func wantSide(side, want Side, err error) error {
	if err == nil && side != want {
		return fmt.Errorf("it points at %s, not %s", side, want)
	}
	return err
}

// ErrorPage returns the page the distribution answers every path with: it asks for its root
// and for a path that exists nowhere, and both must answer the error response code with one
// page. In edge mode the distribution serves the site, and the page at EdgePagePath with 200.
// The drill knows the error page by it (a load balancer's own 503 is not it).
func (p *Probe) ErrorPage(ctx context.Context) (string, error) {
	if p.Stack.Edge() {
		status, _, body, err := p.Web.Get(ctx, urlOf("https", p.Stack.Distribution, EdgePagePath))
		switch {
		case err != nil:
			return "", err
		case status != 200 || body == "":
			return "", fmt.Errorf("%s answers %d (%d bytes), not 200 with the page", EdgePagePath, status, len(body))
		}
		return body, nil
	}
	random := make([]byte, 6)
	_, _ = rand.Read(random)
	var pages []string
	for _, path := range []string{"/", "/" + hex.EncodeToString(random)} {
		status, _, body, err := p.Web.Get(ctx, urlOf("https", p.Stack.Distribution, path))
		if err != nil {
			return "", err
		}
		if status != p.Stack.ErrorResponseCode {
			return "", fmt.Errorf("%s answers %d, not %d", path, status, p.Stack.ErrorResponseCode)
		}
		pages = append(pages, body)
	}
	if pages[0] != pages[1] || pages[0] == "" {
		return "", fmt.Errorf("the paths answer different (or empty) pages")
	}
	return pages[0], nil
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, " ")
}

// oldTLSRefused reads the outcome of a TLS 1.0/1.1 handshake: only a refusal in the handshake
// passes; a server that could not be reached (a name that does not resolve, say) says nothing
// about the versions it takes, and fails the check. A certificate that did not verify came after
// the server took the old version (a load balancer's certificate does not cover its own DNS
// name), so it fails the check too.
func oldTLSRefused(err error) (failure error, detail string) {
	var cannot *ConnectError
	var unverified *tls.CertificateVerificationError
	switch {
	case err == nil:
		return errors.New("it completed a TLS 1.1 handshake"), ""
	case errors.As(err, &cannot):
		return fmt.Errorf("%w, so its TLS versions could not be checked", err), ""
	case errors.As(err, &unverified):
		return fmt.Errorf("it took TLS 1.0 or 1.1 and sent its certificate (%v)", err), ""
	}
	return nil, "refused: " + err.Error()
}
