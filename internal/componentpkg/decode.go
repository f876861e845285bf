package componentpkg

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/validate"
)

// decoder decodes a component's inputs into its Args.
type decoder struct {
	// inSite says the inputs are FailoverSite's, which sets some of its parts' fields itself.
	inSite bool
	// resources are the resources the inputs' values came from, by URN (the engine sends an
	// output of another resource with them); nil when there are none.
	resources map[resource.URN]pulumi.Resource
}

// decodeStruct sets a struct's exposed fields from an object's properties; the object's values
// came from the resources inherited names too. A property the struct does not expose is refused,
// with the nearest name it might be a typo of.
func (d decoder) decodeStruct(path string, into reflect.Value, obj resource.PropertyMap, inherited []resource.URN) error {
	exposed := fields(into.Type(), d.inSite)
	var names []string
	for _, f := range exposed {
		names = append(names, f.name)
	}
	for _, key := range obj.StableKeys() {
		if !slices.Contains(names, string(key)) {
			allowed := "one of " + strings.Join(names, ", ")
			if near := validate.Nearest(string(key), names); near != "" {
				allowed = "not an input: did you mean " + join(path, near) + "?"
			}
			return validate.Invalid(join(path, string(key)), "set", allowed)
		}
	}
	for _, f := range exposed {
		v, ok := obj[resource.PropertyKey(f.name)]
		if !ok || v.IsNull() {
			continue
		}
		if err := d.decodeField(join(path, f.name), f, into.FieldByIndex(f.Index), v, inherited); err != nil {
			return err
		}
	}
	return nil
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// value is a property's value with what wraps it taken off: whether it is secret, whether it is
// known yet (an output of another resource during a preview is not), and the resources it came
// from.
type value struct {
	resource.PropertyValue
	secret, unknown bool
	deps            []resource.URN
}

// unwrap takes the wrapping off a value that came from the resources inherited names.
func unwrap(v resource.PropertyValue, inherited []resource.URN) value {
	out := value{deps: inherited}
	for {
		switch {
		case v.IsSecret():
			out.secret = true
			v = v.SecretValue().Element
			continue
		case v.IsComputed():
			out.unknown = true
		case v.IsOutput():
			o := v.OutputValue()
			out.secret = out.secret || o.Secret
			out.deps = append(slices.Clip(out.deps), o.Dependencies...)
			if !o.Known {
				out.unknown = true
			} else {
				v = o.Element
				continue
			}
		}
		out.PropertyValue = v
		return out
	}
}

// decodeField sets one field.
func (d decoder) decodeField(path string, f field, into reflect.Value, raw resource.PropertyValue, inherited []resource.URN) error {
	v := unwrap(raw, inherited)
	switch f.kind {
	case inputString:
		s, err := d.inputStringOf(path, v)
		if err == nil && s != nil {
			into.Set(reflect.ValueOf(s))
		}
		return err
	case outputString:
		s, err := d.inputStringOf(path, v)
		if err == nil && s != nil {
			into.Set(reflect.ValueOf(s.ToStringOutput()))
		}
		return err
	case inputStrings:
		if v.unknown {
			into.Set(reflect.ValueOf(unknownStrings()))
			return nil
		}
		list, err := listOf(path, v, d.inputStringOf)
		if err == nil {
			into.Set(reflect.ValueOf(pulumi.StringArray(list)))
		}
		return err
	case stringMap:
		if err := plain(path, v, "an object of strings"); err != nil {
			return err
		}
		m := pulumi.StringMap{}
		for k, e := range v.ObjectValue() {
			s, err := d.inputStringOf(path+"."+string(k), unwrap(e, v.deps))
			if err != nil {
				return err
			}
			m[string(k)] = s
		}
		into.Set(reflect.ValueOf(m))
		return nil
	case object:
		if err := plain(path, v, "an object"); err != nil {
			return err
		}
		if !v.IsObject() {
			return validate.Invalid(path, display(v), "an object")
		}
		target := into
		if into.Kind() == reflect.Pointer {
			into.Set(reflect.New(into.Type().Elem()))
			target = into.Elem()
		}
		return d.decodeStruct(path, target, v.ObjectValue(), v.deps)
	}
	return decodePlain(path, f.kind, into, v)
}

// decodePlain sets a field the component needs to know when the program runs.
func decodePlain(path string, k kind, into reflect.Value, v value) error {
	var allowed string
	switch k {
	case plainString:
		allowed = "a string"
	case plainBool:
		allowed = "true or false"
	case plainInt:
		allowed = "a whole number"
	case plainStrings:
		allowed = "a list of strings"
	}
	if err := plain(path, v, allowed); err != nil {
		return err
	}
	var got reflect.Value
	switch {
	case k == plainString && v.IsString():
		got = reflect.ValueOf(v.StringValue())
	case k == plainBool && v.IsBool():
		got = reflect.ValueOf(v.BoolValue())
	case k == plainInt && v.IsNumber() && v.NumberValue() == math.Trunc(v.NumberValue()) && math.Abs(v.NumberValue()) < math.MaxInt32:
		got = reflect.ValueOf(int(v.NumberValue()))
	case k == plainStrings && v.IsArray():
		list, err := listOf(path, v, func(item string, e value) (string, error) {
			if err := plain(item, e, "a string"); err != nil {
				return "", err
			}
			if !e.IsString() {
				return "", validate.Invalid(item, display(e), "a string")
			}
			return e.StringValue(), nil
		})
		if err != nil {
			return err
		}
		got = reflect.ValueOf(list)
	default:
		return validate.Invalid(path, display(v), allowed)
	}
	if into.Kind() == reflect.Pointer {
		p := reflect.New(into.Type().Elem())
		p.Elem().Set(got)
		got = p
	}
	into.Set(got)
	return nil
}

// plain refuses a secret or unknown value where the component needs the value itself: it names
// resources or chooses them, and Pulumi keeps it in the state in clear.
func plain(path string, v value, allowed string) error {
	switch {
	case v.secret:
		return validate.Masked(validate.Invalid(path, "", allowed+", not a secret: it sets how the resources are built, and AWS returns that setting in their state, which Pulumi keeps in clear"))
	case v.unknown:
		return validate.Invalid(path, "unknown", allowed+" known when the program runs, not an output of another resource: it names or chooses the resources")
	}
	return nil
}

// inputStringOf is a string input: known, secret or not yet known, and depending on the
// resources it came from, so that those the component makes with it wait for them to be made,
// and are deleted before them. nil for null.
func (d decoder) inputStringOf(path string, v value) (pulumi.StringInput, error) {
	var s pulumi.StringInput
	switch {
	case v.unknown:
		s = unknownString()
	case v.IsString():
		s = pulumi.String(v.StringValue())
	case v.IsNull():
		return nil, nil
	default:
		err := validate.Invalid(path, display(v), "a string")
		if v.secret {
			err = validate.Masked(err)
		}
		return nil, err
	}
	if v.secret {
		s = pulumi.ToSecret(s).(pulumi.StringOutput)
	}
	return d.dependOn(s, v.deps), nil
}

// dependOn is s, depending on the resources of deps too.
func (d decoder) dependOn(s pulumi.StringInput, deps []resource.URN) pulumi.StringInput {
	all := []any{s}
	for _, urn := range deps {
		if r, ok := d.resources[urn]; ok {
			all = append(all, r.URN())
		}
	}
	if len(all) == 1 {
		return s
	}
	return pulumi.All(all...).ApplyT(func(v []any) string { return v[0].(string) }).(pulumi.StringOutput)
}

// listOf decodes each item of an array.
func listOf[T any](path string, v value, item func(string, value) (T, error)) ([]T, error) {
	if !v.IsArray() {
		return nil, validate.Invalid(path, display(v), "a list of strings")
	}
	var out []T
	for i, e := range v.ArrayValue() {
		got, err := item(fmt.Sprintf("%s[%d]", path, i), unwrap(e, v.deps))
		if err != nil {
			return nil, err
		}
		out = append(out, got)
	}
	return out, nil
}

// unknownString is a string not known yet: during a preview, an output of a resource that does
// not exist yet.
func unknownString() pulumi.StringOutput {
	return pulumi.UnsafeUnknownOutput(nil).ApplyT(func(v any) string { return fmt.Sprint(v) }).(pulumi.StringOutput)
}

func unknownStrings() pulumi.StringArrayOutput {
	return pulumi.UnsafeUnknownOutput(nil).ApplyT(func(v any) []string { return nil }).(pulumi.StringArrayOutput)
}

// display is a value as an error shows it.
func display(v value) string {
	switch {
	case v.IsString():
		return v.StringValue()
	case v.IsNumber():
		return fmt.Sprint(v.NumberValue())
	case v.IsBool():
		return fmt.Sprint(v.BoolValue())
	case v.IsArray():
		return "a list"
	case v.IsObject():
		return "an object"
	}
	return v.TypeString()
}

// SchemaPath names an Args field path ("MainSite.SubnetIDs") as the program wrote it
// ("mainSite.subnetIds"), for the errors the components report.
func SchemaPath(path string) string {
	parts := strings.Split(path, ".")
	for i, p := range parts {
		parts[i] = PropertyName(p)
	}
	return strings.Join(parts, ".")
}
