package mockcloud

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
)

// cloudFront is what a distribution answers a viewer's request over scheme for host and path:
// the viewer certificate and aliases, the behaviour the path selects and its viewer protocol
// policy, its origin or origin group (failing over to the second member on the group's status
// codes, or when the first gives no answer), the Lambda@Edge functions on origin request and
// response, and the custom error responses.
func (c *Cloud) cloudFront(d *Resource, scheme, host, urlPath string) response {
	var r response
	r.hop("distribution %s", d.ID)
	in, deployed := servedDistribution(d)
	if !deployed {
		return failed(r.route, "the distribution is InProgress: CloudFront has not deployed it to its edge locations yet")
	}
	if host != stringArg(d.out(), "domainName") {
		if problem := c.certificateFor([]string{in.ViewerCertificate.AcmCertificateArn}, host); scheme == "https" && problem != "" {
			return stopped(StopTLS, r.route, "TLS error: %s", problem)
		}
		if !slices.Contains(in.Aliases, host) {
			return failed(r.route, "HTTP 403: %s is not an alternate domain name of the distribution", host)
		}
	}
	behavior, which := in.behaviorFor(urlPath)
	r.hop("%s", which)
	// "Redirect HTTP to HTTPS": CloudFront answers an HTTP GET with 301 and the HTTPS URL;
	// "HTTPS Only": with 403 ("Viewer protocol policy", CloudFront Developer Guide:
	// docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesCacheBehavior.html
	// #DownloadDistValuesViewerProtocolPolicy; "Require HTTPS between viewers and CloudFront":
	// docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html).
	switch policy := behavior.ViewerProtocolPolicy; {
	case scheme != "http" || policy == "allow-all":
	case policy == "redirect-to-https":
		r.status, r.location = 301, "https://"+host+urlPath
		r.failure = "HTTP 301 from the viewer protocol policy to " + r.location
		return r
	default:
		r.status, r.failure = 403, "HTTP 403: the viewer protocol policy is "+policy
		return r
	}
	got := c.originAnswer(d, in, behavior, behavior.TargetOriginID, urlPath)
	r.route = append(r.route, got.route...)
	for _, e := range in.CustomErrorResponses {
		if int(e.ErrorCode) != got.status || e.ResponsePagePath == "" {
			continue
		}
		pagePath := e.ResponsePagePath
		pageBehavior, _ := in.behaviorFor(pagePath)
		page := c.originAnswer(d, in, pageBehavior, pageBehavior.TargetOriginID, pagePath)
		r.hop("custom error response for %d: %s", got.status, pagePath)
		r.route = append(r.route, page.route...)
		got = page
		if e.ResponseCode != nil {
			got.status = int(*e.ResponseCode)
		}
		break
	}
	r.status, r.page, r.failure = got.status, got.page, got.failure
	if r.status == 0 && r.failure == "" {
		r.failure = "no answer"
	}
	return r
}

// behaviorFor is the behaviour a path selects: the first ordered behaviour whose pattern
// matches, else the default one.
func (d distributionInputs) behaviorFor(urlPath string) (cacheBehavior, string) {
	p := strings.TrimPrefix(urlPath, "/")
	for _, b := range d.OrderedCacheBehaviors {
		if wildcard(strings.TrimPrefix(b.PathPattern, "/"), p) {
			return b.cacheBehavior, "behaviour " + b.PathPattern
		}
	}
	return d.DefaultCacheBehavior, "default behaviour"
}

