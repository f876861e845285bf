package mockcloud

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
)

// Lookups of what the account holds, whether it existed before the stack or a stack created it.
// The caller holds c.mu. In Assume mode a miss is answered with a plausible thing, recorded as
// an assumption; otherwise it is a miss, as in AWS.

// ofType returns the account's resources of a type, sorted by URN.
func (c *Cloud) ofType(typ string) []*Resource {
	var out []*Resource
	for _, r := range c.account.sortedResources() {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// resource finds a resource by type and id.
func (c *Cloud) resource(typ, id string) (*Resource, bool) {
	for _, r := range c.ofType(typ) {
		if r.ID == id {
			return r, true
		}
	}
	return nil, false
}

// hasOutput reports whether the account holds a resource of a type with that output value.
func (c *Cloud) hasOutput(typ, name, value string) bool {
	_, ok := c.findOutput(typ, name, value)
	return ok
}

// findOutput finds a resource of a type by one of its output values (an ARN, say).
func (c *Cloud) findOutput(typ, name, value string) (*Resource, bool) {
	for _, r := range c.ofType(typ) {
		if stringArg(r.out(), name) == value {
			return r, true
		}
	}
	return nil, false
}

func (c *Cloud) subnet(id string) (Subnet, bool) {
	for _, s := range c.account.Existing.Subnets {
		if s.ID == id {
			return s, true
		}
	}
	if r, ok := c.resource(awstype.Subnet, id); ok {
		in := storedInputs[subnetInputs](r)
		return Subnet{ID: id, VpcID: in.VpcID, AvailabilityZone: in.AvailabilityZone, CIDR: in.CidrBlock,
			IPv6CIDR: in.Ipv6CidrBlock, MapPublicIPOnLaunch: in.MapPublicIPOnLaunch}, true
	}
	if c.assume == nil || !strings.HasPrefix(id, "subnet-") {
		return Subnet{}, false
	}
	// Assumed subnets take the region's zones in the order they are asked about.
	zones := zonesOf(c.region)
	s := Subnet{ID: id, VpcID: c.assumedVPC(), AvailabilityZone: zones[c.assume.subnets%len(zones)]}
	c.assume.subnets++
	detail := fmt.Sprintf("in %s, %s, public (its route table sends 0.0.0.0/0 to an internet gateway)", s.VpcID, s.AvailabilityZone)
	if c.assume.ipv6 {
		s.IPv6CIDR = fmt.Sprintf("2600:1f18:%s:%s00::/64", hashHex("v6"+id, 4), hashHex("v6b"+id, 2))
		detail += ", with an IPv6 block"
	} else {
		detail += ", IPv4 only"
	}
	c.account.Existing.Subnets = append(c.account.Existing.Subnets, s)
	c.assumed("subnet", id, detail)
	table := RouteTable{ID: "rtb-" + hashHex("assumed"+id, 17), VpcID: s.VpcID, Subnets: []string{id},
		Routes: []Route{{Destination: "0.0.0.0/0", Target: "igw-" + hashHex("assumed"+s.VpcID, 17)}}}
	if c.assume.ipv6 {
		table.Routes = append(table.Routes, Route{DestinationIPv6: "::/0", Target: table.Routes[0].Target})
	}
	c.account.Existing.RouteTables = append(c.account.Existing.RouteTables, table)
	return s, true
}

func (c *Cloud) assumedVPC() string {
	if c.assume.vpcID != "" {
		return c.assume.vpcID
	}
	return "vpc-" + hashHex("assumed-vpc", 17)
}

// vpc returns a VPC's IPv4 and IPv6 blocks, and whether it exists. A VPC that existed before the
// stack is known by its subnets and route tables.
func (c *Cloud) vpc(id string) (cidr, ipv6 string, ok bool) {
	if r, found := c.resource(awstype.VPC, id); found {
		return storedInputs[vpcInputs](r).CidrBlock, stringArg(r.out(), "ipv6CidrBlock"), true
	}
	for _, v := range c.account.Existing.VPCs {
		if v.ID == id {
			return v.CIDR, v.IPv6CIDR, true
		}
	}
	for _, s := range c.account.Existing.Subnets {
		if s.VpcID == id {
			return "", "", true
		}
	}
	for _, t := range c.account.Existing.RouteTables {
		if t.VpcID == id {
			return "", "", true
		}
	}
	return "", "", false
}

// routeTableOf returns the route table that serves a subnet: its explicitly associated table,
// else the VPC's main table.
func (c *Cloud) routeTableOf(subnetID string) (RouteTable, bool) {
	if t, ok := c.explicitRouteTable(subnetID); ok {
		return t, true
	}
	s, ok := c.subnet(subnetID)
	if !ok {
		return RouteTable{}, false
	}
	return c.mainRouteTable(s.VpcID)
}

// explicitRouteTable is the route table a subnet is explicitly associated with.
func (c *Cloud) explicitRouteTable(subnetID string) (RouteTable, bool) {
	for _, t := range c.account.Existing.RouteTables {
		if slices.Contains(t.Subnets, subnetID) {
			return t, true
		}
	}
	for _, a := range c.ofType(awstype.RouteTableAssociation) {
		if in := storedInputs[routeTableAssociationInputs](a); in.SubnetID == subnetID {
			return c.createdRouteTable(in.RouteTableID)
		}
	}
	return RouteTable{}, false
}

func (c *Cloud) mainRouteTable(vpcID string) (RouteTable, bool) {
	for _, t := range c.account.Existing.RouteTables {
		if t.VpcID == vpcID && t.Main {
			return t, true
		}
	}
	if v, ok := c.resource(awstype.VPC, vpcID); ok {
		// A created VPC's main table holds only the local route.
		return RouteTable{ID: stringArg(v.out(), "mainRouteTableId"), VpcID: vpcID, Main: true}, true
	}
	return RouteTable{}, false
}

func (c *Cloud) createdRouteTable(id string) (RouteTable, bool) {
	r, ok := c.resource(awstype.RouteTable, id)
	if !ok {
		return RouteTable{}, false
	}
	table := storedInputs[routeTableInputs](r)
	t := RouteTable{ID: id, VpcID: table.VpcID}
	// A table's routes are its inline ones (the provider creates each with CreateRoute) and
	// the route resources that name it.
	for _, in := range table.Routes {
		t.Routes = append(t.Routes, Route{Destination: in.CidrBlock, DestinationIPv6: in.Ipv6CidrBlock,
			Target: in.GatewayID + in.NatGatewayID})
	}
	for _, route := range c.ofType(awstype.Route) {
		if in := storedInputs[routeInputs](route); in.RouteTableID == id {
			t.Routes = append(t.Routes, Route{Destination: in.DestinationCidrBlock,
				DestinationIPv6: in.DestinationIpv6CidrBlock, Target: in.GatewayID + in.NatGatewayID})
		}
	}
	for _, a := range c.ofType(awstype.RouteTableAssociation) {
		if in := storedInputs[routeTableAssociationInputs](a); in.RouteTableID == id {
			t.Subnets = append(t.Subnets, in.SubnetID)
		}
	}
	return t, true
}

// publicRoute reports whether a route table sends a default route (0.0.0.0/0, or ::/0 for ipv6)
// to an internet gateway.
func (t RouteTable) publicRoute(ipv6 bool) bool {
	for _, r := range t.Routes {
		dest := r.Destination == "0.0.0.0/0"
		if ipv6 {
			dest = r.DestinationIPv6 == "::/0"
		}
		if dest && strings.HasPrefix(r.Target, "igw-") {
			return true
		}
	}
	return false
}

// hasInternetGateway reports whether an internet gateway is attached to the VPC.
func (c *Cloud) hasInternetGateway(vpcID string) bool {
	for _, g := range c.ofType(awstype.InternetGateway) {
		if storedInputs[internetGatewayInputs](g).VpcID == vpcID {
			return true
		}
	}
	for _, t := range c.account.Existing.RouteTables {
		if t.VpcID == vpcID && (t.publicRoute(false) || t.publicRoute(true)) {
			return true
		}
	}
	return false
}

// securityGroupVPC returns the VPC of a security group.
func (c *Cloud) securityGroupVPC(id string) (string, bool) {
	if r, ok := c.resource(awstype.SecurityGroup, id); ok {
		return storedInputs[securityGroupInputs](r).VpcID, true
	}
	return "", false
}

// certificate returns an ACM certificate by ARN.
func (c *Cloud) certificate(arn string) (Certificate, bool) {
	for _, cert := range c.account.Existing.Certificates {
		if cert.ARN == arn {
			return cert, true
		}
	}
	if r, ok := c.findOutput(awstype.Certificate, "arn", arn); ok {
		in := storedInputs[certificateInputs](r)
		names := append([]string{in.DomainName}, in.SubjectAlternativeNames...)
		return Certificate{ARN: arn, Names: names, Status: stringArg(r.out(), "status")}, true
	}
	if strings.HasPrefix(arn, "arn:aws:acm:") && c.assumed("certificate", arn, "issued, and covering the names it is used for") {
		cert := Certificate{ARN: arn, Status: "ISSUED"}
		c.account.Existing.Certificates = append(c.account.Existing.Certificates, cert)
		return cert, true
	}
	return Certificate{}, false
}

// covers reports whether the certificate covers a name, exactly or through a wildcard of one
// label. An assumed certificate (no names known) covers everything.
func (cert Certificate) covers(name string) bool {
	if cert.Names == nil {
		return true
	}
	for _, n := range cert.Names {
		if n == name {
			return true
		}
		if rest, ok := strings.CutPrefix(n, "*."); ok {
			if _, parent, found := strings.Cut(name, "."); found && parent == rest {
				return true
			}
		}
	}
	return false
}

// imageArchitecture returns the architecture of an AMI in region.
func (c *Cloud) imageArchitecture(id, region string) (string, bool) {
	for _, img := range c.account.Existing.Images {
		if img.ID == id {
			return img.Architecture, true
		}
	}
	if arch, ok := publicImageArchitecture(region, id); ok {
		return arch, true
	}
	if c.assume != nil && strings.HasPrefix(id, "ami-") {
		arch := c.assume.lastArch
		if arch == "" {
			arch = "x86_64"
		}
		c.assumed("image", id, "an "+arch+" image, matching the instance type")
		c.account.Existing.Images = append(c.account.Existing.Images, Image{ID: id, Architecture: arch})
		return arch, true
	}
	return "", false
}

// instance returns an EC2 instance by id.
func (c *Cloud) instance(id string) (Instance, bool) {
	for _, i := range c.account.Existing.Instances {
		if i.ID == id {
			return i, true
		}
	}
	if r, ok := c.resource(awstype.Instance, id); ok {
		s, _ := c.subnet(storedInputs[instanceInputs](r).SubnetID)
		return Instance{ID: id, VpcID: s.VpcID, AvailabilityZone: s.AvailabilityZone}, true
	}
	return Instance{}, false
}

// zone returns a hosted zone by id. An assumed zone's name is not known (empty).
func (c *Cloud) zone(id string) (Zone, bool) {
	for _, z := range c.account.Existing.Zones {
		if z.ID == id {
			return z, true
		}
	}
	if r, ok := c.resource(awstype.Zone, id); ok {
		return Zone{ID: id, Name: strings.TrimSuffix(storedInputs[zoneInputs](r).Name, ".")}, true
	}
	if strings.HasPrefix(id, "Z") && c.assumed("hosted zone", id, "a public zone; its name is not known offline, so records in it are not checked against it") {
		z := Zone{ID: id}
		c.account.Existing.Zones = append(c.account.Existing.Zones, z)
		return z, true
	}
	return Zone{}, false
}

// zoneByName returns the hosted zone of a name.
func (c *Cloud) zoneByName(name string, private bool) (Zone, bool) {
	for _, z := range c.account.Existing.Zones {
		if z.Name == name && z.Private == private {
			return z, true
		}
	}
	for _, r := range c.ofType(awstype.Zone) {
		if strings.TrimSuffix(storedInputs[zoneInputs](r).Name, ".") == name && !private {
			return Zone{ID: r.ID, Name: name}, true
		}
	}
	if !private && c.assumed("hosted zone", name, "the public zone of "+name+" exists in the account (id "+ZoneIDFor(name)+")") {
		z := PublicZone(name)
		c.account.Existing.Zones = append(c.account.Existing.Zones, z)
		return z, true
	}
	return Zone{}, false
}

// zones lists the ids of every hosted zone.
func (c *Cloud) zoneIDs() []string {
	var ids []string
	for _, z := range c.account.Existing.Zones {
		ids = append(ids, z.ID)
	}
	for _, r := range c.ofType(awstype.Zone) {
		ids = append(ids, r.ID)
	}
	sort.Strings(ids)
	return ids
}

// in and out are the resource's inputs and state as property maps.
func (r *Resource) in() resource.PropertyMap { return resource.PropertyMap(r.Inputs) }

func (r *Resource) out() resource.PropertyMap { return resource.PropertyMap(r.Outputs) }
