package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/connector/entra"
	"github.com/attesthq/attest/internal/document"
	"github.com/attesthq/attest/internal/export"
	"github.com/attesthq/attest/internal/webtest"
)

// updateGolden rewrites testdata/export/ from the running code instead of
// comparing against it: go test ./web/ -run TestExportBytes -update-golden.
var updateGolden = flag.Bool("update-golden", false, "rewrite web/testdata/export from the current export")

// goldenValues are the JSON values the golden organization's fields take:
// every shape evidence.Flatten renders, and cells a spreadsheet would run
// or a CSV reader would split.
var goldenValues = []string{
	`"plain"`, `""`, `null`, `true`, `false`, `0`, `-3`, `-1.5e3`, `1.50`, `12345678901234567890.5`, `1e40`,
	`"=1+2"`, `"+1"`, `"-1"`, `"-1.5E+3"`, `"+.5"`, `"-"`, `"-1e"`, `"1e5"`, `"@SUM(A1)"`, `"\tTab"`, `"\rCR"`,
	`"\nLF first"`, `" leading space"`, `"trailing "`, `"a,b"`, `"say \"hi\""`, `"multi\nline\r\nend"`,
	`"＝全角"`, `"＋1"`, `"－1"`, `"＠x"`, `"ünïcødé ✓ 日本語 🙂"`, `"back\\slash"`, `"\u2028sep"`, `"<tag>&amp;"`,
	`"'quoted"`, `"\u0001ctl"`, `"=="`, `"\""`, `","`, `"\r\n"`,
	`[]`, `["a","b"]`, `["=x",1,true,null]`, `[["n1","n2"],[],"x"]`, `[{"b":1,"a":"<&>"}]`, `["-2", " s", "q\"q"]`,
	`{}`, `{"z":1,"a":{"y":[1,"x"],"b":null},"é":"\u2028\n\"<>&"}`, `{"k":"=cmd","n":-0.0}`,
}

// goldenPayloads are whole payloads that are not ordinary objects.
var goldenPayloads = []string{`[]`, `"text"`, `null`, `{}`, `{"unknown":"=x"}`, `[{"a":1}]`, `7`}

// seedGoldenExport fills acme with records of every kind the server knows,
// from an Entra connection with a hostile name, a GitHub one and documents,
// every field taking every value of goldenValues across the records, with
// distinct collection times from 2026-09-20 to 2026-11-01 so that their order
// and the date filters are fixed. It returns the two connections.
func seedGoldenExport(t *testing.T, b *bundle) (entraConn, githubConn uuid.UUID) {
	t.Helper()
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, b.tdb.AdminURL)
	require.NoError(t, err)
	defer admin.Close(ctx)
	conns := map[string]uuid.UUID{}
	for _, c := range []struct{ connector, name string }{{"entra", `=Contoso, "prod"`}, {"github", "GitHub — ünï\nline"}} {
		id := uuid.New()
		_, err := admin.Exec(ctx, `INSERT INTO connections (id, org_id, connector, display_name, settings, identity_key, status, created_at)
			VALUES ($1, $2, $3, $4, '{}', $3, 'active', $5)`, id, b.org.ID, c.connector, c.name, b.clock.Now())
		require.NoError(t, err)
		conns[c.connector] = id
	}
	docs := uuid.MustParse("00000000-0000-4000-8000-00000000d0c5")
	run := uuid.MustParse("00000000-0000-4000-8000-000000000001")
	start := time.Date(2026, 9, 20, 0, 0, 0, 0, time.UTC)
	n := 0
	for _, conn := range b.app.Connectors.All() {
		for _, k := range conn.Definition().Evidence {
			n = insertGoldenKind(t, admin, b, conns[conn.Definition().Key], run, k, start, n)
		}
	}
	insertGoldenKind(t, admin, b, docs, run, document.EvidenceKind, start, n)
	return conns["entra"], conns["github"]
}

// insertGoldenKind inserts kind k's golden records, numbered from n, and
// returns the next number.
func insertGoldenKind(t *testing.T, admin *pgx.Conn, b *bundle, conn, run uuid.UUID, k connector.EvidenceKind, start time.Time, n int) int {
	t.Helper()
	ctx := context.Background()
	payloads := append([]string{}, goldenPayloads...)
	for i := range goldenValues {
		var p strings.Builder
		p.WriteString("{")
		for j, f := range k.Fields {
			if (i+j)%7 == 6 {
				continue // an absent field
			}
			if p.Len() > 1 {
				p.WriteString(",")
			}
			fmt.Fprintf(&p, "%q:%s", f, goldenValues[(i+j)%len(goldenValues)])
		}
		p.WriteString("}")
		payloads = append(payloads, p.String())
	}
	for i, p := range payloads {
		label := strings.Trim(goldenValues[(n+i)%len(goldenValues)], `"`)
		// Collection times interleave the kinds, run backwards within one
		// and carry every precision RFC 3339 trims.
		collected := start.Add(time.Duration((len(payloads)-i)*977+n) * time.Minute).Add(time.Duration(i*i*1237) * time.Microsecond)
		observed := collected.Add(-time.Duration(i) * 1500 * time.Millisecond)
		fp := sha256.Sum256([]byte(fmt.Sprintf("%s/%d", k.Kind, i)))
		_, err := admin.Exec(ctx, `INSERT INTO evidence (org_id, connection_id, kind, schema_version, subject_key, subject_label,
			payload, fingerprint, observed_at, collected_at, first_run_id) VALUES ($1, $2, $3, 1, $4, $5, $6::jsonb, $7, $8, $9, $10)`,
			b.org.ID, conn, k.Kind, fmt.Sprintf("%s/%d", k.Kind, i), label, p, fp[:], observed, collected, run)
		require.NoError(t, err, p)
	}
	return n + len(payloads)
}

