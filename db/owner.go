package db

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// AsOwner runs fn in a transaction on a connection of the role that owns the
// schema (ownerURL, DATABASE_URL), without switching to the application
// role. It is for the operator commands that grant what the application role
// must never be able to grant itself (making a platform operator), never for
// request handling or jobs.
func AsOwner(ctx context.Context, ownerURL string, fn func(pgx.Tx) error) error {
	conn, err := pgx.Connect(ctx, ownerURL)
	if err != nil {
		return fmt.Errorf("db: connect as the schema owner: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	registerUUID(conn.TypeMap())
	return pgx.BeginFunc(ctx, conn, fn)
}
