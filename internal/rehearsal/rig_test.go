package rehearsal

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"

	"github.com/seed-2b23e6e5/route53-failover/internal/docs"
	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
	"github.com/seed-2b23e6e5/route53-failover/internal/sandbox"
	"github.com/seed-2b23e6e5/route53-failover/internal/stackconfig"
	"github.com/seed-2b23e6e5/route53-failover/internal/tier"
	"github.com/seed-2b23e6e5/route53-failover/pkg/errorsite"
)

// rig is what every scenario shares: the repository, and a PULUMI_HOME that holds the simulated
// AWS plugin as resource plugin aws.
var rig struct {
	root    string
	project string
	// program is the checkout's stack program, built once: every copy of the checkout runs it
	// (prebuilt), so that no engine step compiles it again.
	program string
	home    string
	skip    string
	setup   error

	mu       sync.Mutex
	rounds   map[string]int  // engine calls per test: the -count round it is in
	timeLeft []time.Duration // per round, when its first scenario started
}

func TestMain(m *testing.M) {
	os.Exit(func() int {
		tmp, err := os.MkdirTemp("", "rehearsal-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(tmp)
		if tier.Full() {
			rig.setup = setUp(tmp)
		}
		return m.Run()
	}())
}

func setUp(tmp string) error {
	// The examples in YAML and TypeScript need their language hosts, and Node.js with npm.
	for _, tool := range []string{"pulumi", "pulumi-language-go", "pulumi-language-yaml", "pulumi-language-nodejs", "node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			rig.skip = "the engine rehearsal needs the Pulumi CLI (pulumi) with its Go, YAML and Node.js language hosts, " +
				"and Node.js with npm, on PATH (" + tool + " is not): install the CLI (https://www.pulumi.com/docs/install/) " +
				"and Node.js, or run .ci/run, which puts them there"
			return nil
		}
	}
	root, err := repositoryRoot()
	if err != nil {
		return err
	}
	rig.root, rig.home = root, filepath.Join(tmp, "pulumi-home")
	project, err := workspace.LoadProject(filepath.Join(root, "Pulumi.yaml"))
	if err != nil {
		return err
	}
	rig.project = project.Name.String()
	// The Go language host builds each program with -trimpath, and the README's commands run
	// `go run ./cmd/plan` without it. Building everything both ways once here, before the
	// scenarios run in parallel, compiles pulumi-aws into the build cache once per way (minutes
	// each when cold) instead of once per scenario at the same time.
	for _, flags := range [][]string{nil, {"-trimpath"}} {
		warm := exec.Command("go", append(append([]string{"build"}, flags...), "./...")...)
		warm.Dir = root
		if out, err := warm.CombinedOutput(); err != nil {
			return fmt.Errorf("building the programs: %v\n%s", err, out)
		}
	}
	rig.program = filepath.Join(tmp, "program")
	build := exec.Command("go", "build", "-trimpath", "-o", rig.program, ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("building the stack program: %v\n%s", err, out)
	}
	return sandbox.InstallPlugin(context.Background(), root, tmp, rig.home)
}

// copyCheckout copies the checkout to dst, set to run the program built once (Pulumi's Go
// runtime option binary, "Pulumi project file reference", runtime options) instead of building
// it at every engine step as the Go language host otherwise does.
func copyCheckout(dst string) error {
	if err := copyProject(rig.root, dst); err != nil {
		return err
	}
	path := filepath.Join(dst, "Pulumi.yaml")
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	const plainRuntime = "\nruntime: go\n"
	if !strings.Contains(string(b), plainRuntime) {
		return fmt.Errorf("%s: no line %q to point at the prebuilt program", path, strings.TrimSpace(plainRuntime))
	}
	prebuilt := "\nruntime:\n  name: go\n  options:\n    binary: " + rig.program + "\n"
	return os.WriteFile(path, []byte(strings.Replace(string(b), plainRuntime, prebuilt, 1)), 0o644)
}

// key is a key of the checkout's project, in its namespace: its name, another than
// route53-failover in a project made by pulumi new.
func key(k string) string { return stackconfig.KeyIn(rig.project, k) }

