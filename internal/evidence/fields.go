package evidence

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Flatten renders a payload's fields, in the given order, as text: lists
// joined with "; ", booleans as true/false, numbers as written, absent
// fields empty. Pages and exports share it, so both show the same values.
func Flatten(order []string, payload []byte) []string {
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(string(payload)))
	dec.UseNumber()
	out := make([]string, len(order))
	if dec.Decode(&m) != nil {
		return out
	}
	for i, name := range order {
		out[i] = fieldText(m[name])
	}
	return out
}

func fieldText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case json.Number:
		return x.String()
	case []any:
		parts := make([]string, len(x))
		for i, p := range x {
			parts[i] = fieldText(p)
		}
		return strings.Join(parts, "; ")
	}
	b, _ := json.Marshal(v)
	return string(b)
}
