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
)

// Statuses lists the control statuses in display order.
var Statuses = []string{Passing, Failing, StaleState, Unknown, NoEvidence}

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

// Input is everything coverage is computed from.
type Input struct {
	// Criteria are the controls in scope.
	Criteria  []Criterion
	Checks    []CheckInput
	Documents []DocumentInput
}

// Control is one criterion with its status and what supports it.
type Control struct {
	Criterion
	Status string
	Checks []CheckInput
	// NewestEvidence is the latest successful sync among its checks'
	// connections.
	NewestEvidence *time.Time
}

// Report is the coverage of an organization.
type Report struct {
	Controls []Control
	Counts   map[string]int
	InScope  int
	// Coverage is passing controls over controls in scope, from 0 to 1.
	Coverage float64
}

// Compute derives each control's status from the checks that support it:
//
//	no evidence  no check supports it yet
//	failing      a check on fresh evidence fails
//	stale        otherwise, a check's evidence is older than its stale threshold
//	unknown      otherwise, a check could not be evaluated
//	passing      every check passes on fresh evidence
//
// Coverage counts only passing controls: unknown, stale and no evidence
// never count as passing. The dashboard, the control pages, assessments and
// exports all call this one function.
func Compute(in Input) Report {
	// Size each control's list first: with many connections the lists are
	// long and this runs on every dashboard request.
	sizes := map[string]int{}
	for _, c := range in.Checks {
		for _, id := range c.Criteria {
			sizes[id]++
		}
	}
	byCriterion := make(map[string][]CheckInput, len(sizes))
	for id, n := range sizes {
		byCriterion[id] = make([]CheckInput, 0, n)
	}
	for _, c := range in.Checks {
		for _, id := range c.Criteria {
			byCriterion[id] = append(byCriterion[id], c)
		}
	}
	r := Report{Counts: map[string]int{}, InScope: len(in.Criteria), Controls: make([]Control, 0, len(in.Criteria))}
	for _, s := range Statuses {
		r.Counts[s] = 0
	}
	for _, crit := range in.Criteria {
		ctl := Control{Criterion: crit, Checks: byCriterion[crit.ID]}
		ctl.Status = statusOf(ctl.Checks)
		for _, c := range ctl.Checks {
			if c.LastSuccess != nil && (ctl.NewestEvidence == nil || c.LastSuccess.After(*ctl.NewestEvidence)) {
				t := *c.LastSuccess
				ctl.NewestEvidence = &t
			}
		}
		r.Counts[ctl.Status]++
		r.Controls = append(r.Controls, ctl)
	}
	if r.InScope > 0 {
		r.Coverage = float64(r.Counts[Passing]) / float64(r.InScope)
	}
	return r
}

func statusOf(checks []CheckInput) string {
	if len(checks) == 0 {
		return NoEvidence
	}
	var stale, unknown bool
	for _, c := range checks {
		switch {
		case !c.Fresh:
			stale = true
		case c.Status == "fail":
			return Failing
		case c.Status != "pass":
			unknown = true
		}
	}
	switch {
	case stale:
		return StaleState
	case unknown:
		return Unknown
	}
	return Passing
}
