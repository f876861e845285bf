package edgeorigin

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func TestValidateFor(t *testing.T) {
	served := []string{"example.com", "www.example.com"}
	tests := []struct {
		name    string
		origin  Origin
		zone    string
		wantErr string // empty: accepted
	}{
		{"a name under the zone, not served", Origin{Name: "origin.example.com"}, "example.com", ""},
		{"a name in another zone", Origin{Name: "origin.example.org"}, "example.com",
			`Name: invalid value "origin.example.org": a name under example.com that is not served`},
		{"a served name", Origin{Name: "www.example.com"}, "example.com",
			`Name: invalid value "www.example.com": a name that is not served`},
		{"a served name, no zone to be under", Origin{Name: "example.com"}, "",
			`Name: invalid value "example.com": a name that is not served`},
		{"any zone when none is given", Origin{Name: "origin.example.org"}, "", ""},
		{"not a DNS name", Origin{Name: "origin_.example.com!"}, "example.com", `Name: invalid value`},
		{"a secret with a wildcard", Origin{Name: "origin.example.com", Secret: pulumi.String("0123456789abcdef*")},
			"example.com", `Secret: invalid value "[secret]": 16-128 characters without * or ?`},
		{"a previous secret without a secret", Origin{Name: "origin.example.com", PreviousSecret: pulumi.String("0123456789abcdef")},
			"example.com", "PreviousSecret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.origin.ValidateFor(tt.zone, served)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("error = %v, want %q", err, tt.wantErr)
			}
		})
	}
}
