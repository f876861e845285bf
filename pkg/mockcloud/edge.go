package mockcloud

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// What edge mode adds to the account: CloudFront's origin-facing prefix list, the load
// balancer's listener certificates and rules, and the Lambda@Edge function with its role. The
// distribution's origin groups, custom origins and function associations are checked in
// distribution (storage.go) through checkEdge.

const (
	listenerCertificateType = "aws:lb/listenerCertificate:ListenerCertificate"
	listenerRuleType        = "aws:lb/listenerRule:ListenerRule"
	roleType                = "aws:iam/role:Role"
	rolePolicyAttachment    = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	functionType            = "aws:lambda/function:Function"
)

// CloudFrontOriginFacing is the name of the AWS-managed prefix list of CloudFront's
// origin-facing addresses.
const CloudFrontOriginFacing = "com.amazonaws.global.cloudfront.origin-facing"

// cloudFrontPrefixLists are the list's ids per region: AWS publishes no table of them (they are
// looked up by name); us-east-1's is the one AWS's documentation shows, the others are derived.
var cloudFrontPrefixLists = map[string]string{"us-east-1": "pl-3b927c52"}

// CloudFrontPrefixListID is the id of the origin-facing prefix list in a region.
func CloudFrontPrefixListID(region string) string {
	if id, ok := cloudFrontPrefixLists[region]; ok {
		return id
	}
	return "pl-" + hashHex("cloudfront-origin-facing/"+region, 8)
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

// Lambda@Edge's restrictions (CloudFront Developer Guide, "Restrictions on Lambda@Edge"): a
// numbered version of a function in us-east-1, x86_64, without environment variables, within the
// event's timeout.
var (
	edgeEvents        = map[string]int{"viewer-request": 5, "viewer-response": 5, "origin-request": 30, "origin-response": 30}
	edgeRuntimePrefix = []string{"nodejs", "python"}
	qualifiedVersion  = regexp.MustCompile(`^arn:aws:lambda:us-east-1:\d{12}:function:[A-Za-z0-9_-]+:\d+$`)
)

func init() {
	invokes["aws:ec2/getManagedPrefixList:getManagedPrefixList"] = getManagedPrefixList
	simulations[listenerCertificateType] = listenerCertificate
	simulations[listenerRuleType] = listenerRule
	simulations[roleType] = role
	simulations[rolePolicyAttachment] = func(r *request) (string, map[string]any, error) {
		if _, ok := r.cloud.findOutput(roleType, "name", r.str("role")); !ok {
			return "", nil, errorf("NoSuchEntity", "the role %q does not exist", r.str("role"))
		}
		if !strings.HasPrefix(r.str("policyArn"), "arn:aws:iam::") {
			return "", nil, errorf("InvalidInput", "%q is not a policy ARN", r.str("policyArn"))
		}
		return r.str("role") + "-" + hashDigits(r.seed(), 20), map[string]any{}, nil
	}
	simulations[functionType] = function
}

func getManagedPrefixList(_ *Cloud, region string, args resource.PropertyMap) (map[string]any, error) {
	if name := stringArg(args, "name"); name != CloudFrontOriginFacing {
		return nil, errorf("InvalidPrefixListName.NotFound", "no managed prefix list named %q", name)
	}
	id := CloudFrontPrefixListID(region)
	return map[string]any{
		"id": id, "name": CloudFrontOriginFacing, "addressFamily": "IPv4", "ownerId": "AWS", "maxEntries": 55,
		"arn": "arn:aws:ec2:" + region + ":aws:prefix-list/" + id, "entries": []any{}, "version": 1, "tags": map[string]any{},
	}, nil
}

// listenerOf finds the listener an ARN names.
func (r *request) listenerOf(arn string) (*Resource, error) {
	l, ok := r.cloud.findOutput(listenerType, "arn", arn)
	if !ok {
		return nil, errorf("ListenerNotFound", "listener %q does not exist", arn)
	}
	return l, nil
}

func listenerCertificate(r *request) (string, map[string]any, error) {
	l, err := r.listenerOf(r.str("listenerArn"))
	if err != nil {
		return "", nil, err
	}
	if stringArg(l.in(), "protocol") != "HTTPS" {
		return "", nil, errorf("InvalidConfigurationRequest", "certificates can only be added to an HTTPS or TLS listener")
	}
	if err := r.issuedCertificate(r.str("certificateArn"), r.region(), nil); err != nil {
		return "", nil, err
	}
	return r.str("listenerArn") + "_" + r.str("certificateArn"), map[string]any{}, nil
}

func listenerRule(r *request) (string, map[string]any, error) {
	l, err := r.listenerOf(r.str("listenerArn"))
	if err != nil {
		return "", nil, err
	}
	priority := int(r.number("priority"))
	if priority < 1 || priority > 50000 {
		return "", nil, errorf("ValidationError", "priority %d is not 1-50000", priority)
	}
	for _, other := range r.cloud.ofType(listenerRuleType) {
		if stringArg(other.in(), "listenerArn") == r.str("listenerArn") && int(number(other.in(), "priority")) == priority {
			return "", nil, errorf("PriorityInUse", "priority %d is in use on the listener", priority)
		}
	}
	values := 0
	for _, c := range arrayOfObjects(r.reg.inputs, "conditions") {
		if h := objectArg(c, "httpHeader"); len(h) > 0 {
			if n := stringArg(h, "httpHeaderName"); n == "" || len(n) > 40 {
				return "", nil, errorf("ValidationError", "an HTTP header condition needs a header name of at most 40 characters, not %q", n)
			}
		}
		values += len(arrayOfObjects(c, "queryStrings"))
		for _, kind := range []string{"hostHeader", "httpHeader", "httpRequestMethod", "pathPattern", "sourceIp"} {
			for _, v := range stringsArg(objectArg(c, kind), "values") {
				values++
				if len(v) > 128 {
					return "", nil, errorf("ValidationError", "a condition value has at most 128 characters")
				}
			}
		}
	}
	if values == 0 || values > 5 {
		return "", nil, errorf("ValidationError", "a rule needs 1-5 condition values, not %d", values)
	}
	for _, a := range arrayOfObjects(r.reg.inputs, "actions") {
		if stringArg(a, "type") == "forward" {
			if _, ok := r.cloud.findOutput(targetGroupType, "arn", stringArg(a, "targetGroupArn")); !ok {
				return "", nil, errorf("TargetGroupNotFound", "target group %q does not exist", stringArg(a, "targetGroupArn"))
			}
		}
	}
	arn := strings.Replace(l.ID, ":listener/", ":listener-rule/", 1) + "/" + r.hex("id", 16)
	return arn, map[string]any{"arn": arn}, nil
}

func role(r *request) (string, map[string]any, error) {
	if _, err := trustedServices(r.str("assumeRolePolicy")); err != nil {
		return "", nil, errorf("MalformedPolicyDocument", "the assume role policy is not a policy document: %v", err)
	}
	name := r.physicalName(64)
	return name, map[string]any{
		"name": name, "arn": "arn:aws:iam::" + AccountID + ":role/" + name, "uniqueId": "AROA" + strings.ToUpper(r.hex("id", 17)),
	}, nil
}

// trustedServices returns the services a trust policy lets assume the role.
func trustedServices(policy string) ([]string, error) {
	var doc struct {
		Statement []struct {
			Principal struct {
				Service any
			}
		}
	}
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		return nil, err
	}
	if len(doc.Statement) == 0 {
		return nil, errorf("MalformedPolicyDocument", "no statement")
	}
	var services []string
	for _, s := range doc.Statement {
		switch v := s.Principal.Service.(type) {
		case string:
			services = append(services, v)
		case []any:
			for _, e := range v {
				if name, ok := e.(string); ok {
					services = append(services, name)
				}
			}
		}
	}
	return services, nil
}

