package rehearsal

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
	"github.com/seed-2b23e6e5/route53-failover/internal/failover"
	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud/awsplugin"
	"github.com/seed-2b23e6e5/route53-failover/internal/stack"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

// TestInterruptedUp: `pulumi up` killed with SIGKILL (its process group, then the plugins it
// left running, as a laptop that sleeps for good or a cancelled CI job leaves it) at several points
// of a fresh up and of updates, then the README's recovery ("If `pulumi up` was interrupted"),
// command for command. The stack converges to what an uninterrupted up makes (the offline plan's
// resources, nothing left to change), the account is as the state believes, visitors are served
// at every change the engine made, and what the account holds beyond the state (orphans) is named
// by the pending operations the README has the user keep.
func TestInterruptedUp(t *testing.T) {
	engine(t)
	t.Parallel()
	for _, tt := range []struct {
		name string
		// change brings the stack, once up, to where the interrupted up starts, and returns that
		// up's options (nil: a fresh up, plain).
		change func(s *site, ctx context.Context, st auto.Stack) []string
		// hang is the resource ("TYPE::NAME") whose change AWS makes and the engine never
		// hears of: pulumi up is killed then.
		hang string
		// metadataCut: the kill also landed while the backend rewrote the state's metadata.
		metadataCut bool
	}{
		// The error bucket's encryption, a setting that AWS's Put writes again: the failure
		// this issue reported ("mockcloud gave the id ... twice").
		{"fresh up, at the bucket's encryption", nil, awstype.BucketEncryption + "::site-error-bucket", false},
		// An auto-named resource: the next up makes another, the first is left behind.
		// Also the kill in the backend's write of the state's metadata (README: "failed to
		// load checkpoint: EOF").
		{"fresh up, at the load balancer, the state's metadata cut short", nil, awstype.LoadBalancer + "::site-main-alb", true},
		{"fresh up, at a failover record", nil, awstype.Record + "::site-dns-example.com-A-primary", false},
		// Creates AWS refuses to repeat, adopted by the ids their inputs give.
		{"fresh up, at the default route", nil, awstype.Route + "::site-main-public-default", false},
		{"fresh up, at a subnet's route table association", nil, awstype.RouteTableAssociation + "::site-main-public-1", false},
		{"new page", newPage, awstype.LaunchTemplate + "::site-main-web", false},
		{"switch to edge mode", switchToEdge, awstype.Distribution + "::site-edge-cdn", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSite(t, "", exampleZone)
			ctx, cancel := s.context()
			defer cancel()
			st := s.stack(ctx, "", "interrupted")
			if err := st.SetAllConfig(ctx, auto.ConfigMap{"aws:region": {Value: "eu-west-1"}, key("domain"): {Value: "example.com"}}); err != nil {
				t.Fatal(err)
			}
			var options []string
			if tt.change != nil {
				if _, err := st.Up(ctx); err != nil {
					t.Fatalf("up: %v", err)
				}
				s.audit(ctx, st)
				options = tt.change(s, ctx, st)
			}
			s.killUp(ctx, tt.hang, options)
			if tt.metadataCut {
				s.cutStateMetadata(ctx, st.Name())
			}
			s.recover(ctx, options)
			if tt.change != nil && options != nil {
				// The procedure's last step, which the interrupted up came before.
				if _, err := st.Up(ctx); err != nil {
					t.Fatalf("up: %v", err)
				}
			}
			s.audit(ctx, st)
			if _, err := st.Preview(ctx, optpreview.ExpectNoChanges()); err != nil {
				t.Errorf("after the recovery the stack still has changes to make: %v", err)
			}
			s.convergedToPlan(ctx, st)
			s.orphansArePending(ctx, st)
			if _, err := st.Destroy(ctx); err != nil {
				t.Fatalf("destroy: %v", err)
			}
		})
	}
}

