package mockcloud

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/structpb"
)

// Account is the state of the simulated AWS account: what existed before any stack ran
// (Existing), what stacks created in it (Resources), and the DNS record sets of its hosted zones.
// Record sets are kept apart from the resources that wrote them, as in Route 53: two resources
// that write one record set share it, and deleting either deletes it.
type Account struct {
	// Existing is what the account held before any stack ran.
	Existing Existing `json:"existing"`
	// Resources are the resources stacks created, by URN and id (see key): two resources may
	// share an id (two records that write one record set).
	Resources map[string]*Resource `json:"resources"`
	// RecordSets are the record sets of every hosted zone, by zone, name, type and set id.
	RecordSets map[string]*RecordSet `json:"recordSets"`
	// Generations counts how often each URN was created, so that a replacement, created while
	// the resource it replaces still exists, gets ids and names of its own.
	Generations map[string]int `json:"generations"`
	// Busy holds, per bucket, until when a write to one of its settings is under way.
	Busy map[string]time.Time `json:"busy,omitempty"`
	// Deregistered are the target groups whose instances were deregistered outside the engine
	// (the failover command's drill), by ARN.
	Deregistered map[string]bool `json:"deregistered,omitempty"`
	// Watch, when set, records what visitors get after each change the engine makes.
	Watch *Watch `json:"watch,omitempty"`
	// Throttle, when set, is Route 53's request-rate bucket, shared with another client.
	Throttle *Throttle `json:"throttle,omitempty"`
}

// Existing is what an account holds before the stack runs: a VPC and hosted zone it brings, the
// certificates and instances an example uses. Tests and the offline plan describe it; `-account`
// reads it from what the AWS CLI prints.
type Existing struct {
	// Zones are hosted zones (see PublicZone).
	Zones []Zone `json:"zones,omitempty"`
	// VPCs are VPCs, with their CIDR blocks.
	VPCs []VPC `json:"vpcs,omitempty"`
	// Subnets are subnets of the VPCs.
	Subnets []Subnet `json:"subnets,omitempty"`
	// RouteTables are the VPCs' route tables, the main ones included.
	RouteTables []RouteTable `json:"routeTables,omitempty"`
	// Certificates are ACM certificates, in the stack's region.
	Certificates []Certificate `json:"certificates,omitempty"`
	// Images are AMIs besides the Amazon Linux 2023 images every region offers.
	Images []Image `json:"images,omitempty"`
	// Instances are EC2 instances (targets for a target group, say).
	Instances []Instance `json:"instances,omitempty"`
	// RecordSets are record sets the zones hold already: a hand-built site's A records, say.
	RecordSets []RecordSet `json:"recordSets,omitempty"`
	// WebServers are the public IPv4 addresses of web servers outside any stack (a hand-built
	// site): each answers HTTPS for every name with the main page.
	WebServers []string `json:"webServers,omitempty"`
}

// Zone is a hosted zone.
type Zone struct {
	// ID is the zone's id (Z...), without the /hostedzone/ prefix.
	ID string `json:"id"`
	// Name is the zone's domain name, without a trailing dot.
	Name string `json:"name"`
	// Private marks a private zone, which failover records to public targets cannot use.
	Private bool `json:"private,omitempty"`
}

// VPC is a virtual private cloud.
type VPC struct {
	// ID is the VPC's id (vpc-...).
	ID string `json:"id"`
	// CIDR is its primary IPv4 block.
	CIDR string `json:"cidr"`
	// IPv6CIDR is the VPC's IPv6 block, if it has one.
	IPv6CIDR string `json:"ipv6Cidr,omitempty"`
}

// Subnet is a subnet of a VPC.
type Subnet struct {
	// ID is the subnet's id (subnet-...).
	ID string `json:"id"`
	// VpcID is the VPC it belongs to.
	VpcID string `json:"vpcId"`
	// AvailabilityZone is its zone's name (eu-west-1a), which also says its region.
	AvailabilityZone string `json:"availabilityZone"`
	// CIDR is its IPv4 block.
	CIDR string `json:"cidr,omitempty"`
	// IPv6CIDR is the subnet's IPv6 block, if it has one.
	IPv6CIDR string `json:"ipv6Cidr,omitempty"`
	// MapPublicIPOnLaunch gives instances launched in it a public IPv4 address unless they ask
	// otherwise (MapPublicIpOnLaunch, off by default for subnets that are not a default VPC's).
	MapPublicIPOnLaunch bool `json:"mapPublicIpOnLaunch,omitempty"`
}

