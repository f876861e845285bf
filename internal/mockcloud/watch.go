package mockcloud

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
)

// Watch makes the account visit every served name after each change the engine makes, so that a
// rehearsal can tell what visitors met while a stack changed, step by step.
type Watch struct {
	// ErrorCode is the status the error page must come with (errorResponseCode).
	ErrorCode int `json:"errorCode"`
	// Served are the names that have answered a page. A name must answer one (the main page,
	// or the error page with ErrorCode) from the moment it resolves, and once it has, for good.
	Served map[string]bool `json:"served,omitempty"`
	// FailsOver are the names that have answered the error page with ErrorCode with the main site
	// down: from then on they must, after every change (a first deployment creates the way to
	// the error page after the names serve the main page).
	FailsOver map[string]bool `json:"failsOver,omitempty"`
	// Origins are the names seen as a distribution's custom origin: CloudFront's way to the load
	// balancer, which visitors do not use (in edge mode it admits CloudFront only).
	Origins map[string]bool `json:"origins,omitempty"`
	// Steps are the changes since the watch began (or was last read), each with what every
	// served name answered right after it.
	Steps []Step `json:"steps,omitempty"`
}

// Step is one change the engine made and what visitors got right after it.
type Step struct {
	// Op is create, update or delete; URN the resource changed.
	Op  string `json:"op"`
	URN string `json:"urn"`
	// Answers are what each served name answered for /; Down what those that had served a page
	// answered with the main site down, which must be the error page with ErrorCode once it has
	// been (see FailsOver).
	Answers []Answer `json:"answers"`
	Down    []Answer `json:"down,omitempty"`
	// Broken are the answers of names that resolved, or had served a page, and served none.
	Broken []string `json:"broken,omitempty"`
}

// observe records what visitors get after the engine's op on urn, when the account is watched.
func (a *Account) observe(op, urn string) {
	w := a.Watch
	if w == nil {
		return
	}
	if w.Served == nil {
		w.Served = map[string]bool{}
	}
	if w.Origins == nil {
		w.Origins = map[string]bool{}
	}
	if w.FailsOver == nil {
		w.FailsOver = map[string]bool{}
	}
	step := Step{Op: op, URN: urn}
	names, facing, promised := a.servedNames()
	for _, name := range names {
		answer := a.Visit(name, "/")
		step.Answers = append(step.Answers, answer)
		switch {
		case answer.Served(w.ErrorCode):
			w.Served[name] = true
		case w.Served[name] || facing[name]:
			step.Broken = append(step.Broken, answer.String())
		}
		// Every change is audited a second time as if the main site were down: the error page
		// must answer then, which a change can break without a sign while the site serves.
		if w.Served[name] {
			down := a.VisitWithMainSiteDown(name, "/")
			step.Down = append(step.Down, down)
			switch {
			case down.Page == PageError && down.Status == w.ErrorCode:
				w.FailsOver[name] = true
			case w.FailsOver[name] && promised[name]:
				step.Broken = append(step.Broken, "with the main site down: "+down.String())
			}
		}
	}
	w.Steps = append(w.Steps, step)
}

// servedNames are the names visitors use: every A record of the account's public zones but those
// only CloudFront uses (a distribution's custom origin, now or before), and every name that served
// a page before (one whose records went away must still answer). facing are those whose records
// are made for visitors, a failover record or an alias of a distribution, which must serve from
// the moment they resolve; a plain alias of a load balancer may be CloudFront's way to it, which
// no visitor uses before the distribution does. promised are those whose records promise the
// error page while the main site is down: a SECONDARY record, or an alias of a distribution (a
// PRIMARY alone, as while the mode changes, promises none).
func (a *Account) servedNames() (names []string, facing, promised map[string]bool) {
	c := ForEngine(a, "")
	w := a.Watch
	for _, d := range c.ofType(awstype.Distribution) {
		for _, o := range storedInputs[distributionInputs](d).Origins {
			if o.CustomOriginConfig != nil {
				name := strings.ToLower(o.DomainName)
				w.Origins[name] = true
				delete(w.Served, name)
			}
		}
	}
	seen := map[string]bool{}
	facing, promised = map[string]bool{}, map[string]bool{}
	for _, rs := range a.RecordSets {
		if zone, ok := c.zone(rs.ZoneID); rs.Type == "A" && ok && !zone.Private && !w.Origins[rs.Name] {
			seen[rs.Name] = true
			toDistribution := strings.HasSuffix(rs.AliasTarget, ".cloudfront.net")
			if rs.Failover != "" || toDistribution {
				facing[rs.Name] = true
			}
			if rs.Failover == "SECONDARY" || toDistribution {
				promised[rs.Name] = true
			}
		}
	}
	for name := range w.Served {
		seen[name] = true
	}
	for name := range seen {
		names = append(names, name)
	}
	sort.Strings(names)
	return names, facing, promised
}

// Timeline prints the steps in which an answer changed (and the first), one line per name, so
// that a reader sees what visitors met and which change made the difference.
func (w *Watch) Timeline() string {
	var b strings.Builder
	last := map[string]string{}
	for i, step := range w.Steps {
		changed := []string{}
		for i, answers := range [][]Answer{step.Answers, step.Down} {
			for _, answer := range answers {
				name := answer.Name
				if i == 1 {
					name += " (main site down)"
				}
				if short := answer.short(); last[name] != short {
					changed = append(changed, fmt.Sprintf("    %s: %s", name, short))
					last[name] = short
				}
			}
		}
		if len(changed) == 0 && len(step.Broken) == 0 {
			continue
		}
		fmt.Fprintf(&b, "  step %d: %s %s\n", i+1, step.Op, shortURN(step.URN))
		for _, line := range changed {
			b.WriteString(line + "\n")
		}
		for _, broken := range step.Broken {
			b.WriteString("    BROKEN " + broken + "\n")
		}
	}
	return b.String()
}

// short is an answer in a few words: the page and status, or the failure.
func (a Answer) short() string {
	if a.Failure != "" {
		return a.Failure
	}
	return fmt.Sprintf("%s page, %d", a.Page, a.Status)
}

// shortURN is a URN's type and name.
func shortURN(urn string) string {
	u := resource.URN(urn)
	if !u.IsValid() {
		return urn
	}
	return string(u.Type()) + "::" + u.Name()
}

// Broken lists the steps in which a name that had served a page did not, as "step: answer".
func (w *Watch) Broken() []string {
	var out []string
	for i, step := range w.Steps {
		for _, b := range step.Broken {
			out = append(out, fmt.Sprintf("after step %d (%s %s): %s", i+1, step.Op, shortURN(step.URN), b))
		}
	}
	return slices.Clip(out)
}
