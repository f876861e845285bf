package mockcloud

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
)

const (
	testZone = "Z0EXAMPLEZONE0000001"
	recURN   = "urn:pulumi:dev::p::aws:route53/record:Record::"
)

func cnameInputs(name string, overwrite bool) resource.PropertyMap {
	return resource.NewPropertyMapFromMap(map[string]any{
		"zoneId": testZone, "name": name, "type": "CNAME", "ttl": 300, "records": []any{"target.example.net."}, "allowOverwrite": overwrite,
	})
}

// TestAccountSurvivesJSON: the engine's plugin saves the account between calls; secrets and
// unknowns must come back as they were.
func TestAccountSurvivesJSON(t *testing.T) {
	a := NewAccount(Existing{Zones: []Zone{{ID: testZone, Name: "example.com"}}})
	c := ForEngine(a, "eu-west-1")
	inputs := cnameInputs("x.example.com", false)
	inputs["records"] = resource.MakeSecret(resource.NewProperty([]resource.PropertyValue{resource.NewProperty("secret.example.net.")}))
	if _, _, err := c.Create(recURN+"x", inputs); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "account.json")
	if err := a.SaveAccount(path); err != nil {
		t.Fatal(err)
	}
	b, err := LoadAccount(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("the account changed through JSON:\n%+v\n%+v", a, b)
	}
	for _, r := range b.Resources {
		if !r.Inputs["records"].IsSecret() {
			t.Error("a secret input came back in clear")
		}
	}
}

// TestEngineOperations: under the engine, a replacement (created while the old resource still
// exists) gets ids of its own, updates keep the id, deleting one of two resources that write one
// record set deletes the record set (Audit reports the other), and a zone that holds records
// cannot be deleted.
func TestEngineOperations(t *testing.T) {
	a := NewAccount(Existing{})
	c := ForEngine(a, "eu-west-1")
	zoneURN := "urn:pulumi:dev::p::aws:route53/zone:Zone::z"
	zoneID, _, err := c.Create(zoneURN, resource.NewPropertyMapFromMap(map[string]any{"name": "example.com"}))
	if err != nil {
		t.Fatal(err)
	}
	replacement, _, err := c.Create(zoneURN, resource.NewPropertyMapFromMap(map[string]any{"name": "example.com"}))
	if err != nil || replacement == zoneID {
		t.Fatalf("replacement %q (%v), want an id other than %q", replacement, err, zoneID)
	}
	if err := c.Delete(zoneURN, replacement); err != nil {
		t.Fatal(err)
	}

	in := cnameInputs("_v.example.com", true)
	in["zoneId"] = resource.NewProperty(zoneID)
	first, _, err := c.Create(recURN+"first", in)
	if err != nil {
		t.Fatal(err)
	}
	second, _, err := c.Create(recURN+"second", in)
	if err != nil || second != first {
		t.Fatalf("second writer of the record set: %q, %v", second, err)
	}
	if problems := a.Audit(nil); len(problems) != 0 {
		t.Fatalf("audit: %v", problems)
	}
	if err := c.Delete(zoneURN, zoneID); err == nil || !strings.Contains(err.Error(), "HostedZoneNotEmpty") {
		t.Fatalf("deleting a zone with records: %v", err)
	}

	in["ttl"] = resource.NewProperty(60.0)
	state, err := c.Update(recURN+"first", first, in)
	if err != nil || state["ttl"].NumberValue() != 60 {
		t.Fatalf("update: %v %v", state, err)
	}
	if err := c.Delete(recURN+"first", first); err != nil {
		t.Fatal(err)
	}
	problems := a.Audit(nil)
	if len(problems) != 1 || !strings.Contains(problems[0], recURN+"second: its record set _v.example.com CNAME is gone") {
		t.Fatalf("audit after deleting one of two writers: %v", problems)
	}
	if _, _, _, ok := c.Read(awstype.Record, first); ok {
		t.Error("the deleted record set can still be read")
	}
}

