package plan

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
)

// LoadStack reads a stack's configuration the way the Pulumi CLI would, with the SDK's own
// loaders: Pulumi.yaml in projectDir (its name, stackConfigDir and config defaults) and the stack
// file, stacks/Pulumi.<stack>.yaml or configFile when given. Without a stack name, a config file
// named Pulumi.<stack>.yaml names the stack. Secure values cannot be decrypted offline: they
// become "[secret]" and are listed as secret keys. A stack value of the wrong type for its
// declared key, or an undeclared key in the project's namespace (a typo), is an error.
func LoadStack(projectDir, stack, configFile string) (Options, error) {
	if stack == "" {
		stack = stackOfFile(configFile)
	}
	if stack == "" {
		return Options{}, fmt.Errorf("no stack: name one, or give a config file named Pulumi.<stack>.yaml")
	}
	projectPath := filepath.Join(projectDir, "Pulumi.yaml")
	project, err := workspace.LoadProject(projectPath)
	if err != nil {
		return Options{}, fmt.Errorf("reading %s: %w", projectPath, err)
	}
	if configFile == "" {
		stackDir := filepath.Join(projectDir, project.StackConfigDir)
		configFile = filepath.Join(stackDir, "Pulumi."+stack+".yaml")
		if _, err := os.Stat(configFile); err != nil {
			return Options{}, fmt.Errorf("stack %q: no stack file %s (stacks there: %s)", stack, configFile, strings.Join(stacksIn(stackDir), ", "))
		}
	} else if _, err := os.Stat(configFile); err != nil {
		return Options{}, err
	}
	ps, err := workspace.LoadProjectStack(nil, project, configFile)
	if err != nil {
		return Options{}, fmt.Errorf("reading %s: %w", configFile, err)
	}

	opts := Options{Project: project.Name.String(), Stack: stack, Config: map[string]string{}, RootDirectory: projectDir}
	ns := opts.Project + ":"
	for key, v := range ps.Config {
		name := key.String()
		if v.Secure() {
			opts.Config[name] = Secret
			opts.SecretKeys = append(opts.SecretKeys, name)
			continue
		}
		text, err := v.Value(config.NewBlindingDecrypter())
		if err != nil {
			return Options{}, fmt.Errorf("%s: %s: %w", configFile, name, err)
		}
		if strings.HasPrefix(name, ns) {
			declared, ok := project.Config[strings.TrimPrefix(name, ns)]
			if !ok {
				hint := ""
				if near := validate.Nearest(name, declaredKeys(project, ns)); near != "" {
					hint = fmt.Sprintf("; did you mean %s?", near)
				}
				return Options{}, fmt.Errorf("%s: unknown config key %s%s Pulumi.yaml declares: %s",
					configFile, name, hint, strings.Join(declaredKeys(project, ns), ", "))
			}
			typed, err := v.ToObject()
			if err != nil {
				return Options{}, fmt.Errorf("%s: %s: %w", configFile, name, err)
			}
			if declared.IsExplicitlyTyped() && !workspace.ValidateConfigValue(declared.TypeName(), declared.Items, typed) {
				return Options{}, fmt.Errorf("%s: %s: %q is not of the declared type %s", configFile, name, text,
					workspace.InferFullTypeName(declared.TypeName(), declared.Items))
			}
		}
		opts.Config[name] = text
	}
	for key, declared := range project.Config {
		if strings.HasPrefix(key, "pulumi:") {
			continue // the engine's own settings (pulumi new adds pulumi:tags), not the program's
		}
		name := key
		if !strings.Contains(key, ":") {
			name = ns + key
		}
		if _, set := opts.Config[name]; set {
			continue
		}
		value := declared.Value
		if value == nil {
			value = declared.Default
		}
		if value == nil {
			continue
		}
		text, ok := value.(string)
		if !ok {
			b, err := json.Marshal(value)
			if err != nil {
				return Options{}, fmt.Errorf("%s: default of %s: %w", projectPath, key, err)
			}
			text = string(b)
		}
		opts.Config[name] = text
	}
	sort.Strings(opts.SecretKeys)
	return opts, nil
}

// stackOfFile returns the stack a stack file is named after (Pulumi.staging.yaml → staging), or "".
func stackOfFile(path string) string {
	base := filepath.Base(path)
	if !strings.HasPrefix(base, "Pulumi.") || !strings.HasSuffix(base, ".yaml") {
		return ""
	}
	return strings.TrimSuffix(strings.TrimPrefix(base, "Pulumi."), ".yaml")
}

func declaredKeys(project *workspace.Project, ns string) []string {
	var keys []string
	for k := range project.Config {
		if !strings.Contains(k, ":") { // another namespace's value is no key of the project's
			keys = append(keys, ns+k)
		}
	}
	sort.Strings(keys)
	return keys
}

func stacksIn(dir string) []string {
	files, _ := filepath.Glob(filepath.Join(dir, "Pulumi.*.yaml"))
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "Pulumi."), ".yaml"))
	}
	sort.Strings(names)
	return names
}

// AccountFile is the file, next to an example project's Pulumi.yaml, that describes what its
// account holds before the stack runs (see mockcloud.ReadExisting).
const AccountFile = "account.json"

// LoadExample is LoadStack for an example project: its stack, planned strictly, in an account
// that holds what the project's AccountFile describes.
func LoadExample(projectDir, stack string) (Options, error) {
	opts, err := LoadStack(projectDir, stack, "")
	if err != nil {
		return opts, err
	}
	if opts.Existing, err = mockcloud.ReadExisting(filepath.Join(projectDir, AccountFile)); err != nil {
		return opts, err
	}
	opts.Strict = true
	return opts, nil
}

// Exporting makes a Program of a program that exports its outputs itself, as pulumi.Run runs
// it; its plan has no outputs.
func Exporting(program func(ctx *pulumi.Context) error) Program {
	return func(ctx *pulumi.Context) (pulumi.Map, error) { return nil, program(ctx) }
}
