package mockcloud

import (
	"reflect"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

func TestDecode(t *testing.T) {
	ttl := 300.0
	tests := []struct {
		name string
		in   resource.PropertyMap
		want recordInputs
	}{
		{"plain values and a nested block",
			resource.NewPropertyMapFromMap(map[string]any{
				"name": "www.example.com", "type": "A", "ttl": 300, "records": []any{"192.0.2.1"},
				"failoverRoutingPolicies": []any{map[string]any{"type": "PRIMARY"}},
			}),
			recordInputs{Name: "www.example.com", Type: "A", TTL: &ttl, Records: []string{"192.0.2.1"},
				FailoverRoutingPolicies: []struct {
					Type string `pulumi:"type"`
				}{{Type: "PRIMARY"}}}},
		{"a secret reads as its value",
			resource.PropertyMap{"setIdentifier": resource.MakeSecret(resource.NewProperty("primary"))},
			recordInputs{SetIdentifier: "primary"}},
		{"a value not yet known reads as absent, an input not read is ignored",
			resource.PropertyMap{
				"ttl":     resource.MakeComputed(resource.NewProperty("")),
				"zoneId":  resource.NewProperty(resource.Output{Known: false}),
				"comment": resource.NewProperty("unread"),
			},
			recordInputs{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decode[recordInputs](tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("decode = %+v, want %+v", got, tt.want)
			}
		})
	}
	if _, err := decode[recordInputs](resource.PropertyMap{"ttl": resource.NewProperty("long")}); err == nil {
		t.Error("a string ttl decoded; want an InvalidInput error")
	}
}

// TestDecodeEmbedded: an ordered cache behaviour is a cache behaviour with a path pattern; the
// embedded struct's inputs decode as the outer one's.
func TestDecodeEmbedded(t *testing.T) {
	in := resource.NewPropertyMapFromMap(map[string]any{"orderedCacheBehaviors": []any{
		map[string]any{"pathPattern": "/errors/*", "targetOriginId": "error-bucket", "allowedMethods": []any{"GET", "HEAD"}},
	}})
	got, err := decode[distributionInputs](in)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.OrderedCacheBehaviors) != 1 {
		t.Fatalf("decoded %d ordered behaviours, want 1", len(got.OrderedCacheBehaviors))
	}
	b := got.OrderedCacheBehaviors[0]
	if b.PathPattern != "/errors/*" || b.TargetOriginID != "error-bucket" || len(b.AllowedMethods) != 2 {
		t.Errorf("decoded %+v", b)
	}
}