// originAnswer fetches from an origin, or from an origin group's members in turn.
func (c *Cloud) originAnswer(d *Resource, in distributionInputs, behavior cacheBehavior, id, urlPath string) response {
	for _, g := range in.OriginGroups {
		if g.OriginID != id {
			continue
		}
		if len(g.Members) != 2 {
			return failed(nil, "origin group %s has %d members", id, len(g.Members))
		}
		first := c.originAnswer(d, in, behavior, g.Members[0].OriginID, urlPath)
		if first.status != 0 && !slices.Contains(g.FailoverCriteria.StatusCodes, float64(first.status)) {
			return first
		}
		second := c.originAnswer(d, in, behavior, g.Members[1].OriginID, urlPath)
		second.route = append(append(first.route, "failover on "+first.failureOrStatus()), second.route...)
		return second
	}
	i := slices.IndexFunc(in.Origins, func(o distributionOrigin) bool { return o.OriginID == id })
	if i < 0 {
		return failed(nil, "no origin %s", id)
	}
	origin := in.Origins[i]
	domain := strings.ToLower(origin.DomainName)
	if bucket, isS3 := strings.CutSuffix(domain, ".amazonaws.com"); isS3 && strings.Contains(bucket, ".s3") {
		return c.bucketAnswer(d, in, behavior, origin, domain[:strings.Index(domain, ".s3")], urlPath)
	}
	headers := map[string]string{}
	for _, h := range origin.CustomHeaders {
		headers[strings.ToLower(h.Name)] = h.Value
	}
	target, why, ok := c.resolve(domain, 0)
	if !ok {
		return failed([]string{"origin " + domain}, "HTTP 502: the origin %s does not resolve (%s)", domain, why)
	}
	if custom := origin.CustomOriginConfig; custom != nil && custom.OriginProtocolPolicy == "http-only" {
		return failed([]string{"origin " + domain}, "HTTP 502: the model knows HTTPS origins only")
	}
	got := c.loadBalancerAnswer(target, "https", domain, urlPath, cloudFrontClient, headers, true)
	got.route = append([]string{"origin " + domain}, got.route...)
	if got.status == 0 {
		// CloudFront answers 504 when the origin does not answer in time, 502 when it cannot
		// connect or the TLS handshake fails.
		code := 502
		if strings.HasPrefix(got.failure, "timeout") {
			code = 504
		}
		got.route = append(got.route, got.failure)
		got.status, got.failure = code, "HTTP "+strconv.Itoa(code)+" from CloudFront: "+got.failure
	}
	return got
}

// bucketAnswer is what the bucket answers CloudFront through the origin's access control, with
// the behaviour's Lambda@Edge functions run on the request and the response as Lambda@Edge runs
// them (RunEdgeFunction): the object (the error page), or 403 for a key it does not hold or a
// read its policy does not allow; a function that fails, or whose result CloudFront refuses,
// gives the visitor CloudFront's 503 or 502.
func (c *Cloud) bucketAnswer(d *Resource, in distributionInputs, behavior cacheBehavior, origin distributionOrigin, bucket, urlPath string) response {
	var r response
	r.hop("bucket %s", bucket)
	uri := urlPath
	if uri == "/" && in.DefaultRootObject != "" {
		uri = "/" + in.DefaultRootObject
	}
	functions, status, why := c.edgeFunctions(behavior)
	if why != "" {
		r.hop("%s", why)
		r.status, r.failure = status, fmt.Sprintf("HTTP %d from CloudFront: %s", status, why)
		return r
	}
	domain := strings.ToLower(origin.DomainName)
	var conditional map[string]any
	if c.reload {
		// The main page's validators, which the error page's do not match: S3 answers the
		// whole object ("GetObject", S3 API Reference, If-None-Match).
		conditional = map[string]any{"if-none-match": EdgeHeader("If-None-Match", `"`+mainPageETag+`"`),
			"if-modified-since": EdgeHeader("If-Modified-Since", "Sat, 05 Dec 2026 09:00:00 GMT")}
	}
	request := EdgeRequest("GET", uri, "", map[string]any{"s3": map[string]any{"authMethod": "origin-access-control",
		"customHeaders": map[string]any{}, "domainName": domain, "path": "", "region": strings.Split(domain, ".")[2]}}, conditional)
	if source, ok := functions["origin-request"]; ok {
		result, status, err := RunEdgeFunction(source, EdgeEvent("origin-request", request, nil))
		if err != nil {
			r.status, r.failure = status, fmt.Sprintf("HTTP %d from CloudFront: the origin request function: %v", status, err)
			return r
		}
		if generated, ok := result["status"].(string); ok {
			r.hop("origin request function answers %s itself", generated)
			r.status, _ = strconv.Atoi(generated)
			r.page = PageError // a function's own page stands for the error page
			return r
		}
		request = result
		if got, _ := request["uri"].(string); got != uri {
			r.hop("origin request function asks for %s", got)
			uri = got
		}
	}
	switch {
	case origin.OriginAccessControlID == "":
		r.status, r.failure = 403, "HTTP 403: the bucket is private and the origin signs no request"
	case !c.bucketAllows(bucket, stringArg(d.out(), "arn"), strings.TrimPrefix(uri, "/")):
		r.status, r.failure = 403, "HTTP 403: the bucket policy does not let this distribution read "+uri
	case !c.objectExists(bucket, strings.TrimPrefix(uri, "/")):
		r.status, r.failure = 403, "HTTP 403: the bucket holds no "+uri
	default:
		r.status, r.page = 200, PageError
	}
	source, ok := functions["origin-response"]
	if !ok {
		return r
	}
	result, status, err := RunEdgeFunction(source, EdgeEvent("origin-response", request, EdgeResponse(r.status)))
	if err != nil {
		r.page, r.status, r.failure = "", status, fmt.Sprintf("HTTP %d from CloudFront: the origin response function: %v", status, err)
		return r
	}
	got, _ := strconv.Atoi(fmt.Sprint(result["status"]))
	r.hop("origin response function sets %d", got)
	if body, _ := result["body"].(string); body != "" {
		r.hop("and sends its built-in page")
		r.page, r.failure = PageError, "" // a function's own page stands for the error page
	}
	r.status = got
	return r
}

