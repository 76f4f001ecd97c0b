package entra

import (
	"bytes"
	"math/rand/v2"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
)

// TestEncodersMatchMarshal holds the hand-written encoders to jsonv2.Marshal
// byte for byte, across strings that need escaping, non-ASCII text, invalid
// UTF-8 (an error from both) and nil, empty and full lists: a difference
// would give every stored record a new fingerprint.
func TestEncodersMatchMarshal(t *testing.T) {
	t.Parallel()
	texts := []string{"", "ada@contoso.com", "Zoë Ångström", "日本語", "quote \" and \\ backslash", "tab\tnew\nline\x00\x1f",
		"<script>&amp;</script>", "line\u2028sep\u2029", "emoji 🙂", "bad \xff utf-8", "\x7f del", "/slash/"}
	lists := [][]string{nil, {}, {"microsoftAuthenticatorPush"}, {"email", "fido2", "mobilePhone"}, {"bad \xfe", "ok"}}
	rng := rand.New(rand.NewPCG(1, 2))
	text := func() string { return texts[rng.IntN(len(texts))] }
	for range 3000 {
		u := User{ID: text(), DisplayName: text(), UserPrincipalName: text(), Mail: text(), AccountEnabled: rng.IntN(2) == 0,
			UserType: text(), CreatedAt: text(), SignInActivityAvailable: rng.IntN(2) == 0, LastSignIn: text(), LastSuccessfulSignIn: text()}
		sameEncoding(t, u, u.encode)
		r := MFARegistration{ID: text(), UserPrincipalName: text(), DisplayName: text(), UserType: text(), IsAdmin: rng.IntN(2) == 0,
			IsMFARegistered: rng.IntN(2) == 0, IsMFACapable: rng.IntN(2) == 0, IsSSPRRegistered: rng.IntN(2) == 0,
			IsPasswordlessCapable: rng.IntN(2) == 0, MethodsRegistered: lists[rng.IntN(len(lists))], PreferredMethod: text()}
		sameEncoding(t, r, r.encode)
	}
}

func sameEncoding(t *testing.T, v any, encode func() ([]byte, error)) {
	t.Helper()
	want, wantErr := jsonv2.Marshal(v)
	got, gotErr := encode()
	if (wantErr != nil) != (gotErr != nil) {
		t.Fatalf("%+v: jsonv2.Marshal error %v, hand-written encoder error %v", v, wantErr, gotErr)
	}
	if wantErr == nil && !bytes.Equal(got, want) {
		t.Fatalf("%+v:\nhand-written %s\njsonv2       %s", v, got, want)
	}
}

// TestEncodersAllocateOnce: the size estimates cover names, punctuation and
// values, so an ordinary record is encoded into one allocation.
func TestEncodersAllocateOnce(t *testing.T) {
	u := User{ID: "0032ddca-8749-4f39-92ac-b3450b06d281", DisplayName: "Thomas Dasgupta", UserPrincipalName: "thomas.dasgupta@contoso.com",
		Mail: "thomas.dasgupta@contoso.com", AccountEnabled: true, UserType: "member", CreatedAt: "2025-03-29T11:42:30Z",
		SignInActivityAvailable: true, LastSignIn: "2026-02-13", LastSuccessfulSignIn: "2026-02-13"}
	r := MFARegistration{ID: u.ID, UserPrincipalName: u.UserPrincipalName, DisplayName: u.DisplayName, UserType: "member",
		IsMFARegistered: true, IsMFACapable: true, IsSSPRRegistered: true, PreferredMethod: "push",
		MethodsRegistered: []string{"microsoftAuthenticatorPush", "mobilePhone", "softwareOneTimePasscode"}}
	for name, encode := range map[string]func() ([]byte, error){"user": u.encode, "registration": r.encode} {
		if n := testing.AllocsPerRun(10, func() { _, _ = encode() }); n != 1 {
			t.Errorf("encoding a %s allocates %v times, want once", name, n)
		}
	}
}
