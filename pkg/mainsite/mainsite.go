// Package mainsite owns the main site of the topology: an Auto Scaling group of EC2 instances
// running Apache, behind an internet-facing Application Load Balancer that serves HTTPS with a
// DNS-validated certificate and redirects HTTP to HTTPS, with the network it runs in when none is
// given. As CloudFront's origin (Args.CloudFrontOrigin, edge mode) the load balancer admits only
// CloudFront, answers for an origin name of its own, and can require a secret header.
package mainsite

import (
	"encoding/base64"
	"fmt"
	"net"
	"path"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/pkg/certificate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/internal/naming"
	"github.com/seed-2b23e6e5/route53-failover/pkg/internal/validate"
)

// Type is the component's type token; changing it would replace every child.
const Type = "route53-failover:index:MainSite"

// RootDevice is the device Amazon Linux boots from, whose volume the launch template encrypts.
const RootDevice = "/dev/xvda"

// TLSPolicy is the HTTPS listener's security policy: TLS 1.3 and 1.2 only.
const TLSPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"

// MainSite is the site people reach while it is healthy. It exposes the resources it creates,
// so that a stack can build on them (a WAF association on LoadBalancer, a rule on
// HTTPSListener, another target in TargetGroup) without forking the component.
type MainSite struct {
	pulumi.ResourceState

	// LoadBalancer is the internet-facing Application Load Balancer.
	LoadBalancer *lb.LoadBalancer
	// TargetGroup holds the instance; the HTTPS listener forwards to it.
	TargetGroup *lb.TargetGroup
	// HTTPSListener serves port 443 with the certificate and TLSPolicy.
	HTTPSListener *lb.Listener
	// HTTPListener answers port 80 with a permanent redirect to HTTPS (nil with
	// CloudFrontOrigin: CloudFront reaches the site over HTTPS only).
	HTTPListener *lb.Listener
	// SecurityGroups are the load balancer's and the instance's.
	SecurityGroups SecurityGroups
	// LaunchTemplate is what the group launches: the image, the instance type, the page.
	LaunchTemplate *ec2.LaunchTemplate
	// AutoScalingGroup keeps InstanceCount instances serving, across the subnets' zones, and
	// replaces one the load balancer finds unhealthy.
	AutoScalingGroup *autoscaling.Group
	// ScalingPolicy keeps the group's average CPU near ScaleOnCPUPercent (nil without scaling).
	ScalingPolicy *autoscaling.Policy
	// VPC is the created VPC (nil when Args.VpcID was given).
	VPC *ec2.Vpc
	// Subnets are the created public subnets, one per Availability Zone (nil when
	// Args.SubnetIDs were given).
	Subnets []*ec2.Subnet
	// Certificate is the certificate MainSite requested (nil when Args.CertificateARN was given).
	Certificate *certificate.Certificate
	// Origin is what makes the site CloudFront's origin (nil without Args.CloudFrontOrigin).
	Origin *Origin

	// DNSName is the load balancer's DNS name (alias targets prefix it with "dualstack.").
	DNSName pulumi.StringOutput
	// ZoneID is the load balancer's canonical hosted zone id, for alias records.
	ZoneID pulumi.StringOutput
	// LoadBalancerARN is the load balancer's ARN.
	LoadBalancerARN pulumi.StringOutput
	// TargetGroupARN is the target group's ARN.
	TargetGroupARN pulumi.StringOutput
	// AutoScalingGroupName is the group's name.
	AutoScalingGroupName pulumi.StringOutput
	// URL is https:// and the load balancer's own DNS name. Its certificate is for Domain, so a
	// browser warns on this URL; it is for diagnosis, people use the domain.
	URL pulumi.StringOutput
	// CertificateARN is the load balancer's certificate, resolved once it is issued.
	CertificateARN pulumi.StringOutput
	// Settings are the target group's health check as built, for the failover estimate.
	Settings TargetCheck
	// IPv6 is true when the load balancer is dualstack.
	IPv6 bool
}

