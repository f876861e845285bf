// Package standin owns the world the failover command's tests run against, made from a plan of
// the stack: moto (the AWS API emulator) started on a free port with the plan's resources created
// in it, and what moto does not do. Route 53's data plane (the checkers' observations, the DNS
// answers, TestDNSAnswer, after configurable delays) and the two ends (the load balancer and
// CloudFront over HTTPS and HTTP) are answered by the simulated account the plan left behind,
// through mockcloud's data plane, with what the command changed in moto carried into it. On top
// come the group's instance refreshes, IAM authorization of every call by a policy, and the
// faults a test injects. Each behaviour cites the AWS page it follows.
package standin

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

//go:embed fixture.py
var fixture []byte

// Moto is a moto server on a free port of 127.0.0.1.
type Moto struct {
	// URL is its endpoint.
	URL    string
	python string
	cmd    *exec.Cmd
	out    bytes.Buffer
}

// Python returns a Python interpreter that has moto 5 (with its server), boto3 and cryptography:
// MOTO_PYTHON when set, else python3 on PATH, else pyenv's python3 (where moto is preinstalled on
// the team's machines, whatever PATH a CI run starts with).
func Python() (string, error) {
	candidates := []string{os.Getenv("MOTO_PYTHON"), "python3"}
	if home, err := os.UserHomeDir(); err == nil {
		candidates = append(candidates, filepath.Join(home, ".pyenv", "shims", "python3"))
	}
	for _, python := range candidates {
		if python == "" {
			continue
		}
		check := exec.Command(python, "-c", "import moto.server, boto3, cryptography; assert moto.__version__.startswith('5.')")
		check.Env = withoutAWS()
		if check.Run() == nil {
			return python, nil
		}
	}
	return "", fmt.Errorf("no Python with moto 5: pip install 'moto[server]==5.2.1', or set MOTO_PYTHON (.ci/run does both)")
}

// StartMoto starts moto (python -m moto.server) and waits until it answers.
func StartMoto() (*Moto, error) {
	python, err := Python()
	if err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	m := &Moto{URL: fmt.Sprintf("http://127.0.0.1:%d", port), python: python}
	m.cmd = exec.Command(python, "-m", "moto.server", "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	m.cmd.Env = withoutAWS()
	m.cmd.Stdout, m.cmd.Stderr = &m.out, &m.out
	if err := m.cmd.Start(); err != nil {
		return nil, err
	}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get(m.URL + "/moto-api/"); err == nil {
			resp.Body.Close()
			return m, nil
		}
		if m.cmd.ProcessState != nil {
			break
		}
	}
	m.Stop()
	return nil, fmt.Errorf("moto did not start: %s", m.out.String())
}

// withoutAWS is this process's environment without the user's AWS settings (AWS_PROFILE,
// AWS_REGION, AWS_ENDPOINT_URL, ~/.aws), which must not reach moto or the fixture.
func withoutAWS() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	return append(env, "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
}

// Stop stops moto.
func (m *Moto) Stop() {
	_ = m.cmd.Process.Kill()
	_ = m.cmd.Wait()
}

// Reset empties moto, for a test that makes its own resources in it.
func (m *Moto) Reset(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.URL+"/moto-api/reset", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("moto reset: %s", resp.Status)
	}
	return nil
}

// runPython runs a script of the stand-in with spec as JSON on its standard input, and decodes
// what it prints into out.
func (m *Moto) runPython(ctx context.Context, script []byte, spec map[string]any, out any) error {
	in, _ := json.Marshal(spec)
	cmd := exec.CommandContext(ctx, m.python, "-c", string(script))
	cmd.Env = withoutAWS()
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	printed, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("%w: %s", err, stderr.String())
	}
	return json.Unmarshal(printed, out)
}

// Config is an AWS configuration for endpoint, with test credentials and no retries, so that a
// refused call fails at once; nothing of the environment (AWS_PROFILE, AWS_REGION) reaches it.
func Config(endpoint string) aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(endpoint),
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	}
}

// Resources are the ids of a stack's resources created in moto.
type Resources struct {
	// ZoneID is the hosted zone; NameServers its delegation set.
	ZoneID      string   `json:"zoneId"`
	NameServers []string `json:"nameServers"`
	// HealthCheckID is the health check on the load balancer.
	HealthCheckID string `json:"healthCheckId"`
	// CertificateARNs are the plan's certificates, in its certificateArns order.
	CertificateARNs []string `json:"certificateArns"`
	// TargetGroupARN is the target group, InstanceID the first instance in it.
	TargetGroupARN string `json:"targetGroupArn"`
	InstanceID     string `json:"instanceId"`
	// AutoScalingGroup is the stack's group, whose instances the target group holds.
	AutoScalingGroup string `json:"autoScalingGroupName"`
}

// Create creates in moto what the stack that p plans has once deployed, moto emptied first (a
// world is alone in it): the zone with the plan's records of the served names, the plan's health
// check, its certificates in their regions, issued (the first pending with
// opts.PendingCertificate), and its network, target group, launch template and Auto Scaling group
// under the plan's names, the group's instances registered (of an older version with
// opts.StaleInstances).
func (m *Moto) Create(ctx context.Context, p *Plan, opts Options) (*Resources, error) {
	check, err := p.healthCheck()
	if err != nil {
		return nil, err
	}
	certificates, err := p.certificates()
	if err != nil {
		return nil, err
	}
	compute, err := p.compute()
	if err != nil {
		return nil, err
	}
	spec := map[string]any{
		"endpoint": m.URL, "region": p.Region(), "zone": p.Names()[0], "healthCheck": check, "recordSets": p.recordSets(),
		"certificates": certificates, "compute": compute,
		"pendingCertificate": opts.PendingCertificate, "staleInstances": opts.StaleInstances,
	}
	var r Resources
	if err := m.runPython(ctx, fixture, spec, &r); err != nil {
		return nil, fmt.Errorf("creating the stack's resources in moto: %w", err)
	}
	return &r, nil
}