// recover runs the README's recovery ("If `pulumi up` was interrupted") as written; its pulumi up
// takes the interrupted up's options, as the README says.
func (s *site) recover(ctx context.Context, options []string) {
	s.t.Helper()
	for _, command := range readmeBlock(s.t, s.dir, "interrupted") {
		if command[0] == "pulumi" && command[1] == "up" {
			command = append(command, options...)
		}
		out, err := s.runDocumented(ctx, command...)
		if err != nil {
			s.t.Fatalf("README (interrupted): %s: %v\n%s", strings.Join(command, " "), err, out)
		}
		if command[0] != "pulumi" {
			s.t.Logf("%s:\n%s", strings.Join(command, " "), out)
		}
	}
}

// cutStateMetadata leaves the metadata file beside the stack's state as a kill in its rewrite
// does (fileblob's setAttrs creates it empty, then writes it), checks that pulumi then fails as
// the README says, and runs the README's remedy as written, with the rehearsal's backend
// directory for ~ and its project and stack names.
func (s *site) cutStateMetadata(ctx context.Context, stack string) {
	s.t.Helper()
	if err := os.Truncate(filepath.Join(s.backend, ".pulumi", "stacks", rig.project, stack+".json.attrs"), 0); err != nil {
		s.t.Fatal(err)
	}
	const symptom = "failed to load checkpoint: EOF"
	if out, err := s.run(ctx, "", "pulumi", "stack", "export"); err == nil || !strings.Contains(out, symptom) {
		s.t.Fatalf("with the state's metadata cut short, pulumi stack export = %v, want %q:\n%s", err, symptom, out)
	}
	placeholders := strings.NewReplacer("~", s.backend, "<project>", rig.project, "<stack>", stack)
	for _, command := range readmeBlock(s.t, s.dir, "interrupted-metadata") {
		for i, word := range command {
			command[i] = placeholders.Replace(word)
		}
		if out, err := s.run(ctx, "", command...); err != nil {
			s.t.Fatalf("README (interrupted-metadata): %s: %v\n%s", strings.Join(command, " "), err, out)
		}
	}
}

// newPage sets a page of its own: the launch template and the Auto Scaling group change.
func newPage(s *site, ctx context.Context, st auto.Stack) []string {
	s.t.Helper()
	if err := os.WriteFile(filepath.Join(s.dir, "new-page.html"), []byte("<h1>New page</h1>\n"), 0o644); err != nil {
		s.t.Fatal(err)
	}
	if err := st.SetConfig(ctx, key("mainPageFile"), auto.ConfigValue{Value: "new-page.html"}); err != nil {
		s.t.Fatal(err)
	}
	return nil
}

// switchToEdge runs docs/edge-mode.md's switch to edge mode up to its first pulumi up, and
// returns that up's options: the up to interrupt.
func switchToEdge(s *site, ctx context.Context, _ auto.Stack) []string {
	s.t.Helper()
	s.readme(ctx, "switch-to-edge", "pulumi up")
	for _, command := range readmeBlock(s.t, s.dir, "switch-to-edge") {
		if command[0] == "pulumi" && command[1] == "up" {
			return command[2:]
		}
	}
	s.t.Fatal("docs/edge-mode.md's switch-to-edge block has no pulumi up")
	return nil
}

