package mockcloud

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// Replacement says which input changes the AWS provider cannot apply in place, for one resource
// type: a change at or under one of Properties replaces the resource (deletes it and creates it
// again, with a new id). The pulumi-aws provider bridges the Terraform AWS provider, whose
// documentation marks each such argument "Forces new resource"; Source is that page.
type Replacement struct {
	// Properties are input paths, such as "ami" or "rootBlockDevice.encrypted".
	Properties []string
	// When holds, for a property that forces replacement only when a flag input is true, the
	// flag (userData replaces an instance only with userDataReplaceOnChange).
	When map[string]string
	// Stateful marks a resource whose replacement loses data or takes long: the hosted zone (its
	// name servers), the bucket, the distribution, a certificate (its validation), the health
	// check (the records that name it), the instance, the load balancer (its DNS name).
	Stateful bool
	// Source is the Terraform AWS provider's documentation page of the resource.
	Source string
}

const terraformDocs = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/"

// ForceNew is the table of replacing changes for every resource type the project uses. The
// simulated plugin's Diff and the plan diff's replacement section both read it.
var ForceNew = map[string]Replacement{
	zoneType:                               {Properties: []string{"name", "delegationSetId"}, Stateful: true, Source: terraformDocs + "route53_zone"},
	recordType:                             {Properties: []string{"name", "zoneId"}, Source: terraformDocs + "route53_record"},
	healthCheckType:                        {Properties: []string{"type", "requestInterval", "measureLatency", "referenceName", "routingControlArn"}, Stateful: true, Source: terraformDocs + "route53_health_check"},
	bucketType:                             {Properties: []string{"bucket", "bucketPrefix", "objectLockEnabled"}, Stateful: true, Source: terraformDocs + "s3_bucket"},
	bucketSettings[0]:                      {Properties: []string{"bucket"}, Source: terraformDocs + "s3_bucket_public_access_block"},
	bucketSettings[1]:                      {Properties: []string{"bucket"}, Source: terraformDocs + "s3_bucket_ownership_controls"},
	bucketSettings[2]:                      {Properties: []string{"bucket", "expectedBucketOwner"}, Source: terraformDocs + "s3_bucket_server_side_encryption_configuration"},
	bucketSettings[3]:                      {Properties: []string{"bucket"}, Source: terraformDocs + "s3_bucket_policy"},
	bucketSettings[4]:                      {Properties: []string{"bucket", "expectedBucketOwner"}, Source: terraformDocs + "s3_bucket_versioning"},
	"aws:s3/bucketObjectv2:BucketObjectv2": {Properties: []string{"bucket", "key"}, Source: terraformDocs + "s3_object"},
	distributionType:                       {Stateful: true, Source: terraformDocs + "cloudfront_distribution"},
	oacType:                                {Source: terraformDocs + "cloudfront_origin_access_control"},
	certificateType:                        {Properties: []string{"domainName", "subjectAlternativeNames", "validationMethod", "keyAlgorithm", "certificateAuthorityArn"}, Stateful: true, Source: terraformDocs + "acm_certificate"},
	validationType:                         {Properties: []string{"certificateArn", "validationRecordFqdns"}, Source: terraformDocs + "acm_certificate_validation"},
	vpcType:                                {Properties: []string{"cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"}, Source: terraformDocs + "vpc"},
	subnetType:                             {Properties: []string{"vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId", "outpostArn"}, Source: terraformDocs + "subnet"},
	igwType:                                {Source: terraformDocs + "internet_gateway"},
	routeTableType:                         {Properties: []string{"vpcId"}, Source: terraformDocs + "route_table"},
	routeType:                              {Properties: []string{"routeTableId", "destinationCidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId"}, Source: terraformDocs + "route"},
	associationType:                        {Properties: []string{"subnetId", "gatewayId"}, Source: terraformDocs + "route_table_association"},
	sgType:                                 {Properties: []string{"name", "namePrefix", "description", "vpcId"}, Source: terraformDocs + "security_group"},
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {Properties: []string{"securityGroupId"}, Source: terraformDocs + "vpc_security_group_ingress_rule"},
	"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":   {Properties: []string{"securityGroupId"}, Source: terraformDocs + "vpc_security_group_egress_rule"},
	instanceType: {
		Properties: []string{"ami", "availabilityZone", "subnetId", "keyName", "associatePublicIpAddress", "privateIp",
			"placementGroup", "rootBlockDevice.encrypted", "rootBlockDevice.kmsKeyId", "userData"},
		When:     map[string]string{"userData": "userDataReplaceOnChange"},
		Stateful: true, Source: terraformDocs + "instance",
	},
	loadBalancerType:        {Properties: []string{"name", "namePrefix", "internal", "loadBalancerType", "customerOwnedIpv4Pool"}, Stateful: true, Source: terraformDocs + "lb"},
	targetGroupType:         {Properties: []string{"name", "namePrefix", "port", "protocol", "protocolVersion", "targetType", "vpcId", "ipAddressType"}, Source: terraformDocs + "lb_target_group"},
	launchTemplateType:      {Properties: []string{"name", "namePrefix"}, Source: terraformDocs + "launch_template"},
	groupType:               {Properties: []string{"name", "namePrefix"}, Stateful: true, Source: terraformDocs + "autoscaling_group"},
	policyType:              {Properties: []string{"name", "autoscalingGroupName"}, Source: terraformDocs + "autoscaling_policy"},
	attachmentType:          {Properties: []string{"targetGroupArn", "targetId", "port", "availabilityZone"}, Source: terraformDocs + "lb_target_group_attachment"},
	listenerType:            {Properties: []string{"loadBalancerArn"}, Source: terraformDocs + "lb_listener"},
	topicType:               {Properties: []string{"name", "namePrefix", "fifoTopic"}, Source: terraformDocs + "sns_topic"},
	subscriptionType:        {Properties: []string{"topic", "protocol", "endpoint"}, Source: terraformDocs + "sns_topic_subscription"},
	alarmType:               {Properties: []string{"name"}, Source: terraformDocs + "cloudwatch_metric_alarm"},
	listenerCertificateType: {Properties: []string{"listenerArn", "certificateArn"}, Source: terraformDocs + "lb_listener_certificate"},
	listenerRuleType:        {Properties: []string{"listenerArn"}, Source: terraformDocs + "lb_listener_rule"},
	roleType:                {Properties: []string{"name", "namePrefix", "path"}, Source: terraformDocs + "iam_role"},
	rolePolicyAttachment:    {Properties: []string{"role", "policyArn"}, Source: terraformDocs + "iam_role_policy_attachment"},
	functionType:            {Properties: []string{"name", "packageType"}, Source: terraformDocs + "lambda_function"},
}

