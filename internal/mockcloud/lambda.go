package mockcloud

import (
	"regexp"
	"slices"
	"strings"
	"time"

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

// functionInputs are the inputs of a function that its simulation and Lambda@Edge's checks read.
type functionInputs struct {
	Role          string    `pulumi:"role"`
	Timeout       float64   `pulumi:"timeout"`
	Publish       bool      `pulumi:"publish"`
	Runtime       string    `pulumi:"runtime"`
	Architectures []string  `pulumi:"architectures"`
	Environment   *struct{} `pulumi:"environment"`
}

func function(r *request) (string, map[string]any, error) {
	in, err := decode[functionInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	role, ok := r.cloud.findOutput(awstype.Role, "arn", in.Role)
	if !ok {
		return "", nil, errorf("InvalidParameterValueException", "the role %q does not exist or cannot be assumed by Lambda", in.Role)
	}
	// CreateFunction (Lambda API Reference) checks that Lambda can assume the execution role: its
	// trust policy names Lambda, and IAM has propagated it. The provider retries the refusal.
	services, _ := trustedServices(storedInputs[roleInputs](role).AssumeRolePolicy)
	if !slices.Contains(services, "lambda.amazonaws.com") || time.Now().Before(role.Propagated) {
		return "", nil, &RetriedError{Window: LambdaRoleWait, err: errorf("InvalidParameterValueException", "The role defined for the function cannot be assumed by Lambda.")}
	}
	if t := in.Timeout; t != 0 && (t < 1 || t > 900) {
		return "", nil, errorf("InvalidParameterValueException", "timeout %v is not 1-900 seconds", t)
	}
	name := r.physicalName(64)
	arn := r.arn("lambda", "function:"+name)
	version := "$LATEST"
	if in.Publish {
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
	in := storedInputs[functionInputs](fn)
	switch {
	case in.Environment != nil:
		return errorf("InvalidLambdaFunctionAssociation", "%s: Lambda@Edge functions cannot have environment variables", arn)
	case slices.Contains(in.Architectures, "arm64"):
		return errorf("InvalidLambdaFunctionAssociation", "%s: Lambda@Edge runs x86_64 functions only", arn)
	case in.Timeout > float64(maxTimeout):
		return errorf("InvalidLambdaFunctionAssociation", "%s: a %s function may run at most %d s, not %v", arn, event, maxTimeout, in.Timeout)
	case !slices.ContainsFunc(edgeRuntimePrefix, func(p string) bool { return strings.HasPrefix(in.Runtime, p) }):
		return errorf("InvalidLambdaFunctionAssociation", "%s: Lambda@Edge runs Node.js and Python functions, not %s", arn, in.Runtime)
	}
	var services []string
	if role, ok := r.cloud.findOutput(awstype.Role, "arn", in.Role); ok {
		services, _ = trustedServices(storedInputs[roleInputs](role).AssumeRolePolicy)
	}
	if !slices.Contains(services, "edgelambda.amazonaws.com") {
		return errorf("InvalidLambdaFunctionAssociation", "%s: the function's execution role must be assumable by edgelambda.amazonaws.com", arn)
	}
	return nil
}
