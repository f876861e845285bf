package rehearsal

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
	"github.com/seed-2b23e6e5/route53-failover/internal/failover"
	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
	"github.com/seed-2b23e6e5/route53-failover/internal/snapshot"
	"github.com/seed-2b23e6e5/route53-failover/internal/stackconfig"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

// exampleZone is what the stacks the README and the tests set up need in the account: the public
// zone of their domain.
var exampleZone = mockcloud.Existing{Zones: []mockcloud.Zone{mockcloud.PublicZone("example.com")}}

// stackZone is what a stack of the project in dir needs in the account: the public zone of its
// domain, unless the stack creates it. It is read from the stack file, so that the rehearsal
// holds whatever the dev stack says.
func stackZone(dir, stack string) (mockcloud.Existing, error) {
	opts, err := plan.LoadStack(dir, stack, "")
	if err != nil {
		return mockcloud.Existing{}, err
	}
	if opts.Config[key("createHostedZone")] == "true" {
		return mockcloud.Existing{}, nil
	}
	return mockcloud.Existing{Zones: []mockcloud.Zone{mockcloud.PublicZone(opts.Config[key("domain")])}}, nil
}

// TestDevStack: the dev stack previews, comes up with the outputs its committed plan shows, comes
// up a second time without a change, plans a config change as exactly the one update it means,
// and is destroyed to the last resource.
func TestDevStack(t *testing.T) {
	engine(t)
	t.Parallel()
	zone, err := stackZone(rig.root, "dev")
	if err != nil {
		t.Fatal(err)
	}
	s := newSite(t, "", zone)
	ctx, cancel := s.context()
	defer cancel()
	st := s.stack(ctx, "", "dev")
	snapshot, err := snapshot.Read(s.dir, "dev")
	if err != nil {
		t.Fatal(err)
	}

	preview, err := st.Preview(ctx)
	if err != nil {
		t.Fatalf("preview: %v", err)
	}
	managed := 1 // the stack itself
	for _, r := range snapshot.Resources {
		if !r.Read {
			managed++
		}
	}
	if preview.ChangeSummary["create"] != managed || len(preview.ChangeSummary) != 1 {
		t.Errorf("preview plans %v, want %d creates: the plan's resources and the stack", preview.ChangeSummary, managed)
	}

	up, err := st.Up(ctx)
	if err != nil {
		t.Fatalf("up: %v", err)
	}
	got := map[string]any{}
	for k, v := range up.Outputs {
		got[k] = v.Value
		if v.Secret {
			got[k] = plan.Secret
		}
	}
	if !reflect.DeepEqual(normalize(t, got), normalize(t, snapshot.Outputs)) {
		t.Errorf("stack outputs differ from the committed plan's:\n got %v\nwant %v", got, snapshot.Outputs)
	}
	s.audit(ctx, st)

	// The failover command reads what it needs from the deployed stack's outputs (-stack).
	deployed, err := failover.StackOutputs(ctx, s.dir, "dev", auto.EnvVars(s.env), auto.PulumiHome(rig.home))
	if err != nil {
		t.Fatalf("failover -stack dev: %v", err)
	}
	if deployed.Domain() != snapshot.Config[key("domain")] || len(deployed.CertificateARNs) != 2 {
		t.Errorf("failover -stack dev read %+v", deployed)
	}

	if _, err := st.Up(ctx, optup.ExpectNoChanges()); err != nil {
		t.Errorf("a second up changes something: %v", err)
	}

	// A mistyped key is refused by the program, as by the offline plan, not passed over.
	if err := st.SetConfig(ctx, key("instanceCont"), auto.ConfigValue{Value: "2"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Preview(ctx); err == nil || !strings.Contains(err.Error(), "did you mean "+key("instanceCount")+"?") {
		t.Errorf("preview with a mistyped key: %v, want it refused naming instanceCount", err)
	}
	if err := st.RemoveConfig(ctx, key("instanceCont")); err != nil {
		t.Fatal(err)
	}

	// One more failure than the stack has now (one fewer at the maximum, 10).
	var threshold float64
	for _, r := range snapshot.OfType(awstype.HealthCheck) {
		threshold, _ = r.Inputs["failureThreshold"].(float64)
	}
	next := threshold + 1
	if next > 10 {
		next = threshold - 1
	}
	if err := st.SetConfig(ctx, key("healthCheckFailureThreshold"), auto.ConfigValue{Value: fmt.Sprint(next)}); err != nil {
		t.Fatal(err)
	}
	steps := collectSteps()
	diff, err := st.Preview(ctx, optpreview.Diff(), optpreview.EventStreams(steps.ch))
	if err != nil {
		t.Fatalf("preview --diff: %v", err)
	}
	changes := steps.changes()
	if len(changes) != 1 || changes[0].Op != "update" || changes[0].Type != awstype.HealthCheck ||
		!slices.Equal(changes[0].Diffs, []string{"failureThreshold"}) {
		t.Errorf("a new failure threshold plans %+v, want one update of the health check's failureThreshold", changes)
	}
	if !strings.Contains(diff.StdOut, fmt.Sprintf("failureThreshold: %v => %v", threshold, next)) {
		t.Errorf("preview --diff does not show the change:\n%s", diff.StdOut)
	}

	// A new page, then a second instance: ups that visitors must not notice. The page is a new
	// version of the launch template, which the group follows.
	page := filepath.Join(s.dir, "new-page.html")
	if err := os.WriteFile(page, []byte("<h1>A new page</h1>\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, change := range [][2]string{{key("mainPageFile"), page}, {key("instanceCount"), "2"}} {
		if err := st.SetConfig(ctx, change[0], auto.ConfigValue{Value: change[1]}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Up(ctx); err != nil {
			t.Fatalf("up with %s = %s: %v", change[0], change[1], err)
		}
		s.audit(ctx, st)
	}
	for _, r := range s.loadAccount().Resources {
		if r.Type == awstype.AutoScalingGroup {
			version := plan.Get(resource.PropertyMap(r.Inputs).Mappable(), "launchTemplate", "version")
			if version != "2" {
				t.Errorf("after a page change the group launches template version %v, want 2", version)
			}
		}
	}

	if _, err := st.Destroy(ctx); err != nil {
		t.Fatalf("destroy: %v", err)
	}
	if a := s.loadAccount(); len(a.Resources) != 0 || len(a.RecordSets) != 0 {
		t.Errorf("destroy left %d resources and %d record sets in the account", len(a.Resources), len(a.RecordSets))
	}
}

// normalize gives values the form JSON gives them, so that numbers compare equal.
func normalize(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSecretNeverInTheState: an alarm email set as a secret, in the stack's config or in a
// TypeScript program through the component package, reaches AWS (the subscription's endpoint) as
// a secret, and never appears in clear in the state nor in what pulumi up prints.
func TestSecretNeverInTheState(t *testing.T) {
	engine(t)
	t.Parallel()
	const email = "oncall-7f3a@example.com"
	for _, program := range []struct {
		name, dir, namespace string
	}{
		{"stack program", "", ""},
		{"typescript", filepath.Join("examples", "typescript"), "failover-typescript"},
	} {
		t.Run(program.name, func(t *testing.T) {
			t.Parallel()
			s := newSite(t, "", exampleZone)
			ctx, cancel := s.context()
			defer cancel()
			namespace := cmp.Or(program.namespace, rig.project)
			if program.dir != "" {
				s.addPackage(ctx, program.dir)
			}
			st := s.stack(ctx, program.dir, "secrets")
			for name, value := range map[string]auto.ConfigValue{
				"aws:region":                               {Value: "ap-northeast-1"},
				stackconfig.KeyIn(namespace, "domain"):     {Value: "example.com"},
				stackconfig.KeyIn(namespace, "alarmEmail"): {Value: email, Secret: true},
			} {
				if err := st.SetConfig(ctx, name, value); err != nil {
					t.Fatal(err)
				}
			}
			up, err := st.Up(ctx)
			if err != nil {
				t.Fatalf("up: %v", err)
			}
			if strings.Contains(up.StdOut+up.StdErr, email) {
				t.Error("pulumi up printed the secret")
			}
			// The state as `pulumi stack export` prints it (the Automation API's Export decrypts secrets).
			exported, err := s.run(ctx, program.dir, "pulumi", "stack", "export", "--stack", "secrets")
			if err != nil {
				t.Fatalf("pulumi stack export: %v\n%s", err, exported)
			}
			if strings.Contains(exported, "oncall-7f3a") {
				t.Error("the exported state holds the secret in clear")
			}
			if !strings.Contains(exported, awstype.TopicSubscription) {
				t.Error("the exported state has no subscription: the check above checked nothing")
			}
			subscribed := false
			for _, r := range s.loadAccount().Resources {
				if r.Type == awstype.TopicSubscription {
					v := r.Inputs["endpoint"]
					subscribed = v.IsSecret() && v.SecretValue().Element.StringValue() == email
				}
			}
			if !subscribed {
				t.Error("the subscription did not reach AWS with the email, as a secret")
			}
			if _, err := st.Destroy(ctx); err != nil {
				t.Fatalf("destroy: %v", err)
			}
		})
	}
}

// TestREADME runs the README's deployment commands, command for command: with a hosted zone that
// exists (and the switch to edge mode and back), and with the zone the stack creates (its
// targeted first up, the name servers, the full up), then its teardown, which keeps only the
// created zone, and the deletion of the zone too.
func TestREADME(t *testing.T) {
	engine(t)
	t.Run("existing zone", func(t *testing.T) {
		t.Parallel()
		s := newSite(t, "", exampleZone)
		ctx, cancel := s.context()
		defer cancel()
		s.readme(ctx, "deploy", "")
		st := s.stack(ctx, "", "prod")
		s.audit(ctx, st)
		s.switchModes(ctx, st)
		s.readme(ctx, "teardown", "")
		if a := s.loadAccount(); len(a.Resources) != 0 || len(a.RecordSets) != 0 {
			t.Errorf("the teardown left %d resources and %d record sets", len(a.Resources), len(a.RecordSets))
		}
	})
	t.Run("records that exist", func(t *testing.T) {
		t.Parallel()
		// A hand-built site: the served names' plain A records send visitors to a web server.
		const server = "203.0.113.10"
		names := []string{"example.com", "www.example.com"}
		zone := mockcloud.PublicZone("example.com")
		existing := mockcloud.Existing{Zones: []mockcloud.Zone{zone}, WebServers: []string{server}}
		for _, name := range names {
			existing.RecordSets = append(existing.RecordSets,
				mockcloud.RecordSet{ZoneID: zone.ID, Name: name, Type: "A", Values: []string{server}, TTL: 300})
		}
		s := newSite(t, "", existing)
		ctx, cancel := s.context()
		defer cancel()
		// The adoption takes the place of the deploy block's up. Access logs are on: the engine
		// creates the log bucket's settings and its writers in its own order, which AWS refuses
		// unless each writer waits for what it needs.
		s.readme(ctx, "deploy", "pulumi up")
		st := s.stack(ctx, "", "prod")
		if err := st.SetConfig(ctx, key("accessLogs"), auto.ConfigValue{Value: "true"}); err != nil {
			t.Fatal(err)
		}
		s.readme(ctx, "adopt-records", "")
		steps := s.audit(ctx, st)
		s.mainPageThroughout("while the stack adopted the records", names, steps)
		var pair []string
		for _, rs := range s.loadAccount().RecordSets {
			if slices.Contains(names, rs.Name) && rs.Type == "A" {
				pair = append(pair, rs.Name+" "+rs.Failover)
			}
		}
		slices.Sort(pair)
		if want := []string{"example.com PRIMARY", "example.com SECONDARY", "www.example.com PRIMARY", "www.example.com SECONDARY"}; !slices.Equal(pair, want) {
			t.Errorf("after the adoption the names' A records are %v, want %v", pair, want)
		}
		if _, err := st.Up(ctx, optup.ExpectNoChanges()); err != nil {
			t.Errorf("an up after the adoption changes something: %v", err)
		}
		if out, err := st.Outputs(ctx); err != nil || out["accessLogsBucket"].Value == nil {
			t.Errorf("no accessLogsBucket output (%v)", err)
		}
		s.readme(ctx, "teardown", "")
	})
	t.Run("created zone", func(t *testing.T) {
		t.Parallel()
		s := newSite(t, "", mockcloud.Existing{})
		ctx, cancel := s.context()
		defer cancel()
		// The created-zone procedure takes the place of the deploy block's preview and up.
		s.readme(ctx, "deploy", "pulumi preview")
		out := s.readme(ctx, "created-zone", "")
		if n := strings.Count(out["pulumi stack output nameServers"], "awsdns-"); n != 4 {
			t.Errorf("pulumi stack output nameServers printed %d name servers:\n%s", n, out["pulumi stack output nameServers"])
		}
		st := s.stack(ctx, "", "prod")
		s.audit(ctx, st)

		s.readme(ctx, "teardown", "")
		// What stays: the zone, the component that holds it, the stack and its provider.
		kept := []string{"aws:route53/zone:Zone::site-zone#", "FailoverSite::site#", awstype.Provider, "pulumi:pulumi:Stack"}
		for _, r := range s.stateResources(ctx, st) {
			key := r.URN + "#" + r.ID
			if !slices.ContainsFunc(kept, func(k string) bool { return strings.Contains(key, k) }) {
				t.Errorf("the teardown left %s in the stack", key)
			}
		}
		a := s.loadAccount()
		if len(a.Resources) != 1 || len(a.RecordSets) != 0 {
			t.Errorf("the teardown left %d resources (want the zone only) and %d record sets", len(a.Resources), len(a.RecordSets))
		}

		s.readme(ctx, "delete-zone", "")
		if a := s.loadAccount(); len(a.Resources) != 0 {
			t.Errorf("deleting the zone left %d resources", len(a.Resources))
		}
	})
}

// readme runs the commands of a README block, up to (not including) the first that starts with
// stopAt, and returns what each printed. pulumi login is left out (the backend is the test's),
// and so is dig (nothing is delegated here).
func (s *site) readme(ctx context.Context, block, stopAt string) map[string]string {
	s.t.Helper()
	printed := map[string]string{}
	for _, args := range readmeBlock(s.t, s.dir, block) {
		line := strings.Join(args, " ")
		if stopAt != "" && strings.HasPrefix(line, stopAt) {
			break
		}
		if strings.HasPrefix(line, "pulumi login") || args[0] == "dig" {
			continue
		}
		args = s.substitute(ctx, args)
		var into string // a redirection of what the command prints: > FILE
		if n := len(args); n > 2 && args[n-2] == ">" {
			args, into = args[:n-2], filepath.Join(s.dir, args[n-1])
		}
		var out string
		var err error
		if args[0] == "aws" {
			out, err = s.awsCLI(args)
		} else {
			out, err = s.runDocumented(ctx, args...)
		}
		if err != nil {
			s.t.Fatalf("README (%s): %s: %v\n%s", block, line, err, out)
		}
		if into != "" {
			if err := os.WriteFile(into, []byte(out), 0o644); err != nil {
				s.t.Fatal(err)
			}
		}
		printed[line] = out
	}
	return printed
}

// awsCLI answers the AWS CLI commands the documentation uses from the simulated account, as
// the CLI prints them.
func (s *site) awsCLI(args []string) (string, error) {
	if len(args) == 5 && args[1] == "route53" && args[2] == "list-resource-record-sets" && args[3] == "--hosted-zone-id" {
		b, err := s.loadAccount().ListResourceRecordSets(args[4])
		return string(b), err
	}
	return "", fmt.Errorf("the rehearsal does not answer %s", strings.Join(args, " "))
}

// substitute replaces each word that is a command substitution, "$(COMMAND)", with what COMMAND
// prints, its trailing newline dropped, as the shell does.
func (s *site) substitute(ctx context.Context, args []string) []string {
	s.t.Helper()
	out := slices.Clone(args)
	for i, word := range out {
		if inner, ok := strings.CutPrefix(word, "$("); ok && strings.HasSuffix(inner, ")") {
			printed, err := s.run(ctx, "", shellWords(strings.TrimSuffix(inner, ")"))...)
			if err != nil {
				s.t.Fatalf("%s: %v\n%s", word, err, printed)
			}
			out[i] = strings.TrimRight(printed, "\n")
		}
	}
	return out
}

// runDocumented runs a command of the documentation in the project. A pulumi up or preview
// with --target or --exclude now and then fails with "Duplicate resource URN" for a resource the
// program registers once: an engine race (pulumi/pulumi#24303, open), met when a component's
// child is in the state but no longer registered, as after a switch of modes. The documentation
// says to run such a command again, and so does this, up to twice: CI met the race twice in a row.
func (s *site) runDocumented(ctx context.Context, args ...string) (string, error) {
	out, err := s.run(ctx, "", args...)
	partial := slices.ContainsFunc(args, func(a string) bool { return a == "--target" || a == "--exclude" })
	for again := 0; again < 2 && err != nil && partial && strings.Contains(out, "Duplicate resource URN"); again++ {
		s.t.Logf("%s: the engine reported a duplicate URN (pulumi/pulumi#24303); running it again", strings.Join(args, " "))
		out, err = s.run(ctx, "", args...)
	}
	return out, err
}

// partDependencies are, for an example whose parts hand each other outputs, which resource of one
// part the engine must delete before which of another (type and name): AWS refuses to delete
// what is in use.
var partDependencies = map[string][]struct{ resource, on [2]string }{
	"yaml-edge": {
		// The front door's distribution uses the error site's certificate once it is issued.
		{[2]string{awstype.Distribution, "edge-cdn"}, [2]string{awstype.CertificateValidation, "errorPage-cert-validation"}},
		// The bucket policy it writes follows the bucket's other settings.
		{[2]string{awstype.BucketPolicy, "edge-error-bucket"}, [2]string{awstype.BucketEncryption, "errorPage-bucket"}},
		// It sends requests to the main site's origin name, by the certificate that covers it.
		{[2]string{awstype.Distribution, "edge-cdn"}, [2]string{awstype.ListenerCertificate, "main-origin-cert"}},
	},
}

// TestExamples: every example comes up in an account that holds what its account.json
// describes, comes up again without a change, and is destroyed.
func TestExamples(t *testing.T) {
	engine(t)
	examples, err := filepath.Glob(filepath.Join(rig.root, "examples", "*", "Pulumi.yaml"))
	if err != nil || len(examples) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	for _, project := range examples {
		dir := filepath.Dir(project)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			existing, err := mockcloud.ReadExisting(filepath.Join(dir, plan.AccountFile))
			if err != nil {
				t.Fatal(err)
			}
			s := newSite(t, "", existing)
			ctx, cancel := s.context()
			defer cancel()
			workDir := filepath.Join("examples", filepath.Base(dir))
			if _, err := os.Stat(filepath.Join(dir, "package.json")); err == nil {
				s.addPackage(ctx, workDir)
			}
			project, err := os.ReadFile(project)
			if err != nil {
				t.Fatal(err)
			}
			usesPackage := strings.Contains(string(project), "\npackages:")
			st := s.stack(ctx, workDir, "dev")
			if usesPackage {
				// A program in another language previews as a Go one does: the package's whole site.
				preview, err := st.Preview(ctx)
				if err != nil {
					t.Fatalf("preview: %v", err)
				}
				if creates := preview.ChangeSummary[apitype.OpCreate]; creates < 40 {
					t.Errorf("the preview creates %d resources, not the whole site", creates)
				}
			}
			outputs := s.upAgainAndDestroy(ctx, st, func() {
				s.checkDependencies(ctx, st, partDependencies[filepath.Base(dir)])
			})
			// The component package hands a program in another language the stack's outputs.
			url, exported := outputs["siteUrl"]
			if want := "https://" + existing.Zones[0].Name; (exported || usesPackage) && url.Value != want {
				t.Errorf("output siteUrl = %v, want %s", url.Value, want)
			}
		})
	}
}

// addPackage runs, in a Node.js example, the commands docs/other-languages.md gives to add the
// component package (its block "add-package"), as written: Pulumi builds the plugin from the
// checkout, generates the TypeScript SDK and installs the program's dependencies.
func (s *site) addPackage(ctx context.Context, workDir string) {
	s.t.Helper()
	for _, command := range readmeBlock(s.t, s.dir, "add-package") {
		if command[0] == "pulumi" && len(command) > 1 && command[1] == "up" {
			continue // the scenario's own up, audited
		}
		if out, err := s.run(ctx, workDir, command...); err != nil {
			s.t.Fatalf("%s: %v\n%s", strings.Join(command, " "), err, out)
		}
	}
}

// checkDependencies fails the test for each resource of the stack's state that the engine may
// delete after, or alongside, the one it must delete first. The engine deletes a resource before
// what it depends on, a dependency on a component standing for the component's every descendant
// (pulumi/pulumi#7788: a program's dependency on a multi-language component names the component
// alone), and before its parent.
func (s *site) checkDependencies(ctx context.Context, st auto.Stack, want []struct{ resource, on [2]string }) {
	s.t.Helper()
	if len(want) == 0 {
		return
	}
	state := map[string]stateResource{}
	children := map[string][]string{}
	for _, r := range s.stateResources(ctx, st) {
		state[r.URN] = r
		children[r.Parent] = append(children[r.Parent], r.URN)
	}
	find := func(typ, name string) string {
		for urn := range state {
			if u := resource.URN(urn); string(u.Type()) == typ && u.Name() == name {
				return urn
			}
		}
		s.t.Fatalf("the state holds no %s %s", typ, name)
		return ""
	}
	// deletedBefore are the resources the engine deletes only once urn is gone.
	deletedBefore := func(urn string) map[string]bool {
		seen := map[string]bool{}
		var descend, walk func(string)
		descend = func(u string) {
			walk(u)
			for _, child := range children[u] {
				descend(child)
			}
		}
		walk = func(u string) {
			if seen[u] {
				return
			}
			seen[u] = true
			r := state[u]
			for _, dep := range r.Dependencies {
				descend(dep)
			}
			if r.Parent != "" {
				walk(r.Parent)
			}
		}
		walk(urn)
		return seen
	}
	for _, w := range want {
		r, on := find(w.resource[0], w.resource[1]), find(w.on[0], w.on[1])
		if !deletedBefore(r)[on] {
			s.t.Errorf("the engine may delete %s before %s, which uses it", on, r)
		}
	}
}

// upAgainAndDestroy brings a stack up, audits the account, runs afterUp (if any), brings it up
// again expecting no change, destroys it and expects the account empty; it returns the first up's
// outputs.
func (s *site) upAgainAndDestroy(ctx context.Context, st auto.Stack, afterUp ...func()) auto.OutputMap {
	s.t.Helper()
	result, err := st.Up(ctx)
	if err != nil {
		s.t.Fatalf("up: %v", err)
	}
	s.audit(ctx, st)
	for _, check := range afterUp {
		check()
	}
	if _, err := st.Up(ctx, optup.ExpectNoChanges()); err != nil {
		s.t.Errorf("a second up changes something: %v", err)
	}
	if _, err := st.Destroy(ctx); err != nil {
		s.t.Fatalf("destroy: %v", err)
	}
	if a := s.loadAccount(); len(a.Resources) != 0 {
		s.t.Errorf("destroy left %d resources", len(a.Resources))
	}
	return result.Outputs
}

// replacing are the step kinds that delete a live resource (to replace it, or for good).
var replacing = []string{"replace", "create-replacement", "delete-replaced", "delete", "read-replacement", "discard-replaced"}

// TestUpgradeFromPreviousCommit: each example stack (dev in dns mode, edge in edge mode with the
// alarm, and edge again in us-east-1 without it) brought up by the program of the previous commit (REHEARSAL_BASE, else HEAD~1: on main
// the last merge's first parent, the previous version) is updated by this commit's program
// without replacing or deleting a stateful or slow resource (hosted zone, bucket, distribution,
// certificate, health check, instance, load balancer), unless a commit since says it means to
// with a trailer "Intended-Replacement: TYPE NAME"; and the account is then as the state believes
// (no shared record deleted from under a certificate), visitors served throughout.
func TestUpgradeFromPreviousCommit(t *testing.T) {
	engine(t)
	t.Parallel()
	for _, tt := range []upgradeCase{
		{name: "dev", stack: "dev"},
		{name: "edge", stack: "edge"},
		// In us-east-1 without an alarm the front door's one us-east-1 provider is the one the
		// function had: an upgrade from before EdgeFailover moves it by alias.
		{name: "edge-us-east-1-no-alarm", stack: "edge", set: map[string]string{"aws:region": "us-east-1"}, remove: []string{"alarmEmail"}},
	} {
		t.Run(tt.name, func(t *testing.T) { upgrade(t, tt) })
	}
}

// upgradeCase is an example stack to upgrade, with config changed from its stack file's.
type upgradeCase struct {
	name, stack string
	set         map[string]string
	remove      []string
}

// configure changes a stack's config as the case says, in both versions' stack files.
func (c upgradeCase) configure(ctx context.Context, t *testing.T, st auto.Stack) {
	t.Helper()
	for key, value := range c.set {
		if err := st.SetConfig(ctx, key, auto.ConfigValue{Value: value}); err != nil {
			t.Fatalf("config set %s: %v", key, err)
		}
	}
	for _, key := range c.remove {
		if err := st.RemoveConfig(ctx, key); err != nil {
			t.Fatalf("config rm %s: %v", key, err)
		}
	}
}

// upgrade rehearses the upgrade of one stack.
func upgrade(t *testing.T, c upgradeCase) {
	stackName := c.stack
	base := os.Getenv("REHEARSAL_BASE")
	if base == "" {
		base = "HEAD~1"
	}
	commit, err := exec.Command("git", "-C", rig.root, "rev-parse", "--verify", base+"^{commit}").Output()
	if err != nil {
		skip(t, fmt.Sprintf("no commit %s to upgrade from (a shallow clone, or not a git checkout): %v", base, err))
	}
	sha := strings.TrimSpace(string(commit))
	baseDir := t.TempDir()
	archive := filepath.Join(t.TempDir(), "base.tar")
	if out, err := exec.Command("git", "-C", rig.root, "archive", "-o", archive, sha).CombinedOutput(); err != nil {
		t.Fatalf("git archive %s: %v\n%s", sha, err, out)
	}
	if out, err := exec.Command("tar", "-xf", archive, "-C", baseDir).CombinedOutput(); err != nil {
		t.Fatalf("tar: %v\n%s", err, out)
	}
	intended := intendedReplacements(t, sha)

	// The account holds the zones both versions' dev stacks need.
	var zones mockcloud.Existing
	for _, dir := range []string{baseDir, rig.root} {
		zone, err := stackZone(dir, stackName)
		if err != nil {
			t.Fatalf("the %s stack of %s: %v", stackName, dir, err)
		}
		for _, z := range zone.Zones {
			if !slices.Contains(zones.Zones, z) {
				zones.Zones = append(zones.Zones, z)
			}
		}
	}
	s := newSite(t, baseDir, zones)
	ctx, cancel := s.context()
	defer cancel()
	old := s.stack(ctx, "", stackName)
	c.configure(ctx, t, old)
	// The previous program may race AWS (it wrote the four bucket settings at once, and each
	// run completes at least one more); a user runs it again.
	var upErr error
	for attempt := 1; attempt <= 5; attempt++ {
		if _, upErr = old.Up(ctx); upErr == nil {
			break
		}
		t.Logf("up with the program of %s, attempt %d: %v", sha[:7], attempt, upErr)
	}
	if upErr != nil {
		t.Fatalf("the program of %s does not come up: %v", sha[:7], upErr)
	}

	// What visitors met while the previous program came up is that program's business; the
	// audit covers the upgrade.
	s.forgetChanges()

	s.dir = filepath.Join(t.TempDir(), "project")
	if err := copyCheckout(s.dir); err != nil {
		t.Fatal(err)
	}
	st := s.stack(ctx, "", stackName)
	c.configure(ctx, t, st)
	steps := collectSteps()
	if _, err := st.Preview(ctx, optpreview.EventStreams(steps.ch)); err != nil {
		t.Fatalf("preview with this commit's program: %v", err)
	}
	for _, step := range steps.changes() {
		t.Logf("upgrade step: %s %s", step.Op, step.URN)
		if !slices.Contains(replacing, step.Op) || !mockcloud.Lookup(step.Type).Stateful {
			continue
		}
		name := resource.URN(step.URN).Name()
		if intended[step.Type+" "+name] {
			t.Logf("%s %s %s, as a commit says it means to", step.Op, step.Type, name)
			continue
		}
		t.Errorf("upgrading from %s would %s %s %s; if meant, say so in the commit: Intended-Replacement: %s %s",
			sha[:7], step.Op, step.Type, name, step.Type, name)
	}
	if _, err := st.Up(ctx); err != nil {
		t.Fatalf("up with this commit's program: %v", err)
	}
	s.audit(ctx, st)
	if _, err := st.Destroy(ctx); err != nil {
		t.Fatalf("destroy: %v", err)
	}
}

// intendedReplacements reads the trailers "Intended-Replacement: TYPE NAME" of the commits since base.
func intendedReplacements(t *testing.T, base string) map[string]bool {
	t.Helper()
	out, err := exec.Command("git", "-C", rig.root, "log", "--format=%(trailers:key=Intended-Replacement,valueonly,separator=%x0A)", base+"..HEAD").Output()
	if err != nil {
		t.Fatalf("git log: %v", err)
	}
	intended := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			intended[strings.Join(strings.Fields(line), " ")] = true
		}
	}
	return intended
}

// TestSandbox: the README's sandbox block works command for command: the real engine brings a
// stack up in the sandbox's account, which then serves the main page, and takes it down.
func TestSandbox(t *testing.T) {
	engine(t)
	s := newSite(t, "", mockcloud.Existing{})
	ctx, cancel := s.context()
	defer cancel()
	var served mockcloud.Answer
	for _, args := range readmeBlock(t, s.dir, "sandbox") {
		line := strings.Join(args, " ")
		if out, err := s.run(ctx, "", args...); err != nil {
			t.Fatalf("README (sandbox): %s: %v\n%s", line, err, out)
		}
		if strings.HasSuffix(line, "pulumi up --yes") {
			account, err := mockcloud.LoadAccount(filepath.Join(s.dir, ".sandbox", "account.json"))
			if err != nil {
				t.Fatal(err)
			}
			served = account.Visit("example.com", "/")
		}
	}
	if served.Page != mockcloud.PageMain {
		t.Errorf("after the sandbox's pulumi up, https://example.com/ answers %s, want the main page", served)
	}
	account, err := mockcloud.LoadAccount(filepath.Join(s.dir, ".sandbox", "account.json"))
	if err != nil {
		t.Fatal(err)
	}
	if left := account.Resources; len(left) != 0 {
		t.Errorf("%d resources left in the sandbox's account after pulumi destroy", len(left))
	}
}

// TestTemplate: pulumi new from the checkout starts a stack of one's own. The project takes the
// name given (and with it its config namespace), the region and domain the template asks for
// are saved in the new stack, and the stack comes up, comes up again without a change, and goes.
func TestTemplate(t *testing.T) {
	engine(t)
	s := newSite(t, "", mockcloud.Existing{Zones: []mockcloud.Zone{mockcloud.PublicZone("shop.example")}})
	ctx, cancel := s.context()
	defer cancel()
	out, err := s.run(ctx, "..", "pulumi", "new", s.dir, "--dir", "shop", "--name", "shop", "--stack", "prod", "--yes",
		"--config", "aws:region=eu-west-1", "--config", "domain=shop.example")
	if err != nil {
		t.Fatalf("pulumi new: %v\n%s", err, out)
	}
	// The README's next steps: the new stack's snapshot, then the new project's own offline
	// tests pass: its example stacks, snapshots and config tests hold under its name. (Its
	// engine rehearsal is this one; its upgrade scenario needs this repository's history.)
	shop := filepath.Join("..", "shop")
	if out, err := s.run(ctx, shop, "go", "run", "./cmd/plan", "snapshot"); err != nil {
		t.Fatalf("go run ./cmd/plan snapshot in the new project: %v\n%s", err, out)
	}
	if out, err := s.run(ctx, shop, "go", "test", "-count=1", "./internal/stack", "./internal/stackconfig", "./pkg/plan", "./cmd/plan", "./internal/docs"); err != nil {
		t.Errorf("the new project's tests fail: %v\n%s", err, out)
	}
	stackFile, err := os.ReadFile(filepath.Join(s.dir, "..", "shop", "stacks", "Pulumi.prod.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"aws:region: eu-west-1", "shop:domain: shop.example"} {
		if !strings.Contains(string(stackFile), want) {
			t.Errorf("the new stack's config lacks %q:\n%s", want, stackFile)
		}
	}
	outputs := s.upAgainAndDestroy(ctx, s.stack(ctx, filepath.Join("..", "shop"), "prod"))
	if url := outputs["siteUrl"].Value; url != "https://shop.example" {
		t.Errorf("siteUrl = %v", url)
	}
}

// switchModes runs the README's switch to edge mode and back, command for command, on the stack
// the README's deploy block brought up: after each step the account is as the state believes,
// the names answer what the step promises (never nothing), and the load balancer admits the
// internet until the last step of the switch to edge.
func (s *site) switchModes(ctx context.Context, st auto.Stack) {
	t := s.t
	t.Helper()

	served := []string{"example.com", "www.example.com"}
	// records returns, per served name and type, the routing (PRIMARY, SECONDARY, or "" for a
	// plain record) and the alias target of each record set.
	records := func() map[string][]string {
		out := map[string][]string{}
		for _, rs := range s.loadAccount().RecordSets {
			if slices.Contains(served, rs.Name) {
				out[rs.Name+" "+rs.Type] = append(out[rs.Name+" "+rs.Type], rs.Failover+">"+rs.AliasTarget)
			}
		}
		for _, v := range out {
			slices.Sort(v)
		}
		return out
	}
	internetRules := func() int {
		n := 0
		for _, r := range s.loadAccount().Resources {
			if r.Type == awstype.IngressRule && strings.Contains(r.Name, "-alb-sg-") && !strings.HasSuffix(r.Name, "-cloudfront") {
				n++
			}
		}
		return n
	}
	distribution := func() string {
		for _, r := range s.loadAccount().Resources {
			if r.Type == awstype.Distribution {
				return resource.PropertyMap(r.Outputs)["domainName"].StringValue()
			}
		}
		t.Fatal("no distribution")
		return ""
	}
	check := func(step string, want map[string][]string, rules int) {
		t.Helper()
		s.mainPageThroughout(step, served, s.audit(ctx, st))
		if got := records(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: records %v, want %v", step, got, want)
		}
		if n := internetRules(); n != rules {
			t.Errorf("%s: %d internet rules on the load balancer, want %d", step, n, rules)
		}
	}
	cdn := distribution()
	plain := map[string][]string{"example.com A": {">" + cdn}, "www.example.com A": {">" + cdn}}

	commands := readmeBlock(t, s.dir, "switch-to-edge")
	if len(commands) != 4 {
		t.Fatalf("the switch-to-edge block has %d commands, want 4", len(commands))
	}
	const secret = "5d0c3e9a7b1f4e2d8c6a0b9f3e7d1c5a"
	printed := ""
	for i, args := range commands {
		if i == 2 { // what the README adds before the first up
			if out, err := s.run(ctx, "", "pulumi", "config", "set", "--secret", "originSecret", secret); err != nil {
				t.Fatalf("pulumi config set --secret originSecret: %v\n%s", err, out)
			}
		}
		out, err := s.runDocumented(ctx, args...)
		if err != nil {
			t.Fatalf("README (switch-to-edge): %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		printed += out
		switch i {
		case 0: // the SECONDARY records are gone, the PRIMARY ones answer
			for name, sets := range records() {
				if len(sets) != 1 || !strings.HasPrefix(sets[0], "PRIMARY>dualstack.") {
					t.Errorf("after the SECONDARY records went, %s is %v", name, sets)
				}
			}
		case 1: // the deploy workflow's guard refuses to make this switch with a plain pulumi up
			deployed, configured, err := failover.StackModes(ctx, s.dir, "prod", auto.EnvVars(s.env), auto.PulumiHome(rig.home))
			if err != nil {
				t.Fatalf("failover guard: %v", err)
			}
			if err := failover.CheckModeSwitch(deployed, configured); err == nil {
				t.Errorf("the guard lets a plain pulumi up switch from %q to %q", deployed, configured)
			}
		case 2:
			check("edge, load balancer still open", plain, 4)
		case 3:
			check("edge", plain, 0)
		}
	}
	if distribution() != cdn {
		t.Fatal("the distribution was replaced")
	}
	s.checkOriginSecret(ctx, secret, printed)

	// The secret changes on the live edge stack, by the documented steps: rotated, removed and
	// added again, each change audited with the main site serving and down.
	printed = ""
	for _, block := range []string{"rotate-secret", "remove-secret", "add-secret"} {
		for _, out := range s.readme(ctx, block, "") {
			printed += out
		}
		check(block, plain, 0)
	}
	added, err := s.run(ctx, "", "pulumi", "config", "get", "originSecret")
	if err != nil {
		t.Fatalf("pulumi config get originSecret: %v\n%s", err, added)
	}
	s.checkOriginSecret(ctx, strings.TrimSpace(added), printed)

	// Back to dns: the first pulumi up leaves the distribution, and what it uses, as they are.
	for i, args := range readmeBlock(t, s.dir, "switch-to-dns") {
		if out, err := s.runDocumented(ctx, s.substitute(ctx, args)...); err != nil {
			t.Fatalf("README (switch-to-dns): %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		if i != 1 {
			continue
		}
		held := map[string]bool{}
		for _, r := range s.loadAccount().Resources {
			held[r.Type+" "+r.Name] = true
		}
		for _, used := range []string{"aws:route53/record:Record site-main-origin", "aws:acm/certificate:Certificate site-main-origin-cert",
			"aws:lb/listenerRule:ListenerRule site-main-https-from-cloudfront", "aws:iam/role:Role site-edge-failover-role"} {
			if !held[used] {
				t.Errorf("the first pulumi up back to dns deleted %s, which the distribution still uses", used)
			}
		}
	}
	for name, sets := range records() {
		if len(sets) != 2 || !strings.HasPrefix(sets[0], "PRIMARY>dualstack.") || sets[1] != "SECONDARY>"+cdn {
			t.Errorf("back in dns mode, %s is %v", name, sets)
		}
	}
	s.mainPageThroughout("back to dns", served, s.audit(ctx, st))
	if n := internetRules(); n != 4 {
		t.Errorf("back in dns mode, %d internet rules, want 4", n)
	}
	if _, err := st.Up(ctx, optup.ExpectNoChanges()); err != nil {
		t.Errorf("a second up changes something: %v", err)
	}
}

// checkOriginSecret: the origin secret reaches AWS (the distribution's header, the listener
// rule's condition) as a secret, and neither pulumi up's output nor the exported state holds it
// in clear.
func (s *site) checkOriginSecret(ctx context.Context, secret, printed string) {
	t := s.t
	t.Helper()
	if strings.Contains(printed, secret) {
		t.Error("pulumi up printed the origin secret")
	}
	exported, err := s.run(ctx, "", "pulumi", "stack", "export", "--stack", "prod")
	if err != nil {
		t.Fatalf("pulumi stack export: %v\n%s", err, exported)
	}
	if strings.Contains(exported, secret) {
		t.Error("the exported state holds the origin secret in clear")
	}
	reached := map[string]bool{}
	for _, r := range s.loadAccount().Resources {
		kind := map[string]string{awstype.Distribution: "header", awstype.ListenerRule: "rule"}[r.Type]
		if kind != "" {
			reached[kind] = holdsSecret(resource.NewObjectProperty(resource.PropertyMap(r.Inputs)), secret, false)
		}
	}
	if !reached["header"] || !reached["rule"] {
		t.Errorf("the origin secret did not reach AWS as a secret: %v", reached)
	}
}

// holdsSecret reports whether v holds the string want inside a secret.
func holdsSecret(v resource.PropertyValue, want string, inSecret bool) bool {
	switch {
	case v.IsSecret():
		return holdsSecret(v.SecretValue().Element, want, true)
	case v.IsString():
		return inSecret && v.StringValue() == want
	case v.IsArray():
		return slices.ContainsFunc(v.ArrayValue(), func(e resource.PropertyValue) bool { return holdsSecret(e, want, inSecret) })
	case v.IsObject():
		for _, e := range v.ObjectValue() {
			if holdsSecret(e, want, inSecret) {
				return true
			}
		}
	}
	return false
}
