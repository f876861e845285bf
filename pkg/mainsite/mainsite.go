// Package mainsite owns the main site of the topology: an EC2 instance running Apache behind an
// internet-facing Application Load Balancer that serves HTTPS with a DNS-validated certificate
// and redirects HTTP to HTTPS, with the network it runs in when none is given.
package mainsite

import (
	"encoding/base64"
	"fmt"
	"net"
	"slices"
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
	// CertificateARN is the load balancer's certificate, resolved once it is issued.
	CertificateARN pulumi.StringOutput
	// Certificate is the certificate MainSite requested (nil when Args.CertificateARN was given).
	Certificate *certificate.Certificate
	// Settings are the resolved health check settings, for the failover estimate.
	Settings TargetHealthCheck
	// IPv6 is true when the load balancer is dualstack.
	IPv6 bool
}

// New builds the main site. Before it creates anything it reads what the account offers (the
// instance type's architecture and zones, the image, given subnets and their route tables) and
// refuses what would fail at launch, with an error that names the Args field.
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

	place, err := survey(ctx, &a, parent)
	if err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, name: name, args: &a, place: place, parent: parent}

	net := &network{vpcID: pulumi.String(a.VpcID), subnetIDs: pulumi.ToStringArray(a.SubnetIDs)}
	instanceSubnet := pulumi.StringInput(pulumi.String(place.instanceSubnet))
	if a.VpcID == "" {
		if net, err = b.network(); err != nil {
			return nil, err
		}
		instanceSubnet = net.subnetIDs[0]
	}

	certificateARN := a.CertificateARN
	if certificateARN == nil {
		site.Certificate, err = certificate.New(ctx, naming.Child(name, "cert"), &certificate.Args{
			Domain: a.Domain, AlternateNames: a.AlternateNames, ZoneID: a.ZoneID, Tags: a.Tags,
		}, parent)
		if err != nil {
			return nil, err
		}
		certificateARN = site.Certificate.CertificateARN
	}

	albSG, instanceSG, err := b.securityGroups(net.vpcID)
	if err != nil {
		return nil, err
	}
	instance, err := b.instance(instanceSubnet, instanceSG)
	if err != nil {
		return nil, err
	}
	targetGroup, alb, err := b.loadBalancer(net, albSG, instance, certificateARN)
	if err != nil {
		return nil, err
	}

	site.DNSName = alb.DnsName
	site.ZoneID = alb.ZoneId
	site.LoadBalancerARN = alb.Arn
	site.TargetGroupARN = targetGroup.Arn
	site.InstanceID = instance.ID().ToStringOutput()
	site.URL = pulumi.Sprintf("https://%s", alb.DnsName)
	site.CertificateARN = certificateARN.ToStringOutput()
	return site, ctx.RegisterResourceOutputs(site, pulumi.Map{
		"dnsName":         site.DNSName,
		"zoneId":          site.ZoneID,
		"loadBalancerArn": site.LoadBalancerARN,
		"targetGroupArn":  site.TargetGroupARN,
		"instanceId":      site.InstanceID,
		"url":             site.URL,
	})
}

// placement is what MainSite runs and where, decided from what the account offers.
type placement struct {
	// image is the AMI the instance boots; imageParameter is the SSM parameter it was read
	// from, empty when Args.AmiID gave it.
	image, imageParameter string
	// zones are the two Availability Zones of a created network.
	zones []string
	// instanceSubnet is the given subnet the instance runs in.
	instanceSubnet string
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
	if p.instanceSubnet == "" {
		return nil, validate.Invalid("InstanceType", a.InstanceType, fmt.Sprintf(
			"a type offered in the Availability Zone of one of SubnetIDs; %s", offeredIn))
	}
	return p, nil
}

