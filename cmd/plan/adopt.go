package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/seed-2b23e6e5/route53-failover/internal/stack"
	"github.com/seed-2b23e6e5/route53-failover/pkg/edgefailover"
	"github.com/seed-2b23e6e5/route53-failover/pkg/failoverdns"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

// recordType is the type token of a Route 53 record.
const recordType = "aws:route53/record:Record"

// recordSets is what `aws route53 list-resource-record-sets` prints (ListResourceRecordSets,
// Route 53 API Reference), as far as adopting records needs it.
type recordSets struct {
	ResourceRecordSets []struct {
		Name, Type, SetIdentifier, Failover string
		// Set for the routing policies a failover record cannot take the place of.
		Weight, Region, GeoLocation, MultiValueAnswer, CidrRoutingConfig, GeoProximityLocation any
	}
}

// importFile is the file `pulumi import --file` reads ("pulumi import", Pulumi CLI docs).
type importFile struct {
	NameTable map[string]string `json:"nameTable"`
	Resources []importResource  `json:"resources"`
}

type importResource struct {
	Type   string `json:"type"`
	Name   string `json:"name"`
	ID     string `json:"id"`
	Parent string `json:"parent"`
}

// adopt prints the import file that makes the records the zone already holds for the served
// names the stack's own: each becomes the record the stack would create in its place, so that the
// next pulumi up changes it in place instead of creating one beside it, which Route 53 refuses.
func adopt(args []string, out, errOut io.Writer) error {
	flags := flag.NewFlagSet("adopt", flag.ContinueOnError)
	flags.SetOutput(errOut)
	stackName := flags.String("stack", "", "the stack that adopts the records, from stacks/Pulumi.<stack>.yaml")
	configFile := flags.String("config-file", "", "read the stack's config from this file (Pulumi.<stack>.yaml) instead")
	zoneID := flags.String("zone-id", "", "the hosted zone's id: pulumi stack output hostedZoneId")
	records := flags.String("records", "", "what aws route53 list-resource-record-sets --hosted-zone-id ID printed")
	projectDir := flags.String("project-dir", ".", "the directory that holds Pulumi.yaml")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *stackName == "" && *configFile == "" || *zoneID == "" || *records == "" || flags.NArg() > 0 {
		return errors.New("usage: plan adopt -stack NAME -zone-id ID -records FILE (see -h)")
	}
	b, err := os.ReadFile(*records)
	if err != nil {
		return err
	}
	var existing recordSets
	if err := json.Unmarshal(b, &existing); err != nil || existing.ResourceRecordSets == nil {
		return fmt.Errorf("-records %s: not what aws route53 list-resource-record-sets prints (%v)", *records, err)
	}
	opts, err := stack.PlanOptions(*projectDir, *stackName, *configFile)
	if err != nil {
		return err
	}
	p, err := plan.Run(opts, stack.Program)
	if err != nil {
		return err
	}
	file, left, err := adoption(p, strings.TrimPrefix(*zoneID, "/hostedzone/"), existing)
	if err != nil {
		return err
	}
	for _, rs := range left {
		fmt.Fprintf(errOut, "%s stays as it is: the stack publishes no record in its place; delete it once the stack serves\n", rs)
	}
	b, err = json.MarshalIndent(file, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "%s\n", b)
	return err
}

// adoption matches the served names' records of the plan with the record sets the zone holds:
// a simple record set becomes the PRIMARY record (or edge mode's plain one), a failover record
// set the record of its role. The id is the provider's: zone, name, type and set identifier
// (aws.route53.Record, "Import", Pulumi Registry). left are the served names' A and AAAA record
// sets that no record of the stack takes the place of (an AAAA where the stack publishes A only).
func adoption(p *plan.Plan, zoneID string, existing recordSets) (file importFile, left []string, err error) {
	file = importFile{NameTable: map[string]string{}}
	served, adopted := map[string]bool{}, map[int]bool{}
	for _, r := range p.OfType(recordType) {
		parent := p.ByURN(r.Parent)
		if parent == nil || (parent.Type != failoverdns.Type && parent.Type != edgefailover.Type) {
			continue // not a served name's record (a validation record, the origin's)
		}
		name, typ := fmt.Sprint(r.Inputs["name"]), fmt.Sprint(r.Inputs["type"])
		role, _ := plan.Get(r.Inputs, "failoverRoutingPolicies", 0, "type").(string)
		served[name] = true
		for i, rs := range existing.ResourceRecordSets {
			if strings.TrimSuffix(strings.ToLower(rs.Name), ".") != name || rs.Type != typ {
				continue
			}
			switch {
			case rs.Weight != nil || rs.Region != nil || rs.GeoLocation != nil || rs.MultiValueAnswer != nil ||
				rs.CidrRoutingConfig != nil || rs.GeoProximityLocation != nil:
				return importFile{}, nil, fmt.Errorf("%s %s (set %q) has a routing policy other than failover: "+
					"delete it, or replace it with a simple record, before adopting", name, typ, rs.SetIdentifier)
			case rs.Failover != "" && role == "":
				return importFile{}, nil, fmt.Errorf("%s %s is a %s failover record; the stack publishes a plain record "+
					"there (edge mode): adopt them with failoverMode dns, then switch modes as docs/edge-mode.md says",
					name, typ, rs.Failover)
			case rs.Failover != role && !(rs.Failover == "" && role == "PRIMARY"):
				continue // a plain record set is the PRIMARY's to adopt
			}
			id := strings.Join([]string{zoneID, name, typ}, "_")
			if rs.SetIdentifier != "" {
				id += "_" + rs.SetIdentifier
			}
			adopted[i] = true
			file.NameTable[parent.Name] = parent.URN
			file.Resources = append(file.Resources, importResource{Type: r.Type, Name: r.Name, ID: id, Parent: parent.Name})
		}
	}
	for i, rs := range existing.ResourceRecordSets {
		name := strings.TrimSuffix(strings.ToLower(rs.Name), ".")
		if served[name] && !adopted[i] && (rs.Type == "A" || rs.Type == "AAAA") {
			left = append(left, name+" "+rs.Type)
		}
	}
	if len(file.Resources) == 0 {
		return importFile{}, left, errors.New("the zone holds no record of the served names to adopt: run pulumi up")
	}
	return file, left, nil
}
