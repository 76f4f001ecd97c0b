package syncer

import (
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/metrics"
)

// observe counts a recorded run and the evidence its committed datasets
// stored.
func (s *Syncer) observe(connectorKey string, out Outcome, watch metrics.Stopwatch) {
	if s.Metrics == nil {
		return
	}
	s.Metrics.ObserveSync(connectorKey, string(out.Status), watch.Elapsed())
	for _, d := range out.Datasets {
		if d.Status == connector.DatasetOK {
			s.Metrics.ObserveEvidence(connectorKey, d.Dataset, d.Received, d.New)
		}
	}
}