// SecurityGroups are MainSite's two security groups.
type SecurityGroups struct {
	// LoadBalancer admits HTTP and HTTPS from anywhere (with CloudFrontOrigin: HTTPS from
	// CloudFront's origin-facing addresses only) and sends only to the instance on 80.
	LoadBalancer *ec2.SecurityGroup
	// Instance admits HTTP from the load balancer only.
	Instance *ec2.SecurityGroup
}

// New builds the main site. Before it creates anything it reads what the account offers (the
// instance type's architecture and zones, the image, given subnets and their route tables) and
// refuses what would fail at launch, with an error that names the Args field.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*MainSite, error) {
	if args == nil {
		args = &Args{}
	}
	if err := args.Validate(); err != nil {
		return nil, err
	}
	if err := certificate.CheckSource(args.CertificateARN, args.ZoneID); err != nil {
		return nil, err
	}
	if o := args.CloudFrontOrigin; o != nil {
		if args.ZoneID == nil {
			return nil, validate.Invalid("ZoneID", "", "the zone that publishes CloudFrontOrigin.Name: required with CloudFrontOrigin", "CloudFrontOrigin.Name")
		}
		if err := o.CheckSecretOutput(ctx.Context()); err != nil {
			return nil, validate.Within("CloudFrontOrigin", err)
		}
	}
	a := args.WithDefaults()

	site := &MainSite{Settings: a.TargetCheck(), IPv6: a.IPv6}
	h := site.Settings
	inputs := pulumi.Map{
		"domain":         pulumi.String(a.Domain),
		"instanceType":   pulumi.String(a.InstanceType),
		"ipv6":           pulumi.Bool(a.IPv6),
		"cloudFrontOnly": pulumi.Bool(a.CloudFrontOrigin != nil),
		// The page as text: the launch template holds it base64-encoded, twice.
		"mainPage": pulumi.String(a.MainPage),
		"healthCheck": pulumi.Map{
			"path": pulumi.String(h.Path), "interval": pulumi.Int(h.Interval),
			"timeout": pulumi.Int(h.Timeout), "healthyThreshold": pulumi.Int(h.HealthyThreshold),
			"unhealthyThreshold": pulumi.Int(h.UnhealthyThreshold),
		},
	}
	if err := ctx.RegisterComponentResourceV2(Type, name, inputs, site, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(site)

	place, err := survey(ctx, &a, parent)
	if err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, name: name, args: &a, place: place, parent: parent, site: site}
	for _, step := range []func() error{
		b.network, b.certificate, b.securityGroups, b.targetGroup, b.launchTemplate, b.loadBalancer, b.listeners, b.origin, b.group,
	} {
		if err := step(); err != nil {
			return nil, err
		}
	}

	alb := site.LoadBalancer
	// Whoever aliases the name (the PRIMARY records) waits until the load balancer serves its
	// clients: the rules that admit them, the listeners, and the group, which is created only
	// once its instances are healthy. When a stack leaves edge mode, the records move back only
	// after the rules.
	ready := append(toAny(b.admitted), site.HTTPSListener.Arn, site.AutoScalingGroup.Name)
	site.DNSName = pulumi.All(append([]any{alb.DnsName}, ready...)...).ApplyT(func(v []any) string {
		return v[0].(string)
	}).(pulumi.StringOutput)
	site.ZoneID = alb.ZoneId
	site.LoadBalancerARN = alb.Arn
	site.TargetGroupARN = site.TargetGroup.Arn
	site.AutoScalingGroupName = site.AutoScalingGroup.Name
	site.URL = pulumi.Sprintf("https://%s", alb.DnsName)
	return site, ctx.RegisterResourceOutputs(site, pulumi.Map{
		"dnsName":              site.DNSName,
		"zoneId":               site.ZoneID,
		"loadBalancerArn":      site.LoadBalancerARN,
		"targetGroupArn":       site.TargetGroupARN,
		"autoScalingGroupName": site.AutoScalingGroupName,
		"url":                  site.URL,
	})
}

