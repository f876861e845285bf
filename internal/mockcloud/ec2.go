package mockcloud

import (
	"fmt"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
	"net"
	"slices"
	"strings"
)

// simulation answers the creation of one resource type: its id and computed outputs, or the
// refusal AWS (or the provider) would give for the inputs.
type simulation func(r *request) (id string, outputs map[string]any, err error)

// The inputs of the network's and the instances' resources that their simulations read.
type (
	vpcInputs struct {
		CidrBlock                    string `pulumi:"cidrBlock"`
		AssignGeneratedIpv6CidrBlock bool   `pulumi:"assignGeneratedIpv6CidrBlock"`
	}
	subnetInputs struct {
		VpcID               string `pulumi:"vpcId"`
		AvailabilityZone    string `pulumi:"availabilityZone"`
		CidrBlock           string `pulumi:"cidrBlock"`
		Ipv6CidrBlock       string `pulumi:"ipv6CidrBlock"`
		MapPublicIPOnLaunch bool   `pulumi:"mapPublicIpOnLaunch"`
	}
	internetGatewayInputs struct {
		VpcID string `pulumi:"vpcId"`
	}
	routeTableInputs struct {
		VpcID  string `pulumi:"vpcId"`
		Routes []struct {
			CidrBlock     string `pulumi:"cidrBlock"`
			Ipv6CidrBlock string `pulumi:"ipv6CidrBlock"`
			GatewayID     string `pulumi:"gatewayId"`
			NatGatewayID  string `pulumi:"natGatewayId"`
		} `pulumi:"routes"`
	}
	routeInputs struct {
		RouteTableID             string `pulumi:"routeTableId"`
		DestinationCidrBlock     string `pulumi:"destinationCidrBlock"`
		DestinationIpv6CidrBlock string `pulumi:"destinationIpv6CidrBlock"`
		GatewayID                string `pulumi:"gatewayId"`
		NatGatewayID             string `pulumi:"natGatewayId"`
	}
	routeTableAssociationInputs struct {
		RouteTableID string `pulumi:"routeTableId"`
		SubnetID     string `pulumi:"subnetId"`
	}
	securityGroupInputs struct {
		VpcID       string            `pulumi:"vpcId"`
		Description string            `pulumi:"description"`
		Ingress     []inlineGroupRule `pulumi:"ingress"`
		Egress      []inlineGroupRule `pulumi:"egress"`
	}
	inlineGroupRule struct {
		Protocol       string   `pulumi:"protocol"`
		FromPort       float64  `pulumi:"fromPort"`
		ToPort         float64  `pulumi:"toPort"`
		CidrBlocks     []string `pulumi:"cidrBlocks"`
		PrefixListIDs  []string `pulumi:"prefixListIds"`
		SecurityGroups []string `pulumi:"securityGroups"`
	}
	securityGroupRuleInputs struct {
		SecurityGroupID           string  `pulumi:"securityGroupId"`
		IPProtocol                string  `pulumi:"ipProtocol"`
		FromPort                  float64 `pulumi:"fromPort"`
		ToPort                    float64 `pulumi:"toPort"`
		CidrIpv4                  string  `pulumi:"cidrIpv4"`
		CidrIpv6                  string  `pulumi:"cidrIpv6"`
		ReferencedSecurityGroupID string  `pulumi:"referencedSecurityGroupId"`
		PrefixListID              string  `pulumi:"prefixListId"`
	}
	instanceInputs struct {
		InstanceType             string   `pulumi:"instanceType"`
		Ami                      string   `pulumi:"ami"`
		SubnetID                 string   `pulumi:"subnetId"`
		VpcSecurityGroupIDs      []string `pulumi:"vpcSecurityGroupIds"`
		UserData                 string   `pulumi:"userData"`
		AssociatePublicIPAddress bool     `pulumi:"associatePublicIpAddress"`
		RootBlockDevice          struct {
			VolumeType string `pulumi:"volumeType"`
		} `pulumi:"rootBlockDevice"`
	}
)

