package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/connector/entra"
)

func TestAssessmentZIPVerifiesOffline(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.client(t)
	owner.Login(ownerEmail, ownerPassword)
	b.connectAndSync(t, owner)
	path := b.createAssessment(t, owner, "FY26 Type II")
	require.Equal(t, http.StatusSeeOther, owner.Post(path+"/submit", nil).StatusCode)
	require.Equal(t, http.StatusSeeOther, owner.Post(path+"/approve", nil).StatusCode)
	rootOnPage := strings.TrimSpace(owner.Get(path).Doc(t).Find(`[data-testid="root-hash"]`).Text())
	require.Len(t, rootOnPage, 64)

	auditor := b.client(t)
	auditor.Login(auditorEmail, auditPassword)
	res := auditor.Get(path + "/export.zip")
	require.Equal(t, http.StatusOK, res.StatusCode, res.Text())
	require.Equal(t, `attachment; filename="attest-acme-assessment-fy26-type-ii-2026-11-02.zip"`, res.Header.Get("Content-Disposition"))
	dir := t.TempDir()
	names := unzipTo(t, res.Body, dir)
	for _, want := range []string{"checks.csv", "exclusions.csv", "fingerprints.txt", "manifest.json", "SHA256SUMS", "evidence/" + entra.KindUser + ".csv"} {
		require.Contains(t, names, want)
	}
	out, err := sha256sumCheck(dir)
	require.NoError(t, err, out)

	// The root hash, recomputed from fingerprints.txt, is the page's and the
	// manifest's.
	fps, err := os.ReadFile(filepath.Join(dir, "fingerprints.txt"))
	require.NoError(t, err)
	var concat []byte
	lines := strings.Fields(string(fps))
	for i, l := range lines {
		if i > 0 {
			require.Less(t, lines[i-1], l, "sorted")
		}
		b, err := hex.DecodeString(l)
		require.NoError(t, err)
		concat = append(concat, b...)
	}
	sum := sha256.Sum256(concat)
	require.Equal(t, rootOnPage, hex.EncodeToString(sum[:]))
	var m struct {
		RootHash    string `json:"root_hash"`
		Provisional bool   `json:"provisional"`
		Records     int    `json:"records"`
		Status      string `json:"status"`
		Files       []struct {
			Name   string `json:"name"`
			SHA256 string `json:"sha256"`
			Rows   int    `json:"rows"`
		} `json:"files"`
	}
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &m))
	require.Equal(t, rootOnPage, m.RootHash)
	require.False(t, m.Provisional)
	require.Equal(t, "approved", m.Status)
	require.Equal(t, len(lines), m.Records)

	// Per-kind CSV row counts are the included attachment counts.
	counts := map[string]int{}
	require.NoError(t, db.InOrg(context.Background(), b.tdb.Pool, b.org.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(context.Background(), `SELECT e.kind, count(*) FROM assessment_evidence ae JOIN evidence e ON e.id = ae.evidence_id
			WHERE ae.included GROUP BY e.kind`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				return err
			}
			counts["evidence/"+k+".csv"] = n
		}
		return rows.Err()
	}))
	total := 0
	for _, f := range m.Files {
		if strings.HasPrefix(f.Name, "evidence/") {
			body, err := os.ReadFile(filepath.Join(dir, f.Name))
			require.NoError(t, err)
			_, recs := parseCSV(t, body)
			require.Equal(t, counts[f.Name], len(recs), f.Name)
			require.Equal(t, counts[f.Name], f.Rows, f.Name)
			total += f.Rows
		}
	}
	require.Equal(t, m.Records, total)
	d := b.lastExport(t)
	require.Equal(t, "zip", d["format"])
	require.Equal(t, float64(total), d["rows"])

	// One changed byte makes the check fail.
	p := filepath.Join(dir, "checks.csv")
	body, err := os.ReadFile(p)
	require.NoError(t, err)
	body[len(body)-3] ^= 1
	require.NoError(t, os.WriteFile(p, body, 0o644))
	out, err = sha256sumCheck(dir)
	require.Error(t, err, out)

	// One kind as CSV; a missing or unknown kind is refused.
	one := auditor.Get(path + "/export?kind=" + entra.KindUser)
	require.Equal(t, http.StatusOK, one.StatusCode)
	require.Equal(t, `attachment; filename="attest-acme-assessment-fy26-type-ii-entra.user-2026-11-02.csv"`, one.Header.Get("Content-Disposition"))
	_, recs := parseCSV(t, one.Body)
	require.Len(t, recs, counts["evidence/"+entra.KindUser+".csv"])
	require.Equal(t, http.StatusBadRequest, auditor.Get(path+"/export").StatusCode)
	require.Equal(t, http.StatusBadRequest, auditor.Get(path+"/export?kind=nope").StatusCode)
}

func TestDraftAssessmentZIPIsProvisional(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.client(t)
	owner.Login(ownerEmail, ownerPassword)
	b.connectAndSync(t, owner)
	path := b.createAssessment(t, owner, "Draft")
	res := owner.Get(path + "/export.zip")
	require.Equal(t, http.StatusOK, res.StatusCode, res.Text())
	dir := t.TempDir()
	unzipTo(t, res.Body, dir)
	out, err := sha256sumCheck(dir)
	require.NoError(t, err, out)
	var m struct {
		RootHash    string `json:"root_hash"`
		Provisional bool   `json:"provisional"`
	}
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &m))
	require.True(t, m.Provisional)
	require.Len(t, m.RootHash, 64)
}