// placement is what MainSite runs and where, decided from what the account offers.
type placement struct {
	// image is the AMI the instance boots; imageParameter is the SSM parameter it was read
	// from, empty when Args.AmiID gave it.
	image, imageParameter string
	// zones are the two Availability Zones of a created network.
	zones []string
	// instanceSubnets are the given subnets whose zones offer the instance type: the group's.
	instanceSubnets []string
}

// survey reads the account before anything is created: the instance type's architecture, the
// image of that architecture, and the Availability Zones (or given subnets) that can host the
// instance and the load balancer.
func survey(ctx *pulumi.Context, a *Args, parent pulumi.ResourceOrInvokeOption) (*placement, error) {
	info, err := ec2.GetInstanceType(ctx, &ec2.GetInstanceTypeArgs{InstanceType: a.InstanceType}, parent)
	if err != nil {
		return nil, validate.Invalid("InstanceType", a.InstanceType, "an EC2 instance type of this region: "+err.Error())
	}
	arch := ""
	for _, candidate := range []string{"arm64", "x86_64"} {
		if slices.Contains(info.SupportedArchitectures, candidate) {
			arch = candidate
			break
		}
	}
	if arch == "" {
		return nil, validate.Invalid("InstanceType", a.InstanceType, fmt.Sprintf(
			"a type that runs Amazon Linux 2023, on x86_64 or arm64; this one supports %s", strings.Join(info.SupportedArchitectures, ", ")))
	}

	p := &placement{image: a.AmiID}
	if a.AmiID == "" {
		p.imageParameter = AmazonLinuxParameter(arch)
		image, err := ssm.LookupParameter(ctx, &ssm.LookupParameterArgs{Name: p.imageParameter}, parent)
		if err != nil {
			return nil, err
		}
		p.image = image.Value
	} else {
		image, err := ec2.LookupAmi(ctx, &ec2.LookupAmiArgs{
			Filters: []ec2.GetAmiFilter{{Name: "image-id", Values: []string{a.AmiID}}},
		}, parent)
		if err != nil {
			return nil, validate.Invalid("AmiID", a.AmiID, "an image that exists in this region: "+err.Error())
		}
		if image.Architecture != arch {
			return nil, validate.Invalid("AmiID", a.AmiID, fmt.Sprintf(
				"an %s image, the architecture of InstanceType %s; this image is %s", arch, a.InstanceType, image.Architecture))
		}
		// The launch template maps (and encrypts) RootDevice: an image that boots from another
		// device would keep an unencrypted root volume and get an empty second one.
		if image.RootDeviceName != RootDevice {
			return nil, validate.Invalid("AmiID", a.AmiID, fmt.Sprintf(
				"an image whose root device is %s, as Amazon Linux's; this image boots from %s", RootDevice, image.RootDeviceName))
		}
	}

	offers, err := ec2.GetInstanceTypeOfferings(ctx, &ec2.GetInstanceTypeOfferingsArgs{
		LocationType: pulumi.StringRef("availability-zone"),
		Filters:      []ec2.GetInstanceTypeOfferingsFilter{{Name: "instance-type", Values: []string{a.InstanceType}}},
	}, parent)
	if err != nil {
		return nil, err
	}
	offeredIn := fmt.Sprintf("%s is offered in %s", a.InstanceType, orNone(offers.Locations))
	if a.VpcID == "" {
		// Local and Wavelength Zones cannot host an ALB; only the region's own zones qualify.
		zones, err := aws.GetAvailabilityZones(ctx, &aws.GetAvailabilityZonesArgs{
			State:   pulumi.StringRef("available"),
			Filters: []aws.GetAvailabilityZonesFilter{{Name: "opt-in-status", Values: []string{"opt-in-not-required"}}},
		}, parent)
		if err != nil {
			return nil, err
		}
		for _, z := range zones.Names {
			if slices.Contains(offers.Locations, z) && len(p.zones) < 2 {
				p.zones = append(p.zones, z)
			}
		}
		if len(p.zones) < 2 {
			return nil, validate.Invalid("InstanceType", a.InstanceType, fmt.Sprintf(
				"a type offered in at least two Availability Zones of %s, which the load balancer spans; %s", zones.Id, offeredIn))
		}
		return p, nil
	}
	if err := surveySubnets(ctx, a, offers.Locations, p, parent); err != nil {
		return nil, err
	}
	if len(p.instanceSubnets) == 0 {
		return nil, validate.Invalid("InstanceType", a.InstanceType, fmt.Sprintf(
			"a type offered in the Availability Zone of one of SubnetIDs; %s", offeredIn))
	}
	return p, nil
}

