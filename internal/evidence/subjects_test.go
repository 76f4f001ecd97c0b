package evidence

import (
	"strconv"
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
	for n := range 2000 {
		keys = append(keys, "subject-"+strconv.Itoa(n))
	}
	var list []storedSubject
	for i, k := range keys {
		list = append(list, storedSubject{id: subjectOf("test.thing", []byte(k)), fp: [32]byte{30: byte(i >> 8), 31: byte(i)}})
	}
	stored := newStoredSubjects(list)
	for i, k := range keys {
		j, ok := stored.find(subjectOf("test.thing", k))
		require.True(t, ok, k)
		require.Equal(t, [2]byte{byte(i >> 8), byte(i)}, [2]byte(stored.list[j].fp[30:]), k)
	}
	_, ok := newStoredSubjects(nil).find(subjectOf("test.thing", "a"))
	require.False(t, ok, "nothing is stored")
	_, ok = stored.find(subjectOf("test.other", "a"))
	require.False(t, ok, "the kind is part of a subject's id")
	_, ok = stored.find(subjectOf("test.thin", "ga"))
	require.False(t, ok, "a NUL separates the kind from the key")
}
