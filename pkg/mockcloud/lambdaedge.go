package mockcloud

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
)

// Headers of CloudFront's validation of a Lambda@Edge function's result ("Restrictions on all edge
// functions", CloudFront Developer Guide: docs.aws.amazon.com/AmazonCloudFront/latest/
// DeveloperGuide/edge-function-restrictions-all.html): a function that adds a disallowed header,
// or adds, changes or deletes a read-only one, fails validation and the viewer gets a 502.
var (
	disallowedHeaders = []string{"connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization",
		"proxy-connection", "trailer", "upgrade", "x-accel-buffering", "x-accel-charset", "x-accel-limit-rate",
		"x-accel-redirect", "x-amz-cf-*", "x-amzn-auth", "x-amzn-cf-billing", "x-amzn-cf-id", "x-amzn-cf-xff",
		"x-amzn-errortype", "x-amzn-fle-profile", "x-amzn-header-count", "x-amzn-header-order",
		"x-amzn-lambda-integration-tag", "x-amzn-requestid", "x-cache", "x-edge-*", "x-forwarded-proto", "x-real-ip"}
	readOnlyHeaders = map[string][]string{
		"origin-request": {"accept-encoding", "content-length", "if-modified-since", "if-none-match", "if-range",
			"if-unmodified-since", "transfer-encoding", "via"},
		"origin-response": {"transfer-encoding", "via"},
	}
)

// maxGeneratedResponse is the most a function may return as a response in origin request and
// origin response events, headers and body ("Quotas on Lambda@Edge", CloudFront Developer
// Guide): 1 MB.
const maxGeneratedResponse = 1 << 20

// ValidateEdgeResult applies CloudFront's validation to what a Lambda@Edge function returned
// (result) for an event, both as the function sees them (JSON decoded): an error is CloudFront's
// 502 to the viewer.
func ValidateEdgeResult(event, result map[string]any) error {
	cf := event["Records"].([]any)[0].(map[string]any)["cf"].(map[string]any)
	eventType := cf["config"].(map[string]any)["eventType"].(string)
	before := cf["request"].(map[string]any)["headers"].(map[string]any)
	if eventType == "origin-response" {
		before = cf["response"].(map[string]any)["headers"].(map[string]any)
	}
	after, _ := result["headers"].(map[string]any)
	for name := range after {
		for _, pattern := range disallowedHeaders {
			if matched, _ := filepath.Match(pattern, name); matched && before[name] == nil {
				return fmt.Errorf("it adds the disallowed header %s", name)
			}
		}
	}
	for _, name := range readOnlyHeaders[eventType] {
		if !reflect.DeepEqual(before[name], after[name]) {
			return fmt.Errorf("it adds, changes or deletes the read-only header %s (%v to %v)", name, before[name], after[name])
		}
	}
	if encoded, _ := json.Marshal(result); eventType == "origin-response" && len(encoded) > maxGeneratedResponse {
		return fmt.Errorf("its response is %d bytes, over 1 MB", len(encoded))
	}
	return nil
}
