// Package mainsite owns the main site of the topology: an EC2 instance running Apache behind an
// internet-facing Application Load Balancer that serves HTTPS with a DNS-validated certificate
// and redirects HTTP to HTTPS, with the network it runs in when none is given.
package mainsite

import (
	"encoding/base64"
	"fmt"
	"net"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/pkg/certificate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/naming"
	"github.com/seed-2b23e6e5/route53-failover/pkg/validate"
)

// Type is the component's type token; changing it would replace every child.
const Type = "route53-failover:index:MainSite"

// TLSPolicy is the HTTPS listener's security policy: TLS 1.3 and 1.2 only.
const TLSPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"

// MainSite is the site people reach while it is healthy.
type MainSite struct {
	pulumi.ResourceState

	// DNSName is the load balancer's DNS name (alias targets prefix it with "dualstack.").
	DNSName pulumi.StringOutput
	// ZoneID is the load balancer's canonical hosted zone id, for alias records.
	ZoneID pulumi.StringOutput
	// LoadBalancerARN is the load balancer's ARN.
	LoadBalancerARN pulumi.StringOutput
	// TargetGroupARN is the target group's ARN.
	TargetGroupARN pulumi.StringOutput
	// InstanceID is the web server's instance id.
	InstanceID pulumi.StringOutput
	// URL is https:// and the load balancer's own DNS name. Its certificate is for Domain, so a
	// browser warns on this URL; it is for diagnosis, people use the domain.
	URL pulumi.StringOutput
	// Settings are the resolved health check settings, for the failover estimate.
	Settings TargetHealthCheck
	// IPv6 is true when the load balancer is dualstack.
	IPv6 bool
}

