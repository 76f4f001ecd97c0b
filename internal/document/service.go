package document

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/alert"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/clock"
	"github.com/attesthq/attest/internal/coverage"
)

var q = dbsqlc.New()

// Review cadences.
const (
	CadenceMonthly   = "monthly"
	CadenceQuarterly = "quarterly"
	CadenceYearly    = "yearly"
	CadenceDate      = "date"
)

// Cadences lists the review cadences in display order.
var Cadences = []string{CadenceMonthly, CadenceQuarterly, CadenceYearly, CadenceDate}

// ErrNotFound means no such document (or revision) in the organization.
var ErrNotFound = errors.New("document: not found")

// InvalidError explains why a document or revision was refused.
type InvalidError struct{ Problems []string }

func (e *InvalidError) Error() string { return strings.Join(e.Problems, "; ") }

// Service adds documents and their revisions, links them to criteria and
// serves their files.
type Service struct {
	Pool  *pgxpool.Pool
	Clock clock.Clock
	// Store receives new files; nil means PostgreSQL. Revisions stored by
	// another backend are read from it when it is the configured one.
	Store Store
	// MaxBytes bounds an upload; zero means DefaultMaxBytes.
	MaxBytes int64
	// TempDir spools uploads and downloads; empty means the system's.
	TempDir string
	// Notify hears about the alerts documents open and resolve.
	Notify alert.Notifier
}

// Details describe a document.
type Details struct {
	Title       string
	Description string
	OwnerID     uuid.UUID
	Cadence     string
	// ReviewOn is the review date when Cadence is "date".
	ReviewOn               time.Time
	PeriodStart, PeriodEnd *time.Time
	Criteria               []string
}

// Content is what a revision holds: an uploaded file or an external link.
type Content struct {
	// FileName and Body are the uploaded file, when Link is empty.
	FileName string
	Body     io.Reader
	Link     string
	// ObservedOn is the day the revision describes; zero means today.
	ObservedOn time.Time
	// ReviewOn, for a document reviewed on a date, is its next review date.
	ReviewOn time.Time
}

func (s *Service) maxBytes() int64 {
	if s.MaxBytes > 0 {
		return s.MaxBytes
	}
	return DefaultMaxBytes
}

func (s *Service) store() Store {
	if s.Store != nil {
		return s.Store
	}
	return PostgresStore{}
}

// storeFor returns the store that holds a revision's bytes.
func (s *Service) storeFor(backend string) (Store, error) {
	if st := s.store(); st.Backend() == backend {
		return st, nil
	}
	if backend == BackendPostgres {
		return PostgresStore{}, nil
	}
	return nil, fmt.Errorf("document: the %s store holding this revision is not configured", backend)
}

// stage reads the content before any transaction opens.
func (s *Service) stage(c Content) (staged, error) {
	if c.Link != "" {
		return stageLink(c.Link)
	}
	if c.Body == nil {
		return staged{}, &InvalidError{Problems: []string{"choose a file or give a link"}}
	}
	return stageFile(s.TempDir, c.FileName, c.Body, s.maxBytes())
}

func (d Details) validate(today time.Time) error {
	var problems []string
	if n := len([]rune(strings.TrimSpace(d.Title))); n == 0 || n > 200 {
		problems = append(problems, "the title must be 1 to 200 characters")
	}
	if len([]rune(d.Description)) > 4000 {
		problems = append(problems, "the description may be at most 4000 characters")
	}
	if !slices.Contains(Cadences, d.Cadence) {
		problems = append(problems, "choose a review cadence")
	} else if d.Cadence == CadenceDate && !d.ReviewOn.After(today) {
		problems = append(problems, "the review date must be in the future")
	}
	if d.PeriodStart != nil && d.PeriodEnd != nil && d.PeriodEnd.Before(*d.PeriodStart) {
		problems = append(problems, "the period ends before it starts")
	}
	if len(d.Criteria) == 0 {
		problems = append(problems, "choose at least one criterion")
	}
	for _, id := range d.Criteria {
		if _, ok := coverage.Find(id); !ok {
			problems = append(problems, fmt.Sprintf("%q is not a criterion", id))
		}
	}
	if len(problems) > 0 {
		return &InvalidError{Problems: problems}
	}
	return nil
}

