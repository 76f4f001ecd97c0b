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
	return inScope(ctx, b, orgSetting, orgID, fn)
}

// ReadInOrg runs fn in a read-only transaction scoped to one organization,
// as InOrg does, that sees one snapshot of the database throughout
// (REPEATABLE READ): what fn reads is consistent across its statements, as
// of the first of them. Inside another transaction it is a savepoint of it,
// which sees what that transaction sees.
func ReadInOrg(ctx context.Context, b Beginner, orgID uuid.UUID, fn func(pgx.Tx) error) error {
	if orgID == uuid.Nil {
		return fmt.Errorf("db: ReadInOrg without an organization")
	}
	return scoped(ctx, b, snapshotBegin, orgSetting, orgID, fn)
}

// AsUser runs fn in a transaction that sees one user's own memberships and the
// organizations they belong to, before any organization is chosen.
func AsUser(ctx context.Context, b Beginner, userID uuid.UUID, fn func(pgx.Tx) error) error {
	if userID == uuid.Nil {
		return fmt.Errorf("db: AsUser without a user")
	}
	return inScope(ctx, b, userSetting, userID, fn)
}

// BeginInOrg opens a transaction scoped to one organization, as InOrg does,
// and hands it to the caller, for work whose life does not fit in one
// function call (a dataset writer that takes pages while the connector
// fetches the next ones). The caller must Commit or Rollback it.
func BeginInOrg(ctx context.Context, b Beginner, orgID uuid.UUID) (pgx.Tx, error) {
	if orgID == uuid.Nil {
		return nil, fmt.Errorf("db: BeginInOrg without an organization")
	}
	if p, ok := b.(txBeginner); ok {
		tx, err := p.BeginTx(ctx, pgx.TxOptions{BeginQuery: "BEGIN; " + scopeQuery(orgSetting, orgID)})
		if err != nil {
			return nil, fmt.Errorf("db: begin in organization: %w", err)
		}
		return tx, nil
	}
	tx, err := b.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: begin in organization: %w", err)
	}
	if err := setScope(ctx, tx, orgSetting, orgID); err != nil {
		_ = tx.Rollback(context.WithoutCancel(ctx))
		return nil, err
	}
	return tx, nil
}

// ScopeToOrg narrows a transaction begun by AsUser (or Tx) to one
// organization the caller was found to be allowed to see, so it also sees
// that organization's rows; uuid.Nil takes the scope away again.
func ScopeToOrg(ctx context.Context, tx pgx.Tx, orgID uuid.UUID) error {
	return setScope(ctx, tx, orgSetting, orgID)
}

// ScopeToUser lets a transaction see one user's own memberships, as AsUser
// does from its start; uuid.Nil takes the scope away again.
func ScopeToUser(ctx context.Context, tx pgx.Tx, userID uuid.UUID) error {
	return setScope(ctx, tx, userSetting, userID)
}

// The transaction-local settings row-level security reads.
const (
	orgSetting  = "app.org_id"
	userSetting = "app.user_id"
)

// setScope sets one of the settings row-level security reads for the rest
// of tx; uuid.Nil clears it (a cleared setting matches no row).
func setScope(ctx context.Context, tx pgx.Tx, setting string, id uuid.UUID) error {
	value := ""
	if id != uuid.Nil {
		value = id.String()
	}
	if _, err := tx.Exec(ctx, "SELECT set_config($1, $2, true)", setting, value); err != nil {
		return fmt.Errorf("db: scope transaction: %w", err)
	}
	return nil
}

// scopeQuery scopes a transaction, sent with its BEGIN so a pool begins and
// scopes in one round trip. Both values are ours (a constant name and a
// formatted UUID), so nothing can be injected.
func scopeQuery(setting string, id uuid.UUID) string {
	return "SELECT set_config('" + setting + "', '" + id.String() + "', true)"
}

// Tx runs fn in a transaction with no tenant scope: it reaches only the global
// tables (users, sessions, sign-in attempts) and the system_ids function.
func Tx(ctx context.Context, b Beginner, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, b, fn)
}

func inScope(ctx context.Context, b Beginner, setting string, id uuid.UUID, fn func(pgx.Tx) error) error {
	return scoped(ctx, b, "BEGIN", setting, id, fn)
}

// snapshotBegin begins a read-only transaction on one snapshot.
const snapshotBegin = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

// scoped runs fn in a transaction begun by begin and scoped by setting; on
// a pool, beginning and scoping are one round trip.
func scoped(ctx context.Context, b Beginner, begin, setting string, id uuid.UUID, fn func(pgx.Tx) error) error {
	if p, ok := b.(txBeginner); ok {
		return pgx.BeginTxFunc(ctx, p, pgx.TxOptions{BeginQuery: begin + "; " + scopeQuery(setting, id)}, fn)
	}
	return pgx.BeginFunc(ctx, b, func(tx pgx.Tx) error {
		if err := setScope(ctx, tx, setting, id); err != nil {
			return err
		}
		return fn(tx)
	})
}

// txBeginner is what a pool offers beyond Beginner.
type txBeginner interface {
	BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error)
}
