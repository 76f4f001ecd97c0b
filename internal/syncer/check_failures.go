package syncer

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db/dbsqlc"
)

// failingList is a check's failing subjects as parallel columns, in the
// check's order.
type failingList struct {
	keys, labels, details []string
}

func (l *failingList) add(key, label, detail string) {
	l.keys, l.labels, l.details = append(l.keys, key), append(l.labels, label), append(l.details, detail)
}

// replaceFailures makes list the check's failing subjects, writing only the
// difference from the stored ones: subjects that start failing are added
// (failing since now), ones whose label or detail changed are updated and
// keep their "since", ones that stopped failing are removed, and the rest
// are not written at all. Rewriting the whole list cost a 50,000-user
// resync in which one more account went inactive 45 ms for 4,150 rows, as
// much as the rest of its work after the last page.
func replaceFailures(ctx context.Context, tx pgx.Tx, st runStart, check string, list failingList, now time.Time) error {
	stored, err := q.CheckFailuresOf(ctx, tx, dbsqlc.CheckFailuresOfParams{ConnectionID: st.conn.ID, CheckKey: check})
	if err != nil {
		return fmt.Errorf("syncer: read failing subjects of %s: %w", check, err)
	}
	was := make(map[string]dbsqlc.CheckFailuresOfRow, len(stored))
	for _, s := range stored {
		was[s.SubjectKey] = s
	}
	var added, changed failingList
	for i, key := range list.keys {
		old, ok := was[key]
		delete(was, key)
		switch {
		case !ok:
			added.add(key, list.labels[i], list.details[i])
		case old.SubjectLabel != list.labels[i] || old.Detail != list.details[i]:
			changed.add(key, list.labels[i], list.details[i])
		}
	}
	if len(was) > 0 {
		gone := make([]string, 0, len(was))
		for key := range was {
			gone = append(gone, key)
		}
		if err := q.CheckFailuresRemove(ctx, tx, dbsqlc.CheckFailuresRemoveParams{ConnectionID: st.conn.ID, CheckKey: check, SubjectKeys: gone}); err != nil {
			return fmt.Errorf("syncer: remove failing subjects of %s: %w", check, err)
		}
	}
	if len(changed.keys) > 0 {
		if err := q.CheckFailuresUpdate(ctx, tx, dbsqlc.CheckFailuresUpdateParams{ConnectionID: st.conn.ID, CheckKey: check,
			SubjectKeys: changed.keys, SubjectLabels: changed.labels, Details: changed.details}); err != nil {
			return fmt.Errorf("syncer: update failing subjects of %s: %w", check, err)
		}
	}
	if len(added.keys) > 0 {
		if err := q.CheckFailuresAdd(ctx, tx, dbsqlc.CheckFailuresAddParams{OrgID: st.conn.OrgID, ConnectionID: st.conn.ID, CheckKey: check,
			SubjectKeys: added.keys, SubjectLabels: added.labels, Details: added.details, Now: now}); err != nil {
			return fmt.Errorf("syncer: add failing subjects of %s: %w", check, err)
		}
	}
	return nil
}
