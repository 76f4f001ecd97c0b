package export

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
)

var q = dbsqlc.New()

// Filter selects the records of an export. Zero fields do not filter.
type Filter struct {
	Kind         string
	ConnectionID *uuid.UUID
	// From and To bound collected_at: From inclusive, To exclusive.
	From, To *time.Time
	// Kinds, when not nil, keeps only these kinds (empty keeps nothing): the
	// evidence of a control is that of the kinds supporting its criterion.
	Kinds []string
	// AssessmentID keeps only the records included in that assessment.
	AssessmentID *uuid.UUID
}

// Evidence calls fn with each record the filter selects, oldest first
// (collected_at, then id), as the rows arrive from ONE query: memory stays
// constant whatever the number of records. The row's bytes are valid only
// during the call. It returns how many fn accepted;
// an error from fn stops the export and is returned.
func Evidence(ctx context.Context, tx pgx.Tx, f Filter, fn func(Row) error) (int, error) {
	if f.AssessmentID == nil {
		// Read the records in index order rather than sorting them. Under
		// row-level security the planner cannot use the kind column's
		// statistics (they could leak other tenants' values), guesses that
		// 0.5% of the organization's rows match and picks a sort, which for
		// a large export spills hundreds of megabytes to disk before the
		// first row arrives. An assessment's set is small: let it sort.
		if err := db.SetLocalSort(ctx, tx, false); err != nil {
			return 0, err
		}
		defer db.SetLocalSort(context.WithoutCancel(ctx), tx, true) //nolint:errcheck // a failed reset fails the transaction's next statement
	}
	rows, err := stream(ctx, tx, func(db dbsqlc.DBTX) error {
		_, err := q.ExportEvidence(ctx, db, dbsqlc.ExportEvidenceParams{Kind: f.Kind, Kinds: f.Kinds,
			ConnectionID: f.ConnectionID, CollectedFrom: f.From, CollectedTo: f.To, AssessmentID: f.AssessmentID})
		return err
	})
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	var r Row
	for rows.Next() {
		// The columns of dbsqlc.ExportEvidenceRow, in its order. The bytes
		// stay the driver's: nothing is copied or allocated per row.
		if err := rows.Scan((*pgtype.DriverBytes)(&r.Connection), (*pgtype.DriverBytes)(&r.Kind), (*pgtype.DriverBytes)(&r.Subject),
			&r.ObservedAt, &r.CollectedAt, (*pgtype.DriverBytes)(&r.Fingerprint), (*pgtype.DriverBytes)(&r.Payload)); err != nil {
			return n, fmt.Errorf("export: read evidence: %w", err)
		}
		if err := fn(r); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("export: read evidence: %w", err)
	}
	return n, nil
}

// Fingerprints calls fn with the fingerprints of an assessment's included
// records, sorted bytewise, as they arrive; it returns how many there were.
func Fingerprints(ctx context.Context, tx pgx.Tx, assessmentID uuid.UUID, fn func([]byte) error) (int, error) {
	rows, err := stream(ctx, tx, func(db dbsqlc.DBTX) error {
		_, err := q.ExportFingerprints(ctx, db, assessmentID)
		return err
	})
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	var fp []byte
	for rows.Next() {
		if err := rows.Scan(&fp); err != nil {
			return n, fmt.Errorf("export: read fingerprints: %w", err)
		}
		if err := fn(fp); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("export: read fingerprints: %w", err)
	}
	return n, nil
}

// stream runs a sqlc query without loading its rows. sqlc stays the single
// home of the SQL (queries/export.sql, checked against the schema), but its
// :many methods collect every row into a slice, which a million-row export
// cannot afford. So call runs the generated method against capture, which
// records the statement and arguments it would send and stops it there; the
// same statement then runs on tx and its rows are returned open, for the
// caller to read one at a time.
func stream(ctx context.Context, tx pgx.Tx, call func(dbsqlc.DBTX) error) (pgx.Rows, error) {
	var c capture
	if err := call(&c); !errors.Is(err, errCaptured) {
		return nil, fmt.Errorf("export: capture query: %w", err)
	}
	rows, err := tx.Query(ctx, c.sql, c.args...)
	if err != nil {
		return nil, fmt.Errorf("export: query: %w", err)
	}
	return rows, nil
}

var errCaptured = errors.New("export: query captured")

// capture is a dbsqlc.DBTX that records one Query and runs nothing.
type capture struct {
	sql  string
	args []any
}

func (c *capture) Query(_ context.Context, sql string, args ...any) (pgx.Rows, error) {
	c.sql, c.args = sql, args
	return nil, errCaptured
}

func (c *capture) Exec(context.Context, string, ...any) (pgconn.CommandTag, error) {
	return pgconn.CommandTag{}, errCaptured
}

func (c *capture) QueryRow(context.Context, string, ...any) pgx.Row { return errRow{} }

type errRow struct{}

func (errRow) Scan(...any) error { return errCaptured }
