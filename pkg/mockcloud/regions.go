package mockcloud

import (
	"fmt"
	"strings"
)

// albZoneIDs are the canonical hosted zone ids of Application Load Balancers per region, as AWS
// publishes them (ELB endpoints and quotas); Route 53 alias records must use them.
var albZoneIDs = map[string]string{
	"us-east-1":      "Z35SXDOTRQ7X7K",
	"us-east-2":      "Z3AADJGX6KTTL2",
	"us-west-1":      "Z368ELLRRE2KJ0",
	"us-west-2":      "Z1H1FL5HABSF5",
	"ca-central-1":   "ZQSVJUPU6J1EY",
	"sa-east-1":      "Z2P70J7HTTTPLU",
	"eu-west-1":      "Z32O12XQLNTSW2",
	"eu-west-2":      "ZHURV8PSTC4K8",
	"eu-west-3":      "Z3Q77PNBQS71R4",
	"eu-central-1":   "Z215JYRZR1TBD5",
	"eu-north-1":     "Z23TAZ7KKNJ8ZD",
	"ap-northeast-1": "Z14GRHDCWA56QT",
	"ap-northeast-2": "ZWKZPGTI48KDX",
	"ap-northeast-3": "Z5LXEXXYW11ES",
	"ap-southeast-1": "Z1LMS91P8CMLE5",
	"ap-southeast-2": "Z1GM3OXH4ZPM65",
	"ap-south-1":     "ZP97RAFLXTNZK",
}

// availabilityZoneLetters lists the zones an account typically sees per region; ap-northeast-1
// has no "b" for new accounts, which catches code that assumes "<region>a" and "<region>b".
var availabilityZoneLetters = map[string][]string{
	"us-east-1":      {"a", "b", "c", "d", "e", "f"},
	"ap-northeast-1": {"a", "c", "d"},
}

func zonesOf(region string) []string {
	letters, ok := availabilityZoneLetters[region]
	if !ok {
		letters = []string{"a", "b", "c"}
	}
	names := make([]string, len(letters))
	for i, l := range letters {
		names[i] = region + l
	}
	return names
}

// zoneIDOf derives an AZ id such as apne1-az1 from a zone name such as ap-northeast-1a. Real ids
// are a per-account shuffle of the letters; a fixed mapping keeps the plan deterministic.
func zoneIDOf(zone string) string {
	region, letter := zone[:len(zone)-1], zone[len(zone)-1]
	parts := strings.Split(region, "-")
	short := parts[0]
	for _, p := range parts[1 : len(parts)-1] {
		if abbrev, ok := directions[p]; ok {
			short += abbrev
		} else {
			short += p[:1]
		}
	}
	return fmt.Sprintf("%s%s-az%d", short, parts[len(parts)-1], int(letter-'a')+1)
}

var directions = map[string]string{
	"northeast": "ne", "southeast": "se", "northwest": "nw", "southwest": "sw",
	"east": "e", "west": "w", "north": "n", "south": "s", "central": "c",
}
