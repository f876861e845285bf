// Package componentpkg owns the component package route53-failover, through which a Pulumi
// program in any language (TypeScript, YAML, ...) declares a FailoverSite or composes its parts:
// the package schema, generated from the Go Args and their doc comments (never kept by hand), and
// the construction of a component from the inputs a program sends, with errors that name those
// inputs.
// cmd/pulumi-resource-route53-failover serves both to the Pulumi engine.
//
// See https://www.pulumi.com/docs/iac/concepts/resources/components/ (component packages) and
// https://www.pulumi.com/docs/iac/extending-pulumi/schema/ (the schema).
package componentpkg

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/pkg/accesslogs"
	"github.com/seed-2b23e6e5/route53-failover/pkg/edgefailover"
	"github.com/seed-2b23e6e5/route53-failover/pkg/edgeorigin"
	"github.com/seed-2b23e6e5/route53-failover/pkg/errorsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/failoverdns"
	"github.com/seed-2b23e6e5/route53-failover/pkg/mainsite"
	"github.com/seed-2b23e6e5/route53-failover/pkg/topology"
)

// Name is the package's name: the first part of its type tokens, and what a program adds.
const Name = "route53-failover"

// Version is the package's version: the Go module's release that it is built from (the newest
// section of CHANGELOG.md, which a test holds it to).
const Version = "0.13.1"

// objectTypes are the Go structs the schema shows as object types, with their names. A struct
// field of another type is not part of the package (a provider, a resource, a callback).
var objectTypes = map[reflect.Type]string{
	reflect.TypeFor[mainsite.Network]():       "Network",
	reflect.TypeFor[failoverdns.Target]():     "Target",
	reflect.TypeFor[accesslogs.Destination](): "AccessLogDestination",
	reflect.TypeFor[errorsite.ServedBy]():     "ServedBy",
	reflect.TypeFor[edgeorigin.Origin]():      "CloudFrontOrigin",
	// The edge front door's origins, as EdgeFailover's origins input.
	reflect.TypeFor[edgefailover.OriginGroup]():  "EdgeOriginGroup",
	reflect.TypeFor[edgefailover.MainOrigin]():   "EdgeMainOrigin",
	reflect.TypeFor[edgefailover.BucketOrigin](): "BucketOrigin",
}

// siteTypes are the object types as FailoverSite holds them, which sets some of their fields
// itself (setByTopology, onlyGivenInTopology): the parts' Args, and the edge front door's as
// FailoverSite's edge input, where a program sets only the main-site origin's timeouts.
var siteTypes = map[reflect.Type]string{
	reflect.TypeFor[mainsite.Args]():            "MainSiteArgs",
	reflect.TypeFor[errorsite.Args]():           "ErrorSiteArgs",
	reflect.TypeFor[failoverdns.Args]():         "FailoverDnsArgs",
	reflect.TypeFor[edgefailover.Args]():        "EdgeArgs",
	reflect.TypeFor[edgefailover.OriginGroup](): "OriginGroup",
	reflect.TypeFor[edgefailover.MainOrigin]():  "MainOrigin",
}

// setByTopology are the fields of a part's Args that FailoverSite sets itself (topology.Args
// says which): a program sets them on a part of its own, not on FailoverSite's.
var setByTopology = map[reflect.Type][]string{
	reflect.TypeFor[mainsite.Args]():    {"Domain", "AlternateNames", "ZoneID", "CloudFrontOrigin"},
	reflect.TypeFor[errorsite.Args]():   {"Domain", "AlternateNames", "ZoneID", "ServedBy"},
	reflect.TypeFor[failoverdns.Args](): {"ZoneID", "Names", "Primary", "Secondary"},
}

// onlyGivenInTopology are, for a struct FailoverSite holds and fills in itself but for a few
// fields, those few (topology.Args.Edge says which): any other field a program set would be
// overwritten.
var onlyGivenInTopology = map[reflect.Type][]string{
	reflect.TypeFor[edgefailover.Args]():        {"Origins"},
	reflect.TypeFor[edgefailover.OriginGroup](): {"Primary"},
	reflect.TypeFor[edgefailover.MainOrigin]():  {"ConnectionAttempts", "ConnectionTimeout", "ReadTimeout"},
}

// setBySite reports whether FailoverSite sets the field name of t itself, when t is held inside
// FailoverSite's inputs (inSite).
func setBySite(t reflect.Type, inSite bool, name string) bool {
	if !inSite {
		return false
	}
	if only, ok := onlyGivenInTopology[t]; ok {
		return !slices.Contains(only, name)
	}
	return slices.Contains(setByTopology[t], name)
}

