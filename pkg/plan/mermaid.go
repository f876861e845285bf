package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
	"sort"
	"strings"
)

// Mermaid renders the plan as a Mermaid flowchart: components as subgraphs, the traffic path in
// solid arrows, the failover path in dotted arrows, and the health check watching what it
// requests. In DNS mode the traffic goes users → PRIMARY records → load balancer → listener →
// target group → instances, and the failover SECONDARY records → CloudFront → bucket; in edge
// mode users → the names' aliases → CloudFront → (by the origin name) load balancer → ..., and
// CloudFront's failover → bucket. Validation records and the origin name's record are left out.
func (p *Plan) Mermaid() string {
	// Node ids derive from URNs, so adding a resource never renames the others' nodes.
	id := func(urn string) string {
		sum := sha256.Sum256([]byte(urn))
		return "n" + hex.EncodeToString(sum[:5])
	}
	byOutput := func(typ, key string, value any) *Resource {
		for i := range p.Resources {
			if r := &p.Resources[i]; r.Type == typ && value != nil && r.Outputs[key] == value {
				return r
			}
		}
		return nil
	}
	aliasOf := func(r Resource) string {
		alias, _ := Get(r.Inputs, "aliases", 0, "name").(string)
		return alias
	}
	// servedAlias is a plain record of a served name to a distribution (edge mode).
	servedAlias := func(r Resource) bool {
		return byOutput(awstype.Distribution, "domainName", aliasOf(r)) != nil
	}
	shown := map[string]bool{}
	for _, r := range p.Resources {
		if mockcloud.Lookup(r.Type).Label != "" && !(r.Type == awstype.Record && failoverRole(r) == "" && !servedAlias(r)) {
			shown[r.URN] = true
		}
	}
	children := map[string][]Resource{}
	for _, r := range p.Resources {
		parent := r.Parent
		if p.ByURN(parent) == nil {
			parent = ""
		}
		children[parent] = append(children[parent], r)
	}

	var b strings.Builder
	b.WriteString("flowchart LR\n")
	b.WriteString("  users((users))\n")
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		indent := strings.Repeat("  ", depth+1)
		for _, r := range children[parent] {
			switch {
			case !r.Custom && hasShownDescendant(r.URN, children, shown):
				fmt.Fprintf(&b, "%ssubgraph %s[\"%s: %s\"]\n", indent, id(r.URN), shortType(r.Type), r.Name)
				walk(r.URN, depth+1)
				fmt.Fprintf(&b, "%send\n", indent)
			case shown[r.URN]:
				fmt.Fprintf(&b, "%s%s[\"%s<br/>%s\"]\n", indent, id(r.URN), mockcloud.Lookup(r.Type).Label, nodeName(r))
			}
		}
	}
	walk("", 0)

	var edges []string
	edge := func(from, arrow, label, to string) {
		if label != "" {
			arrow += "|" + label + "|"
		}
		edges = append(edges, fmt.Sprintf("  %s %s %s", from, arrow, to))
	}
	for _, r := range p.Resources {
		if !shown[r.URN] {
			continue
		}
		switch r.Type {
		case awstype.Record:
			role := failoverRole(r)
			alias := aliasOf(r)
			arrow := "-->"
			if role == "SECONDARY" {
				arrow = "-.->"
			}
			edge("users", arrow, fmt.Sprint(r.Inputs["name"]), id(r.URN))
			if lb := byOutput(awstype.LoadBalancer, "dnsName", strings.TrimPrefix(alias, "dualstack.")); lb != nil {
				edge(id(r.URN), arrow, role, id(lb.URN))
			}
			if cdn := byOutput(awstype.Distribution, "domainName", alias); cdn != nil {
				edge(id(r.URN), arrow, role, id(cdn.URN))
			}
		case awstype.HealthCheck:
			if lb := byOutput(awstype.LoadBalancer, "dnsName", r.Inputs["fqdn"]); lb != nil {
				edge(id(r.URN), "-.-", "HTTPS "+fmt.Sprint(r.Inputs["resourcePath"]), id(lb.URN))
			}
			// In edge mode it requests a served name, through the distribution.
			for _, record := range p.OfType(awstype.Record) {
				if cdn := byOutput(awstype.Distribution, "domainName", aliasOf(record)); cdn != nil &&
					record.Inputs["name"] == r.Inputs["fqdn"] && record.Inputs["type"] == "A" {
					edge(id(r.URN), "-.-", "HTTPS "+fmt.Sprint(r.Inputs["resourcePath"]), id(cdn.URN))
				}
			}
		case awstype.Listener:
			if lb := byOutput(awstype.LoadBalancer, "arn", r.Inputs["loadBalancerArn"]); lb != nil {
				edge(id(lb.URN), "-->", "", id(r.URN))
			}
			if tg := byOutput(awstype.TargetGroup, "arn", Get(r.Inputs, "defaultActions", 0, "targetGroupArn")); tg != nil {
				edge(id(r.URN), "-->", "", id(tg.URN))
			}
			if Get(r.Inputs, "defaultActions", 0, "type") == "redirect" {
				for _, to := range p.OfType(awstype.Listener) {
					if to.Inputs["loadBalancerArn"] == r.Inputs["loadBalancerArn"] &&
						fmt.Sprint(to.Inputs["port"]) == fmt.Sprint(Get(r.Inputs, "defaultActions", 0, "redirect", "port")) {
						edge(id(r.URN), "-.->", "301", id(to.URN))
					}
				}
			}
		case awstype.Distribution:
			origins, _ := r.Inputs["origins"].([]any)
			for i := range origins {
				domain := Get(r.Inputs, "origins", i, "domainName")
				if bucket := byOutput(awstype.Bucket, "bucketRegionalDomainName", domain); bucket != nil {
					edge(id(r.URN), "-.->", "OAC", id(bucket.URN))
				}
				// A custom origin reached by a name the stack aliases to its load balancer.
				for _, record := range p.OfType(awstype.Record) {
					if record.Inputs["name"] != domain {
						continue
					}
					if lb := byOutput(awstype.LoadBalancer, "dnsName", strings.TrimPrefix(aliasOf(record), "dualstack.")); lb != nil {
						edge(id(r.URN), "-->", fmt.Sprint(domain), id(lb.URN))
					}
				}
			}
		}
	}
	for _, group := range p.OfType(awstype.AutoScalingGroup) {
		arns, _ := group.Inputs["targetGroupArns"].([]any)
		for _, arn := range arns {
			if tg := byOutput(awstype.TargetGroup, "arn", arn); tg != nil {
				edge(id(tg.URN), "-->", "", id(group.URN))
			}
		}
	}
	for _, att := range p.OfType(awstype.TargetGroupAttachment) {
		tg := byOutput(awstype.TargetGroup, "arn", att.Inputs["targetGroupArn"])
		for _, in := range p.OfType(awstype.Instance) {
			if tg != nil && att.Inputs["targetId"] == in.ID {
				edge(id(tg.URN), "-->", "", id(in.URN))
			}
		}
	}
	sort.Strings(edges)
	for _, e := range edges {
		b.WriteString(e + "\n")
	}
	return b.String()
}

