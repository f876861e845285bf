package mockcloud

import (
	"regexp"
	"slices"
	"strings"
)

// What AWS offers everyone, whatever the account holds: instance types, where they are offered,
// and the public Amazon Linux images named by SSM parameters.

// instanceFamilies maps the instance families the simulation knows to the architectures EC2
// reports for them (DescribeInstanceTypes, ProcessorInfo.SupportedArchitectures). Graviton
// families, marked by a "g" after the generation, are arm64.
var instanceFamilies = map[string][]string{
	"t2": {"i386", "x86_64"}, "t3": {"x86_64"}, "t3a": {"x86_64"}, "t4g": {"arm64"},
	"m5": {"x86_64"}, "m5a": {"x86_64"}, "m6i": {"x86_64"}, "m6a": {"x86_64"}, "m7i": {"x86_64"},
	"m7i-flex": {"x86_64"}, "m7a": {"x86_64"}, "m6g": {"arm64"}, "m7g": {"arm64"}, "m8g": {"arm64"},
	"c5": {"x86_64"}, "c6i": {"x86_64"}, "c6a": {"x86_64"}, "c7i": {"x86_64"}, "c7a": {"x86_64"},
	"c6g": {"arm64"}, "c7g": {"arm64"}, "c7gn": {"arm64"}, "c8g": {"arm64"},
	"r5": {"x86_64"}, "r6i": {"x86_64"}, "r7i": {"x86_64"}, "r6g": {"arm64"}, "r7g": {"arm64"}, "r8g": {"arm64"},
	"a1": {"arm64"}, "mac1": {"x86_64_mac"}, "mac2": {"arm64_mac"},
}

var (
	burstableSizes = []string{"nano", "micro", "small", "medium", "large", "xlarge", "2xlarge"}
	instanceSize   = regexp.MustCompile(`^(medium|large|xlarge|(2|4|8|12|16|24|32|48)xlarge|metal)$`)
)

// notOffered lists, per zone id, the families that zone does not offer (DescribeInstanceTypeOfferings
// with location type availability-zone leaves it out). use1-az3 offering no t3 is a case users hit.
var notOffered = map[string][]string{
	"use1-az3": {"t3", "t3a"},
}

// limitedTo lists, per region, families offered only in some of its zones (by zone id), as new
// generations are while they roll out: m8g in one zone of ap-northeast-1.
var limitedTo = map[string]map[string][]string{
	"ap-northeast-1": {"m8g": {"apne1-az4"}},
}

// instanceArchitectures returns the architectures of an instance type, and whether EC2 has it.
func instanceArchitectures(instanceType string) ([]string, bool) {
	family, size, ok := strings.Cut(instanceType, ".")
	if !ok {
		return nil, false
	}
	arch, ok := instanceFamilies[family]
	if !ok {
		return nil, false
	}
	if strings.HasPrefix(family, "t") {
		for _, s := range burstableSizes {
			if s == size {
				return arch, true
			}
		}
		return nil, false
	}
	if strings.HasPrefix(family, "mac") {
		return arch, size == "metal"
	}
	return arch, instanceSize.MatchString(size)
}

// offeredIn reports whether the zone (a name such as us-east-1a) offers the instance type.
func offeredIn(instanceType, zone string) bool {
	if _, ok := instanceArchitectures(instanceType); !ok {
		return false
	}
	id, ok := zoneIDOf(zone)
	if !ok {
		return false
	}
	family, _, _ := strings.Cut(instanceType, ".")
	if zones, limited := limitedTo[regionOfZone(zone)][family]; limited && !slices.Contains(zones, id) {
		return false
	}
	return !slices.Contains(notOffered[id], family)
}

// publicImageParameters are the public SSM parameters that name Amazon Linux 2023 images, by the
// architecture of the image they name.
const amazonLinuxParameterPrefix = "/aws/service/ami-amazon-linux-latest/"

var publicImageParameter = regexp.MustCompile(`^/aws/service/ami-amazon-linux-latest/al2023-ami-(minimal-)?kernel-(default|6\.1|6\.12)-(x86_64|arm64)$`)

// publicImage returns the image id a public parameter names in region, and its architecture.
func publicImage(region, parameter string) (id, arch string, ok bool) {
	m := publicImageParameter.FindStringSubmatch(parameter)
	if m == nil {
		return "", "", false
	}
	return "ami-" + hashHex(region+"\x00"+parameter, 17), m[3], true
}

// publicImageArchitecture returns the architecture of an image that a public parameter names in
// region, and whether id is such an image.
func publicImageArchitecture(region, id string) (string, bool) {
	for _, kernel := range []string{"default", "6.1", "6.12"} {
		for _, minimal := range []string{"", "minimal-"} {
			for _, arch := range []string{"x86_64", "arm64"} {
				p := amazonLinuxParameterPrefix + "al2023-ami-" + minimal + "kernel-" + kernel + "-" + arch
				if image, _, _ := publicImage(region, p); image == id {
					return arch, true
				}
			}
		}
	}
	return "", false
}
