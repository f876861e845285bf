package stack

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
	"github.com/seed-2b23e6e5/route53-failover/internal/stackconfig"
	"github.com/seed-2b23e6e5/route53-failover/pkg/estimate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

const projectDir = "../.."

// testOptions is a stack of the tests' own, with the project's defaults and a strict account
// that holds the zone of example.com: the tests do not depend on the dev stack's values.
func testOptions(t *testing.T, config map[string]string) plan.Options {
	t.Helper()
	opts := plan.Options{Project: Project, Stack: "test", RootDirectory: projectDir, Strict: true, Config: map[string]string{
		"aws:region":                      "ap-northeast-1",
		stackconfig.Key("domain"):         "example.com",
		stackconfig.Key("alternateNames"): `["www.example.com"]`,
	}, Existing: mockcloud.Existing{Zones: []mockcloud.Zone{mockcloud.PublicZone("example.com")}}}
	for k, v := range config {
		opts.Config[k] = v
	}
	return opts
}

func run(t *testing.T, config map[string]string) *plan.Plan {
	t.Helper()
	p, err := plan.Run(testOptions(t, config), Program)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPlanIsDeterministic(t *testing.T) {
	var first []byte
	for i := 0; i < 3; i++ {
		b, err := run(t, nil).JSON()
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

// TestEveryStack holds for every stack file of the project, whatever its values: the plan runs,
// every resource descends from the topology, and every cloud resource lives in the stack's region
// but CloudFront's certificate, the alarms and the Lambda@Edge function, in us-east-1.
func TestEveryStack(t *testing.T) {
	stacks, err := plan.Stacks(projectDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stacks {
		opts, err := PlanOptions(projectDir, s, "")
		if err != nil {
			t.Fatal(err)
		}
		p, err := plan.Run(opts, Program)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		checkTree(t, p)
	}
}

func checkTree(t *testing.T, p *plan.Plan) {
	t.Helper()
	site := p.Find("route53-failover:index:FailoverSite", "site")
	if site == nil {
		t.Fatal("no FailoverSite component")
	}
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
		want := p.Config["aws:region"]
		if strings.HasPrefix(r.Name, "site-error-cert") || strings.HasPrefix(r.Name, "site-dns-alarm") ||
			strings.HasPrefix(r.Name, "site-edge-alarm") || strings.HasPrefix(r.Name, "site-edge-failover") {
			want = "us-east-1"
		}
		if r.Custom && r.Type != awstype.Provider && p.Region(&r) != want {
			t.Errorf("%s is managed in %s, want %s", r.Name, p.Region(&r), want)
		}
	}
}

func TestStackOutputs(t *testing.T) {
	p := run(t, nil)
	checkTree(t, p)
	zoneID := mockcloud.ZoneIDFor("example.com")
	if p.Outputs["hostedZoneId"] != zoneID {
		t.Errorf("hostedZoneId = %v, want the zone looked up by name (%s)", p.Outputs["hostedZoneId"], zoneID)
	}
	for _, r := range p.OfType(awstype.Record) {
		if !r.Read && r.Inputs["zoneId"] != zoneID {
			t.Errorf("record %s is written to zone %v, want %s", r.Name, r.Inputs["zoneId"], zoneID)
		}
	}
	cert := p.Find(awstype.Certificate, "site-main-cert")
	if cert == nil || cert.Inputs["domainName"] != "example.com" || plan.Get(cert.Inputs, "subjectAlternativeNames", 0) != "www.example.com" {
		t.Errorf("certificate does not cover example.com and www.example.com: %v", cert)
	}
	if p.Outputs["albZoneId"] != "Z14GRHDCWA56QT" {
		t.Errorf("albZoneId = %v, want ap-northeast-1's ALB zone Z14GRHDCWA56QT", p.Outputs["albZoneId"])
	}
	alb := p.OfType(awstype.LoadBalancer)[0]
	if p.Outputs["mainSiteUrl"] != "https://"+alb.Outputs["dnsName"].(string) {
		t.Errorf("mainSiteUrl = %v", p.Outputs["mainSiteUrl"])
	}
	for _, key := range []string{"loadBalancerArn", "targetGroupArn", "autoScalingGroupName", "albDnsName"} {
		if s, _ := p.Outputs[key].(string); s == "" {
			t.Errorf("stack output %s missing", key)
		}
	}
	if len(p.Assumptions) != 0 {
		t.Errorf("a strict account assumed %v", p.Assumptions)
	}
}

func TestInvalidConfigFailsWithItsMessage(t *testing.T) {
	existing := mockcloud.Existing{
		VPCs:    []mockcloud.VPC{{ID: "vpc-0aaaaaaaaaaaaaaa1", CIDR: "10.1.0.0/16"}},
		Subnets: []mockcloud.Subnet{{ID: "subnet-0aaaaaaaaaaaaaaa1", VpcID: "vpc-0aaaaaaaaaaaaaaa1", AvailabilityZone: "ap-northeast-1a"}},
		RouteTables: []mockcloud.RouteTable{{ID: "rtb-0aaaaaaaaaaaaaaa1", VpcID: "vpc-0aaaaaaaaaaaaaaa1", Main: true,
			Routes: []mockcloud.Route{{Destination: "0.0.0.0/0", Target: "igw-0aaaaaaaaaaaaaaa1"}}}},
	}
	tests := []struct {
		config map[string]string
		want   string
	}{
		{map[string]string{"route53-failover:domain": "not a domain"}, `route53-failover:domain: invalid value "not a domain"`},
		{map[string]string{"route53-failover:targetCheckInterval": "1"}, `route53-failover:targetCheckInterval: invalid value "1": a whole number from 5 to 300`},
		{map[string]string{"route53-failover:subnetIds": `["subnet-12345678"]`}, `route53-failover:subnetIds: invalid value "1 subnet": route53-failover:vpcId and route53-failover:subnetIds together`},
		// Every value the components check, under its key: zero is a value like any other.
		{map[string]string{stackconfig.Key(stackconfig.KeyDomain): "<unset>"}, `route53-failover:domain: invalid value "": the apex name to serve, such as example.com: required`},
		{map[string]string{stackconfig.Key(stackconfig.KeyDomain): "exa_mple.com"}, `route53-failover:domain: invalid value "exa_mple.com": a lowercase DNS name`},
		{map[string]string{stackconfig.Key(stackconfig.KeyDomain): "https://example.com"}, `route53-failover:domain: invalid value "https://example.com"`},
		{map[string]string{stackconfig.Key(stackconfig.KeyAlternateNames): `["www.example.org"]`}, `route53-failover:alternateNames[0]: invalid value "www.example.org"`},
		{map[string]string{stackconfig.Key(stackconfig.KeyHostedZoneID): "/hostedzone/Z0123"}, `route53-failover:hostedZoneId: invalid value "/hostedzone/Z0123"`},
		{map[string]string{stackconfig.Key(stackconfig.KeySubnetIDs): `["subnet-12345678","subnet-87654321"]`}, `route53-failover:subnetIds: invalid value "2 subnets": route53-failover:vpcId and route53-failover:subnetIds together`},
		{map[string]string{stackconfig.Key(stackconfig.KeyVpcID): "vpc-12345678"}, `route53-failover:subnetIds: invalid value "0 subnets"`},
		{map[string]string{stackconfig.Key(stackconfig.KeyVpcID): "vpc-12345678", stackconfig.Key(stackconfig.KeySubnetIDs): `["subnet-12345678"]`}, `route53-failover:subnetIds: invalid value "1 subnet": at least two subnets in different Availability Zones`},
		{map[string]string{stackconfig.Key(stackconfig.KeyVpcID): "vpc-12345678", stackconfig.Key(stackconfig.KeySubnetIDs): `["subnet-12345678","sn-2"]`}, `route53-failover:subnetIds[1]: invalid value "sn-2"`},
		{map[string]string{stackconfig.Key(stackconfig.KeyVpcID): "vpc_1", stackconfig.Key(stackconfig.KeySubnetIDs): `["subnet-12345678","subnet-87654321"]`}, `route53-failover:vpcId: invalid value "vpc_1"`},
		{map[string]string{stackconfig.Key(stackconfig.KeyInstanceType): "large"}, `route53-failover:instanceType: invalid value "large": an EC2 instance type`},
		{map[string]string{stackconfig.Key(stackconfig.KeyAmiID): "al2023"}, `route53-failover:amiId: invalid value "al2023": an AMI id`},
		{map[string]string{stackconfig.Key(stackconfig.KeyMainPageFile): "big.html"}, `route53-failover:mainPageFile: invalid value "15000 bytes": a page of at most about 11 KiB`},
		{map[string]string{stackconfig.Key(stackconfig.KeyHealthCheckPath): "health"}, `route53-failover:healthCheckPath: invalid value "health": an absolute URL path`},
		{map[string]string{stackconfig.Key(stackconfig.KeyTargetCheckInterval): "4"}, `route53-failover:targetCheckInterval: invalid value "4": a whole number from 5 to 300`},
		{map[string]string{stackconfig.Key(stackconfig.KeyTargetCheckInterval): "301"}, `route53-failover:targetCheckInterval: invalid value "301": a whole number from 5 to 300`},
		{map[string]string{stackconfig.Key(stackconfig.KeyTargetCheckInterval): "5", stackconfig.Key(stackconfig.KeyTargetCheckTimeout): "5"}, `route53-failover:targetCheckTimeout: invalid value "5": less than route53-failover:targetCheckInterval (5 s)`},
		{map[string]string{stackconfig.Key(stackconfig.KeyTargetUnhealthyThreshold): "1"}, `route53-failover:targetUnhealthyThreshold: invalid value "1": a whole number from 2 to 10`},
		{map[string]string{stackconfig.Key(stackconfig.KeyErrorResponseCode): "302"}, `route53-failover:errorResponseCode: invalid value "302": one of 200, 400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504`},
		// In edge mode the health check reads the site through the distribution: a 2xx or 3xx
		// page would keep it green while the main site is down.
		{map[string]string{stackconfig.Key(stackconfig.KeyFailoverMode): "edge", stackconfig.Key(stackconfig.KeyErrorResponseCode): "200"},
			`route53-failover:errorResponseCode: invalid value "200": one of 400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504`},
		{map[string]string{stackconfig.Key(stackconfig.KeyPriceClass): "PriceClass_50"}, `route53-failover:priceClass: invalid value "PriceClass_50": one of PriceClass_100, PriceClass_200, PriceClass_All`},
		{map[string]string{stackconfig.Key(stackconfig.KeyTargetUnhealthyThreshold): "0"}, `route53-failover:targetUnhealthyThreshold: invalid value "0": a whole number from 2 to 10`},
		{map[string]string{stackconfig.Key(stackconfig.KeyHealthCheckFailures): "0"}, `route53-failover:healthCheckFailureThreshold: invalid value "0": a whole number from 1 to 10`},
		{map[string]string{stackconfig.Key(stackconfig.KeyHealthCheckFailures): "11"}, `route53-failover:healthCheckFailureThreshold: invalid value "11": a whole number from 1 to 10`},
		{map[string]string{stackconfig.Key(stackconfig.KeyHealthCheckInterval): "20"}, `route53-failover:healthCheckInterval: invalid value "20": one of 10, 30`},
		{map[string]string{stackconfig.Key(stackconfig.KeyHealthCheckRegions): `["us-east-1","eu-west-1"]`}, `route53-failover:healthCheckRegions: invalid value "us-east-1,eu-west-1": at least 3 checker regions`},
		{map[string]string{stackconfig.Key(stackconfig.KeyHostedZoneID): "Z0123456789ABCDEFGHIJ", stackconfig.Key(stackconfig.KeyCreateHostedZone): "true"}, `route53-failover:createHostedZone: invalid value "true": false when route53-failover:hostedZoneId is given`},
		{map[string]string{stackconfig.Key(stackconfig.KeyAlarmEmail): "Ops <ops@example.com>"}, `route53-failover:alarmEmail: invalid value "Ops <ops@example.com>": a plain email address`},
		{map[string]string{stackconfig.Key(stackconfig.KeyTargetHealthyThreshold): "11"}, `route53-failover:targetHealthyThreshold: invalid value "11": a whole number from 2 to 10`},
		{map[string]string{"aws:region": "ap-northeast-9"}, `aws:region: invalid value "ap-northeast-9": an existing AWS region`},
		// What the components find out from the account is reported under the key too.
		{map[string]string{"route53-failover:instanceType": "t9.micro"}, `route53-failover:instanceType: invalid value "t9.micro": an EC2 instance type of this region`},
		{map[string]string{"route53-failover:instanceType": "m8g.large"}, `route53-failover:instanceType: invalid value "m8g.large": a type offered in at least two Availability Zones`},
		{map[string]string{"route53-failover:vpcId": "vpc-0aaaaaaaaaaaaaaa1", "route53-failover:subnetIds": `["subnet-0aaaaaaaaaaaaaaa1","subnet-0ccccccccccccccc1"]`},
			`route53-failover:subnetIds[1]: invalid value "subnet-0ccccccccccccccc1": an existing subnet`},
	}
	bigPage := fileWriter(t)("big.html", strings.Repeat("x", 15000))
	for _, tt := range tests {
		t.Run(tt.want[:strings.Index(tt.want, ":")+20], func(t *testing.T) {
			opts := testOptions(t, tt.config)
			opts.Existing.Add(existing)
			for k, v := range opts.Config {
				switch v {
				case "<unset>":
					delete(opts.Config, k)
				case "big.html":
					opts.Config[k] = bigPage
				}
			}
			p, err := plan.Run(opts, Program)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			for _, r := range p.Resources {
				if r.Custom {
					t.Errorf("%s was registered before the error", r.URN)
				}
			}
		})
	}
}

// TestSecretsStaySecret: any key of Pulumi.yaml, and aws:region, set as a secret either is refused
// (the error names the key and not the value) or stays secret: its value appears nowhere in the
// plan (resources' inputs and outputs, component inputs, stack outputs). alarmEmail is the one
// that stays secret, and it must: the SNS subscription gets it as a secret.
func TestSecretsStaySecret(t *testing.T) {
	project, err := workspace.LoadProject(filepath.Join(projectDir, "Pulumi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	samples := map[string]string{
		"domain": "secret-domain.example", "alternateNames": `["www.example.com"]`, "hostedZoneId": "Z0SECRETZONE00000001",
		"vpcId": "vpc-0a1b2c3d4e5f6a7b8", "subnetIds": `["subnet-0a1b2c3d4e5f6a7b8","subnet-0a1b2c3d4e5f6a7b9"]`,
		"instanceType": "t3.small", "amiId": "ami-0a1b2c3d4e5f6a7b8", "mainPageFile": "stacks/Pulumi.dev.yaml",
		"errorPageFile": "stacks/Pulumi.dev.yaml", "healthCheckPath": "/secret-health", "alarmEmail": "oncall-7f3a@example.com",
		"healthCheckRegions": `["us-east-1","eu-west-1","ap-northeast-1"]`, "originSecret": "3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e",
		"previousOriginSecret": "8e6c4a2f0d9b7e5c3a1f8d6b4e2c0a9f",
	}
	keys := []string{"aws:region"}
	for k := range project.Config {
		keys = append(keys, stackconfig.Key(k))
	}
	kept := 0
	for _, key := range keys {
		t.Run(key, func(t *testing.T) {
			name := strings.TrimPrefix(key, stackconfig.Namespace+":")
			value, ok := samples[name]
			if !ok {
				value, _ = project.Config[name].Default.(string)
				if value == "" {
					b, _ := json.Marshal(project.Config[name].Default)
					value = string(b)
				}
			}
			if key == "aws:region" {
				value = "eu-west-3"
			}
			opts := testOptions(t, map[string]string{key: value})
			opts.SecretKeys = []string{key}
			p, err := plan.Run(opts, Program)
			if err != nil {
				if !strings.HasPrefix(err.Error(), key+`: invalid value "[secret]"`) {
					t.Fatalf("error = %v, want one that names %s and hides its value", err, key)
				}
				if len(value) > 3 && strings.Contains(err.Error(), value) {
					t.Errorf("the error shows the secret: %v", err)
				}
				return
			}
			kept++
			doc, err := p.JSON()
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(doc), value) {
				t.Errorf("the plan holds the secret value of %s in clear", key)
			}
			if key == stackconfig.Key("alarmEmail") {
				sub := p.OfType(awstype.TopicSubscription)
				if len(sub) != 1 || sub[0].Inputs["endpoint"] != plan.Secret {
					t.Errorf("the subscription's endpoint is not secret: %v", sub)
				}
			}
		})
	}
	if kept == 0 {
		t.Error("no key keeps a secret: alarmEmail must")
	}
}

// TestSecretAWSSettings: the stack's aws: settings reach the us-east-1 provider, secrets as
// secrets.
func TestSecretAWSSettings(t *testing.T) {
	opts := testOptions(t, map[string]string{"aws:accessKey": "AKIAEXAMPLESECRET123", "aws:secretKey": "wJalrXUtnFEMI/SECRET", "aws:profile": "web"})
	opts.SecretKeys = []string{"aws:accessKey", "aws:secretKey"}
	p, err := plan.Run(opts, Program)
	if err != nil {
		t.Fatal(err)
	}
	provider := p.Find(awstype.Provider, "site-us-east-1")
	if provider.Inputs["profile"] != "web" || provider.Inputs["accessKey"] != plan.Secret || provider.Inputs["secretKey"] != plan.Secret {
		t.Errorf("us-east-1 provider: %v", provider.Inputs)
	}
	doc, _ := p.JSON()
	if strings.Contains(string(doc), "AKIAEXAMPLESECRET123") || strings.Contains(string(doc), "wJalrXUtnFEMI") {
		t.Error("the plan holds an AWS credential in clear")
	}
}

// TestExistingNetwork: a stack that brings its own network is checked against the account: the
// plan of a sound one creates no network and puts everything in it.
func TestExistingNetwork(t *testing.T) {
	const vpc = givenVPC
	opts := testOptions(t, map[string]string{
		"route53-failover:vpcId":     vpc,
		"route53-failover:subnetIds": `["subnet-0aaaaaaaaaaaaaaa1","subnet-0aaaaaaaaaaaaaaa2"]`,
	})
	opts.Existing.Add(givenNetwork)
	p, err := plan.Run(opts, Program)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(p.OfType(awstype.VPC)); n != 0 {
		t.Errorf("created %d VPCs in a stack that brings its own", n)
	}
	if got := p.OfType(awstype.TargetGroup)[0].Inputs["vpcId"]; got != vpc {
		t.Errorf("target group in %v, want %s", got, vpc)
	}
}

// TestPlanOfARealStack: a stack file with ids the simulated account does not hold still plans:
// what it uses is assumed (given subnets in distinct zones, in the given VPC, public) and
// listed; -account files turn assumptions into facts, which are checked.
func TestPlanOfARealStack(t *testing.T) {
	write := fileWriter(t)
	stackFile := write("Pulumi.staging.yaml", "config:\n  aws:region: eu-west-1\n  domain: shop.example.net\n"+
		"  vpcId: vpc-0123456789abcdef0\n  subnetIds:\n"+
		"    - subnet-0123456789abcdef1\n    - subnet-0123456789abcdef2\n")
	opts, err := PlanOptions(projectDir, "", stackFile)
	if err != nil {
		t.Fatal(err)
	}
	if opts.Stack != "staging" {
		t.Errorf("stack %q, want staging (from the file's name)", opts.Stack)
	}
	p, err := plan.Run(opts, Program)
	if err != nil {
		t.Fatal(err)
	}
	assumed := map[string]string{}
	for _, a := range p.Assumptions {
		assumed[a.Kind+" "+a.ID] = a.Detail
	}
	for _, want := range []string{"hosted zone shop.example.net", "subnet subnet-0123456789abcdef1", "subnet subnet-0123456789abcdef2"} {
		if _, ok := assumed[want]; !ok {
			t.Errorf("assumptions %v lack %s", assumed, want)
		}
	}
	if d := assumed["subnet subnet-0123456789abcdef2"]; !strings.Contains(d, "in vpc-0123456789abcdef0, eu-west-1b, public") {
		t.Errorf("second subnet assumed %q, want the given VPC, the second zone, public", d)
	}

	// The real facts: the second subnet is private (its table routes to a NAT gateway).
	subnets := write("subnets.json", `{"Subnets": [
		{"SubnetId": "subnet-0123456789abcdef1", "VpcId": "vpc-0123456789abcdef0", "AvailabilityZone": "eu-west-1a", "CidrBlock": "10.0.1.0/24"},
		{"SubnetId": "subnet-0123456789abcdef2", "VpcId": "vpc-0123456789abcdef0", "AvailabilityZone": "eu-west-1b", "CidrBlock": "10.0.2.0/24"}]}`)
	tables := write("tables.json", `{"RouteTables": [
		{"RouteTableId": "rtb-0123456789abcdef0", "VpcId": "vpc-0123456789abcdef0", "Associations": [{"Main": true}],
		 "Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-0123456789abcdef0"}]},
		{"RouteTableId": "rtb-0123456789abcdef1", "VpcId": "vpc-0123456789abcdef0", "Associations": [{"Main": false, "SubnetId": "subnet-0123456789abcdef2"}],
		 "Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-0123456789abcdef0"}]}]}`)
	opts, err = PlanOptions(projectDir, "", stackFile, subnets, tables)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plan.Run(opts, Program); err == nil || !strings.Contains(err.Error(),
		projectName(t)+`:subnetIds[1]: invalid value "subnet-0123456789abcdef2": a public subnet: its route table rtb-0123456789abcdef1 has no route 0.0.0.0/0`) {
		t.Errorf("error = %v", err)
	}
}

// TestDevFailover checks the failover: each served name has exactly one PRIMARY (the load
// balancer, evaluating target health, with the health check) and one SECONDARY (CloudFront)
// per record type, and the health check probes the load balancer over HTTPS.
func TestFailover(t *testing.T) {
	p := run(t, nil)
	alb := p.OfType(awstype.LoadBalancer)[0]
	dist := p.OfType(awstype.Distribution)[0]
	checks := p.OfType(awstype.HealthCheck)
	if len(checks) != 1 {
		t.Fatalf("%d health checks", len(checks))
	}
	check := checks[0]

	roles := map[string]int{}
	for _, r := range p.OfType(awstype.Record) {
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
		t.Errorf("failover records %v, want %v (no AAAA: the load balancer is IPv4 only)", roles, want)
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

	e := estimate.Compute(estimate.Settings{TargetInterval: 10, TargetUnhealthyThreshold: 2, HealthCheckInterval: 10, HealthCheckFailureThreshold: 2})
	got := p.Outputs["failoverEstimate"].(map[string]any)
	if got["detectionMin"] != float64(e.DetectionMin) || got["detectionMax"] != float64(e.DetectionMax) ||
		got["typical"] != float64(e.Typical) || got["worst"] != float64(e.Worst) {
		t.Errorf("failoverEstimate = %v, want %+v", got, e)
	}
	if p.Outputs["siteUrl"] != "https://example.com" || p.Outputs["healthCheckId"] != check.ID {
		t.Errorf("siteUrl %v, healthCheckId %v", p.Outputs["siteUrl"], p.Outputs["healthCheckId"])
	}
	if ns, _ := p.Outputs["nameServers"].([]any); len(ns) != 0 {
		t.Errorf("nameServers %v for a zone that was not created", ns)
	}
}

// projectName is the project's name in Pulumi.yaml, its config namespace: another than
// route53-failover in a project made by pulumi new.
func projectName(t *testing.T) string {
	t.Helper()
	project, err := workspace.LoadProject(filepath.Join(projectDir, "Pulumi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return project.Name.String()
}

func TestLoadStack(t *testing.T) {
	write := fileWriter(t)
	ns := projectName(t) + ":"
	tests := []struct {
		name, file, want string
	}{
		{"typo", "config:\n  aws:region: us-east-1\n  domian: example.com\n",
			"unknown config key " + ns + "domian; did you mean " + ns + "domain? Pulumi.yaml declares: " + ns + "accessLogs, " + ns + "alarmEmail"},
		{"wrong type", "config:\n  aws:region: us-east-1\n  domain: example.com\n  alternateNames: www.example.com\n",
			ns + `alternateNames: "www.example.com" is not of the declared type array<string>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := plan.LoadStack(projectDir, "x", write(tt.name+".yaml", tt.file))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
		})
	}

	// Pulumi.yaml's defaults apply to keys a stack file leaves out.
	opts, err := plan.LoadStack(projectDir, "x", write("defaults.yaml", "config:\n  aws:region: us-east-1\n  domain: example.com\n"))
	if err != nil {
		t.Fatal(err)
	}
	if opts.Config[ns+"instanceType"] != "t3.micro" || opts.Config[ns+"targetCheckInterval"] != "10" {
		t.Errorf("project defaults missing from the config: %v", opts.Config)
	}

	// A secure value cannot be decrypted offline: the plan shows it masked. A key that may be
	// secret runs with a placeholder of its form; one that may not is refused as pulumi up
	// refuses it.
	for key, want := range map[string]string{"alarmEmail": "", "amiId": ns + `amiId: invalid value "[secret]": a plain value, not a secret`} {
		path := write("secret.yaml", "config:\n  aws:region: us-east-1\n  domain: example.com\n"+
			"  "+key+":\n    secure: v1:abcdefghijklmnop:qrstuvwxyz\n")
		opts, err := PlanOptions(projectDir, "x", path)
		if err != nil {
			t.Fatal(err)
		}
		p, err := plan.Run(opts, Program)
		if want != "" {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("%s: error = %v", key, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		if p.Config[ns+key] != plan.Secret {
			t.Errorf("%s: config shows %v", key, p.Config[ns+key])
		}
	}
}

// BenchmarkDevPlan measures the offline plan of the dev stack (what `go run ./cmd/plan` and the
// snapshot test spend, less compiling): go test -run '^$' -bench DevPlan -benchmem ./internal/stack
func BenchmarkDevPlan(b *testing.B) {
	opts, err := PlanOptions(projectDir, "dev", "")
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

// fileWriter returns a function that writes a file into a temporary folder and returns its path.
func fileWriter(t *testing.T) func(name, text string) string {
	dir := t.TempDir()
	return func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
}

// TestScalingFromConfig: the group's size and its CPU policy follow the config keys, and bad
// values fail under their keys.
func TestScalingFromConfig(t *testing.T) {
	p := run(t, map[string]string{"route53-failover:instanceCount": "2", "route53-failover:maxInstanceCount": "6", "route53-failover:scaleOnCpuPercent": "40"})
	group := p.OfType(awstype.AutoScalingGroup)[0]
	policy := p.OfType(awstype.ScalingPolicy)
	if group.Inputs["minSize"] != 2.0 || group.Inputs["maxSize"] != 6.0 || len(policy) != 1 ||
		plan.Get(policy[0].Inputs, "targetTrackingConfiguration", "targetValue") != 40.0 {
		t.Errorf("group %v-%v, policy %v", group.Inputs["minSize"], group.Inputs["maxSize"], policy)
	}
	p = run(t, map[string]string{"route53-failover:instanceCount": "3"})
	if group := p.OfType(awstype.AutoScalingGroup)[0]; group.Inputs["minSize"] != 3.0 || group.Inputs["maxSize"] != 3.0 || len(p.OfType(awstype.ScalingPolicy)) != 0 {
		t.Errorf("an unset maxInstanceCount does not follow instanceCount: %v-%v", group.Inputs["minSize"], group.Inputs["maxSize"])
	}
	for config, want := range map[string]string{
		"route53-failover:maxInstanceCount":  `route53-failover:maxInstanceCount: invalid value "0": a whole number from route53-failover:instanceCount (1) to 20`,
		"route53-failover:scaleOnCpuPercent": `route53-failover:scaleOnCpuPercent: invalid value "0": a whole number from 10 to 90`,
		"route53-failover:instanceCount":     `route53-failover:instanceCount: invalid value "0": a whole number from 1 to 20`,
	} {
		if _, err := plan.Run(testOptions(t, map[string]string{config: "0"}), Program); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s 0: error = %v, want %q", config, err, want)
		}
	}
}

// TestAnotherProjectName: a project made from the template (pulumi new) has a name of its own,
// and the program reads its keys, and names them in errors, in that namespace.
func TestAnotherProjectName(t *testing.T) {
	opts := plan.Options{Project: "shop", Stack: "prod", Strict: true, Config: map[string]string{
		"aws:region": "eu-west-1", "shop:domain": "shop.example", "shop:targetCheckInterval": "4",
	}, Existing: mockcloud.Existing{Zones: []mockcloud.Zone{mockcloud.PublicZone("shop.example")}}}
	if _, err := plan.Run(opts, Program); err == nil || !strings.HasPrefix(err.Error(), `shop:targetCheckInterval: invalid value "4"`) {
		t.Fatalf("error = %v", err)
	}
	delete(opts.Config, "shop:targetCheckInterval")
	p, err := plan.Run(opts, Program)
	if err != nil {
		t.Fatal(err)
	}
	if p.Outputs["siteUrl"] != "https://shop.example" {
		t.Errorf("siteUrl = %v", p.Outputs["siteUrl"])
	}
}
