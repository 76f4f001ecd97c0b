package coverage

import (
	"time"

	"github.com/google/uuid"
)

// DocumentInput is one document supporting criteria, as coverage sees it.
type DocumentInput struct {
	DocumentID uuid.UUID
	Title      string
	Criteria   []string
	// Current: the document has a revision and is not past its review date.
	Current          bool
	ReviewDue        time.Time
	LatestRevisionAt *time.Time
}
