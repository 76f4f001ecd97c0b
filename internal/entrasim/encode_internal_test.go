package entrasim

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// allProps selects every property of a schema.
func allProps[T any](s *schema[T]) []int {
	sel := make([]int, len(s.props))
	for i := range sel {
		sel[i] = i
	}
	return sel
}

// requireEncodesLikeTags checks that the append encoders and the JSON tags of
// T agree: same property names, and the output decodes to the same value.
func requireEncodesLikeTags[T any](t *testing.T, s *schema[T], items []T) {
	t.Helper()
	require.NotEmpty(t, items)
	for i := range items {
		out := s.encode(nil, &items[i], allProps(s))
		require.True(t, json.Valid(out), string(out))
		var decoded T
		require.NoError(t, json.Unmarshal(out, &decoded))
		require.Equal(t, items[i], decoded)

		tagged, err := json.Marshal(items[i])
		require.NoError(t, err)
		var a, b map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(out, &a))
		require.NoError(t, json.Unmarshal(tagged, &b))
		require.ElementsMatch(t, keys(a), keys(b))
	}
}

func keys(m map[string]json.RawMessage) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestEncodersMatchJSONTags(t *testing.T) {
	t.Parallel()
	d := Generate(3, TenantSpec{ID: DefaultTenantID, Domain: DefaultTenantDomain, Size: Size{Users: 400}})
	requireEncodesLikeTags(t, userSchema, d.Users)
	requireEncodesLikeTags(t, registrationSchema, d.Registrations)
	requireEncodesLikeTags(t, policySchema, d.Policies)
	requireEncodesLikeTags(t, riskyUserSchema, d.RiskyUsers)
	requireEncodesLikeTags(t, signInSchema, d.SignIns)

	alt := 12.5
	s := d.SignIns[0]
	s.Location.GeoCoordinates.Altitude = &alt
	s.UserDisplayName = "Zoë \"Q\" <O'Brien> & co\t\x01"
	requireEncodesLikeTags(t, signInSchema, []SignIn{s})
}

func TestAppendString(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "plain", `q"b\s`, "tab\tnl\nret\r", "\x00\x1f\x7f", "ünï©ødé 日本", "bad\xffutf8", "<a&b>"} {
		var out string
		require.NoError(t, json.Unmarshal(appendString(nil, in), &out), in)
		var want string
		raw, err := json.Marshal(in)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(raw, &want))
		require.Equal(t, want, out)
	}
	require.Equal(t, `"<a&b>"`, string(appendString(nil, "<a&b>")), "Graph does not HTML-escape")
}

func TestLimiterCountsExactlyNPerSlidingWindow(t *testing.T) {
	t.Parallel()
	l := newLimiter(10000)
	t0 := time.Unix(1_000_000, 0)
	reports := demands{family: FamilyReports}
	activity := demands{family: FamilyReports, activity: true}

	for range 5 {
		require.True(t, l.admit(activity, "app", "tid", t0).ok)
	}
	v := l.admit(reports, "app", "tid", t0)
	require.False(t, v.ok)
	require.Equal(t, "10.000", v.retryAfter, "the window has room when the first request leaves it")
	require.True(t, l.admit(reports, "other-app", "tid", t0).ok, "the reports limit is per app")
	v = l.admit(reports, "app", "tid", t0.Add(10*time.Second-time.Millisecond))
	require.False(t, v.ok, "a token bucket would have refilled 5 by now; a window has not")
	require.Equal(t, "0.001", v.retryAfter)

	// The reports window frees up every 10 s, but signInActivity's own window
	// (10 per 60 s) runs dry: 5+5 pass in 10 s, then it waits until t0+60 s.
	t1 := t0.Add(10 * time.Second)
	for range 5 {
		require.True(t, l.admit(activity, "app", "tid", t1).ok)
	}
	t2 := t1.Add(10 * time.Second)
	v = l.admit(activity, "app", "tid", t2)
	require.False(t, v.ok)
	require.Equal(t, "40.000", v.retryAfter)
	require.True(t, l.admit(reports, "app", "tid", t2).ok, "a denied request charges no window")

	protection := demands{family: FamilyProtection}
	require.True(t, l.admit(protection, "app", "tid", t0).ok)
	v = l.admit(protection, "other-app", "tid", t0.Add(500*time.Millisecond))
	require.False(t, v.ok, "the protection limit is per tenant")
	require.Empty(t, v.retryAfter)
	require.True(t, l.admit(protection, "app", "tid", t0.Add(time.Second)).ok)

	directory := demands{family: FamilyDirectory, units: 2}
	for range 4000 {
		require.True(t, l.admit(directory, "app", "tid", t0).ok)
	}
	v = l.admit(directory, "app", "tid", t0)
	require.False(t, v.ok)
	require.Equal(t, "2", v.headers["x-ms-resource-unit"])
	require.Equal(t, "ResourceUnitLimitExceeded", v.headers["x-ms-throttle-information"])
	require.Equal(t, "0.003", v.retryAfter)
	require.Equal(t, 3500, directoryUnits(49))
	require.Equal(t, 5000, directoryUnits(500))
}

func TestSizeDefaults(t *testing.T) {
	t.Parallel()
	require.Equal(t, Size{Users: 250, Policies: 6, RiskyUsers: 2, RiskySignIns: 25}, Size{}.withDefaults())
	require.Equal(t, Size{Users: 50000, Policies: 200, RiskyUsers: 500, RiskySignIns: 5000}, Size{Users: 50000}.withDefaults())
	require.Equal(t, Size{Users: 3000, Policies: 12, RiskyUsers: 0, RiskySignIns: 7}, Size{Users: 3000, RiskyUsers: -1, RiskySignIns: 7}.withDefaults())
}
