// Package documents renders the documents list, the new-document form and a
// document's page with its revisions.
package documents

import (
	"time"

	"github.com/attesthq/attest/views/layout"
)

// States of a document's review.
const (
	StateCurrent = "current"
	StateDue     = "due"
	StateLapsed  = "lapsed"
)

// StateLabel is a review state as pages show it.
func StateLabel(s string) string {
	switch s {
	case StateDue:
		return "Review due soon"
	case StateLapsed:
		return "Lapsed"
	}
	return "Current"
}

func stateChip(s string) string {
	switch s {
	case StateDue:
		return "chip chip-review"
	case StateLapsed:
		return "chip chip-stale"
	}
	return "chip chip-fresh"
}

// Row is one document in the list.
type Row struct {
	Title      string
	URL        string
	Owner      string
	Criteria   []string
	NextReview time.Time
	State      string
	Revisions  int32
	LatestAt   time.Time
}

// List is the documents page.
type List struct {
	Page     layout.Page
	Rows     []Row
	CanWrite bool
	NewURL   string
}

// Option is one choice of a select or a checkbox list.
type Option struct {
	Value   string
	Label   string
	Checked bool
}

// Form is the new-document form with what was typed. Its file input comes
// last: the upload is read as a stream, in the form's order.
type Form struct {
	Action      string
	Title       string
	Description string
	Owners      []Option
	Cadences    []Option
	ReviewOn    string
	PeriodStart string
	PeriodEnd   string
	Criteria    []Option
	Link        string
	MaxMB       int64
	Error       string
}

// New is the new-document page.
type New struct {
	Page layout.Page
	Form Form
}

// Criterion is one criterion a document supports.
type Criterion struct {
	ID        string
	Name      string
	UnlinkURL string
}

// Revision is one revision of a document.
type Revision struct {
	Number      int32
	FileName    string
	ContentType string
	Size        string
	SHA256      string
	Link        string
	ObservedOn  time.Time
	CreatedAt   time.Time
	By          string
	DownloadURL string
	EvidenceURL string
}

// Show is a document's page.
type Show struct {
	Page        layout.Page
	CanWrite    bool
	Title       string
	Description string
	Owner       string
	Cadence     string
	NextReview  time.Time
	State       string
	Period      string
	Criteria    []Criterion
	LinkURL     string
	Available   []Option
	Revisions   []Revision
	ReviseURL   string
	DateCadence bool
	MaxMB       int64
	Error       string
}
