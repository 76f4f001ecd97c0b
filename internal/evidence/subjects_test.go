package evidence

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestStoredSubjectsAreFoundByKindAndKey: subjects read from the current
// state (their keys as bytes) are found again by the kind and key a record
// carries (a string), a key longer than the hashing buffer and a non-ASCII
// one included; the kind is part of the id, separated from the key.
func TestStoredSubjectsAreFoundByKindAndKey(t *testing.T) {
	t.Parallel()
	keys := []string{"a", "Zoë", strings.Repeat("k", 300), "b"}
	var stored storedSubjects
	for i, k := range keys {
		stored = append(stored, storedSubject{id: subjectOf("test.thing", []byte(k)), fp: [32]byte{31: byte(i)}})
	}
	sortSubjects(stored)
	for i, k := range keys {
		j, ok := stored.find(subjectOf("test.thing", k))
		require.True(t, ok, k)
		require.Equal(t, byte(i), stored[j].fp[31], k)
	}
	_, ok := stored.find(subjectOf("test.other", "a"))
	require.False(t, ok, "the kind is part of a subject's id")
	_, ok = stored.find(subjectOf("test.thin", "ga"))
	require.False(t, ok, "a NUL separates the kind from the key")
}
