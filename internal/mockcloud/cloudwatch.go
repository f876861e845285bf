package mockcloud

import (
	"slices"
	"strings"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
)

// CloudWatch: metric alarms.

// alarmStatistics are the statistics PutMetricAlarm takes (others are extended statistics).
var alarmStatistics = []string{"SampleCount", "Average", "Sum", "Minimum", "Maximum"}

// metricAlarmInputs are the inputs of an alarm that its simulation reads.
type metricAlarmInputs struct {
	AlarmActions            []string `pulumi:"alarmActions"`
	OkActions               []string `pulumi:"okActions"`
	InsufficientDataActions []string `pulumi:"insufficientDataActions"`
	Period                  float64  `pulumi:"period"`
	Statistic               string   `pulumi:"statistic"`
	EvaluationPeriods       float64  `pulumi:"evaluationPeriods"`
	DatapointsToAlarm       float64  `pulumi:"datapointsToAlarm"`
}

// metricAlarm refuses what PutMetricAlarm refuses (CloudWatch API Reference): actions on a topic
// of another region or none, a period other than 10, 30 or a multiple of 60, a statistic other
// than the five, no evaluation period, and more datapoints to alarm than periods.
func metricAlarm(r *request) (string, map[string]any, error) {
	in, err := decode[metricAlarmInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	for _, actions := range [][]string{in.AlarmActions, in.OkActions, in.InsufficientDataActions} {
		for _, action := range actions {
			if !strings.HasPrefix(action, "arn:aws:sns:") {
				continue
			}
			if region := arnRegion(action); region != r.region() {
				return "", nil, errorf("ValidationError", "Invalid region %s specified. Only %s is supported.", region, r.region())
			}
			if _, ok := r.cloud.findOutput(awstype.Topic, "arn", action); !ok {
				return "", nil, errorf("ValidationError", "the action %s names no topic", action)
			}
		}
	}
	if p := in.Period; p != 10 && p != 30 && (p < 60 || int(p)%60 != 0) {
		return "", nil, errorf("ValidationError", "period %v is not 10, 30 or a multiple of 60", p)
	}
	// PutMetricAlarm (CloudWatch API Reference): the statistic is one of five, at least one
	// period is evaluated, and an "M out of N" alarm has M <= N.
	if st := in.Statistic; st != "" && !slices.Contains(alarmStatistics, st) {
		return "", nil, errorf("ValidationError", "1 validation error detected: Value '%s' at 'statistic' failed to satisfy constraint: Member must satisfy enum value set: [%s]", st, strings.Join(alarmStatistics, ", "))
	}
	periods := in.EvaluationPeriods
	if periods < 1 {
		return "", nil, errorf("ValidationError", "EvaluationPeriods must be at least 1, not %v", periods)
	}
	if m := in.DatapointsToAlarm; m > periods {
		return "", nil, errorf("ValidationError", "DatapointsToAlarm (%v) must be less than or equal to EvaluationPeriods (%v)", m, periods)
	}
	name := r.physicalName(255)
	return name, map[string]any{"arn": r.arn("cloudwatch", "alarm:"+name), "name": name}, nil
}
