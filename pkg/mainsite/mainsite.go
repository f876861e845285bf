// Package mainsite owns the main site of the topology: an Auto Scaling group of EC2 instances
// running Apache, behind an internet-facing Application Load Balancer that serves HTTPS with a
// DNS-validated certificate and redirects HTTP to HTTPS, with the network it runs in when none is
// given. As CloudFront's origin (Args.CloudFrontOrigin, edge mode) the load balancer admits only
// CloudFront, answers for an origin name of its own, and can require a secret header.
package mainsite

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/naming"
	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/certificate"
)

// Type is the component's type token; changing it would replace every child.
const Type = "route53-failover:index:MainSite"

// RootDevice is the device Amazon Linux boots from, whose volume the launch template encrypts.
const RootDevice = "/dev/xvda"

// TLSPolicy is the HTTPS listener's security policy: TLS 1.3 and 1.2 only.
const TLSPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"

// MainSite is the site people reach while it is healthy. It exposes the resources it creates,
// so that a stack can build on them (a WAF association on LoadBalancer, a rule on
// HTTPSListener, another target in TargetGroup) without forking the component.
type MainSite struct {
	pulumi.ResourceState

	// LoadBalancer is the internet-facing Application Load Balancer.
	LoadBalancer *lb.LoadBalancer
	// TargetGroup holds the instance; the HTTPS listener forwards to it.
	TargetGroup *lb.TargetGroup
	// HTTPSListener serves port 443 with the certificate and TLSPolicy.
	HTTPSListener *lb.Listener
	// HTTPListener answers port 80 with a permanent redirect to HTTPS (nil with
	// CloudFrontOrigin: CloudFront reaches the site over HTTPS only).
	HTTPListener *lb.Listener
	// SecurityGroups are the load balancer's and the instance's.
	SecurityGroups SecurityGroups
	// LaunchTemplate is what the group launches: the image, the instance type, the page.
	LaunchTemplate *ec2.LaunchTemplate
	// AutoScalingGroup keeps InstanceCount instances serving, across the subnets' zones, and
	// replaces one the load balancer finds unhealthy.
	AutoScalingGroup *autoscaling.Group
	// ScalingPolicy keeps the group's average CPU near ScaleOnCPUPercent (nil without scaling).
	ScalingPolicy *autoscaling.Policy
	// VPC is the created VPC (nil when Args.VpcID was given).
	VPC *ec2.Vpc
	// Subnets are the created public subnets, one per Availability Zone (nil when
	// Args.SubnetIDs were given).
	Subnets []*ec2.Subnet
	// Certificate is the certificate MainSite requested (nil when Args.CertificateARN was given).
	Certificate *certificate.Certificate
	// Origin is what makes the site CloudFront's origin (nil without Args.CloudFrontOrigin).
	Origin *Origin

	// DNSName is the load balancer's DNS name (alias targets prefix it with "dualstack.").
	DNSName pulumi.StringOutput
	// ZoneID is the load balancer's canonical hosted zone id, for alias records.
	ZoneID pulumi.StringOutput
	// LoadBalancerARN is the load balancer's ARN.
	LoadBalancerARN pulumi.StringOutput
	// TargetGroupARN is the target group's ARN.
	TargetGroupARN pulumi.StringOutput
	// AutoScalingGroupName is the group's name.
	AutoScalingGroupName pulumi.StringOutput
	// URL is https:// and the load balancer's own DNS name. Its certificate is for Domain, so a
	// browser warns on this URL; it is for diagnosis, people use the domain.
	URL pulumi.StringOutput
	// CertificateARN is the load balancer's certificate, resolved once it is issued.
	CertificateARN pulumi.StringOutput
	// Settings are the target group's health check as built, for the failover estimate.
	Settings TargetCheck
	// IPv6 is true when the load balancer is dualstack.
	IPv6 bool
}

// SecurityGroups are MainSite's two security groups.
type SecurityGroups struct {
	// LoadBalancer admits HTTP and HTTPS from anywhere (with CloudFrontOrigin: HTTPS from
	// CloudFront's origin-facing addresses only) and sends only to the instance on 80.
	LoadBalancer *ec2.SecurityGroup
	// Instance admits HTTP from the load balancer only.
	Instance *ec2.SecurityGroup
}

