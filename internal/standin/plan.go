package standin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
)

// Plan is what a world is made from: a plan of the stack, as `go run ./cmd/plan` writes it, as
// far as the world reads it, and the simulated account the plan left behind. Its outputs are the
// stack's outputs; its health check and records are what moto gets; the account answers DNS and
// HTTPS.
type Plan struct {
	// Config is the stack's config, by namespaced key ("aws:region").
	Config map[string]string `json:"config"`
	// Outputs are the stack's outputs.
	Outputs map[string]any `json:"outputs"`
	// Resources are the planned resources.
	Resources []plannedResource `json:"resources"`

	// accountFile holds the simulated account; each world reads its own copy.
	accountFile string
}

// plannedResource is a resource of a plan: its type, id, inputs and outputs.
type plannedResource struct {
	Type    string         `json:"type"`
	ID      string         `json:"id"`
	Inputs  map[string]any `json:"inputs"`
	Outputs map[string]any `json:"outputs"`
}

// PlanStack plans the example stack named stack of the project in projectDir with the plan
// command (go run ./cmd/plan -stack NAME -save-account FILE), keeping the account in dir.
func PlanStack(projectDir, stack, dir string) (*Plan, error) {
	accountFile := filepath.Join(dir, stack+".account.json")
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("go", "run", "./cmd/plan", "-stack", stack, "-save-account", accountFile)
	cmd.Dir, cmd.Stdout, cmd.Stderr = projectDir, &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("planning the %s stack: %v\n%s", stack, err, stderr.String())
	}
	var p Plan
	if err := json.Unmarshal(stdout.Bytes(), &p); err != nil {
		return nil, fmt.Errorf("the plan of the %s stack: %w", stack, err)
	}
	p.accountFile = accountFile
	return &p, nil
}

// account reads a copy of the simulated account the plan left behind.
func (p *Plan) account() (*mockcloud.Account, error) {
	return mockcloud.LoadAccount(p.accountFile)
}

// Region is the stack's region.
func (p *Plan) Region() string { return p.Config["aws:region"] }

// Names are the served names.
func (p *Plan) Names() []string { return p.strings("servedNames") }

// Edge reports whether the stack fails over at CloudFront.
func (p *Plan) Edge() bool { return p.Outputs["failoverMode"] == "edge" }

func (p *Plan) str(key string) string {
	s, _ := p.Outputs[key].(string)
	return s
}

