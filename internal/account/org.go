package account

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/clock"
)

var q = dbsqlc.New()

// ErrSlugTaken is returned when an explicitly requested slug is in use.
var ErrSlugTaken = errors.New("account: organization slug is taken")

var slugPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$`)

// Service manages organizations, users and memberships.
type Service struct {
	Pool  *pgxpool.Pool
	Clock clock.Clock
}

// CreateOrg creates an organization with its audit chain. An empty slug is
// derived from the name (made unique with a numeric suffix).
func (s *Service) CreateOrg(ctx context.Context, name, slug string, actor audit.Actor) (dbsqlc.Organization, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 200 {
		return dbsqlc.Organization{}, fmt.Errorf("account: organization name must be 1 to 200 characters")
	}
	explicit := slug != ""
	if !explicit {
		slug = Slugify(name)
	}
	if !slugPattern.MatchString(slug) {
		return dbsqlc.Organization{}, fmt.Errorf("account: slug %q must be 1 to 40 lowercase letters, digits or inner hyphens", slug)
	}
	for attempt := 1; attempt <= 50; attempt++ {
		candidate := slug
		if attempt > 1 {
			suffix := fmt.Sprintf("-%d", attempt)
			candidate = strings.TrimRight(slug[:min(len(slug), 40-len(suffix))], "-") + suffix
		}
		org, err := s.createOrg(ctx, name, candidate, actor)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "23505" {
			if explicit {
				return dbsqlc.Organization{}, ErrSlugTaken
			}
			continue
		}
		return org, err
	}
	return dbsqlc.Organization{}, fmt.Errorf("account: no free slug for %q", name)
}

func (s *Service) createOrg(ctx context.Context, name, slug string, actor audit.Actor) (dbsqlc.Organization, error) {
	id := uuid.New()
	var org dbsqlc.Organization
	err := db.InOrg(ctx, s.Pool, id, func(tx pgx.Tx) error {
		var err error
		org, err = q.OrgCreate(ctx, tx, dbsqlc.OrgCreateParams{ID: id, Slug: slug, Name: name})
		if err != nil {
			return fmt.Errorf("account: create organization: %w", err)
		}
		if err := audit.StartChain(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, id, s.Clock.Now(), actor, audit.Event{
			Action: "organization.create", TargetType: "organization", TargetID: id.String(),
			Details: map[string]any{"name": name, "slug": slug},
		})
	})
	return org, err
}

// ErrOrgNotFound is returned when no organization has the given id or slug.
var ErrOrgNotFound = errors.New("account: no such organization")

// FindOrg resolves an organization by id or slug for operator commands. It
// walks the ids system_ids lists, scoping the transaction to each in turn, so
// it reads only what each organization's own scope allows.
func (s *Service) FindOrg(ctx context.Context, idOrSlug string) (dbsqlc.Organization, error) {
	var found *dbsqlc.Organization
	err := db.Tx(ctx, s.Pool, func(tx pgx.Tx) error {
		ids, err := SystemIDs(ctx, tx, "organization", s.Clock.Now())
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := db.ScopeToOrg(ctx, tx, id); err != nil {
				return err
			}
			org, err := q.OrgGet(ctx, tx, id)
			if err != nil {
				return err
			}
			if org.ID.String() == idOrSlug || org.Slug == idOrSlug {
				found = &org
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return dbsqlc.Organization{}, fmt.Errorf("account: find organization: %w", err)
	}
	if found == nil {
		return dbsqlc.Organization{}, fmt.Errorf("%w: %q", ErrOrgNotFound, idOrSlug)
	}
	return *found, nil
}

// SystemIDs lists every id of one kind across tenants through the system_ids
// function, in pages; at is the caller's current time.
func SystemIDs(ctx context.Context, tx pgx.Tx, kind string, at time.Time) ([]uuid.UUID, error) {
	var all []uuid.UUID
	var after *uuid.UUID
	for {
		rows, err := q.SystemIDs(ctx, tx, dbsqlc.SystemIDsParams{Kind: kind, At: at, After: after, MaxRows: 1000})
		if err != nil {
			return nil, fmt.Errorf("account: list %s ids: %w", kind, err)
		}
		for _, r := range rows {
			all = append(all, r.ID)
		}
		if len(rows) < 1000 {
			return all, nil
		}
		after = &rows[len(rows)-1].ID
	}
}

// Slugify turns a name into a URL-safe slug.
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > 40 {
		s = strings.TrimRight(s[:40], "-")
	}
	if s == "" {
		s = "org"
	}
	return s
}
