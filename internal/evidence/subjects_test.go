package evidence

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestUnpackedSubjectsAreFoundByKindAndKey: the subjects packed by
// EvidenceCurrentPacked are found again by the kind and key a record
// carries, a key longer than the hashing buffer and a non-ASCII one
// included, and a truncated pack is refused.
func TestUnpackedSubjectsAreFoundByKindAndKey(t *testing.T) {
	t.Parallel()
	keys := []string{"a", "Zoë", strings.Repeat("k", 300), "b"}
	var packed []byte
	for i, k := range keys {
		packed = binary.BigEndian.AppendUint32(packed, uint32(len(k)))
		packed = append(packed, k...)
		packed = append(packed, make([]byte, 31)...)
		packed = append(packed, byte(i))
	}
	stored, err := unpackSubjects(nil, "test.thing", packed)
	require.NoError(t, err)
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

	_, err = unpackSubjects(nil, "test.thing", packed[:len(packed)-1])
	require.ErrorIs(t, err, errBadPacked)
}
