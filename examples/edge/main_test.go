package main

import (
	"testing"

	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

// TestEdgeMode: the example's distribution serves both names through the origin group, with the
// example's longer read timeout; the names are plain aliases to it, A and AAAA.
func TestEdgeMode(t *testing.T) {
	opts, err := plan.LoadExample(".", "dev")
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Run(opts, plan.Exporting(program))
	if err != nil {
		t.Fatal(err)
	}
	dist := p.Find("aws:cloudfront/distribution:Distribution", "shop-edge-cdn")
	if dist == nil || plan.Get(dist.Inputs, "defaultCacheBehavior", "targetOriginId") != "main-site-or-error-page" {
		t.Fatalf("no distribution in front of the origin group: %v", dist)
	}
	if got := plan.Get(dist.Inputs, "origins", 1, "customOriginConfig", "originReadTimeout"); got != 20.0 {
		t.Errorf("read timeout %v, want the example's 20 s", got)
	}
	aliases := map[string]bool{}
	for _, r := range p.OfType("aws:route53/record:Record") {
		name, _ := r.Inputs["name"].(string)
		if target, _ := plan.Get(r.Inputs, "aliases", 0, "name").(string); target == dist.Outputs["domainName"] {
			if r.Inputs["setIdentifier"] != nil {
				t.Errorf("%s is a failover record", name)
			}
			aliases[name+" "+r.Inputs["type"].(string)] = true
		}
	}
	for _, want := range []string{"shop.example.com A", "shop.example.com AAAA", "www.shop.example.com A", "www.shop.example.com AAAA"} {
		if !aliases[want] {
			t.Errorf("no alias %s to the distribution (have %v)", want, aliases)
		}
	}
}
