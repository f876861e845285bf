package mockcloud

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

var bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// CloudFront's allowed codes for custom error responses, viewer TLS policies and method sets.
var (
	cloudFrontErrorCodes    = codes(400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504)
	cloudFrontResponseCodes = codes(200, 400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504)
	viewerTLSPolicies       = []string{"SSLv3", "TLSv1", "TLSv1_2016", "TLSv1.1_2016", "TLSv1.2_2018", "TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"}
	methodSets              = [][]string{{"GET", "HEAD"}, {"GET", "HEAD", "OPTIONS"}, {"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}}
)

// bucketSettings are the resources that each write one setting of a bucket. S3 refuses a
// setting written while another write to the same bucket is under way (OperationAborted).
var bucketSettings = []string{
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls",
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
	"aws:s3/bucketPolicy:BucketPolicy",
	"aws:s3/bucketVersioningV2:BucketVersioningV2",
}

// BucketWriteTime is how long, under the engine, a bucket setting keeps its bucket busy: a
// second write that starts meanwhile, because nothing ordered the two, is refused.
const BucketWriteTime = 300 * time.Millisecond

func init() {
	simulations[bucketType] = func(r *request) (string, map[string]any, error) {
		// Pulumi lower-cases auto-named buckets; S3 refuses anything else.
		name := r.str("bucket")
		if name == "" {
			name = strings.ToLower(r.physicalName(63))
		}
		if !bucketName.MatchString(name) {
			return "", nil, errorf("InvalidBucketName", "%q", name)
		}
		return name, map[string]any{
			"bucket":                   name,
			"arn":                      "arn:aws:s3:::" + name,
			"bucketDomainName":         name + ".s3.amazonaws.com",
			"bucketRegionalDomainName": name + ".s3." + r.region() + ".amazonaws.com",
			"region":                   r.region(),
		}, nil
	}
	for _, typ := range bucketSettings {
		simulations[typ] = bucketSetting
	}
	simulations["aws:s3/bucketObjectv2:BucketObjectv2"] = func(r *request) (string, map[string]any, error) {
		if _, ok := r.cloud.resource(bucketType, r.str("bucket")); !ok {
			return "", nil, errorf("NoSuchBucket", "the bucket %q does not exist", r.str("bucket"))
		}
		if r.str("key") == "" {
			return "", nil, errorf("InvalidArgument", "an object needs a key")
		}
		sum := md5.Sum([]byte(r.str("content")))
		return r.str("key"), map[string]any{
			"etag": hex.EncodeToString(sum[:]),
			"arn":  "arn:aws:s3:::" + r.str("bucket") + "/" + r.str("key"),
		}, nil
	}
	simulations[oacType] = func(r *request) (string, map[string]any, error) {
		if t := r.str("originAccessControlOriginType"); t != "s3" && t != "mediastore" && t != "lambda" && t != "mediapackagev2" {
			return "", nil, errorf("InvalidArgument", "origin type %q is not s3, mediastore, lambda or mediapackagev2", t)
		}
		if b := r.str("signingBehavior"); b != "always" && b != "never" && b != "no-override" {
			return "", nil, errorf("InvalidArgument", "signing behavior %q is not always, never or no-override", b)
		}
		if r.str("signingProtocol") != "sigv4" {
			return "", nil, errorf("InvalidArgument", "signing protocol %q is not sigv4", r.str("signingProtocol"))
		}
		return "E" + upperID(r.seed(), 13), map[string]any{"name": r.physicalName(64), "etag": "E" + upperID(r.seed()+"etag", 13)}, nil
	}
	simulations[distributionType] = distribution
}

// bucketSetting writes one setting of a bucket; its id is the bucket's name. Another setting of
// the same bucket must not be written at the same time: in a mock run, every setting written
// before must be one this one waits for; under the engine, the bucket must not be busy.
func bucketSetting(r *request) (string, map[string]any, error) {
	bucket := r.str("bucket")
	if _, ok := r.cloud.resource(bucketType, bucket); !ok {
		return "", nil, errorf("NoSuchBucket", "the bucket %q does not exist", bucket)
	}
	aborted := errorf("OperationAborted", "A conflicting conditional operation is currently in progress against this resource (bucket %s): write its settings one after another", bucket)
	for _, typ := range bucketSettings {
		for _, other := range r.cloud.ofType(typ) {
			if other.ID == bucket && !r.dependsOn(other.URN) {
				return "", nil, aborted
			}
		}
	}
	if r.cloud.engine {
		now := time.Now()
		if until, busy := r.cloud.account.Busy[bucket]; busy && now.Before(until) {
			return "", nil, aborted
		}
		if r.cloud.account.Busy == nil {
			r.cloud.account.Busy = map[string]time.Time{}
		}
		r.cloud.account.Busy[bucket] = now.Add(BucketWriteTime)
		r.cloud.wait = BucketWriteTime
	}
	if r.reg.typ == "aws:s3/bucketPolicy:BucketPolicy" {
		if err := r.checkBucketPolicy(bucket); err != nil {
			return "", nil, err
		}
	}
	return bucket, map[string]any{}, nil
}

func (r *request) checkBucketPolicy(bucket string) error {
	var doc struct {
		Statement []struct {
			Effect    string
			Principal any
			Resource  any
			Condition map[string]any
		}
	}
	if err := json.Unmarshal([]byte(r.str("policy")), &doc); err != nil {
		return errorf("MalformedPolicy", "%v", err)
	}
	for _, s := range doc.Statement {
		if s.Effect == "Allow" && isPublic(s.Principal) && len(s.Condition) == 0 && r.cloud.blocksPublicPolicy(bucket) {
			return errorf("AccessDenied", "the bucket's public access block refuses a public policy")
		}
		resources, _ := s.Resource.([]any)
		if one, ok := s.Resource.(string); ok {
			resources = []any{one}
		}
		for _, res := range resources {
			arn, _ := res.(string)
			if arn != "arn:aws:s3:::"+bucket && !strings.HasPrefix(arn, "arn:aws:s3:::"+bucket+"/") {
				return errorf("MalformedPolicy", "Policy has invalid resource: %s is not bucket %s", arn, bucket)
			}
		}
	}
	return nil
}

func distribution(r *request) (string, map[string]any, error) {
	viewer := r.object("viewerCertificate")
	aliases := r.strings("aliases")
	certARN := stringArg(viewer, "acmCertificateArn")
	switch {
	case len(aliases) > 0 && certARN == "":
		return "", nil, errorf("InvalidViewerCertificate", "To add an alternate domain name (CNAME) to a CloudFront distribution, you must attach a trusted certificate that validates your authorization to use the domain name")
	case certARN != "":
		if err := r.issuedCertificate(certARN, "us-east-1", aliases); err != nil {
			return "", nil, fmt.Errorf("InvalidViewerCertificate: the certificate must be issued in us-east-1 and cover every alias: %w", err)
		}
		if m := stringArg(viewer, "sslSupportMethod"); m != "sni-only" && m != "vip" && m != "static-ip" {
			return "", nil, errorf("InvalidViewerCertificate", "sslSupportMethod %q is not sni-only, vip or static-ip", m)
		}
		if v := stringArg(viewer, "minimumProtocolVersion"); v != "" && !slices.Contains(viewerTLSPolicies, v) {
			return "", nil, errorf("InvalidMinimumProtocolVersion", "%q is not a CloudFront security policy", v)
		}
	}
	origins := map[string]bool{}
	for _, o := range arrayOfObjects(r.reg.inputs, "origins") {
		id, domain := stringArg(o, "originId"), stringArg(o, "domainName")
		if origins[id] {
			return "", nil, errorf("InvalidArgument", "two origins have the id %q", id)
		}
		origins[id] = true
		if oac := stringArg(o, "originAccessControlId"); oac != "" {
			if _, ok := r.cloud.resource(oacType, oac); !ok {
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
	groups, err := checkOriginGroups(arrayOfObjects(r.reg.inputs, "originGroups"), origins)
	if err != nil {
		return "", nil, err
	}
	if err := r.checkBehavior("default cache behavior", r.object("defaultCacheBehavior"), origins, groups); err != nil {
		return "", nil, err
	}
	patterns := map[string]bool{}
	for _, b := range arrayOfObjects(r.reg.inputs, "orderedCacheBehaviors") {
		pattern := stringArg(b, "pathPattern")
		if pattern == "" || patterns[pattern] {
			return "", nil, errorf("InvalidArgument", "each ordered cache behavior needs a path pattern of its own, not %q", pattern)
		}
		patterns[pattern] = true
		if err := r.checkBehavior("cache behavior "+pattern, b, origins, groups); err != nil {
			return "", nil, err
		}
	}
	for _, e := range arrayOfObjects(r.reg.inputs, "customErrorResponses") {
		if !cloudFrontErrorCodes[int(number(e, "errorCode"))] {
			return "", nil, errorf("InvalidArgument", "errorCode %v cannot be customized", number(e, "errorCode"))
		}
		if e.HasValue("responseCode") && !cloudFrontResponseCodes[int(number(e, "responseCode"))] {
			return "", nil, errorf("InvalidArgument", "responseCode %v is not allowed", number(e, "responseCode"))
		}
	}
	if root := r.str("defaultRootObject"); strings.HasPrefix(root, "/") {
		return "", nil, errorf("InvalidDefaultRootObject", "%q must not start with /", root)
	}
	if pc := r.str("priceClass"); pc != "" && pc != "PriceClass_100" && pc != "PriceClass_200" && pc != "PriceClass_All" {
		return "", nil, errorf("InvalidArgument", "price class %q", pc)
	}
	for _, alias := range aliases {
		if other, ok := r.cloud.aliasOwner(alias, r.reg.urn); ok {
			return "", nil, errorf("CNAMEAlreadyExists", "%s is an alias of another distribution (%s)", alias, other)
		}
	}
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

func (c *Cloud) blocksPublicPolicy(bucket string) bool {
	if block, ok := c.resource("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", bucket); ok {
		return boolArg(block.in(), "blockPublicPolicy")
	}
	return false
}

func (c *Cloud) aliasOwner(alias, except string) (string, bool) {
	for _, r := range c.ofType(distributionType) {
		if r.URN != except && slices.Contains(stringsArg(r.in(), "aliases"), alias) {
			return r.URN, true
		}
	}
	return "", false
}

func isPublic(principal any) bool {
	switch p := principal.(type) {
	case string:
		return p == "*"
	case map[string]any:
		return p["AWS"] == "*"
	}
	return false
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
