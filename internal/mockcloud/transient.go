package mockcloud

import (
	"strings"
	"time"
)

// Transient answers: what AWS refuses for a moment and the AWS provider retries by itself, so
// that pulumi up sees nothing of them but the time they take. Only the engine's account gives
// them (the offline plan has no clock); the engine's plugin retries them as the provider does.

// RetriedError is an AWS answer the provider retries. With a Window, it polls for that long (a
// new group's capacity, a role Lambda cannot assume yet); without one, it tries the request up to
// its maxRetries times, backing off between attempts (a throttled request). In a mock run it is
// final.
type RetriedError struct {
	err error
	// Window is how long the provider keeps retrying, scaled down to the simulation's pace.
	Window time.Duration
}

// Error is AWS's (or the provider's) message.
func (e *RetriedError) Error() string { return e.err.Error() }

// IAMPropagationTime is how long, in the engine's account, a new role takes to become assumable
// by Lambda. IAM "uses a distributed computing model called eventual consistency": a change
// "takes time to become visible from all possible endpoints" (IAM User Guide, "Changes that I
// make are not always immediately visible":
// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency).
// Until then CreateFunction answers as for a role that Lambda may not assume.
const IAMPropagationTime = 2 * time.Second

// LambdaRoleWait is how long the engine's plugin retries a function whose role Lambda cannot
// assume: the provider retries CreateFunction on "The role defined for the function cannot be
// assumed by Lambda" for minutes (retryFunctionOp in terraform-provider-aws'
// internal/service/lambda/function.go, which pulumi-aws bridges), scaled down to the
// simulation's pace.
const LambdaRoleWait = 20 * time.Second

// Route 53's request-rate bucket for an account: it holds at most Route53Burst tokens and
// gains Route53Refill a second; every request takes one, and one that finds it empty is refused
// with HTTP 400, Code "Throttling", Message "Rate exceeded" (Route 53 Developer Guide,
// "Throttling for Amazon Route 53 API requests":
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/throttling-api-requests.html).
const (
	Route53Burst  = 50
	Route53Refill = 10
)

// Throttle is the account's Route 53 request-rate bucket while another client shares it (a
// test sets it; without one the stack has the bucket to itself, and its few requests never
// empty it). The simulation takes a token for each request that changes the account.
type Throttle struct {
	// Tokens is what the bucket held at Updated.
	Tokens  float64   `json:"tokens"`
	Updated time.Time `json:"updated"`
	// Refill is how many tokens a second reach the stack: Route53Refill, less what the other
	// client takes.
	Refill float64 `json:"refill"`
}

// take takes a token for a request of the resource type typ at now, or refuses the request as
// Route 53 does when the bucket is empty. Other services' requests pass.
func (t *Throttle) take(typ string, now time.Time) error {
	if t == nil || !strings.HasPrefix(typ, "aws:route53/") {
		return nil
	}
	t.Tokens = min(Route53Burst, t.Tokens+t.Refill*now.Sub(t.Updated).Seconds())
	t.Updated = now
	if t.Tokens < 1 {
		return &RetriedError{err: errorf("Throttling", "Rate exceeded")}
	}
	t.Tokens--
	return nil
}