// nextReview is the review date a revision made today sets.
func nextReview(cadence string, today, date time.Time) time.Time {
	switch cadence {
	case CadenceMonthly:
		return today.AddDate(0, 1, 0)
	case CadenceQuarterly:
		return today.AddDate(0, 3, 0)
	case CadenceYearly:
		return today.AddDate(1, 0, 0)
	}
	return date
}

// day is t's UTC date at midnight.
func day(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }

// Create adds a document with its first revision and its criteria.
func (s *Service) Create(ctx context.Context, orgID uuid.UUID, actor audit.Actor, d Details, c Content) (dbsqlc.Document, error) {
	now := s.Clock.Now()
	today := day(now)
	d.Title = strings.TrimSpace(d.Title)
	if err := d.validate(today); err != nil {
		return dbsqlc.Document{}, err
	}
	content, err := s.stage(c)
	if err != nil {
		return dbsqlc.Document{}, err
	}
	defer content.close()
	var doc dbsqlc.Document
	err = db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		owner, err := s.owner(ctx, tx, orgID, d.OwnerID)
		if err != nil {
			return err
		}
		doc, err = q.DocumentCreate(ctx, tx, dbsqlc.DocumentCreateParams{OrgID: orgID, Title: d.Title, Description: d.Description,
			OwnerUserID: d.OwnerID, ReviewCadence: d.Cadence, NextReviewOn: nextReview(d.Cadence, today, day(d.ReviewOn)),
			PeriodStart: d.PeriodStart, PeriodEnd: d.PeriodEnd, Now: now, CreatedBy: actor.ID})
		if err != nil {
			return fmt.Errorf("document: create: %w", err)
		}
		criteria := slices.Compact(slices.Sorted(slices.Values(d.Criteria)))
		for _, id := range criteria {
			if _, err := q.DocumentLink(ctx, tx, dbsqlc.DocumentLinkParams{OrgID: orgID, DocumentID: doc.ID, Criterion: id, Now: now, CreatedBy: actor.ID}); err != nil {
				return fmt.Errorf("document: link %s: %w", id, err)
			}
		}
		rev, err := s.addRevision(ctx, tx, doc, owner, criteria, content, c, actor, now)
		if err != nil {
			return err
		}
		return s.record(ctx, tx, doc, actor, now, "document.add", map[string]any{
			"title": doc.Title, "criteria": criteria, "owner": owner, "cadence": doc.ReviewCadence,
			"next_review_on": doc.NextReviewOn.Format(time.DateOnly), "revision": revisionDetails(rev),
		})
	})
	return doc, err
}

// Revise adds a new revision to a document; earlier ones stay as they are.
func (s *Service) Revise(ctx context.Context, orgID uuid.UUID, actor audit.Actor, docID uuid.UUID, c Content) (dbsqlc.DocumentRevision, error) {
	now := s.Clock.Now()
	content, err := s.stage(c)
	if err != nil {
		return dbsqlc.DocumentRevision{}, err
	}
	defer content.close()
	var rev dbsqlc.DocumentRevision
	err = db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		doc, err := q.DocumentGetForUpdate(ctx, tx, docID)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("document: load: %w", err)
		}
		today := day(now)
		switch {
		case !c.ReviewOn.IsZero() && !c.ReviewOn.After(today):
			return &InvalidError{Problems: []string{"the review date must be in the future"}}
		case doc.ReviewCadence == CadenceDate && c.ReviewOn.IsZero() && !doc.NextReviewOn.After(today):
			return &InvalidError{Problems: []string{"the review date has passed: choose the next one"}}
		}
		owner, err := s.owner(ctx, tx, orgID, doc.OwnerUserID)
		if err != nil {
			return err
		}
		criteria, err := q.DocumentCriteria(ctx, tx, doc.ID)
		if err != nil {
			return fmt.Errorf("document: criteria: %w", err)
		}
		if rev, err = s.addRevision(ctx, tx, doc, owner, criteria, content, c, actor, now); err != nil {
			return err
		}
		return s.record(ctx, tx, doc, actor, now, "document.revise", map[string]any{"revision": revisionDetails(rev)})
	})
	return rev, err
}