// New builds the main site.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*MainSite, error) {
	if args == nil {
		args = &Args{}
	}
	if err := args.Validate(nil); err != nil {
		return nil, err
	}
	if err := certificate.CheckSource(args.CertificateARN, args.ZoneID); err != nil {
		return nil, err
	}
	a := args.WithDefaults()

	site := &MainSite{Settings: a.HealthCheck, IPv6: a.IPv6}
	inputs := pulumi.Map{
		"domain":       pulumi.String(a.Domain),
		"instanceType": pulumi.String(a.InstanceType),
		"ipv6":         pulumi.Bool(a.IPv6),
		"healthCheck": pulumi.Map{
			"path": pulumi.String(a.HealthCheck.Path), "interval": pulumi.Int(a.HealthCheck.Interval),
			"timeout": pulumi.Int(a.HealthCheck.Timeout), "healthyThreshold": pulumi.Int(a.HealthCheck.HealthyThreshold),
			"unhealthyThreshold": pulumi.Int(a.HealthCheck.UnhealthyThreshold),
		},
	}
	if err := ctx.RegisterComponentResourceV2(Type, name, inputs, site, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(site)
	tags := func(child string) pulumi.StringMap { return naming.Tags(name, child, a.Tags) }

	vpcID, subnetIDs := a.VpcID, a.SubnetIDs
	createdNetwork := vpcID == nil
	if createdNetwork {
		created, err := newNetwork(ctx, name, a.IPv6, tags, parent)
		if err != nil {
			return nil, err
		}
		vpcID, subnetIDs = created.vpcID, created.subnetIDs
	}

	certificateARN, err := certificate.ARN(ctx, name, a.CertificateARN, &certificate.Args{
		Domain: a.Domain, AlternateNames: a.AlternateNames, ZoneID: a.ZoneID, Tags: a.Tags,
	}, parent)
	if err != nil {
		return nil, err
	}

	albSG, instanceSG, err := newSecurityGroups(ctx, name, vpcID, tags, parent)
	if err != nil {
		return nil, err
	}

	ami := pulumi.String(a.AmiID).ToStringOutput()
	instanceOpts := []pulumi.ResourceOption{parent}
	if a.AmiID == "" {
		ami = ssm.LookupParameterOutput(ctx, ssm.LookupParameterOutputArgs{
			Name: pulumi.String(AmazonLinuxParameter),
		}, parent).Value()
		// A new Amazon Linux release must not replace a running web server on the next update.
		instanceOpts = append(instanceOpts, pulumi.IgnoreChanges([]string{"ami"}))
	}
	var publicIP pulumi.BoolPtrInput
	if createdNetwork {
		// The created subnets have no NAT: the instance needs a public address to install Apache.
		// Its security group still admits only the load balancer.
		publicIP = pulumi.Bool(true)
	}
	instanceName := naming.Child(name, "web")
	instance, err := ec2.NewInstance(ctx, instanceName, &ec2.InstanceArgs{
		Ami:                      ami,
		InstanceType:             pulumi.String(a.InstanceType),
		SubnetId:                 subnetIDs[0],
		VpcSecurityGroupIds:      pulumi.StringArray{instanceSG.ID()},
		AssociatePublicIpAddress: publicIP,
		MetadataOptions: &ec2.InstanceMetadataOptionsArgs{
			HttpEndpoint:            pulumi.String("enabled"),
			HttpTokens:              pulumi.String("required"),
			HttpPutResponseHopLimit: pulumi.Int(1),
		},
		RootBlockDevice: &ec2.InstanceRootBlockDeviceArgs{
			Encrypted:  pulumi.Bool(true),
			VolumeType: pulumi.String("gp3"),
		},
		UserData:                pulumi.String(UserData(a.MainPage)),
		UserDataReplaceOnChange: pulumi.Bool(true),
		Tags:                    tags(instanceName),
	}, instanceOpts...)
	if err != nil {
		return nil, err
	}

	h := a.HealthCheck
	tgName := naming.Child(name, "tg")
	targetGroup, err := lb.NewTargetGroup(ctx, tgName, &lb.TargetGroupArgs{
		VpcId:      vpcID,
		Port:       pulumi.Int(80),
		Protocol:   pulumi.String("HTTP"),
		TargetType: pulumi.String("instance"),
		// AWS's default of 300 s only slows down replacing the instance.
		DeregistrationDelay: pulumi.Int(30),
		HealthCheck: &lb.TargetGroupHealthCheckArgs{
			Enabled:            pulumi.Bool(true),
			Protocol:           pulumi.String("HTTP"),
			Port:               pulumi.String("traffic-port"),
			Path:               pulumi.String(h.Path),
			Matcher:            pulumi.String("200"),
			Interval:           pulumi.Int(h.Interval),
			Timeout:            pulumi.Int(h.Timeout),
			HealthyThreshold:   pulumi.Int(h.HealthyThreshold),
			UnhealthyThreshold: pulumi.Int(h.UnhealthyThreshold),
		},
		Tags: tags(tgName),
	}, parent)
	if err != nil {
		return nil, err
	}
	if _, err := lb.NewTargetGroupAttachment(ctx, naming.Child(name, "tg", "web"), &lb.TargetGroupAttachmentArgs{
		TargetGroupArn: targetGroup.Arn,
		TargetId:       instance.ID(),
		Port:           pulumi.Int(80),
	}, parent); err != nil {
		return nil, err
	}

	albName := naming.Child(name, "alb")
	alb, err := lb.NewLoadBalancer(ctx, albName, &lb.LoadBalancerArgs{
		LoadBalancerType:        pulumi.String("application"),
		Internal:                pulumi.Bool(false),
		IpAddressType:           pulumi.String(ipAddressType(a.IPv6)),
		SecurityGroups:          pulumi.StringArray{albSG.ID()},
		Subnets:                 subnetIDs,
		DropInvalidHeaderFields: pulumi.Bool(true),
		Tags:                    tags(albName),
	}, parent)
	if err != nil {
		return nil, err
	}

	if _, err := lb.NewListener(ctx, naming.Child(name, "https"), &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn,
		Port:            pulumi.Int(443),
		Protocol:        pulumi.String("HTTPS"),
		SslPolicy:       pulumi.String(TLSPolicy),
		CertificateArn:  certificateARN,
		DefaultActions: lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
			Type:           pulumi.String("forward"),
			TargetGroupArn: targetGroup.Arn,
		}},
		Tags: tags(naming.Child(name, "https")),
	}, parent); err != nil {
		return nil, err
	}
	if _, err := lb.NewListener(ctx, naming.Child(name, "http"), &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn,
		Port:            pulumi.Int(80),
		Protocol:        pulumi.String("HTTP"),
		DefaultActions: lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
			Type: pulumi.String("redirect"),
			Redirect: &lb.ListenerDefaultActionRedirectArgs{
				Protocol:   pulumi.String("HTTPS"),
				Port:       pulumi.String("443"),
				StatusCode: pulumi.String("HTTP_301"),
			},
		}},
		Tags: tags(naming.Child(name, "http")),
	}, parent); err != nil {
		return nil, err
	}

	site.DNSName = alb.DnsName
	site.ZoneID = alb.ZoneId
	site.LoadBalancerARN = alb.Arn
	site.TargetGroupARN = targetGroup.Arn
	site.InstanceID = instance.ID().ToStringOutput()
	site.URL = pulumi.Sprintf("https://%s", alb.DnsName)
	return site, ctx.RegisterResourceOutputs(site, pulumi.Map{
		"dnsName":         site.DNSName,
		"zoneId":          site.ZoneID,
		"loadBalancerArn": site.LoadBalancerARN,
		"targetGroupArn":  site.TargetGroupARN,
		"instanceId":      site.InstanceID,
		"url":             site.URL,
	})
}

