package mainsite

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/pkg/mockcloud"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

const (
	listenerType   = "aws:lb/listener:Listener"
	ingressType    = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	instanceType   = "aws:ec2/instance:Instance"
	albType        = "aws:lb/loadBalancer:LoadBalancer"
	tgType         = "aws:lb/targetGroup:TargetGroup"
	sgType         = "aws:ec2/securityGroup:SecurityGroup"
	validationType = "aws:acm/certificateValidation:CertificateValidation"
	zone           = "Z0123456789ABCDEFGHIJ"
)

func baseArgs() *Args {
	return &Args{Domain: "example.com", AlternateNames: []string{"www.example.com"}, ZoneID: pulumi.String(zone)}
}

func runSite(t *testing.T, region string, args *Args) (*plan.Plan, map[string]string) {
	t.Helper()
	outs := map[string]string{}
	p, err := plan.RunInRegion(region, func(ctx *pulumi.Context) error {
		site, err := New(ctx, "main", args)
		if err != nil {
			return err
		}
		for key, out := range map[string]pulumi.StringOutput{"zoneId": site.ZoneID, "dnsName": site.DNSName, "url": site.URL} {
			out.ApplyT(func(v string) string { outs[key] = v; return v })
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return p, outs
}

func TestHTTPRedirectsToHTTPS(t *testing.T) {
	p, _ := runSite(t, "ap-northeast-1", baseArgs())
	http := p.Find(listenerType, "main-http")
	if http == nil {
		t.Fatal("no HTTP listener")
	}
	if http.Inputs["port"] != 80.0 || http.Inputs["protocol"] != "HTTP" {
		t.Errorf("HTTP listener on %v/%v", http.Inputs["protocol"], http.Inputs["port"])
	}
	action := plan.Get(http.Inputs, "defaultActions", 0)
	want := map[string]any{"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}
	for k, v := range want {
		if got := plan.Get(action.(map[string]any), "redirect", k); got != v {
			t.Errorf("redirect %s = %v, want %v", k, got, v)
		}
	}
	if plan.Get(action.(map[string]any), "type") != "redirect" {
		t.Errorf("HTTP listener does not redirect: %v", action)
	}
}

func TestHTTPSListenerUsesValidatedCertificate(t *testing.T) {
	p, _ := runSite(t, "ap-northeast-1", baseArgs())
	https := p.Find(listenerType, "main-https")
	if https == nil {
		t.Fatal("no HTTPS listener")
	}
	if https.Inputs["port"] != 443.0 || https.Inputs["protocol"] != "HTTPS" || https.Inputs["sslPolicy"] != "ELBSecurityPolicy-TLS13-1-2-2021-06" {
		t.Errorf("HTTPS listener: %v %v %v", https.Inputs["protocol"], https.Inputs["port"], https.Inputs["sslPolicy"])
	}
	validation := p.Find(validationType, "main-cert-validation")
	if validation == nil {
		t.Fatal("no certificate validation")
	}
	if !slices.Contains(https.DependsOn, validation.URN) {
		t.Error("the HTTPS listener does not wait for the certificate to be issued")
	}
	cert := p.Find("aws:acm/certificate:Certificate", "main-cert")
	if https.Inputs["certificateArn"] != cert.Outputs["arn"] {
		t.Errorf("listener certificate %v, want %v", https.Inputs["certificateArn"], cert.Outputs["arn"])
	}
	if !strings.HasPrefix(https.Inputs["certificateArn"].(string), "arn:aws:acm:ap-northeast-1:") {
		t.Errorf("the ALB's certificate is not in the ALB's region: %v", https.Inputs["certificateArn"])
	}
	tg := p.Find(tgType, "main-tg")
	if got := plan.Get(https.Inputs, "defaultActions", 0, "targetGroupArn"); got != tg.Outputs["arn"] {
		t.Errorf("HTTPS forwards to %v, want the target group %v", got, tg.Outputs["arn"])
	}
}

func TestInstance(t *testing.T) {
	args := baseArgs()
	args.MainPage = "<h1>It's 'quoted' & $(not run)</h1>\nEOF\n"
	p, _ := runSite(t, "ap-northeast-1", args)
	instances := p.OfType(instanceType)
	if len(instances) != 1 {
		t.Fatalf("%d instances", len(instances))
	}
	in := instances[0]
	if got := plan.Get(in.Inputs, "metadataOptions", "httpTokens"); got != "required" {
		t.Errorf("IMDSv2 not required: httpTokens = %v", got)
	}
	if _, ok := in.Inputs["keyName"]; ok {
		t.Error("the instance has an SSH key pair")
	}
	if in.Inputs["instanceType"] != "t3.micro" {
		t.Errorf("instanceType = %v", in.Inputs["instanceType"])
	}
	if plan.Get(in.Inputs, "rootBlockDevice", "encrypted") != true {
		t.Error("root volume not encrypted")
	}
	userData := in.Inputs["userData"].(string)
	if !strings.Contains(userData, "dnf install -y httpd") || !strings.Contains(userData, "systemctl enable --now httpd") {
		t.Errorf("user data does not install and start Apache:\n%s", userData)
	}
	encoded := regexp.MustCompile(`echo '([A-Za-z0-9+/=]+)' \| base64 -d > /var/www/html/index.html`).FindStringSubmatch(userData)
	if encoded == nil {
		t.Fatalf("user data does not write index.html:\n%s", userData)
	}
	page, err := base64.StdEncoding.DecodeString(encoded[1])
	if err != nil || string(page) != args.MainPage {
		t.Errorf("index.html would be %q, want %q", page, args.MainPage)
	}
	if in.Inputs["userDataReplaceOnChange"] != true {
		t.Error("a new page would never reach the instance: user data runs only at first boot")
	}
	if len(p.Invokes) == 0 || !hasInvoke(p, "aws:ssm/getParameter:getParameter", AmazonLinuxParameter) {
		t.Error("the AMI is not read from the Amazon Linux 2023 SSM parameter")
	}
	if !slices.Contains(in.IgnoreChanges, "ami") {
		t.Error("a new Amazon Linux release would replace the running instance")
	}
}

func TestDefaultPage(t *testing.T) {
	if !strings.Contains(DefaultMainPage, `<h1 style="color: green;">Test Main Page!</h1>`) {
		t.Fatalf("default page lost its green heading:\n%s", DefaultMainPage)
	}
	if !strings.Contains(UserData(""), "base64 -d") {
		t.Fatal("UserData")
	}
}

func TestPinnedAMI(t *testing.T) {
	args := baseArgs()
	args.AmiID = "ami-0123456789abcdef0"
	p, _ := runSite(t, "ap-northeast-1", args)
	in := p.OfType(instanceType)[0]
	if in.Inputs["ami"] != args.AmiID {
		t.Errorf("ami = %v", in.Inputs["ami"])
	}
	if hasInvoke(p, "aws:ssm/getParameter:getParameter", AmazonLinuxParameter) || len(in.IgnoreChanges) != 0 {
		t.Error("a pinned AMI still reads SSM or ignores AMI changes")
	}
}

// TestNoPathFromTheWorldToTheInstance checks every ingress rule: the instance admits only the
// load balancer's security group, on port 80; the load balancer admits 80 and 443 from anywhere.
func TestNoPathFromTheWorldToTheInstance(t *testing.T) {
	p, _ := runSite(t, "ap-northeast-1", baseArgs())
	albSG, webSG := p.Find(sgType, "main-alb-sg"), p.Find(sgType, "main-web-sg")
	instance := p.OfType(instanceType)[0]
	if got := plan.Get(instance.Inputs, "vpcSecurityGroupIds"); len(got.([]any)) != 1 || got.([]any)[0] != webSG.ID {
		t.Fatalf("instance security groups = %v", got)
	}
	alb := p.OfType(albType)[0]
	if got := plan.Get(alb.Inputs, "securityGroups", 0); got != albSG.ID {
		t.Fatalf("load balancer security group = %v", got)
	}

	worldOpen := map[string]bool{}
	for _, rule := range p.OfType(ingressType) {
		group := rule.Inputs["securityGroupId"]
		port := rule.Inputs["fromPort"]
		switch group {
		case webSG.ID:
			if rule.Inputs["cidrIpv4"] != nil || rule.Inputs["cidrIpv6"] != nil || rule.Inputs["referencedSecurityGroupId"] != albSG.ID {
				t.Errorf("instance rule %s admits more than the load balancer: %v", rule.Name, rule.Inputs)
			}
			if port != 80.0 || rule.Inputs["toPort"] != 80.0 {
				t.Errorf("instance rule %s opens ports %v-%v", rule.Name, port, rule.Inputs["toPort"])
			}
		case albSG.ID:
			for _, family := range []string{"cidrIpv4", "cidrIpv6"} {
				if cidr, ok := rule.Inputs[family].(string); ok && (cidr == "0.0.0.0/0" || cidr == "::/0") {
					worldOpen[fmt.Sprintf("%s:%v", family, port)] = true
				}
			}
		default:
			t.Errorf("rule %s on an unknown group %v", rule.Name, group)
		}
	}
	for _, want := range []string{"cidrIpv4:80", "cidrIpv4:443", "cidrIpv6:80", "cidrIpv6:443"} {
		if !worldOpen[want] {
			t.Errorf("the load balancer does not admit %s from anywhere", want)
		}
	}
	if len(worldOpen) != 4 {
		t.Errorf("the load balancer admits more than 80 and 443: %v", worldOpen)
	}
}

func TestLoadBalancerAndTargetGroup(t *testing.T) {
	args := baseArgs()
	args.HealthCheck = TargetHealthCheck{Path: "/health", Interval: 30, Timeout: 10, UnhealthyThreshold: 3}
	p, outs := runSite(t, "us-west-2", args)
	alb := p.OfType(albType)[0]
	for k, want := range map[string]any{"internal": false, "loadBalancerType": "application", "dropInvalidHeaderFields": true} {
		if alb.Inputs[k] != want {
			t.Errorf("load balancer %s = %v, want %v", k, alb.Inputs[k], want)
		}
	}
	if n := len(alb.Inputs["subnets"].([]any)); n != 2 {
		t.Errorf("load balancer spans %d subnets, want 2", n)
	}
	hc := plan.Get(p.Find(tgType, "main-tg").Inputs, "healthCheck").(map[string]any)
	want := map[string]any{"path": "/health", "matcher": "200", "protocol": "HTTP", "interval": 30.0, "timeout": 10.0,
		"healthyThreshold": 2.0, "unhealthyThreshold": 3.0}
	for k, v := range want {
		if hc[k] != v {
			t.Errorf("health check %s = %v, want %v", k, hc[k], v)
		}
	}
	// The alias target zone is the load balancer's canonical zone for its region, not the site's.
	if outs["zoneId"] != "Z1H1FL5HABSF5" {
		t.Errorf("ZoneID = %q, want us-west-2's ALB zone Z1H1FL5HABSF5", outs["zoneId"])
	}
	if outs["url"] != "https://"+outs["dnsName"] || !strings.HasSuffix(outs["dnsName"], ".us-west-2.elb.amazonaws.com") {
		t.Errorf("URL %q, DNS name %q", outs["url"], outs["dnsName"])
	}
	attachment := p.OfType("aws:lb/targetGroupAttachment:TargetGroupAttachment")
	if len(attachment) != 1 || attachment[0].Inputs["targetId"] != p.OfType(instanceType)[0].ID {
		t.Errorf("the instance is not attached to the target group: %v", attachment)
	}
}

func TestCreatedNetworkSpansTwoZones(t *testing.T) {
	p, _ := runSite(t, "ap-northeast-1", baseArgs())
	subnets := p.OfType("aws:ec2/subnet:Subnet")
	if len(subnets) != 2 {
		t.Fatalf("%d subnets", len(subnets))
	}
	if subnets[0].Inputs["availabilityZone"] == subnets[1].Inputs["availabilityZone"] {
		t.Errorf("both subnets in %v", subnets[0].Inputs["availabilityZone"])
	}
	route := p.OfType("aws:ec2/route:Route")
	if len(route) != 1 || route[0].Inputs["destinationCidrBlock"] != "0.0.0.0/0" || route[0].Inputs["gatewayId"] != p.OfType("aws:ec2/internetGateway:InternetGateway")[0].ID {
		t.Errorf("no default route to the internet gateway: %v", route)
	}
	if n := len(p.OfType("aws:ec2/routeTableAssociation:RouteTableAssociation")); n != 2 {
		t.Errorf("%d route table associations, want 2", n)
	}
}

func TestExistingNetworkAndCertificate(t *testing.T) {
	args := baseArgs()
	args.VpcID = pulumi.String("vpc-0aaaaaaaaaaaaaaa1")
	args.SubnetIDs = pulumi.StringArray{pulumi.String("subnet-0aaaaaaaaaaaaaaa1"), pulumi.String("subnet-0aaaaaaaaaaaaaaa2")}
	args.CertificateARN = pulumi.String("arn:aws:acm:ap-northeast-1:123456789012:certificate/11111111-2222-3333-4444-555555555555")
	p, err := plan.Run(plan.Options{Project: "test", Stack: "test", Config: map[string]string{"aws:region": "ap-northeast-1"},
		Cloud: func(c *mockcloud.Cloud) {
			c.Subnets["subnet-0aaaaaaaaaaaaaaa1"] = mockcloud.ExistingSubnet{VpcID: "vpc-0aaaaaaaaaaaaaaa1", AvailabilityZone: "ap-northeast-1a"}
			c.Subnets["subnet-0aaaaaaaaaaaaaaa2"] = mockcloud.ExistingSubnet{VpcID: "vpc-0aaaaaaaaaaaaaaa1", AvailabilityZone: "ap-northeast-1c"}
		}}, func(ctx *pulumi.Context) (pulumi.Map, error) {
		_, err := New(ctx, "main", args)
		return nil, err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []string{"aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:ec2/internetGateway:InternetGateway", "aws:acm/certificate:Certificate"} {
		if n := len(p.OfType(typ)); n != 0 {
			t.Errorf("created %d %s although one was given", n, typ)
		}
	}
	if got := plan.Get(p.OfType(albType)[0].Inputs, "subnets"); len(got.([]any)) != 2 || got.([]any)[1] != "subnet-0aaaaaaaaaaaaaaa2" {
		t.Errorf("load balancer subnets = %v", got)
	}
	in := p.OfType(instanceType)[0]
	if in.Inputs["subnetId"] != "subnet-0aaaaaaaaaaaaaaa1" {
		t.Errorf("instance subnet = %v, want the first given", in.Inputs["subnetId"])
	}
	if _, set := in.Inputs["associatePublicIpAddress"]; set {
		t.Error("in a given network the subnet decides about public addresses, not MainSite")
	}
	if got := p.Find(listenerType, "main-https").Inputs["certificateArn"]; got != "arn:aws:acm:ap-northeast-1:123456789012:certificate/11111111-2222-3333-4444-555555555555" {
		t.Errorf("listener certificate = %v", got)
	}
}

func TestTwoSitesDoNotCollide(t *testing.T) {
	p, err := plan.RunInRegion("ap-northeast-1", func(ctx *pulumi.Context) error {
		if _, err := New(ctx, "blue", baseArgs()); err != nil {
			return err
		}
		_, err := New(ctx, "green", baseArgs())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(p.OfType(albType)); n != 2 {
		t.Fatalf("%d load balancers, want 2", n)
	}
	for _, r := range p.Resources {
		if r.Type != Type && !strings.HasPrefix(r.Name, "blue-") && !strings.HasPrefix(r.Name, "green-") {
			t.Errorf("child %s (%s) is not named after its component", r.Name, r.Type)
		}
	}
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Args)
		want   string
	}{
		{"no domain", func(a *Args) { a.Domain = "" }, `Domain: invalid value ""`},
		{"no zone and no certificate", func(a *Args) { a.ZoneID = nil }, `ZoneID: invalid value ""`},
		{"one subnet", func(a *Args) {
			a.VpcID = pulumi.String("vpc-12345678")
			a.SubnetIDs = pulumi.StringArray{pulumi.String("subnet-12345678")}
		}, `SubnetIDs: invalid value "1 subnet": at least two subnets`},
		{"subnets without VPC", func(a *Args) {
			a.SubnetIDs = pulumi.StringArray{pulumi.String("subnet-12345678"), pulumi.String("subnet-87654321")}
		}, `SubnetIDs: invalid value "2 subnets": VpcID and SubnetIDs together`},
		{"instance type", func(a *Args) { a.InstanceType = "t3" }, `InstanceType: invalid value "t3"`},
		{"ami", func(a *Args) { a.AmiID = "ami-xyz" }, `AmiID: invalid value "ami-xyz"`},
		{"interval", func(a *Args) { a.HealthCheck.Interval = 400 }, `HealthCheck.Interval: invalid value "400": a whole number from 5 to 300`},
		{"timeout", func(a *Args) { a.HealthCheck.Interval, a.HealthCheck.Timeout = 5, 6 }, `HealthCheck.Timeout: invalid value "6": less than HealthCheck.Interval (5 s)`},
		{"threshold", func(a *Args) { a.HealthCheck.UnhealthyThreshold = 1 }, `HealthCheck.UnhealthyThreshold: invalid value "1"`},
		{"page", func(a *Args) { a.MainPage = strings.Repeat("<p>", 5000) }, `MainPage: invalid value "15000 bytes"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cloud *mockcloud.Cloud
			args := baseArgs()
			tt.mutate(args)
			_, err := plan.Run(plan.Options{Project: "test", Stack: "test", Config: map[string]string{"aws:region": "ap-northeast-1"},
				Cloud: func(c *mockcloud.Cloud) { cloud = c }}, func(ctx *pulumi.Context) (pulumi.Map, error) {
				_, err := New(ctx, "main", args)
				return nil, err
			})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			if n := len(cloud.Resources()); n != 0 {
				t.Fatalf("%d resources registered before the error", n)
			}
		})
	}
}

func hasInvoke(p *plan.Plan, token, name string) bool {
	for _, i := range p.Invokes {
		if i.Token == token && i.Args["name"] == name {
			return true
		}
	}
	return false
}

func TestSubnet64(t *testing.T) {
	tests := []struct {
		block string
		index int
		want  string
		err   bool
	}{
		{"2406:da14:4e9:fe00::/56", 1, "2406:da14:4e9:fe01::/64", false},
		{"2406:da14:4e9:fe00::/56", 255, "2406:da14:4e9:feff::/64", false},
		{"2406:da14:4e9:fe00::/56", 256, "", true},
		{"2406:da14:4e9::/48", 1, "", true},
		{"10.0.0.0/16", 1, "", true},
		{"nonsense", 1, "", true},
	}
	for _, tt := range tests {
		got, err := Subnet64(tt.block, tt.index)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("Subnet64(%q, %d) = %q, %v; want %q (error %v)", tt.block, tt.index, got, err, tt.want, tt.err)
		}
	}
}
