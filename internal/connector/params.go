package connector

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Param is a number a check declares that a connection may change (an
// inactivity threshold). Pages show and edit it only where a check of the
// connection's connector declares one; the platform validates values
// against Min and Max and stores them per connection.
type Param struct {
	// Key is unique within the connector (several of its checks and
	// datasets may read the same parameter).
	Key   string
	Label string
	// Hint explains the unit and the effect.
	Hint    string
	Default int
	Min     int
	Max     int
}

// Params are a connection's parameter values by key.
type Params map[string]int

// Get returns the value of p: the stored one, or p's default.
func (ps Params) Get(p Param) int {
	if v, ok := ps[p.Key]; ok {
		return v
	}
	return p.Default
}

// DeclaredParams lists every parameter the checks declare, once each, in
// check order.
func DeclaredParams(checks []Check) []Param {
	seen := map[string]bool{}
	var out []Param
	for _, chk := range checks {
		for _, p := range chk.Params {
			if !seen[p.Key] {
				seen[p.Key] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// ParamError says which submitted value is refused and why.
type ParamError struct {
	Param Param
	Value string
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("connector: %s must be a whole number from %d to %d, not %q", strings.ToLower(e.Param.Label), e.Param.Min, e.Param.Max, e.Value)
}

// ParseParams reads the declared parameters from submitted values (one per
// key; a missing key keeps its default) and checks each against its range.
func ParseParams(declared []Param, get func(key string) string) (Params, error) {
	out := Params{}
	for _, p := range declared {
		raw := strings.TrimSpace(get(p.Key))
		if raw == "" {
			out[p.Key] = p.Default
			continue
		}
		v, err := strconv.Atoi(raw)
		if err != nil || v < p.Min || v > p.Max {
			return nil, &ParamError{Param: p, Value: raw}
		}
		out[p.Key] = v
	}
	return out, nil
}

// StoredParams is every parameter checks declare, with its value from the
// connection's stored JSON ({"key": n}) or, when absent or out of range,
// its default.
func StoredParams(checks []Check, raw []byte) Params {
	var stored map[string]int
	_ = json.Unmarshal(raw, &stored)
	out := Params{}
	for _, p := range DeclaredParams(checks) {
		v, ok := stored[p.Key]
		if !ok || v < p.Min || v > p.Max {
			v = p.Default
		}
		out[p.Key] = v
	}
	return out
}
