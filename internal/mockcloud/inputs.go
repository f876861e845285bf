package mockcloud

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/mapper"
)

// decode reads a resource's inputs into T, a struct that names each input it reads by a pulumi
// tag, as the SDK's Args do; a Type's Inputs is such a struct, and TestRegistryMatchesTheSDK
// checks its tags against the pinned SDK. A secret reads as its value; a value not yet known
// (in a preview) reads as absent.
func decode[T any](in resource.PropertyMap) (T, error) {
	var out T
	if err := mapper.MapI(plainInputs(in), &out); err != nil {
		return out, errorf("InvalidInput", "%v", err)
	}
	return out, nil
}

// storedInputs reads the inputs of a resource the account holds; they decoded when it was
// created, so they decode again.
func storedInputs[T any](res *Resource) T {
	in, _ := decode[T](res.in())
	return in
}

func plainInputs(m resource.PropertyMap) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if p, known := plainInput(v); known {
			out[string(k)] = p
		}
	}
	return out
}

func plainInput(v resource.PropertyValue) (any, bool) {
	v = unwrap(v)
	switch {
	case v.IsComputed(), v.IsOutput(), v.IsNull():
		return nil, false
	case v.IsObject():
		return plainInputs(v.ObjectValue()), true
	case v.IsArray():
		var out []any
		for _, e := range v.ArrayValue() {
			if p, known := plainInput(e); known {
				out = append(out, p)
			}
		}
		return out, true
	}
	return v.V, true
}
