package mockcloud

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// TestRoute53Throttle: with another client sharing the account's Route 53 bucket, a request that
// finds it empty is refused as Route 53 refuses it, one that finds a token takes it, the bucket
// refills at its rate up to its burst, and other services' requests pass.
func TestRoute53Throttle(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	const record, bucket = "aws:route53/record:Record", "aws:s3/bucketV2:BucketV2"
	tests := []struct {
		name       string
		throttle   *Throttle
		typ        string
		after      time.Duration
		refused    bool
		wantTokens float64
	}{
		{name: "empty bucket", throttle: &Throttle{Refill: 2}, typ: record, refused: true},
		{name: "refilled", throttle: &Throttle{Refill: 2}, typ: record, after: time.Second, wantTokens: 1},
		{name: "refilled up to the burst", throttle: &Throttle{Refill: 2}, typ: record, after: time.Hour, wantTokens: Route53Burst - 1},
		{name: "a token left", throttle: &Throttle{Tokens: 1}, typ: record, wantTokens: 0},
		{name: "another service", throttle: &Throttle{}, typ: bucket, wantTokens: 0},
		{name: "no other client", typ: record},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.throttle != nil {
				tt.throttle.Updated = start
			}
			err := tt.throttle.take(tt.typ, start.Add(tt.after))
			var retried *RetriedError
			if refused := errors.As(err, &retried); refused != tt.refused {
				t.Fatalf("take = %v, refused %v", err, tt.refused)
			}
			if tt.refused && (retried.Window != 0 || err.Error() != "Throttling: Rate exceeded") {
				t.Errorf("refused with %q (window %v), want Route 53's Throttling: Rate exceeded, retried by attempts", err, retried.Window)
			}
			if tt.throttle != nil && tt.throttle.Tokens != tt.wantTokens {
				t.Errorf("the bucket holds %v tokens, want %v", tt.throttle.Tokens, tt.wantTokens)
			}
		})
	}
}

// TestThrottledRequestChangesNothing: in the engine's account a throttled create, update or
// delete of a Route 53 resource leaves the account as it was.
func TestThrottledRequestChangesNothing(t *testing.T) {
	a := NewAccount(Existing{Zones: []Zone{PublicZone("example.com")}})
	c := ForEngine(a, "eu-west-1")
	inputs := func(ip string) resource.PropertyMap {
		return resource.NewPropertyMapFromMap(map[string]any{"zoneId": ZoneIDFor("example.com"), "name": "www.example.com",
			"type": "A", "ttl": 60, "records": []any{ip}})
	}
	id, _, err := c.Create(recURN+"www", inputs("192.0.2.1"))
	if err != nil {
		t.Fatal(err)
	}
	a.Throttle = &Throttle{Updated: time.Now()}
	if _, _, err := c.Create(recURN+"other", inputs("192.0.2.3")); err == nil {
		t.Error("a create went through an empty bucket")
	}
	if _, err := c.Update(recURN+"www", id, inputs("192.0.2.2")); err == nil {
		t.Error("an update went through an empty bucket")
	}
	if err := c.Delete(recURN+"www", id); err == nil {
		t.Error("a delete went through an empty bucket")
	}
	var values []string
	for _, set := range a.RecordSets {
		if set.Name == "www.example.com" {
			values = append(values, set.Values...)
		}
	}
	if len(a.Resources) != 1 || strings.Join(values, ",") != "192.0.2.1" {
		t.Errorf("after throttled requests the account holds %d resources and www's record set %v, want the record as created", len(a.Resources), values)
	}
}

// TestNewRoleIsNotAssumableAtOnce: Lambda refuses a function whose role IAM has not propagated
// yet, and a role whose trust policy does not name Lambda; the provider retries both for
// LambdaRoleWait. A mock run has no clock: its roles are propagated at once.
func TestNewRoleIsNotAssumableAtOnce(t *testing.T) {
	const roleURN = "urn:pulumi:dev::p::aws:iam/role:Role::edge"
	const functionURN = "urn:pulumi:dev::p::aws:lambda/function:Function::edge"
	trust := func(service string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":["` + service + `"]}}]}`
	}
	tests := []struct {
		name       string
		service    string
		propagated bool
		wantErr    string
	}{
		{name: "propagated", service: "lambda.amazonaws.com", propagated: true},
		{name: "just created", service: "lambda.amazonaws.com", wantErr: "cannot be assumed by Lambda"},
		{name: "trust without Lambda", service: "ec2.amazonaws.com", propagated: true, wantErr: "cannot be assumed by Lambda"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := NewAccount(Existing{})
			c := ForEngine(a, "us-east-1")
			_, role, err := c.Create(roleURN, resource.NewPropertyMapFromMap(map[string]any{"assumeRolePolicy": trust(tt.service)}))
			if err != nil {
				t.Fatal(err)
			}
			stored, _ := c.resource("aws:iam/role:Role", role["name"].StringValue())
			if wait := time.Until(stored.Propagated); wait <= 0 || wait > IAMPropagationTime {
				t.Errorf("a new role propagates in %v, want within %v", wait, IAMPropagationTime)
			}
			if tt.propagated {
				stored.Propagated = time.Now().Add(-time.Second)
			}
			_, _, err = c.Create(functionURN, resource.NewPropertyMapFromMap(map[string]any{"role": role["arn"].StringValue(),
				"runtime": "nodejs20.x", "publish": true}))
			var retried *RetriedError
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("function: %v", err)
			case tt.wantErr != "" && (!errors.As(err, &retried) || !strings.Contains(err.Error(), tt.wantErr) || retried.Window != LambdaRoleWait):
				t.Fatalf("function: %v, want %q, retried for %v", err, tt.wantErr, LambdaRoleWait)
			}
		})
	}
}
