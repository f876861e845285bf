package failover

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/miekg/dns"
)

// Probe asks AWS, the name servers and the sites about one stack.
type Probe struct {
	// Stack is the deployed stack.
	Stack *Stack
	// AWS is the AWS configuration (credentials, the Route 53 region, AWS_ENDPOINT_URL); ACM and
	// ELB clients take the region of the ARN they ask about.
	AWS aws.Config
	// Web reaches the sites; its Resolver asks the name servers.
	Web *Web
	// HealthEvery is how often a drill or a watch reads the health check. Default: the check's
	// request interval, as its checkers report no more often.
	HealthEvery time.Duration
}

func (p *Probe) route53() *route53.Client { return route53.NewFromConfig(p.AWS) }

func (p *Probe) acm(region string) *acm.Client {
	return acm.NewFromConfig(p.AWS, func(o *acm.Options) { o.Region = region })
}

func (p *Probe) elb() (*elb.Client, error) {
	region, err := regionOf(p.Stack.TargetGroupARN)
	if err != nil {
		return nil, err
	}
	return elb.NewFromConfig(p.AWS, func(o *elb.Options) { o.Region = region }), nil
}

// healthyShare is Route 53's rule: an endpoint is healthy while more than 18% of its checkers
// report it healthy (Route 53 Developer Guide, "How Amazon Route 53 determines whether a health
// check is healthy").
const healthyShare = 0.18

// Health is a health check as Route 53 reports it.
type Health struct {
	// Succeeding of Of checkers report the endpoint healthy.
	Succeeding, Of int
	// Inverted: Route 53 takes the opposite of what the checkers find.
	Inverted bool
	// Interval is the check's request interval: its checkers report no more often.
	Interval time.Duration
}

// EndpointHealthy is what the checkers find: the endpoint healthy by Route 53's share.
func (h Health) EndpointHealthy() bool {
	return h.Of > 0 && float64(h.Succeeding) > healthyShare*float64(h.Of)
}

// Healthy is the check's status, which routing follows: the checkers' finding, reversed when the
// check is inverted (Route 53 API Reference, UpdateHealthCheck, Inverted: "consider a health
// check unhealthy when it otherwise would be considered healthy").
func (h Health) Healthy() bool { return h.EndpointHealthy() != h.Inverted }

// HealthConfig reads whether the health check is inverted, and its request interval.
func (p *Probe) HealthConfig(ctx context.Context) (Health, error) {
	out, err := p.route53().GetHealthCheck(ctx, &route53.GetHealthCheckInput{HealthCheckId: &p.Stack.HealthCheckID})
	if err != nil {
		return Health{}, fmt.Errorf("health check %s: %w", p.Stack.HealthCheckID, err)
	}
	config := out.HealthCheck.HealthCheckConfig
	return Health{Inverted: aws.ToBool(config.Inverted), Interval: time.Duration(aws.ToInt32(config.RequestInterval)) * time.Second}, nil
}

// Observe reads what the checkers report of the endpoint into h. GetHealthCheckStatus "is
// intended for use during development to diagnose behavior. It doesn't support production
// use-cases with high query rates" (Route 53 API Reference): a poll asks it once per Interval.
func (p *Probe) Observe(ctx context.Context, h *Health) error {
	out, err := p.route53().GetHealthCheckStatus(ctx, &route53.GetHealthCheckStatusInput{HealthCheckId: &p.Stack.HealthCheckID})
	if err != nil {
		return fmt.Errorf("health check %s: %w", p.Stack.HealthCheckID, err)
	}
	h.Succeeding, h.Of = 0, len(out.HealthCheckObservations)
	for _, o := range out.HealthCheckObservations {
		if o.StatusReport != nil && strings.HasPrefix(aws.ToString(o.StatusReport.Status), "Success") {
			h.Succeeding++
		}
	}
	return nil
}

// Health reads the health check: its configuration and what its checkers report.
func (p *Probe) Health(ctx context.Context) (Health, error) {
	h, err := p.HealthConfig(ctx)
	if err != nil {
		return h, err
	}
	return h, p.Observe(ctx, &h)
}

// SetInverted inverts the health check, or puts it back.
func (p *Probe) SetInverted(ctx context.Context, inverted bool) error {
	_, err := p.route53().UpdateHealthCheck(ctx, &route53.UpdateHealthCheckInput{
		HealthCheckId: &p.Stack.HealthCheckID, Inverted: aws.Bool(inverted),
	})
	if err != nil {
		return fmt.Errorf("health check %s: %w", p.Stack.HealthCheckID, err)
	}
	return nil
}

