package componentpkg

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/accesslogs"
	"github.com/seed-2b23e6e5/route53-failover/pkg/errorsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/failoverdns"
	"github.com/seed-2b23e6e5/route53-failover/pkg/mainsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
	"github.com/seed-2b23e6e5/route53-failover/pkg/topology"
)

const root = "../.."

// schemaFile is the schema the plugin serves.
var schemaFile = filepath.Join(root, "cmd", "pulumi-resource-route53-failover", "schema.json")

// TestSchemaIsGenerated holds the committed schema to the Go types and their doc comments: a
// change to either side alone fails here.
func TestSchemaIsGenerated(t *testing.T) {
	docs, err := ReadDocs(root)
	if err != nil {
		t.Fatal(err)
	}
	want, err := Schema(docs)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("%s is not what the Go types generate: run go generate ./cmd/pulumi-resource-route53-failover", schemaFile)
	}
}

// schema is the committed schema, decoded.
func schema(t *testing.T) packageSpec {
	t.Helper()
	b, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	var spec packageSpec
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	return spec
}

func TestSchemaDocumentsEveryInput(t *testing.T) {
	spec := schema(t)
	site := spec.Resources[topology.Type]
	check := func(where string, props map[string]property) {
		for name, p := range props {
			if !strings.Contains(p.Description, "Default") && !strings.Contains(p.Description, "Required") &&
				!strings.Contains(p.Description, "default") {
				t.Errorf("%s.%s does not say its default: %q", where, name, p.Description)
			}
		}
	}
	check("FailoverSite", site.InputProperties)
	for name, typ := range spec.Types {
		check(name, typ.Properties)
	}
	if !slices.Equal(site.RequiredInputs, []string{"domain"}) {
		t.Errorf("required inputs %v, want [domain]", site.RequiredInputs)
	}
	for _, secret := range []string{"originSecret", "previousOriginSecret"} {
		if !site.InputProperties[secret].Secret {
			t.Errorf("input %s is not secret in the schema", secret)
		}
	}
	if !spec.Types[typeToken("FailoverDnsArgs")].Properties["alarmEmail"].Secret {
		t.Error("failoverDns.alarmEmail is not secret in the schema")
	}
}

// TestVersionIsTheRelease holds the package's version to the newest section of the changelog.
func TestVersionIsTheRelease(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	newest := regexp.MustCompile(`(?m)^## (\d+\.\d+\.\d+) `).FindStringSubmatch(string(b))
	if newest == nil || newest[1] != Version {
		t.Errorf("Version %s, but the changelog's newest section is %v", Version, newest)
	}
}

func TestSetByTopologyNamesFields(t *testing.T) {
	for list, fields := range map[string]map[reflect.Type][]string{
		"setByTopology": setByTopology, "onlyGivenInTopology": onlyGivenInTopology,
	} {
		for typ, names := range fields {
			for _, name := range names {
				if _, ok := typ.FieldByName(name); !ok {
					t.Errorf("%s names %s.%s, which does not exist", list, typ, name)
				}
			}
		}
	}
	for _, name := range secretFields {
		found := false
		for typ := range objectTypes {
			_, in := typ.FieldByName(name)
			found = found || in
		}
		if _, in := reflect.TypeFor[topology.Args]().FieldByName(name); !found && !in {
			t.Errorf("secretFields names %s, which no exposed type has", name)
		}
	}
}

func str(s string) resource.PropertyValue { return resource.NewProperty(s) }

func obj(m map[string]resource.PropertyValue) resource.PropertyValue {
	out := resource.PropertyMap{}
	for k, v := range m {
		out[resource.PropertyKey(k)] = v
	}
	return resource.NewProperty(out)
}

func inputs(m map[string]resource.PropertyValue) resource.PropertyMap { return obj(m).ObjectValue() }

