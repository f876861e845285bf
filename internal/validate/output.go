package validate

import (
	"context"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"
)

// Output checks a value given as an Output (a secret from config, say) as check checks a plain
// one, and masks a secret in the error. A plain value is left to the Args' own Validate; a config
// value is known at once; an unknown one (an output of a resource during a preview) is left to
// AWS to check.
func Output(ctx context.Context, input pulumi.StringInput, check func(string) error) error {
	if _, plain := input.(pulumi.String); plain || input == nil {
		return nil
	}
	result, err := internals.UnsafeAwaitOutput(ctx, input.ToStringOutput())
	if err != nil || !result.Known {
		return err
	}
	value, _ := result.Value.(string)
	if err := check(value); err != nil {
		if result.Secret {
			return Masked(err)
		}
		return err
	}
	return nil
}

// Required refuses an input left unset, naming its Args field. cmp.Or of several reports the
// first.
func Required(field string, input pulumi.Input) error {
	if input == nil {
		return Invalid(field, "", "required")
	}
	return nil
}
