package evidence

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/attesthq/attest/internal/connector"
)

// TestFingerprintIsStable pins the fingerprint of a known record: stored
// evidence is deduplicated by it, so a change to its definition would make
// every subject look changed on the next sync.
func TestFingerprintIsStable(t *testing.T) {
	t.Parallel()
	r := connector.Record{Kind: "entra.user", SchemaVersion: 1, SubjectKey: "0f1e2d3c",
		Payload: []byte(`{"id":"0f1e2d3c","display_name":"Ada Lovelace"}`)}
	// SHA-256 over the length-prefixed parts, computed independently of this code.
	const want = "8922c8f943438aa4f1ed5db5bbc214c159e5f65d902e3d7b0121b107f0797d01"
	fp := Fingerprint(r)
	if got := hex.EncodeToString(fp[:]); got != want {
		t.Fatalf("fingerprint %s, want %s", got, want)
	}
	long := r
	long.Payload = []byte(`{"id":"0f1e2d3c","display_name":"` + strings.Repeat("é", 2000) + `"}`)
	if Fingerprint(long) == fp {
		t.Fatal("a longer payload has the same fingerprint")
	}
}

// TestFingerprintSeparatesParts: the parts are length-prefixed, so moving a
// byte from the subject to the payload changes the fingerprint.
func TestFingerprintSeparatesParts(t *testing.T) {
	t.Parallel()
	a := connector.Record{Kind: "k", SchemaVersion: 1, SubjectKey: "ab", Payload: []byte("c")}
	b := connector.Record{Kind: "k", SchemaVersion: 1, SubjectKey: "a", Payload: []byte("bc")}
	c := a
	c.SchemaVersion = 2
	if Fingerprint(a) == Fingerprint(b) || Fingerprint(a) == Fingerprint(c) {
		t.Fatal("records that differ have the same fingerprint")
	}
}