func (p *Plan) strings(key string) []string {
	var out []string
	list, _ := p.Outputs[key].([]any)
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// healthCheck is the plan's health check as Route 53's CreateHealthCheck takes it
// (HealthCheckConfig, Route 53 API Reference), from the inputs pulumi-aws maps onto it
// (aws.route53.HealthCheck, Pulumi Registry).
func (p *Plan) healthCheck() (map[string]any, error) {
	for _, r := range p.Resources {
		if r.Type != awstype.HealthCheck {
			continue
		}
		in := r.Inputs
		config := map[string]any{
			"Type": in["type"], "FullyQualifiedDomainName": in["fqdn"], "Port": in["port"], "ResourcePath": in["resourcePath"],
			"RequestInterval": in["requestInterval"], "FailureThreshold": in["failureThreshold"], "EnableSNI": in["enableSni"],
			"Inverted": in["invertHealthcheck"],
		}
		if regions, ok := in["regions"]; ok {
			config["Regions"] = regions
		}
		return config, nil
	}
	return nil, fmt.Errorf("the plan has no %s", awstype.HealthCheck)
}

// recordSets are the plan's records of the served names as Route 53's ChangeResourceRecordSets
// takes them (ResourceRecordSet, Route 53 API Reference), from the inputs pulumi-aws maps onto
// it (aws.route53.Record, Pulumi Registry). A record that names a health check names "{check}".
func (p *Plan) recordSets() []map[string]any {
	var out []map[string]any
	names := p.Names()
	for _, r := range p.Resources {
		name, _ := r.Inputs["name"].(string)
		if r.Type != awstype.Record || !slices.Contains(names, name) {
			continue
		}
		in := r.Inputs
		set := map[string]any{"Name": name, "Type": in["type"]}
		if id, ok := in["setIdentifier"]; ok {
			set["SetIdentifier"] = id
		}
		if policies, _ := in["failoverRoutingPolicies"].([]any); len(policies) > 0 {
			set["Failover"] = policies[0].(map[string]any)["type"]
		}
		if _, ok := in["healthCheckId"]; ok {
			set["HealthCheckId"] = "{check}"
		}
		if aliases, _ := in["aliases"].([]any); len(aliases) > 0 {
			alias := aliases[0].(map[string]any)
			set["AliasTarget"] = map[string]any{"DNSName": alias["name"], "HostedZoneId": alias["zoneId"], "EvaluateTargetHealth": alias["evaluateTargetHealth"]}
		}
		out = append(out, set)
	}
	return out
}

// one returns the inputs and outputs of the plan's only resource of typ.
func (p *Plan) one(typ string) (inputs, outputs map[string]any, err error) {
	found := 0
	for _, r := range p.Resources {
		if r.Type == typ {
			inputs, outputs = r.Inputs, r.Outputs
			found++
		}
	}
	if found != 1 {
		return nil, nil, fmt.Errorf("the plan has %d resources of type %s, want one", found, typ)
	}
	return inputs, outputs, nil
}

// compute is the plan's network, target group, launch template and Auto Scaling group as the
// EC2, Elastic Load Balancing and Auto Scaling APIs take them (CreateVpc, CreateSubnet,
// CreateTargetGroup, CreateLaunchTemplate, CreateAutoScalingGroup), from the inputs pulumi-aws maps
// onto them (aws.ec2.Vpc, aws.ec2.Subnet, aws.lb.TargetGroup, aws.ec2.LaunchTemplate,
// aws.autoscaling.Group, Pulumi Registry), under the names the plan gave them.
func (p *Plan) compute() (map[string]any, error) {
	vpc, _, err := p.one(awstype.VPC)
	if err != nil {
		return nil, err
	}
	var subnets []any
	for _, r := range p.Resources {
		if r.Type == awstype.Subnet {
			subnets = append(subnets, r.Inputs["cidrBlock"])
		}
	}
	tgIn, tgOut, err := p.one(awstype.TargetGroup)
	if err != nil {
		return nil, err
	}
	check, _ := tgIn["healthCheck"].(map[string]any)
	ltIn, ltOut, err := p.one(awstype.LaunchTemplate)
	if err != nil {
		return nil, err
	}
	groupIn, groupOut, err := p.one(awstype.AutoScalingGroup)
	if err != nil {
		return nil, err
	}
	desired := groupIn["desiredCapacity"]
	if desired == nil {
		desired = groupIn["minSize"]
	}
	return map[string]any{
		"vpcCidr": vpc["cidrBlock"], "subnetCidrs": subnets,
		"targetGroup": map[string]any{"Name": tgOut["name"], "Protocol": tgIn["protocol"], "Port": tgIn["port"],
			"HealthCheckPath": check["path"], "TargetType": "instance"},
		"launchTemplate": map[string]any{"LaunchTemplateName": ltOut["name"], "InstanceType": ltIn["instanceType"]},
		"group": map[string]any{"AutoScalingGroupName": groupOut["name"], "MinSize": groupIn["minSize"],
			"MaxSize": groupIn["maxSize"], "DesiredCapacity": desired},
	}, nil
}

// certificates are the plan's certificates in the order of its certificateArns output, each with
// its region (from its ARN) and its names (DomainName and SubjectAlternativeNames, as
// RequestCertificate takes them: ACM API Reference).
func (p *Plan) certificates() ([]map[string]any, error) {
	var out []map[string]any
	for _, arn := range p.strings("certificateArns") {
		i := slices.IndexFunc(p.Resources, func(r plannedResource) bool { return r.Type == awstype.Certificate && r.ID == arn })
		if i < 0 {
			return nil, fmt.Errorf("the plan has no certificate %s", arn)
		}
		in := p.Resources[i].Inputs
		names := []any{in["domainName"]}
		if sans, ok := in["subjectAlternativeNames"].([]any); ok {
			names = append(names, sans...)
		}
		out = append(out, map[string]any{"region": strings.Split(arn, ":")[3], "names": names})
	}
	return out, nil
}

// Outputs are the stack's outputs as the deployed stack in moto has them: the plan's, with the
// ids moto gave its resources.
func (w *World) Outputs() map[string]any {
	out := map[string]any{}
	for k, v := range w.plan.Outputs {
		out[k] = v
	}
	r := w.Resources
	out["hostedZoneId"], out["healthCheckId"], out["targetGroupArn"] = r.ZoneID, r.HealthCheckID, r.TargetGroupARN
	out["nameServers"] = toAny(r.NameServers)
	out["certificateArns"] = toAny(r.CertificateARNs)
	return out
}

func toAny(list []string) []any {
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = s
	}
	return out
}