// addRevision stores the content, its evidence record and the revision,
// moves the review date and reconciles the document's alerts.
func (s *Service) addRevision(ctx context.Context, tx pgx.Tx, doc dbsqlc.Document, owner string, criteria []string,
	content staged, c Content, actor audit.Actor, now time.Time) (dbsqlc.DocumentRevision, error) {
	number, err := q.DocumentRevisionNextNumber(ctx, tx, doc.ID)
	if err != nil {
		return dbsqlc.DocumentRevision{}, fmt.Errorf("document: number revision: %w", err)
	}
	observed := day(now)
	if !c.ObservedOn.IsZero() {
		observed = day(c.ObservedOn)
	}
	rec, err := record(doc, owner, criteria, int(number), content, observed)
	if err != nil {
		return dbsqlc.DocumentRevision{}, fmt.Errorf("document: evidence payload: %w", err)
	}
	fp := fingerprint(rec)
	revID := uuid.New()
	evidenceID, err := q.DocumentEvidenceInsert(ctx, tx, dbsqlc.DocumentEvidenceInsertParams{OrgID: doc.OrgID, DocumentID: doc.ID,
		SchemaVersion: schemaVersion, SubjectKey: rec.SubjectKey, SubjectLabel: rec.SubjectLabel, Payload: rec.Payload,
		Fingerprint: fp[:], ObservedAt: observed, CollectedAt: now, RevisionID: revID})
	if err != nil {
		return dbsqlc.DocumentRevision{}, fmt.Errorf("document: evidence: %w", err)
	}
	if err := q.DocumentEvidenceSupersede(ctx, tx, dbsqlc.DocumentEvidenceSupersedeParams{RevisionID: revID, At: now, DocumentID: doc.ID, SubjectKey: rec.SubjectKey}); err != nil {
		return dbsqlc.DocumentRevision{}, fmt.Errorf("document: supersede: %w", err)
	}
	if err := q.DocumentEvidenceCurrent(ctx, tx, dbsqlc.DocumentEvidenceCurrentParams{OrgID: doc.OrgID, DocumentID: doc.ID,
		SubjectKey: rec.SubjectKey, EvidenceID: evidenceID, Fingerprint: fp[:], RevisionID: revID}); err != nil {
		return dbsqlc.DocumentRevision{}, fmt.Errorf("document: current: %w", err)
	}
	p := dbsqlc.DocumentRevisionCreateParams{ID: revID, OrgID: doc.OrgID, DocumentID: doc.ID, Number: number, EvidenceID: evidenceID,
		Storage: backendLink, ObservedOn: observed, CreatedBy: actor.ID, CreatedAt: now}
	if content.file != nil {
		st := s.store()
		if _, err := content.file.Seek(0, io.SeekStart); err != nil {
			return dbsqlc.DocumentRevision{}, fmt.Errorf("document: rewind upload: %w", err)
		}
		if p.StorageKey, err = st.Put(ctx, tx, doc.OrgID, revID, content.file, content.size); err != nil {
			return dbsqlc.DocumentRevision{}, err
		}
		p.Storage, p.Sha256, p.SizeBytes, p.ContentType, p.FileName = st.Backend(), content.sum[:], &content.size, &content.contentType, &content.name
	} else {
		p.ExternalUrl = &content.link
	}
	rev, err := q.DocumentRevisionCreate(ctx, tx, p)
	if err != nil {
		return dbsqlc.DocumentRevision{}, fmt.Errorf("document: revision: %w", err)
	}
	review := c.ReviewOn
	if doc.ReviewCadence == CadenceDate && review.IsZero() {
		review = doc.NextReviewOn
	}
	doc.NextReviewOn = nextReview(doc.ReviewCadence, day(now), day(review))
	if err := q.DocumentSetNextReview(ctx, tx, dbsqlc.DocumentSetNextReviewParams{ID: doc.ID, NextReviewOn: doc.NextReviewOn, Now: now}); err != nil {
		return dbsqlc.DocumentRevision{}, fmt.Errorf("document: review date: %w", err)
	}
	if _, _, err := Reconcile(ctx, tx, doc, owner, now, s.Notify); err != nil {
		return dbsqlc.DocumentRevision{}, err
	}
	return rev, nil
}

