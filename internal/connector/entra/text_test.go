package entra

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/pgtext"
)

func TestRecordsOfUnstorableTextAreCleanedAndCleanOnesUntouched(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	clean := User{ID: "u1", DisplayName: "Zoë", UserPrincipalName: "zoe@contoso.test"}
	want, err := jsonv2.Marshal(clean)
	require.NoError(t, err)
	rec, err := record(KindUser, "u1", "zoe@contoso.test", now, clean)
	require.NoError(t, err)
	require.Equal(t, string(want), string(rec.Payload), "clean data keeps its bytes and fingerprint")

	rec, err = record(KindUser, "u1", "bad\xffname", now, User{ID: "u1", DisplayName: "bad\xff\x00name"})
	require.NoError(t, err)
	require.Equal(t, "bad\uFFFDname", rec.SubjectLabel)
	require.Contains(t, string(rec.Payload), `"display_name":"bad`+"\uFFFD\uFFFD"+`name"`)

	policy, err := record(KindCAPolicy, "p1", "p", now, CAPolicy{ID: "p1", ExcludeUsers: []string{"a\x00"}, GrantControls: []string{"mfa"}})
	require.NoError(t, err)
	require.Contains(t, string(policy.Payload), `"exclude_users":["a`+"\uFFFD"+`"]`)
}

func FuzzStorableText(f *testing.F) {
	for _, seed := range []string{"", "plain", "Zoë", "\x00", "a\x00b", "\xff", "\xc3\x28", "\xed\xa0\x80", "\xf4\x90\x80\x80", `\u0000`} {
		f.Add(seed)
	}
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		out := pgtext.Clean(s)
		require.True(t, utf8.ValidString(out))
		require.False(t, strings.ContainsRune(out, 0))
		if utf8.ValidString(s) && !strings.ContainsRune(s, 0) {
			require.Equal(t, s, out)
		}
		rec, err := record(KindMFARegistration, "id"+s, s, now, MFARegistration{ID: s, DisplayName: s, MethodsRegistered: []string{s}})
		require.NoError(t, err)
		require.True(t, utf8.Valid(rec.Payload))
		require.True(t, storable(rec.Payload) || strings.Contains(out, `\u0000`))
		require.Equal(t, out, rec.SubjectLabel)
	})
}
