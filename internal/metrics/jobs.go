package metrics

import (
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// jobEvents are the River events that end a job's attempt.
var jobEvents = []river.EventKind{
	river.EventKindJobCompleted, river.EventKindJobCancelled, river.EventKindJobFailed, river.EventKindJobSnoozed,
}

// WatchJobs counts the outcome of every job client works, until the client
// stops. It subscribes at once, so call it before starting the client; the
// client must work jobs (River refuses a subscription on an insert-only
// client).
func (s *Set) WatchJobs(client *river.Client[pgx.Tx]) {
	if s == nil {
		return
	}
	events, _ := client.Subscribe(jobEvents...)
	go func() {
		// River closes the channel when the client stops.
		for ev := range events {
			if ev.Job != nil {
				s.jobOutcomes.WithLabelValues(ev.Job.Queue, ev.Job.Kind, outcome(ev)).Inc()
			}
		}
	}()
}

// outcome names how an attempt ended: a failure is retryable or, once the
// attempts are used up, discarded.
func outcome(ev *river.Event) string {
	switch ev.Kind {
	case river.EventKindJobCompleted:
		return "completed"
	case river.EventKindJobCancelled:
		return "cancelled"
	case river.EventKindJobSnoozed:
		return "snoozed"
	}
	if ev.Job.State == rivertype.JobStateDiscarded {
		return "discarded"
	}
	return "retryable"
}

// OrgJobFailed counts one organization a periodic job of the given kind
// could not process.
func (s *Set) OrgJobFailed(kind string) {
	if s == nil {
		return
	}
	s.orgJobFailures.WithLabelValues(kind).Inc()
}
