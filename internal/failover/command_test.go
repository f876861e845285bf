package failover

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
	"github.com/seed-2b23e6e5/route53-failover/internal/standin"
)

// deployed returns a stack in moto with its stand-ins, the flags that reach them, and the
// outputs file pulumi stack output --json would write for it.
func deployed(t *testing.T, opts standin.Options) (*standin.World, []string) {
	t.Helper()
	w, err := standin.NewWorld(context.Background(), sharedMoto(t), stackPlan(t, "dev"), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	dir := t.TempDir()
	outputs, _ := json.Marshal(w.Outputs())
	outputsFile, caFile := filepath.Join(dir, "outputs.json"), filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(outputsFile, outputs, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(caFile, w.CAPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	flags := []string{"-outputs", outputsFile, "-nameserver", w.NameServer, "-ca", caFile}
	for from, to := range w.Connect {
		flags = append(flags, "-connect", from+"="+to)
	}
	return w, flags
}

func runCommand(w *standin.World, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := Command(context.Background(), args, &stdout, &stderr, func(context.Context) (aws.Config, error) {
		return standin.Config(w.AWSEndpoint), nil
	})
	return code, stdout.String(), stderr.String()
}

func TestCheckCommand(t *testing.T) {
	w, flags := deployed(t, standin.Options{})
	code, out, errOut := runCommand(w, append([]string{"check"}, flags...)...)
	if code != 0 || strings.Contains(out, "FAIL") || !strings.Contains(out, "ok    the load balancer refuses TLS 1.0 and 1.1") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	// Given the state, check also fails on what AWS holds tagged as the stack's resources but
	// the state lacks.
	cfg := standin.Config(w.AWSEndpoint)
	leftover := requestCertificate(t, cfg, "us-east-1", w.Names[0], map[string]string{"stack": "shop-dev"})
	state, _ := json.Marshal(map[string]any{"deployment": map[string]any{"resources": []StateResource{{
		Type: awstype.Certificate, ID: w.Resources.CertificateARNs[0], Inputs: tagged(map[string]any{"stack": "shop-dev"}),
	}}}})
	stateFile := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(stateFile, state, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCommand(w, append([]string{"check", "-state", stateFile}, flags...)...)
	if code != 1 || !strings.Contains(out, "FAIL  nothing tagged as the stack's resources is outside its state") || !strings.Contains(out, leftover) {
		t.Fatalf("a leftover tagged as the stack's: exit %d\n%s%s", code, out, errOut)
	}

	w.Fault("no redirect")
	code, out, _ = runCommand(w, append([]string{"check", "-json"}, flags...)...)
	var results []Result
	if err := json.Unmarshal([]byte(out), &results); err != nil || code != 1 || !Failed(results) {
		t.Fatalf("a failing check: exit %d, %v\n%s", code, err, out)
	}
}

func TestDrillCommand(t *testing.T) {
	w, flags := deployed(t, standin.Options{HealthDelay: 100 * time.Millisecond, DNSDelay: 100 * time.Millisecond})
	code, out, errOut := runCommand(w, append([]string{"drill", "-method", "deregister", "-interval", "30ms", "-json"}, flags...)...)
	var timeline Timeline
	if err := json.Unmarshal([]byte(out), &timeline); err != nil || code != 0 || len(timeline.Failover) != 8 || len(timeline.Recovery) != 8 {
		t.Fatalf("exit %d, %v\n%s%s", code, err, out, errOut)
	}
	code, out, errOut = runCommand(w, append([]string{"drill", "-interval", "30ms"}, flags...)...)
	if code != 0 || !strings.Contains(out, "measured: the error page after") || !strings.Contains(out, "within the typical estimate") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
}

// TestBadInput: what cannot work ends with a clear error, and an exit status, before anything
// is asked or changed.
func TestBadInput(t *testing.T) {
	w, flags := deployed(t, standin.Options{})
	empty := filepath.Join(t.TempDir(), "outputs.json")
	if err := os.WriteFile(empty, []byte(`{"siteUrl": "https://other.example"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "usage: failover check|drill|watch"},
		{[]string{"unplug"}, 2, "usage"},
		{[]string{"check"}, 2, "give -stack NAME or -outputs FILE"},
		{[]string{"check", "-outputs", empty}, 1, "the stack outputs lack albDnsName"},
		{append([]string{"drill", "-method", "unplug"}, flags...), 1, `-method "unplug": one of invert, deregister`},
		{[]string{"check", "-outputs", "/nonexistent.json"}, 1, "no such file"},
		{[]string{"check", "-stack", "dev", "-state", "state.json"}, 2, "-state goes with -outputs"},
		{append([]string{"check", "-state", "/nonexistent.json"}, flags...), 1, "-state: open /nonexistent.json"},
	} {
		code, _, errOut := runCommand(w, tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.want) {
			t.Errorf("failover %s: exit %d, want %d and %q:\n%s", strings.Join(tt.args, " "), code, tt.code, tt.want, errOut)
		}
	}
	if inverted, targets, _ := w.Primary(context.Background()); inverted || targets != 1 {
		t.Error("bad input changed the primary")
	}
}

// TestInterruptRestores runs the command as a user does and presses Ctrl-C mid-drill: the
// process restores the primary before it exits. It also shows that the command takes its AWS
// endpoint and credentials from the standard environment (AWS_ENDPOINT_URL).
func TestInterruptRestores(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command: not in -short mode")
	}
	sharedMoto(t) // before the build: the fast tier skips here
	binary := filepath.Join(t.TempDir(), "failover")
	if out, err := exec.Command("go", "build", "-o", binary, "../../cmd/failover").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, method := range Methods() {
		t.Run(method, func(t *testing.T) {
			w, flags := deployed(t, standin.Options{HealthDelay: 100 * time.Millisecond, DNSDelay: time.Minute})
			cmd := exec.Command(binary, append([]string{"drill", "-method", method, "-interval", "30ms"}, flags...)...)
			cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + t.TempDir(), "AWS_ENDPOINT_URL=" + w.AWSEndpoint,
				"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null"}
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Wait for the first line after the break (invert: that the check is inverted), then
			// interrupt.
			lines := bufio.NewScanner(stdout)
			for lines.Scan() && !strings.Contains(lines.Text(), "health check unhealthy") && !strings.Contains(lines.Text(), "Inverted") {
			}
			if err := cmd.Process.Signal(os.Interrupt); err != nil {
				t.Fatal(err)
			}
			for lines.Scan() {
			}
			err = cmd.Wait()
			if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 1 || !strings.Contains(stderr.String(), "interrupt") && !strings.Contains(stderr.String(), "canceled") {
				t.Errorf("exit %v, want 1 with the reason:\n%s", err, stderr.String())
			}
			if inverted, targets, err := w.Primary(context.Background()); err != nil || inverted || targets != 1 {
				t.Errorf("after Ctrl-C the primary is not restored: inverted %v, %d targets, %v", inverted, targets, err)
			}
		})
	}
}
