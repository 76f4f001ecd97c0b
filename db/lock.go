package db

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

// TryLock takes the advisory lock key for as long as the caller works,
// without waiting: ok is false when another holder has it. The lock is
// transaction-scoped, held by a transaction of its own that stays open (and
// exempt from the idle-in-transaction limit) until release, so it holds
// through a transaction pooler too, where a session lock would stay behind on
// a server connection other clients then reuse. release never fails: a
// rollback that cannot reach the server ends with the server's session.
func TryLock(ctx context.Context, pool *pgxpool.Pool, key int64) (release func(), ok bool, err error) {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("db: begin lock transaction: %w", err)
	}
	release = func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }
	err = tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock($1) FROM set_config('idle_in_transaction_session_timeout', '0', true)`, key).Scan(&ok)
	if err != nil || !ok {
		release()
		if err != nil {
			return nil, false, fmt.Errorf("db: take lock: %w", err)
		}
		return nil, false, nil
	}
	return release, true, nil
}