// surveySubnets checks given subnets: each exists in VpcID, one per Availability Zone, is public
// (its route table sends the default route to an internet gateway, as an internet-facing load
// balancer needs) and, with IPv6, has an IPv6 block and an IPv6 default route. The instance
// goes in the first whose zone offers the instance type.
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
		if p.instanceSubnet == "" && slices.Contains(offered, subnet.AvailabilityZone) {
			p.instanceSubnet = id
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

// builder creates MainSite's children, named after it and parented to it.
type builder struct {
	ctx    *pulumi.Context
	name   string
	args   *Args
	place  *placement
	parent pulumi.ResourceOrInvokeOption
}

func (b *builder) tags(child string) pulumi.StringMap { return naming.Tags(b.name, child, b.args.Tags) }

type network struct {
	vpcID     pulumi.StringInput
	subnetIDs pulumi.StringArray
	// public are the routes and associations that make a created network's subnets public: an
	// internet-facing load balancer must wait for them (AWS refuses one in a VPC without an
	// attached internet gateway).
	public []pulumi.Resource
}

// network creates a VPC with two public subnets in the surveyed Availability Zones (an ALB needs
// two), an internet gateway and the default routes.
func (b *builder) network() (*network, error) {
	ctx, name, ipv6, parent := b.ctx, b.name, b.args.IPv6, b.parent
	vpcName := naming.Child(name, "vpc")
	v, err := ec2.NewVpc(ctx, vpcName, &ec2.VpcArgs{
		CidrBlock:                    pulumi.String("10.0.0.0/16"),
		AssignGeneratedIpv6CidrBlock: optionalBool(ipv6),
		EnableDnsSupport:             pulumi.Bool(true),
		EnableDnsHostnames:           pulumi.Bool(true),
		Tags:                         b.tags(vpcName),
	}, parent)
	if err != nil {
		return nil, err
	}
	igwName := naming.Child(name, "igw")
	igw, err := ec2.NewInternetGateway(ctx, igwName, &ec2.InternetGatewayArgs{VpcId: v.ID(), Tags: b.tags(igwName)}, parent)
	if err != nil {
		return nil, err
	}
	rtName := naming.Child(name, "public")
	routes, err := ec2.NewRouteTable(ctx, rtName, &ec2.RouteTableArgs{VpcId: v.ID(), Tags: b.tags(rtName)}, parent)
	if err != nil {
		return nil, err
	}
	created := &network{vpcID: v.ID()}
	route, err := ec2.NewRoute(ctx, naming.Child(name, "public", "default"), &ec2.RouteArgs{
		RouteTableId:         routes.ID(),
		DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
		GatewayId:            igw.ID(),
	}, parent)
	if err != nil {
		return nil, err
	}
	created.public = append(created.public, route)
	if ipv6 {
		route, err := ec2.NewRoute(ctx, naming.Child(name, "public", "default", "ipv6"), &ec2.RouteArgs{
			RouteTableId:             routes.ID(),
			DestinationIpv6CidrBlock: pulumi.String("::/0"),
			GatewayId:                igw.ID(),
		}, parent)
		if err != nil {
			return nil, err
		}
		created.public = append(created.public, route)
	}

	for i, zone := range b.place.zones {
		subnetName := naming.Child(name, "public", fmt.Sprint(i+1))
		subnetArgs := &ec2.SubnetArgs{
			VpcId:            v.ID(),
			CidrBlock:        pulumi.Sprintf("10.0.%d.0/24", i+1),
			AvailabilityZone: pulumi.String(zone),
			Tags:             b.tags(subnetName),
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
		association, err := ec2.NewRouteTableAssociation(ctx, subnetName, &ec2.RouteTableAssociationArgs{
			SubnetId:     subnet.ID(),
			RouteTableId: routes.ID(),
		}, parent)
		if err != nil {
			return nil, err
		}
		created.subnetIDs = append(created.subnetIDs, subnet.ID())
		created.public = append(created.public, association)
	}
	return created, nil
}

// securityGroups makes the load balancer's group (80 and 443 from anywhere, out only to the
// instance on 80) and the instance's (80 from the load balancer only; out to anywhere, for
// package installs). Rules are separate resources so the two groups can name each other.
func (b *builder) securityGroups(vpcID pulumi.StringInput) (alb, instance *ec2.SecurityGroup, err error) {
	ctx, name, parent := b.ctx, b.name, b.parent
	albName, instanceName := naming.Child(name, "alb", "sg"), naming.Child(name, "web", "sg")
	alb, err = ec2.NewSecurityGroup(ctx, albName, &ec2.SecurityGroupArgs{
		VpcId: vpcID, Description: pulumi.String("Load balancer of " + name + ": HTTP and HTTPS from anywhere"), Tags: b.tags(albName),
	}, parent)
	if err != nil {
		return nil, nil, err
	}
	instance, err = ec2.NewSecurityGroup(ctx, instanceName, &ec2.SecurityGroupArgs{
		VpcId: vpcID, Description: pulumi.String("Web server of " + name + ": HTTP from its load balancer only"), Tags: b.tags(instanceName),
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
				Tags:            b.tags(ruleName),
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
		Tags:                      b.tags(naming.Child(albName, "to-web")),
	}, parent); err != nil {
		return nil, nil, err
	}
	if _, err := vpc.NewSecurityGroupIngressRule(ctx, naming.Child(instanceName, "from-alb"), &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId:           instance.ID(),
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(80),
		ToPort:                    pulumi.Int(80),
		ReferencedSecurityGroupId: alb.ID(),
		Tags:                      b.tags(naming.Child(instanceName, "from-alb")),
	}, parent); err != nil {
		return nil, nil, err
	}
	if _, err := vpc.NewSecurityGroupEgressRule(ctx, naming.Child(instanceName, "out"), &vpc.SecurityGroupEgressRuleArgs{
		SecurityGroupId: instance.ID(),
		IpProtocol:      pulumi.String("-1"),
		CidrIpv4:        pulumi.String("0.0.0.0/0"),
		Tags:            b.tags(naming.Child(instanceName, "out")),
	}, parent); err != nil {
		return nil, nil, err
	}
	return alb, instance, nil
}

// instance runs the web server: IMDSv2 only, an encrypted gp3 root volume, no key pair.
func (b *builder) instance(subnet pulumi.StringInput, sg *ec2.SecurityGroup) (*ec2.Instance, error) {
	opts := []pulumi.ResourceOption{b.parent}
	if b.place.imageParameter != "" {
		// A new Amazon Linux release must not replace a running web server on the next update.
		opts = append(opts, pulumi.IgnoreChanges([]string{"ami"}))
	}
	var publicIP pulumi.BoolPtrInput
	if b.args.VpcID == "" {
		// The created subnets have no NAT: the instance needs a public address to install Apache.
		// Its security group still admits only the load balancer.
		publicIP = pulumi.Bool(true)
	}
	name := naming.Child(b.name, "web")
	return ec2.NewInstance(b.ctx, name, &ec2.InstanceArgs{
		Ami:                      pulumi.String(b.place.image),
		InstanceType:             pulumi.String(b.args.InstanceType),
		SubnetId:                 subnet,
		VpcSecurityGroupIds:      pulumi.StringArray{sg.ID()},
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
		UserData:                pulumi.String(UserData(b.args.MainPage)),
		UserDataReplaceOnChange: pulumi.Bool(true),
		Tags:                    b.tags(name),
	}, opts...)
}

// loadBalancer makes the target group (with the instance in it), the load balancer, the HTTPS
// listener that forwards to the group and the HTTP listener that redirects to HTTPS.
func (b *builder) loadBalancer(net *network, sg *ec2.SecurityGroup, instance *ec2.Instance,
	certificateARN pulumi.StringInput) (*lb.TargetGroup, *lb.LoadBalancer, error) {
	ctx, name, parent, h := b.ctx, b.name, b.parent, b.args.HealthCheck
	tgName := naming.Child(name, "tg")
	targetGroup, err := lb.NewTargetGroup(ctx, tgName, &lb.TargetGroupArgs{
		VpcId:      net.vpcID,
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
		return nil, nil, err
	}
	if _, err := lb.NewTargetGroupAttachment(ctx, naming.Child(name, "tg", "web"), &lb.TargetGroupAttachmentArgs{
		TargetGroupArn: targetGroup.Arn,
		TargetId:       instance.ID(),
		Port:           pulumi.Int(80),
	}, parent); err != nil {
		return nil, nil, err
	}

	albName := naming.Child(name, "alb")
	alb, err := lb.NewLoadBalancer(ctx, albName, &lb.LoadBalancerArgs{
		LoadBalancerType:        pulumi.String("application"),
		Internal:                pulumi.Bool(false),
		IpAddressType:           pulumi.String(ipAddressType(b.args.IPv6)),
		SecurityGroups:          pulumi.StringArray{sg.ID()},
		Subnets:                 net.subnetIDs,
		DropInvalidHeaderFields: pulumi.Bool(true),
		Tags:                    b.tags(albName),
	}, parent, pulumi.DependsOn(net.public))
	if err != nil {
		return nil, nil, err
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
		Tags: b.tags(naming.Child(name, "https")),
	}, parent); err != nil {
		return nil, nil, err
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
		Tags: b.tags(naming.Child(name, "http")),
	}, parent); err != nil {
		return nil, nil, err
	}
	return targetGroup, alb, nil
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