func function(r *request) (string, map[string]any, error) {
	role, ok := r.cloud.findOutput(roleType, "arn", r.str("role"))
	if !ok {
		return "", nil, errorf("InvalidParameterValueException", "the role %q does not exist or cannot be assumed by Lambda", r.str("role"))
	}
	// CreateFunction (Lambda API Reference) checks the execution role's trust policy.
	if services, _ := trustedServices(stringArg(role.in(), "assumeRolePolicy")); !slices.Contains(services, "lambda.amazonaws.com") {
		return "", nil, errorf("InvalidParameterValueException", "The role defined for the function cannot be assumed by Lambda.")
	}
	if t := r.number("timeout"); t != 0 && (t < 1 || t > 900) {
		return "", nil, errorf("InvalidParameterValueException", "timeout %v is not 1-900 seconds", t)
	}
	name := r.physicalName(64)
	arn := r.arn("lambda", "function:"+name)
	version := "$LATEST"
	if r.boolean("publish") {
		version = "1"
	}
	return name, map[string]any{
		"arn": arn, "qualifiedArn": arn + ":" + version, "version": version,
		"invokeArn":      "arn:aws:apigateway:" + r.region() + ":lambda:path/2015-03-31/functions/" + arn + "/invocations",
		"sourceCodeHash": r.hex("code", 44), "lastModified": "2026-01-01T00:00:00.000+0000",
	}, nil
}

