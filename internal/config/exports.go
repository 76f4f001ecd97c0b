package config

import "time"

// ExportLimits keep downloads from holding the application's connections
// hostage: each streams from one transaction for as long as its client
// reads, so only a few run at once, in total and per organization (the rest
// are answered 429), a client that stops reading is cut off, and each has a
// statement limit of its own instead of the pool's.
type ExportLimits struct {
	// Total and PerOrg cap the downloads running at once.
	Total  int
	PerOrg int
	// IdleTimeout ends a download whose client has read nothing for this long.
	IdleTimeout time.Duration
	// Timeout bounds one download's transaction (its statement_timeout and
	// idle_in_transaction_session_timeout).
	Timeout time.Duration
}

// exportLimits reads the ATTEST_EXPORT* variables; at most half of the pool's
// maxConns connections may serve downloads.
func (p *parser) exportLimits(maxConns int) ExportLimits {
	most := max(maxConns/2, 1)
	e := ExportLimits{
		Total:       p.intRange("ATTEST_EXPORTS_MAX", max(maxConns/5, 1), 1, most),
		IdleTimeout: p.duration("ATTEST_EXPORT_IDLE_TIMEOUT", 30*time.Second),
		Timeout:     p.duration("ATTEST_EXPORT_TIMEOUT", 30*time.Minute),
	}
	e.PerOrg = p.intRange("ATTEST_EXPORTS_PER_ORG", min(2, e.Total), 1, e.Total)
	return e
}