// killUp runs `pulumi up` with options as a user would in a terminal, and kills it, with every
// process it started (killLeftovers), once AWS has made the change of the resource hang ("TYPE::NAME") and
// before the engine has heard of it: the simulated plugin stops answering there
// (awsplugin.HangEnv). It fails the test if the up ends first.
func (s *site) killUp(ctx context.Context, hang string, options []string) {
	s.t.Helper()
	// One change at a time: when the plugin hangs, the CLI only waits, as when AWS is slow to
	// answer, and what AWS made that the engine never heard of is that one change. With changes
	// side by side, which others are in flight at the kill is a matter of timing.
	cmd := exec.CommandContext(ctx, "pulumi", append([]string{"up", "--yes", "--skip-preview", "--parallel", "1"}, options...)...)
	cmd.Dir = s.dir
	cmd.Env = os.Environ()
	for k, v := range s.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, awsplugin.HangEnv+"="+hang)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var printed bytes.Buffer
	cmd.Stdout, cmd.Stderr = &printed, &printed
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	ended := make(chan error, 1)
	go func() { ended <- cmd.Wait() }()
	marker := awsplugin.HangMarker(s.account)
	for tick := time.NewTicker(50 * time.Millisecond); ; {
		select {
		case err := <-ended:
			s.t.Fatalf("pulumi up ended (%v) before AWS made %s:\n%s", err, hang, printed.String())
		case <-tick.C:
			if _, err := os.Stat(marker); err != nil {
				continue
			}
			if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil {
				s.t.Fatal(err)
			}
			<-ended
			s.killLeftovers()
			tick.Stop()
			if err := os.Remove(marker); err != nil {
				s.t.Fatal(err)
			}
			s.t.Logf("killed pulumi up once AWS had made %s:\n%s", hang, printed.String())
			return
		}
	}
}

// killLeftovers kills what the killed pulumi up left running outside its process group: the
// plugins, which the CLI starts in groups of their own and which outlive it. They are found by
// the account they serve, in their environment (Linux's /proc).
func (s *site) killLeftovers() {
	s.t.Helper()
	procs, err := os.ReadDir("/proc")
	if err != nil {
		s.t.Fatal(err)
	}
	mark := []byte(awsplugin.AccountEnv + "=" + s.account + "\x00")
	for _, p := range procs {
		pid, err := strconv.Atoi(p.Name())
		if err != nil {
			continue
		}
		if env, err := os.ReadFile(filepath.Join("/proc", p.Name(), "environ")); err == nil && bytes.Contains(env, mark) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// convergedToPlan fails the test unless the state holds exactly the resources the offline plan
// of the stack's config has: nothing missing, nothing twice.
func (s *site) convergedToPlan(ctx context.Context, st auto.Stack) {
	s.t.Helper()
	opts, err := plan.LoadStack(s.dir, st.Name(), "")
	if err != nil {
		s.t.Fatal(err)
	}
	opts.Existing, opts.Strict = exampleZone, true
	p, err := plan.Run(opts, stack.Program)
	if err != nil {
		s.t.Fatal(err)
	}
	var want, got []string
	for _, r := range p.Resources {
		if !r.Read && !strings.HasPrefix(r.Type, "pulumi:") {
			want = append(want, r.URN)
		}
	}
	for _, r := range s.stateResources(ctx, st) {
		if !strings.HasPrefix(string(resource.URN(r.URN).Type()), "pulumi:") {
			got = append(got, r.URN)
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		s.t.Errorf("the recovered stack holds\n  %s\nbut the plan of its config has\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// orphansArePending fails the test when the account holds a resource beyond the state that the
// pending operations the README had the user keep (interrupted.json) do not name: the user
// would have no way to find it. It logs the orphans, then deletes them as the user would.
func (s *site) orphansArePending(ctx context.Context, st auto.Stack) {
	s.t.Helper()
	b, err := os.ReadFile(filepath.Join(s.dir, "interrupted.json"))
	if err != nil {
		s.t.Fatal(err)
	}
	kept, err := failover.ReadState(b)
	if err != nil {
		s.t.Fatal(err)
	}
	pending := map[string]bool{}
	for _, c := range kept.Pending {
		pending[c.URN] = true
	}
	a := s.loadAccount()
	orphans := a.Orphans(s.inState(ctx, st))
	for _, o := range orphans {
		s.t.Logf("left behind: %s %s (%s)", o.Type, o.ID, o.URN)
		if !pending[o.URN] {
			s.t.Errorf("left behind, and not among the pending operations kept in interrupted.json: %s %s", o.URN, o.ID)
		}
		a.DeleteOrphan(o)
	}
	if err := a.SaveAccount(s.account); err != nil {
		s.t.Fatal(err)
	}
}
