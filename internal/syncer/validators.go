package syncer

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/connector"
)

// validatorStore keeps one connection's conditional-request validators in
// conditional_validators, each Get and Put in its own short transaction
// (a sync's requests are serial, and a stored answer stays true whether the
// run succeeds or not). StoredAt is the connector's, kept as given.
type validatorStore struct {
	pool   *pgxpool.Pool
	orgID  uuid.UUID
	connID uuid.UUID
}

// Get returns the answer stored for url.
func (v validatorStore) Get(ctx context.Context, url string) (connector.Validated, bool, error) {
	var row dbsqlc.ValidatorGetRow
	err := db.InOrg(ctx, v.pool, v.orgID, func(tx pgx.Tx) error {
		var err error
		row, err = q.ValidatorGet(ctx, tx, dbsqlc.ValidatorGetParams{ConnectionID: v.connID, Url: url})
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return connector.Validated{}, false, nil
	}
	if err != nil {
		return connector.Validated{}, false, fmt.Errorf("syncer: read validator: %w", err)
	}
	return connector.Validated{Validator: row.Validator, Body: row.Body, Links: row.Links, StoredAt: row.StoredAt}, true, nil
}

// Put stores the answer for url.
func (v validatorStore) Put(ctx context.Context, url string, val connector.Validated) error {
	err := db.InOrg(ctx, v.pool, v.orgID, func(tx pgx.Tx) error {
		return q.ValidatorPut(ctx, tx, dbsqlc.ValidatorPutParams{OrgID: v.orgID, ConnectionID: v.connID, Url: url,
			Validator: val.Validator, Body: val.Body, Links: val.Links, Now: val.StoredAt})
	})
	if err != nil {
		return fmt.Errorf("syncer: store validator: %w", err)
	}
	return nil
}
