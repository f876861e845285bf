package mockcloud

import (
	"encoding/base64"
	"fmt"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
)

// The inputs of a launch template, a group and a scaling policy that their simulations and the
// visitor model read.
type (
	launchTemplateInputs struct {
		Name                string   `pulumi:"name"`
		InstanceType        string   `pulumi:"instanceType"`
		ImageID             string   `pulumi:"imageId"`
		UserData            string   `pulumi:"userData"`
		VpcSecurityGroupIDs []string `pulumi:"vpcSecurityGroupIds"`
		NetworkInterfaces   []struct {
			SecurityGroups           []string `pulumi:"securityGroups"`
			AssociatePublicIPAddress string   `pulumi:"associatePublicIpAddress"`
		} `pulumi:"networkInterfaces"`
	}
	autoScalingGroupInputs struct {
		Name                   string   `pulumi:"name"`
		VpcZoneIdentifiers     []string `pulumi:"vpcZoneIdentifiers"`
		MinSize                float64  `pulumi:"minSize"`
		MaxSize                float64  `pulumi:"maxSize"`
		DesiredCapacity        *float64 `pulumi:"desiredCapacity"`
		TargetGroupArns        []string `pulumi:"targetGroupArns"`
		MinElbCapacity         float64  `pulumi:"minElbCapacity"`
		WaitForElbCapacity     float64  `pulumi:"waitForElbCapacity"`
		WaitForCapacityTimeout string   `pulumi:"waitForCapacityTimeout"`
		LaunchTemplate         struct {
			ID string `pulumi:"id"`
		} `pulumi:"launchTemplate"`
		InstanceRefresh struct {
			Preferences struct {
				MinHealthyPercentage *float64 `pulumi:"minHealthyPercentage"`
				MaxHealthyPercentage *float64 `pulumi:"maxHealthyPercentage"`
			} `pulumi:"preferences"`
		} `pulumi:"instanceRefresh"`
	}
	scalingPolicyInputs struct {
		Name                        string `pulumi:"name"`
		AutoscalingGroupName        string `pulumi:"autoscalingGroupName"`
		TargetTrackingConfiguration struct {
			TargetValue float64 `pulumi:"targetValue"`
		} `pulumi:"targetTrackingConfiguration"`
	}
)

