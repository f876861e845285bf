package stack

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
	"github.com/seed-2b23e6e5/route53-failover/internal/stackconfig"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

// TestAccessLogs: with accessLogs the load balancer and the distribution, in either mode, log
// to one private bucket of the stack's region, which the simulated account accepts only once the
// bucket lets each of them write (the policy for the load balancer, ACLs for CloudFront); the
// policy lets nothing but the region's log delivery write, under the load balancer's prefix.
func TestAccessLogs(t *testing.T) {
	for _, tt := range []struct {
		mode, region, principal, distribution string
	}{
		{"dns", "ap-northeast-1", `{"AWS":"arn:aws:iam::582318560864:root"}`, "site-error-cdn"},
		{"edge", "eu-west-1", `{"AWS":"arn:aws:iam::156460612806:root"}`, "site-edge-cdn"},
	} {
		t.Run(tt.mode+" "+tt.region, func(t *testing.T) {
			p := run(t, map[string]string{"aws:region": tt.region, stackconfig.Key(stackconfig.KeyAccessLogs): "true",
				stackconfig.Key(stackconfig.KeyFailoverMode): tt.mode})
			bucket := p.Find(awstype.Bucket, "site-logs")
			if bucket == nil || p.Region(bucket) != tt.region {
				t.Fatalf("no log bucket site-logs in %s", tt.region)
			}
			name := bucket.Outputs["bucket"]
			if p.Outputs["accessLogsBucket"] != name {
				t.Errorf("output accessLogsBucket = %v, want %v", p.Outputs["accessLogsBucket"], name)
			}
			alb := p.Find(awstype.LoadBalancer, "site-main-alb")
			logs, err := plan.Input[lb.LoadBalancerAccessLogs](alb, "accessLogs")
			if err != nil || logs.Bucket != name || logs.Enabled == nil || !*logs.Enabled || logs.Prefix == nil || *logs.Prefix != "alb" {
				t.Errorf("the load balancer's access logs: %+v (%v)", logs, err)
			}
			cdn := p.Find(awstype.Distribution, tt.distribution)
			if got := plan.Get(cdn.Inputs, "loggingConfig", "bucket"); got != bucket.Outputs["bucketDomainName"] {
				t.Errorf("the distribution logs to %v, want the log bucket %v", got, bucket.Outputs["bucketDomainName"])
			}
			ownership := p.Find(awstype.BucketOwnershipControls, "site-logs-ownership")
			if got := plan.Get(ownership.Inputs, "rule", "objectOwnership"); got != "BucketOwnerPreferred" {
				t.Errorf("object ownership %v: CloudFront's standard logs need ACLs", got)
			}
			block := p.Find(awstype.BucketPublicAccessBlock, "site-logs-public-access")
			for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
				if block.Inputs[k] != true {
					t.Errorf("the log bucket's public access block leaves %s off", k)
				}
			}
			var policy struct{ Statement []map[string]any }
			if err := json.Unmarshal([]byte(p.Find(awstype.BucketPolicy, "site-logs-policy").Inputs["policy"].(string)), &policy); err != nil {
				t.Fatal(err)
			}
			principal, _ := json.Marshal(policy.Statement[0]["Principal"])
			want := "arn:aws:s3:::" + name.(string) + "/alb/AWSLogs/123456789012/*"
			if len(policy.Statement) != 1 || string(principal) != tt.principal || policy.Statement[0]["Resource"] != want ||
				policy.Statement[0]["Action"] != "s3:PutObject" {
				t.Errorf("the log bucket's policy: %v, want %s to put objects at %s", policy.Statement, tt.principal, want)
			}
		})
	}
	t.Run("a region CloudFront delivers no logs to", func(t *testing.T) {
		_, err := plan.Run(testOptions(t, map[string]string{"aws:region": "me-central-1", stackconfig.Key(stackconfig.KeyAccessLogs): "true"}), Program)
		if want := stackconfig.Key(stackconfig.KeyAccessLogs) + `: invalid value "true": false in me-central-1`; err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error = %v, want %q", err, want)
		}
	})
	t.Run("off by default", func(t *testing.T) {
		p := run(t, nil)
		if p.Find(awstype.Bucket, "site-logs") != nil || plan.Get(p.Find(awstype.LoadBalancer, "site-main-alb").Inputs, "accessLogs") != nil {
			t.Error("access logs without accessLogs")
		}
	})
}