func TestReadExisting(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	subnets := write("subnets.json", `{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "AvailabilityZone": "eu-west-1a",
		"CidrBlock": "10.0.1.0/24", "MapPublicIpOnLaunch": true, "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2a05:d018::/64", "Ipv6CidrBlockState": {"State": "associated"}}]}]}`)
	tables := write("tables.json", `{"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1",
		"Associations": [{"Main": true, "RouteTableId": "rtb-1"}, {"Main": false, "SubnetId": "subnet-1"}],
		"Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local"}, {"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-1"}]}]}`)
	e, err := ReadExisting(subnets)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Subnet{ID: "subnet-1", VpcID: "vpc-1", AvailabilityZone: "eu-west-1a", CIDR: "10.0.1.0/24", IPv6CIDR: "2a05:d018::/64", MapPublicIPOnLaunch: true}); !reflect.DeepEqual(e.Subnets, []Subnet{want}) {
		t.Errorf("subnets %+v", e.Subnets)
	}
	e, err = ReadExisting(tables)
	if err != nil {
		t.Fatal(err)
	}
	want := RouteTable{ID: "rtb-1", VpcID: "vpc-1", Main: true, Subnets: []string{"subnet-1"},
		Routes: []Route{{Destination: "10.0.0.0/16", Target: "local"}, {Destination: "0.0.0.0/0", Target: "nat-1"}}}
	if !reflect.DeepEqual(e.RouteTables, []RouteTable{want}) {
		t.Errorf("route tables %+v", e.RouteTables)
	}
	if _, err := ReadExisting(write("bad.json", "[1,2]")); err == nil {
		t.Error("a JSON array was read as an account")
	}
}

func TestReplacingPaths(t *testing.T) {
	tests := []struct {
		typ     string
		inputs  map[string]any
		changed []string
		want    []string
	}{
		{awstype.Instance, map[string]any{}, []string{"ami", "instanceType", "tags.Name"}, []string{"ami"}},
		{awstype.Instance, map[string]any{}, []string{"userData"}, nil},
		{awstype.Instance, map[string]any{"userDataReplaceOnChange": true}, []string{"userData"}, []string{"userData"}},
		{awstype.Instance, map[string]any{}, []string{"rootBlockDevice.encrypted", "rootBlockDevice.volumeType"}, []string{"rootBlockDevice.encrypted"}},
		{awstype.Certificate, map[string]any{}, []string{"subjectAlternativeNames[1]"}, []string{"subjectAlternativeNames[1]"}},
		{awstype.Distribution, map[string]any{}, []string{"aliases[0]"}, nil},
		{"aws:unknown/thing:Thing", map[string]any{}, []string{"name"}, nil},
	}
	for _, tt := range tests {
		if got := ReplacingPaths(tt.typ, tt.inputs, tt.changed); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s %v: %v, want %v", tt.typ, tt.changed, got, tt.want)
		}
	}
	for _, typ := range Types() {
		if typ.simulate != nil && !strings.HasPrefix(typ.Source, terraformDocs) {
			t.Errorf("%s: simulated, but no source for its force-new properties", typ.Token)
		}
	}
}

func TestChanges(t *testing.T) {
	old := map[string]any{"a": 1.0, "b": map[string]any{"c": "x", "d": []any{"p", "q"}}, "gone": true}
	new := map[string]any{"a": 1.0, "b": map[string]any{"c": "y", "d": []any{"p", "r"}}, "added": "z"}
	got := Changes(old, new)
	want := []Change{{"added", nil, "z"}, {"b.c", "x", "y"}, {"b.d[1]", "q", "r"}, {"gone", true, nil}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Changes = %v, want %v", got, want)
	}
}

func TestOrphans(t *testing.T) {
	a := NewAccount(Existing{})
	for _, r := range []*Resource{
		{URN: "urn:lb", ID: "arn:lb-1", Type: awstype.LoadBalancer, Custom: true},
		{URN: "urn:lb", ID: "arn:lb-2", Type: awstype.LoadBalancer, Custom: true},
		{URN: "urn:zone", ID: "Z1", Type: awstype.Zone, Custom: true, Read: true},
		{URN: "urn:site", ID: "", Type: "route53-failover:index:MainSite"},
		{URN: "urn:validation", ID: "2026-01-01", Type: awstype.CertificateValidation, Custom: true},
	} {
		a.Resources[key(r.URN, r.ID)] = r
	}
	inState := func(typ, id string) bool { return id == "arn:lb-2" }
	orphans := a.Orphans(inState)
	if len(orphans) != 1 || orphans[0].ID != "arn:lb-1" {
		t.Fatalf("Orphans = %+v, want the first load balancer alone (not the read zone, the component, the validation AWS holds nothing for)", orphans)
	}
	a.DeleteOrphan(orphans[0])
	if left := a.Orphans(inState); len(left) != 0 {
		t.Errorf("after DeleteOrphan: %+v", left)
	}
}
