// Package naming owns how children of a component are named and tagged, so that two instances of
// a component never collide and every AWS resource says which stack and component made it.
package naming

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Child returns the logical name of a component's child: the component's name and the parts,
// joined by hyphens. Logical names only need to be unique per type and parent; prefixing with the
// component name keeps the physical (auto-generated) AWS names readable and distinct.
func Child(component string, parts ...string) string {
	return strings.Join(append([]string{component}, parts...), "-")
}

// ComponentTag is the tag that names the component a resource belongs to.
const ComponentTag = "route53-failover:component"

// Tags returns the tags every taggable child carries: Name (the child's logical name) and
// ComponentTag (the component that owns it), merged over extra.
func Tags(component, child string, extra pulumi.StringMap) pulumi.StringMap {
	tags := pulumi.StringMap{}
	for k, v := range extra {
		tags[k] = v
	}
	tags["Name"] = pulumi.String(child)
	tags[ComponentTag] = pulumi.String(component)
	return tags
}

// Moved gives the aliases (pulumi.Alias) of a component's child by its name's suffix: the parts
// after the component's name, joined by hyphens ("cdn", "alarm-email"). It is what a component's
// Args.Moved hook becomes; nil gives none.
type Moved func(suffix string) []pulumi.Alias

// Of returns the option that gives the child named by these suffix parts its aliases.
func (m Moved) Of(parts ...string) pulumi.ResourceOption {
	if m == nil {
		return pulumi.Aliases(nil)
	}
	return pulumi.Aliases(m(strings.Join(parts, "-")))
}
