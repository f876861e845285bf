// Package stackconfig owns the stack's configuration: the keys of Pulumi.yaml, each read into
// the topology.Args field of its own name, the secrets a key may or may not hold, and the
// translation of a component's field path back to the key the user wrote. Defaults and the
// checks of values belong to the components (a test keeps Pulumi.yaml's declared defaults equal
// to theirs).
package stackconfig

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/topology"
)

// Namespace is the config namespace of the project as it ships: its name in Pulumi.yaml. A
// project made from it with pulumi new has a name, and so a namespace, of its own; Load reads
// the running project's.
const Namespace = "route53-failover"

// RegionKey is the AWS provider's region key; the stack requires it.
const RegionKey = "aws:region"

// The project's config keys, without the namespace, as Pulumi.yaml declares them.
const (
	KeyDomain                   = "domain"
	KeyAlternateNames           = "alternateNames"
	KeyHostedZoneID             = "hostedZoneId"
	KeyVpcID                    = "vpcId"
	KeySubnetIDs                = "subnetIds"
	KeyInstanceType             = "instanceType"
	KeyAmiID                    = "amiId"
	KeyMainPageFile             = "mainPageFile"
	KeyHealthCheckPath          = "healthCheckPath"
	KeyTargetCheckInterval      = "targetCheckInterval"
	KeyTargetCheckTimeout       = "targetCheckTimeout"
	KeyTargetHealthyThreshold   = "targetHealthyThreshold"
	KeyTargetUnhealthyThreshold = "targetUnhealthyThreshold"
	KeyErrorPageFile            = "errorPageFile"
	KeyErrorResponseCode        = "errorResponseCode"
	KeyPriceClass               = "priceClass"
	KeyCreateHostedZone         = "createHostedZone"
	KeyIPv6                     = "ipv6"
	KeyHealthCheckInterval      = "healthCheckInterval"
	KeyHealthCheckFailures      = "healthCheckFailureThreshold"
	KeyHealthCheckRegions       = "healthCheckRegions"
	KeyAlarmEmail               = "alarmEmail"
	KeyFailoverDrill            = "failoverDrill"
	KeyInstanceCount            = "instanceCount"
	KeyMaxInstanceCount         = "maxInstanceCount"
	KeyScaleOnCPUPercent        = "scaleOnCpuPercent"
	KeyFailoverMode             = "failoverMode"
	KeyOriginName               = "originName"
	KeyOriginSecret             = "originSecret"
	KeyPreviousOriginSecret     = "previousOriginSecret"
	KeyAccessLogs               = "accessLogs"
)

// Keys returns every project key, in the order Pulumi.yaml declares them.
func Keys() []string {
	return []string{
		KeyDomain, KeyAlternateNames, KeyHostedZoneID, KeyCreateHostedZone, KeyVpcID, KeySubnetIDs,
		KeyIPv6, KeyInstanceType, KeyInstanceCount, KeyMaxInstanceCount, KeyScaleOnCPUPercent, KeyAmiID, KeyMainPageFile, KeyHealthCheckPath, KeyTargetCheckInterval,
		KeyTargetCheckTimeout, KeyTargetHealthyThreshold, KeyTargetUnhealthyThreshold, KeyErrorPageFile,
		KeyErrorResponseCode, KeyPriceClass, KeyHealthCheckInterval, KeyHealthCheckFailures,
		KeyHealthCheckRegions, KeyAlarmEmail, KeyFailoverDrill, KeyFailoverMode, KeyOriginName, KeyOriginSecret,
		KeyPreviousOriginSecret, KeyAccessLogs,
	}
}

// fileKeys are the keys that name a file whose content sets the Args field of this name: the
// one place where a key and its field differ, because the stack file holds a path, not a page.
var fileKeys = map[string]string{KeyMainPageFile: "MainPage", KeyErrorPageFile: "ErrorPage"}

// secretReasons says, for each key that cannot be kept secret, why: a secret value is refused
// rather than stored in clear. alarmEmail and originSecret stay secret end to end.
var secretReasons = map[string]string{
	KeyDomain:         "the served names are published in DNS and in the certificates, and name the stack's resources",
	KeyAlternateNames: "the served names are published in DNS and in the certificates, and name the stack's resources",
	KeyHostedZoneID:   "the zone id is part of the id of every record, and Pulumi keeps resource ids in clear",
	KeyVpcID:          "the VPC is looked up before anything is created and AWS returns its id in the outputs of the load balancer and the target group",
	KeySubnetIDs:      "the subnets are looked up before anything is created and AWS returns their ids in the outputs of the load balancer and the instance",
	KeyMainPageFile:   "the page is served to everyone who visits the site",
	KeyErrorPageFile:  "the page is served to everyone who visits the site while it is down",
}

// secretReason is why a key cannot hold a secret; "" for a key that can.
func secretReason(key string) string {
	switch key {
	case KeyAlarmEmail, KeyOriginSecret, KeyPreviousOriginSecret:
		return ""
	case RegionKey:
		return "the region is part of every ARN and DNS name AWS returns"
	}
	if reason, ok := secretReasons[key]; ok {
		return reason
	}
	return "it sets how the stack's resources are built, and AWS returns that setting in their state, which Pulumi keeps in clear"
}

