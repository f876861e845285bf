package mainsite

import (
	_ "embed"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/bootscript"
	"github.com/seed-2b23e6e5/route53-failover/internal/optional"
	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/accesslogs"
	"github.com/seed-2b23e6e5/route53-failover/pkg/certificate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/edgeorigin"
)

// DefaultMainPage is the page the instance serves unless Args.MainPage says otherwise: the
// original hand-built setup's green "Test Main Page!" heading.
//
//go:embed pages/index.html
var DefaultMainPage string

// Defaults, and AWS's limits for the target group's health check (ELB User Guide, "Health
// checks for Application Load Balancer target groups").
const (
	DefaultInstanceType       = "t3.micro"
	DefaultHealthCheckPath    = "/"
	DefaultInterval           = 10
	DefaultTimeout            = 5
	DefaultHealthyThreshold   = 2
	DefaultUnhealthyThreshold = 2
	DefaultInstanceCount      = 1
	DefaultScaleOnCPUPercent  = 50

	MinInstances, MaxInstances   = 1, 20
	MinCPUPercent, MaxCPUPercent = 10, 90

	MinInterval, MaxInterval   = 5, 300
	MinTimeout, MaxTimeout     = 2, 120
	MinThreshold, MaxThreshold = 2, 10

	// maxUserData is EC2's limit on user data, before base64 encoding.
	maxUserData = 16384
)

// pagePath is what the boot script writes a health check page at without quoting.
var pagePath = regexp.MustCompile(`^/[A-Za-z0-9._~/-]*$`)

// AmazonLinuxParameter returns the public SSM parameter that names the current Amazon Linux 2023
// image for an architecture (x86_64 or arm64).
func AmazonLinuxParameter(architecture string) string {
	return "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-" + architecture
}

// Args configure a MainSite.
type Args struct {
	// Domain is the apex name the site serves, such as example.com; the load balancer's
	// certificate covers it. Required.
	Domain string
	// AlternateNames are more names the certificate covers, such as www.example.com. Default none.
	AlternateNames []string
	// ZoneID is the public hosted zone that receives the certificate's validation records.
	// Required unless CertificateARN is given.
	ZoneID pulumi.StringInput
	// CertificateARN is an issued ACM certificate in the load balancer's region for Domain and
	// AlternateNames. Default: MainSite requests and DNS-validates one itself.
	CertificateARN pulumi.StringInput

	// VpcID is an existing VPC to run in, given together with SubnetIDs. Default: MainSite
	// creates a VPC (10.0.0.0/16) with two public subnets, in the first two Availability Zones
	// of the region that offer InstanceType.
	VpcID string
	// SubnetIDs are at least two public subnets of VpcID, one per Availability Zone: the load
	// balancer spans them all, and the Auto Scaling group launches instances in every one whose
	// zone offers InstanceType. New looks each up before it creates anything and refuses a subnet of another
	// VPC, a second subnet in one zone, and a subnet whose route table (its own, else the VPC's
	// main table) has no default route to an internet gateway. Default: the created subnets.
	SubnetIDs []string
	// Network is a network given as outputs of other resources: a VPC and subnets the same
	// program creates (an awsx VPC, say), in place of VpcID and SubnetIDs. Their ids are not
	// known before anything is created, so New checks nothing of them and leaves that to AWS
	// (subnets in one zone, no route to an internet gateway, a zone that does not offer
	// InstanceType: pulumi up fails there). Default nil.
	Network *Network

	// IPv6 makes the load balancer dualstack, so that it answers IPv6 clients too. With a
	// created network MainSite gives the VPC an Amazon-provided /56 and each subnet a /64; given
	// subnets must already have IPv6 blocks and a ::/0 route to an internet gateway. Default
	// false (IPv4 only).
	IPv6 bool

	// InstanceType is the EC2 instance type; its architecture (x86_64, or arm64 for Graviton
	// types such as t4g.micro) chooses the image. Default "t3.micro".
	InstanceType string
	// AmiID is the image the instances boot; its architecture must be the instance type's, and it
	// must boot from RootDevice.
	// Default: the current Amazon Linux 2023 image of that architecture, read from the public
	// SSM parameter at every update: a new release updates the launch template and rolls the
	// instances over to it, as a new page does. A given AmiID stays until you change it.
	AmiID string
	// Image is the image the instances boot as an output of another resource (an AMI the same
	// program copies or looks up), in place of AmiID. Nothing of it is checked before it exists:
	// an image of another architecture than InstanceType's, or one that does not boot from
	// RootDevice, fails when the instances start. Default nil.
	Image pulumi.StringInput
	// MainPage is the HTML the instances serve as /index.html. Default DefaultMainPage. Changing
	// it updates the launch template and rolls the group's instances over to it (new ones serve
	// before old ones go), so the site never drops below its capacity.
	MainPage string

	// InstanceCount is how many instances the Auto Scaling group keeps running and healthy,
	// 1-20: its minimum size, and what pulumi up waits for in the target group. Default 1; 2 or
	// more, spread over two zones, for production.
	InstanceCount *int
	// MaxInstanceCount is the most instances the group scales out to, InstanceCount-20.
	// Default InstanceCount (no scaling).
	MaxInstanceCount *int
	// ScaleOnCPUPercent is the average CPU the group's target-tracking policy keeps, 10-90; it
	// applies only when MaxInstanceCount is above InstanceCount. Default 50.
	ScaleOnCPUPercent *int

	// HealthCheckPath is the path the load balancer requests over HTTP on port 80 of the
	// instance; it must answer 200. Default "/". FailoverSite's Route 53 health check requests
	// it too.
	HealthCheckPath string
	// TargetCheckInterval is the seconds between the load balancer's checks, 5-300. Default 10.
	TargetCheckInterval *int
	// TargetCheckTimeout is the seconds before one check times out, 2-120 and less than
	// TargetCheckInterval. Default 5.
	TargetCheckTimeout *int
	// TargetHealthyThreshold is the passed checks that bring a target back, 2-10. Default 2.
	TargetHealthyThreshold *int
	// TargetUnhealthyThreshold is the failed checks that take a target out, 2-10. Default 2. A
	// target is out after between (TargetUnhealthyThreshold-1) and TargetUnhealthyThreshold
	// intervals of failed checks: 10-20 s with the defaults.
	TargetUnhealthyThreshold *int

	// CloudFrontOrigin, when set, makes the site the origin of a CloudFront distribution (edge
	// mode): the load balancer admits HTTPS from CloudFront's origin-facing addresses only (no
	// HTTP listener, nothing from the internet), answers for CloudFrontOrigin.Name, and with a
	// secret forwards only what carries it in edgeorigin.SecretHeader. Give the distribution
	// (edgefailover.Args.Origins.Primary.Origin) the same value. Default nil: the load balancer serves the internet.
	CloudFrontOrigin *edgeorigin.Origin
	// AccessLogs, when set, is where the load balancer writes its access logs (an
	// accesslogs.AccessLogs' LoadBalancer), turned on once the bucket lets it. Default nil: no
	// access logs.
	AccessLogs *accesslogs.Destination

	// Tags are added to every taggable child. Default none.
	Tags pulumi.StringMap
}

