package stack

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seed-2b23e6e5/route53-failover/pkg/mockcloud"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
	"github.com/seed-2b23e6e5/route53-failover/pkg/stackconfig"
)

const projectDir = "../.."

func devOptions(t *testing.T) plan.Options {
	t.Helper()
	opts, err := plan.LoadStack(projectDir, "dev", "")
	if err != nil {
		t.Fatal(err)
	}
	return opts
}

func devPlan(t *testing.T) *plan.Plan {
	t.Helper()
	p, err := plan.Run(devOptions(t), Program)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDevPlanIsDeterministic(t *testing.T) {
	var first []byte
	for i := 0; i < 3; i++ {
		b, err := devPlan(t).JSON()
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = b
		} else if !bytes.Equal(first, b) {
			t.Fatalf("run %d gave a different plan", i+1)
		}
	}
}

func TestDevPlan(t *testing.T) {
	p := devPlan(t)
	if p.Project != "route53-failover" || p.Stack != "dev" || p.Config["aws:region"] != "ap-northeast-1" {
		t.Fatalf("plan of %s/%s in %s", p.Project, p.Stack, p.Config["aws:region"])
	}
	// Pulumi.yaml's defaults apply to keys the stack file leaves out.
	if p.Config["route53-failover:instanceType"] != "t3.micro" || p.Config["route53-failover:targetCheckInterval"] != "10" {
		t.Errorf("project defaults missing from the config: %v", p.Config)
	}

	site := p.Find("route53-failover:index:FailoverSite", "site")
	if site == nil {
		t.Fatal("no FailoverSite component")
	}
	// Every resource descends from the topology component, and every cloud resource runs in the
	// stack's region but CloudFront's certificate, which must be in us-east-1.
	for _, r := range p.Resources {
		if r.URN == site.URN {
			continue
		}
		ancestor := p.ByURN(r.Parent)
		for ancestor != nil && ancestor.URN != site.URN {
			ancestor = p.ByURN(ancestor.Parent)
		}
		if ancestor == nil {
			t.Errorf("%s is not inside the FailoverSite component", r.URN)
		}
		want := "ap-northeast-1"
		if strings.HasPrefix(r.Name, "site-error-cert") {
			want = "us-east-1"
		}
		if r.Custom && r.Type != "pulumi:providers:aws" && p.Region(&r) != want {
			t.Errorf("%s is managed in %s, want %s", r.Name, p.Region(&r), want)
		}
	}

	zoneID := mockcloud.ZoneIDFor("example.com")
	if p.Outputs["hostedZoneId"] != zoneID {
		t.Errorf("hostedZoneId = %v, want the zone looked up by name (%s)", p.Outputs["hostedZoneId"], zoneID)
	}
	for _, r := range p.OfType("aws:route53/record:Record") {
		if r.Inputs["zoneId"] != zoneID {
			t.Errorf("record %s is written to zone %v, want %s", r.Name, r.Inputs["zoneId"], zoneID)
		}
	}
	cert := p.Find("aws:acm/certificate:Certificate", "site-main-cert")
	if cert == nil || cert.Inputs["domainName"] != "example.com" || plan.Get(cert.Inputs, "subjectAlternativeNames", 0) != "www.example.com" {
		t.Errorf("certificate does not cover example.com and www.example.com: %v", cert)
	}
	if p.Outputs["albZoneId"] != "Z14GRHDCWA56QT" {
		t.Errorf("albZoneId = %v, want ap-northeast-1's ALB zone Z14GRHDCWA56QT", p.Outputs["albZoneId"])
	}
	alb := p.OfType("aws:lb/loadBalancer:LoadBalancer")[0]
	if p.Outputs["mainSiteUrl"] != "https://"+alb.Outputs["dnsName"].(string) {
		t.Errorf("mainSiteUrl = %v", p.Outputs["mainSiteUrl"])
	}
	for _, key := range []string{"loadBalancerArn", "targetGroupArn", "instanceId", "albDnsName"} {
		if s, _ := p.Outputs[key].(string); s == "" {
			t.Errorf("stack output %s missing", key)
		}
	}
}

