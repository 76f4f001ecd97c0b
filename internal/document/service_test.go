package document_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/document"
)

func read(t *testing.T, f *fixture, docID, revID [16]byte) string {
	t.Helper()
	d, err := f.svc.Open(context.Background(), f.org.ID, f.actor, false, docID, revID)
	require.NoError(t, err)
	defer d.Close()
	b, err := io.ReadAll(d)
	require.NoError(t, err)
	return string(b)
}

func TestEachRevisionIsImmutableTypedEvidence(t *testing.T) {
	t.Parallel()
	f := setup(t, nil)
	doc := f.create(t, policyPDF, "CC5.2", "CC1.1")
	require.Equal(t, time.Date(2027, 11, 2, 0, 0, 0, 0, time.UTC), doc.NextReviewOn, "a yearly review is due a year after the revision")
	require.Equal(t, 2, f.count(t, `SELECT count(*) FROM document_criteria WHERE document_id = $1`, doc.ID))

	f.clock.Advance(48 * time.Hour)
	v2 := strings.Replace(policyPDF, "v1", "v2", 1)
	rev2, err := f.svc.Revise(context.Background(), f.org.ID, f.actor, doc.ID, document.Content{
		FileName: "policy-v2.pdf", Body: strings.NewReader(v2), ObservedOn: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)

	revs := f.revisions(t, doc.ID)
	require.Len(t, revs, 2)
	require.Equal(t, int32(2), revs[0].Number)
	sum := sha256.Sum256([]byte(v2))
	require.Equal(t, sum[:], revs[0].Sha256)
	require.Equal(t, document.TypePDF, *revs[0].ContentType)
	require.Equal(t, "policy-v2.pdf", *revs[0].FileName)
	require.Equal(t, policyPDF, read(t, f, doc.ID, revs[1].ID), "earlier revisions stay downloadable")
	require.Equal(t, v2, read(t, f, doc.ID, rev2.ID))

	// Each revision is a document.revision record: observed at the day it
	// describes, collected at upload; the newest is the current one and the
	// first was superseded by it.
	var kind, subject string
	var observed, collected time.Time
	var payload []byte
	require.NoError(t, db.InOrg(context.Background(), f.db.Pool, f.org.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT kind, subject_key, observed_at, collected_at, payload FROM evidence WHERE id = $1`,
			rev2.EvidenceID).Scan(&kind, &subject, &observed, &collected, &payload)
	}))
	require.Equal(t, document.Kind, kind)
	require.Equal(t, doc.ID.String(), subject)
	require.Equal(t, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), observed.UTC())
	require.Equal(t, f.clock.Now(), collected.UTC())
	var p document.Payload
	require.NoError(t, json.Unmarshal(payload, &p))
	require.Equal(t, hex.EncodeToString(sum[:]), p.SHA256)
	require.Equal(t, []string{"CC1.1", "CC5.2"}, p.Criteria)
	require.Equal(t, 2, p.Revision)
	require.Equal(t, 1, f.count(t, `SELECT count(*) FROM evidence_current WHERE evidence_id = $1`, rev2.EvidenceID))
	require.Equal(t, 1, f.count(t, `SELECT count(*) FROM evidence_superseded WHERE evidence_id = $1`, revs[1].EvidenceID))
	require.Equal(t, 2, f.count(t, `SELECT count(DISTINCT fingerprint) FROM evidence WHERE kind = 'document.revision'`))
	require.Equal(t, 1, f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'document.add'`))
	require.Equal(t, 1, f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'document.revise'`))
}

func TestALinkIsARevisionWithoutAFile(t *testing.T) {
	t.Parallel()
	f := setup(t, nil)
	doc, err := f.svc.Create(context.Background(), f.org.ID, f.actor, f.details("CC1.1"), document.Content{Link: "https://wiki.acme.test/policies/access"})
	require.NoError(t, err)
	revs := f.revisions(t, doc.ID)
	require.Len(t, revs, 1)
	require.Equal(t, "https://wiki.acme.test/policies/access", *revs[0].ExternalUrl)
	_, err = f.svc.Open(context.Background(), f.org.ID, f.actor, false, doc.ID, revs[0].ID)
	require.ErrorIs(t, err, document.ErrNoFile)

	for _, bad := range []string{"javascript:alert(1)", "file:///etc/passwd", "//acme.test/x", "not a url"} {
		_, err := f.svc.Create(context.Background(), f.org.ID, f.actor, f.details("CC1.1"), document.Content{Link: bad})
		require.ErrorIs(t, err, document.ErrLink, bad)
	}
}

func TestUploadsOverTheLimitOrOfForbiddenTypesStoreNothing(t *testing.T) {
	t.Parallel()
	f := setup(t, nil)
	big := io.MultiReader(strings.NewReader("%PDF-1.7\n"), bytes.NewReader(make([]byte, 1<<20)))
	_, err := f.svc.Create(context.Background(), f.org.ID, f.actor, f.details("CC1.1"), document.Content{FileName: "big.pdf", Body: big})
	require.ErrorIs(t, err, document.ErrTooLarge)

	_, err = f.svc.Create(context.Background(), f.org.ID, f.actor, f.details("CC1.1"),
		document.Content{FileName: "invoice.pdf", Body: strings.NewReader("<html><script>alert(document.cookie)</script></html>")})
	require.ErrorIs(t, err, document.ErrType)

	_, err = f.svc.Create(context.Background(), f.org.ID, f.actor, f.details("CC1.1", "ZZ9.9"), document.Content{Link: "https://acme.test"})
	var invalid *document.InvalidError
	require.ErrorAs(t, err, &invalid)
	require.Zero(t, f.count(t, `SELECT count(*) FROM documents`))
	require.Zero(t, f.count(t, `SELECT count(*) FROM document_blobs`))
	require.Zero(t, f.count(t, `SELECT count(*) FROM evidence`))
}

func TestLinkingAndUnlinkingCriteriaIsAudited(t *testing.T) {
	t.Parallel()
	f := setup(t, nil)
	doc := f.create(t, policyPDF, "CC1.1")
	ctx := context.Background()
	require.NoError(t, f.svc.Link(ctx, f.org.ID, f.actor, doc.ID, "CC5.2"))
	require.NoError(t, f.svc.Link(ctx, f.org.ID, f.actor, doc.ID, "CC5.2"), "linking twice is a no-op")
	require.NoError(t, f.svc.Unlink(ctx, f.org.ID, f.actor, doc.ID, "CC1.1"))
	var invalid *document.InvalidError
	require.ErrorAs(t, f.svc.Unlink(ctx, f.org.ID, f.actor, doc.ID, "CC5.2"), &invalid, "the last criterion stays")
	require.Equal(t, 1, f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'document.link'`))
	require.Equal(t, 1, f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'document.unlink'`))
}
