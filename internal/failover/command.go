package failover

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// usage is what the command prints without a subcommand.
const usage = `usage: failover check|drill|watch|guard|recover [flags]

  check   is the deployed stack working, end to end? exit 1 on any failure
  drill   fail over on purpose, measure each step, restore the primary, measure the way back
  watch   print each change of the same signals as it happens, until Ctrl-C or -duration
  guard   refuse (exit 1) a change of failover mode that one pulumi up cannot make (-stack only)
  recover after a killed pulumi up: pulumi refresh, importing what AWS made that it will not make
          twice, clearing the other pending creates (recover FILE, a pulumi stack export)

The stack: -stack NAME (its outputs and state, read with the pulumi CLI) or -outputs FILE (what
pulumi stack output --json --show-secrets prints; check's -state FILE adds the state, what
pulumi stack export --file FILE wrote). Flags: failover SUBCOMMAND -h.
`

// Command runs one subcommand of the failover command (args without the program name) and
// returns the exit status: 0 all well, 1 a failure (a failed
// check, a drill that did not complete or could not restore), 2 a usage error.
func Command(ctx context.Context, args []string, stdout, stderr io.Writer, loadAWS func(context.Context) (aws.Config, error)) int {
	if len(args) > 0 && args[0] == "guard" {
		return guard(ctx, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "recover" {
		return recoverStack(ctx, args[1:], stdout, stderr, loadAWS)
	}
	if len(args) == 0 || (args[0] != "check" && args[0] != "drill" && args[0] != "watch") {
		fmt.Fprint(stderr, usage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			return 0
		}
		return 2
	}
	command := args[0]
	flags := flag.NewFlagSet("failover "+command, flag.ContinueOnError)
	flags.SetOutput(stderr)
	stackName := flags.String("stack", "", "the Pulumi stack to read the outputs of (with the pulumi CLI)")
	projectDir := flags.String("project-dir", ".", "the Pulumi project of -stack")
	outputsFile := flags.String("outputs", "", "a file of the stack's outputs: pulumi stack output --json --show-secrets > FILE")
	stateFile := flags.String("state", "", "with -outputs: the stack's state (pulumi stack export --file FILE), for check to look for resources left outside it")
	nameserver := flags.String("nameserver", "", "ask every DNS question of this server (HOST:PORT) instead of the resolver and the zone's name servers")
	caFile := flags.String("ca", "", "trust the PEM certificates of this file too")
	connect := connectFlag{}
	flags.Var(&connect, "connect", "HOST[:PORT]=ADDR: connect to ADDR instead (repeatable), like curl's --connect-to")
	asJSON := flags.Bool("json", false, "print JSON")
	interval := flags.Duration("interval", time.Second, "time between polls (drill, watch)")
	method := flags.String("method", MethodInvert, "drill: how to break the primary: "+strings.Join(Methods(), " or "))
	timeout := flags.Duration("timeout", 10*time.Minute, "drill: the longest it may take, the way back included")
	force := flags.Bool("force", false, "drill: skip the preflight check")
	duration := flags.Duration("duration", 0, "watch: stop after this long (default: at Ctrl-C)")
	if err := flags.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if flags.NArg() > 0 || (*stackName == "") == (*outputsFile == "") {
		fmt.Fprintln(stderr, "failover "+command+": give -stack NAME or -outputs FILE (one of them)")
		return 2
	}

	if *stateFile != "" && *outputsFile == "" {
		fmt.Fprintln(stderr, "failover "+command+": -state goes with -outputs (-stack reads the state itself)")
		return 2
	}
	stack, err := loadStack(ctx, *stackName, *projectDir, *outputsFile, *stateFile)
	if err != nil {
		fmt.Fprintln(stderr, "failover:", err)
		return 1
	}
	cfg, err := loadAWS(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "failover: AWS credentials and settings:", err)
		return 1
	}
	web := &Web{Resolver: &Resolver{Server: *nameserver}, Connect: connect}
	if *caFile != "" {
		if web.Roots, err = LoadRoots(*caFile); err != nil {
			fmt.Fprintln(stderr, "failover: -ca:", err)
			return 2
		}
	}
	probe := &Probe{Stack: stack, AWS: cfg, Web: web}

	switch command {
	case "check":
		results := probe.Check(ctx)
		if stack.State != nil {
			results = append(results, probe.CheckLeftovers(ctx, stack.State))
		}
		if *asJSON {
			writeJSON(stdout, results)
		} else {
			for _, r := range results {
				state := "ok  "
				if !r.OK {
					state = "FAIL"
				}
				fmt.Fprintf(stdout, "%s  %s: %s\n", state, r.Check, r.Detail)
			}
		}
		if Failed(results) {
			return 1
		}
		return 0
	case "drill":
		opts := DrillOptions{Method: *method, Interval: *interval, Timeout: *timeout, Force: *force}
		if !*asJSON {
			opts.Log = stdout
		}
		timeline, err := probe.Drill(ctx, opts)
		if *asJSON && timeline != nil {
			writeJSON(stdout, timeline)
		} else if timeline != nil {
			printSummary(stdout, timeline)
		}
		if err != nil {
			fmt.Fprintln(stderr, "failover drill:", err)
			return 1
		}
		return 0
	default:
		if *duration > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, *duration)
			defer cancel()
		}
		if err := probe.Watch(ctx, *interval, stdout); err != nil {
			fmt.Fprintln(stderr, "failover watch:", err)
			return 1
		}
		return 0
	}
}