// mainPageETag is the validator of the main page a reloading visitor holds.
const mainPageETag = "5d41402abc4b2a76b9719d911017c592"

// edgeFunctions are the sources of the behaviour's Lambda@Edge functions by event type; or,
// when one cannot run, CloudFront's status and why.
func (c *Cloud) edgeFunctions(behavior cacheBehavior) (sources map[string]string, status int, why string) {
	sources = map[string]string{}
	for _, a := range behavior.LambdaFunctionAssociations {
		fn, ok := c.findOutput(awstype.Function, "qualifiedArn", a.LambdaArn)
		if !ok {
			return nil, edgeValidationError, "the function " + a.LambdaArn + " does not exist"
		}
		// Lambda assumes the execution role to run the function ("Lambda execution role",
		// Lambda Developer Guide): with the role gone, each run fails, and CloudFront answers
		// 503 ("HTTP 503 status code (Lambda execution error)", CloudFront Developer Guide).
		if role := storedInputs[functionInputs](fn).Role; !c.hasOutput(awstype.Role, "arn", role) {
			return nil, edgeExecutionError, "the function " + fn.ID + " cannot run, its role " + role + " is gone"
		}
		sources[a.EventType] = functionSource(fn.in())
	}
	return sources, 0, ""
}

// functionSource is the text of a function's code archive.
func functionSource(in resource.PropertyMap) string {
	v := unwrap(in["code"])
	if !v.IsArchive() {
		return ""
	}
	var b strings.Builder
	for _, a := range v.ArchiveValue().Assets {
		if text, ok := assetText(a); ok {
			b.WriteString(text)
		}
	}
	return b.String()
}

func assetText(a any) (string, bool) {
	if v, ok := a.(*resource.Asset); ok && v.IsText() {
		return v.Text, true
	}
	return "", false
}

// bucketAllows reports whether the bucket's policy lets CloudFront read key on behalf of the
// distribution (the service principal, conditioned on AWS:SourceArn).
func (c *Cloud) bucketAllows(bucket, distributionARN, key string) bool {
	for _, p := range c.ofType(awstype.BucketPolicy) {
		if storedInputs[bucketPolicyInputs](p).Bucket != bucket {
			continue
		}
		for _, s := range statementsOf(p) {
			if !s.allows("Service", "cloudfront.amazonaws.com", "s3:GetObject", "arn:aws:s3:::"+bucket+"/"+key) {
				continue
			}
			if source, ok := s.Condition["StringEquals"]["AWS:SourceArn"]; ok && !anyMatches(source, distributionARN) {
				continue
			}
			return true
		}
	}
	return false
}

// statement is one statement of a bucket policy.
type statement struct {
	Effect    string
	Principal any
	Action    any
	Resource  any
	Condition map[string]map[string]any
}

// statementsOf are a bucket policy resource's statements (none if its policy is not JSON).
func statementsOf(policy *Resource) []statement {
	statements, _ := parseStatements(storedInputs[bucketPolicyInputs](policy).Policy)
	return statements
}

// parseStatements reads the statements of a policy document.
func parseStatements(policy string) ([]statement, error) {
	var doc struct{ Statement []statement }
	err := json.Unmarshal([]byte(policy), &doc)
	return doc.Statement, err
}

// allows reports whether the statement allows the principal (of its kind: "AWS", "Service")
// the action on the resource, as IAM matches them: each element a string or a list, with "*"
// and "?" wildcards ("IAM JSON policy elements", IAM User Guide). Conditions are the caller's.
func (s statement) allows(kind, principal, action, resource string) bool {
	principals, _ := s.Principal.(map[string]any)
	return s.Effect == "Allow" && anyMatches(principals[kind], principal) && anyMatches(s.Action, action) &&
		anyMatches(s.Resource, resource)
}

func (c *Cloud) objectExists(bucket, key string) bool {
	for _, o := range c.ofType(awstype.BucketObject) {
		if in := storedInputs[bucketObjectInputs](o); in.Bucket == bucket && in.Key == key {
			return true
		}
	}
	return false
}

// anyMatches reports whether a policy value (a string or a list of them, with "*" and "?"
// wildcards) matches s.
func anyMatches(v any, s string) bool {
	switch v := v.(type) {
	case string:
		return wildcard(v, s)
	case []any:
		return slices.ContainsFunc(v, func(e any) bool { p, ok := e.(string); return ok && wildcard(p, s) })
	}
	return false
}
