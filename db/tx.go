package db

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Beginner starts transactions; *pgxpool.Pool and pgx.Tx satisfy it.
type Beginner interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// InOrg runs fn in a transaction scoped to one organization: row-level
// security shows fn that organization's rows and nothing else. The setting is
// transaction-local, so nothing leaks to the next user of the connection. The
// transaction commits when fn returns nil and rolls back otherwise.
func InOrg(ctx context.Context, b Beginner, orgID uuid.UUID, fn func(pgx.Tx) error) error {
	if orgID == uuid.Nil {
		return fmt.Errorf("db: InOrg without an organization")
	}
	return inScope(ctx, b, "app.org_id", orgID, fn)
}

// AsUser runs fn in a transaction that sees one user's own memberships and the
// organizations they belong to, before any organization is chosen.
func AsUser(ctx context.Context, b Beginner, userID uuid.UUID, fn func(pgx.Tx) error) error {
	if userID == uuid.Nil {
		return fmt.Errorf("db: AsUser without a user")
	}
	return inScope(ctx, b, "app.user_id", userID, fn)
}

// ScopeToOrg narrows a transaction begun by AsUser to one organization the
// user was found to belong to, so it also sees that organization's rows.
func ScopeToOrg(ctx context.Context, tx pgx.Tx, orgID uuid.UUID) error {
	if _, err := tx.Exec(ctx, "SELECT set_config('app.org_id', $1, true)", orgID.String()); err != nil {
		return fmt.Errorf("db: scope transaction: %w", err)
	}
	return nil
}

// Tx runs fn in a transaction with no tenant scope: it reaches only the global
// tables (users, sessions, sign-in attempts) and the system_ids function.
func Tx(ctx context.Context, b Beginner, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, b, fn)
}

func inScope(ctx context.Context, b Beginner, setting string, id uuid.UUID, fn func(pgx.Tx) error) error {
	// A pool begins and scopes the transaction in one round trip: the
	// setting rides in the BEGIN statement (both values are ours: a constant
	// name and a formatted UUID, so nothing can be injected).
	if p, ok := b.(txBeginner); ok {
		begin := "BEGIN; SELECT set_config('" + setting + "', '" + id.String() + "', true)"
		return pgx.BeginTxFunc(ctx, p, pgx.TxOptions{BeginQuery: begin}, fn)
	}
	return pgx.BeginFunc(ctx, b, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config($1, $2, true)", setting, id.String()); err != nil {
			return fmt.Errorf("db: scope transaction: %w", err)
		}
		return fn(tx)
	})
}

// txBeginner is what a pool offers beyond Beginner.
type txBeginner interface {
	BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error)
}