// TargetCheck is the target group's health check as it is built: Args with the defaults
// applied.
type TargetCheck struct {
	// Path is HealthCheckPath.
	Path string
	// Interval, Timeout, HealthyThreshold and UnhealthyThreshold are TargetCheckInterval,
	// TargetCheckTimeout, TargetHealthyThreshold and TargetUnhealthyThreshold.
	Interval, Timeout, HealthyThreshold, UnhealthyThreshold int
}

// TargetCheck returns the target group's health check these args build.
func (a Args) TargetCheck() TargetCheck {
	return TargetCheck{
		Path:               optional.String(a.HealthCheckPath, DefaultHealthCheckPath),
		Interval:           *optional.Int(a.TargetCheckInterval, DefaultInterval),
		Timeout:            *optional.Int(a.TargetCheckTimeout, DefaultTimeout),
		HealthyThreshold:   *optional.Int(a.TargetHealthyThreshold, DefaultHealthyThreshold),
		UnhealthyThreshold: *optional.Int(a.TargetUnhealthyThreshold, DefaultUnhealthyThreshold),
	}
}

// WithDefaults returns the args with every unset field at its default.
func (a Args) WithDefaults() Args {
	a.InstanceType = optional.String(a.InstanceType, DefaultInstanceType)
	a.InstanceCount = optional.Int(a.InstanceCount, DefaultInstanceCount)
	a.MaxInstanceCount = optional.Int(a.MaxInstanceCount, *a.InstanceCount)
	a.ScaleOnCPUPercent = optional.Int(a.ScaleOnCPUPercent, DefaultScaleOnCPUPercent)
	a.MainPage = optional.String(a.MainPage, DefaultMainPage)
	h := a.TargetCheck()
	a.HealthCheckPath = h.Path
	a.TargetCheckInterval, a.TargetCheckTimeout = &h.Interval, &h.Timeout
	a.TargetHealthyThreshold, a.TargetUnhealthyThreshold = &h.HealthyThreshold, &h.UnhealthyThreshold
	return a
}

