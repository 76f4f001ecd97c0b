package export

import (
	"time"

	"github.com/attesthq/attest/internal/coverage"
)

// ScopeHeader are the statement of applicability's columns.
var ScopeHeader = []string{"criterion", "category", "summary", "applicable", "justification", "marked_by", "marked_at"}

// ScopeRow is one criterion of a statement of applicability; x is set when
// it is not applicable.
func ScopeRow(c coverage.Criterion, x *coverage.Exemption) []string {
	if x == nil {
		return []string{c.ID, c.Category, c.Summary, "yes", "", "", ""}
	}
	return []string{c.ID, c.Category, c.Summary, "no", x.Justification, x.MarkedBy, Stamp(x.MarkedAt)}
}

// Stamp is a time in an export: RFC 3339, UTC.
func Stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
