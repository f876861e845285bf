package mockcloud

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
)

// IAM: the Lambda@Edge function's role and its managed policy.

// The inputs of a role and a policy attachment that their simulations read.
type (
	roleInputs struct {
		AssumeRolePolicy string `pulumi:"assumeRolePolicy"`
	}
	rolePolicyAttachmentInputs struct {
		Role      string `pulumi:"role"`
		PolicyArn string `pulumi:"policyArn"`
	}
)

// policyAttachment refuses an attachment to a role that does not exist or of something that is
// not a policy ARN.
func policyAttachment(r *request) (string, map[string]any, error) {
	in, err := decode[rolePolicyAttachmentInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	if _, ok := r.cloud.findOutput(awstype.Role, "name", in.Role); !ok {
		return "", nil, errorf("NoSuchEntity", "the role %q does not exist", in.Role)
	}
	if !strings.HasPrefix(in.PolicyArn, "arn:aws:iam::") {
		return "", nil, errorf("InvalidInput", "%q is not a policy ARN", in.PolicyArn)
	}
	return in.Role + "-" + hashDigits(r.seed(), 20), map[string]any{}, nil
}

func role(r *request) (string, map[string]any, error) {
	in, err := decode[roleInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	if _, err := trustedServices(in.AssumeRolePolicy); err != nil {
		return "", nil, errorf("MalformedPolicyDocument", "the assume role policy is not a policy document: %v", err)
	}
	if r.cloud.engine {
		propagated := time.Now().Add(IAMPropagationTime)
		r.after = func(res *Resource) { res.Propagated = propagated }
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
