package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAdopt: the records a zone holds for the served names become the stack's, each the record
// that would be created in its place, under the id the provider imports it by; what cannot be
// adopted is refused, naming the record.
func TestAdopt(t *testing.T) {
	const zone = "Z0123456789ABCDEFGHIJ"
	dns := stackFile(t, "prod", fixedStack)
	edge := stackFile(t, "prod", fixedStack+"  failoverMode: edge\n")
	plainA := `{"Name": "example.com.", "Type": "A", "TTL": 300, "ResourceRecords": [{"Value": "203.0.113.10"}]},
		{"Name": "www.example.com.", "Type": "A", "TTL": 300, "ResourceRecords": [{"Value": "203.0.113.10"}]}`
	handBuiltPair := `{"Name": "example.com.", "Type": "A", "SetIdentifier": "Primary", "Failover": "PRIMARY",
			"AliasTarget": {"HostedZoneId": "Z14GRHDCWA56QT", "DNSName": "old.elb.amazonaws.com.", "EvaluateTargetHealth": true}},
		{"Name": "example.com.", "Type": "A", "SetIdentifier": "Secondary", "Failover": "SECONDARY",
			"AliasTarget": {"HostedZoneId": "Z2FDTNDATAQYW2", "DNSName": "d111111abcdef8.cloudfront.net.", "EvaluateTargetHealth": false}}`
	other := `{"Name": "example.com.", "Type": "MX", "TTL": 300, "ResourceRecords": [{"Value": "10 mail.example.com"}]},
		{"Name": "_abc.example.com.", "Type": "CNAME", "TTL": 300, "ResourceRecords": [{"Value": "_x.acm-validations.aws."}]}`
	primary := func(name string) string { return "site-dns-" + name + "-A-primary" }
	tests := []struct {
		name, config, records string
		want                  map[string]string // logical name → id
		warn, wantErr         string
	}{
		{"plain records become the PRIMARY records", dns, plainA + "," + other,
			map[string]string{primary("example.com"): zone + "_example.com_A", primary("www.example.com"): zone + "_www.example.com_A"}, "", ""},
		{"a hand-built pair becomes the pair", dns, handBuiltPair,
			map[string]string{primary("example.com"): zone + "_example.com_A_Primary", "site-dns-example.com-A-secondary": zone + "_example.com_A_Secondary"}, "", ""},
		{"an AAAA the stack does not publish stays", dns, plainA + `, {"Name": "example.com.", "Type": "AAAA", "TTL": 300, "ResourceRecords": [{"Value": "2001:db8::1"}]}`,
			map[string]string{primary("example.com"): zone + "_example.com_A", primary("www.example.com"): zone + "_www.example.com_A"},
			"example.com AAAA stays as it is", ""},
		{"edge mode adopts plain records", edge, plainA,
			map[string]string{"site-edge-example.com-A": zone + "_example.com_A", "site-edge-www.example.com-A": zone + "_www.example.com_A"}, "", ""},
		{"edge mode cannot adopt a failover pair", edge, handBuiltPair, nil, "", "example.com A is a PRIMARY failover record"},
		{"weighted records are refused", dns, `{"Name": "example.com.", "Type": "A", "SetIdentifier": "blue", "Weight": 10, "TTL": 60,
			"ResourceRecords": [{"Value": "203.0.113.10"}]}`, nil, "", `example.com A (set "blue") has a routing policy other than failover`},
		{"nothing to adopt", dns, other, nil, "", "the zone holds no record of the served names to adopt: run pulumi up"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			records := filepath.Join(t.TempDir(), "records.json")
			if err := os.WriteFile(records, []byte(`{"ResourceRecordSets": [`+tt.records+`]}`), 0o644); err != nil {
				t.Fatal(err)
			}
			var out, errOut bytes.Buffer
			err := run([]string{"adopt", "-project-dir", "../..", "-config-file", tt.config, "-zone-id", "/hostedzone/" + zone, "-records", records}, &out, &errOut)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var file importFile
			if err := json.Unmarshal(out.Bytes(), &file); err != nil {
				t.Fatalf("not an import file: %v\n%s", err, out.String())
			}
			got := map[string]string{}
			for _, r := range file.Resources {
				got[r.Name] = r.ID
				urn := file.NameTable[r.Parent]
				dns := strings.HasSuffix(urn, "$route53-failover:index:FailoverDNS::site-dns")
				edge := strings.HasSuffix(urn, "$route53-failover:index:EdgeFailover::site-edge")
				if r.Type != recordType || !(dns || edge) ||
					!strings.HasPrefix(urn, "urn:pulumi:prod::"+project+"::") {
					t.Errorf("%s: type %s, parent %s (%s)", r.Name, r.Type, r.Parent, urn)
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("adopts %v, want %v", got, tt.want)
			}
			for name, id := range tt.want {
				if got[name] != id {
					t.Errorf("%s adopts %q, want %q", name, got[name], id)
				}
			}
			if !strings.Contains(errOut.String(), tt.warn) || tt.warn == "" && errOut.Len() > 0 {
				t.Errorf("printed %q, want %q", errOut.String(), tt.warn)
			}
		})
	}
}
