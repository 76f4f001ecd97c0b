// Package assessments renders the assessment list, the new-assessment form
// and an assessment's page.
package assessments

import (
	"time"

	"github.com/attesthq/attest/views/components"
	"github.com/attesthq/attest/views/layout"
)

// Summary is one assessment in the list.
type Summary struct {
	Name     string
	URL      string
	Period   string
	Status   string
	Records  int64
	Created  time.Time
	Approved *time.Time
}

// Category is an optional Trust Services category for the form.
type Category struct {
	Key     string
	Name    string
	Checked bool
}

// NewForm is the new-assessment form with what was typed.
type NewForm struct {
	Action      string
	Name        string
	PeriodStart string
	PeriodEnd   string
	Categories  []Category
	Error       string
	// FirstEvidence is the day of the first evidence, if any.
	FirstEvidence string
}

// List is the assessments page.
type List struct {
	Page     layout.Page
	Rows     []Summary
	CanWrite bool
	Form     NewForm
}

// Coverage is coverage figures for one moment.
type Coverage struct {
	Label    string
	Percent  string
	Passing  int
	InScope  int
	Counts   []StateCount
	Controls []ControlState
}

// StateCount is how many controls are in one state.
type StateCount struct {
	Status string
	Count  int
}

// ControlState is one control's state, with its state at approval when it
// differs from today.
type ControlState struct {
	ID       string
	URL      string
	Today    string
	AtFreeze string
}

// KindCount is how many records of a kind are attached.
type KindCount struct {
	Kind     string
	Title    string
	Records  int
	URL      string
	CSVURL   string
	Selected bool
}

// Record is one attached evidence record.
type Record struct {
	ID         int64
	URL        string
	Kind       string
	KindTitle  string
	Subject    string
	Connection string
	Observed   time.Time
	Collected  time.Time
	Short      string
	Manual     bool
	RemoveURL  string
}

// Exemption is a criterion of the assessment's scope marked not applicable,
// with its justification and who wrote it.
type Exemption struct {
	Criterion     string
	URL           string
	Justification string
	MarkedBy      string
	MarkedAt      time.Time
}

// Action is a workflow button.
type Action struct {
	Label   string
	URL     string
	Class   string
	Confirm string
	TestID  string
}

// Detail is an assessment's page.
type Detail struct {
	Page       layout.Page
	Name       string
	Status     string
	Period     string
	Scope      []string
	Created    time.Time
	CreatedBy  string
	Submitted  *time.Time
	Approved   *time.Time
	ApprovedBy string
	RootHash   string
	Records    int
	Actions    []Action
	Frozen     Coverage
	HasFrozen  bool
	Today      Coverage
	// NotApplicable is the scope recorded at approval once approved, the
	// organization's current statement of applicability before.
	NotApplicable []Exemption
	Kinds         []KindCount
	Evidence      []Record
	Pager         components.Pager
	ZipURL        string
	Draft         bool
	Notice        string
}

// StatusLabel names an assessment status.
func StatusLabel(s string) string {
	switch s {
	case "draft":
		return "Draft"
	case "review":
		return "In review"
	case "approved":
		return "Approved"
	}
	return s
}

// statusChip maps a status to a chip class.
func statusChip(s string) string {
	switch s {
	case "approved":
		return "chip chip-pass"
	case "review":
		return "chip chip-unknown"
	}
	return "chip chip-none"
}
