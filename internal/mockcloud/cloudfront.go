package mockcloud

import (
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
)

// CloudFront: origin access controls and distributions, with what edge mode adds to them (origin
// groups, custom origins reached over HTTPS, Lambda@Edge associations).

// The inputs of a distribution that its simulation and the visitor model read.
type (
	distributionInputs struct {
		Aliases           []string `pulumi:"aliases"`
		ViewerCertificate struct {
			AcmCertificateArn            string `pulumi:"acmCertificateArn"`
			SslSupportMethod             string `pulumi:"sslSupportMethod"`
			MinimumProtocolVersion       string `pulumi:"minimumProtocolVersion"`
			CloudfrontDefaultCertificate bool   `pulumi:"cloudfrontDefaultCertificate"`
		} `pulumi:"viewerCertificate"`
		Origins               []distributionOrigin   `pulumi:"origins"`
		OriginGroups          []originGroup          `pulumi:"originGroups"`
		DefaultCacheBehavior  cacheBehavior          `pulumi:"defaultCacheBehavior"`
		OrderedCacheBehaviors []orderedCacheBehavior `pulumi:"orderedCacheBehaviors"`
		CustomErrorResponses  []customErrorResponse  `pulumi:"customErrorResponses"`
		DefaultRootObject     string                 `pulumi:"defaultRootObject"`
		LoggingConfig         struct {
			Bucket string `pulumi:"bucket"`
		} `pulumi:"loggingConfig"`
		PriceClass        string `pulumi:"priceClass"`
		WaitForDeployment *bool  `pulumi:"waitForDeployment"`
	}
	distributionOrigin struct {
		OriginID              string   `pulumi:"originId"`
		DomainName            string   `pulumi:"domainName"`
		OriginAccessControlID string   `pulumi:"originAccessControlId"`
		ConnectionAttempts    *float64 `pulumi:"connectionAttempts"`
		ConnectionTimeout     *float64 `pulumi:"connectionTimeout"`
		CustomHeaders         []struct {
			Name  string `pulumi:"name"`
			Value string `pulumi:"value"`
		} `pulumi:"customHeaders"`
		CustomOriginConfig *struct {
			OriginProtocolPolicy   string   `pulumi:"originProtocolPolicy"`
			OriginSslProtocols     []string `pulumi:"originSslProtocols"`
			OriginReadTimeout      *float64 `pulumi:"originReadTimeout"`
			OriginKeepaliveTimeout *float64 `pulumi:"originKeepaliveTimeout"`
		} `pulumi:"customOriginConfig"`
	}
	originGroup struct {
		OriginID string `pulumi:"originId"`
		Members  []struct {
			OriginID string `pulumi:"originId"`
		} `pulumi:"members"`
		FailoverCriteria struct {
			StatusCodes []float64 `pulumi:"statusCodes"`
		} `pulumi:"failoverCriteria"`
	}
	cacheBehavior struct {
		TargetOriginID             string              `pulumi:"targetOriginId"`
		ViewerProtocolPolicy       string              `pulumi:"viewerProtocolPolicy"`
		AllowedMethods             []string            `pulumi:"allowedMethods"`
		CachePolicyID              *string             `pulumi:"cachePolicyId"`
		ForwardedValues            *struct{}           `pulumi:"forwardedValues"`
		LambdaFunctionAssociations []lambdaAssociation `pulumi:"lambdaFunctionAssociations"`
	}
	orderedCacheBehavior struct {
		cacheBehavior
		PathPattern string `pulumi:"pathPattern"`
	}
	lambdaAssociation struct {
		EventType string `pulumi:"eventType"`
		LambdaArn string `pulumi:"lambdaArn"`
	}
	customErrorResponse struct {
		ErrorCode        float64  `pulumi:"errorCode"`
		ResponseCode     *float64 `pulumi:"responseCode"`
		ResponsePagePath string   `pulumi:"responsePagePath"`
	}
	originAccessControlInputs struct {
		OriginType      string `pulumi:"originAccessControlOriginType"`
		SigningBehavior string `pulumi:"signingBehavior"`
		SigningProtocol string `pulumi:"signingProtocol"`
	}
)

