// Package sandbox owns what points the real Pulumi CLI at the simulated account instead of AWS:
// the simulated AWS plugin (cmd/mockcloud-aws-plugin) built and installed as resource plugin aws
// into a PULUMI_HOME of its own, a file backend, and the account file the plugin reads and
// writes. `plan sandbox` and the engine rehearsal share it.
package sandbox

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud/awsplugin"
)

// pluginPackage is the simulated plugin's command, built by its import path so that it builds
// from this module and from a module that requires it alike.
const pluginPackage = "github.com/seed-2b23e6e5/route53-failover/cmd/mockcloud-aws-plugin"

// Passphrase encrypts the secrets of a sandbox's stacks: they never leave the machine, and the
// sandbox is for trying things.
const Passphrase = "sandbox"

// InstallPlugin builds the simulated AWS plugin with the go command, in moduleDir, into workDir,
// and installs it into home as resource plugin aws at the version the program asks for. The
// Pulumi CLI must be on PATH.
func InstallPlugin(ctx context.Context, moduleDir, workDir, home string) error {
	plugin := filepath.Join(workDir, "mockcloud-aws-plugin")
	build := exec.CommandContext(ctx, "go", "build", "-o", plugin, pluginPackage)
	build.Dir = moduleDir
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("building the simulated AWS plugin: %v\n%s", err, out)
	}
	install := exec.CommandContext(ctx, "pulumi", "plugin", "install", "resource", "aws", awsplugin.Version, "--file", plugin)
	install.Env = append(os.Environ(), "PULUMI_HOME="+home, "PULUMI_SKIP_UPDATE_CHECK=1")
	if out, err := install.CombinedOutput(); err != nil {
		return fmt.Errorf("installing the simulated AWS plugin into %s: %v\n%s", home, err, out)
	}
	return nil
}

// Env is the environment that runs the Pulumi CLI against the sandbox of home, backend and
// account: the simulated plugin only (no download of the real one), and none of the user's AWS
// or Pulumi Cloud settings.
func Env(home, backend, account string) map[string]string {
	return map[string]string{
		"PULUMI_HOME":                                 home,
		"PULUMI_BACKEND_URL":                          "file://" + backend,
		"PULUMI_SKIP_UPDATE_CHECK":                    "1",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
		awsplugin.AccountEnv:                          account,
		"PULUMI_ACCESS_TOKEN":                         "", "AWS_REGION": "", "AWS_DEFAULT_REGION": "", "AWS_PROFILE": "",
	}
}

// Sandbox is one directory that holds a PULUMI_HOME with the plugin, a backend and an account.
type Sandbox struct {
	// Dir is the sandbox's directory.
	Dir string
}

// Open returns the sandbox in dir, setting it up on first use: the plugin (built in moduleDir),
// the backend, and an account that holds existing.
func Open(ctx context.Context, dir, moduleDir string, existing mockcloud.Existing) (*Sandbox, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	s := &Sandbox{Dir: dir}
	if _, err := os.Stat(s.account()); err == nil {
		return s, nil
	}
	if err := os.MkdirAll(s.backend(), 0o755); err != nil {
		return nil, err
	}
	if err := InstallPlugin(ctx, moduleDir, dir, s.home()); err != nil {
		return nil, err
	}
	// The account file comes last: its presence says the sandbox is ready.
	return s, mockcloud.NewAccount(existing).SaveAccount(s.account())
}

func (s *Sandbox) home() string    { return filepath.Join(s.Dir, "pulumi-home") }
func (s *Sandbox) backend() string { return filepath.Join(s.Dir, "backend") }
func (s *Sandbox) account() string { return filepath.Join(s.Dir, "account.json") }

// Env is the environment of commands run in the sandbox.
func (s *Sandbox) Env() map[string]string {
	env := Env(s.home(), s.backend(), s.account())
	env["PULUMI_CONFIG_PASSPHRASE"] = Passphrase
	return env
}
