// Package stackconfig owns the stack's typed configuration: the keys of Pulumi.yaml, their
// defaults, parsing, and validation that names the key, the value and what is allowed, before
// any resource is registered.
package stackconfig

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/pkg/errorsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/failoverdns"
	"github.com/seed-2b23e6e5/route53-failover/pkg/mainsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/topology"
	"github.com/seed-2b23e6e5/route53-failover/pkg/validate"
)

// Namespace is the project's config namespace.
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
)

// Defaults are the values of the keys that the stack does not set. Pulumi.yaml declares the same
// defaults (a test keeps them equal); "" means "not set".
var Defaults = map[string]string{
	KeyAlternateNames:           "[]",
	KeyHostedZoneID:             "",
	KeyVpcID:                    "",
	KeySubnetIDs:                "[]",
	KeyInstanceType:             mainsite.DefaultInstanceType,
	KeyAmiID:                    "",
	KeyMainPageFile:             "",
	KeyHealthCheckPath:          mainsite.DefaultHealthCheckPath,
	KeyTargetCheckInterval:      strconv.Itoa(mainsite.DefaultInterval),
	KeyTargetCheckTimeout:       strconv.Itoa(mainsite.DefaultTimeout),
	KeyTargetHealthyThreshold:   strconv.Itoa(mainsite.DefaultHealthyThreshold),
	KeyTargetUnhealthyThreshold: strconv.Itoa(mainsite.DefaultUnhealthyThreshold),
	KeyErrorPageFile:            "",
	KeyErrorResponseCode:        strconv.Itoa(errorsite.DefaultErrorResponseCode),
	KeyPriceClass:               errorsite.DefaultPriceClass,
	KeyCreateHostedZone:         "false",
	KeyIPv6:                     "false",
	KeyHealthCheckInterval:      strconv.Itoa(failoverdns.DefaultInterval),
	KeyHealthCheckFailures:      strconv.Itoa(failoverdns.DefaultFailureThreshold),
	KeyHealthCheckRegions:       "[]",
	KeyAlarmEmail:               "",
	KeyFailoverDrill:            "false",
}

// argsField maps topology.Args field paths to the config keys that set them.
var argsField = map[string]string{
	"Domain":                                   KeyDomain,
	"AlternateNames":                           KeyAlternateNames,
	"HostedZoneID":                             KeyHostedZoneID,
	"MainSite.VpcID":                           KeyVpcID,
	"MainSite.SubnetIDs":                       KeySubnetIDs,
	"MainSite.InstanceType":                    KeyInstanceType,
	"MainSite.AmiID":                           KeyAmiID,
	"MainSite.MainPage":                        KeyMainPageFile,
	"MainSite.HealthCheck.Path":                KeyHealthCheckPath,
	"MainSite.HealthCheck.Interval":            KeyTargetCheckInterval,
	"MainSite.HealthCheck.Timeout":             KeyTargetCheckTimeout,
	"MainSite.HealthCheck.HealthyThreshold":    KeyTargetHealthyThreshold,
	"MainSite.HealthCheck.UnhealthyThreshold":  KeyTargetUnhealthyThreshold,
	"ErrorSite.ErrorPage":                      KeyErrorPageFile,
	"ErrorSite.ErrorResponseCode":              KeyErrorResponseCode,
	"ErrorSite.PriceClass":                     KeyPriceClass,
	"CreateHostedZone":                         KeyCreateHostedZone,
	"MainSite.IPv6":                            KeyIPv6,
	"FailoverDNS.HealthCheck.Path":             KeyHealthCheckPath,
	"FailoverDNS.HealthCheck.Interval":         KeyHealthCheckInterval,
	"FailoverDNS.HealthCheck.FailureThreshold": KeyHealthCheckFailures,
	"FailoverDNS.HealthCheck.Regions":          KeyHealthCheckRegions,
	"FailoverDNS.AlarmEmail":                   KeyAlarmEmail,
}

// secretReasons says, for each key that cannot be kept secret, why: a secret value is refused
// rather than stored in clear. Keys not listed here (alarmEmail) stay secret end to end.
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
	case KeyAlarmEmail:
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
func OfflinePlaceholder(key string) (string, bool) {
	if key == Key(KeyAlarmEmail) {
		return "alarm@example.invalid", true
	}
	return "", false
}

// Key returns the namespaced form of a project key ("route53-failover:domain").
func Key(k string) string { return Namespace + ":" + k }

