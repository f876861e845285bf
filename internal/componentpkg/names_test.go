package componentpkg

import (
	"reflect"
	"strings"
	"testing"

	"github.com/seed-2b23e6e5/route53-failover/internal/stackconfig"
	"github.com/seed-2b23e6e5/route53-failover/pkg/topology"
)

func TestPropertyName(t *testing.T) {
	for field, want := range map[string]string{
		"Domain":                      "domain",
		"HostedZoneID":                "hostedZoneId",
		"SubnetIDs":                   "subnetIds",
		"IPv6":                        "ipv6",
		"FailoverDNS":                 "failoverDns",
		"CertificateARN":              "certificateArn",
		"ScaleOnCPUPercent":           "scaleOnCpuPercent",
		"ErrorCachingMinTTL":          "errorCachingMinTtl",
		"AmiID":                       "amiId",
		"HealthCheckFailureThreshold": "healthCheckFailureThreshold",
		"SiteURL":                     "siteUrl",
	} {
		if got := PropertyName(field); got != want {
			t.Errorf("PropertyName(%q) = %q, want %q", field, got, want)
		}
	}
}

// TestConfigKeysAreSchemaNames holds the stack's config keys and the package's inputs to one
// naming: a key that sets a topology.Args field is that field's schema name.
func TestConfigKeysAreSchemaNames(t *testing.T) {
	fields := map[string]string{} // lower-case Go name → Go name, over topology.Args and its parts
	var walk func(reflect.Type)
	walk = func(typ reflect.Type) {
		for f := range typ.Fields() {
			fields[strings.ToLower(f.Name)] = f.Name
			if f.Type.Kind() == reflect.Struct && f.Type.PkgPath() != "" && strings.HasSuffix(f.Type.Name(), "Args") {
				walk(f.Type)
			}
		}
	}
	walk(reflect.TypeFor[topology.Args]())
	matched := 0
	for _, key := range stackconfig.Keys() {
		field, ok := fields[strings.ToLower(key)]
		if !ok {
			continue // a file key (mainPageFile) names a path, not a field
		}
		matched++
		if got := PropertyName(field); got != key {
			t.Errorf("config key %q sets field %s, whose schema name is %q", key, field, got)
		}
	}
	if matched < 25 {
		t.Fatalf("only %d config keys matched a field; the walk lost the parts' Args", matched)
	}
}
