package mainsite

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/naming"
)

// The load balancer: its security groups and their rules, the target group, and the listeners.

// securityGroups makes the load balancer's group (80 and 443 from anywhere, or with
// CloudFrontOrigin 443 from CloudFront only; out only to the instance on 80) and the instance's (80 from the load balancer only; out to anywhere, for
// package installs). Rules are separate resources so the two groups can name each other.
func (b *builder) securityGroups() error {
	ctx, name, parent, vpcID := b.ctx, b.name, b.parent, b.vpcID
	albName, instanceName := naming.Child(name, "alb", "sg"), naming.Child(name, "web", "sg")
	// One group for both modes, so that switching changes rules, never the group. A changed
	// description would replace it, so the description is kept as created: stacks from before
	// edge mode keep theirs ("HTTP and HTTPS from anywhere").
	alb, err := ec2.NewSecurityGroup(ctx, albName, &ec2.SecurityGroupArgs{
		VpcId: vpcID, Description: pulumi.String("Load balancer of " + name + ": its ingress rules say who may connect"), Tags: b.tags(albName),
	}, parent, pulumi.IgnoreChanges([]string{"description"}))
	if err != nil {
		return err
	}
	instance, err := ec2.NewSecurityGroup(ctx, instanceName, &ec2.SecurityGroupArgs{
		VpcId: vpcID, Description: pulumi.String("Web server of " + name + ": HTTP from its load balancer only"), Tags: b.tags(instanceName),
	}, parent)
	if err != nil {
		return err
	}
	if b.args.CloudFrontOrigin != nil {
		err = b.cloudFrontIngress(albName, alb)
	} else {
		err = b.internetIngress(albName, alb)
	}
	if err != nil {
		return err
	}
	toWeb, err := vpc.NewSecurityGroupEgressRule(ctx, naming.Child(albName, "to-web"), &vpc.SecurityGroupEgressRuleArgs{
		SecurityGroupId:           alb.ID(),
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(80),
		ToPort:                    pulumi.Int(80),
		ReferencedSecurityGroupId: instance.ID(),
		Tags:                      b.tags(naming.Child(albName, "to-web")),
	}, parent)
	if err != nil {
		return err
	}
	fromALB, err := vpc.NewSecurityGroupIngressRule(ctx, naming.Child(instanceName, "from-alb"), &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId:           instance.ID(),
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(80),
		ToPort:                    pulumi.Int(80),
		ReferencedSecurityGroupId: alb.ID(),
		Tags:                      b.tags(naming.Child(instanceName, "from-alb")),
	}, parent)
	if err != nil {
		return err
	}
	b.rules = append(b.rules, toWeb, fromALB)
	if b.egress, err = vpc.NewSecurityGroupEgressRule(ctx, naming.Child(instanceName, "out"), &vpc.SecurityGroupEgressRuleArgs{
		SecurityGroupId: instance.ID(),
		IpProtocol:      pulumi.String("-1"),
		CidrIpv4:        pulumi.String("0.0.0.0/0"),
		Tags:            b.tags(naming.Child(instanceName, "out")),
	}, parent); err != nil {
		return err
	}
	b.site.SecurityGroups = SecurityGroups{LoadBalancer: alb, Instance: instance}
	return nil
}

// admit lets clients from source reach the load balancer's group on port, with a rule named
// after the group, the port and the source, which the load balancer and its DNS name wait for.
func (b *builder) admit(alb *ec2.SecurityGroup, albName string, port int, sourceName string, source vpc.SecurityGroupIngressRuleArgs) error {
	ruleName := naming.Child(albName, fmt.Sprint(port), sourceName)
	source.SecurityGroupId, source.IpProtocol = alb.ID(), pulumi.String("tcp")
	source.FromPort, source.ToPort, source.Tags = pulumi.Int(port), pulumi.Int(port), b.tags(ruleName)
	rule, err := vpc.NewSecurityGroupIngressRule(b.ctx, ruleName, &source, b.parent)
	if err != nil {
		return err
	}
	b.rules = append(b.rules, rule)
	b.admitted = append(b.admitted, rule.ID().ToStringOutput())
	return nil
}

// internetIngress admits HTTP and HTTPS from anywhere, over IPv4 and IPv6.
func (b *builder) internetIngress(albName string, alb *ec2.SecurityGroup) error {
	for _, port := range []int{80, 443} {
		if err := b.admit(alb, albName, port, "ipv4", vpc.SecurityGroupIngressRuleArgs{CidrIpv4: pulumi.String("0.0.0.0/0")}); err != nil {
			return err
		}
		if err := b.admit(alb, albName, port, "ipv6", vpc.SecurityGroupIngressRuleArgs{CidrIpv6: pulumi.String("::/0")}); err != nil {
			return err
		}
	}
	return nil
}