func TestDecodeRefuses(t *testing.T) {
	for _, tt := range []struct {
		name   string
		inputs map[string]resource.PropertyValue
		want   string
	}{
		{"a typo, with the input meant", map[string]resource.PropertyValue{
			"domain": str("example.com"), "mainSite": obj(map[string]resource.PropertyValue{"instanceTyp": str("t3.micro")}),
		}, `mainSite.instanceTyp: invalid value "set": not an input: did you mean mainSite.instanceType?`},
		{"a number for a string", map[string]resource.PropertyValue{"domain": resource.NewProperty(5.0)},
			`domain: invalid value "5": a string`},
		{"a fraction for a count", map[string]resource.PropertyValue{
			"mainSite": obj(map[string]resource.PropertyValue{"instanceCount": resource.NewProperty(1.5)}),
		}, `mainSite.instanceCount: invalid value "1.5": a whole number`},
		{"a secret where the value names resources", map[string]resource.PropertyValue{
			"domain": resource.MakeSecret(str("example.com")),
		}, `domain: invalid value "[secret]": a string, not a secret`},
		{"an unknown where the value names resources", map[string]resource.PropertyValue{
			"domain": resource.MakeComputed(str("")),
		}, `domain: invalid value "unknown": a string known when the program runs`},
		{"a list item of the wrong type", map[string]resource.PropertyValue{
			"alternateNames": resource.NewProperty([]resource.PropertyValue{str("www.example.com"), resource.NewProperty(true)}),
		}, `alternateNames[1]: invalid value "true": a string`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeSite(inputs(tt.inputs))
			var invalid *validate.Error
			if !errors.As(err, &invalid) || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("Decode: %v\nwant an error starting %s", err, tt.want)
			}
		})
	}
}

// decodeSite decodes a FailoverSite's inputs as Construct does.
func decodeSite(in resource.PropertyMap) (*topology.Args, error) {
	args := &topology.Args{}
	return args, decodeStruct("", reflect.ValueOf(args).Elem(), in, nil)
}

// await is an input's value as the component sees it.
func await(t *testing.T, in pulumi.StringInput) internals.UnsafeAwaitOutputResult {
	t.Helper()
	result, err := internals.UnsafeAwaitOutput(t.Context(), in.ToStringOutput())
	if err != nil {
		t.Fatal(err)
	}
	return result
}

func TestDecodeKeepsSecretsAndUnknowns(t *testing.T) {
	args, err := decodeSite(inputs(map[string]resource.PropertyValue{
		"domain":       str("example.com"),
		"hostedZoneId": resource.MakeComputed(str("")),
		"failoverDns": obj(map[string]resource.PropertyValue{
			"alarmEmail":          resource.MakeSecret(str("ops@example.com")),
			"healthCheckInterval": resource.NewProperty(10.0),
		}),
		"mainSite": obj(map[string]resource.PropertyValue{
			"subnetIds": resource.NewProperty([]resource.PropertyValue{str("subnet-1"), str("subnet-2")}),
		}),
		"tags": obj(map[string]resource.PropertyValue{"team": str("web")}),
	}))
	if err != nil {
		t.Fatal(err)
	}
	if email := await(t, args.FailoverDNS.AlarmEmail); !email.Secret || email.Value != "ops@example.com" {
		t.Errorf("alarmEmail = %+v, want the secret ops@example.com", email)
	}
	if zone := await(t, args.HostedZoneID); zone.Known {
		t.Errorf("hostedZoneId = %+v, want unknown", zone)
	}
	if got := args.FailoverDNS.HealthCheckInterval; got == nil || *got != 10 {
		t.Errorf("healthCheckInterval = %v, want 10", got)
	}
	if !slices.Equal(args.MainSite.SubnetIDs, []string{"subnet-1", "subnet-2"}) {
		t.Errorf("subnetIds = %v", args.MainSite.SubnetIDs)
	}
	if team := await(t, args.Tags["team"]); team.Value != "web" {
		t.Errorf("tags.team = %+v", team)
	}
}