// Validate checks the values of args after defaults (New also needs ZoneID or CertificateARN).
// Errors name the field (as field maps it), the value and what is allowed.
func (a Args) Validate() error {
	a = a.WithDefaults()
	if err := validate.ServedNames("Domain", a.Domain, "AlternateNames", a.AlternateNames); err != nil {
		return err
	}
	if a.Image != nil && a.AmiID != "" {
		return validate.Invalid("Image", "set", "nil when AmiID names the image", "AmiID")
	}
	if n := a.Network; n != nil {
		switch {
		case a.VpcID != "" || len(a.SubnetIDs) > 0:
			return validate.Invalid("Network", "set", "nil when VpcID or SubnetIDs give the network", "VpcID", "SubnetIDs")
		case n.VpcID == nil:
			return validate.Invalid("Network.VpcID", "", "the VPC: required")
		case n.SubnetIDs == nil:
			return validate.Invalid("Network.SubnetIDs", "", "at least two public subnets of the VPC in different Availability Zones: required")
		}
	}
	if (a.VpcID == "") != (len(a.SubnetIDs) == 0) {
		return validate.Invalid("SubnetIDs", subnetCount(len(a.SubnetIDs)),
			"VpcID and SubnetIDs together (an existing network), or neither (MainSite creates one)", "VpcID", "SubnetIDs")
	}
	if a.VpcID != "" {
		if err := validate.VPCID("VpcID", a.VpcID); err != nil {
			return err
		}
		if len(a.SubnetIDs) < 2 {
			return validate.Invalid("SubnetIDs", subnetCount(len(a.SubnetIDs)),
				"at least two subnets in different Availability Zones: an Application Load Balancer needs two")
		}
	}
	for i, id := range a.SubnetIDs {
		if err := validate.SubnetID(fmt.Sprintf("%s[%d]", "SubnetIDs", i), id); err != nil {
			return err
		}
	}
	if err := validate.IntRange("InstanceCount", *a.InstanceCount, MinInstances, MaxInstances); err != nil {
		return err
	}
	if err := validate.IntRange("MaxInstanceCount", *a.MaxInstanceCount, *a.InstanceCount, MaxInstances); err != nil {
		return validate.Invalid("MaxInstanceCount", fmt.Sprint(*a.MaxInstanceCount),
			fmt.Sprintf("a whole number from InstanceCount (%d) to %d", *a.InstanceCount, MaxInstances), "InstanceCount")
	}
	if err := validate.IntRange("ScaleOnCPUPercent", *a.ScaleOnCPUPercent, MinCPUPercent, MaxCPUPercent); err != nil {
		return err
	}
	if err := validate.InstanceType("InstanceType", a.InstanceType); err != nil {
		return err
	}
	if a.AmiID != "" {
		if err := validate.AMIID("AmiID", a.AmiID); err != nil {
			return err
		}
	}
	if n := len(BootScript(a.MainPage, a.TargetCheck().Path)); n > maxUserData {
		return validate.Invalid("MainPage", fmt.Sprintf("%d bytes", len(a.MainPage)),
			fmt.Sprintf("a page of at most about 11 KiB: the user data that carries it is %d bytes, EC2 allows %d", n, maxUserData))
	}
	h := a.TargetCheck()
	if err := validate.HealthCheckPath("HealthCheckPath", h.Path); err != nil {
		return err
	}
	if file, _, _ := strings.Cut(h.Path, "?"); !pagePath.MatchString(file) || strings.Contains(file, "/../") || strings.HasSuffix(file, "/..") {
		return validate.Invalid("HealthCheckPath", h.Path, "a path the instances' boot script can write a page at: letters, digits and . _ ~ - / (a query string aside), no .. segment")
	}
	// index.html is the main page's file: the boot script cannot make a directory of it.
	if strings.HasPrefix(bootscript.ServedFile(h.Path), bootscript.IndexFile+"/") {
		return validate.Invalid("HealthCheckPath", h.Path, "a path that is not under /index.html, the main page's file")
	}
	if err := validate.IntRange("TargetCheckInterval", h.Interval, MinInterval, MaxInterval); err != nil {
		return err
	}
	if err := validate.IntRange("TargetCheckTimeout", h.Timeout, MinTimeout, MaxTimeout); err != nil {
		return err
	}
	if h.Timeout >= h.Interval {
		return validate.Invalid("TargetCheckTimeout", fmt.Sprint(h.Timeout),
			fmt.Sprintf("less than TargetCheckInterval (%d s)", h.Interval), "TargetCheckInterval")
	}
	if err := validate.IntRange("TargetHealthyThreshold", h.HealthyThreshold, MinThreshold, MaxThreshold); err != nil {
		return err
	}
	if err := validate.IntRange("TargetUnhealthyThreshold", h.UnhealthyThreshold, MinThreshold, MaxThreshold); err != nil {
		return err
	}
	if o := a.CloudFrontOrigin; o != nil {
		return validate.Within("CloudFrontOrigin", o.ValidateFor(a.Domain, certificate.Names(a.Domain, a.AlternateNames)))
	}
	return nil
}

func subnetCount(n int) string {
	if n == 1 {
		return "1 subnet"
	}
	return fmt.Sprintf("%d subnets", n)
}

// Network is a VPC and its subnets as outputs of other resources (Args.Network).
type Network struct {
	// VpcID is the VPC. Required.
	VpcID pulumi.StringInput
	// SubnetIDs are at least two public subnets of VpcID in different Availability Zones: the
	// load balancer spans them, and the instances launch in them. Required.
	SubnetIDs pulumi.StringArrayInput
	// Ready are what makes the subnets public (the internet gateway's attachment, the default
	// routes, the route table associations): the load balancer waits for them, as AWS refuses
	// an internet-facing one in a VPC without an attached internet gateway. Default none.
	Ready []pulumi.Resource
}
