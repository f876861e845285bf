package plan

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
)

// Replacements lists, per resource type whose replacement loses state or takes long, the input
// properties that AWS cannot change in place (the provider replaces the resource when they
// change). Removing one of these resources, or moving it to another URN (a new name, type or
// parent) or another provider, replaces it too.
var Replacements = map[string][]string{
	"aws:route53/zone:Zone":                    {"name", "delegationSetId"},
	"aws:s3/bucketV2:BucketV2":                 {"bucket", "bucketPrefix", "objectLockEnabled"},
	"aws:cloudfront/distribution:Distribution": {},
	"aws:acm/certificate:Certificate":          {"domainName", "subjectAlternativeNames", "validationMethod", "keyAlgorithm", "certificateAuthorityArn"},
	"aws:route53/healthCheck:HealthCheck":      {"requestInterval", "type", "measureLatency", "referenceName"},
	"aws:ec2/instance:Instance":                {"ami", "subnetId", "availabilityZone", "userData", "keyName"},
	"aws:lb/loadBalancer:LoadBalancer":         {"name", "namePrefix", "internal", "loadBalancerType"},
}

// Diff is what changes between two plans of a stack.
type Diff struct {
	Project, Stack string
	Added          []Resource
	Removed        []Resource
	Changed        []ResourceChange
	// Replaced are the stateful or slow resources that the change replaces or deletes.
	Replaced []Replacement
	Config   []PropertyChange
	Outputs  []PropertyChange
}

// ResourceChange is one resource whose inputs (or options) change.
type ResourceChange struct {
	Old, New   Resource
	Properties []PropertyChange
}

// PropertyChange is one property that changes; a missing side is nil.
type PropertyChange struct {
	Path     string
	Old, New any
}

// Replacement says why a stateful or slow resource is replaced or deleted.
type Replacement struct {
	Type, Name string
	Reason     string
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
func Compare(old, new *Plan) *Diff {
	d := &Diff{Project: new.Project, Stack: new.Stack}
	olds := map[string]Resource{}
	for _, r := range old.Resources {
		olds[r.URN] = r
	}
	news := map[string]Resource{}
	for _, r := range new.Resources {
		news[r.URN] = r
		o, ok := olds[r.URN]
		if !ok {
			d.Added = append(d.Added, r)
			continue
		}
		var props []PropertyChange
		diffValues("", o.Inputs, r.Inputs, &props)
		if o.Provider != r.Provider {
			props = append(props, PropertyChange{"(provider)", o.Provider, r.Provider})
		}
		if o.Protect != r.Protect {
			props = append(props, PropertyChange{"(protect)", o.Protect, r.Protect})
		}
		if !reflect.DeepEqual(o.IgnoreChanges, r.IgnoreChanges) {
			props = append(props, PropertyChange{"(ignoreChanges)", o.IgnoreChanges, r.IgnoreChanges})
		}
		if len(props) > 0 {
			d.Changed = append(d.Changed, ResourceChange{Old: o, New: r, Properties: props})
			if reason := replacementReason(o, r, props); reason != "" {
				d.Replaced = append(d.Replaced, Replacement{r.Type, r.Name, reason})
			}
		}
	}
	for _, r := range old.Resources {
		if _, ok := news[r.URN]; ok {
			continue
		}
		d.Removed = append(d.Removed, r)
		if _, stateful := Replacements[r.Type]; stateful {
			reason := "deleted"
			if moved := sameNameAndType(new, r); moved != nil {
				reason = "replaced: its URN changes (new parent or type), so it is deleted and created again as " + moved.URN
			}
			d.Replaced = append(d.Replaced, Replacement{r.Type, r.Name, reason})
		}
	}
	diffStrings(old.Config, new.Config, &d.Config)
	diffValues("", old.Outputs, new.Outputs, &d.Outputs)
	return d
}

func sameNameAndType(p *Plan, r Resource) *Resource {
	for i := range p.Resources {
		if p.Resources[i].Type == r.Type && p.Resources[i].Name == r.Name {
			return &p.Resources[i]
		}
	}
	return nil
}

func replacementReason(old, new Resource, props []PropertyChange) string {
	keys, stateful := Replacements[new.Type]
	if !stateful {
		return ""
	}
	var reasons []string
	for _, c := range props {
		if c.Path == "(provider)" {
			reasons = append(reasons, "its provider changes")
			continue
		}
		top := strings.SplitN(strings.SplitN(c.Path, ".", 2)[0], "[", 2)[0]
		for _, k := range keys {
			if top == k && !ignored(new, k) && !(k == "userData" && new.Inputs["userDataReplaceOnChange"] != true) {
				reasons = append(reasons, fmt.Sprintf("%s changes (%s → %s)", c.Path, show(c.Old), show(c.New)))
			}
		}
	}
	if len(reasons) == 0 {
		return ""
	}
	return "replaced: " + strings.Join(reasons, "; ")
}

func ignored(r Resource, key string) bool {
	for _, k := range r.IgnoreChanges {
		if k == key {
			return true
		}
	}
	return false
}

// diffValues appends the leaf paths where old and new differ.
func diffValues(path string, old, new any, out *[]PropertyChange) {
	if reflect.DeepEqual(old, new) {
		return
	}
	om, oIsMap := old.(map[string]any)
	nm, nIsMap := new.(map[string]any)
	if oIsMap && nIsMap {
		keys := map[string]bool{}
		for k := range om {
			keys[k] = true
		}
		for k := range nm {
			keys[k] = true
		}
		for _, k := range sortedKeys(keys) {
			diffValues(join(path, k), om[k], nm[k], out)
		}
		return
	}
	oa, oIsArr := old.([]any)
	na, nIsArr := new.([]any)
	if oIsArr && nIsArr && len(oa) == len(na) {
		for i := range oa {
			diffValues(fmt.Sprintf("%s[%d]", path, i), oa[i], na[i], out)
		}
		return
	}
	*out = append(*out, PropertyChange{Path: path, Old: old, New: new})
}

func diffStrings(old, new map[string]string, out *[]PropertyChange) {
	keys := map[string]bool{}
	for k := range old {
		keys[k] = true
	}
	for k := range new {
		keys[k] = true
	}
	for _, k := range sortedKeys(keys) {
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

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
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
				fmt.Fprintf(&b, "| %s | %s | %s |\n", cell(p.Path), cell(show(p.Old)), cell(show(p.New)))
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
