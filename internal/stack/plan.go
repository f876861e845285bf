package stack

import (
	"strconv"

	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
	"github.com/seed-2b23e6e5/route53-failover/internal/stackconfig"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

// PlanOptions reads a stack's configuration for the offline plan (plan.LoadStack: the stack
// stackName, or the one configFile is named after) and sets up the simulated account for this
// program. What the account files describe (this package's JSON, or what `aws ec2
// describe-subnets` and `aws ec2 describe-route-tables` print) is taken as fact; anything else
// the stack uses but does not create (its hosted zone, a given VPC's subnets) is assumed to
// exist as the stack needs it, and listed in the plan's assumptions. A secret that cannot be
// decrypted offline takes a placeholder of its form, so that the program runs; the plan shows
// it as "[secret]".
func PlanOptions(projectDir, stackName, configFile string, accountFiles ...string) (plan.Options, error) {
	opts, err := plan.LoadStack(projectDir, stackName, configFile)
	if err != nil {
		return plan.Options{}, err
	}
	for _, key := range opts.SecretKeys {
		if placeholder, ok := stackconfig.OfflinePlaceholder(opts.Project, key); ok && opts.Config[key] == plan.Secret {
			opts.Config[key] = placeholder
		}
	}
	for _, file := range accountFiles {
		existing, err := mockcloud.ReadExisting(file)
		if err != nil {
			return plan.Options{}, err
		}
		opts.Existing.Add(existing)
	}
	ipv6, _ := strconv.ParseBool(opts.Config[stackconfig.KeyIn(opts.Project, stackconfig.KeyIPv6)])
	// The program is this project's: every resource type it uses must be simulated.
	opts.Strict = true
	opts.AssumeUnknown = &plan.Assume{VpcID: opts.Config[stackconfig.KeyIn(opts.Project, stackconfig.KeyVpcID)], IPv6: ipv6}
	return opts, nil
}
