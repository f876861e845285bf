// Command mockcloud-aws-plugin is the simulated AWS plugin (package awsplugin) as a Pulumi
// resource plugin binary, for the engine rehearsal: the tests install it as resource plugin aws
// 6.83.4 into a temporary PULUMI_HOME, never on PATH, and it refuses to start without the
// simulated account file (MOCKCLOUD_ACCOUNT).
package main

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud/awsplugin"
)

func main() {
	err := provider.Main("aws", func(*provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return awsplugin.New()
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