// Config is the validated configuration of one stack.
type Config struct {
	Region         string
	Domain         string
	AlternateNames []string
	HostedZoneID   string
	VpcID          string
	SubnetIDs      []string
	InstanceType   string
	AmiID          string
	// MainPageFile is the path the main page was read from ("" for the embedded page).
	MainPageFile string
	// MainPage is the page's content ("" for the embedded page).
	MainPage    string
	HealthCheck mainsite.TargetHealthCheck
	// ErrorPageFile and ErrorPage are the error page's path and content ("" for the embedded).
	ErrorPageFile     string
	ErrorPage         string
	ErrorResponseCode int
	PriceClass        string
	CreateHostedZone  bool
	IPv6              bool
	// HealthCheckInterval, HealthCheckFailures, HealthCheckRegions and FailoverDrill set the
	// Route 53 health check.
	HealthCheckInterval int
	HealthCheckFailures int
	HealthCheckRegions  []string
	FailoverDrill       bool
	AlarmEmail          string
	// AlarmEmailSecret is true when alarmEmail is a secret: it then stays a secret Output.
	AlarmEmailSecret bool
}

// Source is where Parse reads from.
type Source struct {
	// Get returns a config value by namespaced key, and whether it is set.
	Get func(key string) (string, bool)
	// ReadFile reads a file named by the config (mainPageFile).
	ReadFile func(path string) ([]byte, error)
	// Secret reports whether a namespaced key's value is a secret.
	Secret func(key string) bool
}

// Load reads the stack's config from the Pulumi context. Relative file paths are taken from the
// project's root directory.
func Load(ctx *pulumi.Context) (*Config, error) {
	root := ctx.RootDirectory()
	return Parse(Source{
		Get:    ctx.GetConfig,
		Secret: ctx.IsConfigSecret,
		ReadFile: func(path string) ([]byte, error) {
			if !filepath.IsAbs(path) && root != "" {
				path = filepath.Join(root, path)
			}
			return os.ReadFile(path)
		},
	})
}

// Parse reads and validates every key. The first problem found is returned as an error that
// names the key, the value and what is allowed; the value of a secret is not shown.
func Parse(src Source) (*Config, error) {
	if err := refuseSecrets(src); err != nil {
		return nil, err
	}
	p := parser{src: src}
	c := &Config{
		Region:        p.str(RegionKey),
		Domain:        p.str(Key(KeyDomain)),
		HostedZoneID:  p.project(KeyHostedZoneID),
		VpcID:         p.project(KeyVpcID),
		InstanceType:  p.project(KeyInstanceType),
		AmiID:         p.project(KeyAmiID),
		MainPageFile:  p.project(KeyMainPageFile),
		ErrorPageFile: p.project(KeyErrorPageFile),
		PriceClass:    p.project(KeyPriceClass),
		AlarmEmail:    p.project(KeyAlarmEmail),
	}
	c.CreateHostedZone = p.boolean(KeyCreateHostedZone)
	c.IPv6 = p.boolean(KeyIPv6)
	c.FailoverDrill = p.boolean(KeyFailoverDrill)
	c.HealthCheckInterval = p.integer(KeyHealthCheckInterval)
	c.HealthCheckFailures = p.integer(KeyHealthCheckFailures)
	c.HealthCheckRegions = p.list(KeyHealthCheckRegions)
	c.AlternateNames = p.list(KeyAlternateNames)
	c.SubnetIDs = p.list(KeySubnetIDs)
	c.HealthCheck = mainsite.TargetHealthCheck{
		Path:               p.project(KeyHealthCheckPath),
		Interval:           p.integer(KeyTargetCheckInterval),
		Timeout:            p.integer(KeyTargetCheckTimeout),
		HealthyThreshold:   p.integer(KeyTargetHealthyThreshold),
		UnhealthyThreshold: p.integer(KeyTargetUnhealthyThreshold),
	}
	c.ErrorResponseCode = p.integer(KeyErrorResponseCode)
	c.MainPage = p.file(KeyMainPageFile, c.MainPageFile)
	c.ErrorPage = p.file(KeyErrorPageFile, c.ErrorPageFile)
	if p.err != nil {
		return nil, p.err
	}

	if c.Region == "" {
		return nil, validate.Invalid(RegionKey, "", "an AWS region, required: pulumi config set aws:region ap-northeast-1")
	}
	if err := validate.Region(RegionKey, c.Region); err != nil {
		return nil, err
	}
	if c.Domain == "" {
		return nil, validate.Invalid(Key(KeyDomain), "", "the apex name to serve, required: pulumi config set domain example.com")
	}
	if c.HostedZoneID != "" {
		if err := validate.HostedZoneID(Key(KeyHostedZoneID), c.HostedZoneID); err != nil {
			return nil, err
		}
	}
	c.AlarmEmailSecret = src.Secret != nil && src.Secret(Key(KeyAlarmEmail))

	args := c.Args()
	if err := args.Validate(FieldKey); err != nil {
		return nil, err
	}
	return c, nil
}

