package syncer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/connector"
)

// storeChecks applies active exclusions and records each check's result and
// failing subjects. An excluded subject stays listed (marked excluded on the
// pages) but no longer fails the check; a check whose every failing subject
// is excluded passes. An unknown check keeps its last known subjects.
func (s *Syncer) storeChecks(ctx context.Context, tx pgx.Tx, st runStart, results []connector.CheckResult, now time.Time) error {
	excl, err := q.CheckExclusionsActive(ctx, tx, dbsqlc.CheckExclusionsActiveParams{ConnectionID: st.conn.ID, Now: now})
	if err != nil {
		return fmt.Errorf("syncer: read exclusions: %w", err)
	}
	excluded := map[[2]string]bool{}
	for _, e := range excl {
		excluded[[2]string{e.CheckKey, e.SubjectKey}] = true
	}
	previous, err := q.CheckCurrentDigests(ctx, tx, st.conn.ID)
	if err != nil {
		return fmt.Errorf("syncer: read previous results: %w", err)
	}
	lastDigest := map[string][]byte{}
	for _, p := range previous {
		lastDigest[p.CheckKey] = p.FailingDigest
	}
	for _, r := range results {
		nExcluded := 0
		list := failingList{keys: make([]string, 0, len(r.Failing)), labels: make([]string, 0, len(r.Failing)), details: make([]string, 0, len(r.Failing))}
		for _, f := range r.Failing {
			if excluded[[2]string{r.Key, f.Key}] {
				nExcluded++
			}
			list.add(f.Key, f.Label, f.Detail)
		}
		var digest []byte
		if r.Status != connector.CheckUnknown {
			digest = failingDigest(list)
		}
		status, reason := r.Status, r.Reason
		if status == connector.CheckFail && nExcluded == len(r.Failing) && nExcluded > 0 {
			status = connector.CheckPass
			reason = fmt.Sprintf("Passes with %d excluded subject(s): %s", nExcluded, r.Reason)
		}
		res, err := q.CheckResultInsert(ctx, tx, dbsqlc.CheckResultInsertParams{
			OrgID: st.conn.OrgID, ConnectionID: st.conn.ID, RunID: st.run.ID, CheckKey: r.Key, Status: string(status), Reason: reason,
			SubjectsTotal: int32(r.Total), SubjectsFailing: int32(len(r.Failing) - nExcluded), SubjectsExcluded: int32(nExcluded),
			FailingDigest: digest, EvaluatedAt: now,
		})
		if err != nil {
			return fmt.Errorf("syncer: record check %s: %w", r.Key, err)
		}
		if err := q.CheckCurrentSet(ctx, tx, res.ID); err != nil {
			return fmt.Errorf("syncer: make check %s current: %w", r.Key, err)
		}
		if r.Status == connector.CheckUnknown || bytes.Equal(digest, lastDigest[r.Key]) {
			continue
		}
		if err := replaceFailures(ctx, tx, st, r.Key, list, now); err != nil {
			return err
		}
	}
	return nil
}

// failingDigest fingerprints a list of failing subjects (already in a
// stable order).
func failingDigest(l failingList) []byte {
	h := sha256.New()
	for i := range l.keys {
		for _, part := range []string{l.keys[i], l.labels[i], l.details[i]} {
			var n [8]byte
			binary.BigEndian.PutUint64(n[:], uint64(len(part)))
			h.Write(n[:])
			h.Write([]byte(part))
		}
	}
	return h.Sum(nil)
}

// lastCursors returns each event dataset's newest cursor from finished runs.
func lastCursors(ctx context.Context, tx pgx.Tx, connID uuid.UUID) (map[string]string, error) {
	rows, err := q.RunLastDatasets(ctx, tx, connID)
	if err != nil {
		return nil, fmt.Errorf("syncer: read cursors: %w", err)
	}
	cursors := map[string]string{}
	for _, raw := range rows {
		var ds map[string]DatasetOutcome
		if json.Unmarshal(raw, &ds) != nil {
			continue
		}
		for k, d := range ds {
			if _, seen := cursors[k]; !seen && d.Status == connector.DatasetOK && d.Cursor != "" {
				cursors[k] = d.Cursor
			}
		}
	}
	return cursors, nil
}
