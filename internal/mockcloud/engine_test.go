package mockcloud

import (
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
)

// TestLaunchTemplateVersions: every change of what a template launches is a new version, which a
// group that names LatestVersion then follows; a change of its tags alone is not.
func TestLaunchTemplateVersions(t *testing.T) {
	c := ForEngine(NewAccount(Existing{}), "eu-west-1")
	image, _, _ := publicImage("eu-west-1", amazonLinuxParameterPrefix+"al2023-ami-kernel-default-x86_64")
	inputs := func(userData, tag string) resource.PropertyMap {
		return resource.NewPropertyMapFromMap(map[string]any{"imageId": image, "instanceType": "t3.micro",
			"userData": userData, "tags": map[string]any{"Name": tag}})
	}
	const urn = "urn:pulumi:dev::p::aws:ec2/launchTemplate:LaunchTemplate::web"
	id, state, err := c.Create(urn, inputs("IyEvYmluL2Jhc2g=", "a"))
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		userData, tag string
		version       float64
	}{
		{"IyEvYmluL2Jhc2gK", "a", 2}, // a new page: version 2
		{"IyEvYmluL2Jhc2gK", "b", 2}, // tags only
		{"IyEvYmluL3No", "b", 3},
	} {
		if state, err = c.Update(urn, id, inputs(step.userData, step.tag)); err != nil {
			t.Fatal(err)
		}
		if got := state["latestVersion"].NumberValue(); got != step.version {
			t.Errorf("after user data %s and tag %s: latestVersion %v, want %v", step.userData, step.tag, got, step.version)
		}
	}
}

