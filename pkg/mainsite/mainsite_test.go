package mainsite

import (
	"encoding/base64"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
	"github.com/seed-2b23e6e5/route53-failover/pkg/edgeorigin"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

const (
	listenerType   = awstype.Listener
	ingressType    = awstype.IngressRule
	egressType     = awstype.EgressRule
	instanceType   = awstype.Instance
	templateType   = awstype.LaunchTemplate
	groupType      = awstype.AutoScalingGroup
	policyType     = awstype.ScalingPolicy
	attachmentType = awstype.TargetGroupAttachment
	albType        = awstype.LoadBalancer
	tgType         = awstype.TargetGroup
	sgType         = awstype.SecurityGroup
	subnetType     = awstype.Subnet
	validationType = awstype.CertificateValidation
	zone           = "Z0123456789ABCDEFGHIJ"
)

func baseArgs() *Args {
	return &Args{Domain: "example.com", AlternateNames: []string{"www.example.com"}, ZoneID: pulumi.String(zone)}
}

// account holds the site's hosted zone, and what more is given.
func account(more mockcloud.Existing) mockcloud.Existing {
	e := mockcloud.Existing{Zones: []mockcloud.Zone{{ID: zone, Name: "example.com"}}}
	e.Add(more)
	return e
}

func runIn(region string, existing mockcloud.Existing, args *Args) (*plan.Plan, error) {
	return plan.RunInAccount(region, account(existing), func(ctx *pulumi.Context) error {
		_, err := New(ctx, "main", args)
		return err
	}, plan.Strict)
}

func runSite(t *testing.T, region string, args *Args) (*plan.Plan, map[string]string) {
	t.Helper()
	outs := map[string]string{}
	p, err := plan.RunInAccount(region, account(mockcloud.Existing{}), func(ctx *pulumi.Context) error {
		site, err := New(ctx, "main", args)
		if err != nil {
			return err
		}
		// One apply for the three, so that the map is written by one goroutine.
		pulumi.All(site.ZoneID, site.DNSName, site.URL).ApplyT(func(v []any) error {
			outs["zoneId"], outs["dnsName"], outs["url"] = v[0].(string), v[1].(string), v[2].(string)
			return nil
		})
		return nil
	}, plan.Strict)
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
	cert := p.Find(awstype.Certificate, "main-cert")
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

func TestLaunchTemplate(t *testing.T) {
	args := baseArgs()
	args.MainPage = "<h1>It's 'quoted' & $(not run)</h1>\nEOF\n"
	p, _ := runSite(t, "ap-northeast-1", args)
	templates := p.OfType(templateType)
	if len(templates) != 1 || len(p.OfType(instanceType)) != 0 {
		t.Fatalf("%d launch templates and %d lone instances, want one template and no instance", len(templates), len(p.OfType(instanceType)))
	}
	in := templates[0].Inputs
	if got := plan.Get(in, "metadataOptions", "httpTokens"); got != "required" || plan.Get(in, "metadataOptions", "httpPutResponseHopLimit") != 1.0 {
		t.Errorf("IMDSv2 not required with hop limit 1: %v", in["metadataOptions"])
	}
	if _, ok := in["keyName"]; ok {
		t.Error("the instances have an SSH key pair")
	}
	if in["instanceType"] != "t3.micro" {
		t.Errorf("instanceType = %v", in["instanceType"])
	}
	if plan.Get(in, "blockDeviceMappings", 0, "ebs", "encrypted") != "true" || plan.Get(in, "blockDeviceMappings", 0, "ebs", "volumeType") != "gp3" ||
		plan.Get(in, "blockDeviceMappings", 0, "deviceName") != "/dev/xvda" {
		t.Errorf("root volume not an encrypted gp3 /dev/xvda: %v", in["blockDeviceMappings"])
	}
	for i, resourceType := range []string{"instance", "volume"} {
		if plan.Get(in, "tagSpecifications", i, "resourceType") != resourceType || plan.Get(in, "tagSpecifications", i, "tags", "Name") != "main-web" {
			t.Errorf("tags do not reach the %ss: %v", resourceType, in["tagSpecifications"])
		}
	}
	script, err := base64.StdEncoding.DecodeString(in["userData"].(string))
	if err != nil {
		t.Fatalf("user data is not base64, as launch templates take it: %v", err)
	}
	userData := string(script)
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
	if !hasInvoke(p, awstype.GetParameter, AmazonLinuxParameter("x86_64")) {
		t.Error("the AMI is not read from the Amazon Linux 2023 SSM parameter")
	}
	if len(templates[0].IgnoreChanges) != 0 {
		t.Error("the template ignores changes: a new release or page would never roll out")
	}
}

// TestAutoScalingGroup: the group spans every subnet, keeps InstanceCount serving in the target
// group (pulumi up waits for them), is replaced-into by the load balancer's health check after a
// grace period, rolls changes new-before-old, and scales on CPU only with room to.
func TestAutoScalingGroup(t *testing.T) {
	for _, tt := range []struct {
		name          string
		count, max    *int
		percent       *int
		min, most     float64
		policyPercent float64
	}{
		{"defaults", nil, nil, nil, 1, 1, 0},
		{"two, fixed", pulumi.IntRef(2), nil, nil, 2, 2, 0},
		{"scaling", pulumi.IntRef(2), pulumi.IntRef(6), pulumi.IntRef(70), 2, 6, 70},
		{"scaling at the default CPU", pulumi.IntRef(1), pulumi.IntRef(3), nil, 1, 3, 50},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := baseArgs()
			args.InstanceCount, args.MaxInstanceCount, args.ScaleOnCPUPercent = tt.count, tt.max, tt.percent
			p, _ := runSite(t, "ap-northeast-1", args)
			group := p.Find(groupType, "main-web")
			if group == nil {
				t.Fatal("no Auto Scaling group")
			}
			in := group.Inputs
			if in["minSize"] != tt.min || in["maxSize"] != tt.most || in["minElbCapacity"] != tt.min {
				t.Errorf("size %v-%v waiting for %v, want %v-%v waiting for %v", in["minSize"], in["maxSize"], in["minElbCapacity"], tt.min, tt.most, tt.min)
			}
			if in["healthCheckType"] != "ELB" || in["healthCheckGracePeriod"] != 300.0 {
				t.Errorf("health check %v after %v s, want ELB after 300 s", in["healthCheckType"], in["healthCheckGracePeriod"])
			}
			subnets := p.OfType(subnetType)
			if zones := plan.Get(in, "vpcZoneIdentifiers").([]any); len(zones) != 2 || zones[0] != subnets[0].ID || zones[1] != subnets[1].ID {
				t.Errorf("the group spans %v, want both subnets", zones)
			}
			tg := p.Find(tgType, "main-tg")
			if plan.Get(in, "targetGroupArns", 0) != tg.Outputs["arn"] || len(p.OfType(attachmentType)) != 0 {
				t.Errorf("the group does not hold the target group's targets: %v", in["targetGroupArns"])
			}
			template := p.Find(templateType, "main-web")
			if plan.Get(in, "launchTemplate", "id") != template.ID || plan.Get(in, "launchTemplate", "version") != "1" {
				t.Errorf("the group launches %v, want the template's latest version", in["launchTemplate"])
			}
			if plan.Get(in, "instanceRefresh", "strategy") != "Rolling" || plan.Get(in, "instanceRefresh", "preferences", "minHealthyPercentage") != 100.0 ||
				plan.Get(in, "instanceRefresh", "preferences", "maxHealthyPercentage") != 200.0 ||
				// A rollback would return to the new version (terraform-provider-aws#34189).
				plan.Get(in, "instanceRefresh", "preferences", "autoRollback") == true {
				t.Errorf("changes do not roll new-before-old: %v", in["instanceRefresh"])
			}
			policies := p.OfType(policyType)
			if tt.policyPercent == 0 {
				if len(policies) != 0 {
					t.Errorf("a scaling policy without room to scale: %v", policies)
				}
				return
			}
			if len(policies) != 1 || policies[0].Inputs["autoscalingGroupName"] != group.ID ||
				plan.Get(policies[0].Inputs, "targetTrackingConfiguration", "targetValue") != tt.policyPercent ||
				plan.Get(policies[0].Inputs, "targetTrackingConfiguration", "predefinedMetricSpecification", "predefinedMetricType") != "ASGAverageCPUUtilization" {
				t.Errorf("scaling policy %v, want average CPU at %v", policies, tt.policyPercent)
			}
		})
	}
}

