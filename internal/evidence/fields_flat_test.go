package evidence

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// flatSeeds are payloads the fast path must either refuse or render as the
// decoder does: the shapes jsonb prints, and the ones it must hand over.
var flatSeeds = []string{
	`{"s": "v", "n": -1.5e+3, "b": true, "z": false, "o": null}`,
	`{"s":"ünï ✓ 🙂","n":0,"b":false}`, `{}`, ` { } `, `{"s": ""}`, `{"s": "a", "s": null}`, `{"s": null, "s": "b"}`,
	`{"x": 1, "s": "=1+2", "n": 12345678901234567890.5}`, `{"s": "\u00e9"}`, `{"s": "tab\there"}`, `{"s": "a\\b"}`,
	`{"l": [1, 2]}`, `{"o": {"a": 1}}`, `{"x": [1], "s": "v"}`, `{"s": "v",}`, `{"s": "v"} x`, `{"s": "v"`, `{"s" "v"}`,
	`{"n": 01}`, `{"n": -}`, `{"n": 1.}`, `{"n": 1e}`, `{"n": .5}`, `{"n": +1}`, `{"b": tru}`, `{"b": truex}`, `{"b": nul}`,
	`{"s": "bad` + "\xff" + `"}`, `{"` + "\xff" + `": 1}`, `{"s": "ctl` + "\x01" + `"}`, `null`, `[]`, `"s"`, `7`, ``, `{`,
	`{"\u0073": "escaped name"}`, "{\n\t\"s\":\r\n\"v\"\n}", `{"n": -0, "z": 0.0e-0}`, `{"s": "v"}{"s": "w"}`,
}

var flatOrder = []string{"s", "n", "b", "z", "o", "l"}

// renderBoth renders payload with the fast path when it accepts it and
// with the decoder, and returns both, or ok false when the fast path
// refused.
func renderBoth(payload []byte) (fast, slow []string, ok bool) {
	read := func(f *Fields) []string {
		out := make([]string, len(flatOrder))
		for i := range out {
			out[i] = string(f.Field(i))
		}
		return out
	}
	var f, g Fields
	for _, x := range []*Fields{&f, &g} {
		x.text, x.spans = x.text[:0], make([][2]int, len(flatOrder))
	}
	if !f.renderFlat(flatOrder, payload) {
		return nil, nil, false
	}
	if g.render(flatOrder, payload) != nil {
		clear(g.spans)
	}
	return read(&f), read(&g), true
}

func TestFlatRenderingIsTheDecodersWhereverItApplies(t *testing.T) {
	t.Parallel()
	accepted := 0
	for _, p := range flatSeeds {
		fast, slow, ok := renderBoth([]byte(p))
		if ok {
			accepted++
			require.Equal(t, slow, fast, "payload %q", p)
		}
	}
	require.GreaterOrEqual(t, accepted, 8, "the fast path takes the common shapes")
	_, _, ok := renderBoth([]byte(`{"s": "v", "n": -1.5e+3, "b": true, "z": false, "o": null}`))
	require.True(t, ok)
}

func FuzzFlatRenderingIsTheDecoders(f *testing.F) {
	for _, p := range flatSeeds {
		f.Add([]byte(p))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		if fast, slow, ok := renderBoth(p); ok {
			require.Equal(t, slow, fast, "payload %q", p)
		}
	})
}