// TestConstruct builds a FailoverSite from a program's inputs in the simulated account: the
// inputs reach the resources, the outputs are the stack's, and a component's error names the
// input the program set.
func TestConstruct(t *testing.T) {
	account := plan.Existing{Zones: []plan.Zone{plan.PublicZone("shop.example.com")}}
	site := func(m map[string]resource.PropertyValue, outputs *pulumi.Map) func(ctx *pulumi.Context) error {
		return func(ctx *pulumi.Context) error {
			_, out, err := Construct(ctx, topology.Type, "site", inputs(m))
			*outputs = out
			return err
		}
	}
	var outputs pulumi.Map
	p, err := plan.RunInAccount("eu-west-1", account, site(map[string]resource.PropertyValue{
		"domain":   str("shop.example.com"),
		"mainSite": obj(map[string]resource.PropertyValue{"instanceCount": resource.NewProperty(2.0)}),
	}, &outputs), plan.Strict)
	if err != nil {
		t.Fatal(err)
	}
	group := p.OfType(awstype.AutoScalingGroup)
	if len(group) != 1 || plan.Get(group[0].Inputs, "minSize") != 2.0 {
		t.Errorf("the Auto Scaling group does not keep mainSite.instanceCount 2: %v", group)
	}
	spec := schema(t).Resources[topology.Type]
	for name := range outputs {
		if _, ok := spec.Properties[name]; !ok {
			t.Errorf("output %s is not in the schema", name)
		}
	}
	for _, name := range spec.Required {
		if _, ok := outputs[name]; !ok {
			t.Errorf("the schema's output %s is missing", name)
		}
	}

	edge := func(primary map[string]resource.PropertyValue) map[string]resource.PropertyValue {
		return map[string]resource.PropertyValue{
			"domain": str("shop.example.com"), "failoverMode": str("edge"),
			"edge": obj(map[string]resource.PropertyValue{
				"origins": obj(map[string]resource.PropertyValue{"primary": obj(primary)}),
			}),
		}
	}
	p, err = plan.RunInAccount("eu-west-1", account, site(edge(map[string]resource.PropertyValue{
		"readTimeout": resource.NewProperty(20.0),
	}), &outputs), plan.Strict)
	if err != nil {
		t.Fatal(err)
	}
	distributions := p.OfType(awstype.Distribution)
	if len(distributions) != 1 || plan.Get(distributions[0].Inputs, "origins", 1, "customOriginConfig", "originReadTimeout") != 20.0 {
		t.Errorf("the edge distribution does not keep edge.origins.primary.readTimeout 20: %v", distributions)
	}
	_, err = plan.RunInAccount("eu-west-1", account, site(edge(map[string]resource.PropertyValue{
		"readTimeout": resource.NewProperty(61.0),
	}), &outputs), plan.Strict)
	if err == nil || !strings.Contains(err.Error(), `edge.origins.primary.readTimeout: invalid value "61"`) {
		t.Errorf("a read timeout over CloudFront's 60 s: %v", err)
	}

	_, err = plan.RunInAccount("eu-west-1", account, site(map[string]resource.PropertyValue{
		"domain": str("shop.example.com"), "failoverMode": str("sideways"),
	}, &outputs), plan.Strict)
	if err == nil || !strings.Contains(err.Error(), `failoverMode: invalid value "sideways"`) {
		t.Errorf("a bad failoverMode: %v", err)
	}
	_, err = plan.RunInAccount("eu-west-1", account, site(map[string]resource.PropertyValue{
		"domain": str("shop.example.com"), "createHostedZone": resource.NewProperty(true), "hostedZoneId": str("Z0EXAMPLE00000000000C"),
	}, &outputs), plan.Strict)
	if err == nil || !strings.Contains(err.Error(), "createHostedZone: invalid value \"true\": false when hostedZoneId is given") {
		t.Errorf("createHostedZone with hostedZoneId: %v", err)
	}
}

