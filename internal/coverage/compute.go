package coverage

import (
	"time"

	"github.com/google/uuid"
)

// Control statuses.
const (
	Passing    = "passing"
	Failing    = "failing"
	StaleState = "stale"
	Unknown    = "unknown"
	NoEvidence = "no_evidence"
	// NotApplicable is a criterion the organization's statement of
	// applicability excludes: it leaves the coverage denominator.
	NotApplicable = "not_applicable"
)

// Statuses lists the control statuses in display order.
var Statuses = []string{Passing, Failing, StaleState, Unknown, NoEvidence, NotApplicable}

// What made a passing control pass.
const (
	EvidenceAutomated  = "automated"
	EvidenceDocumented = "documented"
	EvidenceBoth       = "both"
)

// CheckInput is the current result of one check on one connection.
type CheckInput struct {
	ConnectionID   uuid.UUID
	ConnectionName string
	CheckKey       string
	CheckTitle     string
	Criteria       []string
	// Status is pass, fail or unknown.
	Status      string
	Reason      string
	Failing     int
	Excluded    int
	EvaluatedAt time.Time
	// Fresh is whether the connection's last successful sync is within its
	// stale threshold.
	Fresh       bool
	LastSuccess *time.Time
}

// DocumentInput is a document that supports criteria.
type DocumentInput struct {
	DocumentID uuid.UUID
	Title      string
	Criteria   []string
	// Current is whether the document has a revision and is not past its
	// review date.
	Current          bool
	ReviewDue        time.Time
	LatestRevisionAt *time.Time
}

// Exemption is a criterion marked not applicable, and why.
type Exemption struct {
	Justification string
	// MarkedBy is the email of the member who marked it.
	MarkedBy string
	MarkedAt time.Time
}

// Input is everything coverage is computed from.
type Input struct {
	// Criteria are the controls of the organization's categories.
	Criteria  []Criterion
	Checks    []CheckInput
	Documents []DocumentInput
	// NotApplicable are the criteria marked not applicable, by id.
	NotApplicable map[string]Exemption
}

// Control is one criterion with its status and what supports it.
type Control struct {
	Criterion
	Status    string
	Checks    []CheckInput
	Documents []DocumentInput
	// Evidence says what made a passing control pass (automated,
	// documented or both); empty for every other status.
	Evidence string
	// NotApplicable is set when the criterion is out of scope.
	NotApplicable *Exemption
	// NewestEvidence is the latest successful sync among its checks'
	// connections or the latest revision of its documents.
	NewestEvidence *time.Time
}

// Report is the coverage of an organization.
type Report struct {
	Controls []Control
	Counts   map[string]int
	// InScope counts the controls that are not marked not applicable.
	InScope int
	// Coverage is passing controls over controls in scope, from 0 to 1.
	Coverage float64
}

// Compute derives each control's status from the checks and documents that
// support it, in this order:
//
//	not applicable  the statement of applicability excludes it
//	failing         a check on fresh evidence fails (a failing check always wins)
//	stale           a check's evidence is older than its stale threshold, or a
//	                document it relies on is past its review date
//	unknown         a check could not be evaluated
//	passing         every check passes on fresh evidence; where no check
//	                supports it, at least one current document does
//	no evidence     nothing supports it yet
//
// A document without any revision supports nothing yet. Coverage counts only
// passing controls over the controls not marked not applicable. The
// dashboard, the control pages, assessments and exports all call this one
// function.
func Compute(in Input) Report {
	checks := groupByCriterion(in.Checks, func(c CheckInput) []string { return c.Criteria })
	docs := groupByCriterion(in.Documents, func(d DocumentInput) []string { return d.Criteria })
	r := Report{Counts: map[string]int{}, Controls: make([]Control, 0, len(in.Criteria))}
	for _, s := range Statuses {
		r.Counts[s] = 0
	}
	for _, crit := range in.Criteria {
		ctl := Control{Criterion: crit, Checks: checks[crit.ID], Documents: docs[crit.ID]}
		if x, ok := in.NotApplicable[crit.ID]; ok {
			ctl.Status, ctl.NotApplicable = NotApplicable, &x
		} else {
			ctl.Status, ctl.Evidence = statusOf(ctl.Checks, ctl.Documents)
		}
		for _, c := range ctl.Checks {
			ctl.NewestEvidence = later(ctl.NewestEvidence, c.LastSuccess)
		}
		for _, d := range ctl.Documents {
			ctl.NewestEvidence = later(ctl.NewestEvidence, d.LatestRevisionAt)
		}
		r.Counts[ctl.Status]++
		r.Controls = append(r.Controls, ctl)
	}
	r.InScope = len(in.Criteria) - r.Counts[NotApplicable]
	if r.InScope > 0 {
		r.Coverage = float64(r.Counts[Passing]) / float64(r.InScope)
	}
	return r
}

// groupByCriterion lists each criterion's supporting items. Lists are sized
// first: with many connections they are long and this runs on every
// dashboard request.
func groupByCriterion[T any](items []T, criteria func(T) []string) map[string][]T {
	sizes := map[string]int{}
	for _, it := range items {
		for _, id := range criteria(it) {
			sizes[id]++
		}
	}
	out := make(map[string][]T, len(sizes))
	for id, n := range sizes {
		out[id] = make([]T, 0, n)
	}
	for _, it := range items {
		for _, id := range criteria(it) {
			out[id] = append(out[id], it)
		}
	}
	return out
}

func later(a, b *time.Time) *time.Time {
	if b == nil || (a != nil && !b.After(*a)) {
		return a
	}
	t := *b
	return &t
}

// statusOf is the status of an applicable control and, when it passes, the
// evidence that made it pass.
func statusOf(checks []CheckInput, docs []DocumentInput) (status, evidence string) {
	var stale, unknown bool
	for _, c := range checks {
		switch {
		case !c.Fresh:
			stale = true
		case c.Status == "fail":
			return Failing, ""
		case c.Status != "pass":
			unknown = true
		}
	}
	current := 0
	for _, d := range docs {
		switch {
		case d.LatestRevisionAt == nil:
			// Nothing uploaded yet: it supports nothing.
		case d.Current:
			current++
		default:
			stale = true
		}
	}
	switch {
	case stale:
		return StaleState, ""
	case unknown:
		return Unknown, ""
	case len(checks) > 0 && current > 0:
		return Passing, EvidenceBoth
	case len(checks) > 0:
		return Passing, EvidenceAutomated
	case current > 0:
		return Passing, EvidenceDocumented
	}
	return NoEvidence, ""
}
