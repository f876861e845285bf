// Package rehearsal owns the engine rehearsal: tests that run this project's programs under the
// real Pulumi CLI and its Go language host, on a temporary file backend, against the simulated
// AWS plugin (cmd/mockcloud-aws-plugin) and its account, the same simulated account as the
// offline plan. They drive the dev stack (preview, up, an up that changes nothing, a config
// change, destroy), a secret config value through to the exported state, the documented
// commands (README.md and docs/: deploying, a created hosted zone, teardown, switching modes, the
// sandbox, pulumi new), every example, and an upgrade from the previous commit's program.
//
// The tests skip, saying what to install, when pulumi and pulumi-language-go are not on PATH,
// and in -short mode. Nothing outside their temporary folders changes: each copies the project,
// and PULUMI_HOME, the backend and the account live under the test's folders.
package rehearsal
