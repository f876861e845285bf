package mockcloud

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

var bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// CloudFront's allowed codes for custom error responses.
var (
	cloudFrontErrorCodes    = codes(400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504)
	cloudFrontResponseCodes = codes(200, 400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504)
)

func init() {
	for typ, a := range map[string]answer{
		"aws:s3/bucketV2:BucketV2": func(r *request) (string, map[string]any, error) {
			// Pulumi lower-cases auto-named buckets; S3 refuses anything else.
			name := strings.ToLower(r.physicalName(63))
			if !bucketName.MatchString(name) {
				return "", nil, fmt.Errorf("InvalidBucketName: %q", name)
			}
			return name, map[string]any{
				"bucket":                   name,
				"arn":                      "arn:aws:s3:::" + name,
				"bucketDomainName":         name + ".s3.amazonaws.com",
				"bucketRegionalDomainName": name + ".s3." + r.region + ".amazonaws.com",
				"region":                   r.region,
			}, nil
		},
		"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":                                     bucketSetting,
		"aws:s3/bucketOwnershipControls:BucketOwnershipControls":                                     bucketSetting,
		"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": bucketSetting,
		"aws:s3/bucketPolicy:BucketPolicy": func(r *request) (string, map[string]any, error) {
			var doc struct {
				Statement []struct {
					Effect    string
					Principal any
					Condition map[string]any
				}
			}
			if err := json.Unmarshal([]byte(r.str("policy")), &doc); err != nil {
				return "", nil, fmt.Errorf("MalformedPolicy: %v", err)
			}
			for _, s := range doc.Statement {
				if s.Effect == "Allow" && isPublic(s.Principal) && len(s.Condition) == 0 && r.cloud.blocksPublicPolicy(r.str("bucket")) {
					return "", nil, errors.New("AccessDenied: the bucket's public access block refuses a public policy")
				}
			}
			return r.str("bucket"), map[string]any{}, nil
		},
		"aws:s3/bucketObjectv2:BucketObjectv2": func(r *request) (string, map[string]any, error) {
			sum := md5.Sum([]byte(r.str("content")))
			return r.str("key"), map[string]any{
				"etag": hex.EncodeToString(sum[:]),
				"arn":  "arn:aws:s3:::" + r.str("bucket") + "/" + r.str("key"),
			}, nil
		},
		"aws:cloudfront/originAccessControl:OriginAccessControl": func(r *request) (string, map[string]any, error) {
			return "E" + upperID(r.urn, 13), map[string]any{"name": r.physicalName(64), "etag": "E" + upperID(r.urn+"etag", 13)}, nil
		},
		"aws:cloudfront/distribution:Distribution": distribution,
	} {
		answers[typ] = a
	}
}

func distribution(r *request) (string, map[string]any, error) {
	viewer := r.object("viewerCertificate")
	certARN := ""
	if v, ok := viewer["acmCertificateArn"]; ok && v.IsString() {
		certARN = v.StringValue()
	}
	aliases := r.strings("aliases")
	if len(aliases) > 0 && certARN == "" {
		return "", nil, errors.New("InvalidViewerCertificate: aliases need a certificate that covers them")
	}
	if certARN != "" && arnRegion(certARN) != "us-east-1" {
		return "", nil, fmt.Errorf("InvalidViewerCertificate: certificate %s is not in us-east-1; CloudFront only uses certificates from us-east-1", certARN)
	}
	behavior := r.object("defaultCacheBehavior")
	if behavior.HasValue("cachePolicyId") && behavior.HasValue("forwardedValues") {
		return "", nil, errors.New("InvalidArgument: a cache behavior takes a cache policy or forwarded values, not both")
	}
	if v, ok := r.inputs["customErrorResponses"]; ok && v.IsArray() {
		for _, e := range v.ArrayValue() {
			o := e.ObjectValue()
			if !cloudFrontErrorCodes[int(number(o, "errorCode"))] {
				return "", nil, fmt.Errorf("InvalidArgument: errorCode %v cannot be customized", number(o, "errorCode"))
			}
			if o.HasValue("responseCode") && !cloudFrontResponseCodes[int(number(o, "responseCode"))] {
				return "", nil, fmt.Errorf("InvalidArgument: responseCode %v is not allowed", number(o, "responseCode"))
			}
		}
	}
	if v, ok := r.inputs["origins"]; ok && v.IsArray() {
		for _, o := range v.ArrayValue() {
			origin := o.ObjectValue()
			domain := origin["domainName"]
			if origin.HasValue("originAccessControlId") && domain.IsString() && strings.Contains(domain.StringValue(), "s3-website") {
				return "", nil, errors.New("InvalidArgument: an origin access control signs requests to an S3 REST endpoint, not a website endpoint")
			}
		}
	}
	for _, alias := range aliases {
		if other, ok := r.cloud.aliasOwner(alias, r.urn); ok {
			return "", nil, fmt.Errorf("CNAMEAlreadyExists: %s is an alias of another distribution (%s)", alias, other)
		}
	}
	id := "E" + upperID(r.urn, 13)
	return id, map[string]any{
		"arn":              "arn:aws:cloudfront::" + AccountID + ":distribution/" + id,
		"domainName":       "d" + strings.ToLower(upperID(r.urn+"domain", 13)) + ".cloudfront.net",
		"hostedZoneId":     CloudFrontZoneID,
		"status":           "Deployed",
		"etag":             "E" + upperID(r.urn+"etag", 13),
		"callerReference":  "terraform-" + hashDigits(r.urn, 20),
		"lastModifiedTime": "2026-01-01 00:00:00 +0000 UTC",
	}, nil
}

// bucketSetting answers the resources that configure one bucket: their id is the bucket's name.
func bucketSetting(r *request) (string, map[string]any, error) {
	if r.str("bucket") == "" {
		return "", nil, errors.New("InvalidRequest: no bucket")
	}
	return r.str("bucket"), map[string]any{}, nil
}

func (c *Cloud) blocksPublicPolicy(bucket string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range c.resources {
		if r.Type == "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock" && r.ID == bucket {
			v := r.Inputs["blockPublicPolicy"]
			return v.IsBool() && v.BoolValue()
		}
	}
	return false
}

func (c *Cloud) aliasOwner(alias, except string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range c.resources {
		if r.Type != "aws:cloudfront/distribution:Distribution" || r.URN == except {
			continue
		}
		if v, ok := r.Inputs["aliases"]; ok && v.IsArray() {
			for _, a := range v.ArrayValue() {
				if a.IsString() && a.StringValue() == alias {
					return r.URN, true
				}
			}
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
