package web_test

import (
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/webtest"
)

// field is one multipart form field, sent in order.
type field struct{ name, value string }

// upload posts a multipart form as a browser does: the fields in order,
// then the file (when name is not empty) last, streamed through a pipe.
func upload(t *testing.T, c *webtest.Client, path string, fields []field, name string, file io.Reader) *webtest.Response {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		for _, f := range fields {
			if err := mw.WriteField(f.name, f.value); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		if name != "" {
			w, err := mw.CreateFormFile("file", name)
			if err == nil {
				_, err = io.Copy(w, file)
			}
			if err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		pw.CloseWithError(mw.Close())
	}()
	req, err := http.NewRequest(http.MethodPost, c.Base+path, pr)
	require.NoError(t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.Do(req)
}

const policyPDF = "%PDF-1.7\nInformation security policy\n%%EOF\n"

// newDocumentFields are the new-document form's fields for criteria, as
// the browser sends them (token first).
func newDocumentFields(c *webtest.Client, ownerID string, criteria ...string) []field {
	fields := []field{{"_csrf", c.CSRF}, {"title", "Information security policy"}, {"description", "The policy."},
		{"owner", ownerID}, {"cadence", "yearly"}}
	for _, id := range criteria {
		fields = append(fields, field{"criteria", id})
	}
	return fields
}

// addDocument adds a PDF document for criteria through the form and returns
// its page's path.
func (b *bundle) addDocument(t *testing.T, c *webtest.Client, criteria ...string) string {
	t.Helper()
	page := c.Get("/o/acme/documents/new")
	require.Equal(t, http.StatusOK, page.StatusCode)
	owner := page.Doc(t).Find(`select[name="owner"] option[selected]`).AttrOr("value", "")
	r := upload(t, c, "/o/acme/documents", newDocumentFields(c, owner, criteria...), "policy.pdf", strings.NewReader(policyPDF))
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	return r.Location()
}

func TestOwnerAddsAndRevisesADocumentAndDownloadsEachRevision(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.owner(t)
	path := b.addDocument(t, c, "CC1.1", "CC5.2")

	list := c.Get("/o/acme/documents").Doc(t)
	require.Equal(t, 1, list.Find(`[data-testid="document-row"]`).Length())
	require.Equal(t, "current", list.Find(`[data-testid="document-row"]`).AttrOr("data-state", ""))

	page := c.Get(path).Doc(t)
	require.Equal(t, "Information security policy", page.Find(`[data-testid="document-title"]`).Text())
	require.Contains(t, page.Find(`[data-testid="document-criteria"]`).Text(), "CC5.2")
	first := page.Find(`[data-testid="download"]`).AttrOr("href", "")

	r := upload(t, c, path+"/revisions", []field{{"_csrf", c.CSRF}}, "policy v2.PDF", strings.NewReader(policyPDF+"v2\n"))
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	page = c.Get(path).Doc(t)
	require.Equal(t, 2, page.Find(`[data-testid="revision-row"]`).Length())
	second := page.Find(`[data-testid="download"]`).First().AttrOr("href", "")

	for href, body := range map[string]string{first: policyPDF, second: policyPDF + "v2\n"} {
		d := c.Get(href)
		require.Equal(t, http.StatusOK, d.StatusCode)
		require.Equal(t, body, d.Text())
		require.Equal(t, "application/pdf", d.Header.Get("Content-Type"))
		require.Equal(t, "nosniff", d.Header.Get("X-Content-Type-Options"))
		require.Equal(t, "default-src 'none'; sandbox", d.Header.Get("Content-Security-Policy"))
		require.True(t, strings.HasPrefix(d.Header.Get("Content-Disposition"), "attachment;"), d.Header.Get("Content-Disposition"))
	}
	require.Contains(t, c.Get(second).Header.Get("Content-Disposition"), `filename="policy v2.pdf"`)

	// The revisions are evidence like any other: listed, shown, and exported.
	evidence := c.Get("/o/acme/evidence?kind=document.revision")
	require.Equal(t, http.StatusOK, evidence.StatusCode)
	record := c.Get(c.Get(path).Doc(t).Find(`[data-testid="revision-row"] a.mono`).First().AttrOr("href", ""))
	require.Equal(t, http.StatusOK, record.StatusCode, record.Text())
	require.Contains(t, record.Text(), "policy v2.pdf")
	csv := c.Get("/o/acme/evidence/export?kind=document.revision")
	require.Equal(t, http.StatusOK, csv.StatusCode, csv.Text())
	require.Equal(t, 3, strings.Count(strings.TrimSpace(csv.Text()), "\n")+1, "a header and two revisions")
	require.Equal(t, 1, countOf(b.auditActions(t, b.org.ID), "document.add"))
	require.Equal(t, 1, countOf(b.auditActions(t, b.org.ID), "document.revise"))

	// Criteria are linked and unlinked from the page.
	require.Equal(t, http.StatusSeeOther, c.Post(path+"/criteria", url.Values{"criterion": {"CC2.1"}}).StatusCode)
	require.Equal(t, http.StatusSeeOther, c.Post(path+"/criteria/CC1.1/remove", nil).StatusCode)
	criteria := c.Get(path).Doc(t).Find(`[data-testid="document-criteria"]`).Text()
	require.Contains(t, criteria, "CC2.1")
	require.NotContains(t, criteria, "CC1.1")
}

func TestAuditorsReadAndDownloadDocumentsAndTheirDownloadsAreAudited(t *testing.T) {
	t.Parallel()
	b := setup(t)
	path := b.addDocument(t, b.owner(t), "CC1.1")
	auditor := b.client(t)
	auditor.Login(auditorEmail, auditPassword)
	page := auditor.Get(path)
	require.Equal(t, http.StatusOK, page.StatusCode)
	require.Zero(t, page.Doc(t).Find(`[data-testid="revise-form"]`).Length(), "no upload form for auditors")
	d := auditor.Get(page.Doc(t).Find(`[data-testid="download"]`).AttrOr("href", ""))
	require.Equal(t, http.StatusOK, d.StatusCode)
	require.Equal(t, policyPDF, d.Text())
	require.Equal(t, 1, countOf(b.auditActions(t, b.org.ID), "document.download"))

	r := upload(t, auditor, path+"/revisions", []field{{"_csrf", auditor.CSRF}}, "policy.pdf", strings.NewReader(policyPDF))
	require.Equal(t, http.StatusForbidden, r.StatusCode)
	require.Equal(t, 1, countOf(b.auditActions(t, b.org.ID), "access.denied"))
}

func TestAnAuditorLimitedToAnAssessmentSeesOnlyItsDocuments(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.owner(t)
	inside := b.addDocument(t, owner, "CC1.1")
	assessment := b.createAssessment(t, owner, "FY26")
	outside := b.addDocument(t, owner, "CC5.2") // added after the draft gathered its evidence
	link := b.invite(t, owner, "acme", "limited@audit.test", 30, strings.TrimPrefix(assessment, "/o/acme/assessments/"))
	auditor, r := b.acceptNew(t, link)
	require.Equal(t, http.StatusSeeOther, r.StatusCode)

	list := auditor.Get("/o/acme/documents")
	require.Equal(t, http.StatusOK, list.StatusCode)
	require.Equal(t, 1, list.Doc(t).Find(`[data-testid="document-row"]`).Length())
	require.Equal(t, http.StatusOK, auditor.Get(inside).StatusCode)
	require.Equal(t, http.StatusNotFound, auditor.Get(outside).StatusCode)

	// A revision uploaded after the draft gathered its evidence is neither
	// listed nor downloadable for the limited auditor.
	r = upload(t, owner, inside+"/revisions", []field{{"_csrf", owner.CSRF}}, "policy.pdf", strings.NewReader(policyPDF+"v2\n"))
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.Text())
	require.Equal(t, 1, auditor.Get(inside).Doc(t).Find(`[data-testid="revision-row"]`).Length())
	newest := owner.Get(inside).Doc(t).Find(`[data-testid="download"]`).First().AttrOr("href", "")
	require.Equal(t, http.StatusNotFound, auditor.Get(newest).StatusCode)
	href := owner.Get(outside).Doc(t).Find(`[data-testid="download"]`).AttrOr("href", "")
	require.Equal(t, http.StatusNotFound, auditor.Get(href).StatusCode)
}

// Bytes changed behind attest's back (by the cluster administrator, with
// triggers off) are not served: 409, and a tamper alert on the alerts page.
func TestADocumentWhoseBytesChangedIsNotServed(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.owner(t)
	path := b.addDocument(t, c, "CC1.1")
	href := c.Get(path).Doc(t).Find(`[data-testid="download"]`).AttrOr("href", "")
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, b.tdb.AdminURL)
	require.NoError(t, err)
	defer admin.Close(ctx)
	_, err = admin.Exec(ctx, `SET session_replication_role = replica`)
	require.NoError(t, err)
	_, err = admin.Exec(ctx, `UPDATE document_blobs SET chunk = overlay(chunk PLACING 'X'::bytea FROM 12 FOR 1)`)
	require.NoError(t, err)

	r := c.Get(href)
	require.Equal(t, http.StatusConflict, r.StatusCode)
	require.Empty(t, r.Header.Get("Content-Disposition"), "nothing of the file is sent")
	require.Contains(t, c.Get("/o/acme/alerts").Text(), "no longer matches its hash")
}
