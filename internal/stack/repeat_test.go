package stack

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
)

// TestRepeatedCreate: after an interrupted pulumi up whose pending creates were cleared
// (pulumi refresh --clear-pending-creates), the next up creates again what AWS holds already.
// The stack's resources whose call names them by their inputs are answered as AWS answers that
// call: a Put (a bucket's settings, the page, a record written with allowOverwrite, a listener
// certificate) writes it again; a route to a destination the table routes is refused; a record
// set that exists is refused to a CREATE. (The other types' answers to a repeated create are
// not modelled yet: a subnet's CIDR, a security group rule, an association, a listener's port,
// a distribution's aliases would each be refused by AWS, which the account does not check.)
func TestRepeatedCreate(t *testing.T) {
	writesAgain := []string{awstype.BucketEncryption, awstype.BucketPolicy, awstype.BucketPublicAccessBlock,
		awstype.BucketOwnershipControls, awstype.BucketObject, awstype.ListenerCertificate}
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
				if !r.Custom || r.Read {
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
				overwrite := r.Inputs["allowOverwrite"].IsBool() && r.Inputs["allowOverwrite"].BoolValue()
				same := 0
				for _, held := range a.Resources {
					if held.URN == r.URN {
						same++
					}
				}
				switch {
				case r.Type != awstype.Route && r.Type != awstype.Record && !slices.Contains(writesAgain, r.Type):
				case r.Type == awstype.Route:
					if err == nil || !strings.Contains(err.Error(), "RouteAlreadyExists") {
						t.Errorf("%s %s: %v, want RouteAlreadyExists", r.Type, r.Name, err)
					}
				case r.Type == awstype.Record && !overwrite:
					if err == nil || !strings.Contains(err.Error(), "InvalidChangeBatch") {
						t.Errorf("%s %s: %v, want InvalidChangeBatch", r.Type, r.Name, err)
					}
				case r.Type == awstype.Record || slices.Contains(writesAgain, r.Type):
					if err != nil || id != r.ID || same != 1 {
						t.Errorf("%s %s: id %s (%v), %d held; want it written again: id %s, one held", r.Type, r.Name, id, err, same, r.ID)
					}
				}
			}
		})
	}
}
