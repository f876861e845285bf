package mockcloud

import (
	"fmt"
	"strings"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
)

const ()

const ()

func simulateTargetGroupAttachment(r *request) (string, map[string]any, error) {
	tg, ok := r.cloud.findOutput(awstype.TargetGroup, "arn", r.str("targetGroupArn"))
	if !ok {
		return "", nil, errorf("TargetGroupNotFound", "target group %q does not exist", r.str("targetGroupArn"))
	}
	target, ok := r.cloud.instance(r.str("targetId"))
	if !ok && r.cloud.assumed("instance", r.str("targetId"), "a running instance in "+stringArg(tg.in(), "vpcId")) {
		target, ok = Instance{ID: r.str("targetId"), VpcID: stringArg(tg.in(), "vpcId")}, true
	}
	if !ok {
		return "", nil, errorf("InvalidTarget", "the instance %q does not exist", r.str("targetId"))
	}
	if target.VpcID != stringArg(tg.in(), "vpcId") {
		return "", nil, errorf("InvalidTarget", "the instance %s is not in the target group's VPC %s", target.ID, stringArg(tg.in(), "vpcId"))
	}
	return r.str("targetGroupArn") + "-" + hashDigits(r.seed(), 19), map[string]any{}, nil
}

func loadBalancer(r *request) (string, map[string]any, error) {
	zoneID, ok := ALBZoneID(r.region())
	if !ok {
		return "", nil, fmt.Errorf("mockcloud: no ALB hosted zone id known for region %s", r.region())
	}
	subnets := r.strings("subnets")
	zones := map[string]string{}
	vpc := ""
	for _, id := range subnets {
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
		if r.str("ipAddressType") == "dualstack" && s.IPv6CIDR == "" {
			return "", nil, errorf("ValidationError", "subnet %s has no IPv6 CIDR block; a dualstack load balancer needs one in every subnet", id)
		}
	}
	if len(zones) < 2 {
		return "", nil, errorf("ValidationError", "at least two subnets in two different Availability Zones must be specified")
	}
	if !r.boolean("internal") && !r.internetGatewayReady(vpc) {
		return "", nil, errorf("InvalidSubnet", "VPC %s has no internet gateway", vpc)
	}
	for _, sg := range r.strings("securityGroups") {
		if sgVPC, ok := r.cloud.securityGroupVPC(sg); !ok || sgVPC != vpc {
			return "", nil, errorf("InvalidConfigurationRequest", "the security group %q is not in %s", sg, vpc)
		}
	}
	if err := r.checkLoadBalancerLogs(); err != nil {
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
	if len(r.strings("securityGroups")) == 0 {
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
		if stringArg(g.in(), "vpcId") == vpc {
			return r.dependsOn(g.URN)
		}
	}
	return r.cloud.hasInternetGateway(vpc)
}

func targetGroup(r *request) (string, map[string]any, error) {
	hc := r.object("healthCheck")
	interval, timeout := number(hc, "interval"), number(hc, "timeout")
	if interval != 0 && (interval < 5 || interval > 300) {
		return "", nil, errorf("ValidationError", "health check interval %v is not 5-300 seconds", interval)
	}
	if interval != 0 && timeout != 0 && timeout >= interval {
		return "", nil, errorf("ValidationError", "health check timeout (%v) must be smaller than the interval (%v)", timeout, interval)
	}
	for _, k := range []string{"healthyThreshold", "unhealthyThreshold"} {
		if t := number(hc, k); t != 0 && (t < 2 || t > 10) {
			return "", nil, errorf("ValidationError", "health check %s %v is not 2-10", k, t)
		}
	}
	if r.str("targetType") != "lambda" {
		if _, _, ok := r.cloud.vpc(r.str("vpcId")); !ok {
			return "", nil, errorf("ValidationError", "a target group of instances needs an existing VPC, not %q", r.str("vpcId"))
		}
	}
	name := r.physicalName(32)
	arn := r.arn("elasticloadbalancing", "targetgroup/"+name+"/"+r.hex("id", 16))
	return arn, map[string]any{"arn": arn, "arnSuffix": strings.SplitN(arn, ":", 6)[5], "name": name}, nil
}

func listener(r *request) (string, map[string]any, error) {
	lb, ok := r.cloud.findOutput(awstype.LoadBalancer, "arn", r.str("loadBalancerArn"))
	if !ok {
		return "", nil, errorf("LoadBalancerNotFound", "load balancer %q does not exist", r.str("loadBalancerArn"))
	}
	if r.str("protocol") == "HTTPS" {
		if err := r.issuedCertificate(r.str("certificateArn"), r.region(), nil); err != nil {
			return "", nil, err
		}
		if policy := r.str("sslPolicy"); policy != "" && !strings.HasPrefix(policy, "ELBSecurityPolicy-") {
			return "", nil, errorf("SSLPolicyNotFound", "SSL policy %q does not exist", policy)
		}
	}
	for _, a := range arrayOfObjects(r.reg.inputs, "defaultActions") {
		if stringArg(a, "type") != "forward" {
			continue
		}
		tg, ok := r.cloud.findOutput(awstype.TargetGroup, "arn", stringArg(a, "targetGroupArn"))
		if !ok {
			return "", nil, errorf("TargetGroupNotFound", "target group %q does not exist", stringArg(a, "targetGroupArn"))
		}
		if vpc := stringArg(tg.in(), "vpcId"); vpc != stringArg(lb.out(), "vpcId") {
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
			if stringArg(v.in(), "certificateArn") == arn && r.dependsOn(v.URN) {
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
	l, err := r.listenerOf(r.str("listenerArn"))
	if err != nil {
		return "", nil, err
	}
	if stringArg(l.in(), "protocol") != "HTTPS" {
		return "", nil, errorf("InvalidConfigurationRequest", "certificates can only be added to an HTTPS or TLS listener")
	}
	if err := r.issuedCertificate(r.str("certificateArn"), r.region(), nil); err != nil {
		return "", nil, err
	}
	return r.str("listenerArn") + "_" + r.str("certificateArn"), map[string]any{}, nil
}

func listenerRule(r *request) (string, map[string]any, error) {
	l, err := r.listenerOf(r.str("listenerArn"))
	if err != nil {
		return "", nil, err
	}
	priority := int(r.number("priority"))
	if priority < 1 || priority > 50000 {
		return "", nil, errorf("ValidationError", "priority %d is not 1-50000", priority)
	}
	for _, other := range r.cloud.ofType(awstype.ListenerRule) {
		if stringArg(other.in(), "listenerArn") == r.str("listenerArn") && int(number(other.in(), "priority")) == priority {
			return "", nil, errorf("PriorityInUse", "priority %d is in use on the listener", priority)
		}
	}
	values := 0
	for _, c := range arrayOfObjects(r.reg.inputs, "conditions") {
		if h := objectArg(c, "httpHeader"); len(h) > 0 {
			if n := stringArg(h, "httpHeaderName"); n == "" || len(n) > 40 {
				return "", nil, errorf("ValidationError", "an HTTP header condition needs a header name of at most 40 characters, not %q", n)
			}
		}
		values += len(arrayOfObjects(c, "queryStrings"))
		for _, kind := range []string{"hostHeader", "httpHeader", "httpRequestMethod", "pathPattern", "sourceIp"} {
			for _, v := range stringsArg(objectArg(c, kind), "values") {
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
	for _, a := range arrayOfObjects(r.reg.inputs, "actions") {
		if stringArg(a, "type") == "forward" {
			if _, ok := r.cloud.findOutput(awstype.TargetGroup, "arn", stringArg(a, "targetGroupArn")); !ok {
				return "", nil, errorf("TargetGroupNotFound", "target group %q does not exist", stringArg(a, "targetGroupArn"))
			}
		}
	}
	arn := strings.Replace(l.ID, ":listener/", ":listener-rule/", 1) + "/" + r.hex("id", 16)
	return arn, map[string]any{"arn": arn}, nil
}
