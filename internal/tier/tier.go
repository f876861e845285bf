// Package tier says which tests run. By default the fast tier: everything quick that needs nothing
// but Go. With FULL_TESTS=1 (what .ci/run sets) also the full tier: the engine rehearsal (the
// Pulumi CLI), the failover command against moto (Python), the edge function under Node.js; and
// a full-tier test that cannot run fails instead of skipping, so that CI never passes without it.
package tier

import (
	"os"
	"testing"
)

// Env is the environment variable that turns the full tier on.
const Env = "FULL_TESTS"

// Full reports whether the full tier runs.
func Full() bool { return os.Getenv(Env) == "1" }

// Needs skips t in the fast tier, saying what it needs. In the full tier it fails t when
// missing is not nil (the tool is not installed, say), and lets it run otherwise.
func Needs(t testing.TB, what string, missing error) {
	t.Helper()
	switch {
	case !Full():
		t.Skipf("full tier (%s=1): needs %s", Env, what)
	case missing != nil:
		t.Fatalf("%s=1 and %s cannot run: %v", Env, what, missing)
	}
}
