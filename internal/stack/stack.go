// Package stack owns the stack program: it reads and validates the config, builds the topology,
// and returns the stack outputs. main.go runs it under Pulumi; the offline plan and the tests run
// the very same function under the mock cloud.
package stack

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/stackconfig"
	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/topology"
)

// Project is the Pulumi project name.
const Project = "route53-failover"

// Program builds the stack and returns its outputs.
func Program(ctx *pulumi.Context) (pulumi.Map, error) {
	args, err := stackconfig.Load(ctx)
	if err != nil {
		return nil, err
	}
	site, err := topology.New(ctx, "site", args)
	if err != nil {
		// The components name their Args fields; the user wrote config keys.
		return nil, validate.Rename(err, func(field string) string { return stackconfig.FieldKey(ctx.Project(), field) })
	}
	return Outputs(site), nil
}

// Outputs are the stack outputs of a site: what the stack program exports, and what the
// component package's FailoverSite returns to a program in another language.
func Outputs(site *topology.FailoverSite) pulumi.Map {
	main, errorSite := site.MainSite, site.ErrorSite
	e := site.Estimate
	outputs := pulumi.Map{
		"siteUrl":       site.SiteURL,
		"healthCheckId": site.HealthCheckID,
		"nameServers":   site.NameServers,
		"failoverMode":  pulumi.String(site.Mode),
		"failoverEstimate": pulumi.Map{
			"mode":         pulumi.String(e.Mode),
			"detectionMin": pulumi.Int(e.DetectionMin), "detectionMax": pulumi.Int(e.DetectionMax),
			"typical": pulumi.Int(e.Typical), "worst": pulumi.Int(e.Worst), "unreachable": pulumi.Int(e.Unreachable),
		},
		"hostedZoneId":         site.ZoneID,
		"mainSiteUrl":          main.URL,
		"errorSiteUrl":         site.ErrorSiteURL,
		"distributionId":       site.DistributionID,
		"errorBucketName":      errorSite.BucketName,
		"albDnsName":           main.DNSName,
		"albZoneId":            main.ZoneID,
		"loadBalancerArn":      main.LoadBalancerARN,
		"targetGroupArn":       main.TargetGroupARN,
		"autoScalingGroupName": main.AutoScalingGroupName,
		// What `go run ./cmd/failover` checks and drills.
		"servedNames":         pulumi.ToStringArray(site.Names),
		"errorSiteDomainName": site.DistributionDomainName,
		"errorResponseCode":   pulumi.Int(errorSite.ResponseCode),
		"certificateArns":     pulumi.StringArray{main.CertificateARN, errorSite.CertificateARN},
	}
	if site.AccessLogs != nil {
		outputs["accessLogsBucket"] = site.AccessLogs.Bucket.Bucket
	}
	return outputs
}

// Run runs Program and exports its outputs: what main.go hands to pulumi.Run.
func Run(ctx *pulumi.Context) error {
	outputs, err := Program(ctx)
	if err != nil {
		return err
	}
	for name, value := range outputs {
		ctx.Export(name, value)
	}
	return nil
}
