package mockcloud

import (
	"crypto/tls"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
)

// The data plane as a client outside the account meets it, one protocol at a time: the answer
// to a DNS query, the TLS versions an end takes, the answer of an end to an HTTP(S) request, and
// what Route 53's checkers report. It is the visitor model cut where a real client stands
// between the steps; the failover command's test world serves DNS and HTTPS from it. The
// account also takes the two changes the failover command makes outside the engine.

// Resolve answers an A query for name as Route 53 does (see resolve): the end it sends visitors
// to (a load balancer's or a distribution's DNS name, or an address), or false with why not.
func (a *Account) Resolve(name string) (end string, why string, ok bool) {
	return ForEngine(a, "").resolve(strings.ToLower(name), 0)
}

// Serve answers a request over scheme ("https" or "http") for host and path that reached end
// (a name Resolve answered) directly.
func (a *Account) Serve(end, scheme, host, urlPath string) Answer {
	answer := Answer{Name: host, Path: urlPath}
	if scheme != "https" {
		answer.Scheme = scheme
	}
	answer.fill(ForEngine(a, "").endAnswer(strings.ToLower(end), scheme, strings.ToLower(host), urlPath))
	return answer
}

// CheckersSee is what Route 53's checkers report of a health check's endpoint: healthy or not,
// and why. Inverting a check does not change what they observe: it makes Route 53 "consider a
// health check unhealthy when it otherwise would be considered healthy" (UpdateHealthCheck,
// Inverted, Route 53 API Reference: docs.aws.amazon.com/Route53/latest/APIReference/
// API_UpdateHealthCheck.html), while GetHealthCheckStatus reports each checker's observation of
// the endpoint.
func (a *Account) CheckersSee(healthCheckID string) (bool, string) {
	c := ForEngine(a, "")
	hc, ok := c.resource(awstype.HealthCheck, healthCheckID)
	if !ok {
		return false, "the health check " + healthCheckID + " does not exist"
	}
	return c.endpointHealthy(storedInputs[healthCheckInputs](hc), 0)
}

// InvertHealthCheck sets a health check's Inverted, as UpdateHealthCheck does.
func (a *Account) InvertHealthCheck(id string, inverted bool) error {
	hc, ok := ForEngine(a, "").resource(awstype.HealthCheck, id)
	if !ok {
		return fmt.Errorf("NoSuchHealthCheck: %s", id)
	}
	hc.Inputs["invertHealthcheck"] = resource.NewBoolProperty(inverted)
	return nil
}

// SetTargetsRegistered deregisters a target group's instances (DeregisterTargets: they "no
// longer receive traffic from the load balancer") or registers them again (RegisterTargets),
// Elastic Load Balancing API Reference: docs.aws.amazon.com/elasticloadbalancing/latest/
// APIReference/API_DeregisterTargets.html. The Auto Scaling group registers no instance it
// already runs again.
func (a *Account) SetTargetsRegistered(targetGroupARN string, registered bool) error {
	if _, ok := ForEngine(a, "").resource(awstype.TargetGroup, targetGroupARN); !ok {
		return fmt.Errorf("TargetGroupNotFound: %s", targetGroupARN)
	}
	if a.Deregistered == nil {
		a.Deregistered = map[string]bool{}
	}
	a.Deregistered[targetGroupARN] = !registered
	return nil
}

// MinTLSVersion is the oldest TLS version end (a load balancer's or a distribution's DNS name)
// takes, as a crypto/tls version, or false when end takes no TLS connection.
func (a *Account) MinTLSVersion(end string) (uint16, bool) {
	c := ForEngine(a, "")
	end = strings.TrimPrefix(strings.ToLower(end), "dualstack.")
	if d, ok := c.findOutput(awstype.Distribution, "domainName", end); ok {
		in, deployed := servedDistribution(d)
		if !deployed {
			return 0, false
		}
		return cloudFrontMinTLS(in.ViewerCertificate.MinimumProtocolVersion, in.ViewerCertificate.CloudfrontDefaultCertificate), true
	}
	lb, ok := c.findOutput(awstype.LoadBalancer, "dnsName", end)
	if !ok {
		return 0, false
	}
	listener := c.listenerOn(lb.ID, 443)
	if listener == nil || storedInputs[listenerInputs](listener).Protocol != "HTTPS" {
		return 0, false
	}
	return loadBalancerMinTLS(storedInputs[listenerInputs](listener).SslPolicy), true
}

// elbPolicyVersion reads the oldest TLS version from a predefined policy's name:
// ELBSecurityPolicy-TLS13-1-2-2021-06 takes TLS 1.2 and 1.3, ELBSecurityPolicy-TLS-1-1-2017-01
// TLS 1.1 and 1.2, ELBSecurityPolicy-FS-1-2-2019-08 TLS 1.2; ELBSecurityPolicy-2016-08 and
// ELBSecurityPolicy-FS-2018-06 take TLS 1.0 ("Security policies for your Application Load
// Balancer", Elastic Load Balancing User Guide: docs.aws.amazon.com/elasticloadbalancing/latest/
// application/describe-ssl-policies.html).
var elbPolicyVersion = regexp.MustCompile(`-(?:TLS13|TLS|FS)-1-([0-3])-`)

// loadBalancerMinTLS is the oldest TLS version an HTTPS listener with policy takes. A listener
// without one has ELBSecurityPolicy-2016-08 ("sslPolicy ... Default is
// ELBSecurityPolicy-2016-08", aws.lb.Listener, Pulumi Registry: www.pulumi.com/registry/
// packages/aws/api-docs/lb/listener/).
func loadBalancerMinTLS(policy string) uint16 {
	m := elbPolicyVersion.FindStringSubmatch(policy)
	if m == nil {
		return tls.VersionTLS10
	}
	return tls.VersionTLS10 + uint16(m[1][0]-'0')
}

// cloudFrontMinTLS is the oldest TLS version a distribution takes from viewers. With
// CloudFront's own certificate "CloudFront automatically sets the security policy to TLSv1"
// (ViewerCertificate, MinimumProtocolVersion, CloudFront API Reference: docs.aws.amazon.com/
// cloudfront/latest/APIReference/API_ViewerCertificate.html); else its minimum protocol version
// says (TLSv1.2_2021, TLSv1.2_2019 and TLSv1.2_2018 take TLS 1.2, TLSv1.1_2016 TLS 1.1,
// TLSv1_2016 and TLSv1 TLS 1.0: "Supported protocols and ciphers between viewers and
// CloudFront", CloudFront Developer Guide: docs.aws.amazon.com/AmazonCloudFront/latest/
// DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html).
func cloudFrontMinTLS(minimumProtocolVersion string, defaultCertificate bool) uint16 {
	switch {
	case defaultCertificate:
		return tls.VersionTLS10
	case strings.HasPrefix(minimumProtocolVersion, "TLSv1.2"):
		return tls.VersionTLS12
	case strings.HasPrefix(minimumProtocolVersion, "TLSv1.1"):
		return tls.VersionTLS11
	}
	return tls.VersionTLS10
}