// originAccessControl refuses an origin type, signing behaviour or protocol CloudFront does not
// offer.
func originAccessControl(r *request) (string, map[string]any, error) {
	in, err := decode[originAccessControlInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	if t := in.OriginType; t != "s3" && t != "mediastore" && t != "lambda" && t != "mediapackagev2" {
		return "", nil, errorf("InvalidArgument", "origin type %q is not s3, mediastore, lambda or mediapackagev2", t)
	}
	if b := in.SigningBehavior; b != "always" && b != "never" && b != "no-override" {
		return "", nil, errorf("InvalidArgument", "signing behavior %q is not always, never or no-override", b)
	}
	if in.SigningProtocol != "sigv4" {
		return "", nil, errorf("InvalidArgument", "signing protocol %q is not sigv4", in.SigningProtocol)
	}
	return "E" + upperID(r.seed(), 13), map[string]any{"name": r.physicalName(64), "etag": "E" + upperID(r.seed()+"etag", 13)}, nil
}

// Origin groups and custom origins (CloudFront Developer Guide, "Create an origin group" and
// "Origin settings"; CloudFront API Reference, OriginGroupFailoverCriteria and CustomHeaders).
var (
	failoverStatusCodes = codes(400, 403, 404, 416, 500, 502, 503, 504)
	originSSLProtocols  = []string{"SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"}
	originPolicies      = []string{"http-only", "https-only", "match-viewer"}
	// originGroupRefused are the methods CloudFront refuses on a behaviour whose target is an
	// origin group: "The parameter AllowedMethods cannot include POST, PUT, PATCH, or DELETE
	// for a cached behavior associated with an origin group."
	originGroupRefused = []string{"POST", "PUT", "PATCH", "DELETE"}
	// customHeadersRefused are the headers CloudFront does not let an origin's custom headers
	// set ("Headers that CloudFront can't add to origin requests"), lower case.
	customHeadersRefused = []string{"cache-control", "connection", "content-length", "cookie", "host", "if-match",
		"if-modified-since", "if-none-match", "if-range", "if-unmodified-since", "max-forwards", "pragma",
		"proxy-authorization", "proxy-connection", "range", "request-range", "te", "trailer",
		"transfer-encoding", "upgrade", "via", "x-real-ip"}
)

// checkOrigin refuses a custom origin CloudFront refuses, or one whose certificate (for an HTTPS
// origin the account serves itself) does not cover its name: CloudFront checks the origin's
// certificate against the origin's domain name and answers 502 to every request otherwise.
func (r *request) checkOrigin(o distributionOrigin) error {
	domain := strings.ToLower(o.DomainName)
	if n := o.ConnectionAttempts; n != nil && (*n < 1 || *n > 3) {
		return errorf("InvalidArgument", "connectionAttempts %v is not 1-3", *n)
	}
	if n := o.ConnectionTimeout; n != nil && (*n < 1 || *n > 10) {
		return errorf("InvalidArgument", "connectionTimeout %v is not 1-10 seconds", *n)
	}
	for _, h := range o.CustomHeaders {
		name := strings.ToLower(h.Name)
		if slices.Contains(customHeadersRefused, name) || strings.HasPrefix(name, "x-amz-") || strings.HasPrefix(name, "x-edge-") {
			return errorf("InvalidArgument", "CloudFront cannot add the header %s to origin requests", h.Name)
		}
	}
	custom := o.CustomOriginConfig
	if custom == nil {
		return nil
	}
	policy := custom.OriginProtocolPolicy
	if !slices.Contains(originPolicies, policy) {
		return errorf("InvalidArgument", "origin protocol policy %q is not one of %s", policy, strings.Join(originPolicies, ", "))
	}
	for _, p := range custom.OriginSslProtocols {
		if !slices.Contains(originSSLProtocols, p) {
			return errorf("InvalidArgument", "origin SSL protocol %q is not one of %s", p, strings.Join(originSSLProtocols, ", "))
		}
	}
	if n := custom.OriginReadTimeout; n != nil && (*n < 1 || *n > 60) {
		return errorf("InvalidArgument", "originReadTimeout %v is not 1-60 seconds (more needs a quota increase)", *n)
	}
	if n := custom.OriginKeepaliveTimeout; n != nil && (*n < 1 || *n > 60) {
		return errorf("InvalidArgument", "originKeepaliveTimeout %v is not 1-60 seconds", *n)
	}
	if policy == "http-only" {
		return nil
	}
	names, served := r.cloud.originCertificates(domain)
	if !served {
		return nil // not a name of this account's zones: its certificate is someone else's
	}
	for _, arn := range names {
		if cert, ok := r.cloud.certificate(arn); ok && cert.Status == "ISSUED" && cert.covers(domain) {
			return nil
		}
	}
	return errorf("InvalidArgument", "origin %s: no certificate on the HTTPS listener it resolves to covers the name (CloudFront checks the origin's certificate against it and would answer 502 to every request)", domain)
}

// originCertificates returns the certificates a name's HTTPS endpoint presents, when the name is
// an alias, in one of the account's zones, to one of its load balancers: the HTTPS listeners'
// certificates and their listener certificates. served is false for any other name.
func (c *Cloud) originCertificates(name string) (arns []string, served bool) {
	for _, rs := range c.account.RecordSets {
		if rs.Name != name || rs.Type != "A" || rs.AliasTarget == "" {
			continue
		}
		lb, ok := c.findOutput(awstype.LoadBalancer, "dnsName", strings.TrimPrefix(rs.AliasTarget, "dualstack."))
		if !ok {
			return nil, false
		}
		for _, l := range c.ofType(awstype.Listener) {
			listener := storedInputs[listenerInputs](l)
			if listener.LoadBalancerArn != lb.ID || listener.Protocol != "HTTPS" {
				continue
			}
			arns = append(arns, listener.CertificateArn)
			for _, lc := range c.ofType(awstype.ListenerCertificate) {
				if extra := storedInputs[listenerCertificateInputs](lc); extra.ListenerArn == stringArg(l.out(), "arn") {
					arns = append(arns, extra.CertificateArn)
				}
			}
		}
		return arns, true
	}
	return nil, false
}

// checkOriginGroups refuses origin groups CloudFront refuses and returns their ids: two members,
// each an origin of the distribution, failing over on status codes from CloudFront's list.
func checkOriginGroups(groups []originGroup, origins map[string]bool) (map[string]bool, error) {
	ids := map[string]bool{}
	for _, g := range groups {
		id := g.OriginID
		if origins[id] || ids[id] {
			return nil, errorf("InvalidArgument", "the origin group id %q is already an origin or group id", id)
		}
		ids[id] = true
		if len(g.Members) != 2 {
			return nil, errorf("InvalidOriginGroups", "origin group %q needs exactly two members, not %d", id, len(g.Members))
		}
		for _, m := range g.Members {
			if !origins[m.OriginID] {
				return nil, errorf("InvalidOriginGroups", "origin group %q: member %q is not an origin of the distribution", id, m.OriginID)
			}
		}
		statusCodes := g.FailoverCriteria.StatusCodes
		if len(statusCodes) == 0 {
			return nil, errorf("InvalidOriginGroups", "origin group %q has no failover status codes", id)
		}
		for _, code := range statusCodes {
			if !failoverStatusCodes[int(code)] {
				return nil, errorf("InvalidOriginGroups", "origin group %q: CloudFront cannot fail over on status %d (only 400, 403, 404, 416, 500, 502, 503, 504)", id, int(code))
			}
		}
	}
	return ids, nil
}

// checkBehavior refuses a cache behaviour whose target is neither an origin nor an origin
// group, whose methods are not one of CloudFront's sets, that allows methods CloudFront refuses
// for an origin group, or with a function association Lambda@Edge refuses.
func (r *request) checkBehavior(which string, b cacheBehavior, origins, groups map[string]bool) error {
	target := b.TargetOriginID
	if !origins[target] && !groups[target] {
		return errorf("NoSuchOrigin", "the %s targets %q, which is neither an origin nor an origin group", which, target)
	}
	methods := b.AllowedMethods
	if !isMethodSet(methods) {
		return errorf("InvalidArgument", "allowed methods %v of the %s are not one of CloudFront's sets", methods, which)
	}
	if groups[target] && slices.ContainsFunc(methods, func(m string) bool { return slices.Contains(originGroupRefused, m) }) {
		return errorf("InvalidArgument", "the %s: the parameter AllowedMethods cannot include POST, PUT, PATCH, or DELETE for a cached behavior associated with an origin group", which)
	}
	switch hasPolicy, hasForwarded := b.CachePolicyID != nil, b.ForwardedValues != nil; {
	case hasPolicy && hasForwarded:
		return errorf("InvalidArgument", "the %s takes a cache policy or forwarded values, not both", which)
	case !hasPolicy && !hasForwarded:
		return errorf("InvalidArgument", "the %s needs a cache policy (or legacy forwarded values)", which)
	}
	events := map[string]bool{}
	for _, a := range b.LambdaFunctionAssociations {
		if events[a.EventType] {
			return errorf("InvalidLambdaFunctionAssociation", "the %s has two functions for %s", which, a.EventType)
		}
		events[a.EventType] = true
		if err := r.checkEdgeFunction(a); err != nil {
			return err
		}
	}
	return nil
}

// CloudFront's allowed codes for custom error responses, viewer TLS policies and method sets.
var (
	cloudFrontErrorCodes    = codes(400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504)
	cloudFrontResponseCodes = codes(200, 400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504)
	viewerTLSPolicies       = []string{"SSLv3", "TLSv1", "TLSv1_2016", "TLSv1.1_2016", "TLSv1.2_2018", "TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"}
	methodSets              = [][]string{{"GET", "HEAD"}, {"GET", "HEAD", "OPTIONS"}, {"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}}
)

func distribution(r *request) (string, map[string]any, error) {
	in, err := decode[distributionInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	if err := r.checkDistributionLogs(in); err != nil {
		return "", nil, err
	}
	viewer, aliases := in.ViewerCertificate, in.Aliases
	certARN := viewer.AcmCertificateArn
	switch {
	case len(aliases) > 0 && certARN == "":
		return "", nil, errorf("InvalidViewerCertificate", "To add an alternate domain name (CNAME) to a CloudFront distribution, you must attach a trusted certificate that validates your authorization to use the domain name")
	case certARN != "":
		if err := r.issuedCertificate(certARN, "us-east-1", aliases); err != nil {
			return "", nil, fmt.Errorf("InvalidViewerCertificate: the certificate must be issued in us-east-1 and cover every alias: %w", err)
		}
		if m := viewer.SslSupportMethod; m != "sni-only" && m != "vip" && m != "static-ip" {
			return "", nil, errorf("InvalidViewerCertificate", "sslSupportMethod %q is not sni-only, vip or static-ip", m)
		}
		if v := viewer.MinimumProtocolVersion; v != "" && !slices.Contains(viewerTLSPolicies, v) {
			return "", nil, errorf("InvalidMinimumProtocolVersion", "%q is not a CloudFront security policy", v)
		}
	}
	origins := map[string]bool{}
	for _, o := range in.Origins {
		id, domain := o.OriginID, o.DomainName
		if origins[id] {
			return "", nil, errorf("InvalidArgument", "two origins have the id %q", id)
		}
		origins[id] = true
		if oac := o.OriginAccessControlID; oac != "" {
			if _, ok := r.cloud.resource(awstype.OriginAccessControl, oac); !ok {
				return "", nil, errorf("NoSuchOriginAccessControl", "origin access control %q does not exist", oac)
			}
			if strings.Contains(domain, "s3-website") {
				return "", nil, errorf("InvalidArgument", "an origin access control signs requests to an S3 REST endpoint, not a website endpoint")
			}
		}
		if err := r.checkOrigin(o); err != nil {
			return "", nil, err
		}
	}
	groups, err := checkOriginGroups(in.OriginGroups, origins)
	if err != nil {
		return "", nil, err
	}
	if err := r.checkBehavior("default cache behavior", in.DefaultCacheBehavior, origins, groups); err != nil {
		return "", nil, err
	}
	patterns := map[string]bool{}
	for _, b := range in.OrderedCacheBehaviors {
		pattern := b.PathPattern
		if pattern == "" || patterns[pattern] {
			return "", nil, errorf("InvalidArgument", "each ordered cache behavior needs a path pattern of its own, not %q", pattern)
		}
		patterns[pattern] = true
		if err := r.checkBehavior("cache behavior "+pattern, b.cacheBehavior, origins, groups); err != nil {
			return "", nil, err
		}
	}
	for _, e := range in.CustomErrorResponses {
		if !cloudFrontErrorCodes[int(e.ErrorCode)] {
			return "", nil, errorf("InvalidArgument", "errorCode %v cannot be customized", e.ErrorCode)
		}
		if e.ResponseCode != nil && !cloudFrontResponseCodes[int(*e.ResponseCode)] {
			return "", nil, errorf("InvalidArgument", "responseCode %v is not allowed", *e.ResponseCode)
		}
	}
	if root := in.DefaultRootObject; strings.HasPrefix(root, "/") {
		return "", nil, errorf("InvalidDefaultRootObject", "%q must not start with /", root)
	}
	if pc := in.PriceClass; pc != "" && pc != "PriceClass_100" && pc != "PriceClass_200" && pc != "PriceClass_All" {
		return "", nil, errorf("InvalidArgument", "price class %q", pc)
	}
	for _, alias := range aliases {
		if other, ok := r.aliasOwner(alias); ok {
			return "", nil, errorf("CNAMEAlreadyExists", "%s is an alias of another distribution (%s)", alias, other)
		}
	}
	r.deploy(in.WaitForDeployment)
	id := "E" + upperID(r.seed(), 13)
	return id, map[string]any{
		"arn":              "arn:aws:cloudfront::" + AccountID + ":distribution/" + id,
		"domainName":       "d" + strings.ToLower(upperID(r.seed()+"domain", 13)) + ".cloudfront.net",
		"hostedZoneId":     CloudFrontZoneID,
		"status":           "Deployed",
		"etag":             "E" + upperID(r.seed()+"etag", 13),
		"callerReference":  "terraform-" + hashDigits(r.seed(), 20),
		"lastModifiedTime": "2026-01-01 00:00:00 +0000 UTC",
	}, nil
}

// DeployTime is how long CloudFront takes, in the engine's account, to deploy a distribution's
// change to its edge locations (AWS takes minutes): long enough for what runs beside the change to
// meet the distribution as it served before.
const DeployTime = 2 * time.Second

// deploy has the distribution being created or updated serve as before until DeployTime has
// passed (Deploying), in the engine's account. The AWS provider waits for the distribution's
// status to change from InProgress to Deployed unless waitForDeployment is false (Distribution,
// waitForDeployment, Pulumi Registry:
// https://www.pulumi.com/registry/packages/aws/api-docs/cloudfront/distribution/#waitfordeployment_go),
// and so does the engine's plugin.
func (r *request) deploy(waitForDeployment *bool) {
	if !r.cloud.engine {
		return
	}
	now := time.Now()
	deploying := &Deploying{Until: now.Add(DeployTime)}
	if previous := r.reg.previous; previous != nil {
		deploying.Previous = Properties(previous.served(now))
	}
	r.after = func(res *Resource) { res.Deploying = deploying }
	if waitForDeployment == nil || *waitForDeployment {
		r.cloud.wait = DeployTime
	}
}

// servedDistribution is what a distribution serves by now, and false while a new one deploys.
func servedDistribution(d *Resource) (distributionInputs, bool) {
	served := d.served(time.Now())
	if served == nil {
		return distributionInputs{}, false
	}
	in, _ := decode[distributionInputs](served)
	return in, true
}

func isMethodSet(methods []string) bool {
	sorted := slices.Clone(methods)
	slices.Sort(sorted)
	for _, set := range methodSets {
		if slices.Equal(sorted, set) {
			return true
		}
	}
	return false
}

// aliasOwner is the distribution, but the one the request updates, that has alias: a create
// repeated after an interrupted pulumi up is refused too.
func (r *request) aliasOwner(alias string) (string, bool) {
	for _, other := range r.others(awstype.Distribution) {
		if slices.Contains(storedInputs[distributionInputs](other).Aliases, alias) {
			return other.URN, true
		}
	}
	return "", false
}

// upperID returns n characters of [A-Z2-7] derived from s, like CloudFront's ids.
func upperID(s string, n int) string {
	sum := sha256.Sum256([]byte(s))
	return base32.StdEncoding.EncodeToString(sum[:])[:n]
}

func codes(list ...int) map[int]bool {
	m := map[int]bool{}
	for _, c := range list {
		m[c] = true
	}
	return m
}