// targetGroup makes the target group that checks the instances on port 80; the group puts
// them in it.
func (b *builder) targetGroup() error {
	ctx, name, parent, h := b.ctx, b.name, b.parent, b.site.Settings
	tgName := naming.Child(name, "tg")
	targetGroup, err := lb.NewTargetGroup(ctx, tgName, &lb.TargetGroupArgs{
		VpcId:      b.vpcID,
		Port:       pulumi.Int(80),
		Protocol:   pulumi.String("HTTP"),
		TargetType: pulumi.String("instance"),
		// AWS's default of 300 s only slows down replacing the instance.
		DeregistrationDelay: pulumi.Int(30),
		HealthCheck: &lb.TargetGroupHealthCheckArgs{
			Enabled:            pulumi.Bool(true),
			Protocol:           pulumi.String("HTTP"),
			Port:               pulumi.String("traffic-port"),
			Path:               pulumi.String(h.Path),
			Matcher:            pulumi.String("200"),
			Interval:           pulumi.Int(h.Interval),
			Timeout:            pulumi.Int(h.Timeout),
			HealthyThreshold:   pulumi.Int(h.HealthyThreshold),
			UnhealthyThreshold: pulumi.Int(h.UnhealthyThreshold),
		},
		Tags: b.tags(tgName),
	}, parent)
	if err != nil {
		return err
	}
	b.site.TargetGroup = targetGroup
	return nil
}

// loadBalancer makes the internet-facing load balancer across the subnets, once they are public.
func (b *builder) loadBalancer() error {
	albName := naming.Child(b.name, "alb")
	deps := append(append([]pulumi.Resource{}, b.public...), b.rules...)
	var logs *lb.LoadBalancerAccessLogsArgs
	if d := b.args.AccessLogs; d != nil {
		logs = &lb.LoadBalancerAccessLogsArgs{Bucket: d.Bucket, Prefix: pulumi.String(d.Prefix), Enabled: pulumi.Bool(true)}
		deps = append(deps, d.Ready...)
	}
	alb, err := lb.NewLoadBalancer(b.ctx, albName, &lb.LoadBalancerArgs{
		LoadBalancerType:        pulumi.String("application"),
		Internal:                pulumi.Bool(false),
		IpAddressType:           pulumi.String(ipAddressType(b.args.IPv6)),
		SecurityGroups:          pulumi.StringArray{b.site.SecurityGroups.LoadBalancer.ID()},
		Subnets:                 b.subnetIDs,
		DropInvalidHeaderFields: pulumi.Bool(true),
		AccessLogs:              logs,
		Tags:                    b.tags(albName),
	}, b.parent, pulumi.DependsOn(deps))
	b.site.LoadBalancer = alb
	return err
}

// listeners make the HTTPS listener that forwards to the target group and, unless only
// CloudFront reaches the site (over HTTPS), the HTTP listener that redirects to HTTPS.
func (b *builder) listeners() error {
	ctx, name, parent, alb := b.ctx, b.name, b.parent, b.site.LoadBalancer
	var err error
	b.site.HTTPSListener, err = lb.NewListener(ctx, naming.Child(name, "https"), &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn,
		Port:            pulumi.Int(443),
		Protocol:        pulumi.String("HTTPS"),
		SslPolicy:       pulumi.String(TLSPolicy),
		CertificateArn:  b.certificateARN,
		DefaultActions:  lb.ListenerDefaultActionArray{b.httpsDefaultAction()},
		Tags:            b.tags(naming.Child(name, "https")),
	}, parent)
	if err != nil || b.args.CloudFrontOrigin != nil {
		return err
	}
	if b.site.HTTPListener, err = lb.NewListener(ctx, naming.Child(name, "http"), &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn,
		Port:            pulumi.Int(80),
		Protocol:        pulumi.String("HTTP"),
		DefaultActions: lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
			Type: pulumi.String("redirect"),
			Redirect: &lb.ListenerDefaultActionRedirectArgs{
				Protocol:   pulumi.String("HTTPS"),
				Port:       pulumi.String("443"),
				StatusCode: pulumi.String("HTTP_301"),
			},
		}},
		Tags: b.tags(naming.Child(name, "http")),
	}, parent); err != nil {
		return err
	}
	b.admitted = append(b.admitted, b.site.HTTPListener.Arn)
	return nil
}

func toAny(outputs []pulumi.StringOutput) []any {
	out := make([]any, len(outputs))
	for i, o := range outputs {
		out[i] = o
	}
	return out
}

func ipAddressType(ipv6 bool) string {
	if ipv6 {
		return "dualstack"
	}
	return "ipv4"
}
