package edgefailover

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"strings"
	"text/template"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/naming"
)

const (
	// functionRuntime is a Node.js runtime Lambda@Edge supports, years from deprecation.
	functionRuntime = "nodejs22.x"
	// functionTimeout is the function's timeout; it only rewrites a request or a status.
	functionTimeout = 5
	// basicExecutionPolicy lets the function write its logs.
	basicExecutionPolicy = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
)

// Function is the Lambda@Edge function that turns a failed-over request into the error page.
type Function struct {
	// Function is the function, in us-east-1 as Lambda@Edge requires; it is kept on AWS when
	// it leaves the stack (see FailoverFunctionCode).
	Function *lambda.Function
	// Role is its execution role, which Lambda and Lambda@Edge may assume.
	Role *iam.Role
}

//go:embed edgefunction/index.js
var failoverFunctionSource string

var failoverFunctionTemplate = template.Must(template.New("index.js").Parse(failoverFunctionSource))

// FailoverFunctionCode is the source of the Lambda@Edge function, for the page at pagePath and
// the status code: on a request the origin group sends to the bucket (which it does only after
// the main site failed it) it asks for the page; on the bucket's answer it sets the status and
// Cache-Control: no-store (which CloudFront ignores for most errors: uncachedErrors keeps the
// status out of its cache). The main site's own answers pass untouched.
func FailoverFunctionCode(pagePath string, status int) string {
	var b strings.Builder
	_ = failoverFunctionTemplate.Execute(&b, map[string]any{
		"PagePath": pagePath, "Status": status, "StatusText": http.StatusText(status),
	})
	return b.String()
}

// trustPolicy lets Lambda and the Lambda@Edge replicas assume the function's role.
func trustPolicy() string {
	doc, _ := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": []string{"edgelambda.amazonaws.com", "lambda.amazonaws.com"}},
			"Action":    "sts:AssumeRole",
		}},
	})
	return string(doc)
}

// newFunction creates the failover function (with the us-east-1 provider among opts), published,
// so that the distribution can name a numbered version as Lambda@Edge requires. Lambda@Edge keeps
// replicas of a function for hours after its last distribution lets go of it, and refuses to
// delete it until then, so the function is left on AWS (skipDestroy) when it leaves the stack.
func newFunction(ctx *pulumi.Context, name string, status int, tags pulumi.StringMap, moved naming.Moved,
	opts ...pulumi.ResourceOption) (*Function, error) {
	fnName := naming.Child(name, "failover")
	roleName := naming.Child(fnName, "role")
	role, err := iam.NewRole(ctx, roleName, &iam.RoleArgs{
		Description:      pulumi.String("Lambda@Edge failover function of " + name),
		AssumeRolePolicy: pulumi.String(trustPolicy()),
		Tags:             naming.Tags(name, roleName, tags),
	}, append(opts, moved.Of("failover", "role"))...)
	if err != nil {
		return nil, err
	}
	logs, err := iam.NewRolePolicyAttachment(ctx, roleName, &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pulumi.String(basicExecutionPolicy),
	}, append(opts, moved.Of("failover", "role"))...)
	if err != nil {
		return nil, err
	}
	fn, err := lambda.NewFunction(ctx, fnName, &lambda.FunctionArgs{
		Description:   pulumi.String("Serves " + name + "'s error page for requests the main site failed"),
		Runtime:       pulumi.String(functionRuntime),
		Architectures: pulumi.ToStringArray([]string{"x86_64"}), // Lambda@Edge runs x86_64 only
		Handler:       pulumi.String("index.handler"),
		Role:          role.Arn,
		Timeout:       pulumi.Int(functionTimeout),
		MemorySize:    pulumi.Int(128),
		Publish:       pulumi.Bool(true),
		SkipDestroy:   pulumi.Bool(true),
		Code: pulumi.NewAssetArchive(map[string]any{
			"index.js": pulumi.NewStringAsset(FailoverFunctionCode("/"+PageKey, status)),
		}),
		Tags: naming.Tags(name, fnName, tags),
	}, append(opts, pulumi.DependsOn([]pulumi.Resource{logs}), moved.Of("failover"))...)
	if err != nil {
		return nil, err
	}
	return &Function{Function: fn, Role: role}, nil
}
