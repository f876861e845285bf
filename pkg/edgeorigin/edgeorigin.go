// Package edgeorigin owns what the parts of edge mode must agree on: the name CloudFront reaches
// the main site by, the secret it proves itself with, and the header that carries the secret.
// One Origin value, given to mainsite.Args.CloudFrontOrigin and to edgefailover's origin group,
// keeps the load balancer and the distribution in step; two values that differ would get every
// request refused (403) or sent to a name the load balancer has no certificate for.
package edgeorigin

import (
	"context"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
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
	// PreviousSecret, while a secret is rotated, is the one CloudFront sent before Secret: the
	// load balancer forwards requests that carry either, since the distribution's edges take
	// minutes to send the new one (an ALB header condition takes several values: ELB User Guide,
	// "Listener rules for your Application Load Balancer"). Same rules as Secret; only with
	// Secret. Default nil: Secret alone.
	PreviousSecret pulumi.StringInput
}

// Validate checks Name, and Secret when it is a plain value (CheckSecretOutput checks the
// others); errors name the field within Origin.
func (o Origin) Validate() error {
	if err := validate.DomainName("Name", o.Name); err != nil {
		return err
	}
	if o.PreviousSecret != nil && o.Secret == nil {
		return validate.Masked(validate.Invalid("PreviousSecret", "", "only with Secret, during a rotation", "Secret"))
	}
	for field, secret := range map[string]pulumi.StringInput{"Secret": o.Secret, "PreviousSecret": o.PreviousSecret} {
		if plain, ok := secret.(pulumi.String); ok {
			if err := CheckSecret(field, string(plain)); err != nil {
				return err
			}
		}
	}
	return nil
}

// ValidateFor checks the origin of a site that serves the names served: Validate's checks, Name
// not one of them (they point at CloudFront, which would send the requests back to itself), and
// when zone is set, Name inside it (the main site publishes Name in that zone). Every part of
// edge mode checks its origin here; errors name the field within Origin.
func (o Origin) ValidateFor(zone string, served []string) error {
	if err := o.Validate(); err != nil {
		return err
	}
	if zone != "" && !strings.HasSuffix(o.Name, "."+zone) {
		return validate.Invalid("Name", o.Name, "a name under "+zone+" that is not served, such as origin."+zone+
			": the main site publishes it in that zone")
	}
	if slices.Contains(served, o.Name) {
		return validate.Invalid("Name", o.Name, "a name that is not served: the served names point at CloudFront, "+
			"which would send the requests back to itself")
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

// CheckSecretOutput checks Secret and PreviousSecret given as Outputs (secrets from config, say)
// as Validate checks plain ones, without showing them; an unknown value (during a preview) is
// left to AWS.
func (o Origin) CheckSecretOutput(ctx context.Context) error {
	if err := validate.Output(ctx, o.Secret, func(v string) error { return CheckSecret("Secret", v) }); err != nil {
		return err
	}
	return validate.Output(ctx, o.PreviousSecret, func(v string) error { return CheckSecret("PreviousSecret", v) })
}

// AcceptedSecrets are the values the load balancer's rule accepts in SecretHeader: Secret, and
// PreviousSecret during a rotation, each kept secret.
func (o Origin) AcceptedSecrets() pulumi.StringArray {
	values := pulumi.StringArray{pulumi.ToSecret(o.Secret).(pulumi.StringOutput)}
	if o.PreviousSecret != nil {
		values = append(values, pulumi.ToSecret(o.PreviousSecret).(pulumi.StringOutput))
	}
	return values
}
