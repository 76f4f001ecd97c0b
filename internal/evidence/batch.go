package evidence

import "time"

// batch is a run of queued records as the parallel arrays the write
// statements unnest, one element per record.
type batch struct {
	kinds, subjects, labels, payloads []string
	versions                          []int32
	fps                               [][]byte
	observed                          []time.Time
}

// newBatch lays rows out as a batch.
func newBatch(rows []row) batch {
	n := len(rows)
	b := batch{kinds: make([]string, n), subjects: make([]string, n), labels: make([]string, n), payloads: make([]string, n),
		versions: make([]int32, n), fps: make([][]byte, n), observed: make([]time.Time, n)}
	for i := range rows {
		r := &rows[i]
		b.kinds[i], b.versions[i], b.subjects[i], b.labels[i] = r.kind, int32(r.version), r.subject, r.label
		b.payloads[i], b.fps[i], b.observed[i] = r.payload, r.fp[:], r.observed
	}
	return b
}