// surveySubnets checks given subnets: each exists in VpcID, one per Availability Zone, is public
// (its route table sends the default route to an internet gateway, as an internet-facing load
// balancer needs) and, with IPv6, has an IPv6 block and an IPv6 default route. The instances go
// in those whose zones offer the instance type.
func surveySubnets(ctx *pulumi.Context, a *Args, offered []string, p *placement, parent pulumi.ResourceOrInvokeOption) error {
	inZone := map[string]string{}
	for i, id := range a.SubnetIDs {
		field := fmt.Sprintf("SubnetIDs[%d]", i)
		subnet, err := ec2.LookupSubnet(ctx, &ec2.LookupSubnetArgs{Id: pulumi.StringRef(id)}, parent)
		if err != nil {
			return validate.Invalid(field, id, "an existing subnet of this account and region: "+err.Error())
		}
		if subnet.VpcId != a.VpcID {
			return validate.Invalid(field, id, fmt.Sprintf("a subnet of VpcID %s; this one is in %s", a.VpcID, subnet.VpcId))
		}
		if other, taken := inZone[subnet.AvailabilityZone]; taken {
			return validate.Invalid(field, id, fmt.Sprintf(
				"one subnet per Availability Zone: a load balancer takes one subnet per zone, and %s is in %s too", other, subnet.AvailabilityZone))
		}
		inZone[subnet.AvailabilityZone] = id
		if a.IPv6 && subnet.Ipv6CidrBlock == "" {
			return validate.Invalid(field, id, "a subnet with an IPv6 block: IPv6 is on, so the load balancer is dualstack")
		}
		table, err := routeTable(ctx, id, a.VpcID, parent)
		if err != nil {
			return validate.Invalid(field, id, "a subnet whose route table can be read: "+err.Error())
		}
		for _, dest := range defaultDestinations(a.IPv6) {
			if !routesToInternet(table.Routes, dest) {
				return validate.Invalid(field, id, fmt.Sprintf(
					"a public subnet: its route table %s has no route %s to an internet gateway, which an internet-facing load balancer needs", table.Id, dest))
			}
		}
		if slices.Contains(offered, subnet.AvailabilityZone) {
			p.instanceSubnets = append(p.instanceSubnets, id)
		}
	}
	return nil
}

// routeTable is the route table of a subnet: the one explicitly associated with it, else the
// VPC's main table.
func routeTable(ctx *pulumi.Context, subnet, vpcID string, parent pulumi.ResourceOrInvokeOption) (*ec2.LookupRouteTableResult, error) {
	if table, err := ec2.LookupRouteTable(ctx, &ec2.LookupRouteTableArgs{SubnetId: pulumi.StringRef(subnet)}, parent); err == nil {
		return table, nil
	}
	return ec2.LookupRouteTable(ctx, &ec2.LookupRouteTableArgs{
		VpcId:   pulumi.StringRef(vpcID),
		Filters: []ec2.GetRouteTableFilter{{Name: "association.main", Values: []string{"true"}}},
	}, parent)
}

func defaultDestinations(ipv6 bool) []string {
	if ipv6 {
		return []string{"0.0.0.0/0", "::/0"}
	}
	return []string{"0.0.0.0/0"}
}

func routesToInternet(routes []ec2.GetRouteTableRoute, dest string) bool {
	for _, r := range routes {
		if (r.CidrBlock == dest || r.Ipv6CidrBlock == dest) && strings.HasPrefix(r.GatewayId, "igw-") {
			return true
		}
	}
	return false
}