// loadStack reads the stack's outputs and state from -stack, or from -outputs and -state.
func loadStack(ctx context.Context, stackName, projectDir, outputsFile, stateFile string) (*Stack, error) {
	if stackName != "" {
		return StackOutputs(ctx, projectDir, stackName)
	}
	f, err := os.Open(outputsFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := ReadOutputs(f)
	if err != nil || stateFile == "" {
		return s, err
	}
	if s.State, err = readStateFile(stateFile); err != nil {
		return nil, fmt.Errorf("-state: %w", err)
	}
	return s, nil
}

// printSummary sets the measured failover against the stack's estimate.
func printSummary(w io.Writer, t *Timeline) {
	e := t.Estimate
	if e.Mode == ModeEdge {
		fmt.Fprintf(w, "estimate (edge): a request the main site fails gets the error page itself; a hung server costs each request up to %d s\n", e.Worst)
	} else {
		fmt.Fprintf(w, "estimate: detection %d-%d s, clients on the error page typically after %d s, at worst %d s\n",
			e.DetectionMin, e.DetectionMax, e.Typical, e.Worst)
	}
	for _, ev := range t.Failover {
		if strings.HasPrefix(ev.Signal, "https://") {
			verdict := "within the typical estimate"
			switch {
			case e.Mode == ModeEdge && ev.Seconds <= float64(e.Worst):
				verdict = "within the estimate (measured to the poll interval)"
			case ev.Seconds > float64(e.Worst):
				verdict = "slower than the worst case estimated: look at the events above"
			case ev.Seconds > float64(e.Typical):
				verdict = "between the typical and the worst case"
			}
			fmt.Fprintf(w, "measured: the error page after %.1f s, %s\n", ev.Seconds, verdict)
		}
	}
}

// writeJSON writes v as indented JSON.
func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// connectFlag is the repeatable -connect HOST[:PORT]=ADDR.
type connectFlag map[string]string

// String shows the mapping.
func (c *connectFlag) String() string { return fmt.Sprint(map[string]string(*c)) }

// Set adds one HOST[:PORT]=ADDR.
func (c *connectFlag) Set(v string) error {
	from, to, ok := strings.Cut(v, "=")
	if !ok || from == "" || to == "" {
		return fmt.Errorf("%q: want HOST[:PORT]=ADDR", v)
	}
	if *c == nil {
		*c = map[string]string{}
	}
	(*c)[from] = to
	return nil
}