// Delegation returns the zone's name servers, as Route 53 assigned them.
func (p *Probe) Delegation(ctx context.Context) ([]string, error) {
	out, err := p.route53().GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: &p.Stack.ZoneID})
	if err != nil {
		return nil, fmt.Errorf("hosted zone %s: %w", p.Stack.ZoneID, err)
	}
	if out.DelegationSet == nil {
		return nil, fmt.Errorf("hosted zone %s has no delegation set: is it private?", p.Stack.ZoneID)
	}
	var ns []string
	for _, n := range out.DelegationSet.NameServers {
		ns = append(ns, strings.ToLower(strings.TrimSuffix(n, ".")))
	}
	slices.Sort(ns)
	return ns, nil
}

// Route53Answer is what Route 53 itself answers for name (TestDNSAnswer).
func (p *Probe) Route53Answer(ctx context.Context, name string) ([]string, error) {
	out, err := p.route53().TestDNSAnswer(ctx, &route53.TestDNSAnswerInput{
		HostedZoneId: &p.Stack.ZoneID, RecordName: &name, RecordType: r53types.RRTypeA,
	})
	if err != nil {
		return nil, fmt.Errorf("TestDNSAnswer %s: %w", name, err)
	}
	if rc := aws.ToString(out.ResponseCode); rc != "NOERROR" {
		return nil, fmt.Errorf("TestDNSAnswer %s: %s", name, rc)
	}
	answer := slices.Clone(out.RecordData)
	slices.Sort(answer)
	return answer, nil
}

// Side names what a set of addresses belongs to.
type Side string

// The sides an answer can point at.
const (
	LoadBalancer Side = "the load balancer"
	CloudFront   Side = "CloudFront"
	Unknown      Side = "neither"
)

// Ends are the addresses the load balancer's and the distribution's own names resolve to now.
type Ends map[Side][]string

// Ends resolves the two ends' own names.
func (p *Probe) Ends(ctx context.Context) (Ends, error) {
	ends := Ends{}
	for side, name := range map[Side]string{LoadBalancer: p.Stack.LoadBalancer, CloudFront: p.Stack.Distribution} {
		addrs, err := p.Web.Resolver.Ask(ctx, "", name, dns.TypeA)
		if err != nil {
			return nil, err
		}
		ends[side] = addrs
	}
	return ends, nil
}

// SideOf tells which end an answer's addresses belong to.
func (e Ends) SideOf(addrs []string) Side {
	for _, side := range []Side{LoadBalancer, CloudFront} {
		for _, a := range addrs {
			if slices.Contains(e[side], a) {
				return side
			}
		}
	}
	return Unknown
}

// Target is a target of the target group.
type Target struct {
	// ID is the instance id; Port its port.
	ID   string
	Port int32
}

// Targets returns the target group's registered targets.
func (p *Probe) Targets(ctx context.Context) ([]Target, error) {
	client, err := p.elb()
	if err != nil {
		return nil, err
	}
	out, err := client.DescribeTargetHealth(ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: &p.Stack.TargetGroupARN})
	if err != nil {
		return nil, fmt.Errorf("target group %s: %w", p.Stack.TargetGroupARN, err)
	}
	var targets []Target
	for _, d := range out.TargetHealthDescriptions {
		targets = append(targets, Target{ID: aws.ToString(d.Target.Id), Port: aws.ToInt32(d.Target.Port)})
	}
	return targets, nil
}

// SetTargets deregisters the targets, or registers them again.
func (p *Probe) SetTargets(ctx context.Context, targets []Target, registered bool) error {
	client, err := p.elb()
	if err != nil {
		return err
	}
	var descs []elbtypes.TargetDescription
	for _, t := range targets {
		descs = append(descs, elbtypes.TargetDescription{Id: aws.String(t.ID), Port: aws.Int32(t.Port)})
	}
	if registered {
		_, err = client.RegisterTargets(ctx, &elb.RegisterTargetsInput{TargetGroupArn: &p.Stack.TargetGroupARN, Targets: descs})
	} else {
		_, err = client.DeregisterTargets(ctx, &elb.DeregisterTargetsInput{TargetGroupArn: &p.Stack.TargetGroupARN, Targets: descs})
	}
	if err != nil {
		return fmt.Errorf("target group %s: %w", p.Stack.TargetGroupARN, err)
	}
	return nil
}

// groupProcesses are the Auto Scaling processes a deregister drill suspends, so that the group
// neither replaces the instances the drill takes out (their health check fails) nor launches and
// registers others (Auto Scaling User Guide, "Suspend and resume Amazon EC2 Auto Scaling
// processes").
var groupProcesses = []string{"Launch", "HealthCheck", "ReplaceUnhealthy", "AZRebalance", "AlarmNotification", "ScheduledActions", "AddToLoadBalancer"}