// RouteTable is a VPC route table and the subnets explicitly associated with it; the VPC's
// main table serves every subnet without an explicit association.
type RouteTable struct {
	// ID is the table's id (rtb-...).
	ID string `json:"id"`
	// VpcID is the VPC it belongs to.
	VpcID string `json:"vpcId"`
	// Main marks the VPC's main table.
	Main bool `json:"main,omitempty"`
	// Subnets are the subnets explicitly associated with it.
	Subnets []string `json:"subnets,omitempty"`
	// Routes are its routes.
	Routes []Route `json:"routes,omitempty"`
}

// Route is one route of a route table.
type Route struct {
	// Destination is the IPv4 block it routes (0.0.0.0/0 for the default route).
	Destination string `json:"destination,omitempty"`
	// DestinationIPv6 is the IPv6 block it routes (::/0 for the default route).
	DestinationIPv6 string `json:"destinationIpv6,omitempty"`
	// Target is the gateway, NAT gateway, instance or interface the route sends to (igw-..., nat-...).
	Target string `json:"target"`
}

// Certificate is an ACM certificate.
type Certificate struct {
	// ARN is the certificate's ARN, which says its region.
	ARN string `json:"arn"`
	// Names are the names it covers, its domain first.
	Names []string `json:"names"`
	// Status is ACM's status: ISSUED, or PENDING_VALIDATION and the like, which listeners and
	// distributions refuse.
	Status string `json:"status"`
}

// Image is an AMI.
type Image struct {
	// ID is the AMI's id (ami-...).
	ID string `json:"id"`
	// Architecture is x86_64 or arm64.
	Architecture string `json:"architecture"`
	// RootDeviceName is the device the image boots from; "" is Amazon Linux's /dev/xvda.
	RootDeviceName string `json:"rootDeviceName,omitempty"`
}

// Instance is an EC2 instance.
type Instance struct {
	// ID is the instance's id (i-...).
	ID string `json:"id"`
	// VpcID is the VPC it runs in.
	VpcID string `json:"vpcId"`
	// AvailabilityZone is the zone it runs in.
	AvailabilityZone string `json:"availabilityZone"`
}

// RecordSet is one record set of a hosted zone.
type RecordSet struct {
	// ZoneID is the hosted zone that holds it.
	ZoneID string `json:"zoneId"`
	// Name is its fully qualified name, without a trailing dot.
	Name string `json:"name"`
	// Type is its record type (A, AAAA, CNAME, TXT, ...).
	Type string `json:"type"`
	// SetID is its set identifier ("primary"), empty for a simple record set.
	SetID string `json:"setId,omitempty"`
	// Values are its values (empty for an alias), and TTL how long resolvers keep them.
	Values []string `json:"values,omitempty"`
	TTL    int      `json:"ttl,omitempty"`
	// AliasTarget is the DNS name an alias record points at, in the hosted zone AliasZoneID.
	AliasTarget string `json:"aliasTarget,omitempty"`
	AliasZoneID string `json:"aliasZoneId,omitempty"`
	// Failover is PRIMARY or SECONDARY for a failover record.
	Failover string `json:"failover,omitempty"`
	// HealthCheckID is the health check whose health the record takes, if any.
	HealthCheckID string `json:"healthCheckId,omitempty"`
	// EvaluateTargetHealth makes an alias record take its target's health.
	EvaluateTargetHealth bool `json:"evaluateTargetHealth,omitempty"`
}

func (s *RecordSet) key() string { return recordSetKey(s.ZoneID, s.Name, s.Type, s.SetID) }

func recordSetKey(zoneID, name, typ, setID string) string {
	return strings.Join([]string{zoneID, name, typ, setID}, "|")
}