func orNone(zones []string) string {
	if len(zones) == 0 {
		return "no zone"
	}
	return strings.Join(zones, ", ")
}

// builder creates MainSite's children, named after it and parented to it, one concern per step;
// each step sets the site's fields that later steps build on.
type builder struct {
	ctx    *pulumi.Context
	name   string
	args   *Args
	place  *placement
	parent pulumi.ResourceOrInvokeOption
	site   *MainSite

	// The network the site runs in: given or created.
	vpcID           pulumi.StringInput
	subnetIDs       pulumi.StringArray
	instanceSubnets pulumi.StringArray
	// public are the routes and associations that make a created network's subnets public: an
	// internet-facing load balancer must wait for them (AWS refuses one in a VPC without an
	// attached internet gateway).
	public []pulumi.Resource
	// rules are the security group rules between clients, the load balancer and the
	// instances: the load balancer moves to its group only once they exist. admitted are the
	// rules and the listener that let clients in, which the load balancer's DNS name waits for,
	// so that no record sends clients to it before it admits them.
	rules    []pulumi.Resource
	admitted []pulumi.StringOutput
	// egress is the rule that lets the instances out to the package mirrors.
	egress pulumi.Resource
	// certificateARN is the load balancer's certificate, given or requested.
	certificateARN pulumi.StringInput
}

func (b *builder) tags(child string) pulumi.StringMap { return naming.Tags(b.name, child, b.args.Tags) }

// certificate requests and validates the load balancer's certificate unless one was given.
func (b *builder) certificate() error {
	a := b.args
	b.certificateARN = a.CertificateARN
	if b.certificateARN == nil {
		cert, err := certificate.New(b.ctx, naming.Child(b.name, "cert"), &certificate.Args{
			Domain: a.Domain, AlternateNames: a.AlternateNames, ZoneID: a.ZoneID, Tags: a.Tags,
		}, b.parent)
		if err != nil {
			return err
		}
		b.site.Certificate = cert
		b.certificateARN = cert.CertificateARN
	}
	b.site.CertificateARN = b.certificateARN.ToStringOutput()
	return nil
}

// network takes the given VPC and subnets, or creates a VPC with two public subnets in the
// surveyed Availability Zones (an ALB needs two), an internet gateway and the default routes.
func (b *builder) network() error {
	if b.args.VpcID != "" {
		b.vpcID, b.subnetIDs = pulumi.String(b.args.VpcID), pulumi.ToStringArray(b.args.SubnetIDs)
		b.instanceSubnets = pulumi.ToStringArray(b.place.instanceSubnets)
		return nil
	}
	ctx, name, parent := b.ctx, b.name, b.parent
	vpcName := naming.Child(name, "vpc")
	v, err := ec2.NewVpc(ctx, vpcName, &ec2.VpcArgs{
		CidrBlock:                    pulumi.String("10.0.0.0/16"),
		AssignGeneratedIpv6CidrBlock: trueOrUnset(b.args.IPv6),
		EnableDnsSupport:             pulumi.Bool(true),
		EnableDnsHostnames:           pulumi.Bool(true),
		Tags:                         b.tags(vpcName),
	}, parent)
	if err != nil {
		return err
	}
	b.site.VPC, b.vpcID = v, v.ID()
	igwName := naming.Child(name, "igw")
	igw, err := ec2.NewInternetGateway(ctx, igwName, &ec2.InternetGatewayArgs{VpcId: v.ID(), Tags: b.tags(igwName)}, parent)
	if err != nil {
		return err
	}
	rtName := naming.Child(name, "public")
	routes, err := ec2.NewRouteTable(ctx, rtName, &ec2.RouteTableArgs{VpcId: v.ID(), Tags: b.tags(rtName)}, parent)
	if err != nil {
		return err
	}
	for _, dest := range defaultDestinations(b.args.IPv6) {
		routeArgs := &ec2.RouteArgs{RouteTableId: routes.ID(), GatewayId: igw.ID()}
		routeName := naming.Child(name, "public", "default")
		if dest == "::/0" {
			routeArgs.DestinationIpv6CidrBlock = pulumi.String(dest)
			routeName = naming.Child(routeName, "ipv6")
		} else {
			routeArgs.DestinationCidrBlock = pulumi.String(dest)
		}
		route, err := ec2.NewRoute(ctx, routeName, routeArgs, parent)
		if err != nil {
			return err
		}
		b.public = append(b.public, route)
	}
	return b.subnets(v, routes)
}

