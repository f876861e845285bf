package failover

import (
	"slices"
	"testing"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
)

func TestRecoverImports(t *testing.T) {
	const dns = "urn:pulumi:prod::route53-failover::route53-failover:index:FailoverSite$route53-failover:index:FailoverDNS::site-dns"
	const primary = "urn:pulumi:prod::route53-failover::route53-failover:index:FailoverSite$route53-failover:index:FailoverDNS$aws:route53/record:Record::site-dns-example.com-A-primary"
	export := []byte(`{"version": 3, "deployment": {"pending_operations": [
		{"type": "creating", "resource": {"urn": "` + primary + `", "type": "` + awstype.Record + `", "parent": "` + dns + `",
			"inputs": {"zoneId": "Z0EXAMPLE", "name": "example.com", "type": "A", "setIdentifier": "primary"}}},
		{"type": "creating", "resource": {"urn": "urn:b::site-error-bucket", "type": "` + awstype.Bucket + `", "parent": "urn:p", "inputs": {}}},
		{"type": "updating", "resource": {"urn": "urn:x::r", "type": "` + awstype.Record + `", "parent": "urn:p",
			"inputs": {"zoneId": "Z0EXAMPLE", "name": "www.example.com", "type": "A"}}}
	]}}`)
	state, err := ReadState(export)
	if err != nil {
		t.Fatal(err)
	}
	pending := state.Pending
	if len(pending) != 2 {
		t.Fatalf("Pending = %+v, want the two creates, not the update", pending)
	}
	tail := []string{"--yes", "--protect=false", "--generate-code=false"}
	for _, tt := range []struct {
		name    string
		pending PendingCreate
		want    []string
	}{
		{"a failover record: imported under its URN", pending[0], append([]string{"import", awstype.Record,
			"site-dns-example.com-A-primary", "Z0EXAMPLE_example.com_A_primary", "--parent", "parent=" + dns}, tail...)},
		{"a bucket: made again by the next up, nothing to import", pending[1], nil},
		{"a record without a set identifier, its name with the trailing dot", PendingCreate{
			URN: "urn:r::www", Type: awstype.Record, Parent: "urn:p", Inputs: map[string]any{"zoneId": "Z1", "name": "www.example.com.", "type": "AAAA"},
		}, append([]string{"import", awstype.Record, "www", "Z1_www.example.com_AAAA", "--parent", "parent=urn:p"}, tail...)},
		{"a route: by its table and destination", PendingCreate{
			URN: "urn:r::site-main-public-default", Type: awstype.Route, Parent: "urn:p",
			Inputs: map[string]any{"routeTableId": "rtb-0a1b", "destinationCidrBlock": "0.0.0.0/0", "gatewayId": "igw-1"},
		}, append([]string{"import", awstype.Route, "site-main-public-default", "rtb-0a1b_0.0.0.0/0", "--parent", "parent=urn:p"}, tail...)},
		{"an IPv6 route", PendingCreate{
			URN: "urn:r::v6", Type: awstype.Route, Parent: "urn:p",
			Inputs: map[string]any{"routeTableId": "rtb-0a1b", "destinationIpv6CidrBlock": "::/0"},
		}, append([]string{"import", awstype.Route, "v6", "rtb-0a1b_::/0", "--parent", "parent=urn:p"}, tail...)},
		{"a subnet's association: by the subnet and the table", PendingCreate{
			URN: "urn:r::site-main-public-1", Type: awstype.RouteTableAssociation, Parent: "urn:p",
			Inputs: map[string]any{"subnetId": "subnet-9c8d", "routeTableId": "rtb-0a1b"},
		}, append([]string{"import", awstype.RouteTableAssociation, "site-main-public-1", "subnet-9c8d/rtb-0a1b", "--parent", "parent=urn:p"}, tail...)},
		{"a route without its table yet", PendingCreate{
			URN: "urn:r::r", Type: awstype.Route, Parent: "urn:p", Inputs: map[string]any{"destinationCidrBlock": "0.0.0.0/0"},
		}, nil},
		{"a record whose inputs were not known yet", PendingCreate{
			URN: "urn:r::www", Type: awstype.Record, Parent: "urn:p", Inputs: map[string]any{"name": "www.example.com", "type": "A"},
		}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := ImportArgs(tt.pending); !slices.Equal(got, tt.want) {
				t.Errorf("ImportArgs = %q\nwant %q", got, tt.want)
			}
		})
	}
	if _, err := ReadState([]byte("not json")); err == nil {
		t.Error("ReadState took a file that is not a stack export")
	}
}

// TestProviderRegion: a pending create's region is its provider's, as the export holds it: the
// stack's default provider, or the us-east-1 provider of the edge resources.
func TestProviderRegion(t *testing.T) {
	const provider = "urn:pulumi:prod::route53-failover::pulumi:providers:aws::default_6_83_4"
	state, err := ReadState([]byte(`{"deployment": {"resources": [
		{"urn": "` + provider + `", "type": "pulumi:providers:aws", "inputs": {"region": "eu-west-1"}},
		{"urn": "urn:pulumi:prod::route53-failover::pulumi:providers:aws::site-us-east-1", "type": "pulumi:providers:aws", "inputs": {"region": "us-east-1"}}
	]}}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ provider, want string }{
		{provider + "::04da6b54-80e4-46f7-96ec-b56ff0331ba9", "eu-west-1"},
		{"urn:pulumi:prod::route53-failover::pulumi:providers:aws::site-us-east-1::a1b2", "us-east-1"},
		{"urn:pulumi:prod::route53-failover::pulumi:providers:aws::gone::a1b2", ""},
	} {
		if got := state.ProviderRegion(PendingCreate{Provider: tt.provider}); got != tt.want {
			t.Errorf("ProviderRegion(%s) = %q, want %q", tt.provider, got, tt.want)
		}
	}
}