// UserData is the boot script that installs Apache and writes page as the site's index. The page
// travels base64-encoded, so no character in it can break the script.
func UserData(page string) string {
	return fmt.Sprintf(`#!/bin/bash
set -euo pipefail
dnf install -y httpd
echo '%s' | base64 -d > /var/www/html/index.html
systemctl enable --now httpd
`, base64.StdEncoding.EncodeToString([]byte(page)))
}

type network struct {
	vpcID     pulumi.StringInput
	subnetIDs pulumi.StringArray
}

func ipAddressType(ipv6 bool) string {
	if ipv6 {
		return "dualstack"
	}
	return "ipv4"
}

// newNetwork creates a VPC with two public subnets in the region's first two Availability Zones
// (an ALB needs two), an internet gateway and the default routes.
func newNetwork(ctx *pulumi.Context, name string, ipv6 bool, tags func(string) pulumi.StringMap, parent pulumi.ResourceOrInvokeOption) (*network, error) {
	vpcName := naming.Child(name, "vpc")
	v, err := ec2.NewVpc(ctx, vpcName, &ec2.VpcArgs{
		CidrBlock:                    pulumi.String("10.0.0.0/16"),
		AssignGeneratedIpv6CidrBlock: optionalBool(ipv6),
		EnableDnsSupport:             pulumi.Bool(true),
		EnableDnsHostnames:           pulumi.Bool(true),
		Tags:                         tags(vpcName),
	}, parent)
	if err != nil {
		return nil, err
	}
	igwName := naming.Child(name, "igw")
	igw, err := ec2.NewInternetGateway(ctx, igwName, &ec2.InternetGatewayArgs{VpcId: v.ID(), Tags: tags(igwName)}, parent)
	if err != nil {
		return nil, err
	}
	rtName := naming.Child(name, "public")
	routes, err := ec2.NewRouteTable(ctx, rtName, &ec2.RouteTableArgs{VpcId: v.ID(), Tags: tags(rtName)}, parent)
	if err != nil {
		return nil, err
	}
	if _, err := ec2.NewRoute(ctx, naming.Child(name, "public", "default"), &ec2.RouteArgs{
		RouteTableId:         routes.ID(),
		DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
		GatewayId:            igw.ID(),
	}, parent); err != nil {
		return nil, err
	}
	if ipv6 {
		if _, err := ec2.NewRoute(ctx, naming.Child(name, "public", "default", "ipv6"), &ec2.RouteArgs{
			RouteTableId:             routes.ID(),
			DestinationIpv6CidrBlock: pulumi.String("::/0"),
			GatewayId:                igw.ID(),
		}, parent); err != nil {
			return nil, err
		}
	}

	// Local Zones and Wavelength Zones cannot host an ALB; only the region's own zones qualify.
	zones := aws.GetAvailabilityZonesOutput(ctx, aws.GetAvailabilityZonesOutputArgs{
		State: pulumi.String("available"),
		Filters: aws.GetAvailabilityZonesFilterArray{aws.GetAvailabilityZonesFilterArgs{
			Name:   pulumi.String("opt-in-status"),
			Values: pulumi.StringArray{pulumi.String("opt-in-not-required")},
		}},
	}, parent).Names()
	created := &network{vpcID: v.ID()}
	for i := 0; i < 2; i++ {
		subnetName := naming.Child(name, "public", fmt.Sprint(i+1))
		subnetArgs := &ec2.SubnetArgs{
			VpcId:            v.ID(),
			CidrBlock:        pulumi.Sprintf("10.0.%d.0/24", i+1),
			AvailabilityZone: zones.Index(pulumi.Int(i)),
			Tags:             tags(subnetName),
		}
		if ipv6 {
			index := i + 1
			subnetArgs.Ipv6CidrBlock = v.Ipv6CidrBlock.ApplyT(func(block string) (string, error) {
				return Subnet64(block, index)
			}).(pulumi.StringOutput)
		}
		subnet, err := ec2.NewSubnet(ctx, subnetName, subnetArgs, parent)
		if err != nil {
			return nil, err
		}
		if _, err := ec2.NewRouteTableAssociation(ctx, subnetName, &ec2.RouteTableAssociationArgs{
			SubnetId:     subnet.ID(),
			RouteTableId: routes.ID(),
		}, parent); err != nil {
			return nil, err
		}
		created.subnetIDs = append(created.subnetIDs, subnet.ID())
	}
	return created, nil
}

