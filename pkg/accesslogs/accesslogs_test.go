package accesslogs

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestLoadBalancerPolicy: the region's Elastic Load Balancing account may put objects under the
// load balancer's prefix of the account's logs; in a region opened after August 2022, the log
// delivery service principal.
func TestLoadBalancerPolicy(t *testing.T) {
	for _, tt := range []struct{ region, principal string }{
		{"us-east-1", `{"AWS":"arn:aws:iam::127311923021:root"}`},
		{"ap-northeast-1", `{"AWS":"arn:aws:iam::582318560864:root"}`},
		{"ap-south-2", `{"Service":"logdelivery.elasticloadbalancing.amazonaws.com"}`},
	} {
		text, err := loadBalancerPolicy("arn:aws:s3:::logs", tt.region, "111122223333")
		if err != nil {
			t.Fatal(err)
		}
		var doc struct{ Statement []map[string]any }
		if err := json.Unmarshal([]byte(text), &doc); err != nil {
			t.Fatal(err)
		}
		principal, _ := json.Marshal(doc.Statement[0]["Principal"])
		if len(doc.Statement) != 1 || string(principal) != tt.principal || doc.Statement[0]["Action"] != "s3:PutObject" ||
			doc.Statement[0]["Resource"] != "arn:aws:s3:::logs/alb/AWSLogs/111122223333/*" {
			t.Errorf("%s: %s, want %s to put objects under alb/AWSLogs/111122223333/", tt.region, text, tt.principal)
		}
	}
}

func TestArgsValidate(t *testing.T) {
	for _, tt := range []struct{ region, want string }{
		{"eu-west-1", ""},
		{"", `Region: invalid value "": the load balancer's region: required`},
		{"af-south-1", `Region: invalid value "af-south-1": a region CloudFront delivers standard logs to`},
	} {
		err := (&Args{Region: tt.region}).Validate()
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("Region %q: %v, want %q", tt.region, err, tt.want)
		}
	}
}
