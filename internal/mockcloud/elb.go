package mockcloud

import (
	"fmt"
	"strings"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
)

// The inputs of the load balancer's resources that their simulations read.
type (
	targetGroupAttachmentInputs struct {
		TargetGroupArn string `pulumi:"targetGroupArn"`
		TargetID       string `pulumi:"targetId"`
	}
	loadBalancerInputs struct {
		Subnets        []string `pulumi:"subnets"`
		SecurityGroups []string `pulumi:"securityGroups"`
		IPAddressType  string   `pulumi:"ipAddressType"`
		Internal       bool     `pulumi:"internal"`
		AccessLogs     struct {
			Enabled bool   `pulumi:"enabled"`
			Bucket  string `pulumi:"bucket"`
			Prefix  string `pulumi:"prefix"`
		} `pulumi:"accessLogs"`
	}
	targetGroupInputs struct {
		VpcID       string  `pulumi:"vpcId"`
		TargetType  string  `pulumi:"targetType"`
		Port        float64 `pulumi:"port"`
		HealthCheck struct {
			Port               string  `pulumi:"port"`
			Path               string  `pulumi:"path"`
			Interval           float64 `pulumi:"interval"`
			Timeout            float64 `pulumi:"timeout"`
			HealthyThreshold   float64 `pulumi:"healthyThreshold"`
			UnhealthyThreshold float64 `pulumi:"unhealthyThreshold"`
		} `pulumi:"healthCheck"`
	}
	listenerAction struct {
		Type           string `pulumi:"type"`
		TargetGroupArn string `pulumi:"targetGroupArn"`
		FixedResponse  *struct {
			StatusCode string `pulumi:"statusCode"`
		} `pulumi:"fixedResponse"`
		Redirect *redirectAction `pulumi:"redirect"`
	}
	redirectAction struct {
		Protocol   string `pulumi:"protocol"`
		Host       string `pulumi:"host"`
		Port       string `pulumi:"port"`
		Path       string `pulumi:"path"`
		Query      string `pulumi:"query"`
		StatusCode string `pulumi:"statusCode"`
	}
	listenerInputs struct {
		LoadBalancerArn string           `pulumi:"loadBalancerArn"`
		Port            float64          `pulumi:"port"`
		Protocol        string           `pulumi:"protocol"`
		CertificateArn  string           `pulumi:"certificateArn"`
		SslPolicy       string           `pulumi:"sslPolicy"`
		DefaultActions  []listenerAction `pulumi:"defaultActions"`
	}
	listenerCertificateInputs struct {
		ListenerArn    string `pulumi:"listenerArn"`
		CertificateArn string `pulumi:"certificateArn"`
	}
	conditionValues struct {
		Values []string `pulumi:"values"`
	}
	listenerRuleInputs struct {
		ListenerArn string  `pulumi:"listenerArn"`
		Priority    float64 `pulumi:"priority"`
		Conditions  []struct {
			HostHeader        *conditionValues `pulumi:"hostHeader"`
			HTTPRequestMethod *conditionValues `pulumi:"httpRequestMethod"`
			PathPattern       *conditionValues `pulumi:"pathPattern"`
			SourceIP          *conditionValues `pulumi:"sourceIp"`
			HTTPHeader        *struct {
				HTTPHeaderName string   `pulumi:"httpHeaderName"`
				Values         []string `pulumi:"values"`
			} `pulumi:"httpHeader"`
			QueryStrings []any `pulumi:"queryStrings"`
		} `pulumi:"conditions"`
		Actions []listenerAction `pulumi:"actions"`
	}
)

