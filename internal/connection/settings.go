package connection

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/connector"
)

// Stale threshold limits.
const (
	MinStaleAfter = time.Hour
	MaxStaleAfter = 30 * 24 * time.Hour
)

// ErrStaleAfter explains a stale threshold out of range.
var ErrStaleAfter = errors.New("the stale threshold must be 1 to 720 hours")

// ParamsOf is the check parameters of conn under connector c: every
// parameter its checks declare, stored value or default (none when the
// connector is not configured).
func ParamsOf(c connector.Connector, conn dbsqlc.Connection) connector.Params {
	if c == nil {
		return connector.Params{}
	}
	return connector.StoredParams(c.Checks(), conn.CheckParams)
}

// SetThresholds changes when the connection's evidence counts as stale and
// the values of the parameters its checks declare (each validated against
// its declared range, a *connector.ParamError when refused), and
// reconciles its alerts at once.
func (s *Service) SetThresholds(ctx context.Context, orgID uuid.UUID, user User, connID uuid.UUID, staleAfter time.Duration, params connector.Params) error {
	if staleAfter < MinStaleAfter || staleAfter > MaxStaleAfter {
		return ErrStaleAfter
	}
	return db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		conn, err := lockConnection(ctx, tx, connID)
		if err != nil {
			return err
		}
		c := s.Registry.Get(conn.Connector)
		if c == nil {
			return ErrNotFound
		}
		next := connector.Params{}
		for _, p := range connector.DeclaredParams(c.Checks()) {
			v, ok := params[p.Key]
			if !ok {
				continue
			}
			if v < p.Min || v > p.Max {
				return &connector.ParamError{Param: p, Value: fmt.Sprint(v)}
			}
			next[p.Key] = v
		}
		raw, err := json.Marshal(next)
		if err != nil {
			return fmt.Errorf("connection: encode parameters: %w", err)
		}
		if err := q.ConnectionSetThresholds(ctx, tx, dbsqlc.ConnectionSetThresholdsParams{
			ID: connID, StaleAfterSeconds: int32(staleAfter.Seconds()), CheckParams: raw,
		}); err != nil {
			return fmt.Errorf("connection: set thresholds: %w", err)
		}
		details := map[string]any{"stale_after_hours": int(staleAfter.Hours()), "previous_stale_after_hours": int(conn.StaleAfterSeconds / 3600)}
		previous := ParamsOf(c, conn)
		for k, v := range next {
			details[k], details["previous_"+k] = v, previous[k]
		}
		if err := audit.Record(ctx, tx, orgID, s.Clock.Now(), user.actor(), audit.Event{
			Action: "connection.settings", TargetType: "connection", TargetID: connID.String(), Details: details,
		}); err != nil {
			return err
		}
		return s.reconcileAlerts(ctx, tx, connID)
	})
}
