package mainsite

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/naming"
	"github.com/seed-2b23e6e5/route53-failover/pkg/certificate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/edgeorigin"
)

// CloudFrontPrefixList is the AWS-managed prefix list of CloudFront's origin-facing addresses,
// looked up by name: its id differs per region (VPC User Guide, "AWS-managed prefix lists").
const CloudFrontPrefixList = "com.amazonaws.global.cloudfront.origin-facing"

// SecretRulePriority is the priority of the rule that forwards requests carrying the origin
// secret: the last one a listener allows, so that rules a stack adds (a path answered 403, say)
// come first, for CloudFront's requests too.
const SecretRulePriority = 50000

// Origin is what edge mode adds to the main site.
type Origin struct {
	// Record publishes Name as an alias to the load balancer.
	Record *route53.Record
	// Certificate covers Name; ListenerCertificate attaches it to the HTTPS listener.
	Certificate         *certificate.Certificate
	ListenerCertificate *lb.ListenerCertificate
	// SecretRule forwards only the requests that carry the secret (nil without one).
	SecretRule *lb.ListenerRule
	// Ready are the resources the distribution must wait for before it sends requests to Name.
	Ready []pulumi.Resource
}

// cloudFrontIngress admits HTTPS from CloudFront's origin-facing addresses only.
func (b *builder) cloudFrontIngress(albName string, alb *ec2.SecurityGroup) error {
	list, err := ec2.LookupManagedPrefixList(b.ctx, &ec2.LookupManagedPrefixListArgs{Name: pulumi.StringRef(CloudFrontPrefixList)}, b.parent)
	if err != nil {
		return err
	}
	return b.admit(alb, albName, 443, "cloudfront", vpc.SecurityGroupIngressRuleArgs{PrefixListId: pulumi.String(list.Id)})
}

// origin publishes the origin name, covers it with a certificate on the HTTPS listener and, with
// a secret, makes the listener forward only what carries it.
func (b *builder) origin() error {
	o := b.args.CloudFrontOrigin
	if o == nil {
		return nil
	}
	ctx, name, parent, site := b.ctx, b.name, b.parent, b.site
	origin := &Origin{}
	var err error
	recordName := naming.Child(name, "origin")
	if origin.Record, err = route53.NewRecord(ctx, recordName, &route53.RecordArgs{
		ZoneId: b.args.ZoneID,
		Name:   pulumi.String(o.Name),
		Type:   pulumi.String("A"),
		Aliases: route53.RecordAliasArray{route53.RecordAliasArgs{
			Name:                 site.LoadBalancer.DnsName,
			ZoneId:               site.LoadBalancer.ZoneId,
			EvaluateTargetHealth: pulumi.Bool(false),
		}},
	}, parent); err != nil {
		return err
	}
	if origin.Certificate, err = certificate.New(ctx, naming.Child(recordName, "cert"), &certificate.Args{
		Domain: o.Name, ZoneID: b.args.ZoneID, Tags: b.args.Tags,
	}, parent); err != nil {
		return err
	}
	if origin.ListenerCertificate, err = lb.NewListenerCertificate(ctx, naming.Child(recordName, "cert"), &lb.ListenerCertificateArgs{
		ListenerArn:    site.HTTPSListener.Arn,
		CertificateArn: origin.Certificate.CertificateARN,
	}, parent); err != nil {
		return err
	}
	origin.Ready = []pulumi.Resource{origin.Record, origin.ListenerCertificate}
	if o.Secret != nil {
		ruleName := naming.Child(name, "https", "from-cloudfront")
		if origin.SecretRule, err = lb.NewListenerRule(ctx, ruleName, &lb.ListenerRuleArgs{
			ListenerArn: site.HTTPSListener.Arn,
			Priority:    pulumi.Int(SecretRulePriority),
			Conditions: lb.ListenerRuleConditionArray{lb.ListenerRuleConditionArgs{
				HttpHeader: lb.ListenerRuleConditionHttpHeaderArgs{
					HttpHeaderName: pulumi.String(edgeorigin.SecretHeader),
					Values:         o.AcceptedSecrets(),
				},
			}},
			Actions: lb.ListenerRuleActionArray{lb.ListenerRuleActionArgs{
				Type:           pulumi.String("forward"),
				TargetGroupArn: site.TargetGroup.Arn,
			}},
			Tags: b.tags(ruleName),
		}, parent); err != nil {
			return err
		}
		origin.Ready = append(origin.Ready, origin.SecretRule)
	}
	site.Origin = origin
	return nil
}

// httpsDefaultAction is what the HTTPS listener does with a request no rule takes: forward it,
// or, when a secret guards the origin, refuse it.
func (b *builder) httpsDefaultAction() lb.ListenerDefaultActionArgs {
	if o := b.args.CloudFrontOrigin; o != nil && o.Secret != nil {
		return lb.ListenerDefaultActionArgs{
			Type: pulumi.String("fixed-response"),
			FixedResponse: lb.ListenerDefaultActionFixedResponseArgs{
				ContentType: pulumi.String("text/plain"),
				MessageBody: pulumi.String("Forbidden"),
				StatusCode:  pulumi.String("403"),
			},
		}
	}
	return lb.ListenerDefaultActionArgs{Type: pulumi.String("forward"), TargetGroupArn: b.site.TargetGroup.Arn}
}
