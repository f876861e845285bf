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
