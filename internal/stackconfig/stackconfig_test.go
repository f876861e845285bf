package stackconfig

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/errorsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/failoverdns"
	"github.com/seed-2b23e6e5/route53-failover/pkg/mainsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/topology"
)

// source serves a config map; files holds the files the config may name.
func source(values map[string]string, files map[string]string) Source {
	return Source{
		Get: func(k string) (string, bool) { v, ok := values[k]; return v, ok },
		ReadFile: func(path string) ([]byte, error) {
			if f, ok := files[path]; ok {
				return []byte(f), nil
			}
			return nil, os.ErrNotExist
		},
	}
}

func minimal() map[string]string {
	return map[string]string{RegionKey: "ap-northeast-1", Key(KeyDomain): "example.com"}
}

func with(extra map[string]string) map[string]string {
	m := minimal()
	for k, v := range extra {
		if v == "<unset>" {
			delete(m, k)
			continue
		}
		m[k] = v
	}
	return m
}

// TestUnsetKeysLeaveFieldsUnset: a key the stack does not set leaves its field unset, so that
// the component's own default applies (Pulumi.yaml declares the same defaults: see
// TestDefaultsMatchPulumiYAML).
func TestUnsetKeysLeaveFieldsUnset(t *testing.T) {
	args, err := Parse(source(minimal(), nil))
	if err != nil {
		t.Fatal(err)
	}
	if want := (&topology.Args{Domain: "example.com"}); !reflect.DeepEqual(args, want) {
		t.Fatalf("Parse(minimal) = %+v, want %+v", args, want)
	}
}

// TestEveryKeySetsItsField: each key lands in the Args field of its own name, zero included.
func TestEveryKeySetsItsField(t *testing.T) {
	args, err := Parse(source(with(map[string]string{
		Key(KeyAlternateNames):           `["www.example.com"]`,
		Key(KeyHostedZoneID):             "Z0123456789ABCDEFGHIJ",
		Key(KeyVpcID):                    "vpc-0123456789abcdef0",
		Key(KeySubnetIDs):                `["subnet-0123456789abcdef0","subnet-0123456789abcdef1"]`,
		Key(KeyInstanceType):             "t4g.small",
		Key(KeyAmiID):                    "ami-0123456789abcdef0",
		Key(KeyMainPageFile):             "site/index.html",
		Key(KeyErrorPageFile):            "site/error.html",
		Key(KeyHealthCheckPath):          "/health",
		Key(KeyTargetCheckInterval):      "5",
		Key(KeyTargetCheckTimeout):       "0",
		Key(KeyTargetHealthyThreshold):   "3",
		Key(KeyTargetUnhealthyThreshold): "4",
		Key(KeyErrorResponseCode):        "404",
		Key(KeyPriceClass):               "PriceClass_All",
		Key(KeyHealthCheckInterval):      "30",
		Key(KeyHealthCheckFailures):      "1",
		Key(KeyHealthCheckRegions):       `["us-east-1","eu-west-1","ap-northeast-1"]`,
		Key(KeyAlarmEmail):               "ops@example.com",
		Key(KeyFailoverDrill):            "true",
		Key(KeyIPv6):                     "true",
		Key(KeyCreateHostedZone):         "true",
		Key(KeyInstanceCount):            "2",
		Key(KeyMaxInstanceCount):         "5",
		Key(KeyScaleOnCPUPercent):        "60",
	}), map[string]string{"site/index.html": "<h1>hi</h1>", "site/error.html": "<h1>down</h1>"}))
	if err != nil {
		t.Fatal(err)
	}
	want := &topology.Args{
		Domain: "example.com", AlternateNames: []string{"www.example.com"},
		HostedZoneID: pulumi.String("Z0123456789ABCDEFGHIJ"), CreateHostedZone: true,
		MainSite: mainsite.Args{
			VpcID: "vpc-0123456789abcdef0", SubnetIDs: []string{"subnet-0123456789abcdef0", "subnet-0123456789abcdef1"},
			IPv6: true, InstanceType: "t4g.small", AmiID: "ami-0123456789abcdef0", MainPage: "<h1>hi</h1>",
			HealthCheckPath: "/health", TargetCheckInterval: pulumi.IntRef(5), TargetCheckTimeout: pulumi.IntRef(0),
			TargetHealthyThreshold: pulumi.IntRef(3), TargetUnhealthyThreshold: pulumi.IntRef(4),
			InstanceCount: pulumi.IntRef(2), MaxInstanceCount: pulumi.IntRef(5), ScaleOnCPUPercent: pulumi.IntRef(60),
		},
		ErrorSite: errorsite.Args{ErrorPage: "<h1>down</h1>", ErrorResponseCode: pulumi.IntRef(404), PriceClass: "PriceClass_All"},
		FailoverDNS: failoverdns.Args{
			HealthCheckInterval: pulumi.IntRef(30), HealthCheckFailureThreshold: pulumi.IntRef(1),
			HealthCheckRegions: []string{"us-east-1", "eu-west-1", "ap-northeast-1"}, FailoverDrill: true,
			AlarmEmail: pulumi.String("ops@example.com"),
		},
	}
	if !reflect.DeepEqual(args, want) {
		t.Fatalf("Parse = %+v\nwant %+v", args, want)
	}
}