// SetGroupSuspended suspends the group's processes that would fight a drill, or resumes them.
func (p *Probe) SetGroupSuspended(ctx context.Context, suspended bool) error {
	region, err := regionOf(p.Stack.TargetGroupARN)
	if err != nil {
		return err
	}
	client := autoscaling.NewFromConfig(p.AWS, func(o *autoscaling.Options) { o.Region = region })
	if suspended {
		_, err = client.SuspendProcesses(ctx, &autoscaling.SuspendProcessesInput{AutoScalingGroupName: &p.Stack.AutoScalingGroup, ScalingProcesses: groupProcesses})
	} else {
		_, err = client.ResumeProcesses(ctx, &autoscaling.ResumeProcessesInput{AutoScalingGroupName: &p.Stack.AutoScalingGroup, ScalingProcesses: groupProcesses})
	}
	if err != nil {
		return fmt.Errorf("auto scaling group %s: %w", p.Stack.AutoScalingGroup, err)
	}
	return nil
}

// Refresh is an instance refresh of the main site's Auto Scaling group.
type Refresh struct {
	// ID, Status (Pending, InProgress, Successful, Failed, Cancelled, Rollback...), Reason and
	// Percent are AWS's.
	ID, Status, Reason string
	Percent            int
}

// LatestRefresh returns the group's latest instance refresh, nil when it has had none. A
// pulumi up that changes the launch template starts one and returns: the instances change
// after it, and a refresh that fails leaves the old ones serving.
func (p *Probe) LatestRefresh(ctx context.Context) (*Refresh, error) {
	region, err := regionOf(p.Stack.TargetGroupARN)
	if err != nil {
		return nil, err
	}
	client := autoscaling.NewFromConfig(p.AWS, func(o *autoscaling.Options) { o.Region = region })
	out, err := client.DescribeInstanceRefreshes(ctx, &autoscaling.DescribeInstanceRefreshesInput{
		AutoScalingGroupName: &p.Stack.AutoScalingGroup, MaxRecords: aws.Int32(1),
	})
	if err != nil {
		return nil, fmt.Errorf("auto scaling group %s: %w", p.Stack.AutoScalingGroup, err)
	}
	if len(out.InstanceRefreshes) == 0 {
		return nil, nil
	}
	r := out.InstanceRefreshes[0]
	return &Refresh{ID: aws.ToString(r.InstanceRefreshId), Status: string(r.Status), Reason: aws.ToString(r.StatusReason),
		Percent: int(aws.ToInt32(r.PercentageComplete))}, nil
}

// GroupVersions are the launch template versions of the Auto Scaling group: the one it launches
// and each of its instances'.
type GroupVersions struct {
	// Launches is the version the group launches ("$Latest" or "$Default" when it names one).
	Launches string
	// Instances maps each instance to the version it was launched from.
	Instances map[string]string
}

// Stale returns the instances launched from another version than the group launches, sorted.
func (g GroupVersions) Stale() []string {
	var stale []string
	for id, version := range g.Instances {
		if version != g.Launches {
			stale = append(stale, id+" ("+version+")")
		}
	}
	slices.Sort(stale)
	return stale
}

// LaunchVersions reads the group's launch template version and its instances' (Auto Scaling API
// Reference, DescribeAutoScalingGroups: the group's LaunchTemplate and each Instance's).
func (p *Probe) LaunchVersions(ctx context.Context) (GroupVersions, error) {
	region, err := regionOf(p.Stack.TargetGroupARN)
	if err != nil {
		return GroupVersions{}, err
	}
	client := autoscaling.NewFromConfig(p.AWS, func(o *autoscaling.Options) { o.Region = region })
	out, err := client.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{p.Stack.AutoScalingGroup}})
	if err != nil {
		return GroupVersions{}, fmt.Errorf("auto scaling group %s: %w", p.Stack.AutoScalingGroup, err)
	}
	if len(out.AutoScalingGroups) != 1 || out.AutoScalingGroups[0].LaunchTemplate == nil {
		return GroupVersions{}, fmt.Errorf("auto scaling group %s: not found, or it launches no launch template", p.Stack.AutoScalingGroup)
	}
	group := out.AutoScalingGroups[0]
	v := GroupVersions{Launches: aws.ToString(group.LaunchTemplate.Version), Instances: map[string]string{}}
	for _, i := range group.Instances {
		if i.LaunchTemplate != nil {
			v.Instances[aws.ToString(i.InstanceId)] = aws.ToString(i.LaunchTemplate.Version)
		}
	}
	return v, nil
}

// CertificateStatus returns ACM's status of a certificate, asked in its region.
func (p *Probe) CertificateStatus(ctx context.Context, arn string) (string, error) {
	region, err := regionOf(arn)
	if err != nil {
		return "", err
	}
	out, err := p.acm(region).DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: &arn})
	if err != nil {
		return "", fmt.Errorf("certificate %s: %w", arn, err)
	}
	return string(out.Certificate.Status), nil
}
