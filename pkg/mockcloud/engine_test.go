package mockcloud

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
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