// excludeSomeAssessmentEvidence takes one record in five out of the draft
// assessment, as a reviewer would.
func excludeSomeAssessmentEvidence(t *testing.T, b *bundle) {
	t.Helper()
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, b.tdb.AdminURL)
	require.NoError(t, err)
	defer admin.Close(ctx)
	tag, err := admin.Exec(ctx, `UPDATE assessment_evidence SET included = false WHERE evidence_id % 5 = 0`)
	require.NoError(t, err)
	require.Positive(t, tag.RowsAffected())
}

// checkGolden compares got with testdata/export/name (or writes it, with
// -update-golden).
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "export", filepath.FromSlash(name))
	if *updateGolden {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "no golden file: run with -update-golden on the reference implementation")
	if !bytes.Equal(want, got) {
		at := 0
		for at < len(want) && at < len(got) && want[at] == got[at] {
			at++
		}
		lo := max(0, at-80)
		t.Fatalf("%s differs from its golden file at byte %d:\nwant …%q…\n got …%q…", name, at,
			want[lo:min(len(want), at+80)], got[lo:min(len(got), at+80)])
	}
}

// checkGoldenZip compares every file of a downloaded ZIP with
// testdata/export/dir/, and the list of its files with dir/FILES.
func checkGoldenZip(t *testing.T, dir string, body []byte) {
	t.Helper()
	names := eachZipFile(t, body, func(name string, data []byte) {
		switch name {
		case "manifest.json":
			return // carries the assessment's id and the time
		case export.SumsName:
			data = regexp.MustCompile(`(?m)^[0-9a-f]{64}  manifest\.json\n`).ReplaceAll(data, nil)
		}
		checkGolden(t, dir+"/"+name, data)
	})
	checkGolden(t, dir+"/FILES", []byte(strings.Join(names, "\n")+"\n"))
}

func goldenGet(t *testing.T, c *webtest.Client, path string) []byte {
	t.Helper()
	res := c.Get(path)
	require.Equal(t, http.StatusOK, res.StatusCode, res.Text())
	return res.Body
}

// The exports' bytes are pinned: every kind, every filter shape, hostile
// values of every JSON shape, through the real handlers. A faster export
// must write exactly these files.
func TestExportBytesMatchTheGoldenFiles(t *testing.T) {
	t.Parallel()
	b := setupGitHub(t)
	entraConn, githubConn := seedGoldenExport(t, b)
	owner := b.client(t)
	owner.Login(ownerEmail, ownerPassword)
	assessment := b.createAssessment(t, owner, "Golden")
	excludeSomeAssessmentEvidence(t, b)
	auditor := b.client(t)
	auditor.Login(auditorEmail, auditPassword)

	kinds := []connector.EvidenceKind{}
	for _, conn := range b.app.Connectors.All() {
		kinds = append(kinds, conn.Definition().Evidence...)
	}
	kinds = append(kinds, document.EvidenceKind)
	for _, k := range kinds {
		checkGolden(t, "kind/"+k.Kind+".csv", goldenGet(t, auditor, "/o/acme/evidence/export?kind="+k.Kind))
		checkGolden(t, "assessment/"+k.Kind+".csv", goldenGet(t, auditor, assessment+"/export?kind="+k.Kind))
	}
	const user = "/o/acme/evidence/export?kind=" + entra.KindUser
	for name, path := range map[string]string{
		"user-entra-connection.csv":  user + "&connection=" + entraConn.String(),
		"user-github-connection.csv": user + "&connection=" + githubConn.String(),
		"user-from.csv":              user + "&from=2026-10-10",
		"user-to.csv":                user + "&to=2026-10-10",
		"user-range.csv":             user + "&from=2026-10-01&to=2026-10-20",
		"user-empty-range.csv":       user + "&from=2026-12-01",
		"user-control.csv":           user + "&control=CC6.2",
		"user-other-control.csv":     user + "&control=CC7.1",
	} {
		checkGolden(t, "filter/"+name, goldenGet(t, auditor, path))
	}
	for name, path := range map[string]string{
		"all":              "/o/acme/evidence/export",
		"control":          "/o/acme/evidence/export?control=CC6.1",
		"github-range":     "/o/acme/evidence/export?connection=" + githubConn.String() + "&from=2026-10-01&to=2026-10-20",
		"assessment":       assessment + "/export.zip",
		"control-in-range": "/o/acme/evidence/export?control=CC7.1&from=2026-10-15",
	} {
		checkGoldenZip(t, "zip/"+name, goldenGet(t, auditor, path))
	}
}
