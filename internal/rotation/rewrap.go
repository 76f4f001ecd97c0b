package rotation

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/keyring"
	"github.com/attesthq/attest/internal/vault"
)

var q = dbsqlc.New()

// Service rotates the keys of organizations through the vault's keyring:
// its current wrapper is the key to move to, its previous ones the keys to
// move from.
type Service struct {
	Pool  *pgxpool.Pool
	Clock clock.Clock
	Vault *vault.Vault
}

// Outcome is what rewrapping did to one organization.
type Outcome string

// Outcomes of a rewrap.
const (
	// Rewrapped: the data key is now wrapped by the current key.
	Rewrapped Outcome = "rewrapped"
	// Current: the current key already wrapped it; nothing changed.
	Current Outcome = "already current"
	// NoDataKey: the organization has sealed nothing yet, so it has no data
	// key; its first will be made with the current key.
	NoDataKey Outcome = "no data key yet"
	// Failed: nothing changed; OrgResult.Err says why.
	Failed Outcome = "failed"
)

// OrgResult is one organization's rewrap.
type OrgResult struct {
	OrgID   uuid.UUID
	Slug    string
	Outcome Outcome
	// From names the key that wrapped the data key before (empty without
	// one), To the current key.
	From, To string
	Err      error
}

// Summary is a rotation's results, in the order the organizations were
// visited.
type Summary struct {
	Orgs []OrgResult
}

// Count returns how many organizations had outcome o.
func (s Summary) Count(o Outcome) int {
	n := 0
	for _, r := range s.Orgs {
		if r.Outcome == o {
			n++
		}
	}
	return n
}

// RewrapAll rewraps every organization's data key under the current key,
// one organization per transaction. An organization that fails is reported
// in the summary and the others go on; a cancelled ctx stops the rotation
// after the organization in progress and returns an error with the summary
// so far. Running it again finishes what is left.
func (s *Service) RewrapAll(ctx context.Context, actor audit.Actor) (Summary, error) {
	var ids []uuid.UUID
	err := db.Tx(ctx, s.Pool, func(tx pgx.Tx) error {
		var err error
		ids, err = account.SystemIDs(ctx, tx, "organization", s.Clock.Now())
		return err
	})
	if err != nil {
		return Summary{}, fmt.Errorf("rotation: list organizations: %w", err)
	}
	var sum Summary
	for i, id := range ids {
		sum.Orgs = append(sum.Orgs, s.RewrapOrg(ctx, id, actor))
		if err := ctx.Err(); err != nil {
			return sum, fmt.Errorf("rotation: interrupted at organization %d of %d; run it again to finish: %w", i+1, len(ids), err)
		}
	}
	return sum, nil
}

// RewrapOrg rewraps one organization's data key under the current key, in
// one transaction that locks the organization's row, and audits it as
// keys.rewrap. A data key already under the current key is left alone.
func (s *Service) RewrapOrg(ctx context.Context, orgID uuid.UUID, actor audit.Actor) OrgResult {
	kr := s.Vault.Keyring
	res := OrgResult{OrgID: orgID, To: kr.CurrentID()}
	err := db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		org, err := q.OrgKeyGetForUpdate(ctx, tx, orgID)
		if err != nil {
			return fmt.Errorf("rotation: lock organization: %w", err)
		}
		res.Slug, res.From = org.Slug, keyring.WrappedBy(org.WrappedDataKey)
		switch {
		case org.WrappedDataKey == nil:
			res.Outcome = NoDataKey
			return nil
		case !kr.NeedsRewrap(org.WrappedDataKey):
			res.Outcome = Current
			return nil
		}
		wrapped, _, err := kr.Rewrap(ctx, orgID, org.WrappedDataKey)
		if err != nil {
			return fmt.Errorf("rotation: rewrap data key: %w", err)
		}
		if err := q.OrgSetDataKey(ctx, tx, dbsqlc.OrgSetDataKeyParams{ID: orgID, WrappedDataKey: wrapped}); err != nil {
			return fmt.Errorf("rotation: store data key: %w", err)
		}
		res.Outcome = Rewrapped
		return audit.Record(ctx, tx, orgID, s.Clock.Now(), actor, audit.Event{
			Action: "keys.rewrap", TargetType: "organization", TargetID: orgID.String(),
			Details: map[string]any{"from_key": res.From, "to_key": res.To},
		})
	})
	if err != nil {
		res.Outcome, res.Err = Failed, err
	}
	return res
}