func simulateTargetGroupAttachment(r *request) (string, map[string]any, error) {
	in, err := decode[targetGroupAttachmentInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	tg, ok := r.cloud.findOutput(awstype.TargetGroup, "arn", in.TargetGroupArn)
	if !ok {
		return "", nil, errorf("TargetGroupNotFound", "target group %q does not exist", in.TargetGroupArn)
	}
	vpc := storedInputs[targetGroupInputs](tg).VpcID
	target, ok := r.cloud.instance(in.TargetID)
	if !ok && r.cloud.assumed("instance", in.TargetID, "a running instance in "+vpc) {
		target, ok = Instance{ID: in.TargetID, VpcID: vpc}, true
	}
	if !ok {
		return "", nil, errorf("InvalidTarget", "the instance %q does not exist", in.TargetID)
	}
	if target.VpcID != vpc {
		return "", nil, errorf("InvalidTarget", "the instance %s is not in the target group's VPC %s", target.ID, vpc)
	}
	return in.TargetGroupArn + "-" + hashDigits(r.seed(), 19), map[string]any{}, nil
}

func loadBalancer(r *request) (string, map[string]any, error) {
	zoneID, ok := ALBZoneID(r.region())
	if !ok {
		return "", nil, fmt.Errorf("mockcloud: no ALB hosted zone id known for region %s", r.region())
	}
	in, err := decode[loadBalancerInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	zones := map[string]string{}
	vpc := ""
	for _, id := range in.Subnets {
		s, ok := r.cloud.subnet(id)
		if !ok {
			return "", nil, errorf("SubnetNotFound", "the subnet %q does not exist", id)
		}
		if other, dup := zones[s.AvailabilityZone]; dup {
			return "", nil, errorf("InvalidConfigurationRequest", "a load balancer cannot be attached to multiple subnets in the same Availability Zone (%s and %s in %s)", other, id, s.AvailabilityZone)
		}
		zones[s.AvailabilityZone] = id
		if vpc != "" && s.VpcID != vpc {
			return "", nil, errorf("InvalidConfigurationRequest", "the subnets of a load balancer must be in one VPC (%s is in %s, not %s)", id, s.VpcID, vpc)
		}
		vpc = s.VpcID
		if in.IPAddressType == "dualstack" && s.IPv6CIDR == "" {
			return "", nil, errorf("ValidationError", "subnet %s has no IPv6 CIDR block; a dualstack load balancer needs one in every subnet", id)
		}
	}
	if len(zones) < 2 {
		return "", nil, errorf("ValidationError", "at least two subnets in two different Availability Zones must be specified")
	}
	if !in.Internal && !r.internetGatewayReady(vpc) {
		return "", nil, errorf("InvalidSubnet", "VPC %s has no internet gateway", vpc)
	}
	for _, sg := range in.SecurityGroups {
		if sgVPC, ok := r.cloud.securityGroupVPC(sg); !ok || sgVPC != vpc {
			return "", nil, errorf("InvalidConfigurationRequest", "the security group %q is not in %s", sg, vpc)
		}
	}
	if err := r.checkLoadBalancerLogs(in); err != nil {
		return "", nil, err
	}
	name := r.physicalName(32)
	suffix := r.hex("id", 16)
	arn := r.arn("elasticloadbalancing", "loadbalancer/app/"+name+"/"+suffix)
	out := map[string]any{
		"arn":       arn,
		"arnSuffix": "app/" + name + "/" + suffix,
		"name":      name,
		"dnsName":   fmt.Sprintf("%s-%s.%s.elb.amazonaws.com", name, hashDigits(r.seed(), 10), r.region()),
		"zoneId":    zoneID,
		"vpcId":     vpc,
	}
	if len(in.SecurityGroups) == 0 {
		// AWS gives an ALB without security groups the VPC's default group, which admits
		// nothing from the internet.
		out["securityGroups"] = []any{"sg-" + hashHex(vpc+"default", 17)}
	}
	return arn, out, nil
}

// internetGatewayReady reports whether an internet gateway is attached to the VPC when the load
// balancer is created: for a gateway the stack creates, only if the load balancer waits for it
// (depends on it), since otherwise the engine may create both at once.
func (r *request) internetGatewayReady(vpc string) bool {
	for _, g := range r.cloud.ofType(awstype.InternetGateway) {
		if storedInputs[internetGatewayInputs](g).VpcID == vpc {
			return r.dependsOn(g.URN)
		}
	}
	return r.cloud.hasInternetGateway(vpc)
}

func targetGroup(r *request) (string, map[string]any, error) {
	in, err := decode[targetGroupInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	hc := in.HealthCheck
	interval, timeout := hc.Interval, hc.Timeout
	if interval != 0 && (interval < 5 || interval > 300) {
		return "", nil, errorf("ValidationError", "health check interval %v is not 5-300 seconds", interval)
	}
	if interval != 0 && timeout != 0 && timeout >= interval {
		return "", nil, errorf("ValidationError", "health check timeout (%v) must be smaller than the interval (%v)", timeout, interval)
	}
	for _, t := range []struct {
		name  string
		value float64
	}{{"healthyThreshold", hc.HealthyThreshold}, {"unhealthyThreshold", hc.UnhealthyThreshold}} {
		if t.value != 0 && (t.value < 2 || t.value > 10) {
			return "", nil, errorf("ValidationError", "health check %s %v is not 2-10", t.name, t.value)
		}
	}
	if in.TargetType != "lambda" {
		if _, _, ok := r.cloud.vpc(in.VpcID); !ok {
			return "", nil, errorf("ValidationError", "a target group of instances needs an existing VPC, not %q", in.VpcID)
		}
	}
	name := r.physicalName(32)
	arn := r.arn("elasticloadbalancing", "targetgroup/"+name+"/"+r.hex("id", 16))
	return arn, map[string]any{"arn": arn, "arnSuffix": strings.SplitN(arn, ":", 6)[5], "name": name}, nil
}

func listener(r *request) (string, map[string]any, error) {
	in, err := decode[listenerInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	lb, ok := r.cloud.findOutput(awstype.LoadBalancer, "arn", in.LoadBalancerArn)
	if !ok {
		return "", nil, errorf("LoadBalancerNotFound", "load balancer %q does not exist", in.LoadBalancerArn)
	}
	// "DuplicateListener: A listener with the specified port already exists" (CreateListener,
	// Elastic Load Balancing API Reference: docs.aws.amazon.com/elasticloadbalancing/latest/
	// APIReference/API_CreateListener.html).
	for _, other := range r.others(awstype.Listener) {
		if o := storedInputs[listenerInputs](other); o.LoadBalancerArn == in.LoadBalancerArn && o.Port == in.Port {
			return "", nil, errorf("DuplicateListener", "the load balancer has a listener on %v already", in.Port)
		}
	}
	if in.Protocol == "HTTPS" {
		if err := r.issuedCertificate(in.CertificateArn, r.region(), nil); err != nil {
			return "", nil, err
		}
		if policy := in.SslPolicy; policy != "" && !strings.HasPrefix(policy, "ELBSecurityPolicy-") {
			return "", nil, errorf("SSLPolicyNotFound", "SSL policy %q does not exist", policy)
		}
	}
	for _, a := range in.DefaultActions {
		if a.Type != "forward" {
			continue
		}
		tg, ok := r.cloud.findOutput(awstype.TargetGroup, "arn", a.TargetGroupArn)
		if !ok {
			return "", nil, errorf("TargetGroupNotFound", "target group %q does not exist", a.TargetGroupArn)
		}
		if vpc := storedInputs[targetGroupInputs](tg).VpcID; vpc != stringArg(lb.out(), "vpcId") {
			return "", nil, errorf("ValidationError", "the target group is in %s, the load balancer in %s", vpc, stringArg(lb.out(), "vpcId"))
		}
	}
	arn := strings.Replace(lb.ID, ":loadbalancer/", ":listener/", 1) + "/" + r.hex("id", 16)
	return arn, map[string]any{"arn": arn}, nil
}

// issuedCertificate refuses a certificate that does not exist in region, is not issued, or does
// not cover every one of names. A certificate this account issues only once its validation
// completes, so the resource that uses it must wait for (depend on) the validation.
func (r *request) issuedCertificate(arn, region string, names []string) error {
	if arn == "" {
		return errorf("ValidationError", "a certificate is required")
	}
	if got := arnRegion(arn); got != region {
		return errorf("CertificateNotFound", "certificate %s is in %s; it must be in %s", arn, got, region)
	}
	cert, ok := r.cloud.certificate(arn)
	if !ok {
		return errorf("CertificateNotFound", "certificate %s does not exist", arn)
	}
	if created, ok := r.cloud.findOutput(awstype.Certificate, "arn", arn); ok {
		validated := false
		for _, v := range r.cloud.ofType(awstype.CertificateValidation) {
			if storedInputs[certificateValidationInputs](v).CertificateArn == arn && r.dependsOn(v.URN) {
				validated = true
			}
		}
		if !validated {
			return errorf("UnsupportedCertificate", "certificate %s is %s: use it only after its validation (%s) completes",
				arn, stringArg(created.out(), "status"), "the certificateArn output of its CertificateValidation")
		}
	}
	if cert.Status != "ISSUED" {
		return errorf("UnsupportedCertificate", "certificate %s is %s, not ISSUED", arn, cert.Status)
	}
	for _, n := range names {
		if !cert.covers(n) {
			return errorf("InvalidViewerCertificate", "certificate %s does not cover %s (it covers %s)", arn, n, strings.Join(cert.Names, ", "))
		}
	}
	return nil
}

func arnRegion(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[3]
}

// listenerOf finds the listener an ARN names.
func (r *request) listenerOf(arn string) (*Resource, error) {
	l, ok := r.cloud.findOutput(awstype.Listener, "arn", arn)
	if !ok {
		return nil, errorf("ListenerNotFound", "listener %q does not exist", arn)
	}
	return l, nil
}

func listenerCertificate(r *request) (string, map[string]any, error) {
	in, err := decode[listenerCertificateInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	l, err := r.listenerOf(in.ListenerArn)
	if err != nil {
		return "", nil, err
	}
	if storedInputs[listenerInputs](l).Protocol != "HTTPS" {
		return "", nil, errorf("InvalidConfigurationRequest", "certificates can only be added to an HTTPS or TLS listener")
	}
	if err := r.issuedCertificate(in.CertificateArn, r.region(), nil); err != nil {
		return "", nil, err
	}
	return in.ListenerArn + "_" + in.CertificateArn, map[string]any{}, nil
}

func listenerRule(r *request) (string, map[string]any, error) {
	in, err := decode[listenerRuleInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	l, err := r.listenerOf(in.ListenerArn)
	if err != nil {
		return "", nil, err
	}
	priority := int(in.Priority)
	if priority < 1 || priority > 50000 {
		return "", nil, errorf("ValidationError", "priority %d is not 1-50000", priority)
	}
	for _, other := range r.cloud.ofType(awstype.ListenerRule) {
		if o := storedInputs[listenerRuleInputs](other); o.ListenerArn == in.ListenerArn && int(o.Priority) == priority {
			return "", nil, errorf("PriorityInUse", "priority %d is in use on the listener", priority)
		}
	}
	values := 0
	for _, c := range in.Conditions {
		var kinds []*conditionValues
		if h := c.HTTPHeader; h != nil {
			if n := h.HTTPHeaderName; n == "" || len(n) > 40 {
				return "", nil, errorf("ValidationError", "an HTTP header condition needs a header name of at most 40 characters, not %q", n)
			}
			kinds = append(kinds, &conditionValues{Values: h.Values})
		}
		values += len(c.QueryStrings)
		kinds = append(kinds, c.HostHeader, c.HTTPRequestMethod, c.PathPattern, c.SourceIP)
		for _, kind := range kinds {
			if kind == nil {
				continue
			}
			for _, v := range kind.Values {
				values++
				if len(v) > 128 {
					return "", nil, errorf("ValidationError", "a condition value has at most 128 characters")
				}
			}
		}
	}
	if values == 0 || values > 5 {
		return "", nil, errorf("ValidationError", "a rule needs 1-5 condition values, not %d", values)
	}
	for _, a := range in.Actions {
		if a.Type == "forward" {
			if _, ok := r.cloud.findOutput(awstype.TargetGroup, "arn", a.TargetGroupArn); !ok {
				return "", nil, errorf("TargetGroupNotFound", "target group %q does not exist", a.TargetGroupArn)
			}
		}
	}
	arn := strings.Replace(l.ID, ":listener/", ":listener-rule/", 1) + "/" + r.hex("id", 16)
	return arn, map[string]any{"arn": arn}, nil
}