func simulateVPC(r *request) (string, map[string]any, error) {
	in, err := decode[vpcInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	_, block, err := net.ParseCIDR(in.CidrBlock)
	if err != nil || block.IP.To4() == nil {
		return "", nil, errorf("InvalidParameterValue", "a VPC needs an IPv4 cidrBlock, not %q", in.CidrBlock)
	}
	if ones, _ := block.Mask.Size(); ones < 16 || ones > 28 {
		return "", nil, errorf("InvalidVpc.Range", "the CIDR %s is not between /16 and /28", block)
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
	if in.AssignGeneratedIpv6CidrBlock {
		h := r.hex("ipv6", 6)
		_, block, _ := net.ParseCIDR("2406:da14:" + h[:4] + ":" + h[4:] + "00::/56")
		out["ipv6CidrBlock"] = block.String()
	}
	return id, out, nil
}

func simulateSubnet(r *request) (string, map[string]any, error) {
	in, err := decode[subnetInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	vpcCIDR, vpcIPv6, ok := r.cloud.vpc(in.VpcID)
	if !ok {
		return "", nil, errorf("InvalidVpcID.NotFound", "the VPC %q does not exist", in.VpcID)
	}
	az := in.AvailabilityZone
	azID, known := zoneIDOf(az)
	if !known || regionOfZone(az) != r.region() {
		return "", nil, errorf("InvalidParameterValue", "availability zone %q is not in %s (it has %s)", az, r.region(), strings.Join(zonesOf(r.region()), ", "))
	}
	_, block, err := net.ParseCIDR(in.CidrBlock)
	if err != nil {
		return "", nil, errorf("InvalidParameterValue", "invalid cidrBlock %q", in.CidrBlock)
	}
	if _, vpcBlock, err := net.ParseCIDR(vpcCIDR); err == nil && !contains(vpcBlock, block) {
		return "", nil, errorf("InvalidSubnet.Range", "the CIDR %s is not inside the VPC's %s", block, vpcBlock)
	}
	// "InvalidSubnet.Conflict: The specified CIDR block conflicts with that of another subnet in
	// your VPC" (Error codes for the Amazon EC2 API: docs.aws.amazon.com/AWSEC2/latest/
	// APIReference/errors-overview.html).
	for _, other := range r.subnetsOf(in.VpcID) {
		if _, taken, err := net.ParseCIDR(other); err == nil && (taken.Contains(block.IP) || block.Contains(taken.IP)) {
			return "", nil, errorf("InvalidSubnet.Conflict", "the CIDR block %s conflicts with %s, another subnet's in %s", block, taken, in.VpcID)
		}
	}
	if v6 := in.Ipv6CidrBlock; v6 != "" {
		_, sub, err := net.ParseCIDR(v6)
		_, parent, perr := net.ParseCIDR(vpcIPv6)
		switch {
		case perr != nil:
			return "", nil, errorf("InvalidParameterValue", "the VPC has no IPv6 block for the subnet's %s", v6)
		case err != nil || !contains(parent, sub):
			return "", nil, errorf("InvalidSubnet.Range", "the IPv6 CIDR %s is not inside the VPC's %s", v6, vpcIPv6)
		}
		if ones, _ := sub.Mask.Size(); ones != 64 {
			return "", nil, errorf("InvalidParameterValue", "a subnet's IPv6 block must be a /64, not %s", v6)
		}
	}
	id := "subnet-" + r.hex("id", 17)
	return id, map[string]any{
		"arn":                r.arn("ec2", "subnet/"+id),
		"ownerId":            AccountID,
		"availabilityZoneId": azID,
	}, nil
}

func simulateInternetGateway(r *request) (string, map[string]any, error) {
	in, err := decode[internetGatewayInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	if vpc := in.VpcID; vpc != "" {
		if _, _, ok := r.cloud.vpc(vpc); !ok {
			return "", nil, errorf("InvalidVpcID.NotFound", "the VPC %q does not exist", vpc)
		}
	}
	id := "igw-" + r.hex("id", 17)
	return id, map[string]any{"arn": r.arn("ec2", "internet-gateway/"+id), "ownerId": AccountID}, nil
}

func simulateRouteTable(r *request) (string, map[string]any, error) {
	in, err := decode[routeTableInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	if _, _, ok := r.cloud.vpc(in.VpcID); !ok {
		return "", nil, errorf("InvalidVpcID.NotFound", "the VPC %q does not exist", in.VpcID)
	}
	id := "rtb-" + r.hex("id", 17)
	return id, map[string]any{"arn": r.arn("ec2", "route-table/"+id), "ownerId": AccountID}, nil
}

func simulateRoute(r *request) (string, map[string]any, error) {
	in, err := decode[routeInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	table, ok := r.cloud.createdRouteTable(in.RouteTableID)
	if !ok {
		return "", nil, errorf("InvalidRouteTableID.NotFound", "the route table %q does not exist", in.RouteTableID)
	}
	if gw := in.GatewayID; strings.HasPrefix(gw, "igw-") {
		igw, ok := r.cloud.resource(awstype.InternetGateway, gw)
		if !ok || storedInputs[internetGatewayInputs](igw).VpcID != table.VpcID {
			return "", nil, errorf("InvalidGatewayID.NotFound", "the internet gateway %q is not attached to %s", gw, table.VpcID)
		}
	}
	dest := in.DestinationCidrBlock + in.DestinationIpv6CidrBlock
	if dest == "" {
		return "", nil, errorf("MissingParameter", "a route needs a destination")
	}
	return "r-" + table.ID + hashDigits(dest, 10), map[string]any{"state": "active", "origin": "CreateRoute"}, nil
}

func simulateRouteTableAssociation(r *request) (string, map[string]any, error) {
	in, err := decode[routeTableAssociationInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	table, ok := r.cloud.createdRouteTable(in.RouteTableID)
	if !ok {
		return "", nil, errorf("InvalidRouteTableID.NotFound", "the route table %q does not exist", in.RouteTableID)
	}
	subnet, ok := r.cloud.subnet(in.SubnetID)
	if !ok {
		return "", nil, errorf("InvalidSubnetID.NotFound", "the subnet %q does not exist", in.SubnetID)
	}
	if subnet.VpcID != table.VpcID {
		return "", nil, errorf("InvalidParameterValue", "route table %s and subnet %s belong to different VPCs", table.ID, subnet.ID)
	}
	// A subnet has one explicit association: "Resource.AlreadyAssociated: The specified resource
	// is already in use" (Error codes for the Amazon EC2 API: docs.aws.amazon.com/AWSEC2/latest/
	// APIReference/errors-overview.html); ReplaceRouteTableAssociation changes it.
	for _, other := range r.others(awstype.RouteTableAssociation) {
		if storedInputs[routeTableAssociationInputs](other).SubnetID == subnet.ID {
			return "", nil, errorf("Resource.AlreadyAssociated", "the subnet %s is associated with a route table already (%s)", subnet.ID, other.ID)
		}
	}
	return "rtbassoc-" + r.hex("id", 17), map[string]any{}, nil
}

// subnetsOf are the CIDR blocks of the VPC's subnets, the account's own and those it brings,
// but the one the request updates.
func (r *request) subnetsOf(vpc string) []string {
	var blocks []string
	for _, s := range r.others(awstype.Subnet) {
		if in := storedInputs[subnetInputs](s); in.VpcID == vpc {
			blocks = append(blocks, in.CidrBlock)
		}
	}
	for _, s := range r.cloud.account.Existing.Subnets {
		if s.VpcID == vpc && s.CIDR != "" {
			blocks = append(blocks, s.CIDR)
		}
	}
	return blocks
}

func simulateSecurityGroup(r *request) (string, map[string]any, error) {
	in, err := decode[securityGroupInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	vpc := in.VpcID
	if vpc == "" {
		return "", nil, errorf("VPCIdNotSpecified", "no default VPC in this account; give the security group a vpcId")
	}
	if _, _, ok := r.cloud.vpc(vpc); !ok {
		return "", nil, errorf("InvalidVpcID.NotFound", "the VPC %q does not exist", vpc)
	}
	if len(in.Description) > 255 {
		return "", nil, errorf("InvalidParameterValue", "a security group description has at most 255 characters")
	}
	id := "sg-" + r.hex("id", 17)
	return id, map[string]any{"arn": r.arn("ec2", "security-group/"+id), "ownerId": AccountID, "name": r.physicalName(255)}, nil
}

func contains(outer, inner *net.IPNet) bool {
	outerOnes, _ := outer.Mask.Size()
	innerOnes, _ := inner.Mask.Size()
	return outer.Contains(inner.IP) && innerOnes >= outerOnes
}

func securityGroupRule(r *request) (string, map[string]any, error) {
	in, err := decode[securityGroupRuleInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	sources := 0
	for _, source := range []string{in.CidrIpv4, in.CidrIpv6, in.ReferencedSecurityGroupID, in.PrefixListID} {
		if source != "" {
			sources++
		}
	}
	if sources != 1 {
		return "", nil, errorf("InvalidParameterValue", "a rule needs exactly one of cidrIpv4, cidrIpv6, referencedSecurityGroupId, prefixListId")
	}
	vpc, ok := r.cloud.securityGroupVPC(in.SecurityGroupID)
	if !ok {
		return "", nil, errorf("InvalidGroup.NotFound", "the security group %q does not exist", in.SecurityGroupID)
	}
	if ref := in.ReferencedSecurityGroupID; ref != "" {
		if refVPC, ok := r.cloud.securityGroupVPC(ref); !ok || refVPC != vpc {
			return "", nil, errorf("InvalidGroup.NotFound", "the referenced security group %q is not in %s", ref, vpc)
		}
	}
	if list := in.PrefixListID; list != "" && list != CloudFrontPrefixListID(r.region()) {
		return "", nil, errorf("InvalidPrefixListID.NotFound", "the prefix list %q does not exist in %s", list, r.region())
	}
	protocol := in.IPProtocol
	if protocol != "-1" {
		from, to := in.FromPort, in.ToPort
		if protocol != "tcp" && protocol != "udp" && protocol != "icmp" && protocol != "icmpv6" {
			return "", nil, errorf("InvalidParameterValue", "invalid ipProtocol %q", protocol)
		}
		if (protocol == "tcp" || protocol == "udp") && (from < 0 || to > 65535 || from > to) {
			return "", nil, errorf("InvalidParameterValue", "invalid port range %v-%v", from, to)
		}
	}
	// "InvalidPermission.Duplicate: The specified inbound (or outbound) rule already exists"
	// (Error codes for the Amazon EC2 API: docs.aws.amazon.com/AWSEC2/latest/APIReference/
	// errors-overview.html).
	for _, other := range r.others(r.reg.typ) {
		if storedInputs[securityGroupRuleInputs](other) == in {
			return "", nil, errorf("InvalidPermission.Duplicate", "the security group %s has this rule already (%s)", in.SecurityGroupID, other.ID)
		}
	}
	id := "sgr-" + r.hex("id", 17)
	return id, map[string]any{"arn": r.arn("ec2", "security-group-rule/"+id), "securityGroupRuleId": id}, nil
}

// checkImage refuses an instance type EC2 does not have, an image the region does not have, and
// an image of another architecture than the type's, as RunInstances and CreateLaunchTemplate do.
func (r *request) checkImage(instanceType, image string) error {
	archs, ok := instanceArchitectures(instanceType)
	if !ok {
		return errorf("InvalidParameterValue", "invalid value %q for InstanceType", instanceType)
	}
	imageArch, ok := r.cloud.imageArchitecture(image, r.region())
	if !ok {
		return errorf("InvalidAMIID.NotFound", "the image id %q does not exist in %s", image, r.region())
	}
	if !slices.Contains(archs, imageArch) {
		return errorf("InvalidParameterValue", "the architecture '%s' of the specified instance type does not match the architecture '%s' of the specified AMI", strings.Join(archs, ","), imageArch)
	}
	return nil
}

func instance(r *request) (string, map[string]any, error) {
	in, err := decode[instanceInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	typ := in.InstanceType
	if err := r.checkImage(typ, in.Ami); err != nil {
		return "", nil, err
	}
	subnet, ok := r.cloud.subnet(in.SubnetID)
	if !ok {
		return "", nil, errorf("InvalidSubnetID.NotFound", "the subnet %q does not exist", in.SubnetID)
	}
	if !offeredIn(typ, subnet.AvailabilityZone) {
		return "", nil, errorf("Unsupported", "Your requested instance type (%s) is not supported in your requested Availability Zone (%s)", typ, subnet.AvailabilityZone)
	}
	for _, sg := range in.VpcSecurityGroupIDs {
		if vpc, ok := r.cloud.securityGroupVPC(sg); !ok || vpc != subnet.VpcID {
			return "", nil, errorf("InvalidGroup.NotFound", "the security group %q is not in %s", sg, subnet.VpcID)
		}
	}
	if len(in.UserData) > 16384 {
		return "", nil, errorf("InvalidParameterValue", "user data is limited to 16384 bytes")
	}
	if t := in.RootBlockDevice.VolumeType; t != "" {
		if t != "gp2" && t != "gp3" && t != "io1" && t != "io2" && t != "standard" && t != "st1" && t != "sc1" {
			return "", nil, errorf("InvalidParameterValue", "invalid volume type %q", t)
		}
	}
	id := "i-" + r.hex("id", 17)
	ip := fmt.Sprintf("10.0.%d.%d", 1+int(r.hex("ip", 2)[0])%2, 10+int(r.hex("ip", 2)[1])%200)
	out := map[string]any{
		"arn":                       r.arn("ec2", "instance/"+id),
		"availabilityZone":          subnet.AvailabilityZone,
		"instanceState":             "running",
		"privateIp":                 ip,
		"privateDns":                fmt.Sprintf("ip-%s.%s.compute.internal", strings.ReplaceAll(ip, ".", "-"), r.region()),
		"primaryNetworkInterfaceId": "eni-" + r.hex("eni", 17),
	}
	if in.AssociatePublicIPAddress {
		out["publicIp"] = fmt.Sprintf("203.0.113.%d", 1+int(r.hex("pub", 2)[0])%250)
	}
	return id, out, nil
}

// CloudFrontOriginFacing is the name of the AWS-managed prefix list of CloudFront's
// origin-facing addresses.
const CloudFrontOriginFacing = "com.amazonaws.global.cloudfront.origin-facing"

// cloudFrontPrefixLists are the list's ids per region: AWS publishes no table of them (they are
// looked up by name); us-east-1's is the one AWS's documentation shows, the others are derived.
var cloudFrontPrefixLists = map[string]string{"us-east-1": "pl-3b927c52"}

// CloudFrontPrefixListID is the id of the origin-facing prefix list in a region.
func CloudFrontPrefixListID(region string) string {
	if id, ok := cloudFrontPrefixLists[region]; ok {
		return id
	}
	return "pl-" + hashHex("cloudfront-origin-facing/"+region, 8)
}

func getManagedPrefixList(_ *Cloud, region string, args resource.PropertyMap) (map[string]any, error) {
	in, err := decode[nameQuery](args)
	if err != nil {
		return nil, err
	}
	if name := in.Name; name != CloudFrontOriginFacing {
		return nil, errorf("InvalidPrefixListName.NotFound", "no managed prefix list named %q", name)
	}
	id := CloudFrontPrefixListID(region)
	return map[string]any{
		"id": id, "name": CloudFrontOriginFacing, "addressFamily": "IPv4", "ownerId": "AWS", "maxEntries": 55,
		"arn": "arn:aws:ec2:" + region + ":aws:prefix-list/" + id, "entries": []any{}, "version": 1, "tags": map[string]any{},
	}, nil
}