// OfflinePlaceholder is the value the offline plan gives a secret it cannot decrypt, for the keys
// that may be secret: a value of the right form, so that the plan runs; the plan shows
// "[secret]" wherever it flows.
func OfflinePlaceholder(namespace, key string) (string, bool) {
	switch key {
	case KeyIn(namespace, KeyAlarmEmail):
		return "alarm@example.invalid", true
	case KeyIn(namespace, KeyOriginSecret):
		return "offline-plan-placeholder-not-the-secret", true
	case KeyIn(namespace, KeyPreviousOriginSecret):
		return "offline-plan-placeholder-not-the-previous-secret", true
	}
	return "", false
}

// Key returns a project key in Namespace ("route53-failover:domain").
func Key(k string) string { return KeyIn(Namespace, k) }

// KeyIn returns a project key in a project's namespace ("shop:domain").
func KeyIn(namespace, k string) string { return namespace + ":" + k }

// CheckKeys refuses a key of the namespace that the project does not declare (a typo the engine
// would otherwise pass over in silence, leaving its default in place), suggesting the nearest
// declared key. keys are the stack's namespaced config keys; other namespaces' pass.
func CheckKeys(namespace string, keys []string) error {
	var declared []string
	for _, k := range Keys() {
		declared = append(declared, KeyIn(namespace, k))
	}
	for _, key := range keys {
		if !strings.HasPrefix(key, namespace+":") || slices.Contains(declared, key) {
			continue
		}
		hint := ""
		if near := validate.Nearest(key, declared); near != "" {
			hint = "; did you mean " + near + "?"
		}
		return fmt.Errorf("unknown config key %s%s Pulumi.yaml declares: %s", key, hint, strings.Join(declared, ", "))
	}
	return nil
}

// Source is where Parse reads from.
type Source struct {
	// Namespace is the project's config namespace, its name. Default Namespace.
	Namespace string
	// Get returns a config value by namespaced key, and whether it is set.
	Get func(key string) (string, bool)
	// ReadFile reads a file named by the config (mainPageFile).
	ReadFile func(path string) ([]byte, error)
	// Secret reports whether a namespaced key's value is a secret.
	Secret func(key string) bool
}

// Load reads the stack's config from the Pulumi context into the topology's Args. Relative file
// paths are taken from the project's root directory.
func Load(ctx *pulumi.Context) (*topology.Args, error) {
	root := ctx.RootDirectory()
	return Parse(Source{
		Namespace: ctx.Project(),
		Get:       ctx.GetConfig,
		Secret:    ctx.IsConfigSecret,
		ReadFile: func(path string) ([]byte, error) {
			if !filepath.IsAbs(path) && root != "" {
				path = filepath.Join(root, path)
			}
			return os.ReadFile(path)
		},
	})
}

// Parse reads every key into the Args field of its name. It checks what only the stack knows
// (aws:region is set, a value has its key's type, a named file exists, a secret is allowed);
// the values themselves are checked by the components, once, when they register, and their
// errors name the key through FieldKey. A key that is not set leaves its field unset, so that
// the component's default applies.
func Parse(src Source) (*topology.Args, error) {
	p := parser{src: src, namespace: src.Namespace}
	if p.namespace == "" {
		p.namespace = Namespace
	}
	if err := p.refuseSecrets(); err != nil {
		return nil, err
	}
	region, _ := src.Get(RegionKey)
	if region = strings.TrimSpace(region); region == "" {
		return nil, validate.Invalid(RegionKey, "", "an AWS region, required: pulumi config set aws:region ap-northeast-1")
	}
	if err := validate.Region(RegionKey, region); err != nil {
		return nil, err
	}

	args := &topology.Args{
		Domain:           p.str(KeyDomain),
		AlternateNames:   p.list(KeyAlternateNames),
		CreateHostedZone: p.boolean(KeyCreateHostedZone),
		AccessLogs:       p.boolean(KeyAccessLogs),
		FailoverMode:     p.str(KeyFailoverMode),
		OriginName:       p.str(KeyOriginName),
	}
	// They guard the origin: in clear in the stack file, they would be in every clone.
	for key, field := range map[string]*pulumi.StringInput{KeyOriginSecret: &args.OriginSecret, KeyPreviousOriginSecret: &args.PreviousOriginSecret} {
		secret := p.str(key)
		if secret == "" {
			continue
		}
		if src.Secret == nil || !src.Secret(p.key(key)) {
			return nil, validate.Masked(validate.Invalid(p.key(key), "",
				"a secret: pulumi config set --secret "+key+" \"$(openssl rand -hex 32)\""))
		}
		*field = pulumi.ToSecret(pulumi.String(secret)).(pulumi.StringOutput)
	}
	if id := p.str(KeyHostedZoneID); id != "" {
		args.HostedZoneID = pulumi.String(id)
	}
	m := &args.MainSite
	m.VpcID, m.SubnetIDs, m.IPv6 = p.str(KeyVpcID), p.list(KeySubnetIDs), p.boolean(KeyIPv6)
	m.InstanceType, m.AmiID, m.MainPage = p.str(KeyInstanceType), p.str(KeyAmiID), p.file(KeyMainPageFile)
	m.InstanceCount, m.MaxInstanceCount, m.ScaleOnCPUPercent = p.integer(KeyInstanceCount), p.integer(KeyMaxInstanceCount), p.integer(KeyScaleOnCPUPercent)
	m.HealthCheckPath = p.str(KeyHealthCheckPath)
	m.TargetCheckInterval, m.TargetCheckTimeout = p.integer(KeyTargetCheckInterval), p.integer(KeyTargetCheckTimeout)
	m.TargetHealthyThreshold, m.TargetUnhealthyThreshold = p.integer(KeyTargetHealthyThreshold), p.integer(KeyTargetUnhealthyThreshold)

	e := &args.ErrorSite
	e.ErrorPage, e.ErrorResponseCode, e.PriceClass = p.file(KeyErrorPageFile), p.integer(KeyErrorResponseCode), p.str(KeyPriceClass)

	d := &args.FailoverDNS
	d.HealthCheckInterval, d.HealthCheckFailureThreshold = p.integer(KeyHealthCheckInterval), p.integer(KeyHealthCheckFailures)
	d.HealthCheckRegions, d.FailoverDrill = p.list(KeyHealthCheckRegions), p.boolean(KeyFailoverDrill)
	if email := p.str(KeyAlarmEmail); email != "" {
		d.AlarmEmail = pulumi.String(email)
		if src.Secret != nil && src.Secret(p.key(KeyAlarmEmail)) {
			d.AlarmEmail = pulumi.ToSecret(pulumi.String(email)).(pulumi.StringOutput)
		}
	}
	if p.err != nil {
		return nil, p.err
	}
	return args, nil
}

