package mockcloud

import (
	"regexp"
	"slices"
	"strings"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
)

// Lambda: the Lambda@Edge function, and what Lambda@Edge requires of a function a distribution
// names.

// Lambda@Edge's restrictions (CloudFront Developer Guide, "Restrictions on Lambda@Edge"): a
// numbered version of a function in us-east-1, x86_64, without environment variables, within the
// event's timeout.
var (
	edgeEvents        = map[string]int{"viewer-request": 5, "viewer-response": 5, "origin-request": 30, "origin-response": 30}
	edgeRuntimePrefix = []string{"nodejs", "python"}
	qualifiedVersion  = regexp.MustCompile(`^arn:aws:lambda:us-east-1:\d{12}:function:[A-Za-z0-9_-]+:\d+$`)
)

func function(r *request) (string, map[string]any, error) {
	role, ok := r.cloud.findOutput(awstype.Role, "arn", r.str("role"))
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
func (r *request) checkEdgeFunction(association lambdaAssociation) error {
	event, arn := association.EventType, association.LambdaArn
	maxTimeout, ok := edgeEvents[event]
	if !ok {
		return errorf("InvalidLambdaFunctionAssociation", "event type %q is not one of viewer-request, viewer-response, origin-request, origin-response", event)
	}
	if !qualifiedVersion.MatchString(arn) {
		return errorf("InvalidLambdaFunctionAssociation", "%s: a Lambda@Edge association needs a numbered version of a function in us-east-1, not $LATEST or an alias (publish the function)", arn)
	}
	fn, ok := r.cloud.findOutput(awstype.Function, "qualifiedArn", arn)
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
	if role, ok := r.cloud.findOutput(awstype.Role, "arn", stringArg(in, "role")); ok {
		services, _ = trustedServices(stringArg(role.in(), "assumeRolePolicy"))
	}
	if !slices.Contains(services, "edgelambda.amazonaws.com") {
		return errorf("InvalidLambdaFunctionAssociation", "%s: the function's execution role must be assumable by edgelambda.amazonaws.com", arn)
	}
	return nil
}
