package stack

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
)

// What AWS does with a call that creates what it holds already.
const (
	writtenAgain = "written again" // a Put: it replaces what it holds
	madeAgain    = "made again"    // another one, with ids and names of its own
)

// repeatedCreates are AWS's answers by resource type. A Put writes again (S3's Put* calls,
// ChangeResourceRecordSets with UPSERT, which allowOverwrite sends, AddListenerCertificates);
// a conflict is refused with AWS's error code (EC2's error codes, CreateListener's,
// CreateDistribution's; a CREATE of a record set that exists, ChangeResourceRecordSets); a
// resource AWS gives an id to, or that Pulumi auto-names (a new random suffix at each create),
// is made again. The types not listed are not modelled yet (an internet gateway attached to a
// VPC that has one, a topic's subscription, a policy attachment...).
var repeatedCreates = map[string]string{
	awstype.BucketEncryption: writtenAgain, awstype.BucketPolicy: writtenAgain,
	awstype.BucketPublicAccessBlock: writtenAgain, awstype.BucketOwnershipControls: writtenAgain,
	awstype.BucketObject: writtenAgain, awstype.ListenerCertificate: writtenAgain,
	awstype.Route: "RouteAlreadyExists", awstype.Subnet: "InvalidSubnet.Conflict",
	awstype.RouteTableAssociation: "Resource.AlreadyAssociated",
	awstype.IngressRule:           "InvalidPermission.Duplicate", awstype.EgressRule: "InvalidPermission.Duplicate",
	awstype.Listener: "DuplicateListener", awstype.Distribution: "CNAMEAlreadyExists",
	awstype.VPC: madeAgain, awstype.RouteTable: madeAgain, awstype.SecurityGroup: madeAgain,
	awstype.Bucket: madeAgain, awstype.Certificate: madeAgain, awstype.HealthCheck: madeAgain,
	awstype.LoadBalancer: madeAgain, awstype.TargetGroup: madeAgain, awstype.LaunchTemplate: madeAgain,
	awstype.AutoScalingGroup: madeAgain, awstype.Role: madeAgain, awstype.Function: madeAgain,
}

// TestRepeatedCreate: after an interrupted pulumi up whose pending creates were cleared
// (pulumi refresh --clear-pending-creates), the next up creates again what AWS holds already.
// Each of the stack's resources is answered as AWS answers its call (repeatedCreates): written
// again, refused with AWS's code, or made again beside the first, which is left behind.
func TestRepeatedCreate(t *testing.T) {
	for _, tt := range []struct {
		name   string
		config map[string]string
	}{{"dns mode", nil}, {"edge mode", edgeConfig(nil)}} {
		t.Run(tt.name, func(t *testing.T) {
			p := run(t, tt.config)
			file := filepath.Join(t.TempDir(), "account.json")
			if err := p.Account.SaveAccount(file); err != nil {
				t.Fatal(err)
			}
			for _, r := range p.Account.Resources {
				want, ok := repeatedCreates[r.Type]
				if r.Type == awstype.Record {
					// A record set that exists is refused to a CREATE, written again by an UPSERT.
					want, ok = "InvalidChangeBatch", true
					if r.Inputs["allowOverwrite"].IsBool() && r.Inputs["allowOverwrite"].BoolValue() {
						want = writtenAgain
					}
				}
				if !r.Custom || r.Read || !ok {
					continue
				}
				// The account as the interrupted up left it; the engine's next create of the
				// URN is its next generation.
				a, err := mockcloud.LoadAccount(file)
				if err != nil {
					t.Fatal(err)
				}
				a.Generations[r.URN]++
				a.Busy = nil
				id, _, err := mockcloud.ForEngine(a, r.Region).Create(r.URN, resource.PropertyMap(r.Inputs))
				held := 0
				for _, h := range a.Resources {
					if h.URN == r.URN {
						held++
					}
				}
				switch want {
				case writtenAgain:
					if err != nil || id != r.ID || held != 1 {
						t.Errorf("%s %s: id %s (%v), %d held; want it written again: id %s, one held", r.Type, r.Name, id, err, held, r.ID)
					}
				case madeAgain:
					if err != nil || id == r.ID || held != 2 {
						t.Errorf("%s %s: id %s (%v), %d held; want another beside %s", r.Type, r.Name, id, err, held, r.ID)
					}
				default:
					if err == nil || !strings.Contains(err.Error(), want+":") || held != 1 {
						t.Errorf("%s %s: %v, %d held; want %s", r.Type, r.Name, err, held, want)
					}
				}
			}
		})
	}
}
