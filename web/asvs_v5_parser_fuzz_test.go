package web

import (
	"math"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/connection"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/connector/entra"
)

// Fuzz tests of every query and form parser. Each value a handler reads
// first passes the input gate (refuseBadText), then its parser; the tests
// follow that path and assert that nothing panics and that whatever is
// accepted is in range and storable text. `go test` runs the seeds; `go test
// -fuzz FuzzX ./web/` explores further.

// badSeeds are the seeds every fuzz test starts from besides its own: NUL,
// invalid UTF-8, overlong and surrogate encodings, huge numbers.
var badSeeds = []string{
	"", "\x00", "a\x00b", "\xff", "\xc3\x28", "\xe2\x82", "\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80",
	"-1", "0", "21474838", "5124097", "9223372036854775807", "99999999999999999999", "1e9", " 1", "%00",
}

// passesGate runs the gate on one form value, asserting it refuses exactly
// what is not storable text.
func passesGate(t *testing.T, name, value string) bool {
	t.Helper()
	_, ok := firstBadValue(url.Values{name: {value}})
	require.Equal(t, storableText(name) && storableText(value), ok, "%q=%q", name, value)
	return ok
}

// storableText is the property asserted of accepted text.
func storableText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

func FuzzInputGate(f *testing.F) {
	for _, s := range badSeeds {
		f.Add("subject", s)
		f.Add(s, "x")
	}
	f.Fuzz(func(t *testing.T, name, value string) {
		passesGate(t, name, value)
		require.Equal(t, storableText(value), cleanText(value))
	})
}

func FuzzEvidenceFilter(f *testing.F) {
	f.Add("entra.user", uuid.NewString(), "2026-01-01", "2026-12-31", "alice")
	f.Add("", "not-a-uuid", "2026-13-01", "9999-12-31", "a"+strings.Repeat("é", 150))
	for _, s := range badSeeds {
		f.Add(s, s, s, s, s)
	}
	f.Fuzz(func(t *testing.T, kind, conn, from, to, subject string) {
		q := url.Values{"kind": {kind}, "connection": {conn}, "from": {from}, "to": {to}, "subject": {subject}}
		for name, vs := range q {
			if !passesGate(t, name, vs[0]) {
				return
			}
		}
		got, _ := parseEvidenceFilter(q)
		for _, v := range []string{got.Kind, got.Connection, got.From, got.To, got.Subject} {
			require.True(t, storableText(v), "%q", v)
		}
		require.LessOrEqual(t, len(got.Subject), maxSubjectFilter)
		require.Equal(t, got.Connection != "", got.connID != nil)
		if got.connID != nil {
			require.Equal(t, got.Connection, got.connID.String())
		}
		for _, d := range []*time.Time{got.from, got.to} {
			if d != nil {
				require.True(t, d.Year() >= 0 && d.Year() <= 10000, "%s", d)
			}
		}
		require.Equal(t, got.From != "", got.from != nil)
		require.Equal(t, got.To != "", got.to != nil)
	})
}

func FuzzPage(f *testing.F) {
	f.Add("1")
	f.Add("21474837")
	for _, s := range badSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if !passesGate(t, "page", raw) {
			return
		}
		page, err := parsePage(raw, subjectsPerPage)
		if err != nil {
			return
		}
		require.GreaterOrEqual(t, page, 1)
		require.LessOrEqual(t, int64(page-1)*subjectsPerPage, int64(math.MaxInt32), "the offset fits int4")
	})
}

func FuzzEvidenceCursor(f *testing.F) {
	f.Add("1793610000000000_42")
	for _, s := range badSeeds {
		f.Add(s + "_" + s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if !passesGate(t, "before", raw) {
			return
		}
		micros, id, ok := parseCursor(raw)
		if !ok {
			return
		}
		require.Positive(t, id)
		require.True(t, micros >= cursorEarliest && micros <= cursorLatest)
	})
}