// Resource is one resource: created in the account, or registered by the program without
// touching AWS (components and providers), or read (`pulumi get`).
type Resource struct {
	// URN is the resource's Pulumi URN: the one it was created with (the engine moves a
	// resource to another URN without telling the provider; AWS knows it by its id).
	URN string `json:"urn"`
	// ID is the id the account gave it (empty for components).
	ID string `json:"id"`
	// Type is its type token and Name its logical name.
	Type string `json:"type"`
	Name string `json:"name"`
	// Custom is false for components.
	Custom bool `json:"custom"`
	// Read marks a resource the program read instead of managing it.
	Read bool `json:"read,omitempty"`
	// Parent is the parent's URN.
	Parent string `json:"parent,omitempty"`
	// Provider is the provider reference ("urn::id"), empty for the default provider.
	Provider string `json:"provider,omitempty"`
	// DependsOn are the URNs it depends on.
	DependsOn []string `json:"dependsOn,omitempty"`
	// Protect is pulumi.Protect.
	Protect bool `json:"protect,omitempty"`
	// IgnoreChanges are the input paths whose changes are not applied to the live resource.
	IgnoreChanges []string `json:"ignoreChanges,omitempty"`
	// Aliases are the URNs of the same type the resource had before (pulumi.Aliases): under
	// another parent or name.
	Aliases []string `json:"aliases,omitempty"`
	// Region is where the resource lives (empty for components).
	Region string `json:"region,omitempty"`
	// Generation is how many times the URN had been created before this resource.
	Generation int `json:"generation,omitempty"`
	// Unsimulated marks a resource of a type the account does not model, answered generically
	// (see Cloud.AnswerUnmodelled): AWS's own rules for it were not checked.
	Unsimulated bool `json:"unsimulated,omitempty"`
	// Inputs are what the program gave; Outputs the whole state the account answered.
	Inputs  Properties `json:"inputs"`
	Outputs Properties `json:"outputs"`
	// Deploying, on a distribution whose last change CloudFront has not deployed yet, is what it
	// serves until then.
	Deploying *Deploying `json:"deploying,omitempty"`
	// Propagated, on a role the engine's account created, is when IAM has made it visible to the
	// services that assume it (see IAMPropagationTime).
	Propagated time.Time `json:"propagated,omitzero"`
}

// Deploying is a distribution's change on its way to CloudFront's edge locations: until Until,
// the distribution serves as it did before (Previous, its inputs then; nothing, for a new
// distribution). "When the status is Deployed, the distribution's information is fully
// propagated to all CloudFront edge locations" (Distribution, Status, CloudFront API Reference:
// https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_Distribution.html).
type Deploying struct {
	// Until is when CloudFront has deployed the change.
	Until time.Time `json:"until"`
	// Previous are the inputs the distribution served by before (nil: it is new).
	Previous Properties `json:"previous,omitempty"`
}

// served are the inputs a resource serves by at now: a distribution's previous ones while its
// change deploys (nil while a new one does), else its own.
func (r *Resource) served(now time.Time) resource.PropertyMap {
	if d := r.Deploying; d != nil && now.Before(d.Until) {
		return resource.PropertyMap(d.Previous)
	}
	return r.in()
}

func key(urn, id string) string { return urn + "#" + id }

// Properties is a property map that keeps secrets, unknowns and resource references through JSON.
type Properties resource.PropertyMap

var marshalOptions = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true}