// TestParseErrors: what only the stack knows is checked by Parse (the components check the
// values, see the stack program's tests): the region, each value's type, the files it names.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name   string
		values map[string]string
		want   string
	}{
		{"no region", with(map[string]string{RegionKey: "<unset>"}), `aws:region: invalid value "": an AWS region, required`},
		{"bad region", with(map[string]string{RegionKey: "tokyo"}), `aws:region: invalid value "tokyo"`},
		{"unknown region", with(map[string]string{RegionKey: "ap-northeast-9"}), `aws:region: invalid value "ap-northeast-9": an existing AWS region, one of af-south-1,`},
		{"China region", with(map[string]string{RegionKey: "cn-north-1"}), `aws:region: invalid value "cn-north-1": a region of the standard AWS partition`},
		{"alternates not a list", with(map[string]string{Key(KeyAlternateNames): "www.example.com"}), `route53-failover:alternateNames: invalid value "www.example.com": a list of strings`},
		{"page file missing", with(map[string]string{Key(KeyMainPageFile): "nope.html"}), `route53-failover:mainPageFile: invalid value "nope.html": a readable HTML file`},
		{"interval not a number", with(map[string]string{Key(KeyTargetCheckInterval): "10s"}), `route53-failover:targetCheckInterval: invalid value "10s": a whole number`},
		{"error page missing", with(map[string]string{Key(KeyErrorPageFile): "oops.html"}), `route53-failover:errorPageFile: invalid value "oops.html": a readable HTML file`},
		{"error page empty", with(map[string]string{Key(KeyErrorPageFile): "empty.html"}), `route53-failover:errorPageFile: invalid value "empty.html": a non-empty HTML file`},
		{"bool", with(map[string]string{Key(KeyIPv6): "yes"}), `route53-failover:ipv6: invalid value "yes": true or false`},
	}
	files := map[string]string{"big.html": strings.Repeat("x", 15000), "empty.html": ""}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(source(tt.values, files))
			if err == nil {
				t.Fatalf("accepted; want error %q", tt.want)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("error = %q\nwant prefix %q", err, tt.want)
			}
			var v *validate.Error
			if !errors.As(err, &v) {
				t.Fatalf("error %T is not a *validate.Error", err)
			}
		})
	}
}

