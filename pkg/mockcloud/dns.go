package mockcloud

import (
	"errors"
	"fmt"
	"strings"
)

var healthCheckRegions = map[string]bool{
	"ap-northeast-1": true, "ap-southeast-1": true, "ap-southeast-2": true, "eu-west-1": true,
	"sa-east-1": true, "us-east-1": true, "us-west-1": true, "us-west-2": true,
}

func init() {
	answers["aws:route53/zone:Zone"] = func(r *request) (string, map[string]any, error) {
		name := strings.TrimSuffix(r.str("name"), ".")
		id := ZoneIDFor(name)
		return id, map[string]any{
			"zoneId":            id,
			"arn":               "arn:aws:route53:::hostedzone/" + id,
			"nameServers":       nameServers(name),
			"primaryNameServer": nameServers(name)[0],
		}, nil
	}
	answers["aws:route53/healthCheck:HealthCheck"] = func(r *request) (string, map[string]any, error) {
		if interval := number(r.inputs, "requestInterval"); interval != 10 && interval != 30 {
			return "", nil, fmt.Errorf("InvalidInput: request interval %v is not 10 or 30", interval)
		}
		if t := number(r.inputs, "failureThreshold"); t < 1 || t > 10 {
			return "", nil, fmt.Errorf("InvalidInput: failure threshold %v is not 1-10", t)
		}
		if regions := r.strings("regions"); regions != nil {
			for _, region := range regions {
				if !healthCheckRegions[region] {
					return "", nil, fmt.Errorf("InvalidInput: %s is not a health checker region", region)
				}
			}
			if len(regions) < 3 {
				return "", nil, errors.New("InvalidInput: a health check needs at least 3 checker regions")
			}
		}
		if r.str("fqdn") == "" && r.str("ipAddress") == "" {
			return "", nil, errors.New("InvalidInput: an HTTPS health check needs a domain name or an IP address")
		}
		id := uuid(r.hex("id", 32))
		return id, map[string]any{"arn": "arn:aws:route53:::healthcheck/" + id}, nil
	}
	answers["aws:sns/topic:Topic"] = func(r *request) (string, map[string]any, error) {
		name := r.physicalName(256)
		arn := r.arn("sns", name)
		return arn, map[string]any{"arn": arn, "name": name, "owner": AccountID}, nil
	}
	answers["aws:sns/topicSubscription:TopicSubscription"] = func(r *request) (string, map[string]any, error) {
		if r.str("protocol") == "email" && !strings.Contains(r.str("endpoint"), "@") {
			return "", nil, errors.New("InvalidParameter: an email subscription needs an email address")
		}
		arn := r.str("topic") + ":" + uuid(r.hex("id", 32))
		return arn, map[string]any{"arn": arn, "pendingConfirmation": true, "ownerId": AccountID}, nil
	}
	answers["aws:cloudwatch/metricAlarm:MetricAlarm"] = func(r *request) (string, map[string]any, error) {
		name := r.physicalName(255)
		return name, map[string]any{"arn": r.arn("cloudwatch", "alarm:"+name), "name": name}, nil
	}
}

// checkRecordSet refuses what Route 53 refuses of a record set: a failover record without a set
// identifier, an alias to CloudFront with the wrong zone or with evaluate-target-health, a plain
// record beside failover records of the same name and type, and a duplicate.
func (r *request) checkRecordSet(name string) error {
	typ, set := r.str("type"), r.str("setIdentifier")
	_, failover := r.inputs["failoverRoutingPolicies"]
	if failover && set == "" {
		return errors.New("InvalidChangeBatch: a failover record needs a set identifier")
	}
	if alias, ok := r.inputs["aliases"]; ok && alias.IsArray() && len(alias.ArrayValue()) > 0 {
		a := alias.ArrayValue()[0].ObjectValue()
		target := a["name"]
		if target.IsString() && strings.HasSuffix(strings.TrimSuffix(target.StringValue(), "."), ".cloudfront.net") {
			if z := a["zoneId"]; !z.IsString() || z.StringValue() != CloudFrontZoneID {
				return fmt.Errorf("InvalidChangeBatch: an alias to CloudFront must use zone %s", CloudFrontZoneID)
			}
			if e := a["evaluateTargetHealth"]; e.IsBool() && e.BoolValue() {
				return errors.New("InvalidChangeBatch: evaluate target health is not supported for CloudFront aliases")
			}
		}
	}
	overwrite := r.inputs["allowOverwrite"]
	c := r.cloud
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, other := range c.resources {
		if other.Type != "aws:route53/record:Record" || other.URN == r.urn ||
			!other.Inputs["zoneId"].DeepEquals(r.inputs["zoneId"]) || stringArg(other.Inputs, "type") != typ ||
			strings.TrimSuffix(strings.ToLower(stringArg(other.Inputs, "name")), ".") != name {
			continue
		}
		otherSet := stringArg(other.Inputs, "setIdentifier")
		if (set == "") != (otherSet == "") {
			return fmt.Errorf("InvalidChangeBatch: %s %s: a record with routing policy cannot coexist with a simple record", name, typ)
		}
		if set == otherSet && !(overwrite.IsBool() && overwrite.BoolValue()) {
			return fmt.Errorf("InvalidChangeBatch: %s %s %q already exists", name, typ, set)
		}
	}
	return nil
}