func FuzzThresholdsForm(f *testing.F) {
	f.Add("6", "90")
	f.Add("720", "730")
	for _, s := range badSeeds {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, hours, days string) {
		if !passesGate(t, "stale_hours", hours) || !passesGate(t, "inactive_days", days) {
			return
		}
		declared := connector.DeclaredParams(entra.New(entra.Options{}, nil).Checks())
		staleAfter, params, problem := parseThresholds(hours, declared, func(string) string { return days })
		if problem != "" {
			return
		}
		require.True(t, staleAfter >= connection.MinStaleAfter && staleAfter <= connection.MaxStaleAfter, "%s", staleAfter)
		for _, p := range declared {
			require.True(t, params[p.Key] >= p.Min && params[p.Key] <= p.Max, "%s = %d", p.Key, params[p.Key])
		}
		h, err := strconv.Atoi(hours)
		require.NoError(t, err)
		require.Equal(t, time.Duration(h)*time.Hour, staleAfter, "no wrap-around")
	})
}

func FuzzSettingsForm(f *testing.F) {
	f.Add("400", "A")
	f.Add("3650", "P")
	for _, s := range badSeeds {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, days, category string) {
		if !passesGate(t, "retention_days", days) || !passesGate(t, "categories", category) {
			return
		}
		next, problem := parseSettingsForm(url.Values{"retention_days": {days}, "categories": {category}})
		if problem != "" {
			return
		}
		require.True(t, next.RetentionDays >= 90 && next.RetentionDays <= 3650)
		for _, c := range next.Categories {
			require.Contains(t, account.OptionalCategories, c)
		}
	})
}

func FuzzAssessmentForm(f *testing.F) {
	f.Add("FY26", "2026-01-01", "2026-06-30", "A")
	for _, s := range badSeeds {
		f.Add(s, s, s, s)
	}
	f.Fuzz(func(t *testing.T, name, start, end, category string) {
		form := url.Values{"name": {name}, "period_start": {start}, "period_end": {end}, "categories": {category}}
		for k, vs := range form {
			if !passesGate(t, k, vs[0]) {
				return
			}
		}
		view, draft := parseAssessmentForm(form)
		require.Equal(t, name, view.Name, "the form is shown again as typed")
		if view.Error != "" {
			return
		}
		require.True(t, storableText(draft.Name))
		require.Equal(t, []string{category}, draft.Categories)
		for _, d := range []time.Time{draft.PeriodStart, draft.PeriodEnd} {
			require.True(t, d.Year() >= 0 && d.Year() <= 9999)
		}
	})
}

func FuzzExclusionForm(f *testing.F) {
	f.Add("c1f6d3f0-user", "break-glass account", "2027-01-01")
	for _, s := range badSeeds {
		f.Add(s, s, s)
	}
	f.Fuzz(func(t *testing.T, subject, reason, expires string) {
		form := url.Values{"subject": {subject}, "reason": {reason}, "expires": {expires}}
		for k, vs := range form {
			if !passesGate(t, k, vs[0]) {
				return
			}
		}
		ex, problem := parseExclusionForm(form)
		require.Equal(t, []string{subject}, ex.subjects)
		if problem != "" {
			return
		}
		require.True(t, storableText(ex.subjects[0]) && storableText(ex.reason))
		require.Equal(t, 23, ex.ends.Hour(), "the last second of the day")
		require.True(t, ex.ends.Year() >= 0 && ex.ends.Year() <= 9999)
	})
}

func FuzzAuditFilters(f *testing.F) {
	f.Add("connection.", "connection:"+uuid.NewString())
	f.Add("auth.", "assessment:x")
	for _, s := range badSeeds {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, action, target string) {
		if !passesGate(t, "action", action) || !passesGate(t, "target", target) {
			return
		}
		if knownFilter(action) {
			require.True(t, action == "" || strings.HasSuffix(action, "."), "an action family: %q", action)
		}
		typ, id := parseAuditTarget(target)
		if typ == "" {
			require.Empty(t, id)
			return
		}
		require.Contains(t, auditTargets, typ)
		_, err := uuid.Parse(id)
		require.NoError(t, err)
	})
}
