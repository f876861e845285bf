// Package optional owns how the components' optional Args fields take their defaults: a string
// is unset when empty, a number when nil, so that 0 stays a value of its own.
package optional

// String returns s, or otherwise when s is empty.
func String(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// Int returns n, or a pointer to otherwise when n is nil.
func Int(n *int, otherwise int) *int {
	if n == nil {
		return &otherwise
	}
	return n
}
