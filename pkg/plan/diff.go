package plan

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
)

// Diff is what changes between two plans of a stack.
type Diff struct {
	// Project and Stack name the new plan's stack.
	Project, Stack string
	// Added are the resources only the new plan has, Removed those only the old one has.
	Added   []Resource
	Removed []Resource
	// Changed are the resources of both whose inputs or options differ.
	Changed []ResourceChange
	// Replaced are the stateful or slow resources that the change replaces or deletes.
	Replaced []Replacement
	// Config and Outputs are the changed config values and stack outputs.
	Config  []PropertyChange
	Outputs []PropertyChange
	// Warnings are what the checks given to Compare found about the change as a whole (a change
	// one pulumi up cannot make, say); Markdown shows them first.
	Warnings []Warning
}

// Warning is a finding about a change as a whole.
type Warning struct {
	// Heading names the finding; Text says what it means and what to do.
	Heading, Text string
}

// Check looks at a change as a whole, such as a stack's own rule about changes one pulumi up
// cannot make, and returns its warning, or nil.
type Check func(old, new *Plan) *Warning

// ResourceChange is one resource whose inputs (or options) change.
type ResourceChange struct {
	// Old and New are the resource in each plan.
	Old, New Resource
	// Properties are what changes.
	Properties []PropertyChange
}

// PropertyChange is one property that changes; a missing side is nil.
type PropertyChange = mockcloud.Change

// Replacement says why a stateful or slow resource is replaced or deleted.
type Replacement struct {
	// Type and Name identify the resource.
	Type, Name string
	// Reason says which property forces it, or that it is deleted.
	Reason string
}

// Empty reports whether nothing changes.
func (d *Diff) Empty() bool {
	return len(d.Added)+len(d.Removed)+len(d.Changed)+len(d.Config)+len(d.Outputs) == 0
}

// Read loads a plan document from a file.
func Read(path string) (*Plan, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var p Plan
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%s: not a plan document: %w", path, err)
	}
	if p.Version != Version {
		return nil, fmt.Errorf("%s: plan version %d, this tool reads version %d", path, p.Version, Version)
	}
	return &p, nil
}

// Compare computes what changes from old to new.
func Compare(old, new *Plan, checks ...Check) *Diff {
	d := &Diff{Project: new.Project, Stack: new.Stack}
	olds := map[string]Resource{}
	for _, r := range old.Resources {
		olds[r.URN] = r
	}
	kept := map[string]bool{} // the old URNs that the new plan keeps, under them or moved
	for _, r := range new.Resources {
		o, ok := olds[r.URN]
		for _, alias := range r.Aliases {
			if !ok {
				o, ok = olds[alias]
			}
		}
		if !ok {
			d.Added = append(d.Added, r)
			continue
		}
		kept[o.URN] = true
		props := mockcloud.Changes(o.Inputs, r.Inputs)
		if o.URN != r.URN {
			// pulumi.Aliases: the engine moves the resource to its new URN.
			props = append(props, PropertyChange{Path: "(urn)", Old: o.URN, New: r.URN})
		}
		if o.Read != r.Read {
			// A read has no inputs of its own: what changes is that the engine no longer
			// manages the resource, and does not delete it.
			props = []PropertyChange{{Path: "(read)", Old: o.Read, New: r.Read}}
		}
		if o.Provider != r.Provider {
			props = append(props, PropertyChange{Path: "(provider)", Old: o.Provider, New: r.Provider})
		}
		if o.Protect != r.Protect {
			props = append(props, PropertyChange{Path: "(protect)", Old: o.Protect, New: r.Protect})
		}
		if added, removed := dependencyChanges(o.DependsOn, r.DependsOn); len(added)+len(removed) > 0 {
			// What a resource waits for decides what visitors meet while the stack changes.
			props = append(props, PropertyChange{Path: "(dependsOn)", Old: removed, New: added})
		}
		if !reflect.DeepEqual(o.IgnoreChanges, r.IgnoreChanges) {
			props = append(props, PropertyChange{Path: "(ignoreChanges)", Old: o.IgnoreChanges, New: r.IgnoreChanges})
		}
		if len(props) > 0 {
			d.Changed = append(d.Changed, ResourceChange{Old: o, New: r, Properties: props})
			if reason := replacementReason(o, r, props); reason != "" {
				d.Replaced = append(d.Replaced, Replacement{r.Type, r.Name, reason})
			}
		}
	}
	for _, r := range old.Resources {
		if kept[r.URN] {
			continue
		}
		d.Removed = append(d.Removed, r)
		if stateful(r) {
			reason := "deleted"
			if moved := sameNameAndType(new, r); moved != nil {
				reason = "replaced: its URN changes (new parent or type), so it is deleted and created again as " + moved.URN
			}
			d.Replaced = append(d.Replaced, Replacement{r.Type, r.Name, reason})
		}
	}
	diffStrings(old.Config, new.Config, &d.Config)
	d.Outputs = mockcloud.Changes(old.Outputs, new.Outputs)
	for _, check := range checks {
		if w := check(old, new); w != nil {
			d.Warnings = append(d.Warnings, *w)
		}
	}
	return d
}

// dependencyChanges are the names of the resources a resource starts and stops waiting for.
func dependencyChanges(old, new []string) (added, removed []string) {
	name := func(urn string) string { return resource.URN(urn).Name() }
	for _, d := range new {
		if !slices.Contains(old, d) {
			added = append(added, name(d))
		}
	}
	for _, d := range old {
		if !slices.Contains(new, d) {
			removed = append(removed, name(d))
		}
	}
	return added, removed
}

