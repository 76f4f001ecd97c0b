package audit

import (
	"bytes"
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db/dbsqlc"
)

// Break describes the first place a chain stops verifying.
type Break struct {
	Seq    int64
	Reason string
}

// Report is the outcome of verifying one organization's chain.
type Report struct {
	OrgID uuid.UUID
	Rows  int64
	// Break is nil when the whole chain verifies.
	Break *Break
}

const verifyPage = 1000

// Verify walks an organization's chain in order inside tx (scoped to orgID)
// and reports the first row whose sequence, link or hash does not hold, or a
// head that does not match the last row.
func Verify(ctx context.Context, tx pgx.Tx, orgID uuid.UUID) (Report, error) {
	rep := Report{OrgID: orgID}
	prev := genesis
	var last int64
	for {
		rows, err := q.AuditChainPage(ctx, tx, dbsqlc.AuditChainPageParams{OrgID: orgID, AfterSeq: last, MaxRows: verifyPage})
		if err != nil {
			return rep, fmt.Errorf("audit: verify: %w", err)
		}
		for _, r := range rows {
			if b := checkRow(r, last, prev); b != nil {
				rep.Break = b
				return rep, nil
			}
			prev, last = r.Hash, r.Seq
			rep.Rows++
		}
		if len(rows) < verifyPage {
			break
		}
	}
	head, err := q.AuditHeadGet(ctx, tx, orgID)
	if err != nil {
		return rep, fmt.Errorf("audit: verify: read head: %w", err)
	}
	if head.Seq != last || !bytes.Equal(head.Hash, prev) {
		rep.Break = &Break{Seq: last + 1, Reason: fmt.Sprintf("chain head is at row %d but the log ends at row %d: rows are missing", head.Seq, last)}
	}
	return rep, nil
}

func checkRow(r dbsqlc.AuditLog, lastSeq int64, prev []byte) *Break {
	if r.Seq != lastSeq+1 {
		return &Break{Seq: lastSeq + 1, Reason: fmt.Sprintf("row %d is missing (next row is %d)", lastSeq+1, r.Seq)}
	}
	if !bytes.Equal(r.PrevHash, prev) {
		return &Break{Seq: r.Seq, Reason: "previous-hash link does not match the row before it"}
	}
	canon, err := canonicalJSON(r.Details)
	if err != nil {
		return &Break{Seq: r.Seq, Reason: "details are not valid JSON"}
	}
	row := chainRow{
		OrgID: r.OrgID, Seq: r.Seq, OccurredAt: r.OccurredAt, ActorType: r.ActorType, ActorID: r.ActorID,
		ActorLabel: r.ActorLabel, Action: r.Action, TargetType: r.TargetType, TargetID: r.TargetID,
		Details: canon, IP: r.IP, RequestID: r.RequestID, PrevHash: r.PrevHash,
	}
	if !bytes.Equal(row.hash(), r.Hash) {
		return &Break{Seq: r.Seq, Reason: "row content does not match its hash: it was altered after it was written"}
	}
	return nil
}
