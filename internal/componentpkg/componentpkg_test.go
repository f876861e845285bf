package componentpkg

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
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
	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
	"github.com/seed-2b23e6e5/route53-failover/pkg/accesslogs"
	"github.com/seed-2b23e6e5/route53-failover/pkg/edgefailover"
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
	for name, resource := range spec.Resources {
		check(name, resource.InputProperties)
	}
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
		for _, named := range []map[reflect.Type]string{objectTypes, siteTypes} {
			for typ := range named {
				_, in := typ.FieldByName(name)
				found = found || in
			}
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
	return args, decoder{inSite: true}.decodeStruct("", reflect.ValueOf(args).Elem(), in, nil)
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
			_, out, err := Construct(ctx, topology.Type, "site", inputs(m), nil)
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

// program declares the package's components as a program in another language does: by type
// token, with its inputs, handing one component's outputs to the next as the engine does, as
// output values with the resources they came from.
type program struct {
	ctx        *pulumi.Context
	components map[string]pulumi.Resource // by type token
	outputs    map[string]pulumi.Map
	resources  map[resource.URN]pulumi.Resource
}

// declare constructs a component named after its type.
func (p *program) declare(typ string, m map[string]resource.PropertyValue, opts ...pulumi.ResourceOption) error {
	c, out, err := Construct(p.ctx, typ, strings.ToLower(typ[strings.LastIndex(typ, ":")+1:]), inputs(m), p.resources, opts...)
	if p.outputs == nil {
		p.components, p.outputs = map[string]pulumi.Resource{}, map[string]pulumi.Map{}
	}
	p.components[typ], p.outputs[typ] = c, out
	return err
}

// output is a component's string output as the program hands it on.
func (p *program) output(typ, name string) (resource.PropertyValue, error) {
	o, ok := p.outputs[typ][name].(pulumi.StringOutput)
	if !ok {
		return resource.PropertyValue{}, fmt.Errorf("%s has no output %s", typ, name)
	}
	v, err := internals.UnsafeAwaitOutput(p.ctx.Context(), o)
	if err != nil {
		return resource.PropertyValue{}, err
	}
	var urns []resource.URN
	for _, r := range v.Dependencies {
		urn, err := internals.UnsafeAwaitOutput(p.ctx.Context(), r.URN())
		if err != nil {
			return resource.PropertyValue{}, err
		}
		if p.resources == nil {
			p.resources = map[resource.URN]pulumi.Resource{}
		}
		p.resources[resource.URN(urn.Value.(pulumi.URN))] = r
		urns = append(urns, resource.URN(urn.Value.(pulumi.URN)))
	}
	return resource.NewProperty(resource.Output{Element: str(v.Value.(string)), Known: true, Secret: v.Secret, Dependencies: urns}), nil
}

// object is several of a component's outputs, as an object of the inputs they go to.
func (p *program) object(typ string, inputOf map[string]string) (resource.PropertyValue, error) {
	m := map[string]resource.PropertyValue{}
	for input, output := range inputOf {
		v, err := p.output(typ, output)
		if err != nil {
			return resource.PropertyValue{}, err
		}
		m[input] = v
	}
	return obj(m), nil
}

// checkOutputsInSchema fails the test for a component that returned no outputs, or one the
// schema does not list.
func checkOutputsInSchema(t *testing.T, outputs map[string]pulumi.Map) {
	t.Helper()
	spec := schema(t)
	for typ, outputs := range outputs {
		if len(outputs) == 0 {
			t.Errorf("%s returned no outputs", typ)
		}
		for name := range outputs {
			if _, ok := spec.Resources[typ].Properties[name]; !ok {
				t.Errorf("%s's output %s is not in the schema", typ, name)
			}
		}
	}
}

// TestConstructParts builds the parts as a program in another language composes them in DNS mode
// (the failover records pointing at the two sites), each with outputs the schema lists; a part's
// error names its input.
func TestConstructParts(t *testing.T) {
	account := plan.Existing{Zones: []plan.Zone{plan.PublicZone("shop.example.com")}}
	zone := str(account.Zones[0].ID)
	prog := &program{}
	p, err := plan.RunInAccount("eu-west-1", account, func(ctx *pulumi.Context) error {
		prog.ctx = ctx
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
			if err := prog.declare(part.typ, inputs, pulumi.DependsOn(part.logs.Ready)); err != nil {
				return err
			}
		}
		// The program hands the sites' outputs to the records, as a TypeScript program would.
		primary, err := prog.object(mainsite.Type, map[string]string{"dnsName": "dnsName", "zoneId": "zoneId"})
		if err != nil {
			return err
		}
		secondary, err := prog.object(errorsite.Type, map[string]string{"dnsName": "domainName", "zoneId": "zoneId"})
		if err != nil {
			return err
		}
		return prog.declare(failoverdns.Type, map[string]resource.PropertyValue{
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
	checkOutputsInSchema(t, prog.outputs)
	_, err = plan.RunInAccount("eu-west-1", account, func(ctx *pulumi.Context) error {
		return (&program{ctx: ctx}).declare(mainsite.Type, map[string]resource.PropertyValue{
			"domain": str("shop.example.com"), "zoneId": zone, "targetCheckTimeout": resource.NewProperty(30.0),
		})
	}, plan.Strict)
	if err == nil || !strings.HasPrefix(err.Error(), "targetCheckTimeout: invalid value") {
		t.Errorf("a bad targetCheckTimeout on MainSite: %v", err)
	}
}

// TestConstructEdgeParts builds edge mode as a program in another language composes it: the main
// site with a CloudFront origin and its secret, the error site served by another distribution, and
// the front door given both by their outputs, which writes the error bucket's policy. Visitors
// get the main page, and the error page while the main site is down; the secret stays secret; an
// error names the input.
func TestConstructEdgeParts(t *testing.T) {
	const domain, originSecret = "shop.example.com", "f3c9a1d27be84e06a5d1"
	account := plan.Existing{Zones: []plan.Zone{plan.PublicZone(domain)}}
	zone := str(account.Zones[0].ID)
	origin := obj(map[string]resource.PropertyValue{
		"name": str("origin." + domain), "secret": resource.MakeSecret(str(originSecret)),
	})
	edgeParts := func(primary resource.PropertyValue, writesPolicy bool) (*program, func(ctx *pulumi.Context) error) {
		prog := &program{}
		return prog, func(ctx *pulumi.Context) error {
			prog.ctx = ctx
			site := map[string]resource.PropertyValue{"domain": str(domain), "zoneId": zone}
			mainInputs := maps.Clone(site)
			mainInputs["cloudFrontOrigin"] = origin
			if err := prog.declare(mainsite.Type, mainInputs); err != nil {
				return err
			}
			main := prog.components[mainsite.Type]
			errorPage := maps.Clone(site)
			errorPage["servedBy"] = obj(nil)
			if err := prog.declare(errorsite.Type, errorPage); err != nil {
				return err
			}
			fallbackOutputs := map[string]string{"domainName": "bucketRegionalDomainName", "originAccessControlId": "originAccessControlId"}
			if writesPolicy {
				fallbackOutputs["bucketArn"] = "bucketArn"
			}
			fallback, err := prog.object(errorsite.Type, fallbackOutputs)
			if err != nil {
				return err
			}
			certificateARN, err := prog.output(errorsite.Type, "certificateArn")
			if err != nil {
				return err
			}
			// As docs/other-languages.md says: the front door waits for the main site.
			return prog.declare(edgefailover.Type, map[string]resource.PropertyValue{
				"domain": str(domain), "zoneId": zone, "certificateArn": certificateARN,
				"origins": obj(map[string]resource.PropertyValue{"primary": primary, "fallback": fallback}),
			}, pulumi.DependsOn([]pulumi.Resource{main}))
		}
	}
	primary := obj(map[string]resource.PropertyValue{"origin": origin, "readTimeout": resource.NewProperty(20.0)})
	for _, writesPolicy := range []bool{true, false} {
		prog, body := edgeParts(primary, writesPolicy)
		p, err := plan.RunInAccount("eu-west-1", account, body, plan.Strict)
		if err != nil {
			t.Fatal(err)
		}
		down := p.Account.VisitWithMainSiteDown(domain, "/")
		// The function's own page stands in when the bucket refuses the distribution its page.
		builtIn := slices.Contains(down.Route, "and sends its built-in page")
		if !writesPolicy {
			// Without bucketArn nothing lets the distribution read the page: what the input is for.
			if !builtIn {
				t.Errorf("without origins.fallback.bucketArn, while the main site is down: %s, want the function's own page", down)
			}
			continue
		}
		if up := p.Account.Visit(domain, "/"); !up.Served(errorsite.DefaultErrorResponseCode) || up.Page != mockcloud.PageMain {
			t.Errorf("a visitor: %s, want the main page", up)
		}
		if !down.Served(errorsite.DefaultErrorResponseCode) || down.Page != mockcloud.PageError || builtIn {
			t.Errorf("while the main site is down: %s, want the error page", down)
		}
		distributions := p.OfType(awstype.Distribution)
		if len(distributions) != 1 || plan.Get(distributions[0].Inputs, "origins", 1, "customOriginConfig", "originReadTimeout") != 20.0 {
			t.Fatalf("the front door's distribution does not keep origins.primary.readTimeout 20: %v", distributions)
		}
		// CloudFront checks the origin's certificate against its name (the visit above passes
		// when the engine happens to make the distribution last).
		for _, ready := range [][2]string{{awstype.Record, "mainsite-origin"}, {awstype.ListenerCertificate, "mainsite-origin-cert"}} {
			if origin := p.Find(ready[0], ready[1]); origin == nil || !p.WaitsFor(distributions[0].URN, origin.URN) {
				t.Errorf("the front door's distribution does not wait for the main site's origin %s %s", ready[0], ready[1])
			}
		}
		if header := plan.Get(distributions[0].Inputs, "origins", 1, "customHeaders", 0, "value"); header != plan.Secret {
			t.Errorf("the origin secret reaches the distribution as %v, not as a secret", header)
		}
		checkOutputsInSchema(t, prog.outputs)
	}

	served := obj(map[string]resource.PropertyValue{"origin": obj(map[string]resource.PropertyValue{"name": str(domain)})})
	_, body := edgeParts(served, true)
	_, err := plan.RunInAccount("eu-west-1", account, body, plan.Strict)
	if err == nil || !strings.HasPrefix(err.Error(), `origins.primary.origin.name: invalid value "shop.example.com"`) {
		t.Errorf("an origin name that is served: %v", err)
	}
}
