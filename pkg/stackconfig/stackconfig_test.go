package stackconfig

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/pkg/mainsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/validate"
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

func TestParseDefaults(t *testing.T) {
	c, err := Parse(source(minimal(), nil))
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		Region:              "ap-northeast-1",
		Domain:              "example.com",
		AlternateNames:      []string{},
		SubnetIDs:           []string{},
		InstanceType:        "t3.micro",
		HealthCheck:         mainsite.TargetHealthCheck{Path: "/", Interval: 10, Timeout: 5, HealthyThreshold: 2, UnhealthyThreshold: 2},
		ErrorResponseCode:   503,
		PriceClass:          "PriceClass_100",
		HealthCheckInterval: 10,
		HealthCheckFailures: 2,
		HealthCheckRegions:  []string{},
	}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("Parse(minimal) = %+v, want %+v", c, want)
	}
}

func TestParseFull(t *testing.T) {
	c, err := Parse(source(with(map[string]string{
		Key(KeyAlternateNames):           `["www.example.com"]`,
		Key(KeyHostedZoneID):             "Z0123456789ABCDEFGHIJ",
		Key(KeyVpcID):                    "vpc-0123456789abcdef0",
		Key(KeySubnetIDs):                `["subnet-0123456789abcdef0","subnet-0123456789abcdef1"]`,
		Key(KeyInstanceType):             "t4g.small",
		Key(KeyAmiID):                    "ami-0123456789abcdef0",
		Key(KeyMainPageFile):             "site/index.html",
		Key(KeyHealthCheckPath):          "/health",
		Key(KeyTargetCheckInterval):      "5",
		Key(KeyTargetCheckTimeout):       "2",
		Key(KeyTargetHealthyThreshold):   "3",
		Key(KeyTargetUnhealthyThreshold): "4",
		Key(KeyHealthCheckInterval):      "30",
		Key(KeyHealthCheckFailures):      "1",
		Key(KeyHealthCheckRegions):       `["us-east-1","eu-west-1","ap-northeast-1"]`,
		Key(KeyAlarmEmail):               "ops@example.com",
		Key(KeyFailoverDrill):            "true",
		Key(KeyIPv6):                     "true",
	}), map[string]string{"site/index.html": "<h1>hi</h1>"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.MainPage != "<h1>hi</h1>" || c.SubnetIDs[1] != "subnet-0123456789abcdef1" || c.HealthCheck.UnhealthyThreshold != 4 {
		t.Fatalf("unexpected config %+v", c)
	}
	args := c.Args()
	if args.MainSite.VpcID == "" || len(args.MainSite.SubnetIDs) != 2 || args.HostedZoneID == nil || !args.MainSite.IPv6 {
		t.Fatalf("Args() lost the network or the zone: %+v", args)
	}
	h := args.FailoverDNS.HealthCheck
	if h.Interval != 30 || h.FailureThreshold != 1 || len(h.Regions) != 3 || !h.Inverted || args.FailoverDNS.AlarmEmail != pulumi.String("ops@example.com") {
		t.Fatalf("Args() lost the health check: %+v", args.FailoverDNS)
	}
}

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
		{"no domain", with(map[string]string{Key(KeyDomain): "<unset>"}), `route53-failover:domain: invalid value "": the apex name to serve, required`},
		{"malformed domain", with(map[string]string{Key(KeyDomain): "exa_mple.com"}), `route53-failover:domain: invalid value "exa_mple.com": a lowercase DNS name`},
		{"url as domain", with(map[string]string{Key(KeyDomain): "https://example.com"}), `route53-failover:domain: invalid value "https://example.com"`},
		{"alternate outside zone", with(map[string]string{Key(KeyAlternateNames): `["www.example.org"]`}), `route53-failover:alternateNames[0]: invalid value "www.example.org"`},
		{"alternates not a list", with(map[string]string{Key(KeyAlternateNames): "www.example.com"}), `route53-failover:alternateNames: invalid value "www.example.com": a list of strings`},
		{"zone id with prefix", with(map[string]string{Key(KeyHostedZoneID): "/hostedzone/Z0123"}), `route53-failover:hostedZoneId: invalid value "/hostedzone/Z0123"`},
		{"subnets without vpc", with(map[string]string{Key(KeySubnetIDs): `["subnet-12345678","subnet-87654321"]`}),
			`route53-failover:subnetIds: invalid value "2 subnets": route53-failover:vpcId and route53-failover:subnetIds together`},
		{"vpc without subnets", with(map[string]string{Key(KeyVpcID): "vpc-12345678"}), `route53-failover:subnetIds: invalid value "0 subnets"`},
		{"single subnet", with(map[string]string{Key(KeyVpcID): "vpc-12345678", Key(KeySubnetIDs): `["subnet-12345678"]`}),
			`route53-failover:subnetIds: invalid value "1 subnet": at least two subnets in different Availability Zones`},
		{"malformed subnet", with(map[string]string{Key(KeyVpcID): "vpc-12345678", Key(KeySubnetIDs): `["subnet-12345678","sn-2"]`}),
			`route53-failover:subnetIds[1]: invalid value "sn-2"`},
		{"malformed vpc", with(map[string]string{Key(KeyVpcID): "vpc_1", Key(KeySubnetIDs): `["subnet-12345678","subnet-87654321"]`}), `route53-failover:vpcId: invalid value "vpc_1"`},
		{"instance type", with(map[string]string{Key(KeyInstanceType): "large"}), `route53-failover:instanceType: invalid value "large": an EC2 instance type`},
		{"ami", with(map[string]string{Key(KeyAmiID): "al2023"}), `route53-failover:amiId: invalid value "al2023": an AMI id`},
		{"page file missing", with(map[string]string{Key(KeyMainPageFile): "nope.html"}), `route53-failover:mainPageFile: invalid value "nope.html": a readable HTML file`},
		{"page too big", with(map[string]string{Key(KeyMainPageFile): "big.html"}), `route53-failover:mainPageFile: invalid value "15000 bytes": a page of at most about 11 KiB`},
		{"health path", with(map[string]string{Key(KeyHealthCheckPath): "health"}), `route53-failover:healthCheckPath: invalid value "health": an absolute URL path`},
		{"interval not a number", with(map[string]string{Key(KeyTargetCheckInterval): "10s"}), `route53-failover:targetCheckInterval: invalid value "10s": a whole number`},
		{"interval too short", with(map[string]string{Key(KeyTargetCheckInterval): "4"}), `route53-failover:targetCheckInterval: invalid value "4": a whole number from 5 to 300`},
		{"interval too long", with(map[string]string{Key(KeyTargetCheckInterval): "301"}), `route53-failover:targetCheckInterval: invalid value "301": a whole number from 5 to 300`},
		{"timeout not below interval", with(map[string]string{Key(KeyTargetCheckInterval): "5", Key(KeyTargetCheckTimeout): "5"}),
			`route53-failover:targetCheckTimeout: invalid value "5": less than route53-failover:targetCheckInterval (5 s)`},
		{"unhealthy threshold 1", with(map[string]string{Key(KeyTargetUnhealthyThreshold): "1"}), `route53-failover:targetUnhealthyThreshold: invalid value "1": a whole number from 2 to 10`},
		{"error page missing", with(map[string]string{Key(KeyErrorPageFile): "oops.html"}), `route53-failover:errorPageFile: invalid value "oops.html": a readable HTML file`},
		{"error page empty", with(map[string]string{Key(KeyErrorPageFile): "empty.html"}), `route53-failover:errorPageFile: invalid value "empty.html": a non-empty HTML file`},
		{"redirect as error code", with(map[string]string{Key(KeyErrorResponseCode): "302"}), `route53-failover:errorResponseCode: invalid value "302": one of 200, 400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504`},
		{"price class", with(map[string]string{Key(KeyPriceClass): "PriceClass_50"}), `route53-failover:priceClass: invalid value "PriceClass_50": one of PriceClass_100, PriceClass_200, PriceClass_All`},
		{"target threshold 0", with(map[string]string{Key(KeyTargetUnhealthyThreshold): "0"}), `route53-failover:targetUnhealthyThreshold: invalid value "0": a whole number above 0`},
		{"health check threshold 0", with(map[string]string{Key(KeyHealthCheckFailures): "0"}), `route53-failover:healthCheckFailureThreshold: invalid value "0": a whole number above 0`},
		{"health check threshold 11", with(map[string]string{Key(KeyHealthCheckFailures): "11"}), `route53-failover:healthCheckFailureThreshold: invalid value "11": a whole number from 1 to 10`},
		{"health check interval 20", with(map[string]string{Key(KeyHealthCheckInterval): "20"}), `route53-failover:healthCheckInterval: invalid value "20": one of 10, 30`},
		{"two checker regions", with(map[string]string{Key(KeyHealthCheckRegions): `["us-east-1","eu-west-1"]`}), `route53-failover:healthCheckRegions: invalid value "us-east-1,eu-west-1": at least 3 checker regions`},
		{"zone given and created", with(map[string]string{Key(KeyHostedZoneID): "Z0123456789ABCDEFGHIJ", Key(KeyCreateHostedZone): "true"}),
			`route53-failover:createHostedZone: invalid value "true": false when route53-failover:hostedZoneId is given`},
		{"bool", with(map[string]string{Key(KeyIPv6): "yes"}), `route53-failover:ipv6: invalid value "yes": true or false`},
		{"alarm email", with(map[string]string{Key(KeyAlarmEmail): "Ops <ops@example.com>"}), `route53-failover:alarmEmail: invalid value "Ops <ops@example.com>": a plain email address`},
		{"healthy threshold 11", with(map[string]string{Key(KeyTargetHealthyThreshold): "11"}), `route53-failover:targetHealthyThreshold: invalid value "11": a whole number from 2 to 10`},
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
	}
	keys := []string{RegionKey, Key(KeyDomain)}
	for k := range Defaults {
		keys = append(keys, Key(k))
	}
	for _, key := range keys {
		t.Run(key, func(t *testing.T) {
			values := minimal()
			value, ok := valid[key]
			if !ok {
				value = Defaults[strings.TrimPrefix(key, Namespace+":")]
			}
			values[key] = value
			src := source(values, map[string]string{"page.html": "<h1>page</h1>"})
			src.Secret = func(k string) bool { return k == key }
			c, err := Parse(src)
			if key == Key(KeyAlarmEmail) {
				if err != nil {
					t.Fatal(err)
				}
				if _, secret := c.Args().FailoverDNS.AlarmEmail.(pulumi.StringOutput); !secret || !c.AlarmEmailSecret {
					t.Fatal("a secret alarmEmail reaches the components as a plain string")
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

// TestDefaultsMatchPulumiYAML keeps the Go defaults and the ones Pulumi.yaml declares equal, and
// every key Pulumi.yaml declares known to the parser.
func TestDefaultsMatchPulumiYAML(t *testing.T) {
	project, err := workspace.LoadProject("../../Pulumi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for key, decl := range project.Config {
		if key == KeyDomain {
			if decl.Default != nil {
				t.Errorf("domain is required and must have no default, has %v", decl.Default)
			}
			continue
		}
		want, ok := Defaults[key]
		if !ok {
			t.Errorf("Pulumi.yaml declares %s, which stackconfig does not read", key)
			continue
		}
		got, isString := decl.Default.(string)
		if !isString {
			b, _ := json.Marshal(decl.Default)
			got = string(b)
		}
		if got != want {
			t.Errorf("default of %s: Pulumi.yaml says %q, Go says %q", key, got, want)
		}
		if decl.Description == "" {
			t.Errorf("%s has no description in Pulumi.yaml", key)
		}
	}
	for key := range Defaults {
		if _, ok := project.Config[key]; !ok {
			t.Errorf("stackconfig reads %s, which Pulumi.yaml does not declare", key)
		}
	}
}

// FuzzParse feeds arbitrary values to the keys people get wrong most. Parse must never panic; it
// either refuses with an error that names a config key, or returns a config the components accept.
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
		c, err := Parse(source(values, nil))
		if err != nil {
			var v *validate.Error
			if !errors.As(err, &v) || !(strings.HasPrefix(v.Field, Namespace+":") || v.Field == RegionKey) {
				t.Fatalf("error %q does not name a config key", err)
			}
			return
		}
		if validate.DomainName("domain", c.Domain) != nil {
			t.Fatalf("accepted a malformed domain %q", c.Domain)
		}
		if c.VpcID != "" && len(c.SubnetIDs) < 2 || c.VpcID == "" && len(c.SubnetIDs) > 0 {
			t.Fatalf("accepted vpc %q with subnets %q", c.VpcID, c.SubnetIDs)
		}
		h := c.HealthCheck
		if h.Interval < 5 || h.Interval > 300 || h.Timeout >= h.Interval || h.Timeout < 2 {
			t.Fatalf("accepted health check %+v", h)
		}
		args := c.Args()
		if err := args.Validate(nil); err != nil {
			t.Fatalf("Parse accepted a config the components refuse: %v", err)
		}
	})
}