// subnets creates one public subnet per surveyed Availability Zone, each a /24 of the VPC (and
// with IPv6 a /64 of its /56), associated with the public route table. The instance runs in
// the first.
func (b *builder) subnets(v *ec2.Vpc, routes *ec2.RouteTable) error {
	for i, zone := range b.place.zones {
		subnetName := naming.Child(b.name, "public", fmt.Sprint(i+1))
		subnetArgs := &ec2.SubnetArgs{
			VpcId:            v.ID(),
			CidrBlock:        pulumi.Sprintf("10.0.%d.0/24", i+1),
			AvailabilityZone: pulumi.String(zone),
			Tags:             b.tags(subnetName),
		}
		if b.args.IPv6 {
			index := i + 1
			subnetArgs.Ipv6CidrBlock = v.Ipv6CidrBlock.ApplyT(func(block string) (string, error) {
				return Subnet64(block, index)
			}).(pulumi.StringOutput)
		}
		subnet, err := ec2.NewSubnet(b.ctx, subnetName, subnetArgs, b.parent)
		if err != nil {
			return err
		}
		association, err := ec2.NewRouteTableAssociation(b.ctx, subnetName, &ec2.RouteTableAssociationArgs{
			SubnetId:     subnet.ID(),
			RouteTableId: routes.ID(),
		}, b.parent)
		if err != nil {
			return err
		}
		b.site.Subnets = append(b.site.Subnets, subnet)
		b.subnetIDs = append(b.subnetIDs, subnet.ID())
		b.public = append(b.public, association)
	}
	b.instanceSubnets = b.subnetIDs
	return nil
}

// securityGroups makes the load balancer's group (80 and 443 from anywhere, or with
// CloudFrontOrigin 443 from CloudFront only; out only to the instance on 80) and the instance's (80 from the load balancer only; out to anywhere, for
// package installs). Rules are separate resources so the two groups can name each other.
func (b *builder) securityGroups() error {
	ctx, name, parent, vpcID := b.ctx, b.name, b.parent, b.vpcID
	albName, instanceName := naming.Child(name, "alb", "sg"), naming.Child(name, "web", "sg")
	// One group for both modes, so that switching changes rules, never the group. A changed
	// description would replace it, so the description is kept as created: stacks from before
	// edge mode keep theirs ("HTTP and HTTPS from anywhere").
	alb, err := ec2.NewSecurityGroup(ctx, albName, &ec2.SecurityGroupArgs{
		VpcId: vpcID, Description: pulumi.String("Load balancer of " + name + ": its ingress rules say who may connect"), Tags: b.tags(albName),
	}, parent, pulumi.IgnoreChanges([]string{"description"}))
	if err != nil {
		return err
	}
	instance, err := ec2.NewSecurityGroup(ctx, instanceName, &ec2.SecurityGroupArgs{
		VpcId: vpcID, Description: pulumi.String("Web server of " + name + ": HTTP from its load balancer only"), Tags: b.tags(instanceName),
	}, parent)
	if err != nil {
		return err
	}
	if b.args.CloudFrontOrigin != nil {
		err = b.cloudFrontIngress(albName, alb)
	} else {
		err = b.internetIngress(albName, alb)
	}
	if err != nil {
		return err
	}
	toWeb, err := vpc.NewSecurityGroupEgressRule(ctx, naming.Child(albName, "to-web"), &vpc.SecurityGroupEgressRuleArgs{
		SecurityGroupId:           alb.ID(),
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(80),
		ToPort:                    pulumi.Int(80),
		ReferencedSecurityGroupId: instance.ID(),
		Tags:                      b.tags(naming.Child(albName, "to-web")),
	}, parent)
	if err != nil {
		return err
	}
	fromALB, err := vpc.NewSecurityGroupIngressRule(ctx, naming.Child(instanceName, "from-alb"), &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId:           instance.ID(),
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(80),
		ToPort:                    pulumi.Int(80),
		ReferencedSecurityGroupId: alb.ID(),
		Tags:                      b.tags(naming.Child(instanceName, "from-alb")),
	}, parent)
	if err != nil {
		return err
	}
	b.rules = append(b.rules, toWeb, fromALB)
	if b.egress, err = vpc.NewSecurityGroupEgressRule(ctx, naming.Child(instanceName, "out"), &vpc.SecurityGroupEgressRuleArgs{
		SecurityGroupId: instance.ID(),
		IpProtocol:      pulumi.String("-1"),
		CidrIpv4:        pulumi.String("0.0.0.0/0"),
		Tags:            b.tags(naming.Child(instanceName, "out")),
	}, parent); err != nil {
		return err
	}
	b.site.SecurityGroups = SecurityGroups{LoadBalancer: alb, Instance: instance}
	return nil
}