// TestConstructParts builds the parts as a program in another language composes them in DNS mode
// (the failover records pointing at the two sites), each with outputs the schema lists; a part's
// error names its input.
func TestConstructParts(t *testing.T) {
	account := plan.Existing{Zones: []plan.Zone{plan.PublicZone("shop.example.com")}}
	zone := str(account.Zones[0].ID)
	spec := schema(t)
	outputsOf := map[string]pulumi.Map{}
	build := func(ctx *pulumi.Context, typ string, m map[string]resource.PropertyValue, opts ...pulumi.ResourceOption) error {
		_, out, err := Construct(ctx, typ, strings.ToLower(typ[strings.LastIndex(typ, ":")+1:]), inputs(m), opts...)
		outputsOf[typ] = out
		return err
	}
	p, err := plan.RunInAccount("eu-west-1", account, func(ctx *pulumi.Context) error {
		// A log bucket of the program's own, which the sites wait for (dependsOn).
		logs, err := accesslogs.New(ctx, "logs", &accesslogs.Args{Region: "eu-west-1"})
		if err != nil {
			return err
		}
		site := func(logs accesslogs.Destination, prefix string) (map[string]resource.PropertyValue, error) {
			bucket, err := internals.UnsafeAwaitOutput(ctx.Context(), logs.Bucket)
			return map[string]resource.PropertyValue{
				"domain": str("shop.example.com"), "zoneId": zone,
				"accessLogs": obj(map[string]resource.PropertyValue{"bucket": str(bucket.Value.(string)), "prefix": str(prefix)}),
			}, err
		}
		for _, part := range []struct {
			typ    string
			logs   accesslogs.Destination
			prefix string
		}{{mainsite.Type, logs.LoadBalancer, "alb"}, {errorsite.Type, logs.Distribution, "cdn"}} {
			inputs, err := site(part.logs, part.prefix)
			if err != nil {
				return err
			}
			if err := build(ctx, part.typ, inputs, pulumi.DependsOn(part.logs.Ready)); err != nil {
				return err
			}
		}
		// The program hands the sites' outputs to the records, as a TypeScript program would.
		target := func(site string) (resource.PropertyValue, error) {
			m := map[string]resource.PropertyValue{}
			for input, output := range map[string]string{"dnsName": "dnsName", "zoneId": "zoneId"} {
				if site == errorsite.Type && output == "dnsName" {
					output = "domainName"
				}
				o, ok := outputsOf[site][output].(pulumi.StringOutput)
				if !ok {
					return resource.PropertyValue{}, fmt.Errorf("%s has no output %s", site, output)
				}
				v, err := internals.UnsafeAwaitOutput(ctx.Context(), o)
				if err != nil {
					return resource.PropertyValue{}, err
				}
				m[input] = str(v.Value.(string))
			}
			return obj(m), nil
		}
		primary, err := target(mainsite.Type)
		if err != nil {
			return err
		}
		secondary, err := target(errorsite.Type)
		if err != nil {
			return err
		}
		return build(ctx, failoverdns.Type, map[string]resource.PropertyValue{
			"zoneId": zone, "names": resource.NewProperty([]resource.PropertyValue{str("shop.example.com")}),
			"primary": primary, "secondary": secondary,
		})
	}, plan.Strict)
	if err != nil {
		t.Fatal(err)
	}
	if records := p.OfType(awstype.Record); len(records) < 2 {
		t.Errorf("the failover records are missing: %d records", len(records))
	}
	for _, logs := range []struct {
		typ, input, bucket, prefix string
	}{
		{awstype.LoadBalancer, "accessLogs", "bucket", "alb"},
		{awstype.Distribution, "loggingConfig", "bucketDomainName", "cdn"},
	} {
		writers := p.OfType(logs.typ)
		bucket := p.OfType(awstype.Bucket)[0].Outputs[logs.bucket]
		if len(writers) != 1 || plan.Get(writers[0].Inputs, logs.input, "bucket") != bucket ||
			plan.Get(writers[0].Inputs, logs.input, "prefix") != logs.prefix {
			t.Errorf("%s does not log to the program's accessLogs %s/%s: %v", logs.typ, bucket, logs.prefix, writers)
		}
	}
	for typ, outputs := range outputsOf {
		if len(outputs) == 0 {
			t.Errorf("%s returned no outputs", typ)
		}
		for name := range outputs {
			if _, ok := spec.Resources[typ].Properties[name]; !ok {
				t.Errorf("%s's output %s is not in the schema", typ, name)
			}
		}
	}
	_, err = plan.RunInAccount("eu-west-1", account, func(ctx *pulumi.Context) error {
		return build(ctx, mainsite.Type, map[string]resource.PropertyValue{
			"domain": str("shop.example.com"), "zoneId": zone, "targetCheckTimeout": resource.NewProperty(30.0),
		})
	}, plan.Strict)
	if err == nil || !strings.HasPrefix(err.Error(), "targetCheckTimeout: invalid value") {
		t.Errorf("a bad targetCheckTimeout on MainSite: %v", err)
	}
}