// owner checks that the owner is an owner or admin of the organization and
// returns their email.
func (s *Service) owner(ctx context.Context, tx pgx.Tx, orgID, userID uuid.UUID) (string, error) {
	members, err := q.DocumentOwnerCandidates(ctx, tx, orgID)
	if err != nil {
		return "", fmt.Errorf("document: owners: %w", err)
	}
	for _, m := range members {
		if m.ID == userID {
			return m.Email, nil
		}
	}
	return "", &InvalidError{Problems: []string{"the owner must be an owner or admin of the organization"}}
}

// Link makes the document support a criterion too.
func (s *Service) Link(ctx context.Context, orgID uuid.UUID, actor audit.Actor, docID uuid.UUID, criterion string) error {
	if _, ok := coverage.Find(criterion); !ok {
		return &InvalidError{Problems: []string{fmt.Sprintf("%q is not a criterion", criterion)}}
	}
	return s.step(ctx, orgID, docID, func(tx pgx.Tx, doc dbsqlc.Document, now time.Time) error {
		n, err := q.DocumentLink(ctx, tx, dbsqlc.DocumentLinkParams{OrgID: orgID, DocumentID: doc.ID, Criterion: criterion, Now: now, CreatedBy: actor.ID})
		if err != nil || n == 0 {
			return err
		}
		return s.record(ctx, tx, doc, actor, now, "document.link", map[string]any{"criterion": criterion})
	})
}

// Unlink stops the document supporting a criterion; it keeps at least one.
func (s *Service) Unlink(ctx context.Context, orgID uuid.UUID, actor audit.Actor, docID uuid.UUID, criterion string) error {
	return s.step(ctx, orgID, docID, func(tx pgx.Tx, doc dbsqlc.Document, now time.Time) error {
		linked, err := q.DocumentCriteria(ctx, tx, doc.ID)
		if err != nil {
			return fmt.Errorf("document: criteria: %w", err)
		}
		if !slices.Contains(linked, criterion) {
			return nil
		}
		if len(linked) == 1 {
			return &InvalidError{Problems: []string{"a document supports at least one criterion"}}
		}
		if _, err := q.DocumentUnlink(ctx, tx, dbsqlc.DocumentUnlinkParams{DocumentID: doc.ID, Criterion: criterion}); err != nil {
			return fmt.Errorf("document: unlink: %w", err)
		}
		return s.record(ctx, tx, doc, actor, now, "document.unlink", map[string]any{"criterion": criterion})
	})
}

// step runs fn on the locked document in one organization transaction.
func (s *Service) step(ctx context.Context, orgID, docID uuid.UUID, fn func(pgx.Tx, dbsqlc.Document, time.Time) error) error {
	return db.InOrg(ctx, s.Pool, orgID, func(tx pgx.Tx) error {
		doc, err := q.DocumentGetForUpdate(ctx, tx, docID)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("document: load: %w", err)
		}
		return fn(tx, doc, s.Clock.Now())
	})
}

func (s *Service) record(ctx context.Context, tx pgx.Tx, doc dbsqlc.Document, actor audit.Actor, now time.Time, action string, details map[string]any) error {
	return audit.Record(ctx, tx, doc.OrgID, now, actor, audit.Event{Action: action, TargetType: "document", TargetID: doc.ID.String(), Details: details})
}

func revisionDetails(r dbsqlc.DocumentRevision) map[string]any {
	out := map[string]any{"id": r.ID.String(), "number": r.Number, "storage": r.Storage, "evidence_id": r.EvidenceID}
	if r.Sha256 != nil {
		out["sha256"] = fmt.Sprintf("%x", r.Sha256)
		out["size"] = *r.SizeBytes
		out["content_type"] = *r.ContentType
		out["file_name"] = *r.FileName
	}
	if r.ExternalUrl != nil {
		out["url"] = *r.ExternalUrl
	}
	return out
}