// admit lets clients from source reach the load balancer's group on port, with a rule named
// after the group, the port and the source, which the load balancer and its DNS name wait for.
func (b *builder) admit(alb *ec2.SecurityGroup, albName string, port int, sourceName string, source vpc.SecurityGroupIngressRuleArgs) error {
	ruleName := naming.Child(albName, fmt.Sprint(port), sourceName)
	source.SecurityGroupId, source.IpProtocol = alb.ID(), pulumi.String("tcp")
	source.FromPort, source.ToPort, source.Tags = pulumi.Int(port), pulumi.Int(port), b.tags(ruleName)
	rule, err := vpc.NewSecurityGroupIngressRule(b.ctx, ruleName, &source, b.parent)
	if err != nil {
		return err
	}
	b.rules = append(b.rules, rule)
	b.admitted = append(b.admitted, rule.ID().ToStringOutput())
	return nil
}

// internetIngress admits HTTP and HTTPS from anywhere, over IPv4 and IPv6.
func (b *builder) internetIngress(albName string, alb *ec2.SecurityGroup) error {
	for _, port := range []int{80, 443} {
		if err := b.admit(alb, albName, port, "ipv4", vpc.SecurityGroupIngressRuleArgs{CidrIpv4: pulumi.String("0.0.0.0/0")}); err != nil {
			return err
		}
		if err := b.admit(alb, albName, port, "ipv6", vpc.SecurityGroupIngressRuleArgs{CidrIpv6: pulumi.String("::/0")}); err != nil {
			return err
		}
	}
	return nil
}

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
	var err error
	b.site.LaunchTemplate, err = ec2.NewLaunchTemplate(b.ctx, name, &ec2.LaunchTemplateArgs{
		ImageId:      pulumi.String(b.place.image),
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

// groupGracePeriod is how long the group ignores a new instance's failed load balancer checks:
// booting and installing Apache with dnf takes one to two minutes, and AWS's default of 300 s
// leaves room for a slow package mirror without keeping a broken instance long.
const groupGracePeriod = 300

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

// targetGroup makes the target group that checks the instances on port 80; the group puts
// them in it.
func (b *builder) targetGroup() error {
	ctx, name, parent, h := b.ctx, b.name, b.parent, b.site.Settings
	tgName := naming.Child(name, "tg")
	targetGroup, err := lb.NewTargetGroup(ctx, tgName, &lb.TargetGroupArgs{
		VpcId:      b.vpcID,
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
		Tags: b.tags(tgName),
	}, parent)
	if err != nil {
		return err
	}
	b.site.TargetGroup = targetGroup
	return nil
}

// loadBalancer makes the internet-facing load balancer across the subnets, once they are public.
func (b *builder) loadBalancer() error {
	albName := naming.Child(b.name, "alb")
	alb, err := lb.NewLoadBalancer(b.ctx, albName, &lb.LoadBalancerArgs{
		LoadBalancerType:        pulumi.String("application"),
		Internal:                pulumi.Bool(false),
		IpAddressType:           pulumi.String(ipAddressType(b.args.IPv6)),
		SecurityGroups:          pulumi.StringArray{b.site.SecurityGroups.LoadBalancer.ID()},
		Subnets:                 b.subnetIDs,
		DropInvalidHeaderFields: pulumi.Bool(true),
		Tags:                    b.tags(albName),
	}, b.parent, pulumi.DependsOn(append(append([]pulumi.Resource{}, b.public...), b.rules...)))
	b.site.LoadBalancer = alb
	return err
}

// listeners make the HTTPS listener that forwards to the target group and, unless only
// CloudFront reaches the site (over HTTPS), the HTTP listener that redirects to HTTPS.
func (b *builder) listeners() error {
	ctx, name, parent, alb := b.ctx, b.name, b.parent, b.site.LoadBalancer
	var err error
	b.site.HTTPSListener, err = lb.NewListener(ctx, naming.Child(name, "https"), &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn,
		Port:            pulumi.Int(443),
		Protocol:        pulumi.String("HTTPS"),
		SslPolicy:       pulumi.String(TLSPolicy),
		CertificateArn:  b.certificateARN,
		DefaultActions:  lb.ListenerDefaultActionArray{b.httpsDefaultAction()},
		Tags:            b.tags(naming.Child(name, "https")),
	}, parent)
	if err != nil || b.args.CloudFrontOrigin != nil {
		return err
	}
	if b.site.HTTPListener, err = lb.NewListener(ctx, naming.Child(name, "http"), &lb.ListenerArgs{
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
		Tags: b.tags(naming.Child(name, "http")),
	}, parent); err != nil {
		return err
	}
	b.admitted = append(b.admitted, b.site.HTTPListener.Arn)
	return nil
}

func toAny(outputs []pulumi.StringOutput) []any {
	out := make([]any, len(outputs))
	for i, o := range outputs {
		out[i] = o
	}
	return out
}

// UserData is the boot script that installs Apache and writes page as the site's index. The page
// travels base64-encoded, so no character in it can break the script.
func UserData(page string) string { return BootScript(page, DefaultHealthCheckPath) }

// BootScript is UserData that also writes a page at healthCheckPath (its query string aside),
// so that the load balancer's checks find one there: Apache answers 404 for a path without a
// file. The path must pass Args.Validate (no character the shell would read).
func BootScript(page, healthCheckPath string) string {
	script := fmt.Sprintf(`#!/bin/bash
set -euo pipefail
dnf install -y httpd
echo '%s' | base64 -d > %s/index.html
`, base64.StdEncoding.EncodeToString([]byte(page)), documentRoot)
	if file := healthCheckFile(healthCheckPath); file != "" {
		script += fmt.Sprintf("mkdir -p %s\necho ok > %s\n", path.Dir(file), file)
	}
	return script + "systemctl enable --now httpd\n"
}

// documentRoot is where Apache serves pages from on Amazon Linux.
const documentRoot = "/var/www/html"

// healthCheckFile is the file the boot script writes for the health check's path, "" when the
// index answers it.
func healthCheckFile(healthCheckPath string) string {
	p, _, _ := strings.Cut(healthCheckPath, "?")
	if strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	if p == "/index.html" {
		return ""
	}
	return documentRoot + p
}

func ipAddressType(ipv6 bool) string {
	if ipv6 {
		return "dualstack"
	}
	return "ipv4"
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

// trueOrUnset sets a flag, or leaves it out (AWS's default, false), so that an IPv4-only site
// sends the very inputs it always did.
func trueOrUnset(b bool) pulumi.BoolPtrInput {
	if !b {
		return nil
	}
	return pulumi.Bool(true)
}