// FieldKey maps a topology.Args field path to the config key that sets it, so that an error a
// component reports names what the user wrote.
func FieldKey(field string) string {
	if key, ok := argsField[field]; ok {
		return Key(key)
	}
	return field
}

// refuseSecrets refuses a secret value for a key that cannot keep it secret, saying why.
func refuseSecrets(src Source) error {
	if src.Secret == nil {
		return nil
	}
	keys := []string{RegionKey}
	for k := range Defaults {
		keys = append(keys, k)
	}
	keys = append(keys, KeyDomain)
	sort.Strings(keys)
	for _, k := range keys {
		name := k
		if k != RegionKey {
			name = Key(k)
		}
		if reason := secretReason(k); reason != "" && src.Secret(name) {
			return validate.Masked(validate.Invalid(name, "", fmt.Sprintf(
				"a plain value, not a secret: %s. Set it again without --secret: pulumi config set %s VALUE", reason, k)))
		}
	}
	return nil
}

// Args returns the topology's args for this config.
func (c *Config) Args() topology.Args {
	args := topology.Args{
		Region:         c.Region,
		Domain:         c.Domain,
		AlternateNames: c.AlternateNames,
		MainSite: mainsite.Args{
			InstanceType: c.InstanceType,
			AmiID:        c.AmiID,
			MainPage:     c.MainPage,
			HealthCheck:  c.HealthCheck,
		},
		ErrorSite: errorsite.Args{
			ErrorPage:         c.ErrorPage,
			ErrorResponseCode: c.ErrorResponseCode,
			PriceClass:        c.PriceClass,
		},
		CreateHostedZone: c.CreateHostedZone,
		FailoverDNS: failoverdns.Args{
			HealthCheck: failoverdns.HealthCheck{
				Interval:         c.HealthCheckInterval,
				FailureThreshold: c.HealthCheckFailures,
				Inverted:         c.FailoverDrill,
			},
		},
	}
	args.MainSite.IPv6 = c.IPv6
	args.MainSite.VpcID, args.MainSite.SubnetIDs = c.VpcID, c.SubnetIDs
	if c.AlarmEmail != "" {
		args.FailoverDNS.AlarmEmail = pulumi.String(c.AlarmEmail)
		if c.AlarmEmailSecret {
			args.FailoverDNS.AlarmEmail = pulumi.ToSecret(pulumi.String(c.AlarmEmail)).(pulumi.StringOutput)
		}
	}
	if len(c.HealthCheckRegions) > 0 {
		args.FailoverDNS.HealthCheck.Regions = c.HealthCheckRegions
	}
	if c.HostedZoneID != "" {
		args.HostedZoneID = pulumi.String(c.HostedZoneID)
	}
	return args
}

// parser reads keys and keeps the first error.
type parser struct {
	src Source
	err error
}

func (p *parser) str(key string) string {
	v, _ := p.src.Get(key)
	return strings.TrimSpace(v)
}

// project reads a project key, falling back to its default when unset or empty.
func (p *parser) project(k string) string {
	if v := p.str(Key(k)); v != "" {
		return v
	}
	return Defaults[k]
}

func (p *parser) list(k string) []string {
	raw := p.project(k)
	var out []string
	if err := json.Unmarshal([]byte(raw), &out); err != nil && p.err == nil {
		p.err = validate.Invalid(Key(k), raw, `a list of strings, such as ["a", "b"] (pulumi config set --path '`+k+`[0]' VALUE)`)
	}
	return out
}

// file reads the file a key names ("" when the key is unset); it must exist and not be empty.
func (p *parser) file(k, path string) string {
	if path == "" || p.err != nil {
		return ""
	}
	content, err := p.src.ReadFile(path)
	switch {
	case err != nil:
		p.err = validate.Invalid(Key(k), path, "a readable HTML file, relative to the project directory: "+err.Error())
	case len(content) == 0:
		p.err = validate.Invalid(Key(k), path, "a non-empty HTML file")
	}
	return string(content)
}

func (p *parser) boolean(k string) bool {
	raw := p.project(k)
	b, err := strconv.ParseBool(raw)
	if err != nil && p.err == nil {
		p.err = validate.Invalid(Key(k), raw, "true or false")
	}
	return b
}

// integer reads a whole-number key. Zero is refused here: the components read a zero as "use the
// default", which would silently turn a typed 0 into something else.
func (p *parser) integer(k string) int {
	raw := p.project(k)
	n, err := strconv.Atoi(raw)
	if (err != nil || n == 0) && p.err == nil {
		p.err = validate.Invalid(Key(k), raw, "a whole number above 0, such as the default "+Defaults[k])
	}
	return n
}
