package mockcloud

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

type invokeAnswer func(c *Cloud, region string, args resource.PropertyMap) (map[string]any, error)

// invoke answers a data-source call in region; the caller holds c.mu.
func (c *Cloud) invoke(token, region string, args resource.PropertyMap) (resource.PropertyMap, error) {
	answer := Lookup(token).answer
	if answer == nil {
		return nil, fmt.Errorf("mockcloud: no simulation for invoke %s; add one to internal/mockcloud", token)
	}
	result, err := answer(c, region, args)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", token, err)
	}
	return resource.NewPropertyMapFromMap(result), nil
}

// The arguments of the data sources that their answers read.
type (
	zoneQuery struct {
		Name        string `pulumi:"name"`
		ZoneID      string `pulumi:"zoneId"`
		PrivateZone bool   `pulumi:"privateZone"`
	}
	nameQuery struct {
		Name string `pulumi:"name"`
	}
	idQuery struct {
		ID string `pulumi:"id"`
	}
	routeTableQuery struct {
		SubnetID string   `pulumi:"subnetId"`
		VpcID    string   `pulumi:"vpcId"`
		Filters  []filter `pulumi:"filters"`
	}
	instanceTypeQuery struct {
		InstanceType string `pulumi:"instanceType"`
	}
	instanceTypeOfferingsQuery struct {
		LocationType string   `pulumi:"locationType"`
		Filters      []filter `pulumi:"filters"`
	}
	filtersQuery struct {
		Filters []filter `pulumi:"filters"`
	}
	filter struct {
		Name   string   `pulumi:"name"`
		Values []string `pulumi:"values"`
	}
)

func getZone(c *Cloud, _ string, args resource.PropertyMap) (map[string]any, error) {
	in, err := decode[zoneQuery](args)
	if err != nil {
		return nil, err
	}
	name := strings.ToLower(strings.TrimSuffix(in.Name, "."))
	private := in.PrivateZone
	var zone Zone
	var ok bool
	switch id := in.ZoneID; {
	case id != "":
		zone, ok = c.zone(id)
	case name != "":
		zone, ok = c.zoneByName(name, private)
	default:
		return nil, fmt.Errorf("name or zoneId is required")
	}
	if !ok || zone.Private != private {
		return nil, fmt.Errorf("no matching Route 53 Hosted Zone found")
	}
	return map[string]any{
		"id":                     zone.ID,
		"zoneId":                 zone.ID,
		"name":                   zone.Name,
		"arn":                    "arn:aws:route53:::hostedzone/" + zone.ID,
		"privateZone":            zone.Private,
		"nameServers":            nameServers(zone.Name),
		"primaryNameServer":      nameServers(zone.Name)[0],
		"resourceRecordSetCount": 2,
		"callerReference":        hashHex("caller\x00"+zone.Name, 36),
	}, nil
}

func getParameter(_ *Cloud, region string, args resource.PropertyMap) (map[string]any, error) {
	in, err := decode[nameQuery](args)
	if err != nil {
		return nil, err
	}
	name := in.Name
	image, _, ok := publicImage(region, name)
	if !ok {
		return nil, fmt.Errorf("ParameterNotFound: %s", name)
	}
	return map[string]any{
		"id":      name,
		"name":    name,
		"arn":     fmt.Sprintf("arn:aws:ssm:%s::parameter%s", region, name),
		"type":    "String",
		"value":   image,
		"version": 1,
	}, nil
}

func getAvailabilityZones(_ *Cloud, region string, _ resource.PropertyMap) (map[string]any, error) {
	var names, ids []any
	for _, z := range zoneTable(region) {
		names = append(names, z[0])
		ids = append(ids, z[1])
	}
	return map[string]any{"id": region, "names": names, "zoneIds": ids, "groupNames": []any{region}}, nil
}

// getRegion answers the aws_region data source: the provider's region, or the one named.
// getCallerIdentity answers who calls: the account (GetCallerIdentity, AWS STS API Reference).
func getCallerIdentity(_ *Cloud, _ string, _ resource.PropertyMap) (map[string]any, error) {
	return map[string]any{
		"id": AccountID, "accountId": AccountID, "arn": "arn:aws:iam::" + AccountID + ":user/deployer", "userId": "AIDAEXAMPLEDEPLOYER",
	}, nil
}

func getRegion(_ *Cloud, region string, args resource.PropertyMap) (map[string]any, error) {
	in, err := decode[nameQuery](args)
	if err != nil {
		return nil, err
	}
	if name := in.Name; name != "" {
		region = name
	}
	if !KnownRegion(region) {
		return nil, fmt.Errorf("region %q not found", region)
	}
	return map[string]any{
		"id": region, "name": region, "endpoint": "ec2." + region + ".amazonaws.com", "description": region,
	}, nil
}

func getSubnet(c *Cloud, region string, args resource.PropertyMap) (map[string]any, error) {
	in, err := decode[idQuery](args)
	if err != nil {
		return nil, err
	}
	id := in.ID
	s, ok := c.subnet(id)
	if !ok || regionOfZone(s.AvailabilityZone) != region {
		return nil, fmt.Errorf("no matching EC2 Subnet found for id %q in %s", id, region)
	}
	azID, _ := zoneIDOf(s.AvailabilityZone)
	return map[string]any{
		"id":                 id,
		"arn":                fmt.Sprintf("arn:aws:ec2:%s:%s:subnet/%s", region, AccountID, id),
		"vpcId":              s.VpcID,
		"availabilityZone":   s.AvailabilityZone,
		"availabilityZoneId": azID,
		"cidrBlock":          s.CIDR,
		"ipv6CidrBlock":      s.IPv6CIDR,
		"ownerId":            AccountID,
	}, nil
}