// engine skips the test where the rehearsal cannot run, and fails it if setting up failed.
func engine(t *testing.T) {
	t.Helper()
	switch {
	case !tier.Full() || testing.Short():
		t.Skipf("the engine rehearsal runs the Pulumi CLI for minutes: only in the full tier (%s=1), not in -short mode", tier.Env)
	case rig.skip != "":
		skip(t, rig.skip)
	case rig.setup != nil:
		t.Fatal(rig.setup)
	}
	// A cold build cache can use up most of go test's default 10 minutes before the first
	// scenario starts; a scenario cut off by the timeout would only print goroutines.
	if left := timeLeft(t); left < minimumTime {
		skip(t, fmt.Sprintf("only %s left before the test timeout (a cold Go build cache or an earlier -count round used the rest); run again, or with -timeout 30m",
			left.Round(time.Second)))
	}
}

// timeLeft is the time left before the test timeout when the round's first scenario asked:
// minimumTime is what all the scenarios of a round (one -count) need together, and those that
// start later (go test runs the sequential ones first) must not be held to it again.
func timeLeft(t *testing.T) time.Duration {
	rig.mu.Lock()
	defer rig.mu.Unlock()
	if rig.rounds == nil {
		rig.rounds = map[string]int{}
	}
	rig.rounds[t.Name()]++
	round := rig.rounds[t.Name()]
	if len(rig.timeLeft) < round {
		left := time.Duration(math.MaxInt64)
		if deadline, ok := t.Deadline(); ok {
			left = time.Until(deadline)
		}
		// t.Deadline counts from m.Run, after TestMain's builds; go test kills the whole binary
		// one minute after the timeout counted from its start.
		if timeout := flag.Lookup("test.timeout").Value.(flag.Getter).Get().(time.Duration); timeout > 0 {
			left = min(left, time.Until(binaryStarted.Add(timeout+time.Minute)))
		}
		rig.timeLeft = append(rig.timeLeft, left)
	}
	return rig.timeLeft[round-1]
}

// binaryStarted is when the test binary started, before TestMain builds anything.
var binaryStarted = time.Now()

// skip skips t for reason, or, in the full tier (which .ci/run turns on), fails it: CI never
// passes without the rehearsal.
func skip(t *testing.T, reason string) {
	t.Helper()
	tier.Needs(t, "the engine rehearsal", errors.New(reason))
}

// minimumTime is what the scenarios need together: some run in parallel, and on 2 cores, beside
// the other packages of go test ./..., the package takes about 9 minutes (the edge example, the
// mode switch and the origin secret's changes included). Less than that left (go test's default
// 10 minutes, a second -count, a cold build cache) skips, or fails under CI, rather than be cut
// off.
const minimumTime = 10 * time.Minute

func repositoryRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the test")
		}
		dir = parent
	}
}

// site is one stack's world: a copy of a project (the repository, or another commit of it), a
// file backend, and a simulated account that holds what existing describes.
type site struct {
	t       *testing.T
	dir     string // the project copy
	env     map[string]string
	account string
	backend string // the file backend's directory
}

// newSite copies the project at src (the repository when "") and sets up a backend and an
// account.
func newSite(t *testing.T, src string, existing mockcloud.Existing) *site {
	t.Helper()
	tmp := t.TempDir()
	s := &site{t: t, dir: filepath.Join(tmp, "project"), account: filepath.Join(tmp, "account.json"), backend: filepath.Join(tmp, "backend")}
	copyIn := func() error { return copyProject(src, s.dir) }
	if src == "" {
		copyIn = func() error { return copyCheckout(s.dir) }
	}
	if err := copyIn(); err != nil {
		t.Fatal(err)
	}
	account := mockcloud.NewAccount(existing)
	// Every change the engine makes is followed by a visit of every served name (see audit).
	account.Watch = &mockcloud.Watch{ErrorCode: errorsite.DefaultErrorResponseCode}
	if err := account.SaveAccount(s.account); err != nil {
		t.Fatal(err)
	}
	// The user's own settings must not reach the rehearsal (sandbox.Env blanks them).
	s.env = sandbox.Env(rig.home, s.backend, s.account)
	s.env["PULUMI_CONFIG_PASSPHRASE"] = "rehearsal"
	s.env["PULUMI_SKIP_CONFIRMATIONS"] = "true"
	if err := os.MkdirAll(s.backend, 0o755); err != nil {
		t.Fatal(err)
	}
	return s
}

