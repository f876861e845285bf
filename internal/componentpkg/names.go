package componentpkg

import (
	"strings"
	"unicode"
)

// initialisms are the upper-case runs in Go field names that the schema writes as one word
// ("HostedZoneID" → "hostedZoneId"), as the stack's config keys do.
var initialisms = []string{"IPv6", "IDs", "ID", "ARN", "DNS", "CPU", "TTL", "URL"}

// PropertyName is the schema's name for a Go field: lower camel case, an initialism written as
// a word ("SubnetIDs" → "subnetIds", "IPv6" → "ipv6", "FailoverDNS" → "failoverDns").
func PropertyName(field string) string {
	var words []string
	for rest := field; rest != ""; {
		word := leadingWord(rest)
		words = append(words, word)
		rest = rest[len(word):]
	}
	var b strings.Builder
	for i, w := range words {
		w = strings.ToLower(w)
		if i > 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		b.WriteString(w)
	}
	return b.String()
}

// leadingWord is the first word of a Go name: an initialism that a new word or the end follows,
// else a capital and the lower-case letters and digits after it.
func leadingWord(s string) string {
	for _, in := range initialisms {
		if rest, ok := strings.CutPrefix(s, in); ok && (rest == "" || unicode.IsUpper(rune(rest[0]))) {
			return in
		}
	}
	end := 1
	for end < len(s) && !unicode.IsUpper(rune(s[end])) {
		end++
	}
	return s[:end]
}