// New builds the main site. Before it creates anything it reads what the account offers (the
// instance type's architecture and zones, the image, given subnets and their route tables) and
// refuses what would fail at launch, with an error that names the Args field.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*MainSite, error) {
	if args == nil {
		args = &Args{}
	}
	if err := args.Validate(); err != nil {
		return nil, err
	}
	if err := certificate.CheckSource(args.CertificateARN, args.ZoneID); err != nil {
		return nil, err
	}
	if o := args.CloudFrontOrigin; o != nil {
		if args.ZoneID == nil {
			return nil, validate.Invalid("ZoneID", "", "the zone that publishes CloudFrontOrigin.Name: required with CloudFrontOrigin", "CloudFrontOrigin.Name")
		}
		if err := o.CheckSecretOutput(ctx.Context()); err != nil {
			return nil, validate.Within("CloudFrontOrigin", err)
		}
	}
	a := args.WithDefaults()

	site := &MainSite{Settings: a.TargetCheck(), IPv6: a.IPv6}
	h := site.Settings
	inputs := pulumi.Map{
		"domain":         pulumi.String(a.Domain),
		"instanceType":   pulumi.String(a.InstanceType),
		"ipv6":           pulumi.Bool(a.IPv6),
		"cloudFrontOnly": pulumi.Bool(a.CloudFrontOrigin != nil),
		// The page as text: the launch template holds it base64-encoded, twice.
		"mainPage": pulumi.String(a.MainPage),
		"healthCheck": pulumi.Map{
			"path": pulumi.String(h.Path), "interval": pulumi.Int(h.Interval),
			"timeout": pulumi.Int(h.Timeout), "healthyThreshold": pulumi.Int(h.HealthyThreshold),
			"unhealthyThreshold": pulumi.Int(h.UnhealthyThreshold),
		},
	}
	if err := ctx.RegisterComponentResourceV2(Type, name, inputs, site, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(site)

	place, err := survey(ctx, &a, parent)
	if err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, name: name, args: &a, place: place, parent: parent, site: site}
	for _, step := range []func() error{
		b.network, b.certificate, b.securityGroups, b.targetGroup, b.launchTemplate, b.loadBalancer, b.listeners, b.origin, b.group,
	} {
		if err := step(); err != nil {
			return nil, err
		}
	}

	alb := site.LoadBalancer
	// Whoever aliases the name (the PRIMARY records) waits until the load balancer serves its
	// clients: the rules that admit them, the listeners, and the group, which is created only
	// once its instances are healthy. When a stack leaves edge mode, the records move back only
	// after the rules.
	ready := append(toAny(b.admitted), site.HTTPSListener.Arn, site.AutoScalingGroup.Name)
	site.DNSName = pulumi.All(append([]any{alb.DnsName}, ready...)...).ApplyT(func(v []any) string {
		return v[0].(string)
	}).(pulumi.StringOutput)
	site.ZoneID = alb.ZoneId
	site.LoadBalancerARN = alb.Arn
	site.TargetGroupARN = site.TargetGroup.Arn
	site.AutoScalingGroupName = site.AutoScalingGroup.Name
	site.URL = pulumi.Sprintf("https://%s", alb.DnsName)
	return site, ctx.RegisterResourceOutputs(site, pulumi.Map{
		"dnsName":              site.DNSName,
		"zoneId":               site.ZoneID,
		"loadBalancerArn":      site.LoadBalancerARN,
		"targetGroupArn":       site.TargetGroupARN,
		"autoScalingGroupName": site.AutoScalingGroupName,
		"url":                  site.URL,
	})
}

// builder creates MainSite's children, named after it and parented to it, one concern per step;
// each step sets the site's fields that later steps build on.
type builder struct {
	ctx    *pulumi.Context
	name   string
	args   *Args
	place  *placement
	parent pulumi.ResourceOrInvokeOption
	site   *MainSite

	// The network the site runs in: given or created.
	vpcID           pulumi.StringInput
	subnetIDs       pulumi.StringArrayInput
	instanceSubnets pulumi.StringArrayInput
	// public are the routes and associations that make a created network's subnets public: an
	// internet-facing load balancer must wait for them (AWS refuses one in a VPC without an
	// attached internet gateway).
	public []pulumi.Resource
	// rules are the security group rules between clients, the load balancer and the
	// instances: the load balancer moves to its group only once they exist. admitted are the
	// rules and the listener that let clients in, which the load balancer's DNS name waits for,
	// so that no record sends clients to it before it admits them.
	rules    []pulumi.Resource
	admitted []pulumi.StringOutput
	// egress is the rule that lets the instances out to the package mirrors.
	egress pulumi.Resource
	// certificateARN is the load balancer's certificate, given or requested.
	certificateARN pulumi.StringInput
}

func (b *builder) tags(child string) pulumi.StringMap { return naming.Tags(b.name, child, b.args.Tags) }

// certificate requests and validates the load balancer's certificate unless one was given.
func (b *builder) certificate() error {
	a := b.args
	b.certificateARN = a.CertificateARN
	if b.certificateARN == nil {
		cert, err := certificate.New(b.ctx, naming.Child(b.name, "cert"), &certificate.Args{
			Domain: a.Domain, AlternateNames: a.AlternateNames, ZoneID: a.ZoneID, Tags: a.Tags,
		}, b.parent)
		if err != nil {
			return err
		}
		b.site.Certificate = cert
		b.certificateARN = cert.CertificateARN
	}
	b.site.CertificateARN = b.certificateARN.ToStringOutput()
	return nil
}

// groupGracePeriod is how long the group ignores a new instance's failed load balancer checks:
// booting and installing Apache with dnf takes one to two minutes, and AWS's default of 300 s
// leaves room for a slow package mirror without keeping a broken instance long.
const groupGracePeriod = 300