// TestSecretValues: a key set as a secret either stays secret (alarmEmail: a secret Output) or
// is refused, with the key, the reason and the fix, and without the value.
func TestSecretValues(t *testing.T) {
	valid := map[string]string{
		RegionKey: "ap-northeast-1", Key(KeyDomain): "example.com", Key(KeyAlternateNames): `["www.example.com"]`,
		Key(KeyHostedZoneID): "Z0123456789ABCDEFGHIJ", Key(KeyVpcID): "vpc-0123456789abcdef0",
		Key(KeySubnetIDs): `["subnet-0123456789abcdef0","subnet-0123456789abcdef1"]`, Key(KeyMainPageFile): "page.html",
		Key(KeyErrorPageFile): "page.html", Key(KeyAlarmEmail): "oncall-7f3a@example.com",
		Key(KeyOriginSecret): "6f1d0c29a8e54b7f9a3c2e1d0b8f7a6c", Key(KeyPreviousOriginSecret): "0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b",
	}
	project, err := workspace.LoadProject("../../Pulumi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	keys := []string{RegionKey}
	for _, k := range Keys() {
		keys = append(keys, Key(k))
	}
	for _, key := range keys {
		t.Run(key, func(t *testing.T) {
			values := minimal()
			value, ok := valid[key]
			if !ok {
				value = yamlValue(project.Config[strings.TrimPrefix(key, Namespace+":")].Default)
			}
			values[key] = value
			src := source(values, map[string]string{"page.html": "<h1>page</h1>"})
			src.Secret = func(k string) bool { return k == key }
			args, err := Parse(src)
			if key == Key(KeyAlarmEmail) || key == Key(KeyOriginSecret) || key == Key(KeyPreviousOriginSecret) {
				if err != nil {
					t.Fatal(err)
				}
				input := map[string]pulumi.StringInput{Key(KeyAlarmEmail): args.FailoverDNS.AlarmEmail, Key(KeyOriginSecret): args.OriginSecret,
					Key(KeyPreviousOriginSecret): args.PreviousOriginSecret}[key]
				if _, secret := input.(pulumi.StringOutput); !secret {
					t.Fatalf("a secret %s reaches the components as a plain string", key)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), key+`: invalid value "[secret]": a plain value, not a secret: `) ||
				!strings.Contains(err.Error(), "without --secret") {
				t.Fatalf("error = %v", err)
			}
			if len(value) > 3 && strings.Contains(err.Error(), value) {
				t.Errorf("the error shows the secret: %v", err)
			}
		})
	}
}

// yamlValue is a Pulumi.yaml default as the stack's config holds it: a string as is, anything
// else as JSON.
func yamlValue(v any) string {
	if text, ok := v.(string); ok {
		return text
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// componentDefault is the default the components give the field a key sets: the field of the
// key's name in the parts' Args after WithDefaults (or in topology.Args), as the stack's config
// would hold it; "" or "[]" for an unset field.
func componentDefault(t *testing.T, key string) string {
	t.Helper()
	parts := []any{topology.Args{}.WithDefaults(), mainsite.Args{}.WithDefaults(), errorsite.Args{}.WithDefaults(), failoverdns.Args{}.WithDefaults()}
	name := key
	if field, ok := fileKeys[key]; ok {
		// A file key's default is the built-in page, which no file holds.
		_ = field
		return ""
	}
	for _, part := range parts {
		v := reflect.ValueOf(part)
		for i := range v.NumField() {
			if !strings.EqualFold(v.Type().Field(i).Name, name) {
				continue
			}
			f := v.Field(i)
			switch {
			case f.Kind() == reflect.Pointer && f.IsNil(), f.Kind() == reflect.Interface && f.IsNil():
				return ""
			case f.Kind() == reflect.Pointer:
				return fmt.Sprint(f.Elem().Interface())
			case f.Kind() == reflect.Slice:
				b, _ := json.Marshal(append([]string{}, f.Interface().([]string)...))
				return string(b)
			}
			return fmt.Sprint(f.Interface())
		}
	}
	t.Fatalf("no Args field is named after the key %s", key)
	return ""
}

// TestFieldKey: a field names the key of its name, in the project's namespace, keeping an index;
// a field no key sets keeps its path.
func TestFieldKey(t *testing.T) {
	for field, want := range map[string]string{
		"Domain":                "shop:domain",
		"MainSite.SubnetIDs[1]": "shop:subnetIds[1]",
		"MainSite.IPv6":         "shop:ipv6",
		"HostedZoneID":          "shop:hostedZoneId",
		"MainSite.MainPage":     "shop:mainPageFile",
		"FailoverDNS.HealthCheckFailureThreshold": "shop:healthCheckFailureThreshold",
		"FailoverDNS.FailoverDrill":               "shop:failoverDrill",
		"ErrorSite.ErrorCachingMinTTL":            "ErrorSite.ErrorCachingMinTTL",
	} {
		if got := FieldKey("shop", field); got != want {
			t.Errorf("FieldKey(%q) = %q, want %q", field, got, want)
		}
	}
}

// TestProjectNamespace: a project made from the template has its own name, and its keys are
// read, and named in errors, in that namespace.
func TestProjectNamespace(t *testing.T) {
	values := map[string]string{RegionKey: "eu-west-1", "shop:domain": "shop.example", "shop:ipv6": "maybe"}
	_, err := Parse(Source{Namespace: "shop", Get: func(k string) (string, bool) { v, ok := values[k]; return v, ok }})
	if err == nil || !strings.HasPrefix(err.Error(), `shop:ipv6: invalid value "maybe"`) {
		t.Fatalf("error = %v", err)
	}
	delete(values, "shop:ipv6")
	args, err := Parse(Source{Namespace: "shop", Get: func(k string) (string, bool) { v, ok := values[k]; return v, ok }})
	if err != nil || args.Domain != "shop.example" {
		t.Fatalf("Parse = %+v, %v", args, err)
	}
}

// derivedDefaults are the keys whose default is another key's value, which Pulumi.yaml cannot
// declare: it declares them as strings, empty, which reads as unset.
var derivedDefaults = map[string]string{KeyMaxInstanceCount: KeyInstanceCount}

// TestDefaultsMatchPulumiYAML: every key Pulumi.yaml declares is read, sets the Args field of its
// own name, and declares the default that field has in the component; every key read is
// declared.
func TestDefaultsMatchPulumiYAML(t *testing.T) {
	project, err := workspace.LoadProject("../../Pulumi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for key, decl := range project.Config {
		if strings.Contains(key, ":") {
			continue // another namespace's value, such as the pulumi:tags pulumi new adds
		}
		if decl.Description == "" {
			t.Errorf("%s has no description in Pulumi.yaml", key)
		}
		if key == KeyDomain {
			if decl.Default != nil {
				t.Errorf("domain is required and must have no default, has %v", decl.Default)
			}
			continue
		}
		if !slices.Contains(Keys(), key) {
			t.Errorf("Pulumi.yaml declares %s, which stackconfig does not read", key)
			continue
		}
		if derived, ok := derivedDefaults[key]; ok {
			if decl.Default != "" {
				t.Errorf("%s defaults to %s, so Pulumi.yaml must declare it empty (unset), not %v", key, derived, decl.Default)
			}
			continue
		}
		if got, want := yamlValue(decl.Default), componentDefault(t, key); got != want {
			t.Errorf("default of %s: Pulumi.yaml says %q, the component %q", key, got, want)
		}
	}
	for _, key := range Keys() {
		if _, ok := project.Config[key]; !ok {
			t.Errorf("stackconfig reads %s, which Pulumi.yaml does not declare", key)
		}
	}
}

// FuzzParse feeds arbitrary values to the keys people get wrong most. Parse must never panic, and
// every error, its own or the components' (through FieldKey, as the stack program reports it),
// names a config key.
func FuzzParse(f *testing.F) {
	f.Add("example.com", `["www.example.com"]`, "", `[]`, "t3.micro", "10", "5", "/")
	f.Add("example.com", `[]`, "vpc-12345678", `["subnet-12345678","subnet-87654321"]`, "m7g.large", "5", "2", "/health")
	f.Add("Example.COM", `["www.example.org"]`, "vpc-1", `["subnet-1"]`, "large", "301", "300", "health")
	f.Add("a.b", `[""]`, "", `["subnet-12345678"]`, "t3.", "-1", "0", "/a b")
	f.Add("xn--bcher-kva.example", `["a.xn--bcher-kva.example","a.xn--bcher-kva.example"]`, "", `null`, "u-6tb1.metal", "300", "120", "/?")
	f.Fuzz(func(t *testing.T, domain, alternates, vpc, subnets, instanceType, interval, timeout, path string) {
		values := map[string]string{
			RegionKey:                   "ap-northeast-1",
			Key(KeyDomain):              domain,
			Key(KeyAlternateNames):      alternates,
			Key(KeyVpcID):               vpc,
			Key(KeySubnetIDs):           subnets,
			Key(KeyInstanceType):        instanceType,
			Key(KeyTargetCheckInterval): interval,
			Key(KeyTargetCheckTimeout):  timeout,
			Key(KeyHealthCheckPath):     path,
		}
		args, err := Parse(source(values, nil))
		if err == nil {
			err = validate.Rename(args.Validate(), func(field string) string { return FieldKey(Namespace, field) })
		}
		if err != nil {
			var v *validate.Error
			if !errors.As(err, &v) || !(strings.HasPrefix(v.Field, Namespace+":") || v.Field == RegionKey) {
				t.Fatalf("error %q does not name a config key", err)
			}
		}
	})
}

// TestREADMEConfigTable: the README's Configuration table names, for every key, the
// topology.Args field it sets, and that field exists and maps back to the key.
func TestREADMEConfigTable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([a-zA-Z0-9]+)` \\| ([^|]*) \\|")
	seen := map[string]bool{}
	for _, m := range row.FindAllStringSubmatch(string(readme), -1) {
		key := m[1]
		if !slices.Contains(Keys(), key) {
			continue
		}
		seen[key] = true
		fields := regexp.MustCompile("`([A-Za-z0-9.]+)`").FindAllStringSubmatch(m[2], -1)
		if len(fields) == 0 {
			t.Errorf("the row of %s names no Args field", key)
		}
		for _, f := range fields {
			if !hasField(reflect.TypeFor[topology.Args](), f[1]) {
				t.Errorf("the row of %s names %s, which topology.Args does not have", key, f[1])
			}
			if got := FieldKey(Namespace, f[1]); got != Key(key) {
				t.Errorf("the row of %s names %s, which is the field of %s", key, f[1], got)
			}
		}
	}
	for _, key := range Keys() {
		if !seen[key] {
			t.Errorf("the README's Configuration table has no row for %s", key)
		}
	}
}

// hasField reports whether a struct type has the field at a dotted path.
func hasField(typ reflect.Type, path string) bool {
	for _, name := range strings.Split(path, ".") {
		f, ok := typ.FieldByName(name)
		if !ok {
			return false
		}
		typ = f.Type
	}
	return true
}

// TestCheckKeys: a key of the project's namespace that Pulumi.yaml does not declare is refused,
// with the declared key it is nearest to; other namespaces and declared keys pass.
func TestCheckKeys(t *testing.T) {
	for _, tt := range []struct {
		keys []string
		want string
	}{
		{[]string{"aws:region", "shop:domain", "shop:originSecret"}, ""},
		{[]string{"shop:domian"}, "unknown config key shop:domian; did you mean shop:domain?"},
		{[]string{"shop:instanceCont"}, "did you mean shop:instanceCount?"},
		{[]string{"shop:whatever"}, "unknown config key shop:whatever Pulumi.yaml declares: shop:domain"},
		{[]string{"other:domian"}, ""},
	} {
		err := CheckKeys("shop", tt.keys)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%v: %v, want %q", tt.keys, err, tt.want)
		}
	}
}
