// Package failover owns what the failover command does to a deployed stack: check that it
// works end to end (delegation, certificates, health check, DNS answers, HTTPS, the error site),
// drill a failover on purpose with a measured timeline and always restore the primary, and watch
// the same signals passively. It talks to AWS (Route 53, ACM, ELB), to name servers and to the
// site itself; nothing here changes the stack's Pulumi state.
package failover

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"

	"github.com/seed-2b23e6e5/route53-failover/pkg/estimate"
)

// Stack is what the command needs of a deployed stack, read from its outputs.
type Stack struct {
	// Names are the served names; the first is the domain.
	Names []string
	// ZoneID is the hosted zone that serves them.
	ZoneID string
	// HealthCheckID is the Route 53 health check on the load balancer.
	HealthCheckID string
	// LoadBalancer is the load balancer's DNS name, TargetGroupARN its target group.
	LoadBalancer   string
	TargetGroupARN string
	// AutoScalingGroup is the group that holds the main site's instances ("" for a stack of the
	// single instance, before the group).
	AutoScalingGroup string
	// Distribution is the CloudFront distribution's domain name.
	Distribution string
	// CertificateARNs are the load balancer's and CloudFront's certificates (one ARN twice in
	// us-east-1).
	CertificateARNs []string
	// ErrorResponseCode is the status the error site answers with.
	ErrorResponseCode int
	// Estimate is the stack's failoverEstimate, in seconds.
	Estimate Estimate
	// Mode is the stack's failoverMode: ModeDNS, or ModeEdge, where the names point at the
	// distribution, which serves the whole site and fails each request over by itself.
	Mode string
	// State is the stack's state, when the command was given it (not by outputs alone): check
	// then looks for what AWS holds tagged as the stack's resources but the state lacks
	// (CheckLeftovers).
	State *State
}

// Failover modes, as the stack's failoverMode output says.
const (
	ModeDNS  = estimate.DNS
	ModeEdge = estimate.Edge
)

// EdgePagePath is where an edge-mode distribution serves the error page itself
// (edgefailover.PageKey; a test keeps them equal, so that this command does not link the AWS
// SDK of Pulumi).
const EdgePagePath = "/_failover/error.html"

// Edge reports whether the stack fails over at CloudFront.
func (s *Stack) Edge() bool { return s.Mode == ModeEdge }

// Estimate is a stack's failoverEstimate output: what estimate.Compute returned, in seconds.
type Estimate = estimate.Estimate

// ReadOutputs reads a stack's outputs as `pulumi stack output --json --show-secrets` prints
// them.
func ReadOutputs(r io.Reader) (*Stack, error) {
	var outputs map[string]any
	if err := json.NewDecoder(r).Decode(&outputs); err != nil {
		return nil, fmt.Errorf("stack outputs: not the JSON that pulumi stack output --json prints: %w", err)
	}
	return FromOutputs(outputs)
}

// StackOutputs reads the outputs and the state of a Pulumi stack of the project in projectDir
// with the Automation API, which runs the pulumi CLI with the user's login and settings (opts can set
// others).
func StackOutputs(ctx context.Context, projectDir, stackName string, opts ...auto.LocalWorkspaceOption) (*Stack, error) {
	st, err := auto.SelectStackLocalSource(ctx, stackName, projectDir, opts...)
	if err != nil {
		return nil, fmt.Errorf("stack %s: %w", stackName, err)
	}
	out, err := st.Outputs(ctx)
	if err != nil {
		return nil, fmt.Errorf("stack %s: outputs: %w", stackName, err)
	}
	plain := map[string]any{}
	for k, v := range out {
		plain[k] = v.Value
	}
	s, err := FromOutputs(plain)
	if err != nil {
		return nil, err
	}
	deployment, err := st.Export(ctx)
	if err != nil {
		return nil, fmt.Errorf("stack %s: export: %w", stackName, err)
	}
	export, err := json.Marshal(deployment)
	if err != nil {
		return nil, err
	}
	s.State, err = ReadState(export)
	return s, err
}

