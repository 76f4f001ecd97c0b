package assessment

import (
	"encoding/json"

	"github.com/attesthq/attest/internal/coverage"
)

// CoverageRecord is the coverage an assessment stores at approval: the
// figures the dashboard shows, and each control's state.
type CoverageRecord struct {
	InScope  int               `json:"in_scope"`
	Coverage float64           `json:"coverage"`
	Counts   map[string]int    `json:"counts"`
	Controls map[string]string `json:"controls"`
}

// NewCoverageRecord summarizes a report.
func NewCoverageRecord(r coverage.Report) CoverageRecord {
	rec := CoverageRecord{InScope: r.InScope, Coverage: r.Coverage, Counts: r.Counts, Controls: map[string]string{}}
	for _, c := range r.Controls {
		rec.Controls[c.ID] = c.Status
	}
	return rec
}

// ParseCoverage reads a stored record; ok is false for none or a bad one.
func ParseCoverage(raw []byte) (CoverageRecord, bool) {
	var rec CoverageRecord
	if len(raw) == 0 || json.Unmarshal(raw, &rec) != nil {
		return CoverageRecord{}, false
	}
	return rec, true
}