// WithDiagram returns a document (README.md, a file of docs/) with the Mermaid block that follows the marker
// <!-- plan diagram: STACK --> replaced by the plan's diagram, and whether the marker is there.
func (p *Plan) WithDiagram(doc string) (string, bool) {
	marker := "<!-- plan diagram: " + p.Stack + " -->\n"
	before, rest, found := strings.Cut(doc, marker)
	if !found {
		return doc, false
	}
	_, after, found := strings.Cut(rest, "\n```\n")
	if !found {
		return doc, false
	}
	return before + marker + "```mermaid\n" + p.Mermaid() + "```\n" + after, true
}

func failoverRole(r Resource) string {
	role, _ := Get(r.Inputs, "failoverRoutingPolicies", 0, "type").(string)
	return role
}

func nodeName(r Resource) string {
	if r.Type == awstype.Record {
		return strings.TrimSpace(fmt.Sprintf("%s %s %s", r.Inputs["name"], r.Inputs["type"], failoverRole(r)))
	}
	return r.Name
}

func hasShownDescendant(urn string, children map[string][]Resource, shown map[string]bool) bool {
	for _, c := range children[urn] {
		if shown[c.URN] || hasShownDescendant(c.URN, children, shown) {
			return true
		}
	}
	return false
}

// shortType turns "route53-failover:index:MainSite" into "MainSite".
func shortType(t string) string {
	return t[strings.LastIndex(t, ":")+1:]
}
