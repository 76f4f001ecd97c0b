package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/connector/entra"
	"github.com/attesthq/attest/internal/entrasim"
	"github.com/attesthq/attest/internal/export"
)

const evilName = `=HYPERLINK("http://evil.test","x")`

func TestEvidenceExportCSVAsAuditor(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tenant := b.sim.Tenant(entrasim.DefaultTenantID)
	victim := tenant.Users()[0]
	require.NoError(t, tenant.UpdateUser(victim.ID, func(u *entrasim.User) { u.DisplayName = evilName }))
	owner := b.client(t)
	owner.Login(ownerEmail, ownerPassword)
	_, connID := b.connectAndSync(t, owner)

	auditor := b.client(t)
	auditor.Login(auditorEmail, auditPassword)
	res := auditor.Get("/o/acme/evidence/export?kind=" + entra.KindUser)
	require.Equal(t, http.StatusOK, res.StatusCode, res.Text())
	require.Equal(t, "text/csv; charset=utf-8", res.Header.Get("Content-Type"))
	require.Equal(t, `attachment; filename="attest-acme-evidence-entra.user-2026-11-02.csv"`, res.Header.Get("Content-Disposition"))
	require.Equal(t, "no-store", res.Header.Get("Cache-Control"))

	kind, ok := b.app.Connectors.Get(entra.Key).Definition().Kind(entra.KindUser)
	require.True(t, ok)
	header, records := parseCSV(t, res.Body)
	require.Equal(t, export.Columns(kind), header)
	want := b.countEvidence(t, "kind = $1", entra.KindUser)
	require.Positive(t, want)
	require.Len(t, records, want)
	nameCol := -1
	for i, h := range header {
		if h == "display_name" {
			nameCol = i
		}
	}
	require.NotEqual(t, -1, nameCol)
	found := false
	for _, r := range records {
		require.Equal(t, "acme", r[0])
		require.Equal(t, entra.KindUser, r[2])
		require.Regexp(t, `^[0-9a-f]{64}$`, r[6])
		if strings.Contains(r[nameCol], "HYPERLINK") {
			found = true
			require.Equal(t, "'"+evilName, r[nameCol], "the formula is inert")
		}
	}
	require.True(t, found, "the hostile display name is exported")
	d := b.lastExport(t)
	require.Equal(t, map[string]any{"kind": entra.KindUser, "format": "csv", "rows": float64(want)}, d)

	// Filters narrow: a connection, a date range, a control.
	_, byConn := parseCSV(t, auditor.Get("/o/acme/evidence/export?kind="+entra.KindUser+"&connection="+connID.String()).Body)
	require.Len(t, byConn, want)
	_, future := parseCSV(t, auditor.Get("/o/acme/evidence/export?kind="+entra.KindUser+"&from=2026-11-03").Body)
	require.Empty(t, future)
	_, today := parseCSV(t, auditor.Get("/o/acme/evidence/export?kind="+entra.KindUser+"&from=2026-11-02&to=2026-11-02").Body)
	require.Len(t, today, want)
	_, otherControl := parseCSV(t, auditor.Get("/o/acme/evidence/export?kind="+entra.KindUser+"&control=CC7.1").Body)
	require.Empty(t, otherControl, "entra.user does not support CC7.1")
	require.Equal(t, float64(0), b.lastExport(t)["rows"])

	// A connection id that is not the organization's shows nothing, not an
	// error.
	foreign := uuid.New()
	res = auditor.Get("/o/acme/evidence/export?kind=" + entra.KindUser + "&connection=" + foreign.String())
	require.Equal(t, http.StatusOK, res.StatusCode)
	_, none := parseCSV(t, res.Body)
	require.Empty(t, none)
}

func TestEvidenceExportZIPVerifies(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.client(t)
	owner.Login(ownerEmail, ownerPassword)
	b.connectAndSync(t, owner)

	res := owner.Get("/o/acme/evidence/export?control=CC6.1")
	require.Equal(t, http.StatusOK, res.StatusCode, res.Text())
	require.Equal(t, "application/zip", res.Header.Get("Content-Type"))
	require.Equal(t, `attachment; filename="attest-acme-evidence-cc6.1-2026-11-02.zip"`, res.Header.Get("Content-Disposition"))
	dir := t.TempDir()
	names := unzipTo(t, res.Body, dir)
	require.Contains(t, names, "SHA256SUMS")
	require.Contains(t, names, "evidence/"+entra.KindMFARegistration+".csv")
	require.NotContains(t, names, "evidence/"+entra.KindUser+".csv", "CC6.1 is not supported by users")
	out, err := sha256sumCheck(dir)
	require.NoError(t, err, out)
	d := b.lastExport(t)
	require.Equal(t, "zip", d["format"])
	require.Equal(t, "CC6.1", d["control"])
	require.Equal(t, float64(b.countEvidence(t, "kind = ANY($1)", []string{entra.KindMFARegistration, entra.KindCAPolicy,
		entra.KindMFASummary, entra.KindCASummary})), d["rows"])

	// Every kind, no filter.
	all := owner.Get("/o/acme/evidence/export")
	require.Equal(t, http.StatusOK, all.StatusCode)
	require.Equal(t, `attachment; filename="attest-acme-evidence-2026-11-02.zip"`, all.Header.Get("Content-Disposition"))
	require.Equal(t, float64(b.countEvidence(t, "true")), b.lastExport(t)["rows"])

	// The pages link to the downloads.
	require.Equal(t, "/o/acme/evidence/export", owner.Get("/o/acme/evidence").Doc(t).Find(`[data-testid="export-csv"]`).AttrOr("href", ""))
	require.Equal(t, "/o/acme/evidence/export?control=CC6.1", owner.Get("/o/acme/controls/CC6.1").Doc(t).Find(`[data-testid="export-zip"]`).AttrOr("href", ""))
}

func TestEvidenceExportRefusesBadFilters(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	before := countOf(b.auditActions(t, b.org.ID), "evidence.export")
	for query, says := range map[string]string{
		"kind=nope":                     `there is no evidence kind &#34;nope&#34;`,
		"connection=not-a-uuid":         "the connection filter is not valid",
		"from=2026-13-01":               "is not a date (YYYY-MM-DD)",
		"from=2026-11-02&to=2026-11-01": "the start date is after the end date",
		"control=CC99.9":                `there is no control &#34;CC99.9&#34;`,
	} {
		res := c.Get("/o/acme/evidence/export?" + query)
		require.Equal(t, http.StatusBadRequest, res.StatusCode, query)
		require.Contains(t, res.Header.Get("Content-Type"), "text/html", query)
		require.Empty(t, res.Header.Get("Content-Disposition"), query)
		require.Contains(t, res.Text(), says, query)
	}
	require.Equal(t, before, countOf(b.auditActions(t, b.org.ID), "evidence.export"), "nothing exported, nothing recorded")
}
