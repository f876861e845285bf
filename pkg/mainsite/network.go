package mainsite

import (
	"fmt"
	"net"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/naming"
	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
)

// The network the site runs in: the account survey that places it (zones that offer the
// instance type, given subnets checked), and the VPC and subnets it creates when none is given.

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
	switch {
	case a.Image != nil:
		// An image known only once it exists cannot be surveyed.
	case a.AmiID == "":
		p.imageParameter = AmazonLinuxParameter(arch)
		image, err := ssm.LookupParameter(ctx, &ssm.LookupParameterArgs{Name: p.imageParameter}, parent)
		if err != nil {
			return nil, err
		}
		p.image = image.Value
	default:
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
	if a.Network != nil {
		// Subnets known only once created cannot be surveyed; the region must offer the type.
		if len(offers.Locations) == 0 {
			return nil, validate.Invalid("InstanceType", a.InstanceType, "a type offered in this region; "+offeredIn)
		}
		return p, nil
	}
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

// network takes the given VPC and subnets, or creates a VPC with two public subnets in the
// surveyed Availability Zones (an ALB needs two), an internet gateway and the default routes.
func (b *builder) network() error {
	if n := b.args.Network; n != nil {
		b.vpcID, b.subnetIDs, b.instanceSubnets, b.public = n.VpcID, n.SubnetIDs, n.SubnetIDs, n.Ready
		return nil
	}
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
	var subnets pulumi.StringArray
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
		subnets = append(subnets, subnet.ID())
		b.public = append(b.public, association)
	}
	b.subnetIDs, b.instanceSubnets = subnets, subnets
	return nil
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
