package mockcloud

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"reflect"
	"strconv"
	"sync"
	"time"

	"github.com/dop251/goja"
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
	records, _ := event["Records"].([]any)
	var record map[string]any
	if len(records) > 0 {
		record, _ = records[0].(map[string]any)
	}
	cf, _ := record["cf"].(map[string]any)
	config, _ := cf["config"].(map[string]any)
	eventType, _ := config["eventType"].(string)
	message, _ := cf["request"].(map[string]any)
	if eventType == "origin-response" {
		message, _ = cf["response"].(map[string]any)
	}
	if eventType == "" || message == nil {
		return errors.New("not a Lambda@Edge event: no config.eventType, or no request or response")
	}
	before, _ := message["headers"].(map[string]any)
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
	// A response's status is required, and a 204 carries no body ("Generate HTTP responses in
	// request triggers", Programming model, CloudFront Developer Guide).
	status, isResponse := result["status"]
	if eventType == "origin-response" && !isResponse {
		return errors.New("its response has no status")
	}
	if body, _ := result["body"].(string); isResponse && fmt.Sprint(status) == "204" && body != "" {
		return errors.New("its 204 response has a body")
	}
	return nil
}

// Lambda@Edge's answers when a function cannot run, or returns what fails validation
// ("Troubleshooting Lambda@Edge", CloudFront Developer Guide: "HTTP 502 status code (Lambda
// validation error)", "HTTP 503 status code (Lambda execution error)").
const (
	edgeValidationError = 502
	edgeExecutionError  = 503
)

// edgeRunTime bounds one run of a function in the model: the model's functions do no I/O, so
// one that takes longer loops (Lambda@Edge would time it out: an execution error).
const edgeRunTime = 2 * time.Second

// compiled holds each function source compiled once: the visitor model runs the same function
// for every visit.
var compiled sync.Map // source → *goja.Program

// RunEdgeFunction runs a Node.js Lambda@Edge function (its source sets exports.handler) on an
// event as Lambda@Edge calls it, in a JavaScript interpreter, and applies CloudFront's
// validation to what it returns (ValidateEdgeResult). On an error, status is what CloudFront
// answers the viewer: 503 when the function throws, rejects or runs too long, 502 when its
// result fails validation.
func RunEdgeFunction(source string, event map[string]any) (result map[string]any, status int, err error) {
	program, ok := compiled.Load(source)
	if !ok {
		p, err := goja.Compile("index.js", source, true)
		if err != nil {
			return nil, edgeExecutionError, fmt.Errorf("the function does not load: %w", err)
		}
		program, _ = compiled.LoadOrStore(source, p)
	}
	vm := goja.New()
	timer := time.AfterFunc(edgeRunTime, func() { vm.Interrupt("timeout") })
	defer timer.Stop()
	exports := vm.NewObject()
	module := vm.NewObject()
	if err := errors.Join(module.Set("exports", exports), vm.Set("module", module), vm.Set("exports", exports)); err != nil {
		return nil, edgeExecutionError, err
	}
	if _, err := vm.RunProgram(program.(*goja.Program)); err != nil {
		return nil, edgeExecutionError, fmt.Errorf("the function does not load: %w", err)
	}
	var handler goja.Callable
	if exported := module.Get("exports"); exported != nil && !goja.IsUndefined(exported) && !goja.IsNull(exported) {
		handler, ok = goja.AssertFunction(exported.ToObject(vm).Get("handler"))
	}
	if handler == nil {
		return nil, edgeExecutionError, errors.New("the function exports no handler")
	}
	encoded, err := json.Marshal(event)
	if err != nil {
		return nil, edgeExecutionError, err
	}
	parse, _ := goja.AssertFunction(vm.Get("JSON").ToObject(vm).Get("parse"))
	stringify, _ := goja.AssertFunction(vm.Get("JSON").ToObject(vm).Get("stringify"))
	arg, err := parse(goja.Undefined(), vm.ToValue(string(encoded)))
	if err != nil {
		return nil, edgeExecutionError, err
	}
	returned, err := handler(goja.Undefined(), arg)
	if err != nil {
		return nil, edgeExecutionError, fmt.Errorf("the function throws: %w", err)
	}
	// An async handler returns a promise, which the interpreter settles before the call returns.
	if promise, ok := returned.Export().(*goja.Promise); ok {
		switch promise.State() {
		case goja.PromiseStateRejected:
			return nil, edgeExecutionError, fmt.Errorf("the function rejects: %v", promise.Result())
		case goja.PromiseStatePending:
			return nil, edgeExecutionError, errors.New("the function never returns")
		}
		returned = promise.Result()
	}
	text, err := stringify(goja.Undefined(), returned)
	if err != nil {
		return nil, edgeExecutionError, err
	}
	if err := json.Unmarshal([]byte(text.String()), &result); err != nil {
		return nil, edgeExecutionError, fmt.Errorf("the function returns no object: %s", text)
	}
	if err := ValidateEdgeResult(event, result); err != nil {
		return nil, edgeValidationError, err
	}
	return result, 0, nil
}

// EdgeEvent is a Lambda@Edge event of eventType shaped as AWS documents it ("Lambda@Edge event
// structure", CloudFront Developer Guide): the distribution's config, the request and, in
// origin-response events, the origin's response.
func EdgeEvent(eventType string, request, response map[string]any) map[string]any {
	cf := map[string]any{"config": map[string]any{"distributionDomainName": "d111111abcdef8.cloudfront.net",
		"distributionId": "EDFDVBD6EXAMPLE", "eventType": eventType, "requestId": "4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ=="},
		"request": request}
	if response != nil {
		cf["response"] = response
	}
	return map[string]any{"Records": []any{map[string]any{"cf": cf}}}
}

// EdgeHeader is one header as Lambda@Edge events carry it: under its lower-case name, a list
// of key and value.
func EdgeHeader(key, value string) []any { return []any{map[string]any{"key": key, "value": value}} }

// EdgeRequest is a visitor's request as an origin-facing function sees it, bound for origin
// (an "s3" or "custom" origin object), with the headers CloudFront sends and extra ones.
func EdgeRequest(method, uri, query string, origin map[string]any, extra map[string]any) map[string]any {
	headers := map[string]any{"host": EdgeHeader("Host", "example.com"), "user-agent": EdgeHeader("User-Agent", "curl/8.5.0"),
		"via":             EdgeHeader("Via", "2.0 2afae0d44e2540f472c0635ab62c232b.cloudfront.net (CloudFront)"),
		"x-forwarded-for": EdgeHeader("X-Forwarded-For", "203.0.113.178")}
	for k, v := range extra {
		headers[k] = v
	}
	return map[string]any{"clientIp": "203.0.113.178", "headers": headers, "method": method, "origin": origin, "querystring": query, "uri": uri}
}

// EdgeResponse is an S3 origin's answer of status as an origin-response function sees it.
func EdgeResponse(status int) map[string]any {
	return map[string]any{"status": strconv.Itoa(status), "statusDescription": http.StatusText(status), "headers": map[string]any{
		"content-type": EdgeHeader("Content-Type", "text/html"), "server": EdgeHeader("Server", "AmazonS3")}}
}
