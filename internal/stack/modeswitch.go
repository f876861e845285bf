package stack

import "github.com/seed-2b23e6e5/route53-failover/pkg/plan"

// failoverMode is the mode a plan's stack runs in, from its failoverEstimate output.
func failoverMode(p *plan.Plan) string {
	mode, _ := plan.Get(p.Outputs, "failoverEstimate", "mode").(string)
	return mode
}

// ModeSwitch is the plan diff's check for a change of failover mode, which one pulumi up cannot
// make: it says how to make it (docs/edge-mode.md, "Switching a stack between the modes").
func ModeSwitch(old, new *plan.Plan) *plan.Warning {
	from, to := failoverMode(old), failoverMode(new)
	warn := func(text string) *plan.Warning {
		return &plan.Warning{Heading: "The failover mode changes", Text: text}
	}
	switch {
	case from == "" || to == "" || from == to:
		return nil
	case to == "edge":
		return warn("The failover mode changes from " + from + " to edge. One `pulumi up` cannot make " +
			"this change: Route 53 refuses the plain records beside the SECONDARY failover records " +
			"(InvalidChangeBatch) halfway through, and the deploy workflow's guard refuses it. Follow " +
			"docs/edge-mode.md, \"Switching a stack between the modes\", by hand: " +
			"`pulumi destroy --target '**::site-dns-*-secondary'`, then `pulumi up` with the internet " +
			"rules and both listeners excluded, then `pulumi up` a few minutes later.")
	default:
		return warn("The failover mode changes from " + from + " to " + to + ". One `pulumi up` cannot " +
			"make this change safely: updated with the records, the distribution would serve the error " +
			"page while the names still point at it, and the deploy workflow's guard refuses it. Follow " +
			"docs/edge-mode.md, \"Switching a stack between the modes\", by hand: `pulumi up` with " +
			"the distribution excluded, then `pulumi up`.")
	}
}
