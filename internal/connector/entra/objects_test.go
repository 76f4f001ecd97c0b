package entra

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestObjectsGiveBackEveryIDAsPut: a canonical GUID is kept as its bytes,
// anything else (an upper-case GUID, a braced one, a short id) as it is;
// each comes back as it was put, and none is taken for another.
func TestObjectsGiveBackEveryIDAsPut(t *testing.T) {
	t.Parallel()
	ids := []string{"0f8fad5b-d9cb-469f-a165-70867728950e", "0F8FAD5B-D9CB-469F-A165-70867728950E",
		"{0f8fad5b-d9cb-469f-a165-70867728950e}", "u1", ""}
	o := newObjects[int]()
	for i, id := range ids {
		o.put(id, i)
	}
	require.Len(t, o.guids, 1, "only the canonical GUID is kept as bytes")
	got := map[string]int{}
	for id, v := range o.all() {
		got[id.String()] = v
	}
	require.Len(t, got, len(ids))
	for i, id := range ids {
		v, ok := o.lookup(idOf(id))
		require.True(t, ok, id)
		require.Equal(t, i, v, id)
		require.Equal(t, i, got[id], id)
	}
	_, ok := o.lookup(idOf("1b4e28ba-2fa1-11d2-883f-0016d3cca427"))
	require.False(t, ok, "an id never put is not found")
}
