package failover

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
)

// PendingCreate is a create a killed pulumi up had started: the resource's URN, type and inputs,
// as pulumi stack export writes it under pending_operations.
type PendingCreate struct {
	// URN, Type and Parent are the resource's URN, type token and parent's URN.
	URN    string `json:"urn"`
	Type   string `json:"type"`
	Parent string `json:"parent"`
	// Provider is the reference (URN::ID) of the provider it was being created with.
	Provider string `json:"provider"`
	// Inputs are the inputs the create was called with.
	Inputs map[string]any `json:"inputs"`
}

// Name is the resource's name: the end of its URN.
func (c PendingCreate) Name() string { return c.URN[strings.LastIndex(c.URN, "::")+2:] }

// ProviderRegion is the region of the provider a pending create was made with, as the state
// holds it ("" if it does not).
func (s *State) ProviderRegion(c PendingCreate) string {
	urn := c.Provider
	if i := strings.LastIndex(urn, "::"); i >= 0 {
		urn = urn[:i]
	}
	for _, r := range s.Resources {
		if r.URN == urn {
			region, _ := r.Inputs["region"].(string)
			return region
		}
	}
	return ""
}

// ImportID is the id under which pulumi import adopts what a pending create made, for a resource
// whose create AWS refuses once the object exists and whose import id its inputs give (the AWS
// provider's "Import" sections, https://www.pulumi.com/registry/packages/aws/api-docs/):
//   - a Route 53 record ("Tried to create resource record set ... but it already exists",
//     ChangeResourceRecordSets; the failover records are never written over, so that a
//     hand-made record is not lost): ZONEID_NAME_TYPE, and _SETIDENTIFIER for a failover record
//     (route53/record/#import);
//   - a route (RouteAlreadyExists): ROUTETABLEID_DESTINATION (ec2/route/#import);
//   - a subnet's route table association (Resource.AlreadyAssociated): SUBNETID/ROUTETABLEID
//     (ec2/routetableassociation/#import).
//
// "" for the other types: a setting AWS writes again, a resource made again beside the first, or
// one whose id only AWS knows.
func ImportID(c PendingCreate) string {
	str := func(k string) string { s, _ := c.Inputs[k].(string); return s }
	// join is the parts joined by sep, or "" when one is missing.
	join := func(sep string, parts ...string) string {
		if slices.Contains(parts, "") {
			return ""
		}
		return strings.Join(parts, sep)
	}
	switch c.Type {
	case awstype.Record:
		id := join("_", str("zoneId"), strings.TrimSuffix(str("name"), "."), str("type"))
		if set := str("setIdentifier"); set != "" && id != "" {
			id += "_" + set
		}
		return id
	case awstype.Route:
		return join("_", str("routeTableId"), str("destinationCidrBlock")+str("destinationIpv6CidrBlock"))
	case awstype.RouteTableAssociation:
		return join("/", str("subnetId"), str("routeTableId"))
	}
	return ""
}

// RefreshArgs is the pulumi refresh that recovers from an interrupted pulumi up: it reads every
// resource back and clears the pending creates, for the next pulumi up to make.
var RefreshArgs = []string{"refresh", "--yes", "--clear-pending-creates"}

// ImportArgs is the pulumi import that adopts, under its URN, what a pending create made that AWS
// will not make twice (ImportID); nil for the others. (pulumi refresh --import-pending-creates
// would be the place, but Pulumi 3.274 drops the pending import without adopting the resource.)
func ImportArgs(c PendingCreate) []string { return importArgs(c, ImportID(c)) }

// importArgs is the pulumi import of a pending create under the id given.
func importArgs(c PendingCreate, id string) []string {
	if id == "" || c.Parent == "" {
		return nil
	}
	return []string{"import", c.Type, c.Name(), id, "--parent", "parent=" + c.Parent,
		"--yes", "--protect=false", "--generate-code=false"}
}

// recoverStack runs `failover recover`: it reads the stack export the user kept, runs the pulumi
// refresh of RefreshArgs and the imports of ImportArgs (asking AWS, with loadAWS's settings, for
// the ids only AWS knows: LookupImportID), and says what each other pending create may have left
// in AWS.
func recoverStack(ctx context.Context, args []string, stdout, stderr io.Writer, loadAWS func(context.Context) (aws.Config, error)) int {
	flags := flag.NewFlagSet("failover recover", flag.ContinueOnError)
	flags.SetOutput(stderr)
	stackName := flags.String("stack", "", "the stack (default: the selected one)")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if flags.NArg() != 1 {
		fmt.Fprintln(stderr, "failover recover: give the file pulumi stack export --file wrote after the interrupted pulumi up")
		return 2
	}
	state, err := readStateFile(flags.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "failover recover:", err)
		return 1
	}
	run := func(args []string) error {
		if *stackName != "" {
			args = append(args, "--stack", *stackName)
		}
		fmt.Fprintln(stdout, "pulumi", strings.Join(args, " "))
		cmd := exec.CommandContext(ctx, "pulumi", args...)
		cmd.Stdout, cmd.Stderr = stdout, stderr
		return cmd.Run()
	}
	if err := run(RefreshArgs); err != nil {
		fmt.Fprintln(stderr, "failover recover: pulumi refresh:", err)
		return 1
	}
	var cfg *aws.Config
	for _, c := range state.Pending {
		args := ImportArgs(c)
		if LooksUp(c) {
			if cfg == nil {
				loaded, err := loadAWS(ctx)
				if err != nil {
					fmt.Fprintf(stderr, "failover recover: AWS credentials and settings, to find what %s %s made: %v\n", c.Type, c.Name(), err)
					return 1
				}
				cfg = &loaded
			}
			id, err := LookupImportID(ctx, *cfg, state.ProviderRegion(c), c)
			if err != nil {
				fmt.Fprintf(stderr, "failover recover: %s %s: %v\n", c.Type, c.Name(), err)
				return 1
			}
			if id == "" {
				fmt.Fprintf(stdout, "pending create %s %s: cleared; AWS holds none, the next pulumi up makes it\n", c.Type, c.Name())
				continue
			}
			args = importArgs(c, id)
		}
		if args == nil {
			fmt.Fprintf(stdout, "pending create %s %s: cleared; if AWS made it, the next pulumi up writes it again or makes another (then delete the first: its name starts with %s)\n", c.Type, c.Name(), c.Name())
			continue
		}
		// AWS may not have made it before pulumi up was killed: then there is nothing to import,
		// and the next pulumi up makes it.
		if err := run(args); err != nil {
			fmt.Fprintf(stdout, "pending create %s %s: not imported (%v): if AWS did not make it, the next pulumi up does\n", c.Type, c.Name(), err)
		} else {
			fmt.Fprintf(stdout, "pending create %s %s: imported\n", c.Type, c.Name())
		}
	}
	return 0
}
