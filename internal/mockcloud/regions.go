package mockcloud

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// albZoneIDs are the canonical hosted zone ids of Application Load Balancers in every region of
// the standard AWS partition, as AWS publishes them ("Elastic Load Balancing endpoints and
// quotas", https://docs.aws.amazon.com/general/latest/gr/elb.html); Route 53 alias records must
// use them. A region missing here is one the simulated account does not have.
var albZoneIDs = map[string]string{
	"af-south-1":     "Z268VQBMOI5EKX",
	"ap-east-1":      "Z3DQVH9N71FHZ0",
	"ap-northeast-1": "Z14GRHDCWA56QT",
	"ap-northeast-2": "ZWKZPGTI48KDX",
	"ap-northeast-3": "Z5LXEXXYW11ES",
	"ap-south-1":     "ZP97RAFLXTNZK",
	"ap-south-2":     "Z0173938T07WNTVAEPZN",
	"ap-southeast-1": "Z1LMS91P8CMLE5",
	"ap-southeast-2": "Z1GM3OXH4ZPM65",
	"ap-southeast-3": "Z08888821HLRG5A9ZRTER",
	"ap-southeast-4": "Z09517862IB2WZLPXG76F",
	"ap-southeast-5": "Z06010284QMVVW7WO5J",
	"ap-southeast-7": "Z0390008CMBRTHFGWBCB",
	"ca-central-1":   "ZQSVJUPU6J1EY",
	"ca-west-1":      "Z06473681N0SF6OS049SD",
	"eu-central-1":   "Z215JYRZR1TBD5",
	"eu-central-2":   "Z06391101F2ZOEP8P5EB3",
	"eu-north-1":     "Z23TAZ6LKFMNIO",
	"eu-south-1":     "Z3ULH7SSC9OV64",
	"eu-south-2":     "Z0956581394HF5D5LXGAP",
	"eu-west-1":      "Z32O12XQLNTSW2",
	"eu-west-2":      "ZHURV8PSTC4K8",
	"eu-west-3":      "Z3Q77PNBQS71R4",
	"il-central-1":   "Z09170902867EHPV2DABU",
	"me-central-1":   "Z08230872XQRWHG2XF6I",
	"me-south-1":     "ZS929ML54UICD",
	"mx-central-1":   "Z023552324OKD1BB28BH5",
	"sa-east-1":      "Z2P70J7HTTTPLU",
	"us-east-1":      "Z35SXDOTRQ7X7K",
	"us-east-2":      "Z3AADJGX6KTTL2",
	"us-west-1":      "Z368ELLRRE2KJ0",
	"us-west-2":      "Z1H1FL5HABSF5",
}

// Regions lists the regions of the simulated account: every region of the standard AWS
// partition, sorted.
func Regions() []string {
	return slices.Sorted(maps.Keys(albZoneIDs))
}

// KnownRegion reports whether the simulated account has region.
func KnownRegion(region string) bool {
	_, ok := albZoneIDs[region]
	return ok
}

// ALBZoneID is the canonical hosted zone id of Application Load Balancers in region.
func ALBZoneID(region string) (string, bool) {
	id, ok := albZoneIDs[region]
	return id, ok
}

// availabilityZones lists, per region, the zones this account sees, as name → zone id. AWS maps
// zone names to physical zones (ids) differently in every account; this account's mapping puts
// use1-az3, which offers no t3 instances, first in us-east-1, and gives ap-northeast-1 no "b", as
// newer accounts see it. Regions not listed have a, b and c mapped to az1, az2 and az3.
var availabilityZones = map[string][][2]string{
	"us-east-1": {
		{"us-east-1a", "use1-az3"}, {"us-east-1b", "use1-az1"}, {"us-east-1c", "use1-az2"},
		{"us-east-1d", "use1-az4"}, {"us-east-1e", "use1-az5"}, {"us-east-1f", "use1-az6"},
	},
	"ap-northeast-1": {
		{"ap-northeast-1a", "apne1-az4"}, {"ap-northeast-1c", "apne1-az1"}, {"ap-northeast-1d", "apne1-az2"},
	},
}

// zonesOf returns the names of region's Availability Zones, in order.
func zonesOf(region string) []string {
	var names []string
	for _, z := range zoneTable(region) {
		names = append(names, z[0])
	}
	return names
}

func zoneTable(region string) [][2]string {
	if t, ok := availabilityZones[region]; ok {
		return t
	}
	var t [][2]string
	for i, letter := range []string{"a", "b", "c"} {
		t = append(t, [2]string{region + letter, fmt.Sprintf("%s-az%d", regionShortName(region), i+1)})
	}
	return t
}

// zoneIDOf returns the zone id (such as apne1-az4) of a zone name, and whether the zone exists.
func zoneIDOf(zone string) (string, bool) {
	region := regionOfZone(zone)
	for _, z := range zoneTable(region) {
		if z[0] == zone {
			return z[1], true
		}
	}
	return "", false
}

// regionOfZone strips the zone letter: ap-northeast-1a → ap-northeast-1.
func regionOfZone(zone string) string {
	if zone == "" {
		return ""
	}
	return zone[:len(zone)-1]
}

// regionShortName abbreviates a region as AZ ids do: ap-northeast-1 → apne1.
func regionShortName(region string) string {
	parts := strings.Split(region, "-")
	if len(parts) < 3 {
		return region
	}
	short := parts[0]
	for _, p := range parts[1 : len(parts)-1] {
		if abbrev, ok := directions[p]; ok {
			short += abbrev
		} else {
			short += p[:1]
		}
	}
	return short + parts[len(parts)-1]
}

var directions = map[string]string{
	"northeast": "ne", "southeast": "se", "northwest": "nw", "southwest": "sw",
	"east": "e", "west": "w", "north": "n", "south": "s", "central": "c",
}