// newSecurityGroups makes the load balancer's group (80 and 443 from anywhere, out only to the
// instance on 80) and the instance's (80 from the load balancer only; out to anywhere, for
// package installs). Rules are separate resources so the two groups can name each other.
func newSecurityGroups(ctx *pulumi.Context, name string, vpcID pulumi.StringInput, tags func(string) pulumi.StringMap,
	parent pulumi.ResourceOrInvokeOption) (alb, instance *ec2.SecurityGroup, err error) {
	albName, instanceName := naming.Child(name, "alb", "sg"), naming.Child(name, "web", "sg")
	alb, err = ec2.NewSecurityGroup(ctx, albName, &ec2.SecurityGroupArgs{
		VpcId: vpcID, Description: pulumi.String("Load balancer of " + name + ": HTTP and HTTPS from anywhere"), Tags: tags(albName),
	}, parent)
	if err != nil {
		return nil, nil, err
	}
	instance, err = ec2.NewSecurityGroup(ctx, instanceName, &ec2.SecurityGroupArgs{
		VpcId: vpcID, Description: pulumi.String("Web server of " + name + ": HTTP from its load balancer only"), Tags: tags(instanceName),
	}, parent)
	if err != nil {
		return nil, nil, err
	}
	for _, port := range []int{80, 443} {
		for _, source := range []struct{ family, v4, v6 string }{{"ipv4", "0.0.0.0/0", ""}, {"ipv6", "", "::/0"}} {
			ruleName := naming.Child(albName, fmt.Sprint(port), source.family)
			if _, err := vpc.NewSecurityGroupIngressRule(ctx, ruleName, &vpc.SecurityGroupIngressRuleArgs{
				SecurityGroupId: alb.ID(),
				IpProtocol:      pulumi.String("tcp"),
				FromPort:        pulumi.Int(port),
				ToPort:          pulumi.Int(port),
				CidrIpv4:        optional(source.v4),
				CidrIpv6:        optional(source.v6),
				Tags:            tags(ruleName),
			}, parent); err != nil {
				return nil, nil, err
			}
		}
	}
	if _, err := vpc.NewSecurityGroupEgressRule(ctx, naming.Child(albName, "to-web"), &vpc.SecurityGroupEgressRuleArgs{
		SecurityGroupId:           alb.ID(),
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(80),
		ToPort:                    pulumi.Int(80),
		ReferencedSecurityGroupId: instance.ID(),
		Tags:                      tags(naming.Child(albName, "to-web")),
	}, parent); err != nil {
		return nil, nil, err
	}
	if _, err := vpc.NewSecurityGroupIngressRule(ctx, naming.Child(instanceName, "from-alb"), &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId:           instance.ID(),
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(80),
		ToPort:                    pulumi.Int(80),
		ReferencedSecurityGroupId: alb.ID(),
		Tags:                      tags(naming.Child(instanceName, "from-alb")),
	}, parent); err != nil {
		return nil, nil, err
	}
	if _, err := vpc.NewSecurityGroupEgressRule(ctx, naming.Child(instanceName, "out"), &vpc.SecurityGroupEgressRuleArgs{
		SecurityGroupId: instance.ID(),
		IpProtocol:      pulumi.String("-1"),
		CidrIpv4:        pulumi.String("0.0.0.0/0"),
		Tags:            tags(naming.Child(instanceName, "out")),
	}, parent); err != nil {
		return nil, nil, err
	}
	return alb, instance, nil
}