func sameNameAndType(p *Plan, r Resource) *Resource {
	for i := range p.Resources {
		if p.Resources[i].Type == r.Type && p.Resources[i].Name == r.Name {
			return &p.Resources[i]
		}
	}
	return nil
}

// stateful reports whether replacing or deleting r loses data or takes long. What a program
// reads is never replaced or deleted.
func stateful(r Resource) bool {
	return mockcloud.Lookup(r.Type).Stateful && !r.Read
}

func replacementReason(old, new Resource, props []PropertyChange) string {
	if !stateful(new) {
		return ""
	}
	var reasons []string
	var paths []string
	for _, c := range props {
		if c.Path == "(provider)" {
			reasons = append(reasons, "its provider changes")
			continue
		}
		if !ignored(new, c.Path) {
			paths = append(paths, c.Path)
		}
	}
	for _, path := range mockcloud.ReplacingPaths(new.Type, new.Inputs, paths) {
		for _, c := range props {
			if c.Path == path {
				reasons = append(reasons, fmt.Sprintf("%s changes (%s → %s)", c.Path, show(c.Old), show(c.New)))
			}
		}
	}
	if len(reasons) == 0 {
		return ""
	}
	return "replaced: " + strings.Join(reasons, "; ")
}

// ignored reports whether changes at path are ignored (ignoreChanges), so they replace nothing.
func ignored(r Resource, path string) bool {
	for _, k := range r.IgnoreChanges {
		if path == k || strings.HasPrefix(path, k+".") || strings.HasPrefix(path, k+"[") {
			return true
		}
	}
	return false
}

func diffStrings(old, new map[string]string, out *[]PropertyChange) {
	keys := map[string]bool{}
	for k := range old {
		keys[k] = true
	}
	for k := range new {
		keys[k] = true
	}
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		o, oOK := old[k]
		n, nOK := new[k]
		if o != n || oOK != nOK {
			c := PropertyChange{Path: k}
			if oOK {
				c.Old = o
			}
			if nOK {
				c.New = n
			}
			*out = append(*out, c)
		}
	}
}

// show renders a value for a diff line: nil as "(none)", long values cut.
func show(v any) string {
	if v == nil {
		return "(none)"
	}
	s := compact(v)
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

// showChange renders both sides of a change. Text of several lines (a page, a script) shows
// only the lines that differ, from the first that does, so that a reviewer reads what changed
// rather than the first 120 characters of each.
func showChange(p PropertyChange) (string, string) {
	old, oldText := p.Old.(string)
	new, newText := p.New.(string)
	if !oldText || !newText || (!strings.Contains(old, "\n") && !strings.Contains(new, "\n")) {
		return show(p.Old), show(p.New)
	}
	o, n := strings.Split(old, "\n"), strings.Split(new, "\n")
	first := 0
	for first < len(o) && first < len(n) && o[first] == n[first] {
		first++
	}
	o, n = o[first:], n[first:]
	for len(o) > 0 && len(n) > 0 && o[len(o)-1] == n[len(n)-1] {
		o, n = o[:len(o)-1], n[:len(n)-1]
	}
	lines := func(ls []string) string {
		if len(ls) == 0 {
			return "(no line)"
		}
		s := fmt.Sprintf("line %d: %s", first+1, strings.Join(ls, " ⏎ "))
		if len(s) > 300 {
			s = s[:297] + "..."
		}
		return s
	}
	return lines(o), lines(n)
}

// Markdown renders the diff for a pull request: a summary line, the replacements of stateful or
// slow resources first, then what is added, removed and changed.
func (d *Diff) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Plan diff: %s/%s\n\n", d.Project, d.Stack)
	if d.Empty() {
		b.WriteString("No change.\n")
		return b.String()
	}
	fmt.Fprintf(&b, "**%d to add, %d to change, %d to remove.**\n", len(d.Added), len(d.Changed), len(d.Removed))
	for _, w := range d.Warnings {
		fmt.Fprintf(&b, "\n### ⚠️ %s\n\n%s\n", w.Heading, w.Text)
	}
	if len(d.Replaced) > 0 {
		b.WriteString("\n### ⚠️ Stateful or slow resources replaced or deleted\n\n")
		for _, r := range d.Replaced {
			fmt.Fprintf(&b, "- **%s** (`%s`): %s\n", r.Name, r.Type, cell(r.Reason))
		}
	}
	list := func(title string, rs []Resource) {
		if len(rs) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n### %s\n\n| resource | type |\n| --- | --- |\n", title)
		for _, r := range rs {
			fmt.Fprintf(&b, "| %s | `%s` |\n", cell(r.Name), r.Type)
		}
	}
	list("Added", d.Added)
	list("Removed", d.Removed)
	if len(d.Changed) > 0 {
		b.WriteString("\n### Changed\n")
		for _, c := range d.Changed {
			fmt.Fprintf(&b, "\n**%s** (`%s`)\n\n| property | old | new |\n| --- | --- | --- |\n", cell(c.New.Name), c.New.Type)
			for _, p := range c.Properties {
				old, new := showChange(p)
				fmt.Fprintf(&b, "| %s | %s | %s |\n", cell(p.Path), cell(old), cell(new))
			}
		}
	}
	changes := func(title string, cs []PropertyChange) {
		if len(cs) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n### %s\n\n| key | old | new |\n| --- | --- | --- |\n", title)
		for _, p := range cs {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", cell(p.Path), cell(show(p.Old)), cell(show(p.New)))
		}
	}
	changes("Config", d.Config)
	changes("Stack outputs", d.Outputs)
	return b.String()
}
