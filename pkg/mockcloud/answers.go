package mockcloud

import (
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

type answer func(r *request) (id string, outputs map[string]any, err error)

// answers simulate the AWS provider per resource type: the computed outputs AWS returns, and the
// refusals AWS (or the provider) would give for the inputs.
var answers = map[string]answer{
	"pulumi:providers:aws": func(r *request) (string, map[string]any, error) {
		// Without a region the provider takes AWS_REGION from its environment; the simulated
		// environment is the stack's region.
		if region := r.str("region"); region != "" {
			r.region = region
		}
		return uuid(r.hex("id", 32)), map[string]any{}, nil
	},
	"aws:ec2/vpc:Vpc": func(r *request) (string, map[string]any, error) {
		if r.str("cidrBlock") == "" {
			return "", nil, errors.New("InvalidParameterValue: a VPC needs a cidrBlock")
		}
		id := "vpc-" + r.hex("id", 17)
		out := map[string]any{
			"arn":                    r.arn("ec2", "vpc/"+id),
			"ownerId":                AccountID,
			"defaultSecurityGroupId": "sg-" + r.hex("sg", 17),
			"mainRouteTableId":       "rtb-" + r.hex("rtb", 17),
			"defaultNetworkAclId":    "acl-" + r.hex("acl", 17),
			"instanceTenancy":        "default",
		}
		if v := r.inputs["assignGeneratedIpv6CidrBlock"]; v.IsBool() && v.BoolValue() {
			h := r.hex("ipv6", 6)
			_, block, _ := net.ParseCIDR("2406:da14:" + h[:4] + ":" + h[4:] + "00::/56")
			out["ipv6CidrBlock"] = block.String()
		}
		return id, out, nil
	},
	"aws:ec2/subnet:Subnet": func(r *request) (string, map[string]any, error) {
		az := r.str("availabilityZone")
		if az == "" || !strings.HasPrefix(az, r.region) {
			return "", nil, fmt.Errorf("InvalidParameterValue: availability zone %q is not in %s", az, r.region)
		}
		id := "subnet-" + r.hex("id", 17)
		r.cloud.mu.Lock()
		r.cloud.subnetAZ[id] = az
		if r.str("ipv6CidrBlock") != "" {
			r.cloud.subnetIPv6[id] = true
		}
		r.cloud.mu.Unlock()
		return id, map[string]any{
			"arn":                r.arn("ec2", "subnet/"+id),
			"ownerId":            AccountID,
			"availabilityZoneId": zoneIDOf(az),
		}, nil
	},
	"aws:ec2/internetGateway:InternetGateway": func(r *request) (string, map[string]any, error) {
		id := "igw-" + r.hex("id", 17)
		return id, map[string]any{"arn": r.arn("ec2", "internet-gateway/"+id), "ownerId": AccountID}, nil
	},
	"aws:ec2/routeTable:RouteTable": func(r *request) (string, map[string]any, error) {
		id := "rtb-" + r.hex("id", 17)
		return id, map[string]any{"arn": r.arn("ec2", "route-table/"+id), "ownerId": AccountID}, nil
	},
	"aws:ec2/route:Route": func(r *request) (string, map[string]any, error) {
		return "r-" + r.str("routeTableId") + hashDigits(r.str("destinationCidrBlock")+r.str("destinationIpv6CidrBlock"), 10),
			map[string]any{"state": "active", "origin": "CreateRoute"}, nil
	},
	"aws:ec2/routeTableAssociation:RouteTableAssociation": func(r *request) (string, map[string]any, error) {
		return "rtbassoc-" + r.hex("id", 17), map[string]any{}, nil
	},
	"aws:ec2/securityGroup:SecurityGroup": func(r *request) (string, map[string]any, error) {
		id := "sg-" + r.hex("id", 17)
		return id, map[string]any{
			"arn": r.arn("ec2", "security-group/"+id), "ownerId": AccountID, "name": r.physicalName(255),
		}, nil
	},
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": securityGroupRule,
	"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":   securityGroupRule,
	"aws:ec2/instance:Instance": func(r *request) (string, map[string]any, error) {
		if err := checkMatch("ami", r.str("ami"), "ami-"); err != nil {
			return "", nil, err
		}
		az, ok := r.cloud.subnetZone(r.str("subnetId"))
		if !ok {
			return "", nil, fmt.Errorf("InvalidSubnetID.NotFound: subnet %q does not exist", r.str("subnetId"))
		}
		if len(r.str("userData")) > 16384 {
			return "", nil, errors.New("InvalidParameterValue: user data is limited to 16384 bytes")
		}
		id := "i-" + r.hex("id", 17)
		ip := fmt.Sprintf("10.0.%d.%d", 1+int(r.hex("ip", 2)[0])%2, 10+int(r.hex("ip", 2)[1])%200)
		out := map[string]any{
			"arn":                       r.arn("ec2", "instance/"+id),
			"availabilityZone":          az,
			"instanceState":             "running",
			"privateIp":                 ip,
			"privateDns":                fmt.Sprintf("ip-%s.%s.compute.internal", strings.ReplaceAll(ip, ".", "-"), r.region),
			"primaryNetworkInterfaceId": "eni-" + r.hex("eni", 17),
		}
		if v, ok := r.inputs["associatePublicIpAddress"]; ok && v.IsBool() && v.BoolValue() {
			out["publicIp"] = fmt.Sprintf("203.0.113.%d", 1+int(r.hex("pub", 2)[0])%250)
		}
		return id, out, nil
	},
	"aws:lb/loadBalancer:LoadBalancer": func(r *request) (string, map[string]any, error) {
		zoneID, ok := albZoneIDs[r.region]
		if !ok {
			return "", nil, fmt.Errorf("mockcloud: no ALB hosted zone id known for region %s", r.region)
		}
		zones := map[string]bool{}
		for _, s := range r.strings("subnets") {
			az, ok := r.cloud.subnetZone(s)
			if !ok {
				return "", nil, fmt.Errorf("InvalidSubnet: subnet %q does not exist", s)
			}
			zones[az] = true
		}
		if len(zones) < 2 {
			return "", nil, errors.New("ValidationError: at least two subnets in two different Availability Zones must be specified")
		}
		if r.str("ipAddressType") == "dualstack" {
			for _, s := range r.strings("subnets") {
				if !r.cloud.subnetHasIPv6(s) {
					return "", nil, fmt.Errorf("ValidationError: subnet %s has no IPv6 CIDR block; a dualstack load balancer needs one in every subnet", s)
				}
			}
		}
		name := r.physicalName(32)
		suffix := r.hex("id", 16)
		return "arn:aws:elasticloadbalancing:" + r.region + ":" + AccountID + ":loadbalancer/app/" + name + "/" + suffix,
			map[string]any{
				"arn":       r.arn("elasticloadbalancing", "loadbalancer/app/"+name+"/"+suffix),
				"arnSuffix": "app/" + name + "/" + suffix,
				"name":      name,
				"dnsName":   fmt.Sprintf("%s-%s.%s.elb.amazonaws.com", name, hashDigits(r.urn, 10), r.region),
				"zoneId":    zoneID,
				"vpcId":     "vpc-" + r.hex("vpc", 17),
			}, nil
	},
	"aws:lb/targetGroup:TargetGroup": func(r *request) (string, map[string]any, error) {
		hc := r.object("healthCheck")
		interval, timeout := number(hc, "interval"), number(hc, "timeout")
		if interval != 0 && timeout != 0 && timeout >= interval {
			return "", nil, fmt.Errorf("ValidationError: health check timeout (%v) must be smaller than the interval (%v)", timeout, interval)
		}
		name := r.physicalName(32)
		arn := r.arn("elasticloadbalancing", "targetgroup/"+name+"/"+r.hex("id", 16))
		return arn, map[string]any{"arn": arn, "arnSuffix": strings.SplitN(arn, ":", 6)[5], "name": name}, nil
	},
	"aws:lb/targetGroupAttachment:TargetGroupAttachment": func(r *request) (string, map[string]any, error) {
		return r.str("targetGroupArn") + "-" + hashDigits(r.urn, 19), map[string]any{}, nil
	},
	"aws:lb/listener:Listener": func(r *request) (string, map[string]any, error) {
		lbARN := r.str("loadBalancerArn")
		if r.str("protocol") == "HTTPS" {
			cert := r.str("certificateArn")
			if cert == "" {
				return "", nil, errors.New("ValidationError: an HTTPS listener needs a certificate")
			}
			if region := arnRegion(cert); region != r.region {
				return "", nil, fmt.Errorf("CertificateNotFound: certificate %s is in %s; the load balancer is in %s", cert, region, r.region)
			}
		}
		arn := strings.Replace(lbARN, ":loadbalancer/", ":listener/", 1) + "/" + r.hex("id", 16)
		return arn, map[string]any{"arn": arn}, nil
	},
	"aws:acm/certificate:Certificate": func(r *request) (string, map[string]any, error) {
		names := append([]string{r.str("domainName")}, r.strings("subjectAlternativeNames")...)
		seen := map[string]bool{}
		var options []any
		for _, n := range names {
			if seen[n] {
				continue
			}
			seen[n] = true
			// The record depends on the name alone: two certificates for one name in one
			// account ask for the same CNAME, as in AWS.
			options = append(options, map[string]any{
				"domainName":          n,
				"resourceRecordName":  "_" + hashHex("acm-name\x00"+n, 32) + "." + n + ".",
				"resourceRecordType":  "CNAME",
				"resourceRecordValue": "_" + hashHex("acm-value\x00"+n, 32) + "." + hashHex("acm-zone\x00"+n, 10) + ".acm-validations.aws.",
			})
		}
		sans := names[1:]
		sort.Strings(sans)
		arn := r.arn("acm", "certificate/"+uuid(r.hex("id", 32)))
		return arn, map[string]any{
			"arn":                     arn,
			"domainValidationOptions": options,
			"status":                  "PENDING_VALIDATION",
			"type":                    "AMAZON_ISSUED",
			"keyAlgorithm":            "RSA_2048",
		}, nil
	},
	"aws:acm/certificateValidation:CertificateValidation": func(r *request) (string, map[string]any, error) {
		arn := r.str("certificateArn")
		cert, ok := r.cloud.findByOutput("aws:acm/certificate:Certificate", "arn", arn)
		if !ok {
			return "", nil, fmt.Errorf("ResourceNotFoundException: certificate %s does not exist", arn)
		}
		if region := arnRegion(arn); region != r.region {
			return "", nil, fmt.Errorf("ResourceNotFoundException: certificate %s is in %s, not %s", arn, region, r.region)
		}
		fqdns := map[string]bool{}
		for _, f := range r.strings("validationRecordFqdns") {
			fqdns[strings.TrimSuffix(f, ".")] = true
		}
		for _, o := range cert.Outputs["domainValidationOptions"].ArrayValue() {
			name := strings.TrimSuffix(o.ObjectValue()["resourceRecordName"].StringValue(), ".")
			if !fqdns[name] {
				return "", nil, fmt.Errorf("missing %s DNS validation record: %s", o.ObjectValue()["domainName"].StringValue(), name)
			}
		}
		return "0001-01-01 00:00:00 +0000 UTC", map[string]any{}, nil
	},
	"aws:route53/record:Record": func(r *request) (string, map[string]any, error) {
		name := strings.TrimSuffix(strings.ToLower(r.str("name")), ".")
		_, hasAlias := r.inputs["aliases"]
		if hasAlias && r.inputs.HasValue("ttl") {
			return "", nil, errors.New("InvalidInput: an alias record cannot have a TTL")
		}
		if !hasAlias && len(r.strings("records")) == 0 {
			return "", nil, errors.New("InvalidInput: a record needs records or an alias")
		}
		if err := r.checkRecordSet(name); err != nil {
			return "", nil, err
		}
		id := strings.Join([]string{r.str("zoneId"), name, r.str("type")}, "_")
		if set := r.str("setIdentifier"); set != "" {
			id += "_" + set
		}
		return id, map[string]any{"fqdn": name}, nil
	},
}

func securityGroupRule(r *request) (string, map[string]any, error) {
	sources := 0
	for _, k := range []string{"cidrIpv4", "cidrIpv6", "referencedSecurityGroupId", "prefixListId"} {
		if r.str(k) != "" {
			sources++
		}
	}
	if sources != 1 {
		return "", nil, errors.New("InvalidParameterValue: a rule needs exactly one of cidrIpv4, cidrIpv6, referencedSecurityGroupId, prefixListId")
	}
	id := "sgr-" + r.hex("id", 17)
	return id, map[string]any{"arn": r.arn("ec2", "security-group-rule/"+id), "securityGroupRuleId": id}, nil
}

type invokeAnswer func(c *Cloud, region string, args resource.PropertyMap) (map[string]any, error)

var invokeAnswers = map[string]invokeAnswer{
	"aws:route53/getZone:getZone": func(c *Cloud, _ string, args resource.PropertyMap) (map[string]any, error) {
		name := strings.TrimSuffix(stringArg(args, "name"), ".")
		if name == "" {
			return nil, errors.New("name or zoneId is required")
		}
		if v, ok := args["privateZone"]; ok && v.IsBool() && v.BoolValue() {
			return nil, errors.New("no matching Route 53 Hosted Zone found")
		}
		id := ZoneIDFor(name)
		return map[string]any{
			"id":                     id,
			"zoneId":                 id,
			"name":                   name,
			"arn":                    "arn:aws:route53:::hostedzone/" + id,
			"privateZone":            false,
			"nameServers":            nameServers(name),
			"primaryNameServer":      nameServers(name)[0],
			"resourceRecordSetCount": 2,
			"callerReference":        hashHex("caller\x00"+name, 36),
		}, nil
	},
	"aws:ssm/getParameter:getParameter": func(c *Cloud, region string, args resource.PropertyMap) (map[string]any, error) {
		name := stringArg(args, "name")
		if !strings.HasPrefix(name, "/aws/service/ami-amazon-linux-latest/") {
			return nil, fmt.Errorf("ParameterNotFound: %s", name)
		}
		return map[string]any{
			"id":      name,
			"name":    name,
			"arn":     fmt.Sprintf("arn:aws:ssm:%s::parameter%s", region, name),
			"type":    "String",
			"value":   "ami-" + hashHex(region+"\x00"+name, 17),
			"version": 1,
		}, nil
	},
	"aws:index/getAvailabilityZones:getAvailabilityZones": func(c *Cloud, region string, _ resource.PropertyMap) (map[string]any, error) {
		names := zonesOf(region)
		var namesAny, ids []any
		for _, n := range names {
			namesAny = append(namesAny, n)
			ids = append(ids, zoneIDOf(n))
		}
		return map[string]any{"id": region, "names": namesAny, "zoneIds": ids, "groupNames": []any{region}}, nil
	},
	"aws:ec2/getSubnet:getSubnet": func(c *Cloud, region string, args resource.PropertyMap) (map[string]any, error) {
		id := stringArg(args, "id")
		s, ok := c.Subnets[id]
		if !ok || !strings.HasPrefix(s.AvailabilityZone, region) {
			return nil, fmt.Errorf("no matching EC2 Subnet found for id %q in %s", id, region)
		}
		return map[string]any{
			"id":                 id,
			"arn":                fmt.Sprintf("arn:aws:ec2:%s:%s:subnet/%s", region, AccountID, id),
			"vpcId":              s.VpcID,
			"availabilityZone":   s.AvailabilityZone,
			"availabilityZoneId": zoneIDOf(s.AvailabilityZone),
			"ownerId":            AccountID,
		}, nil
	},
}

// ZoneIDFor is the id the simulated account gives the public hosted zone of name.
func ZoneIDFor(name string) string {
	sum := sha256.Sum256([]byte("zone\x00" + name))
	return "Z0" + base32.StdEncoding.EncodeToString(sum[:])[:19]
}

func nameServers(zone string) []any {
	h := hashDigits("ns\x00"+zone, 8)
	return []any{
		"ns-" + h[0:3] + ".awsdns-" + h[3:5] + ".com",
		"ns-" + h[1:4] + ".awsdns-" + h[4:6] + ".net",
		"ns-" + h[2:5] + ".awsdns-" + h[5:7] + ".org",
		"ns-" + h[3:6] + ".awsdns-" + h[6:8] + ".co.uk",
	}
}

func (c *Cloud) subnetZone(id string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if az, ok := c.subnetAZ[id]; ok {
		return az, true
	}
	s, ok := c.Subnets[id]
	return s.AvailabilityZone, ok
}

func (c *Cloud) subnetHasIPv6(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.subnetIPv6[id] || c.Subnets[id].IPv6CIDR != ""
}

func (c *Cloud) findByOutput(typ, key, value string) (Resource, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range c.resources {
		if r.Type == typ {
			if v, ok := r.Outputs[resource.PropertyKey(key)]; ok && v.IsString() && v.StringValue() == value {
				return r, true
			}
		}
	}
	return Resource{}, false
}

func stringArg(args resource.PropertyMap, key string) string {
	if v, ok := args[resource.PropertyKey(key)]; ok && v.IsString() {
		return v.StringValue()
	}
	return ""
}

func number(m resource.PropertyMap, key string) float64 {
	if v, ok := m[resource.PropertyKey(key)]; ok && v.IsNumber() {
		return v.NumberValue()
	}
	return 0
}

func checkMatch(field, v, prefix string) error {
	if !strings.HasPrefix(v, prefix) {
		return fmt.Errorf("InvalidParameterValue: %s %q is not a valid %s... id", field, v, prefix)
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

func uuid(h string) string {
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