// checkEdgeFunction refuses a function association Lambda@Edge refuses.
func (r *request) checkEdgeFunction(association resource.PropertyMap) error {
	event, arn := stringArg(association, "eventType"), stringArg(association, "lambdaArn")
	maxTimeout, ok := edgeEvents[event]
	if !ok {
		return errorf("InvalidLambdaFunctionAssociation", "event type %q is not one of viewer-request, viewer-response, origin-request, origin-response", event)
	}
	if !qualifiedVersion.MatchString(arn) {
		return errorf("InvalidLambdaFunctionAssociation", "%s: a Lambda@Edge association needs a numbered version of a function in us-east-1, not $LATEST or an alias (publish the function)", arn)
	}
	fn, ok := r.cloud.findOutput(functionType, "qualifiedArn", arn)
	if !ok {
		return errorf("InvalidLambdaFunctionAssociation", "the function version %s does not exist", arn)
	}
	in := fn.in()
	switch {
	case in.HasValue("environment"):
		return errorf("InvalidLambdaFunctionAssociation", "%s: Lambda@Edge functions cannot have environment variables", arn)
	case slices.Contains(stringsArg(in, "architectures"), "arm64"):
		return errorf("InvalidLambdaFunctionAssociation", "%s: Lambda@Edge runs x86_64 functions only", arn)
	case number(in, "timeout") > float64(maxTimeout):
		return errorf("InvalidLambdaFunctionAssociation", "%s: a %s function may run at most %d s, not %v", arn, event, maxTimeout, number(in, "timeout"))
	case !slices.ContainsFunc(edgeRuntimePrefix, func(p string) bool { return strings.HasPrefix(stringArg(in, "runtime"), p) }):
		return errorf("InvalidLambdaFunctionAssociation", "%s: Lambda@Edge runs Node.js and Python functions, not %s", arn, stringArg(in, "runtime"))
	}
	var services []string
	if role, ok := r.cloud.findOutput(roleType, "arn", stringArg(in, "role")); ok {
		services, _ = trustedServices(stringArg(role.in(), "assumeRolePolicy"))
	}
	if !slices.Contains(services, "edgelambda.amazonaws.com") {
		return errorf("InvalidLambdaFunctionAssociation", "%s: the function's execution role must be assumable by edgelambda.amazonaws.com", arn)
	}
	return nil
}

// checkOrigin refuses a custom origin CloudFront refuses, or one whose certificate (for an HTTPS
// origin the account serves itself) does not cover its name: CloudFront checks the origin's
// certificate against the origin's domain name and answers 502 to every request otherwise.
func (r *request) checkOrigin(o resource.PropertyMap) error {
	domain := strings.ToLower(stringArg(o, "domainName"))
	if n := number(o, "connectionAttempts"); o.HasValue("connectionAttempts") && (n < 1 || n > 3) {
		return errorf("InvalidArgument", "connectionAttempts %v is not 1-3", n)
	}
	if n := number(o, "connectionTimeout"); o.HasValue("connectionTimeout") && (n < 1 || n > 10) {
		return errorf("InvalidArgument", "connectionTimeout %v is not 1-10 seconds", n)
	}
	for _, h := range arrayOfObjects(o, "customHeaders") {
		name := strings.ToLower(stringArg(h, "name"))
		if slices.Contains(customHeadersRefused, name) || strings.HasPrefix(name, "x-amz-") || strings.HasPrefix(name, "x-edge-") {
			return errorf("InvalidArgument", "CloudFront cannot add the header %s to origin requests", stringArg(h, "name"))
		}
	}
	custom := objectArg(o, "customOriginConfig")
	if len(custom) == 0 {
		return nil
	}
	policy := stringArg(custom, "originProtocolPolicy")
	if !slices.Contains(originPolicies, policy) {
		return errorf("InvalidArgument", "origin protocol policy %q is not one of %s", policy, strings.Join(originPolicies, ", "))
	}
	for _, p := range stringsArg(custom, "originSslProtocols") {
		if !slices.Contains(originSSLProtocols, p) {
			return errorf("InvalidArgument", "origin SSL protocol %q is not one of %s", p, strings.Join(originSSLProtocols, ", "))
		}
	}
	if n := number(custom, "originReadTimeout"); custom.HasValue("originReadTimeout") && (n < 1 || n > 60) {
		return errorf("InvalidArgument", "originReadTimeout %v is not 1-60 seconds (more needs a quota increase)", n)
	}
	if n := number(custom, "originKeepaliveTimeout"); custom.HasValue("originKeepaliveTimeout") && (n < 1 || n > 60) {
		return errorf("InvalidArgument", "originKeepaliveTimeout %v is not 1-60 seconds", n)
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
		lb, ok := c.findOutput(loadBalancerType, "dnsName", strings.TrimPrefix(rs.AliasTarget, "dualstack."))
		if !ok {
			return nil, false
		}
		for _, l := range c.ofType(listenerType) {
			if stringArg(l.in(), "loadBalancerArn") != lb.ID || stringArg(l.in(), "protocol") != "HTTPS" {
				continue
			}
			arns = append(arns, stringArg(l.in(), "certificateArn"))
			for _, lc := range c.ofType(listenerCertificateType) {
				if stringArg(lc.in(), "listenerArn") == stringArg(l.out(), "arn") {
					arns = append(arns, stringArg(lc.in(), "certificateArn"))
				}
			}
		}
		return arns, true
	}
	return nil, false
}

