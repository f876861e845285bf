// Package edgeorigin owns what the parts of edge mode must agree on: the name CloudFront reaches
// the main site by, the secret it proves itself with, and the header that carries the secret.
// One Origin value, given to mainsite.Args.CloudFrontOrigin and errorsite.Edge.Origin, keeps the
// load balancer and the distribution in step; two values that differ would get every request
// refused (403) or sent to a name the load balancer has no certificate for.
package edgeorigin

import (
	"context"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/pkg/internal/validate"
)

// SecretHeader is the request header CloudFront sends the secret in, and the one the load
// balancer's rule reads it from.
const SecretHeader = "X-Origin-Verify"

// Limits of an Application Load Balancer's HTTP header condition (ELB User Guide, "Listener
// rules for your Application Load Balancer", condition types): a value is at most 128
// characters, and "*" and "?" in it are wildcards. 16 is this project's floor, against guessing.
const (
	MinSecretLength = 16
	MaxSecretLength = 128
)

// Origin is the main site as CloudFront's origin.
type Origin struct {
	// Name is the DNS name CloudFront reaches the load balancer by, inside the served zone but
	// not served itself, such as origin.example.com. The main site publishes it as an alias of
	// the load balancer and covers it with a certificate, since CloudFront checks the origin's
	// certificate against it. Required.
	Name string
	// Secret, when set, is sent by CloudFront in SecretHeader with every request, and the load
	// balancer forwards only requests that carry it (others get 403), so that no other
	// distribution can use the origin. 16-128 characters without "*" or "?". It is kept secret
	// wherever it goes. Default nil: no header, every request that reaches the load balancer is
	// forwarded.
	Secret pulumi.StringInput
}

// Validate checks Name, and Secret when it is a plain value (CheckSecretOutput checks the
// others); errors name the field within Origin.
func (o Origin) Validate() error {
	if err := validate.DomainName("Name", o.Name); err != nil {
		return err
	}
	if secret, plain := o.Secret.(pulumi.String); plain {
		return CheckSecret("Secret", string(secret))
	}
	return nil
}

// CheckSecret checks a secret's length and the characters a listener rule would read as
// wildcards. The error never shows the secret.
func CheckSecret(field, secret string) error {
	if n := len(secret); n < MinSecretLength || n > MaxSecretLength || strings.ContainsAny(secret, "*?") {
		return validate.Masked(validate.Invalid(field, "", "16-128 characters without * or ? (a load balancer rule reads them as wildcards); for example: openssl rand -hex 32"))
	}
	return nil
}

// CheckSecretOutput checks a Secret given as an Output (a secret from config, say) as Validate
// checks a plain one, without showing it; an unknown value (during a preview) is left to AWS.
func (o Origin) CheckSecretOutput(ctx context.Context) error {
	return validate.Output(ctx, o.Secret, func(v string) error { return CheckSecret("Secret", v) })
}