// TestPageChangeRollsOver: a new page or image updates the template and the group in place (the
// group rolls its instances over); nothing is replaced.
func TestPageChangeRollsOver(t *testing.T) {
	before, _ := runSite(t, "ap-northeast-1", baseArgs())
	args := baseArgs()
	args.MainPage = "<h1>New page</h1>"
	after, _ := runSite(t, "ap-northeast-1", args)
	diff := plan.Compare(before, after)
	if len(diff.Added) != 0 || len(diff.Removed) != 0 || len(diff.Replaced) != 0 {
		t.Errorf("a page change adds %d, removes %d, replaces %v", len(diff.Added), len(diff.Removed), diff.Replaced)
	}
	changed := map[string]bool{}
	for _, c := range diff.Changed {
		changed[c.New.Type+" "+c.New.Name] = true
	}
	if !changed[templateType+" main-web"] {
		t.Errorf("the template does not take the page: %v", changed)
	}
}

// TestBootScriptServesTheHealthCheck: the boot script writes a page wherever the load
// balancer's checks look (Apache answers 404 elsewhere), and a path the shell would read is
// refused before anything is built.
func TestBootScriptServesTheHealthCheck(t *testing.T) {
	for _, tt := range []struct{ path, want string }{
		{"/", ""},
		{"/index.html", ""},
		{"/health", "mkdir -p /var/www/html\necho ok > /var/www/html/health\n"},
		{"/status/live?full=1", "mkdir -p /var/www/html/status\necho ok > /var/www/html/status/live\n"},
		{"/status/", "echo ok > /var/www/html/status/index.html\n"},
		// Apache answers these with the index: writing "ok" there would replace the main page.
		{"//", ""},
		{"/./", ""},
		{"/./index.html", ""},
		{"//health", "echo ok > /var/www/html/health\n"},
	} {
		script := BootScript("page", tt.path)
		if tt.want == "" && strings.Contains(script, "echo ok") || !strings.Contains(script, tt.want) {
			t.Errorf("%s: boot script\n%s\nwant %q", tt.path, script, tt.want)
		}
	}
	// Under index.html the boot script would stop at mkdir, before Apache starts.
	for _, bad := range []string{"/health';reboot;'", "/a/../../etc/passwd", "/$(id)", "/index.html/", "/index.html/ok", "//index.html/"} {
		args := baseArgs()
		args.HealthCheckPath = bad
		if err := args.Validate(); err == nil || !strings.Contains(err.Error(), "HealthCheckPath") {
			t.Errorf("HealthCheckPath %q: %v, want an error that names HealthCheckPath", bad, err)
		}
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
	p, err := runIn("ap-northeast-1", mockcloud.Existing{Images: []mockcloud.Image{{ID: args.AmiID, Architecture: "x86_64"}}}, args)
	if err != nil {
		t.Fatal(err)
	}
	in := p.OfType(templateType)[0]
	if in.Inputs["imageId"] != args.AmiID {
		t.Errorf("imageId = %v", in.Inputs["imageId"])
	}
	if hasInvoke(p, awstype.GetParameter, AmazonLinuxParameter("x86_64")) {
		t.Error("a pinned AMI still reads SSM")
	}
}

// TestArchitecture: the image follows the instance type's architecture, and a given image of
// another architecture, or a type EC2 does not have, is refused before anything is created.
func TestArchitecture(t *testing.T) {
	images := mockcloud.Existing{Images: []mockcloud.Image{{ID: "ami-0123456789abcdef0", Architecture: "x86_64"},
		{ID: "ami-0123456789abcdef1", Architecture: "x86_64", RootDeviceName: "/dev/sda1"}}}
	tests := []struct {
		name, instanceType, ami string
		wantParameter           string
		wantErr                 string
	}{
		{"x86_64 type", "t3.micro", "", AmazonLinuxParameter("x86_64"), ""},
		{"Graviton type", "t4g.micro", "", "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64", ""},
		{"Graviton type, x86_64 image", "t4g.micro", "ami-0123456789abcdef0", "",
			`AmiID: invalid value "ami-0123456789abcdef0": an arm64 image, the architecture of InstanceType t4g.micro; this image is x86_64`},
		{"unknown image", "t3.micro", "ami-0fffffffffffffff0", "", `AmiID: invalid value "ami-0fffffffffffffff0": an image that exists in this region`},
		// The template encrypts /dev/xvda: the root volume of an image that boots from another
		// device would stay unencrypted.
		{"image with another root device", "t3.micro", "ami-0123456789abcdef1", "",
			`AmiID: invalid value "ami-0123456789abcdef1": an image whose root device is /dev/xvda, as Amazon Linux's; this image boots from /dev/sda1`},
		{"unknown type", "t9.micro", "", "", `InstanceType: invalid value "t9.micro": an EC2 instance type of this region`},
		{"Mac type", "mac2.metal", "", "", `InstanceType: invalid value "mac2.metal": a type that runs Amazon Linux 2023, on x86_64 or arm64; this one supports arm64_mac`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := baseArgs()
			args.InstanceType, args.AmiID = tt.instanceType, tt.ami
			p, err := runIn("ap-northeast-1", images, args)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !hasInvoke(p, awstype.GetParameter, tt.wantParameter) {
				t.Errorf("the image is not read from %s", tt.wantParameter)
			}
		})
	}
}