// Subnet64 returns the index-th /64 of a VPC's /56 IPv6 block.
func Subnet64(vpcBlock string, index int) (string, error) {
	ip, block, err := net.ParseCIDR(vpcBlock)
	if err != nil {
		return "", err
	}
	if ones, bits := block.Mask.Size(); ones != 56 || bits != 128 || ip.To4() != nil {
		return "", fmt.Errorf("%s is not an IPv6 /56", vpcBlock)
	}
	if index < 0 || index > 255 {
		return "", fmt.Errorf("a /56 has 256 /64s; %d is out of range", index)
	}
	sub := make(net.IP, len(block.IP))
	copy(sub, block.IP)
	sub[7] = byte(index)
	return (&net.IPNet{IP: sub, Mask: net.CIDRMask(64, 128)}).String(), nil
}

func optionalBool(b bool) pulumi.BoolPtrInput {
	if !b {
		return nil
	}
	return pulumi.Bool(true)
}

func optional(s string) pulumi.StringPtrInput {
	if s == "" {
		return nil
	}
	return pulumi.String(s)
}

// CheckSubnets looks up existing subnets before anything is created, and refuses them unless
// they belong to vpcID and span at least two Availability Zones, as an ALB requires. field
// names the setting that listed them, for the error.
func CheckSubnets(ctx *pulumi.Context, field, vpcID string, subnetIDs []string, opts ...pulumi.InvokeOption) error {
	zones := map[string]bool{}
	for _, id := range subnetIDs {
		subnet, err := ec2.LookupSubnet(ctx, &ec2.LookupSubnetArgs{Id: &id}, opts...)
		if err != nil {
			return validate.Invalid(field, id, "an existing subnet of this account and region: "+err.Error())
		}
		if subnet.VpcId != vpcID {
			return validate.Invalid(field, id, fmt.Sprintf("a subnet of VPC %s; this one is in %s", vpcID, subnet.VpcId))
		}
		zones[subnet.AvailabilityZone] = true
	}
	if len(zones) < 2 {
		return validate.Invalid(field, strings.Join(subnetIDs, ","),
			"subnets in at least two different Availability Zones: an Application Load Balancer needs two")
	}
	return nil
}
