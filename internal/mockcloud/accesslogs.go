package mockcloud

import (
	"slices"
	"strings"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
)

// Access logs: what Elastic Load Balancing and CloudFront check of a bucket when a load balancer
// or a distribution is told to log to it.

// elbLogAccounts are the accounts Elastic Load Balancing delivers access logs from in the regions
// available before August 2022; in later regions it delivers as the service principal
// logdelivery.elasticloadbalancing.amazonaws.com ("Enable access logs for your Application Load
// Balancer", step 2, Elastic Load Balancing User Guide).
var elbLogAccounts = map[string]string{
	"us-east-1": "127311923021", "us-east-2": "033677994240", "us-west-1": "027434742980", "us-west-2": "797873946194",
	"af-south-1": "098369216593", "ap-east-1": "754344448648", "ap-southeast-3": "589379963580",
	"ap-south-1": "718504428378", "ap-northeast-3": "383597477331", "ap-northeast-2": "600734575887",
	"ap-southeast-1": "114774131450", "ap-southeast-2": "783225319266", "ap-northeast-1": "582318560864",
	"ca-central-1": "985666609251", "eu-central-1": "054676820928", "eu-west-1": "156460612806",
	"eu-west-2": "652711504416", "eu-south-1": "635631232127", "eu-west-3": "009996457667",
	"eu-north-1": "897822967062", "me-south-1": "076674570225", "sa-east-1": "507241528517",
}

// noCloudFrontLogs are the regions CloudFront delivers no standard logs to ("Configure standard
// logging (legacy)", Amazon CloudFront Developer Guide).
var noCloudFrontLogs = []string{"af-south-1", "ap-east-1", "ap-south-2", "ap-southeast-3", "ap-southeast-4",
	"ca-west-1", "eu-central-2", "eu-south-1", "eu-south-2", "il-central-1", "me-central-1", "me-south-1"}

// checkLoadBalancerLogs is what turning a load balancer's access logs on checks, as
// ModifyLoadBalancerAttributes does ("Enable access logs for your Application Load Balancer"):
// the bucket is in the load balancer's region, encrypted with S3-managed keys if at all, and
// its policy lets the region's log delivery put objects under PREFIX/AWSLogs/ACCOUNT/.
func (r *request) checkLoadBalancerLogs(lb loadBalancerInputs) error {
	logs := lb.AccessLogs
	if !logs.Enabled {
		return nil
	}
	name := logs.Bucket
	denied := errorf("InvalidConfigurationRequest", "Access Denied for bucket: %s. Please check S3bucket permission", name)
	bucket, ok := r.cloud.resource(awstype.Bucket, name)
	if !ok || bucket.Region != r.region() {
		return denied
	}
	if sse, ok := r.cloud.resource(awstype.BucketEncryption, name); ok {
		for _, rule := range storedInputs[bucketEncryptionInputs](sse).Rules {
			if rule.ApplyServerSideEncryptionByDefault.SseAlgorithm != "AES256" {
				return denied
			}
		}
	}
	kind, principal := "Service", "logdelivery.elasticloadbalancing.amazonaws.com"
	if account, ok := elbLogAccounts[r.region()]; ok {
		kind, principal = "AWS", "arn:aws:iam::"+account+":root"
	}
	object := "arn:aws:s3:::" + name + "/"
	if prefix := logs.Prefix; prefix != "" {
		object += prefix + "/"
	}
	object += "AWSLogs/" + AccountID + "/test-object"
	policy, ok := r.cloud.resource(awstype.BucketPolicy, name)
	if !ok || !r.dependsOn(policy.URN) {
		return denied
	}
	for _, s := range statementsOf(policy) {
		if len(s.Condition) == 0 && s.allows(kind, principal, "s3:PutObject", object) {
			return nil
		}
	}
	return denied
}

// checkDistributionLogs is what CloudFront checks of a distribution's standard logging
// (legacy): the bucket (NAME.s3.amazonaws.com) exists in a region CloudFront delivers to, and
// has ACLs enabled, which a bucket's default Object Ownership, bucket owner enforced, disables
// ("Configure standard logging (legacy)"; "Controlling ownership of objects", S3 User Guide).
func (r *request) checkDistributionLogs(d distributionInputs) error {
	domain := d.LoggingConfig.Bucket
	if domain == "" {
		return nil
	}
	name, ok := strings.CutSuffix(domain, ".s3.amazonaws.com")
	bucket, exists := r.cloud.resource(awstype.Bucket, name)
	if !ok || !exists || slices.Contains(noCloudFrontLogs, bucket.Region) {
		return errorf("InvalidArgument", "The S3 bucket that you specified for CloudFront logs does not exist: %s", domain)
	}
	ownership, ok := r.cloud.resource(awstype.BucketOwnershipControls, name)
	if !ok || !r.dependsOn(ownership.URN) || storedInputs[ownershipControlsInputs](ownership).Rule.ObjectOwnership == "BucketOwnerEnforced" {
		return errorf("InvalidArgument", "The S3 bucket that you specified for CloudFront logs does not enable ACL access: %s", domain)
	}
	return nil
}