// TestPlainRecordCannotReplaceFailoverInPlace is what a plain pulumi up from dns to edge mode
// runs into: the PRIMARY record turns into a plain alias while its SECONDARY still exists, which
// Route 53 refuses.
func TestPlainRecordCannotReplaceFailoverInPlace(t *testing.T) {
	c := ForEngine(NewAccount(Existing{Zones: []Zone{PublicZone("example.com")}}), "eu-west-1")
	failover := func(role string) resource.PropertyMap {
		return resource.NewPropertyMapFromMap(map[string]any{"zoneId": ZoneIDFor("example.com"), "name": "example.com", "type": "A",
			"ttl": 60, "records": []any{"192.0.2.1"}, "setIdentifier": strings.ToLower(role),
			"failoverRoutingPolicies": []any{map[string]any{"type": role}}})
	}
	primary, _, err := c.Create(recURN+"primary", failover("PRIMARY"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Create(recURN+"secondary", failover("SECONDARY")); err != nil {
		t.Fatal(err)
	}
	plain := resource.NewPropertyMapFromMap(map[string]any{"zoneId": ZoneIDFor("example.com"), "name": "example.com", "type": "A",
		"ttl": 60, "records": []any{"192.0.2.2"}})
	if _, err := c.Update(recURN+"primary", primary, plain); err == nil || !strings.Contains(err.Error(), "InvalidChangeBatch") {
		t.Fatalf("a plain record in place of the PRIMARY beside its SECONDARY: %v, want InvalidChangeBatch", err)
	}
}

// TestAdoptingAPlainRecord: a hand-built site's plain A record cannot have a failover record
// beside it, but, imported as the PRIMARY record and updated, it becomes one in one change
// (the provider deletes and creates it in one change batch when its set identifier changes), so
// the name answers throughout; the resource keeps the id it was imported with.
func TestAdoptingAPlainRecord(t *testing.T) {
	const server = "203.0.113.10"
	zone := PublicZone("example.com")
	a := NewAccount(Existing{Zones: []Zone{zone}, WebServers: []string{server},
		RecordSets: []RecordSet{{ZoneID: zone.ID, Name: "example.com.", Type: "A", Values: []string{server}, TTL: 300}}})
	c := ForEngine(a, "eu-west-1")
	served := func(when string) {
		t.Helper()
		if answer := a.Visit("example.com", "/"); !answer.Served(503) || answer.Page != PageMain {
			t.Errorf("%s: %s, want the main page", when, answer)
		}
	}
	failover := func(role string) resource.PropertyMap {
		return resource.NewPropertyMapFromMap(map[string]any{"zoneId": zone.ID, "name": "example.com", "type": "A",
			"ttl": 60, "records": []any{server}, "setIdentifier": strings.ToLower(role),
			"failoverRoutingPolicies": []any{map[string]any{"type": role}}})
	}
	served("before")
	if _, _, err := c.Create(recURN+"secondary", failover("SECONDARY")); err == nil || !strings.Contains(err.Error(), "InvalidChangeBatch") {
		t.Fatalf("a SECONDARY beside the plain record: %v, want InvalidChangeBatch", err)
	}

	plainID := zone.ID + "_example.com_A"
	_, _, inputs, ok := c.Read(awstype.Record, plainID)
	if !ok || inputs["ttl"].NumberValue() != 300 || len(inputs["records"].ArrayValue()) != 1 {
		t.Fatalf("importing %s read %v (found %v), want its TTL and address as inputs", plainID, inputs, ok)
	}
	if _, err := c.Update(recURN+"primary", plainID, failover("PRIMARY")); err != nil {
		t.Fatalf("updating the imported record into the PRIMARY: %v", err)
	}
	served("after the update")
	if _, _, err := c.Create(recURN+"secondary", failover("SECONDARY")); err != nil {
		t.Fatalf("the SECONDARY once the plain record is the PRIMARY: %v", err)
	}
	served("with the pair")
	if _, _, in, ok := c.Read(awstype.Record, plainID); !ok || in["setIdentifier"].StringValue() != "primary" {
		t.Errorf("the PRIMARY read by the id it was imported with: %v (found %v)", in, ok)
	}
	if len(a.RecordSets) != 2 {
		t.Errorf("the zone holds %d record sets, want the pair", len(a.RecordSets))
	}
}

// TestListResourceRecordSets: the zone's record sets as the AWS CLI prints them.
func TestListResourceRecordSets(t *testing.T) {
	zone := PublicZone("example.com")
	a := NewAccount(Existing{Zones: []Zone{zone}, RecordSets: []RecordSet{
		{ZoneID: zone.ID, Name: "www.example.com", Type: "A", SetID: "Primary", Failover: "PRIMARY",
			AliasTarget: "dualstack.old-123.eu-west-1.elb.amazonaws.com", AliasZoneID: "Z32O12XQLNTSW2", EvaluateTargetHealth: true},
		{ZoneID: zone.ID, Name: "example.com", Type: "A", Values: []string{"203.0.113.10"}, TTL: 300},
		{ZoneID: "Z0OTHER", Name: "example.net", Type: "A", Values: []string{"203.0.113.11"}, TTL: 300},
	}})
	b, err := a.ListResourceRecordSets("/hostedzone/" + zone.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := `{
    "ResourceRecordSets": [
        {
            "Name": "example.com.",
            "Type": "A",
            "TTL": 300,
            "ResourceRecords": [
                {
                    "Value": "203.0.113.10"
                }
            ]
        },
        {
            "Name": "www.example.com.",
            "Type": "A",
            "SetIdentifier": "Primary",
            "Failover": "PRIMARY",
            "AliasTarget": {
                "HostedZoneId": "Z32O12XQLNTSW2",
                "DNSName": "dualstack.old-123.eu-west-1.elb.amazonaws.com.",
                "EvaluateTargetHealth": true
            }
        }
    ]
}`
	if string(b) != want {
		t.Errorf("got\n%s\nwant\n%s", b, want)
	}
}

// TestMovedResource: the engine moves a resource to another URN (pulumi.Aliases) and then updates
// or deletes it under the new one. AWS knows only the id: the update changes the one resource,
// which keeps its name and ARN, and the delete removes it, leaving nothing behind.
func TestMovedResource(t *testing.T) {
	const (
		before = "urn:pulumi:dev::p::route53-failover:index:FailoverDNS$aws:sns/topic:Topic::site-dns-alarm"
		after  = "urn:pulumi:dev::p::route53-failover:index:EdgeFailover$aws:sns/topic:Topic::site-edge-alarm"
	)
	for _, test := range []struct {
		name   string
		change func(c *Cloud, id string) error
		left   int
	}{
		{"updated", func(c *Cloud, id string) error {
			_, err := c.Update(after, id, resource.NewPropertyMapFromMap(map[string]any{"tags": map[string]any{"Name": "site-edge-alarm"}}))
			return err
		}, 1},
		{"deleted", func(c *Cloud, id string) error { return c.Delete(after, id) }, 0},
	} {
		t.Run(test.name, func(t *testing.T) {
			a := NewAccount(Existing{})
			c := ForEngine(a, "us-east-1")
			id, created, err := c.Create(before, resource.PropertyMap{})
			if err != nil {
				t.Fatal(err)
			}
			if err := test.change(c, id); err != nil {
				t.Fatal(err)
			}
			if len(a.Resources) != test.left {
				t.Fatalf("the account holds %d resources, want %d: %v", len(a.Resources), test.left, a.Resources)
			}
			for _, r := range a.Resources {
				arn := resource.PropertyMap(r.Outputs)["arn"]
				if r.ID != id || !arn.DeepEquals(created["arn"]) {
					t.Errorf("the account holds %s with ARN %v, want %s with ARN %v", r.ID, arn, id, created["arn"])
				}
			}
		})
	}
}

// TestImportByProviderID: pulumi import finds a route by ROUTETABLEID_DESTINATION and a subnet's
// association by SUBNETID/ROUTETABLEID, the ids the AWS provider imports them by, and reads each
// back with the id AWS gave it, which the state keeps.
func TestImportByProviderID(t *testing.T) {
	c := ForEngine(NewAccount(Existing{}), "eu-west-1")
	create := func(typ, name string, inputs map[string]any) string {
		t.Helper()
		id, _, err := c.Create("urn:pulumi:dev::p::"+typ+"::"+name, resource.NewPropertyMapFromMap(inputs))
		if err != nil {
			t.Fatalf("%s %s: %v", typ, name, err)
		}
		return id
	}
	vpc := create(awstype.VPC, "vpc", map[string]any{"cidrBlock": "10.0.0.0/16"})
	table := create(awstype.RouteTable, "public", map[string]any{"vpcId": vpc})
	gateway := create(awstype.InternetGateway, "igw", map[string]any{"vpcId": vpc})
	route := create(awstype.Route, "default", map[string]any{"routeTableId": table, "destinationCidrBlock": "0.0.0.0/0", "gatewayId": gateway})
	subnet := create(awstype.Subnet, "public-1", map[string]any{"vpcId": vpc, "cidrBlock": "10.0.1.0/24", "availabilityZone": "eu-west-1a"})
	association := create(awstype.RouteTableAssociation, "public-1", map[string]any{"subnetId": subnet, "routeTableId": table})
	for _, tt := range []struct {
		typ, importID, want string
	}{
		{awstype.Route, table + "_0.0.0.0/0", route},
		{awstype.RouteTableAssociation, subnet + "/" + table, association},
		{awstype.Route, table + "_10.9.0.0/16", ""},
		{awstype.RouteTableAssociation, subnet + "/rtb-0000000000000000", ""},
	} {
		id, _, _, ok := c.Read(tt.typ, tt.importID)
		if ok != (tt.want != "") || id != tt.want {
			t.Errorf("import %s %s: read %q (found %v), want %q", tt.typ, tt.importID, id, ok, tt.want)
		}
	}
}

// TestDistributionDeploys: in the engine's account a distribution's change reaches viewers once
// CloudFront has deployed it: a new distribution serves nothing before, an updated one serves as
// before; the plugin waits for the deployment unless waitForDeployment is false.
func TestDistributionDeploys(t *testing.T) {
	a := NewAccount(Existing{})
	c := ForEngine(a, "us-east-1")
	const urn = "urn:pulumi:dev::p::aws:cloudfront/distribution:Distribution::cdn"
	inputs := func(root string, wait bool) resource.PropertyMap {
		return resource.NewPropertyMapFromMap(map[string]any{
			"enabled": true, "defaultRootObject": root, "waitForDeployment": wait,
			"viewerCertificate": map[string]any{"cloudfrontDefaultCertificate": true},
			"origins":           []any{map[string]any{"originId": "o", "domainName": "b.s3.us-east-1.amazonaws.com"}},
			"defaultCacheBehavior": map[string]any{"targetOriginId": "o", "cachePolicyId": "c", "viewerProtocolPolicy": "redirect-to-https",
				"allowedMethods": []any{"GET", "HEAD"}, "cachedMethods": []any{}},
			"restrictions": map[string]any{"geoRestriction": map[string]any{"restrictionType": "none"}},
		})
	}
	id, _, err := c.Create(urn, inputs("a.html", true))
	if err != nil {
		t.Fatal(err)
	}
	if c.Wait() != DeployTime {
		t.Errorf("the plugin waits %v after the create, not the deployment's %v", c.Wait(), DeployTime)
	}
	d, _ := c.resource(awstype.Distribution, id)
	deployed := func() { d.Deploying.Until = time.Now().Add(-time.Second) }
	d.Deploying.Until = time.Now().Add(time.Hour)
	if answer := c.cloudFront(d, "https", stringArg(d.out(), "domainName"), "/"); !strings.Contains(answer.failure, "InProgress") {
		t.Errorf("a new distribution served before CloudFront deployed it: %+v", answer)
	}
	deployed()
	if in, ok := servedDistribution(d); !ok || in.DefaultRootObject != "a.html" {
		t.Errorf("deployed, it serves %+v (%v), want its inputs", in, ok)
	}

	c = ForEngine(a, "us-east-1") // the plugin's next operation
	if _, err := c.Update(urn, id, inputs("b.html", false)); err != nil {
		t.Fatal(err)
	}
	if c.Wait() != 0 {
		t.Errorf("with waitForDeployment false the plugin waits %v", c.Wait())
	}
	d, _ = c.resource(awstype.Distribution, id)
	d.Deploying.Until = time.Now().Add(time.Hour)
	if in, _ := servedDistribution(d); in.DefaultRootObject != "a.html" {
		t.Errorf("while the update deploys it serves root %q, want the previous a.html", in.DefaultRootObject)
	}
	deployed()
	if in, _ := servedDistribution(d); in.DefaultRootObject != "b.html" {
		t.Errorf("deployed, it serves root %q, want b.html", in.DefaultRootObject)
	}
}