// launchTemplate refuses what EC2 refuses of a template: an image of another architecture than
// the instance type's, and user data that is not base64 (launch templates take it encoded) or
// longer than 16 KiB once decoded.
func launchTemplate(r *request) (string, map[string]any, error) {
	in, err := decode[launchTemplateInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	if err := r.checkImage(in.InstanceType, in.ImageID); err != nil {
		return "", nil, err
	}
	if data := in.UserData; data != "" {
		decoded, err := base64.StdEncoding.DecodeString(data)
		if err != nil {
			return "", nil, errorf("InvalidUserData.Malformed", "user data of a launch template must be base64-encoded")
		}
		if len(decoded) > 16384 {
			return "", nil, errorf("InvalidUserData.Malformed", "user data is limited to 16384 bytes")
		}
	}
	id := "lt-" + r.hex("id", 17)
	name := in.Name
	if name == "" {
		name = r.reg.name + "-" + r.hex("name", 7)
	}
	version := 1.0
	if old := r.reg.previous; old != nil {
		// Every change of what the template launches is a new version (tags are not).
		version = number(old.out(), "latestVersion")
		if !templateData(old.in()).DeepEquals(templateData(r.reg.inputs)) {
			version++
		}
	}
	return id, map[string]any{
		"arn": r.arn("ec2", "launch-template/"+id), "name": name, "latestVersion": version, "defaultVersion": version,
	}, nil
}

// templateData is what a launch template version holds: its inputs without tags.
func templateData(in resource.PropertyMap) resource.PropertyMap {
	data := in.Copy()
	delete(data, "tags")
	delete(data, "tagsAll")
	return data
}

// autoScalingGroup refuses a group without subnets, with a size range upside down, of a
// template, subnet or target group that does not exist, or in a zone that does not offer the
// template's instance type.
func autoScalingGroup(r *request) (string, map[string]any, error) {
	in, err := decode[autoScalingGroupInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	subnets := in.VpcZoneIdentifiers
	if len(subnets) == 0 {
		return "", nil, errorf("ValidationError", "At least one Availability Zone or VPC Subnet is required")
	}
	minSize, maxSize := in.MinSize, in.MaxSize
	if minSize > maxSize {
		return "", nil, errorf("ValidationError", "Max bound, %v, must be greater than or equal to min bound, %v", maxSize, minSize)
	}
	if d := in.DesiredCapacity; d != nil && (*d < minSize || *d > maxSize) {
		return "", nil, errorf("ValidationError", "Desired capacity:%v must be between the specified min size:%v and max size:%v", *d, minSize, maxSize)
	}
	preferences := in.InstanceRefresh.Preferences
	if err := checkRefresh(preferences.MinHealthyPercentage, preferences.MaxHealthyPercentage); err != nil {
		return "", nil, err
	}
	template, ok := r.cloud.resource(awstype.LaunchTemplate, in.LaunchTemplate.ID)
	if !ok {
		return "", nil, errorf("ValidationError", "The launch template %q does not exist", in.LaunchTemplate.ID)
	}
	for _, id := range subnets {
		subnet, ok := r.cloud.subnet(id)
		if !ok {
			return "", nil, errorf("ValidationError", "The subnet ID '%s' does not exist", id)
		}
		if typ := storedInputs[launchTemplateInputs](template).InstanceType; !offeredIn(typ, subnet.AvailabilityZone) {
			return "", nil, errorf("ValidationError", "Your requested instance type (%s) is not supported in your requested Availability Zone (%s)", typ, subnet.AvailabilityZone)
		}
	}
	name := in.Name
	if name == "" {
		name = r.reg.name + "-" + r.hex("name", 7)
	}
	for _, arn := range in.TargetGroupArns {
		tg, ok := r.cloud.findOutput(awstype.TargetGroup, "arn", arn)
		if !ok {
			return "", nil, errorf("ValidationError", "The target group %q does not exist", arn)
		}
		if err := r.waitForCapacity(name, in, tg); err != nil {
			return "", nil, err
		}
	}
	return name, map[string]any{
		"name": name,
		"arn":  r.arn("autoscaling", "autoScalingGroup:"+uuid(r.hex("uuid", 32))+":autoScalingGroupName/"+name),
	}, nil
}

// waitForCapacity is the provider's wait after it creates a group with minElbCapacity: until
// that many instances are healthy in the target group, for waitForCapacityTimeout (10m unless
// "0", which skips the wait), then it fails. The simulation fails when the instances cannot
// become healthy: no listener forwards to the target group (in a mock run: none the group waits
// for), or they cannot boot or be checked (see cannotServe). The failure is a RetriedError: in a
// mock run the group did not wait for what its instances need; under the engine it may be under
// way.
func (r *request) waitForCapacity(name string, in autoScalingGroupInputs, tg *Resource) error {
	want := int(in.MinElbCapacity)
	if n := int(in.WaitForElbCapacity); n > 0 {
		want = n
	}
	timeout := in.WaitForCapacityTimeout
	if timeout == "" {
		timeout = "10m"
	}
	if want == 0 || timeout == "0" {
		return nil
	}
	why := ""
	ready := false
	for _, user := range r.cloud.usersOf(tg) {
		ready = ready || r.dependsOn(user.URN)
	}
	if !ready {
		why = "no listener forwards to target group " + stringArg(tg.out(), "name") + " when the group is created (it is unused), so no instance can become healthy in it"
	} else if problem := r.cloud.cannotServe(in, tg); problem != "" {
		why = problem
	} else {
		return nil
	}
	return &RetriedError{Window: CapacityWait, err: fmt.Errorf("waiting for Auto Scaling Group (%s) capacity satisfied: timeout while waiting for state to become 'ok' (last state: 'want at least %d healthy instance(s) registered to Load Balancer, have 0', timeout: %s); in the simulated account: %s", name, want, timeout, why)}
}

// CapacityWait is how long the engine's plugin keeps retrying the creation of a group whose
// instances cannot become healthy yet (a RetriedError): the provider's 10 minutes, scaled
// down to the simulation's pace, in which a listener or rule that the engine creates meanwhile
// (for a program whose group does not wait for it) lets the instances become healthy.
const CapacityWait = 20 * time.Second

// checkRefresh refuses instance refresh preferences outside AWS's ranges: minimum healthy 0-100,
// maximum healthy 100-200, at most 100 apart (Amazon EC2 Auto Scaling API Reference,
// "InstanceMaintenancePolicy" and "RefreshPreferences").
func checkRefresh(minHealthy, maxHealthy *float64) error {
	least, most := 90.0, 100.0 // AWS's defaults
	if minHealthy != nil {
		least = *minHealthy
	}
	if maxHealthy != nil {
		most = *maxHealthy
	}
	switch {
	case least < 0 || least > 100:
		return errorf("ValidationError", "MinHealthyPercentage %v is not between 0 and 100", least)
	case most < 100 || most > 200:
		return errorf("ValidationError", "MaxHealthyPercentage %v is not between 100 and 200", most)
	case most-least > 100:
		return errorf("ValidationError", "MaxHealthyPercentage %v and MinHealthyPercentage %v are more than 100 apart", most, least)
	}
	return nil
}

// scalingPolicy refuses a policy of a group that does not exist, and a CPU target outside 0-100.
func scalingPolicy(r *request) (string, map[string]any, error) {
	in, err := decode[scalingPolicyInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	group := in.AutoscalingGroupName
	if _, ok := r.cloud.resource(awstype.AutoScalingGroup, group); !ok {
		return "", nil, errorf("ValidationError", "Group %s not found", group)
	}
	if target := in.TargetTrackingConfiguration.TargetValue; target <= 0 || target > 100 {
		return "", nil, errorf("ValidationError", "a CPU utilization target must be above 0 and at most 100, not %v", target)
	}
	name := in.Name
	if name == "" {
		name = r.reg.name + "-" + r.hex("name", 7)
	}
	return name, map[string]any{"name": name, "arn": r.arn("autoscaling", "scalingPolicy:"+uuid(r.hex("uuid", 32))+":autoScalingGroupName/"+group+":policyName/"+name)}, nil
}
