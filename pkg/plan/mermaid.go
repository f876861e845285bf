package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
)

// diagramTypes are the resources a diagram shows (a short label each): what traffic and the
// failover pass through, and what they depend on. Networking plumbing (routes, rules) is left
// out to keep the picture readable.
var diagramTypes = map[string]string{
	"aws:route53/zone:Zone":                                  "hosted zone",
	"aws:route53/record:Record":                              "record",
	"aws:route53/healthCheck:HealthCheck":                    "health check",
	"aws:lb/loadBalancer:LoadBalancer":                       "load balancer",
	"aws:lb/listener:Listener":                               "listener",
	"aws:lb/targetGroup:TargetGroup":                         "target group",
	"aws:ec2/instance:Instance":                              "instance",
	"aws:autoscaling/group:Group":                            "Auto Scaling group",
	"aws:ec2/vpc:Vpc":                                        "VPC",
	"aws:cloudfront/distribution:Distribution":               "CloudFront",
	"aws:cloudfront/originAccessControl:OriginAccessControl": "origin access control",
	"aws:s3/bucketV2:BucketV2":                               "S3 bucket",
	"aws:s3/bucketObjectv2:BucketObjectv2":                   "page",
	"aws:acm/certificate:Certificate":                        "certificate",
	"aws:cloudwatch/metricAlarm:MetricAlarm":                 "alarm",
	"aws:sns/topic:Topic":                                    "SNS topic",
}

// Mermaid renders the plan as a Mermaid flowchart: components as subgraphs, the traffic path
// (users → PRIMARY records → load balancer → listener → target group → instance) in solid
// arrows, the failover path (SECONDARY records → CloudFront → bucket) in dotted arrows, and the
// health check watching the load balancer. Validation records are left out.
func (p *Plan) Mermaid() string {
	// Node ids derive from URNs, so adding a resource never renames the others' nodes.
	id := func(urn string) string {
		sum := sha256.Sum256([]byte(urn))
		return "n" + hex.EncodeToString(sum[:5])
	}
	shown := map[string]bool{}
	for _, r := range p.Resources {
		if _, ok := diagramTypes[r.Type]; ok && !(r.Type == "aws:route53/record:Record" && failoverRole(r) == "") {
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
				fmt.Fprintf(&b, "%s%s[\"%s<br/>%s\"]\n", indent, id(r.URN), diagramTypes[r.Type], nodeName(r))
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
	byOutput := func(typ, key string, value any) *Resource {
		for i := range p.Resources {
			if r := &p.Resources[i]; r.Type == typ && value != nil && r.Outputs[key] == value {
				return r
			}
		}
		return nil
	}
	for _, r := range p.Resources {
		if !shown[r.URN] {
			continue
		}
		switch r.Type {
		case "aws:route53/record:Record":
			role := failoverRole(r)
			alias, _ := Get(r.Inputs, "aliases", 0, "name").(string)
			arrow := "-->"
			if role == "SECONDARY" {
				arrow = "-.->"
			}
			edge("users", arrow, fmt.Sprint(r.Inputs["name"]), id(r.URN))
			if lb := byOutput("aws:lb/loadBalancer:LoadBalancer", "dnsName", strings.TrimPrefix(alias, "dualstack.")); lb != nil {
				edge(id(r.URN), arrow, role, id(lb.URN))
			}
			if cdn := byOutput("aws:cloudfront/distribution:Distribution", "domainName", alias); cdn != nil {
				edge(id(r.URN), arrow, role, id(cdn.URN))
			}
		case "aws:route53/healthCheck:HealthCheck":
			if lb := byOutput("aws:lb/loadBalancer:LoadBalancer", "dnsName", r.Inputs["fqdn"]); lb != nil {
				edge(id(r.URN), "-.-", "HTTPS "+fmt.Sprint(r.Inputs["resourcePath"]), id(lb.URN))
			}
		case "aws:lb/listener:Listener":
			if lb := byOutput("aws:lb/loadBalancer:LoadBalancer", "arn", r.Inputs["loadBalancerArn"]); lb != nil {
				edge(id(lb.URN), "-->", "", id(r.URN))
			}
			if tg := byOutput("aws:lb/targetGroup:TargetGroup", "arn", Get(r.Inputs, "defaultActions", 0, "targetGroupArn")); tg != nil {
				edge(id(r.URN), "-->", "", id(tg.URN))
			}
			if Get(r.Inputs, "defaultActions", 0, "type") == "redirect" {
				for _, to := range p.OfType("aws:lb/listener:Listener") {
					if to.Inputs["loadBalancerArn"] == r.Inputs["loadBalancerArn"] &&
						fmt.Sprint(to.Inputs["port"]) == fmt.Sprint(Get(r.Inputs, "defaultActions", 0, "redirect", "port")) {
						edge(id(r.URN), "-.->", "301", id(to.URN))
					}
				}
			}
		case "aws:cloudfront/distribution:Distribution":
			if bucket := byOutput("aws:s3/bucketV2:BucketV2", "bucketRegionalDomainName", Get(r.Inputs, "origins", 0, "domainName")); bucket != nil {
				edge(id(r.URN), "-.->", "OAC", id(bucket.URN))
			}
		}
	}
	for _, group := range p.OfType("aws:autoscaling/group:Group") {
		arns, _ := group.Inputs["targetGroupArns"].([]any)
		for _, arn := range arns {
			if tg := byOutput("aws:lb/targetGroup:TargetGroup", "arn", arn); tg != nil {
				edge(id(tg.URN), "-->", "", id(group.URN))
			}
		}
	}
	for _, att := range p.OfType("aws:lb/targetGroupAttachment:TargetGroupAttachment") {
		tg := byOutput("aws:lb/targetGroup:TargetGroup", "arn", att.Inputs["targetGroupArn"])
		for _, in := range p.OfType("aws:ec2/instance:Instance") {
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

// WithDiagram returns a document (the README) with the Mermaid block that follows the marker
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
	if r.Type == "aws:route53/record:Record" {
		return fmt.Sprintf("%s %s %s", r.Inputs["name"], r.Inputs["type"], failoverRole(r))
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
