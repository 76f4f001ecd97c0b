package components

import "strings"

// labelWords are the words of a field name that read differently than
// capitalized: acronyms, and units.
var labelWords = map[string]string{
	"id": "ID", "ids": "IDs", "mfa": "MFA", "ip": "IP", "upn": "UPN", "url": "URL", "ca": "CA",
	"os": "OS", "sku": "SKU", "api": "API", "pct": "(%)",
}

// FieldLabel turns a snake_case field name into a label a person reads:
// "admins_mfa_registered_pct" becomes "Admins MFA registered (%)".
func FieldLabel(name string) string {
	words := strings.FieldsFunc(name, func(r rune) bool { return r == '_' || r == '-' || r == '.' })
	for i, w := range words {
		if s, ok := labelWords[strings.ToLower(w)]; ok {
			words[i] = s
		} else if i == 0 {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	if len(words) == 0 {
		return name
	}
	return strings.Join(words, " ")
}
