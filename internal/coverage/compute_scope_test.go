package coverage

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// checkState is one check's result on fresh or stale evidence.
type checkState struct {
	status string
	fresh  bool
}

// docState is one document supporting the criterion.
type docState string

const (
	docCurrent docState = "current"
	docLapsed  docState = "lapsed"
	docEmpty   docState = "no revision"
)

// combinations lists every sequence of up to n items drawn from states.
func combinations[T any](states []T, n int) [][]T {
	out := [][]T{nil}
	prev := [][]T{nil}
	for range n {
		var next [][]T
		for _, p := range prev {
			for _, s := range states {
				next = append(next, append(append([]T(nil), p...), s))
			}
		}
		out = append(out, next...)
		prev = next
	}
	return out
}

// TestStatusOfChecksDocumentsAndScope enumerates up to two checks (pass,
// fail or unknown, on fresh or stale evidence) times up to two documents
// (current, lapsed, or with no revision yet) times in or out of scope, and
// compares each control's status, its evidence and the coverage with the
// rules of issue 16 stated independently here.
func TestStatusOfChecksDocumentsAndScope(t *testing.T) {
	t.Parallel()
	var cs []checkState
	for _, s := range []string{"pass", "fail", "unknown"} {
		cs = append(cs, checkState{s, true}, checkState{s, false})
	}
	checkCombos := combinations(cs, 2)
	docCombos := combinations([]docState{docCurrent, docLapsed, docEmpty}, 2)
	require.Len(t, checkCombos, 1+6+36)
	require.Len(t, docCombos, 1+3+9)
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	cases := 0
	for _, checks := range checkCombos {
		for _, docs := range docCombos {
			for _, notApplicable := range []bool{false, true} {
				in := Input{Criteria: InScope(nil)}
				failing, staleCheck, unknown, passingChecks := false, false, false, 0
				for i, c := range checks {
					in.Checks = append(in.Checks, CheckInput{CheckKey: fmt.Sprint(i), Criteria: []string{"CC1.1"}, Status: c.status, Fresh: c.fresh})
					failing = failing || (c.fresh && c.status == "fail")
					staleCheck = staleCheck || !c.fresh
					unknown = unknown || (c.fresh && c.status == "unknown")
					if c.fresh && c.status == "pass" {
						passingChecks++
					}
				}
				lapsed, current := false, 0
				for i, d := range docs {
					doc := DocumentInput{DocumentID: uuid.New(), Title: fmt.Sprint("doc ", i), Criteria: []string{"CC1.1", "CC1.2"}, ReviewDue: now}
					if d != docEmpty {
						at := now.AddDate(0, -1, 0)
						doc.LatestRevisionAt = &at
						doc.Current = d == docCurrent
					}
					in.Documents = append(in.Documents, doc)
					lapsed = lapsed || d == docLapsed
					if d == docCurrent {
						current++
					}
				}
				if notApplicable {
					in.NotApplicable = map[string]Exemption{"CC1.1": {Justification: "No board: a sole proprietorship", MarkedBy: "owner@acme.test", MarkedAt: now}}
				}

				want, evidence := NoEvidence, ""
				switch {
				case notApplicable:
					want = NotApplicable
				case failing:
					want = Failing
				case staleCheck || lapsed:
					want = StaleState
				case unknown:
					want = Unknown
				case passingChecks > 0 && passingChecks == len(checks) && current > 0:
					want, evidence = Passing, EvidenceBoth
				case passingChecks > 0 && passingChecks == len(checks):
					want, evidence = Passing, EvidenceAutomated
				case len(checks) == 0 && current > 0:
					want, evidence = Passing, EvidenceDocumented
				}

				r := Compute(in)
				ctl := r.Controls[0]
				require.Equal(t, "CC1.1", ctl.ID)
				desc := fmt.Sprintf("checks %+v documents %v not applicable %t", checks, docs, notApplicable)
				require.Equal(t, want, ctl.Status, desc)
				require.Equal(t, evidence, ctl.Evidence, desc)
				require.Len(t, ctl.Documents, len(docs), desc)
				if notApplicable {
					require.Equal(t, "No board: a sole proprietorship", ctl.NotApplicable.Justification, desc)
					require.Equal(t, 32, r.InScope, desc)
				} else {
					require.Nil(t, ctl.NotApplicable, desc)
					require.Equal(t, 33, r.InScope, desc)
				}
				passing := r.Counts[Passing]
				require.InDelta(t, float64(passing)/float64(r.InScope), r.Coverage, 1e-9, desc)
				cases++
			}
		}
	}
	require.Equal(t, 43*13*2, cases)
}

// TestNotApplicableLeavesTheDenominator: with every criterion but one
// marked not applicable and that one passing on a document, coverage is 100%.
func TestNotApplicableLeavesTheDenominator(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	in := Input{Criteria: InScope(nil), NotApplicable: map[string]Exemption{}}
	for _, c := range in.Criteria[1:] {
		in.NotApplicable[c.ID] = Exemption{Justification: "Out of the system's boundary", MarkedAt: now}
	}
	in.Documents = []DocumentInput{{DocumentID: uuid.New(), Title: "Code of conduct", Criteria: []string{in.Criteria[0].ID}, Current: true, LatestRevisionAt: &now}}
	r := Compute(in)
	require.Equal(t, 1, r.InScope)
	require.Equal(t, 32, r.Counts[NotApplicable])
	require.InDelta(t, 1.0, r.Coverage, 1e-9)
	require.Equal(t, now, *r.Controls[0].NewestEvidence)

	// Everything not applicable: nothing in scope, coverage 0 rather than NaN.
	in.NotApplicable[in.Criteria[0].ID] = Exemption{Justification: "Out of the system's boundary"}
	r = Compute(in)
	require.Zero(t, r.InScope)
	require.Zero(t, r.Coverage)
}
