package mockcloud

import (
	"net/mail"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
)

// SNS: the alarm's topic and its email subscription.

// topic is an SNS topic, named as the provider names it.
func topic(r *request) (string, map[string]any, error) {
	name := r.physicalName(256)
	arn := r.arn("sns", name)
	return arn, map[string]any{"arn": arn, "name": name, "owner": AccountID}, nil
}

// topicSubscriptionInputs are the inputs of a subscription that its simulation reads.
type topicSubscriptionInputs struct {
	Topic    string `pulumi:"topic"`
	Protocol string `pulumi:"protocol"`
	Endpoint string `pulumi:"endpoint"`
}

// subscription refuses a subscription to a topic of another region or that does not exist, and an
// email subscription without an email address.
func subscription(r *request) (string, map[string]any, error) {
	in, err := decode[topicSubscriptionInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	topic := in.Topic
	if _, ok := r.cloud.findOutput(awstype.Topic, "arn", topic); !ok || arnRegion(topic) != r.region() {
		return "", nil, errorf("NotFound", "topic %s does not exist in %s", topic, r.region())
	}
	if in.Protocol == "email" {
		if addr, err := mail.ParseAddress(in.Endpoint); err != nil || addr.Address != in.Endpoint {
			return "", nil, errorf("InvalidParameter", "an email subscription needs an email address")
		}
	}
	arn := topic + ":" + uuid(r.hex("id", 32))
	return arn, map[string]any{"arn": arn, "pendingConfirmation": true, "ownerId": AccountID}, nil
}
