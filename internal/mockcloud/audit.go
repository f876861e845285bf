package mockcloud

import (
	"fmt"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
)

// Audit lists what is wrong with the account although every call succeeded: a record resource
// whose record set is gone from its zone (another resource that wrote the same record set
// deleted it), and an issued certificate whose validation records are gone, so that ACM cannot
// renew it. It looks at the resources inState says a stack still manages, by type and id (all,
// when nil): one the engine stopped managing (a read) claims nothing any more. Type and id, not
// URN: the engine moves a resource to another URN (pulumi.Aliases) without a call to the
// provider. An empty list means the account is as the stacks in it believe.
func (a *Account) Audit(inState func(typ, id string) bool) []string {
	c := ForEngine(a, "")
	var problems []string
	for _, res := range a.sortedResources() {
		if inState != nil && !inState(res.Type, res.ID) {
			continue
		}
		switch res.Type {
		case awstype.Record:
			rs := storedRecordSet(res)
			if _, ok := a.RecordSets[rs.key()]; !ok {
				problems = append(problems, fmt.Sprintf("%s: its record set %s %s is gone from zone %s", res.URN, rs.Name, rs.Type, rs.ZoneID))
			}
		case awstype.Certificate:
			if stringArg(res.out(), "status") != "ISSUED" {
				continue
			}
			for _, o := range arrayOfObjects(res.out(), "domainValidationOptions") {
				name := stringArg(o, "resourceRecordName")
				if !c.resolvesCNAME(trimDot(name), stringArg(o, "resourceRecordValue")) {
					problems = append(problems, fmt.Sprintf("%s: its validation record %s is gone; ACM cannot renew it", res.URN, name))
				}
			}
		}
	}
	return problems
}

func trimDot(name string) string {
	if n := len(name); n > 0 && name[n-1] == '.' {
		return name[:n-1]
	}
	return name
}

// Orphans are the resources the account holds that no stack manages (inState says which it
// does, by type and id): what an interrupted `pulumi up` created before the state recorded it,
// once the pending create is cleared and made again. AWS keeps, and bills, each one until it is
// deleted or imported. A virtual resource (Type.Virtual) is not one: AWS holds nothing for it.
func (a *Account) Orphans(inState func(typ, id string) bool) []Resource {
	var orphans []Resource
	for _, res := range a.sortedResources() {
		if res.Custom && !res.Read && !Lookup(res.Type).Virtual && !inState(res.Type, res.ID) {
			orphans = append(orphans, *res)
		}
	}
	return orphans
}

// DeleteOrphan deletes a resource Orphans listed, as its owner would in the console.
func (a *Account) DeleteOrphan(r Resource) { delete(a.Resources, key(r.URN, r.ID)) }
