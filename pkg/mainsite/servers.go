package mainsite

import (
	"encoding/base64"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/bootscript"
	"github.com/seed-2b23e6e5/route53-failover/internal/naming"
)

// The web servers: the launch template, its boot script, and the Auto Scaling group.

// launchTemplate is what the group launches: IMDSv2 only, an encrypted gp3 root volume, no key
// pair, the instances' security group, and the boot script that installs Apache and the page
// (base64, as launch templates take user data). Tags reach the instances and their volumes.
func (b *builder) launchTemplate() error {
	name := naming.Child(b.name, "web")
	tags := b.tags(name)
	// The instances share the load balancer's subnets, which are public (an internet-facing
	// load balancer needs a route to an internet gateway) and have no NAT: an instance needs a
	// public address to install Apache, whether the subnets were created or given (a given
	// subnet rarely maps one on launch). Its security group still admits only the load balancer.
	network := &ec2.LaunchTemplateNetworkInterfaceArgs{
		DeviceIndex:              pulumi.Int(0),
		SecurityGroups:           pulumi.StringArray{b.site.SecurityGroups.Instance.ID()},
		DeleteOnTermination:      pulumi.String("true"),
		AssociatePublicIpAddress: pulumi.String("true"),
	}
	image := b.args.Image
	if image == nil {
		image = pulumi.String(b.place.image)
	}
	var err error
	b.site.LaunchTemplate, err = ec2.NewLaunchTemplate(b.ctx, name, &ec2.LaunchTemplateArgs{
		ImageId:      image,
		InstanceType: pulumi.String(b.args.InstanceType),
		MetadataOptions: &ec2.LaunchTemplateMetadataOptionsArgs{
			HttpEndpoint:            pulumi.String("enabled"),
			HttpTokens:              pulumi.String("required"),
			HttpPutResponseHopLimit: pulumi.Int(1),
		},
		BlockDeviceMappings: ec2.LaunchTemplateBlockDeviceMappingArray{&ec2.LaunchTemplateBlockDeviceMappingArgs{
			DeviceName: pulumi.String(RootDevice),
			Ebs: &ec2.LaunchTemplateBlockDeviceMappingEbsArgs{
				Encrypted: pulumi.String("true"), VolumeType: pulumi.String("gp3"), DeleteOnTermination: pulumi.String("true"),
			},
		}},
		NetworkInterfaces: ec2.LaunchTemplateNetworkInterfaceArray{network},
		UserData:          pulumi.String(base64.StdEncoding.EncodeToString([]byte(BootScript(b.args.MainPage, b.site.Settings.Path)))),
		TagSpecifications: ec2.LaunchTemplateTagSpecificationArray{
			&ec2.LaunchTemplateTagSpecificationArgs{ResourceType: pulumi.String("instance"), Tags: tags},
			&ec2.LaunchTemplateTagSpecificationArgs{ResourceType: pulumi.String("volume"), Tags: tags},
		},
		UpdateDefaultVersion: pulumi.Bool(true),
		Tags:                 tags,
	}, b.parent)
	return err
}

// group runs InstanceCount instances of the template across the subnets, in the target group,
// replaced when the load balancer finds them unhealthy, and rolled over (new before old) when the
// template changes; with MaxInstanceCount above InstanceCount, it scales on CPU.
func (b *builder) group() error {
	name := naming.Child(b.name, "web")
	count, most := *b.args.InstanceCount, *b.args.MaxInstanceCount
	template := b.site.LaunchTemplate
	var groupTags autoscaling.GroupTagArray
	for _, key := range []string{"Name", naming.ComponentTag} {
		groupTags = append(groupTags, &autoscaling.GroupTagArgs{
			Key: pulumi.String(key), Value: b.tags(name)[key], PropagateAtLaunch: pulumi.Bool(false),
		})
	}
	var err error
	b.site.AutoScalingGroup, err = autoscaling.NewGroup(b.ctx, name, &autoscaling.GroupArgs{
		VpcZoneIdentifiers: b.instanceSubnets,
		MinSize:            pulumi.Int(count),
		MaxSize:            pulumi.Int(most),
		LaunchTemplate: &autoscaling.GroupLaunchTemplateArgs{
			Id:      template.ID(),
			Version: template.LatestVersion.ApplyT(func(v int) string { return fmt.Sprint(v) }).(pulumi.StringOutput),
		},
		TargetGroupArns:        pulumi.StringArray{b.site.TargetGroup.Arn},
		HealthCheckType:        pulumi.String("ELB"),
		HealthCheckGracePeriod: pulumi.Int(groupGracePeriod),
		// pulumi up returns once this many instances serve in the target group.
		MinElbCapacity: pulumi.Int(count),
		// No AutoRollback: the provider sets the new template version before it starts the
		// refresh, so a rollback would return to it (terraform-provider-aws#34189). A refresh
		// that fails leaves the old instances serving.
		InstanceRefresh: &autoscaling.GroupInstanceRefreshArgs{
			Strategy: pulumi.String("Rolling"),
			Preferences: &autoscaling.GroupInstanceRefreshPreferencesArgs{
				MinHealthyPercentage: pulumi.Int(100),
				MaxHealthyPercentage: pulumi.Int(200),
			},
		},
		Tags: groupTags,
	}, b.parent, pulumi.DependsOn(b.groupWaitsFor()))
	if err != nil || most == count {
		return err
	}
	b.site.ScalingPolicy, err = autoscaling.NewPolicy(b.ctx, naming.Child(b.name, "web", "cpu"), &autoscaling.PolicyArgs{
		AutoscalingGroupName: b.site.AutoScalingGroup.Name,
		PolicyType:           pulumi.String("TargetTrackingScaling"),
		TargetTrackingConfiguration: &autoscaling.PolicyTargetTrackingConfigurationArgs{
			PredefinedMetricSpecification: &autoscaling.PolicyTargetTrackingConfigurationPredefinedMetricSpecificationArgs{
				PredefinedMetricType: pulumi.String("ASGAverageCPUUtilization"),
			},
			TargetValue: pulumi.Float64(float64(*b.args.ScaleOnCPUPercent)),
		},
	}, b.parent)
	return err
}

// groupWaitsFor are what the group's creation waits for: pulumi up waits there until
// MinElbCapacity instances are healthy in the target group, which checks them only once a
// listener (or, with a secret, the rule that forwards CloudFront's requests) uses it; before, its
// targets stay "unused" and the provider gives up after 10 minutes. The instances also need, as
// they boot, the way out to the package mirrors and the rules that let the checks reach them.
func (b *builder) groupWaitsFor() []pulumi.Resource {
	waits := append([]pulumi.Resource{b.site.HTTPSListener, b.egress}, b.public...)
	waits = append(waits, b.rules...)
	if o := b.site.Origin; o != nil && o.SecretRule != nil {
		waits = append(waits, o.SecretRule)
	}
	return waits
}

// UserData is the boot script that installs Apache and writes page as the site's index. The page
// travels base64-encoded, so no character in it can break the script.
func UserData(page string) string { return BootScript(page, DefaultHealthCheckPath) }

// BootScript is UserData that also writes a page at healthCheckPath (its query string aside),
// so that the load balancer's checks find one there: Apache answers 404 for a path without a
// file. The path must pass Args.Validate (no character the shell would read).
func BootScript(page, healthCheckPath string) string { return bootscript.Script(page, healthCheckPath) }