// FromOutputs reads a stack's outputs (JSON values). Every output the command needs must be
// there: a stack of another project, or one not yet updated by this version, is refused with the
// outputs it lacks.
func FromOutputs(outputs map[string]any) (*Stack, error) {
	var missing []string
	str := func(key string) string {
		s, ok := outputs[key].(string)
		if !ok || s == "" {
			missing = append(missing, key)
		}
		return s
	}
	strs := func(key string) []string {
		list, _ := outputs[key].([]any)
		var out []string
		for _, v := range list {
			if s, ok := v.(string); ok && s != "" {
				out = append(out, s)
			}
		}
		if len(out) == 0 {
			missing = append(missing, key)
		}
		return out
	}
	s := &Stack{
		Names:           strs("servedNames"),
		ZoneID:          str("hostedZoneId"),
		HealthCheckID:   str("healthCheckId"),
		LoadBalancer:    str("albDnsName"),
		TargetGroupARN:  str("targetGroupArn"),
		Distribution:    str("errorSiteDomainName"),
		CertificateARNs: strs("certificateArns"),
	}
	s.AutoScalingGroup, _ = outputs["autoScalingGroupName"].(string)
	// A stack from before edge mode has no failoverMode: it fails over in DNS.
	s.Mode, _ = outputs["failoverMode"].(string)
	switch s.Mode {
	case "":
		s.Mode = ModeDNS
	case ModeDNS, ModeEdge:
	default:
		return nil, fmt.Errorf("the stack's failoverMode is %q, which this version does not know (dns, edge)", s.Mode)
	}
	if code, ok := outputs["errorResponseCode"].(float64); ok {
		s.ErrorResponseCode = int(code)
	} else {
		missing = append(missing, "errorResponseCode")
	}
	if b, err := json.Marshal(outputs["failoverEstimate"]); err != nil || json.Unmarshal(b, &s.Estimate) != nil || s.Estimate.Worst == 0 {
		missing = append(missing, "failoverEstimate")
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("the stack outputs lack %s: is this a route53-failover stack, updated (pulumi up) by this version?",
			strings.Join(missing, ", "))
	}
	return s, nil
}

// Domain is the first served name.
func (s *Stack) Domain() string { return s.Names[0] }

// regionOf returns the region of an ARN (arn:aws:SERVICE:REGION:...).
func regionOf(arn string) (string, error) {
	parts := strings.SplitN(arn, ":", 5)
	if len(parts) < 5 || parts[0] != "arn" || parts[3] == "" {
		return "", fmt.Errorf("%q is not a regional ARN", arn)
	}
	return parts[3], nil
}

// urlOf is https://name/path.
func urlOf(scheme, name, path string) string {
	return (&url.URL{Scheme: scheme, Host: name, Path: path}).String()
}

// defaultPorts are the ports a URL may name or leave out to the same effect.
var defaultPorts = map[string]string{"http": "80", "https": "443"}

// sameURL reports whether two URLs name the same resource: the scheme and host in any case, the
// scheme's default port written or not, an empty path as "/". An ALB redirect writes the port
// (its Location is #{protocol}://#{host}:#{port}/#{path}?#{query}, "Redirect actions", Elastic
// Load Balancing User Guide for Application Load Balancers); CloudFront's does not.
func sameURL(a, b string) bool {
	normal := func(raw string) (string, bool) {
		u, err := url.Parse(raw)
		if err != nil || !u.IsAbs() {
			return "", false
		}
		scheme, host, port := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
		if port == "" {
			port = defaultPorts[scheme]
		}
		path := u.EscapedPath()
		if path == "" {
			path = "/"
		}
		return scheme + "://" + host + ":" + port + path + "?" + u.RawQuery, true
	}
	na, okA := normal(a)
	nb, okB := normal(b)
	return okA && okB && na == nb
}