// copyProject copies the files git tracks (and new ones it does not ignore), or every file but
// .git when src is not a git checkout.
func copyProject(src, dst string) error {
	var files []string
	if out, err := exec.Command("git", "-C", src, "ls-files", "-co", "--exclude-standard").Output(); err == nil {
		files = strings.Split(strings.TrimSpace(string(out)), "\n")
	} else {
		err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.Name() == ".git" && d.IsDir() {
				return errors.Join(err, fs.SkipDir)
			}
			if !d.IsDir() {
				rel, _ := filepath.Rel(src, path)
				files = append(files, rel)
			}
			return nil
		})
		if err != nil && !errors.Is(err, fs.SkipDir) {
			return err
		}
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(src, f))
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted in the work tree
		} else if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dst, f)), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, f), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func (s *site) context() (context.Context, context.CancelFunc) {
	if deadline, ok := s.t.Deadline(); ok {
		return context.WithDeadline(context.Background(), deadline.Add(-10*time.Second))
	}
	return context.WithTimeout(context.Background(), 20*time.Minute)
}

// stack selects (or creates) a stack of the project in workDir (relative to the copy).
func (s *site) stack(ctx context.Context, workDir, name string) auto.Stack {
	s.t.Helper()
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{SkipVersionCheck: true})
	if err != nil {
		s.t.Fatal(err)
	}
	ws, err := auto.NewLocalWorkspace(ctx, auto.WorkDir(filepath.Join(s.dir, workDir)), auto.Pulumi(cmd),
		auto.PulumiHome(rig.home), auto.EnvVars(s.env))
	if err != nil {
		s.t.Fatal(err)
	}
	st, err := auto.UpsertStack(ctx, name, ws)
	if err != nil {
		s.t.Fatal(err)
	}
	return st
}