func TestInvalidConfigFailsWithItsMessage(t *testing.T) {
	tests := []struct {
		key, value, want string
	}{
		{"route53-failover:domain", "not a domain", `route53-failover:domain: invalid value "not a domain"`},
		{"route53-failover:targetCheckInterval", "1", `route53-failover:targetCheckInterval: invalid value "1": a whole number from 5 to 300`},
		{"route53-failover:subnetIds", `["subnet-12345678"]`, `route53-failover:subnetIds: invalid value "1 subnet": route53-failover:vpcId and route53-failover:subnetIds together`},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			opts := devOptions(t)
			opts.Config[tt.key] = tt.value
			_, err := plan.Run(opts, Program)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestExistingNetwork(t *testing.T) {
	const vpc = "vpc-0aaaaaaaaaaaaaaa1"
	subnets := map[string]mockcloud.ExistingSubnet{
		"subnet-0aaaaaaaaaaaaaaa1": {VpcID: vpc, AvailabilityZone: "ap-northeast-1a"},
		"subnet-0aaaaaaaaaaaaaaa2": {VpcID: vpc, AvailabilityZone: "ap-northeast-1c"},
		"subnet-0aaaaaaaaaaaaaaa3": {VpcID: vpc, AvailabilityZone: "ap-northeast-1a"},
		"subnet-0bbbbbbbbbbbbbbb1": {VpcID: "vpc-0bbbbbbbbbbbbbbb1", AvailabilityZone: "ap-northeast-1d"},
	}
	tests := []struct {
		name    string
		subnets string
		want    string
	}{
		{"two zones", `["subnet-0aaaaaaaaaaaaaaa1","subnet-0aaaaaaaaaaaaaaa2"]`, ""},
		{"one zone", `["subnet-0aaaaaaaaaaaaaaa1","subnet-0aaaaaaaaaaaaaaa3"]`,
			`route53-failover:subnetIds: invalid value "subnet-0aaaaaaaaaaaaaaa1,subnet-0aaaaaaaaaaaaaaa3": subnets in at least two different Availability Zones`},
		{"other VPC", `["subnet-0aaaaaaaaaaaaaaa1","subnet-0bbbbbbbbbbbbbbb1"]`,
			`route53-failover:subnetIds: invalid value "subnet-0bbbbbbbbbbbbbbb1": a subnet of VPC vpc-0aaaaaaaaaaaaaaa1`},
		{"missing", `["subnet-0aaaaaaaaaaaaaaa1","subnet-0ccccccccccccccc1"]`,
			`route53-failover:subnetIds: invalid value "subnet-0ccccccccccccccc1": an existing subnet`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := devOptions(t)
			opts.Config[stackconfig.Key(stackconfig.KeyVpcID)] = vpc
			opts.Config[stackconfig.Key(stackconfig.KeySubnetIDs)] = tt.subnets
			opts.Cloud = func(c *mockcloud.Cloud) {
				for id, s := range subnets {
					c.Subnets[id] = s
				}
			}
			p, err := plan.Run(opts, Program)
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("error = %v, want %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n := len(p.OfType("aws:ec2/vpc:Vpc")); n != 0 {
				t.Errorf("created %d VPCs in a stack that brings its own", n)
			}
			if got := p.OfType("aws:lb/targetGroup:TargetGroup")[0].Inputs["vpcId"]; got != vpc {
				t.Errorf("target group in %v, want %s", got, vpc)
			}
		})
	}
}

func TestLoadStack(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	tests := []struct {
		name, file, want string
	}{
		{"typo", "config:\n  aws:region: us-east-1\n  route53-failover:domian: example.com\n",
			"unknown config key route53-failover:domian; Pulumi.yaml declares: route53-failover:alarmEmail, route53-failover:alternateNames"},
		{"wrong type", "config:\n  aws:region: us-east-1\n  route53-failover:domain: example.com\n  route53-failover:alternateNames: www.example.com\n",
			`route53-failover:alternateNames: "www.example.com" is not of the declared type array<string>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := plan.LoadStack(projectDir, "x", write(tt.name+".yaml", tt.file))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
		})
	}

	// A secure value cannot be decrypted offline: the plan shows it masked, and the program
	// still runs.
	path := write("secret.yaml", "config:\n  aws:region: us-east-1\n  route53-failover:domain: example.com\n"+
		"  route53-failover:amiId:\n    secure: v1:abcdefghijklmnop:qrstuvwxyz\n")
	opts, err := plan.LoadStack(projectDir, "x", path)
	if err != nil {
		t.Fatal(err)
	}
	if opts.Config["route53-failover:amiId"] != plan.Secret || len(opts.SecretKeys) != 1 {
		t.Fatalf("secure value not masked: %v %v", opts.Config, opts.SecretKeys)
	}
	if _, err := plan.Run(opts, Program); err == nil || !strings.Contains(err.Error(), `route53-failover:amiId: invalid value "[secret]"`) {
		t.Fatalf("error = %v", err)
	}
}

// TestUSEast1 runs the stack in us-east-1 too, where CloudFront's certificate region and the
// stack's coincide.
func TestUSEast1(t *testing.T) {
	opts := devOptions(t)
	opts.Config["aws:region"] = "us-east-1"
	p, err := plan.Run(opts, Program)
	if err != nil {
		t.Fatal(err)
	}
	if p.Outputs["albZoneId"] != "Z35SXDOTRQ7X7K" {
		t.Errorf("albZoneId = %v", p.Outputs["albZoneId"])
	}
}

// TestDevFailover checks the failover of the dev stack: each served name has exactly one PRIMARY
// (the load balancer, evaluating target health, with the health check) and one SECONDARY
// (CloudFront) per record type, and the health check probes the load balancer over HTTPS.
func TestDevFailover(t *testing.T) {
	p := devPlan(t)
	alb := p.OfType("aws:lb/loadBalancer:LoadBalancer")[0]
	dist := p.OfType("aws:cloudfront/distribution:Distribution")[0]
	checks := p.OfType("aws:route53/healthCheck:HealthCheck")
	if len(checks) != 1 {
		t.Fatalf("%d health checks", len(checks))
	}
	check := checks[0]

	roles := map[string]int{}
	for _, r := range p.OfType("aws:route53/record:Record") {
		role, _ := plan.Get(r.Inputs, "failoverRoutingPolicies", 0, "type").(string)
		if role == "" {
			continue // validation records
		}
		name, typ := r.Inputs["name"].(string), r.Inputs["type"].(string)
		roles[name+" "+typ+" "+role]++
		alias := plan.Get(r.Inputs, "aliases", 0).(map[string]any)
		switch role {
		case "PRIMARY":
			if alias["name"] != "dualstack."+alb.Outputs["dnsName"].(string) || alias["zoneId"] != "Z14GRHDCWA56QT" ||
				alias["evaluateTargetHealth"] != true || r.Inputs["healthCheckId"] != check.ID {
				t.Errorf("PRIMARY %s %s: %v, health check %v", name, typ, alias, r.Inputs["healthCheckId"])
			}
		case "SECONDARY":
			if alias["name"] != dist.Outputs["domainName"] || alias["zoneId"] != "Z2FDTNDATAQYW2" || alias["evaluateTargetHealth"] != false {
				t.Errorf("SECONDARY %s %s: %v", name, typ, alias)
			}
		}
	}
	want := map[string]int{
		"example.com A PRIMARY": 1, "example.com A SECONDARY": 1,
		"www.example.com A PRIMARY": 1, "www.example.com A SECONDARY": 1,
	}
	if len(roles) != len(want) {
		t.Errorf("failover records %v, want %v (no AAAA: the dev load balancer is IPv4 only)", roles, want)
	}
	for k, n := range want {
		if roles[k] != n {
			t.Errorf("%s: %d records, want %d", k, roles[k], n)
		}
	}

	in := check.Inputs
	if in["fqdn"] != alb.Outputs["dnsName"] || in["type"] != "HTTPS" || in["port"] != 443.0 || in["enableSni"] != true {
		t.Errorf("health check probes %v %v:%v, want the load balancer over HTTPS on 443", in["type"], in["fqdn"], in["port"])
	}
	if in["fqdn"] == "example.com" || in["fqdn"] == "www.example.com" {
		t.Error("the health check probes a failover record")
	}

	est := p.Outputs["failoverEstimate"].(map[string]any)
	if est["detectionMin"] != 10.0 || est["detectionMax"] != 20.0 || est["typical"] != 50.0 || est["worst"] != 145.0 {
		t.Errorf("failoverEstimate = %v", est)
	}
	if p.Outputs["siteUrl"] != "https://example.com" || p.Outputs["healthCheckId"] != check.ID {
		t.Errorf("siteUrl %v, healthCheckId %v", p.Outputs["siteUrl"], p.Outputs["healthCheckId"])
	}
	if ns, _ := p.Outputs["nameServers"].([]any); len(ns) != 0 {
		t.Errorf("nameServers %v for a zone that was not created", ns)
	}
}

// BenchmarkDevPlan measures the offline plan of the dev stack (what `go run ./cmd/plan` and the
// snapshot test spend, less compiling): go test -run '^$' -bench DevPlan -benchmem ./pkg/stack
func BenchmarkDevPlan(b *testing.B) {
	opts, err := plan.LoadStack(projectDir, "dev", "")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		p, err := plan.Run(opts, Program)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := p.JSON(); err != nil {
			b.Fatal(err)
		}
	}
}
