package failover

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	tagging "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	taggingtypes "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
)

// State is a stack's resources as pulumi stack export writes them, and the creates it holds as
// pending (a killed pulumi up had started them).
type State struct {
	// Resources are the resources it holds.
	Resources []StateResource
	// Pending are the pending creates.
	Pending []PendingCreate
}

// StateResource is one resource of a State, with what tells it apart in AWS (its tags, its ARN).
type StateResource struct {
	// URN and Type are its URN and type token.
	URN  string `json:"urn"`
	Type string `json:"type"`
	// ID is its id in AWS, an ARN for some types.
	ID string `json:"id"`
	// Inputs and Outputs are its inputs (tags among them) and outputs (arn among them), secret
	// values encrypted.
	Inputs  map[string]any `json:"inputs"`
	Outputs map[string]any `json:"outputs"`
}

// ReadState reads a stack export (pulumi stack export --file FILE).
func ReadState(export []byte) (*State, error) {
	var doc struct {
		Deployment struct {
			Resources         []StateResource `json:"resources"`
			PendingOperations []struct {
				Resource PendingCreate `json:"resource"`
				Type     string        `json:"type"`
			} `json:"pending_operations"`
		} `json:"deployment"`
	}
	if err := json.Unmarshal(export, &doc); err != nil {
		return nil, fmt.Errorf("not a stack export (pulumi stack export --file FILE): %w", err)
	}
	state := &State{Resources: doc.Deployment.Resources}
	for _, op := range doc.Deployment.PendingOperations {
		if op.Type == "creating" {
			state.Pending = append(state.Pending, op.Resource)
		}
	}
	return state, nil
}

// readStateFile reads the stack export in a file.
func readStateFile(path string) (*State, error) {
	export, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ReadState(export)
}

// SharedTags are the tags that every resource of the state with a tags map carries, with their
// values: the stack's tags config key, and the tags a program gives its components. Secret values
// are left out (the export holds them encrypted). Empty when no tag is on all of them.
func (s *State) SharedTags() map[string]string {
	var shared map[string]string
	for _, r := range s.Resources {
		tags, ok := r.Inputs["tags"].(map[string]any)
		if !ok {
			continue // untaggable, or tags of another shape (an Auto Scaling group's list)
		}
		if shared == nil {
			shared = map[string]string{}
			for k, v := range tags {
				if s, ok := v.(string); ok {
					shared[k] = s
				}
			}
			continue
		}
		maps.DeleteFunc(shared, func(k, v string) bool { return tags[k] != v })
	}
	return shared
}

// ARNs are the ARNs the state's resources have: their arn outputs, and their ids where AWS gives
// an ARN as the id (a load balancer, a target group, a certificate).
func (s *State) ARNs() map[string]bool {
	arns := map[string]bool{}
	for _, r := range s.Resources {
		if arn, ok := r.Outputs["arn"].(string); ok && strings.HasPrefix(arn, "arn:") {
			arns[arn] = true
		}
		if strings.HasPrefix(r.ID, "arn:") {
			arns[r.ID] = true
		}
	}
	return arns
}

// regions are the regions the state's ARNs name, and us-east-1: the Resource Groups Tagging API
// answers for one region at a time ("GetResources", Resource Groups Tagging API Reference:
// https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html),
// and lists CloudFront distributions and Route 53 health checks and zones, global resources, in
// us-east-1 ("Supported resources", AWS Resource Groups User Guide:
// https://docs.aws.amazon.com/ARG/latest/userguide/supported-resources.html).
func (s *State) regions() []string {
	regions := []string{"us-east-1"}
	for arn := range s.ARNs() {
		if region, err := regionOf(arn); err == nil && !slices.Contains(regions, region) {
			regions = append(regions, region)
		}
	}
	sort.Strings(regions)
	return regions
}

// Leftovers lists the resources in AWS that carry every one of the state's shared tags but that
// the state does not hold: what a killed pulumi up made and never recorded, or what was taken out
// of the state by hand (or another stack's, if it has the same tags). It returns the tags it
// looked for; with none, it looks for nothing.
func (p *Probe) Leftovers(ctx context.Context, state *State) (map[string]string, []string, error) {
	tags := state.SharedTags()
	if len(tags) == 0 {
		return nil, nil, nil
	}
	var filters []taggingtypes.TagFilter
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		filters = append(filters, taggingtypes.TagFilter{Key: aws.String(k), Values: []string{tags[k]}})
	}
	inState := state.ARNs()
	var leftovers []string
	for _, region := range state.regions() {
		client := tagging.NewFromConfig(p.AWS, func(o *tagging.Options) { o.Region = region })
		pages := tagging.NewGetResourcesPaginator(client, &tagging.GetResourcesInput{TagFilters: filters})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				return tags, nil, fmt.Errorf("listing the resources tagged %s in %s: %w", formatTags(tags), region, err)
			}
			for _, m := range page.ResourceTagMappingList {
				if arn := aws.ToString(m.ResourceARN); !inState[arn] {
					leftovers = append(leftovers, arn)
				}
			}
		}
	}
	sort.Strings(leftovers)
	return tags, slices.Compact(leftovers), nil
}

// CheckLeftovers is failover check's verdict on Leftovers, for a stack whose state it was given.
// It is not part of Check, which a drill runs first: what was left beside the stack does not
// change how it fails over.
func (p *Probe) CheckLeftovers(ctx context.Context, state *State) Result {
	result := Result{Check: "nothing tagged as the stack's resources is outside its state"}
	tags, leftovers, err := p.Leftovers(ctx, state)
	switch {
	case err != nil:
		result.Detail = err.Error()
	case tags == nil:
		result.OK, result.Detail = true, "not looked for: the stack's resources share no tag; give the stack a tag of its own (the tags config key, such as stack=NAME) to find what an interrupted pulumi up left behind"
	case len(leftovers) > 0:
		result.Detail = fmt.Sprintf("%d resources tagged %s are not in the stack's state (left by an interrupted pulumi up, or another stack's with the same tags; see the README, \"If pulumi up was interrupted\"): %s",
			len(leftovers), formatTags(tags), strings.Join(leftovers, " "))
	default:
		result.OK, result.Detail = true, "none tagged "+formatTags(tags)+" outside it"
	}
	return result
}

// formatTags shows tags as k=v,k=v.
func formatTags(tags map[string]string) string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		out = append(out, k+"="+tags[k])
	}
	return strings.Join(out, ",")
}
