package plan

import (
	"encoding/json"
	"fmt"
	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
	"maps"
	"slices"
	"sort"
	"strings"
)

// Markdown renders the plan for people: the resource tree by parent with each resource's type,
// region and key settings, then the invokes and the stack outputs.
func (p *Plan) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Plan: %s/%s\n\n", p.Project, p.Stack)
	fmt.Fprintf(&b, "%d resources (%d cloud resources), %d invokes, region %s.\n\n",
		len(p.Resources), p.countCustom(), len(p.Invokes), p.Config["aws:region"])

	b.WriteString("## Resources\n\n| resource | type | region | key settings |\n| --- | --- | --- | --- |\n")
	children := map[string][]*Resource{}
	for i := range p.Resources {
		r := &p.Resources[i]
		parent := r.Parent
		if p.ByURN(parent) == nil {
			parent = ""
		}
		children[parent] = append(children[parent], r)
	}
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		list := children[parent]
		sort.SliceStable(list, func(i, j int) bool {
			if list[i].Custom != list[j].Custom {
				return !list[i].Custom
			}
			return list[i].Name < list[j].Name
		})
		for _, r := range list {
			region := ""
			switch {
			case strings.HasPrefix(r.Type, "aws:route53/"), strings.HasPrefix(r.Type, "aws:cloudfront/"):
				region = "global"
			case r.Type == awstype.Provider:
				region, _ = r.Inputs["region"].(string)
			case r.Custom:
				region = p.Region(r)
			}
			fmt.Fprintf(&b, "| %s%s | `%s` | %s | %s |\n", strings.Repeat("· ", depth), cell(r.Name), r.Type,
				region, cell(settings(r)))
			walk(r.URN, depth+1)
		}
	}
	walk("", 0)

	if len(p.Assumptions) > 0 {
		b.WriteString("\n## Assumed about the account\n\nThe stack uses these, and the simulated account does not hold them; the plan assumed them as written. " +
			"Pass what `aws ec2 describe-subnets` and `aws ec2 describe-route-tables` print with `-account FILE` to check the real facts instead.\n\n" +
			"| what | id | assumed |\n| --- | --- | --- |\n")
		for _, a := range p.Assumptions {
			fmt.Fprintf(&b, "| %s | `%s` | %s |\n", a.Kind, cell(a.ID), cell(a.Detail))
		}
	}
	if unsimulated := p.Unsimulated(); len(unsimulated) > 0 {
		b.WriteString("\n## Resources not simulated\n\nThe simulated account does not model these types: it echoed their inputs, " +
			"gave them an id and an ARN, and checked none of AWS's rules for them.\n\n| resource | type |\n| --- | --- |\n")
		for _, r := range unsimulated {
			fmt.Fprintf(&b, "| %s | `%s` |\n", cell(r.Name), r.Type)
		}
	}
	if len(p.Invokes) > 0 {
		b.WriteString("\n## Invokes\n\n| token | arguments |\n| --- | --- |\n")
		for _, i := range p.Invokes {
			fmt.Fprintf(&b, "| `%s` | %s |\n", i.Token, cell(compact(i.Args)))
		}
	}
	if len(p.Outputs) > 0 {
		b.WriteString("\n## Outputs\n\n| output | value |\n| --- | --- |\n")
		for _, k := range slices.Sorted(maps.Keys(p.Outputs)) {
			fmt.Fprintf(&b, "| %s | %s |\n", k, cell(compact(p.Outputs[k])))
		}
	}
	return b.String()
}

func (p *Plan) countCustom() int {
	n := 0
	for _, r := range p.Resources {
		if r.Custom {
			n++
		}
	}
	return n
}

func settings(r *Resource) string {
	var parts []string
	if r.Read {
		parts = append(parts, "read, not managed")
	}
	if r.Protect {
		parts = append(parts, "protect=true")
	}
	for _, path := range mockcloud.Lookup(r.Type).KeySettings {
		steps := strings.Split(path, ".")
		keys := make([]any, len(steps))
		for i, s := range steps {
			keys[i] = s
		}
		if v := Get(r.Inputs, keys...); v != nil {
			parts = append(parts, path+"="+compact(v))
		}
	}
	return strings.Join(parts, ", ")
}

func compact(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}
