package mockcloud

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// ReplacingPaths returns the changed paths (as Changes returns them) that force a resource of
// type typ with the given new inputs to be replaced.
func ReplacingPaths(typ string, newInputs map[string]any, changed []string) []string {
	table := Lookup(typ)
	var out []string
	for _, path := range changed {
		for _, p := range table.ForceNew {
			if flag, conditional := table.ForceNewWhen[p]; conditional && newInputs[flag] != true {
				continue
			}
			if path == p || strings.HasPrefix(path, p+".") || strings.HasPrefix(path, p+"[") {
				out = append(out, path)
				break
			}
		}
	}
	return out
}

// Change is one property whose value changes; a missing side is nil.
type Change struct {
	// Path is the property's path: object keys joined with dots, array indexes in brackets.
	Path string
	// Old and New are its values before and after.
	Old, New any
}

// Changes returns the leaf paths where old and new differ (object keys joined with dots, array
// indexes in brackets), sorted.
func Changes(old, new any) []Change {
	var out []Change
	changes("", old, new, &out)
	return out
}

func changes(path string, old, new any, out *[]Change) {
	if reflect.DeepEqual(old, new) {
		return
	}
	om, oIsMap := old.(map[string]any)
	nm, nIsMap := new.(map[string]any)
	if oIsMap && nIsMap {
		keys := map[string]bool{}
		for k := range om {
			keys[k] = true
		}
		for k := range nm {
			keys[k] = true
		}
		for _, k := range slices.Sorted(maps.Keys(keys)) {
			next := k
			if path != "" {
				next = path + "." + k
			}
			changes(next, om[k], nm[k], out)
		}
		return
	}
	oa, oIsArr := old.([]any)
	na, nIsArr := new.([]any)
	if oIsArr && nIsArr && len(oa) == len(na) {
		for i := range oa {
			changes(fmt.Sprintf("%s[%d]", path, i), oa[i], na[i], out)
		}
		return
	}
	*out = append(*out, Change{Path: path, Old: old, New: new})
}