// ReplacingPaths returns the changed paths (as Changes returns them) that force a resource of
// type typ with the given new inputs to be replaced.
func ReplacingPaths(typ string, newInputs map[string]any, changed []string) []string {
	table, ok := ForceNew[typ]
	if !ok {
		return nil
	}
	var out []string
	for _, path := range changed {
		for _, p := range table.Properties {
			if flag, conditional := table.When[p]; conditional && newInputs[flag] != true {
				continue
			}
			if path == p || strings.HasPrefix(path, p+".") || strings.HasPrefix(path, p+"[") {
				out = append(out, path)
				break
			}
		}
	}
	return out
}

// Change is one property whose value changes; a missing side is nil.
type Change struct {
	// Path is the property's path: object keys joined with dots, array indexes in brackets.
	Path string
	// Old and New are its values before and after.
	Old, New any
}

// Changes returns the leaf paths where old and new differ (object keys joined with dots, array
// indexes in brackets), sorted.
func Changes(old, new any) []Change {
	var out []Change
	changes("", old, new, &out)
	return out
}

func changes(path string, old, new any, out *[]Change) {
	if reflect.DeepEqual(old, new) {
		return
	}
	om, oIsMap := old.(map[string]any)
	nm, nIsMap := new.(map[string]any)
	if oIsMap && nIsMap {
		keys := map[string]bool{}
		for k := range om {
			keys[k] = true
		}
		for k := range nm {
			keys[k] = true
		}
		for _, k := range slices.Sorted(maps.Keys(keys)) {
			next := k
			if path != "" {
				next = path + "." + k
			}
			changes(next, om[k], nm[k], out)
		}
		return
	}
	oa, oIsArr := old.([]any)
	na, nIsArr := new.([]any)
	if oIsArr && nIsArr && len(oa) == len(na) {
		for i := range oa {
			changes(fmt.Sprintf("%s[%d]", path, i), oa[i], na[i], out)
		}
		return
	}
	*out = append(*out, Change{Path: path, Old: old, New: new})
}