// MarshalJSON writes the properties as the engine's wire format does.
func (p Properties) MarshalJSON() ([]byte, error) {
	s, err := plugin.MarshalProperties(resource.PropertyMap(p), marshalOptions)
	if err != nil {
		return nil, err
	}
	return protojson.Marshal(s)
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (p *Properties) UnmarshalJSON(b []byte) error {
	var s structpb.Struct
	if err := protojson.Unmarshal(b, &s); err != nil {
		return err
	}
	m, err := plugin.UnmarshalProperties(&s, marshalOptions)
	*p = Properties(m)
	return err
}

// NewAccount returns an account that holds only what existing describes.
func NewAccount(existing Existing) *Account {
	a := &Account{
		Existing:    existing,
		Resources:   map[string]*Resource{},
		RecordSets:  map[string]*RecordSet{},
		Generations: map[string]int{},
	}
	for _, rs := range existing.RecordSets {
		rs.Name = strings.ToLower(strings.TrimSuffix(rs.Name, "."))
		a.RecordSets[rs.key()] = &rs
	}
	return a
}

// LoadAccount reads an account that SaveAccount wrote.
func LoadAccount(path string) (*Account, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	a := NewAccount(Existing{})
	if err := json.Unmarshal(b, a); err != nil {
		return nil, fmt.Errorf("%s: not a simulated account: %w", path, err)
	}
	return a, nil
}

// SaveAccount writes the account to path.
func (a *Account) SaveAccount(path string) error {
	b, err := json.MarshalIndent(a, "", " ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Add merges more existing things into e.
func (e *Existing) Add(more Existing) {
	e.Zones = append(e.Zones, more.Zones...)
	e.VPCs = append(e.VPCs, more.VPCs...)
	e.Subnets = append(e.Subnets, more.Subnets...)
	e.RouteTables = append(e.RouteTables, more.RouteTables...)
	e.Certificates = append(e.Certificates, more.Certificates...)
	e.Images = append(e.Images, more.Images...)
	e.Instances = append(e.Instances, more.Instances...)
	e.RecordSets = append(e.RecordSets, more.RecordSets...)
	e.WebServers = append(e.WebServers, more.WebServers...)
}

// PublicZone describes the public hosted zone of name, with the id the simulated account gives it.
func PublicZone(name string) Zone { return Zone{ID: ZoneIDFor(name), Name: name} }

// ReadExisting reads a description of existing things: this package's own JSON form of
// Existing, or what `aws ec2 describe-subnets` or `aws ec2 describe-route-tables` prints.
func ReadExisting(path string) (Existing, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Existing{}, err
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(b, &probe); err != nil {
		return Existing{}, fmt.Errorf("%s: not JSON: %w", path, err)
	}
	var e Existing
	switch {
	case probe["Subnets"] != nil:
		var out struct {
			Subnets []struct {
				SubnetID, VpcID, AvailabilityZone, CidrBlock string
				MapPublicIPOnLaunch                          bool `json:"MapPublicIpOnLaunch"`
				Ipv6CidrBlockAssociationSet                  []struct {
					Ipv6CidrBlock      string
					Ipv6CidrBlockState struct{ State string }
				}
			}
		}
		if err := json.Unmarshal(b, &out); err != nil {
			return Existing{}, fmt.Errorf("%s: not the output of aws ec2 describe-subnets: %w", path, err)
		}
		for _, s := range out.Subnets {
			subnet := Subnet{ID: s.SubnetID, VpcID: s.VpcID, AvailabilityZone: s.AvailabilityZone, CIDR: s.CidrBlock, MapPublicIPOnLaunch: s.MapPublicIPOnLaunch}
			for _, a := range s.Ipv6CidrBlockAssociationSet {
				if a.Ipv6CidrBlockState.State == "associated" {
					subnet.IPv6CIDR = a.Ipv6CidrBlock
				}
			}
			e.Subnets = append(e.Subnets, subnet)
		}
	case probe["RouteTables"] != nil:
		var out struct {
			RouteTables []struct {
				RouteTableID, VpcID string
				Associations        []struct {
					Main     bool
					SubnetID string
				}
				// Routes name their target under a key per kind of target.
				Routes []map[string]any
			}
		}
		if err := json.Unmarshal(b, &out); err != nil {
			return Existing{}, fmt.Errorf("%s: not the output of aws ec2 describe-route-tables: %w", path, err)
		}
		for _, t := range out.RouteTables {
			table := RouteTable{ID: t.RouteTableID, VpcID: t.VpcID}
			for _, a := range t.Associations {
				if a.Main {
					table.Main = true
				}
				if a.SubnetID != "" {
					table.Subnets = append(table.Subnets, a.SubnetID)
				}
			}
			for _, r := range t.Routes {
				route := Route{}
				route.Destination, _ = r["DestinationCidrBlock"].(string)
				route.DestinationIPv6, _ = r["DestinationIpv6CidrBlock"].(string)
				for _, k := range routeTargetKeys {
					if v, ok := r[k].(string); ok && v != "" {
						route.Target = v
						break
					}
				}
				table.Routes = append(table.Routes, route)
			}
			e.RouteTables = append(e.RouteTables, table)
		}
	default:
		if err := json.Unmarshal(b, &e); err != nil {
			return Existing{}, fmt.Errorf("%s: not a description of an account: %w", path, err)
		}
	}
	return e, nil
}

// routeTargetKeys are the keys under which describe-route-tables names a route's target.
var routeTargetKeys = []string{"GatewayId", "NatGatewayId", "EgressOnlyInternetGatewayId", "TransitGatewayId",
	"InstanceId", "NetworkInterfaceId", "VpcPeeringConnectionId"}

// sortedResources returns the account's resources sorted by URN, then id.
func (a *Account) sortedResources() []*Resource {
	out := make([]*Resource, 0, len(a.Resources))
	for _, r := range a.Resources {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].URN != out[j].URN {
			return out[i].URN < out[j].URN
		}
		return out[i].ID < out[j].ID
	})
	return out
}