// typeName is the schema name of an object type, inside FailoverSite's inputs or not.
func typeName(t reflect.Type, inSite bool) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if name, ok := siteTypes[t]; ok && inSite {
		return name
	}
	return objectTypes[t]
}

// kind is how a Go field type appears in the schema and how its value is decoded.
type kind int

const (
	unsupported kind = iota
	plainString
	plainBool
	plainInt
	plainStrings
	inputString
	outputString // an Output in Go, an input like any other in the schema
	inputStrings
	stringMap
	object
)

// kindOf classifies a field type.
func kindOf(t reflect.Type) kind {
	switch t {
	case reflect.TypeFor[string]():
		return plainString
	case reflect.TypeFor[bool](), reflect.TypeFor[*bool]():
		return plainBool
	case reflect.TypeFor[int](), reflect.TypeFor[*int]():
		return plainInt
	case reflect.TypeFor[[]string]():
		return plainStrings
	case reflect.TypeFor[pulumi.StringInput]():
		return inputString
	case reflect.TypeFor[pulumi.StringOutput]():
		return outputString
	case reflect.TypeFor[pulumi.StringArrayInput]():
		return inputStrings
	case reflect.TypeFor[pulumi.StringMap]():
		return stringMap
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	_, shared := objectTypes[t]
	_, inSite := siteTypes[t]
	if shared || inSite {
		return object
	}
	return unsupported
}

// field is a Go field the package exposes.
type field struct {
	reflect.StructField
	name string // the schema's name
	kind kind
}

// fields are the exposed fields of a struct, inside FailoverSite's inputs or not, in
// declaration order.
func fields(t reflect.Type, inSite bool) []field {
	var out []field
	for f := range t.Fields() {
		k := kindOf(f.Type)
		if !f.IsExported() || k == unsupported || setBySite(t, inSite, f.Name) {
			continue
		}
		out = append(out, field{StructField: f, name: PropertyName(f.Name), kind: k})
	}
	return out
}

// property is a schema property (https://www.pulumi.com/docs/iac/extending-pulumi/schema/#property).
type property struct {
	Type                 string    `json:"type,omitempty"`
	Ref                  string    `json:"$ref,omitempty"`
	Items                *property `json:"items,omitempty"`
	AdditionalProperties *property `json:"additionalProperties,omitempty"`
	Plain                bool      `json:"plain,omitempty"`
	Secret               bool      `json:"secret,omitempty"`
	Description          string    `json:"description,omitempty"`
}

func typeToken(name string) string { return Name + ":index:" + name }

// propertyOf is the schema property of an exposed field. A plain value is one the component
// needs when the program runs (it names resources or chooses them): it cannot be an output of
// another resource.
func propertyOf(f field, inSite bool) property {
	str := &property{Type: "string"}
	switch f.kind {
	case plainString:
		return property{Type: "string", Plain: true}
	case plainBool:
		return property{Type: "boolean", Plain: true}
	case plainInt:
		return property{Type: "integer", Plain: true}
	case plainStrings:
		return property{Type: "array", Items: &property{Type: "string", Plain: true}, Plain: true}
	case inputString:
		return property{Type: "string", Secret: slices.Contains(secretFields, f.Name)}
	case outputString:
		return property{Type: "string"}
	case inputStrings:
		return property{Type: "array", Items: str}
	case stringMap:
		return property{Type: "object", AdditionalProperties: str, Plain: true}
	}
	return property{Ref: "#/types/" + typeToken(typeName(f.Type, inSite)), Plain: true}
}

// secretFields are the inputs the components make secret wherever they go (the stack's config
// keeps the same ones secret): the schema has the program's SDK make them secret too.
var secretFields = []string{"OriginSecret", "PreviousOriginSecret", "AlarmEmail", "Secret", "PreviousSecret"}

// objectSpec is a type or a resource's inputs.
type objectSpec struct {
	Description string              `json:"description,omitempty"`
	Type        string              `json:"type,omitempty"`
	Properties  map[string]property `json:"properties"`
	Required    []string            `json:"required,omitempty"`
}

type resourceSpec struct {
	IsComponent     bool                `json:"isComponent"`
	Description     string              `json:"description,omitempty"`
	InputProperties map[string]property `json:"inputProperties"`
	RequiredInputs  []string            `json:"requiredInputs,omitempty"`
	Properties      map[string]property `json:"properties"`
	Required        []string            `json:"required,omitempty"`
}

type packageSpec struct {
	Name        string                  `json:"name"`
	DisplayName string                  `json:"displayName"`
	Version     string                  `json:"version"`
	Description string                  `json:"description"`
	Repository  string                  `json:"repository"`
	Resources   map[string]resourceSpec `json:"resources"`
	Types       map[string]objectSpec   `json:"types"`
	Language    map[string]any          `json:"language"`
}

// Repository is where the package's source lives.
const Repository = "https://github.com/seed-2b23e6e5/route53-failover"

// Schema generates the package schema from the Go types; docs gives each type's and field's doc
// comment (ReadDocs reads them from the source).
func Schema(docs Docs) ([]byte, error) {
	spec := packageSpec{
		Name: Name, DisplayName: "Route 53 failover", Version: Version, Repository: Repository,
		Description: "A website on EC2 behind an Application Load Balancer that fails over to a static error page on CloudFront.",
		Resources:   map[string]resourceSpec{},
		Types:       map[string]objectSpec{},
		Language: map[string]any{
			"nodejs": map[string]any{"respectSchemaVersion": true},
		},
	}
	for _, c := range components {
		addTypes(spec.Types, c.args, c.inSite(), docs)
		inputs, required := properties(c.args, c.inSite(), docs)
		outputs, outputNames, err := componentOutputs(c, docs)
		if err != nil {
			return nil, err
		}
		spec.Resources[c.typ] = resourceSpec{
			IsComponent: true, Description: docs.Type(c.resource),
			InputProperties: inputs, RequiredInputs: required, Properties: outputs, Required: outputNames,
		}
	}
	out, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// addTypes adds the object types the fields of t hold, and theirs, as the view (inside
// FailoverSite's inputs or not) shows them.
func addTypes(types map[string]objectSpec, t reflect.Type, inSite bool, docs Docs) {
	for _, f := range fields(t, inSite) {
		if f.kind != object {
			continue
		}
		nested := f.Type
		if nested.Kind() == reflect.Pointer {
			nested = nested.Elem()
		}
		token := typeToken(typeName(nested, inSite))
		if _, done := types[token]; done {
			continue
		}
		props, req := properties(nested, inSite, docs)
		types[token] = objectSpec{Description: docs.Type(nested), Type: "object", Properties: props, Required: req}
		addTypes(types, nested, inSite, docs)
	}
}

// componentOutputs are a component's outputs, and those every instance has: FailoverSite's are
// the stack's; a part's are its output fields, with their doc comments.
func componentOutputs(c component, docs Docs) (map[string]property, []string, error) {
	if c.typ == topology.Type {
		outputs, err := outputProperties()
		var required []string
		for name := range outputs {
			if !slices.Contains(optionalOutputs, name) {
				required = append(required, name)
			}
		}
		sort.Strings(required)
		return outputs, required, err
	}
	outputs := map[string]property{}
	for _, f := range outputFields(c.resource) {
		t := f.Type
		if t.Implements(reflect.TypeFor[pulumi.Output]()) {
			t = reflect.Zero(t).Interface().(pulumi.Output).ElementType()
		}
		p, err := outputProperty(t)
		if err != nil {
			return nil, nil, fmt.Errorf("%s.%s: %w", c.typ, f.Name, err)
		}
		p.Description = docs.Field(c.resource, f.Name)
		outputs[f.name] = p
	}
	return outputs, nil, nil
}

// properties are a struct's exposed fields as schema properties, and the required ones: those
// whose doc comment says "Required.".
func properties(t reflect.Type, inSite bool, docs Docs) (map[string]property, []string) {
	props := map[string]property{}
	var required []string
	for _, f := range fields(t, inSite) {
		p := propertyOf(f, inSite)
		p.Description = docs.Field(t, f.Name)
		props[f.name] = p
		if strings.Contains(p.Description, "Required.") {
			required = append(required, f.name)
		}
	}
	return props, required
}

// optionalOutputs are the outputs only some stacks have.
var optionalOutputs = []string{"accessLogsBucket"}

// outputProperties are the stack outputs' schema properties, typed by the values Outputs returns.
func outputProperties() (map[string]property, error) {
	props := map[string]property{}
	for name, value := range OutputShapes() {
		p, err := outputProperty(value.ElementType())
		if err != nil {
			return nil, fmt.Errorf("output %s: %w", name, err)
		}
		props[name] = p
	}
	return props, nil
}

func outputProperty(t reflect.Type) (property, error) {
	switch t.Kind() {
	case reflect.String:
		return property{Type: "string"}, nil
	case reflect.Int:
		return property{Type: "integer"}, nil
	case reflect.Bool:
		return property{Type: "boolean"}, nil
	case reflect.Slice:
		item, err := outputProperty(t.Elem())
		return property{Type: "array", Items: &item}, err
	case reflect.Map:
		return property{Type: "object", AdditionalProperties: &property{Ref: "pulumi.json#/Any"}}, nil
	}
	return property{}, fmt.Errorf("no schema type for %s", t)
}