// run runs a command in the project copy's workDir with the site's environment, as a user would
// in a terminal, and returns what it printed.
func (s *site) run(ctx context.Context, workDir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Dir = filepath.Join(s.dir, workDir)
	cmd.Env = os.Environ()
	for k, v := range s.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// loadAccount reads the simulated account as the last call left it.
func (s *site) loadAccount() *mockcloud.Account {
	s.t.Helper()
	a, err := mockcloud.LoadAccount(s.account)
	if err != nil {
		s.t.Fatal(err)
	}
	return a
}

// audit fails the test when the account is not as the stack's state believes (a record gone that
// a resource claims, an issued certificate that lost its validation records), or when, after any
// change the engine made since the last audit, a served name that had answered a page answered
// neither the main page nor the error page with errorResponseCode (a 403, a refused connection,
// a TLS error, ...). It prints what visitors met as a timeline, and returns the changes.
func (s *site) audit(ctx context.Context, st auto.Stack) []mockcloud.Step {
	s.t.Helper()
	a := s.loadAccount()
	for _, problem := range a.Audit(s.inState(ctx, st)) {
		s.t.Error(problem)
	}
	if a.Watch == nil {
		return nil
	}
	s.t.Logf("what visitors met, change by change (%d changes):\n%s", len(a.Watch.Steps), a.Watch.Timeline())
	for _, broken := range a.Watch.Broken() {
		s.t.Errorf("a visitor met neither page %s", broken)
	}
	steps := a.Watch.Steps
	a.Watch.Steps = nil
	if err := a.SaveAccount(s.account); err != nil {
		s.t.Fatal(err)
	}
	return steps
}

// inState says whether the stack's state holds the resource of a type and id: what the account
// asks to tell the state's resources from the rest.
func (s *site) inState(ctx context.Context, st auto.Stack) func(typ, id string) bool {
	held := map[string]bool{}
	for _, r := range s.stateResources(ctx, st) {
		held[string(resource.URN(r.URN).Type())+"#"+r.ID] = true
	}
	return func(typ, id string) bool { return held[typ+"#"+id] }
}

// forgetChanges drops the changes recorded since the last audit, unaudited: what visitors met
// meanwhile is not this program's doing.
func (s *site) forgetChanges() {
	s.t.Helper()
	a := s.loadAccount()
	a.Watch.Steps = nil
	if err := a.SaveAccount(s.account); err != nil {
		s.t.Fatal(err)
	}
}

// mainPageThroughout fails the test when, after any of the changes, a visitor of one of names
// got anything but the main page: while the main site is healthy, even the error page is a
// regression.
func (s *site) mainPageThroughout(what string, names []string, steps []mockcloud.Step) {
	s.t.Helper()
	for i, step := range steps {
		for _, answer := range step.Answers {
			if slices.Contains(names, answer.Name) && answer.Page != mockcloud.PageMain {
				s.t.Errorf("%s, after change %d (%s %s): %s", what, i+1, step.Op, step.URN, answer)
			}
		}
	}
}

// stateResource is a resource the stack's state manages, with its parent and the resources it
// depends on.
type stateResource struct {
	URN, ID, Parent string
	Dependencies    []string
}

// stateResources lists the resources the stack's state manages (not reads).
func (s *site) stateResources(ctx context.Context, st auto.Stack) []stateResource {
	s.t.Helper()
	exported, err := st.Export(ctx) // decrypted: only ids and URNs are read
	if err != nil {
		s.t.Fatal(err)
	}
	var deployment struct {
		Resources []struct {
			URN, ID, Parent string
			External        bool
			Dependencies    []string
		}
	}
	if err := json.Unmarshal(exported.Deployment, &deployment); err != nil {
		s.t.Fatal(err)
	}
	var out []stateResource
	for _, r := range deployment.Resources {
		if !r.External {
			out = append(out, stateResource{URN: r.URN, ID: r.ID, Parent: r.Parent, Dependencies: r.Dependencies})
		}
	}
	return out
}

// steps collects the steps an operation reports, from its event stream.
type steps struct {
	ch   chan events.EngineEvent
	done chan []stepEvent
}

type stepEvent struct {
	Op, URN, Type string
	Diffs         []string
}

func collectSteps() *steps {
	s := &steps{ch: make(chan events.EngineEvent), done: make(chan []stepEvent, 1)}
	go func() {
		var out []stepEvent
		for e := range s.ch {
			if pre := e.ResourcePreEvent; pre != nil {
				m := pre.Metadata
				out = append(out, stepEvent{Op: string(m.Op), URN: m.URN, Type: m.Type, Diffs: m.Diffs})
			}
		}
		s.done <- out
	}()
	return s
}

// changes returns the steps that change something (not "same", nor a read).
func (s *steps) changes() []stepEvent {
	var out []stepEvent
	for _, e := range <-s.done {
		if e.Op != "same" && e.Op != "read" {
			out = append(out, e)
		}
	}
	return out
}

// readmeBlock returns the commands of the README's shell block marked <!-- rehearsed: name -->:
// continuation lines joined, comments dropped, each split as a shell would split it.
func readmeBlock(t *testing.T, dir, name string) [][]string {
	t.Helper()
	readme, err := docs.ReadDocuments(dir)
	if err != nil {
		t.Fatal(err)
	}
	marker := "<!-- rehearsed: " + name + " -->"
	_, rest, found := strings.Cut(readme, marker)
	if !found {
		t.Fatalf("neither README.md nor docs/ has a block marked %s", marker)
	}
	_, rest, _ = strings.Cut(rest, "```sh\n")
	block, _, _ := strings.Cut(rest, "```")
	var commands [][]string
	line := ""
	scanner := bufio.NewScanner(strings.NewReader(block))
	for scanner.Scan() {
		text := strings.TrimSpace(scanner.Text())
		if strings.HasSuffix(text, `\`) {
			line += strings.TrimSuffix(text, `\`) + " "
			continue
		}
		line += text
		if words := shellWords(line); len(words) > 0 {
			commands = append(commands, words)
		}
		line = ""
	}
	return commands
}

// shellWords splits a command line as sh does for the README's simple commands: words apart at
// spaces, quotes removed, and a # that starts a word starts a comment.
func shellWords(line string) []string {
	var words []string
	var word strings.Builder
	inWord, quote := false, rune(0)
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			word.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case unicode.IsSpace(r):
			if inWord {
				words, inWord = append(words, word.String()), false
				word.Reset()
			}
		case r == '#' && !inWord:
			return words
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, word.String())
	}
	return words
}