// TestNoPathFromTheWorldToTheInstance checks every ingress rule: the instance admits only the
// load balancer's security group, on port 80; the load balancer admits 80 and 443 from anywhere.
func TestNoPathFromTheWorldToTheInstance(t *testing.T) {
	p, _ := runSite(t, "ap-northeast-1", baseArgs())
	albSG, webSG := p.Find(sgType, "main-alb-sg"), p.Find(sgType, "main-web-sg")
	template := p.OfType(templateType)[0]
	if got := plan.Get(template.Inputs, "networkInterfaces", 0, "securityGroups"); len(got.([]any)) != 1 || got.([]any)[0] != webSG.ID {
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

// TestLoadBalancerReachesOnlyTheInstance: the load balancer's group may send only to the
// instance's group, on 80; the instance's own group may reach anywhere (package installs).
func TestLoadBalancerReachesOnlyTheInstance(t *testing.T) {
	p, _ := runSite(t, "ap-northeast-1", baseArgs())
	albSG, webSG := p.Find(sgType, "main-alb-sg"), p.Find(sgType, "main-web-sg")
	var albRules []plan.Resource
	for _, rule := range p.OfType(egressType) {
		if rule.Inputs["securityGroupId"] == albSG.ID {
			albRules = append(albRules, rule)
		}
	}
	if len(albRules) != 1 {
		t.Fatalf("%d egress rules on the load balancer's group, want 1", len(albRules))
	}
	in := albRules[0].Inputs
	if in["referencedSecurityGroupId"] != webSG.ID || in["cidrIpv4"] != nil || in["cidrIpv6"] != nil ||
		in["ipProtocol"] != "tcp" || in["fromPort"] != 80.0 || in["toPort"] != 80.0 {
		t.Errorf("the load balancer may send %v", in)
	}
}

func TestLoadBalancerAndTargetGroup(t *testing.T) {
	args := baseArgs()
	args.HealthCheckPath, args.TargetCheckInterval, args.TargetCheckTimeout, args.TargetUnhealthyThreshold = "/health", pulumi.IntRef(30), pulumi.IntRef(10), pulumi.IntRef(3)
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
	tg := p.Find(tgType, "main-tg")
	// AWS's default of 300 s keeps a replaced instance in the group for five minutes.
	if tg.Inputs["deregistrationDelay"] != 30.0 {
		t.Errorf("deregistrationDelay = %v, want 30", tg.Inputs["deregistrationDelay"])
	}
	hc := plan.Get(tg.Inputs, "healthCheck").(map[string]any)
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
	if got := plan.Get(p.OfType(groupType)[0].Inputs, "targetGroupArns", 0); got != p.OfType(tgType)[0].Outputs["arn"] {
		t.Errorf("the group's instances are not in the target group: %v", got)
	}
}

func TestCreatedNetworkSpansTwoZones(t *testing.T) {
	p, _ := runSite(t, "ap-northeast-1", baseArgs())
	subnets := p.OfType(awstype.Subnet)
	if len(subnets) != 2 {
		t.Fatalf("%d subnets", len(subnets))
	}
	if subnets[0].Inputs["availabilityZone"] == subnets[1].Inputs["availabilityZone"] {
		t.Errorf("both subnets in %v", subnets[0].Inputs["availabilityZone"])
	}
	route := p.OfType(awstype.Route)
	if len(route) != 1 || route[0].Inputs["destinationCidrBlock"] != "0.0.0.0/0" || route[0].Inputs["gatewayId"] != p.OfType(awstype.InternetGateway)[0].ID {
		t.Errorf("no default route to the internet gateway: %v", route)
	}
	if n := len(p.OfType(awstype.RouteTableAssociation)); n != 2 {
		t.Errorf("%d route table associations, want 2", n)
	}
}

// vpc is a VPC of existing subnets for the tests: public subnets in ap-northeast-1a, 1c and 1d
// (the main route table sends 0.0.0.0/0 and ::/0 to an internet gateway), a private one in 1a
// (its own table sends 0.0.0.0/0 to a NAT gateway), one more in 1a, one with an IPv6 block, one
// in 1d with an IPv6 block whose own table has no ::/0 route, and a subnet of another VPC.
const (
	vpcID          = "vpc-0aaaaaaaaaaaaaaa1"
	publicA        = "subnet-0aaaaaaaaaaaaaaa1"
	publicC        = "subnet-0aaaaaaaaaaaaaaa2"
	publicD        = "subnet-0aaaaaaaaaaaaaaa3"
	privateA       = "subnet-0aaaaaaaaaaaaaaa4"
	secondA        = "subnet-0aaaaaaaaaaaaaaa5"
	dualstackC     = "subnet-0aaaaaaaaaaaaaaa6"
	ipv4OnlyRouteD = "subnet-0aaaaaaaaaaaaaaa7"
	otherVPC       = "subnet-0bbbbbbbbbbbbbbb1"
	certificateARN = "arn:aws:acm:ap-northeast-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
)

func existingNetwork() mockcloud.Existing {
	subnet := func(id, vpc, az, cidr string) mockcloud.Subnet {
		return mockcloud.Subnet{ID: id, VpcID: vpc, AvailabilityZone: az, CIDR: cidr}
	}
	dualstack := subnet(dualstackC, vpcID, "ap-northeast-1c", "10.1.6.0/24")
	dualstack.IPv6CIDR = "2406:da14:aaa:bb06::/64"
	noIPv6Route := subnet(ipv4OnlyRouteD, vpcID, "ap-northeast-1d", "10.1.7.0/24")
	noIPv6Route.IPv6CIDR = "2406:da14:aaa:bb07::/64"
	return mockcloud.Existing{
		VPCs: []mockcloud.VPC{{ID: vpcID, CIDR: "10.1.0.0/16"}},
		Subnets: []mockcloud.Subnet{
			subnet(publicA, vpcID, "ap-northeast-1a", "10.1.1.0/24"), subnet(publicC, vpcID, "ap-northeast-1c", "10.1.2.0/24"),
			subnet(publicD, vpcID, "ap-northeast-1d", "10.1.3.0/24"), subnet(privateA, vpcID, "ap-northeast-1a", "10.1.4.0/24"),
			subnet(secondA, vpcID, "ap-northeast-1a", "10.1.5.0/24"), dualstack, noIPv6Route,
			subnet(otherVPC, "vpc-0bbbbbbbbbbbbbbb1", "ap-northeast-1d", "10.2.1.0/24"),
		},
		RouteTables: []mockcloud.RouteTable{
			{ID: "rtb-0aaaaaaaaaaaaaaa1", VpcID: vpcID, Main: true, Routes: []mockcloud.Route{
				{Destination: "0.0.0.0/0", Target: "igw-0aaaaaaaaaaaaaaa1"}, {DestinationIPv6: "::/0", Target: "igw-0aaaaaaaaaaaaaaa1"}}},
			{ID: "rtb-0aaaaaaaaaaaaaaa2", VpcID: vpcID, Subnets: []string{privateA}, Routes: []mockcloud.Route{
				{Destination: "0.0.0.0/0", Target: "nat-0aaaaaaaaaaaaaaa1"}}},
			{ID: "rtb-0aaaaaaaaaaaaaaa3", VpcID: vpcID, Subnets: []string{publicD, ipv4OnlyRouteD}, Routes: []mockcloud.Route{
				{Destination: "0.0.0.0/0", Target: "igw-0aaaaaaaaaaaaaaa1"}}},
		},
		Certificates: []mockcloud.Certificate{{ARN: certificateARN, Names: []string{"example.com", "www.example.com"}, Status: "ISSUED"}},
	}
}

func TestExistingNetworkAndCertificate(t *testing.T) {
	args := baseArgs()
	args.VpcID, args.SubnetIDs, args.CertificateARN = vpcID, []string{publicA, publicC}, pulumi.String(certificateARN)
	p, err := runIn("ap-northeast-1", existingNetwork(), args)
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []string{awstype.VPC, subnetType, awstype.InternetGateway, awstype.Certificate} {
		if n := len(p.OfType(typ)); n != 0 {
			t.Errorf("created %d %s although one was given", n, typ)
		}
	}
	if got := plan.Get(p.OfType(albType)[0].Inputs, "subnets"); len(got.([]any)) != 2 || got.([]any)[1] != publicC {
		t.Errorf("load balancer subnets = %v", got)
	}
	group := p.OfType(groupType)[0]
	if got := plan.Get(group.Inputs, "vpcZoneIdentifiers"); len(got.([]any)) != 2 || got.([]any)[0] != publicA {
		t.Errorf("the group spans %v, want the given subnets", got)
	}
	// Given subnets rarely map a public address on launch, and the boot script needs one to
	// install Apache (the subnets have no NAT: the load balancer needs them public).
	if got := p.OfType(templateType)[0].Inputs["networkInterfaces"].([]any)[0].(map[string]any)["associatePublicIpAddress"]; got != "true" {
		t.Errorf("associatePublicIpAddress %v in a given network, want true", got)
	}
	if got := p.Find(listenerType, "main-https").Inputs["certificateArn"]; got != certificateARN {
		t.Errorf("listener certificate = %v", got)
	}
	if got := p.Find(tgType, "main-tg").Inputs["vpcId"]; got != vpcID {
		t.Errorf("target group in %v, want %s", got, vpcID)
	}
}

// TestGivenSubnetsAreChecked: before anything is created, MainSite refuses given subnets that
// the load balancer cannot use, each error naming SubnetIDs and the subnet.
func TestGivenSubnetsAreChecked(t *testing.T) {
	tests := []struct {
		name    string
		subnets []string
		ipv6    bool
		want    string
	}{
		{"other VPC", []string{publicA, otherVPC}, false, `SubnetIDs[1]: invalid value "subnet-0bbbbbbbbbbbbbbb1": a subnet of VpcID vpc-0aaaaaaaaaaaaaaa1; this one is in vpc-0bbbbbbbbbbbbbbb1`},
		{"two in one zone", []string{publicA, secondA}, false, `SubnetIDs[1]: invalid value "subnet-0aaaaaaaaaaaaaaa5": one subnet per Availability Zone`},
		{"missing", []string{publicA, "subnet-0ccccccccccccccc1"}, false, `SubnetIDs[1]: invalid value "subnet-0ccccccccccccccc1": an existing subnet`},
		{"private, own table", []string{privateA, publicC}, false, `SubnetIDs[0]: invalid value "subnet-0aaaaaaaaaaaaaaa4": a public subnet: its route table rtb-0aaaaaaaaaaaaaaa2 has no route 0.0.0.0/0 to an internet gateway`},
		{"IPv6 without a block, first", []string{publicA, dualstackC}, true, `SubnetIDs[0]: invalid value "subnet-0aaaaaaaaaaaaaaa1": a subnet with an IPv6 block`},
		{"IPv6 without a block", []string{dualstackC, publicD}, true, `SubnetIDs[1]: invalid value "subnet-0aaaaaaaaaaaaaaa3": a subnet with an IPv6 block`},
		// An IPv6 block but no ::/0 route: IPv6 clients of a dualstack load balancer get nothing.
		{"IPv6 without a route", []string{dualstackC, ipv4OnlyRouteD}, true,
			`SubnetIDs[1]: invalid value "subnet-0aaaaaaaaaaaaaaa7": a public subnet: its route table rtb-0aaaaaaaaaaaaaaa3 has no route ::/0 to an internet gateway`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := baseArgs()
			args.VpcID, args.SubnetIDs, args.IPv6 = vpcID, tt.subnets, tt.ipv6
			var registered []plan.Resource
			p, err := runIn("ap-northeast-1", existingNetwork(), args)
			if p != nil {
				registered = p.Resources
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			for _, r := range registered {
				if r.Custom {
					t.Errorf("%s was registered before the error", r.URN)
				}
			}
		})
	}

	// A subnet without a table of its own uses the VPC's main table, which routes to the
	// internet here; one with its own table routing to a NAT gateway is refused.
	args := baseArgs()
	args.VpcID, args.SubnetIDs = vpcID, []string{publicC, publicD}
	if _, err := runIn("ap-northeast-1", existingNetwork(), args); err != nil {
		t.Fatalf("public subnets (main table, own table) refused: %v", err)
	}
}

// TestInstanceTypeZones: the instance and the created subnets go only where the instance type
// is offered, and a type offered in too few of the zones is refused, naming InstanceType.
func TestInstanceTypeZones(t *testing.T) {
	// us-east-1a is use1-az3 in this account, which offers no t3.
	p, _ := runSite(t, "us-east-1", baseArgs())
	var zones []any
	for _, s := range p.OfType(subnetType) {
		zones = append(zones, s.Inputs["availabilityZone"])
	}
	if fmt.Sprint(zones) != "[us-east-1b us-east-1c]" {
		t.Errorf("created subnets in %v, want us-east-1b and us-east-1c (us-east-1a offers no t3)", zones)
	}

	args := baseArgs()
	args.InstanceType = "m8g.large" // offered in ap-northeast-1a (apne1-az4) only
	if _, err := runIn("ap-northeast-1", mockcloud.Existing{}, args); err == nil ||
		!strings.Contains(err.Error(), `InstanceType: invalid value "m8g.large": a type offered in at least two Availability Zones of ap-northeast-1, which the load balancer spans; m8g.large is offered in ap-northeast-1a`) {
		t.Errorf("error = %v", err)
	}

	args.VpcID, args.SubnetIDs = vpcID, []string{publicC, publicA}
	p, err := runIn("ap-northeast-1", existingNetwork(), args)
	if err != nil {
		t.Fatal(err)
	}
	if got := plan.Get(p.OfType(groupType)[0].Inputs, "vpcZoneIdentifiers").([]any); len(got) != 1 || got[0] != publicA {
		t.Errorf("the group spans %v, want only %s, the subnet whose zone offers m8g", got, publicA)
	}
	args.SubnetIDs = []string{publicC, publicD}
	if _, err := runIn("ap-northeast-1", existingNetwork(), args); err == nil ||
		!strings.Contains(err.Error(), `InstanceType: invalid value "m8g.large": a type offered in the Availability Zone of one of SubnetIDs`) {
		t.Errorf("error = %v", err)
	}
}

func TestTwoSitesDoNotCollide(t *testing.T) {
	p, err := plan.RunInAccount("ap-northeast-1", account(mockcloud.Existing{}), func(ctx *pulumi.Context) error {
		if _, err := New(ctx, "blue", baseArgs()); err != nil {
			return err
		}
		_, err := New(ctx, "green", baseArgs())
		return err
	}, plan.Strict)
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
			a.VpcID, a.SubnetIDs = "vpc-12345678", []string{"subnet-12345678"}
		}, `SubnetIDs: invalid value "1 subnet": at least two subnets`},
		{"subnets without VPC", func(a *Args) {
			a.SubnetIDs = []string{"subnet-12345678", "subnet-87654321"}
		}, `SubnetIDs: invalid value "2 subnets": VpcID and SubnetIDs together`},
		{"VPC id", func(a *Args) {
			a.VpcID, a.SubnetIDs = "vpc-xyz", []string{"subnet-12345678", "subnet-87654321"}
		}, `VpcID: invalid value "vpc-xyz"`},
		{"subnet id", func(a *Args) {
			a.VpcID, a.SubnetIDs = "vpc-12345678", []string{"subnet-12345678", "subnet-x"}
		}, `SubnetIDs[1]: invalid value "subnet-x"`},
		{"instance type", func(a *Args) { a.InstanceType = "t3" }, `InstanceType: invalid value "t3"`},
		{"ami", func(a *Args) { a.AmiID = "ami-xyz" }, `AmiID: invalid value "ami-xyz"`},
		{"no instance", func(a *Args) { a.InstanceCount = pulumi.IntRef(0) }, `InstanceCount: invalid value "0": a whole number from 1 to 20`},
		{"too many instances", func(a *Args) { a.InstanceCount = pulumi.IntRef(21) }, `InstanceCount: invalid value "21": a whole number from 1 to 20`},
		{"max below count", func(a *Args) { a.InstanceCount, a.MaxInstanceCount = pulumi.IntRef(3), pulumi.IntRef(2) }, `MaxInstanceCount: invalid value "2": a whole number from InstanceCount (3) to 20`},
		{"CPU target", func(a *Args) { a.MaxInstanceCount, a.ScaleOnCPUPercent = pulumi.IntRef(3), pulumi.IntRef(95) }, `ScaleOnCPUPercent: invalid value "95": a whole number from 10 to 90`},
		{"zero interval, not the default", func(a *Args) { a.TargetCheckInterval = pulumi.IntRef(0) }, `TargetCheckInterval: invalid value "0": a whole number from 5 to 300`},
		{"interval", func(a *Args) { a.TargetCheckInterval = pulumi.IntRef(400) }, `TargetCheckInterval: invalid value "400": a whole number from 5 to 300`},
		{"timeout", func(a *Args) { a.TargetCheckInterval, a.TargetCheckTimeout = pulumi.IntRef(5), pulumi.IntRef(6) }, `TargetCheckTimeout: invalid value "6": less than TargetCheckInterval (5 s)`},
		{"threshold", func(a *Args) { a.TargetUnhealthyThreshold = pulumi.IntRef(1) }, `TargetUnhealthyThreshold: invalid value "1"`},
		{"page", func(a *Args) { a.MainPage = strings.Repeat("<p>", 5000) }, `MainPage: invalid value "15000 bytes"`},
		{"origin outside the domain", func(a *Args) { a.CloudFrontOrigin = &edgeorigin.Origin{Name: "origin.example.org"} },
			`CloudFrontOrigin.Name: invalid value "origin.example.org": a name under example.com`},
		{"origin that is served", func(a *Args) { a.CloudFrontOrigin = &edgeorigin.Origin{Name: "www.example.com"} },
			`CloudFrontOrigin.Name: invalid value "www.example.com": a name that is not served`},
		{"secret with a wildcard", func(a *Args) {
			a.CloudFrontOrigin = &edgeorigin.Origin{Name: "origin.example.com", Secret: pulumi.String("0123456789abcdef?")}
		}, `CloudFrontOrigin.Secret: invalid value "[secret]": 16-128 characters without * or ?`},
		{"secret from config, too long", func(a *Args) {
			a.CloudFrontOrigin = &edgeorigin.Origin{Name: "origin.example.com", Secret: pulumi.ToSecret(pulumi.String(strings.Repeat("x", 129))).(pulumi.StringOutput)}
		}, `CloudFrontOrigin.Secret: invalid value "[secret]": 16-128 characters`},
		{"origin without a zone", func(a *Args) {
			a.ZoneID, a.CertificateARN = nil, pulumi.String("arn:aws:acm:ap-northeast-1:123456789012:certificate/x")
			a.CloudFrontOrigin = &edgeorigin.Origin{Name: "origin.example.com"}
		}, `ZoneID: invalid value "": the zone that publishes CloudFrontOrigin.Name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := baseArgs()
			tt.mutate(args)
			p, err := runIn("ap-northeast-1", mockcloud.Existing{}, args)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			if p != nil && len(p.Resources) != 0 {
				t.Fatalf("%d resources registered before the error", len(p.Resources))
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

// laterTemplate is the simulated account with the site's launch template at version 3, as after
// two page changes: a fresh plan has it at 1, where a group pinned to "1" looks right.
type laterTemplate struct{ *mockcloud.Cloud }

func (l laterTemplate) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	id, outs, err := l.Cloud.NewResource(args)
	if err == nil && args.TypeToken == templateType {
		outs["latestVersion"] = resource.NewNumberProperty(3)
	}
	return id, outs, err
}

// TestGroupFollowsTheTemplatesLatestVersion: the group launches the version the template is at,
// whatever its number, so that a page change reaches the instances.
func TestGroupFollowsTheTemplatesLatestVersion(t *testing.T) {
	cloud := mockcloud.New("test", "test", "ap-northeast-1")
	cloud.Add(account(mockcloud.Existing{}))
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		_, err := New(ctx, "main", baseArgs())
		return err
	}, pulumi.WithMocks("test", "test", laterTemplate{cloud}), func(info *pulumi.RunInfo) {
		info.Config = map[string]string{"aws:region": "ap-northeast-1"}
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range cloud.Resources() {
		if r.Type != groupType {
			continue
		}
		if got := resource.PropertyMap(r.Inputs)["launchTemplate"].ObjectValue()["version"]; !got.IsString() || got.StringValue() != "3" {
			t.Errorf("the group launches version %v of a template at version 3", got)
		}
		return
	}
	t.Fatal("no Auto Scaling group")
}

// refused fails t unless err is what want says ("" for accepted), and reports whether the run
// was refused, so that a table's accepted cases go on to their checks.
func refused(t *testing.T, err error, want string) bool {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Fatal(err)
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		t.Fatalf("error = %v, want %q", err, want)
	}
	return want != ""
}

// sameProgramNetwork creates a public network as an importer's program would (a VPC, an attached
// internet gateway, a default route, two subnets in two zones) and returns it as Args.Network.
func sameProgramNetwork(ctx *pulumi.Context, waitForRoutes bool) (*Network, error) {
	vpc, err := ec2.NewVpc(ctx, "net", &ec2.VpcArgs{CidrBlock: pulumi.String("10.8.0.0/16")})
	if err != nil {
		return nil, err
	}
	igw, err := ec2.NewInternetGateway(ctx, "net", &ec2.InternetGatewayArgs{VpcId: vpc.ID()})
	if err != nil {
		return nil, err
	}
	table, err := ec2.NewRouteTable(ctx, "net", &ec2.RouteTableArgs{VpcId: vpc.ID()})
	if err != nil {
		return nil, err
	}
	route, err := ec2.NewRoute(ctx, "net", &ec2.RouteArgs{RouteTableId: table.ID(), GatewayId: igw.ID(), DestinationCidrBlock: pulumi.String("0.0.0.0/0")})
	if err != nil {
		return nil, err
	}
	n := &Network{VpcID: vpc.ID()}
	var subnets pulumi.StringArray
	for i, az := range []string{"eu-west-1a", "eu-west-1b"} {
		s, err := ec2.NewSubnet(ctx, fmt.Sprint("net-", i), &ec2.SubnetArgs{VpcId: vpc.ID(), CidrBlock: pulumi.Sprintf("10.8.%d.0/24", i), AvailabilityZone: pulumi.String(az)})
		if err != nil {
			return nil, err
		}
		a, err := ec2.NewRouteTableAssociation(ctx, fmt.Sprint("net-", i), &ec2.RouteTableAssociationArgs{SubnetId: s.ID(), RouteTableId: table.ID()})
		if err != nil {
			return nil, err
		}
		subnets = append(subnets, s.ID())
		if waitForRoutes {
			n.Ready = append(n.Ready, a)
		}
	}
	if waitForRoutes {
		n.Ready = append(n.Ready, route)
	}
	n.SubnetIDs = subnets
	return n, nil
}

// TestNetworkFromTheSameProgram: a VPC and subnets the same program creates are passed as
// outputs; nothing of them is looked up, the load balancer and the group use them, and the load
// balancer waits for what makes them public (AWS refuses it in a VPC without an attached
// internet gateway). Network and VpcID together, or a Network without subnets, are refused
// before anything is registered.
func TestNetworkFromTheSameProgram(t *testing.T) {
	for _, tt := range []struct {
		name          string
		waitForRoutes bool
		change        func(*Args)
		want          string // "" for accepted
	}{
		{"with what makes it public", true, nil, ""},
		{"without waiting for the gateway", false, nil, "has no internet gateway"},
		{"beside VpcID", true, func(a *Args) { a.VpcID = "vpc-0123456789abcdef0" }, `Network: invalid value "set": nil when VpcID or SubnetIDs give the network`},
		{"without subnets", true, func(a *Args) { a.Network.SubnetIDs = nil }, "Network.SubnetIDs"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := plan.RunInAccount("eu-west-1", account(mockcloud.Existing{}), func(ctx *pulumi.Context) error {
				n, err := sameProgramNetwork(ctx, tt.waitForRoutes)
				if err != nil {
					return err
				}
				args := baseArgs()
				args.Network = n
				if tt.change != nil {
					tt.change(args)
				}
				_, err = New(ctx, "main", args)
				return err
			}, plan.Strict)
			if refused(t, err, tt.want) {
				return
			}
			var subnets []any
			for _, s := range p.OfType(awstype.Subnet) {
				subnets = append(subnets, s.ID)
			}
			alb := p.Find(awstype.LoadBalancer, "main-alb")
			group := p.OfType(awstype.AutoScalingGroup)[0]
			if len(subnets) != 2 || !reflect.DeepEqual(alb.Inputs["subnets"], subnets) || !reflect.DeepEqual(group.Inputs["vpcZoneIdentifiers"], subnets) {
				t.Errorf("the load balancer spans %v and the group launches in %v, want the program's subnets %v",
					alb.Inputs["subnets"], group.Inputs["vpcZoneIdentifiers"], subnets)
			}
			for _, i := range p.Invokes {
				if i.Token == awstype.GetSubnet || i.Token == awstype.GetVpc {
					t.Errorf("looked up %s: the network is the program's own", i.Token)
				}
			}
		})
	}
}

// TestImageFromTheSameProgram: an image given as an output boots the instances unchecked (no
// image lookup); beside AmiID it is refused before anything is registered.
func TestImageFromTheSameProgram(t *testing.T) {
	const parameter = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
	for _, tt := range []struct {
		name, amiID, want string
	}{
		{"an image output", "", ""},
		{"beside AmiID", "ami-0123456789abcdef0", `Image: invalid value "set": nil when AmiID names the image`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var image string
			p, err := plan.RunInAccount("eu-west-1", account(mockcloud.Existing{}), func(ctx *pulumi.Context) error {
				args := baseArgs()
				args.AmiID = tt.amiID
				args.Image = ssm.LookupParameterOutput(ctx, ssm.LookupParameterOutputArgs{Name: pulumi.String(parameter)}).Value()
				args.Image.ToStringOutput().ApplyT(func(v string) string { image = v; return v })
				_, err := New(ctx, "main", args)
				return err
			}, plan.Strict)
			if refused(t, err, tt.want) {
				return
			}
			template := p.OfType(templateType)[0]
			if template.Inputs["imageId"] != image || image == "" {
				t.Errorf("the launch template boots %v, want the given image %q", template.Inputs["imageId"], image)
			}
			for _, i := range p.Invokes {
				if i.Token == awstype.GetAmi || i.Token == awstype.GetParameter && i.Args["name"] != parameter {
					t.Errorf("looked an image up (%s) although one was given", i.Token)
				}
			}
		})
	}
}