func getVpc(c *Cloud, region string, args resource.PropertyMap) (map[string]any, error) {
	in, err := decode[idQuery](args)
	if err != nil {
		return nil, err
	}
	id := in.ID
	cidr, ipv6, ok := c.vpc(id)
	if !ok && c.assume != nil && strings.HasPrefix(id, "vpc-") {
		cidr, ok = "10.0.0.0/16", c.assumed("VPC", id, "with the CIDR block 10.0.0.0/16")
	}
	if !ok {
		return nil, fmt.Errorf("no matching EC2 VPC found for id %q", id)
	}
	return map[string]any{
		"id": id, "cidrBlock": cidr, "ipv6CidrBlock": ipv6, "ownerId": AccountID,
		"arn": fmt.Sprintf("arn:aws:ec2:%s:%s:vpc/%s", region, AccountID, id),
	}, nil
}

// getRouteTable finds a route table by the subnet explicitly associated with it, or by VPC and
// the filter association.main=true, as the provider's data source does; it fails when nothing
// matches, as the provider does for a subnet without an explicit association.
func getRouteTable(c *Cloud, region string, args resource.PropertyMap) (map[string]any, error) {
	in, err := decode[routeTableQuery](args)
	if err != nil {
		return nil, err
	}
	var table RouteTable
	var ok bool
	switch subnet, vpc := in.SubnetID, in.VpcID; {
	case subnet != "":
		c.subnet(subnet) // an assumed subnet comes with its route table
		table, ok = c.explicitRouteTable(subnet)
	case vpc != "" && hasFilter(in.Filters, "association.main", "true"):
		table, ok = c.mainRouteTable(vpc)
	default:
		return nil, fmt.Errorf("mockcloud: getRouteTable needs subnetId, or vpcId with the filter association.main=true")
	}
	if !ok {
		return nil, fmt.Errorf("query returned no results. Please change your search criteria and try again")
	}
	var routes, associations []any
	for _, r := range table.Routes {
		route := map[string]any{"cidrBlock": r.Destination, "ipv6CidrBlock": r.DestinationIPv6}
		switch {
		case strings.HasPrefix(r.Target, "nat-"):
			route["natGatewayId"] = r.Target
		default:
			route["gatewayId"] = r.Target
		}
		routes = append(routes, route)
	}
	if table.Main {
		associations = append(associations, map[string]any{"main": true, "routeTableId": table.ID})
	}
	for _, s := range table.Subnets {
		associations = append(associations, map[string]any{"main": false, "routeTableId": table.ID, "subnetId": s})
	}
	return map[string]any{
		"id": table.ID, "routeTableId": table.ID, "vpcId": table.VpcID, "routes": routes,
		"associations": associations, "ownerId": AccountID,
		"arn": fmt.Sprintf("arn:aws:ec2:%s:%s:route-table/%s", region, AccountID, table.ID),
	}, nil
}

func getInstanceType(c *Cloud, _ string, args resource.PropertyMap) (map[string]any, error) {
	in, err := decode[instanceTypeQuery](args)
	if err != nil {
		return nil, err
	}
	typ := in.InstanceType
	archs, ok := instanceArchitectures(typ)
	if !ok {
		return nil, fmt.Errorf("InvalidInstanceType: The following supplied instance types do not exist: [%s]", typ)
	}
	if c.assume != nil {
		c.assume.lastArch = archs[len(archs)-1]
	}
	supported := make([]any, len(archs))
	for i, a := range archs {
		supported[i] = a
	}
	return map[string]any{"id": typ, "instanceType": typ, "supportedArchitectures": supported}, nil
}

func getInstanceTypeOfferings(_ *Cloud, region string, args resource.PropertyMap) (map[string]any, error) {
	in, err := decode[instanceTypeOfferingsQuery](args)
	if err != nil {
		return nil, err
	}
	if t := in.LocationType; t != "availability-zone" {
		return nil, fmt.Errorf("mockcloud: only locationType availability-zone is simulated, not %q", t)
	}
	var types, locations, kinds []any
	for _, f := range in.Filters {
		if f.Name != "instance-type" {
			return nil, fmt.Errorf("mockcloud: only the instance-type filter is simulated, not %q", f.Name)
		}
		for _, typ := range f.Values {
			for _, zone := range zonesOf(region) {
				if offeredIn(typ, zone) {
					types, locations, kinds = append(types, typ), append(locations, zone), append(kinds, "availability-zone")
				}
			}
		}
	}
	return map[string]any{"id": region, "instanceTypes": types, "locations": locations, "locationTypes": kinds}, nil
}

func getAmi(c *Cloud, region string, args resource.PropertyMap) (map[string]any, error) {
	in, err := decode[filtersQuery](args)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, f := range in.Filters {
		if f.Name == "image-id" {
			ids = append(ids, f.Values...)
		}
	}
	if len(ids) != 1 {
		return nil, fmt.Errorf("mockcloud: getAmi is simulated for one image-id filter, not %v", ids)
	}
	arch, ok := c.imageArchitecture(ids[0], region)
	if !ok {
		return nil, fmt.Errorf("Your query returned no results. Please change your search criteria and try again")
	}
	root := "/dev/xvda"
	for _, img := range c.account.Existing.Images {
		if img.ID == ids[0] && img.RootDeviceName != "" {
			root = img.RootDeviceName
		}
	}
	return map[string]any{"id": ids[0], "imageId": ids[0], "architecture": arch, "state": "available", "rootDeviceName": root}, nil
}

func hasFilter(filters []filter, name, value string) bool {
	for _, f := range filters {
		if f.Name == name && slices.Contains(f.Values, value) {
			return true
		}
	}
	return false
}