// checkOriginGroups refuses origin groups CloudFront refuses and returns their ids: two members,
// each an origin of the distribution, failing over on status codes from CloudFront's list.
func checkOriginGroups(groups []resource.PropertyMap, origins map[string]bool) (map[string]bool, error) {
	ids := map[string]bool{}
	for _, g := range groups {
		id := stringArg(g, "originId")
		if origins[id] || ids[id] {
			return nil, errorf("InvalidArgument", "the origin group id %q is already an origin or group id", id)
		}
		ids[id] = true
		members := arrayOfObjects(g, "members")
		if len(members) != 2 {
			return nil, errorf("InvalidOriginGroups", "origin group %q needs exactly two members, not %d", id, len(members))
		}
		for _, m := range members {
			if !origins[stringArg(m, "originId")] {
				return nil, errorf("InvalidOriginGroups", "origin group %q: member %q is not an origin of the distribution", id, stringArg(m, "originId"))
			}
		}
		statusCodes := arrayOfNumbers(objectArg(g, "failoverCriteria"), "statusCodes")
		if len(statusCodes) == 0 {
			return nil, errorf("InvalidOriginGroups", "origin group %q has no failover status codes", id)
		}
		for _, code := range statusCodes {
			if !failoverStatusCodes[code] {
				return nil, errorf("InvalidOriginGroups", "origin group %q: CloudFront cannot fail over on status %d (only 400, 403, 404, 416, 500, 502, 503, 504)", id, code)
			}
		}
	}
	return ids, nil
}

// checkBehavior refuses a cache behaviour whose target is neither an origin nor an origin
// group, whose methods are not one of CloudFront's sets, that allows methods CloudFront refuses
// for an origin group, or with a function association Lambda@Edge refuses.
func (r *request) checkBehavior(which string, b resource.PropertyMap, origins, groups map[string]bool) error {
	target := stringArg(b, "targetOriginId")
	if !origins[target] && !groups[target] {
		return errorf("NoSuchOrigin", "the %s targets %q, which is neither an origin nor an origin group", which, target)
	}
	methods := stringsArg(b, "allowedMethods")
	if !isMethodSet(methods) {
		return errorf("InvalidArgument", "allowed methods %v of the %s are not one of CloudFront's sets", methods, which)
	}
	if groups[target] && slices.ContainsFunc(methods, func(m string) bool { return slices.Contains(originGroupRefused, m) }) {
		return errorf("InvalidArgument", "the %s: the parameter AllowedMethods cannot include POST, PUT, PATCH, or DELETE for a cached behavior associated with an origin group", which)
	}
	switch hasPolicy, hasForwarded := b.HasValue("cachePolicyId"), b.HasValue("forwardedValues"); {
	case hasPolicy && hasForwarded:
		return errorf("InvalidArgument", "the %s takes a cache policy or forwarded values, not both", which)
	case !hasPolicy && !hasForwarded:
		return errorf("InvalidArgument", "the %s needs a cache policy (or legacy forwarded values)", which)
	}
	events := map[string]bool{}
	for _, a := range arrayOfObjects(b, "lambdaFunctionAssociations") {
		if events[stringArg(a, "eventType")] {
			return errorf("InvalidLambdaFunctionAssociation", "the %s has two functions for %s", which, stringArg(a, "eventType"))
		}
		events[stringArg(a, "eventType")] = true
		if err := r.checkEdgeFunction(a); err != nil {
			return err
		}
	}
	return nil
}

// arrayOfNumbers reads a list of numbers.
func arrayOfNumbers(m resource.PropertyMap, key string) []int {
	v, ok := m[resource.PropertyKey(key)]
	if !ok {
		return nil
	}
	v = unwrap(v)
	if !v.IsArray() {
		return nil
	}
	var out []int
	for _, e := range v.ArrayValue() {
		if e = unwrap(e); e.IsNumber() {
			out = append(out, int(e.NumberValue()))
		}
	}
	return out
}