// FieldKey names the config key, in a project's namespace, that sets a topology.Args field path
// (such as "MainSite.SubnetIDs[1]" → "route53-failover:subnetIds[1]"), so that an error a
// component reports names what the user wrote. A key and its field share a name (the file keys
// name the page field they fill), so this is a lookup, not a table to keep in step. A field no
// key sets keeps its path.
func FieldKey(namespace, field string) string {
	last := field[strings.LastIndex(field, ".")+1:]
	name, index, _ := strings.Cut(last, "[")
	if index != "" {
		index = "[" + index
	}
	for _, k := range Keys() {
		if strings.EqualFold(k, name) || fileKeys[k] == name {
			return KeyIn(namespace, k) + index
		}
	}
	return field
}

// refuseSecrets refuses a secret value for a key that cannot keep it secret, saying why.
func (p *parser) refuseSecrets() error {
	if p.src.Secret == nil {
		return nil
	}
	for _, k := range append([]string{RegionKey}, Keys()...) {
		name := k
		if k != RegionKey {
			name = p.key(k)
		}
		if reason := secretReason(k); reason != "" && p.src.Secret(name) {
			return validate.Masked(validate.Invalid(name, "", fmt.Sprintf(
				"a plain value, not a secret: %s. Set it again without --secret: pulumi config set %s VALUE", reason, k)))
		}
	}
	return nil
}

// parser reads keys and keeps the first error.
type parser struct {
	src       Source
	namespace string
	err       error
}

func (p *parser) key(k string) string { return KeyIn(p.namespace, k) }

// str reads a project key; "" when it is unset.
func (p *parser) str(k string) string {
	v, _ := p.src.Get(p.key(k))
	return strings.TrimSpace(v)
}

// list reads a JSON list of strings; nil when the key is unset or empty.
func (p *parser) list(k string) []string {
	raw := p.str(k)
	if raw == "" {
		return nil
	}
	var out []string
	if err := json.Unmarshal([]byte(raw), &out); err != nil && p.err == nil {
		p.err = validate.Invalid(p.key(k), raw, `a list of strings, such as ["a", "b"] (pulumi config set --path '`+k+`[0]' VALUE)`)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// file reads the file a key names ("" when the key is unset); it must exist and not be empty.
func (p *parser) file(k string) string {
	path := p.str(k)
	if path == "" || p.err != nil {
		return ""
	}
	content, err := p.src.ReadFile(path)
	switch {
	case err != nil:
		p.err = validate.Invalid(p.key(k), path, "a readable HTML file, relative to the project directory: "+err.Error())
	case len(content) == 0:
		p.err = validate.Invalid(p.key(k), path, "a non-empty HTML file")
	}
	return string(content)
}

func (p *parser) boolean(k string) bool {
	raw := p.str(k)
	if raw == "" {
		return false
	}
	b, err := strconv.ParseBool(raw)
	if err != nil && p.err == nil {
		p.err = validate.Invalid(p.key(k), raw, "true or false")
	}
	return b
}

// integer reads a whole-number key; nil when it is unset, so that 0 is a value like any other
// (and the component says whether it is allowed).
func (p *parser) integer(k string) *int {
	raw := p.str(k)
	if raw == "" {
		return nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil && p.err == nil {
		p.err = validate.Invalid(p.key(k), raw, "a whole number")
	}
	return &n
}
