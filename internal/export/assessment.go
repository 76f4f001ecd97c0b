package export

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/assessment"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/coverage"
	"github.com/attesthq/attest/internal/document"
)

// AssessmentBundle is an assessment's ZIP: evidence/<kind>.csv per kind
// with records, the document files under documents/, checks.csv and
// exclusions.csv over the period, scope.csv (the statement of applicability
// it was approved with), fingerprints.txt (the root hash's input),
// manifest.json and SHA256SUMS.
type AssessmentBundle struct {
	Assessment dbsqlc.Assessment
	// Org is the organization's slug, in every evidence CSV.
	Org string
	// Kinds are the evidence kinds to look for, in order.
	Kinds []connector.EvidenceKind
	// Documents reads the included document files, as Actor.
	Documents *document.Service
	Actor     audit.Actor
	// Now is when the bundle is generated.
	Now time.Time
	// Flush, when set, is called as evidence rows stream out.
	Flush func()
}

// assessmentManifest is manifest.json of an assessment bundle.
type assessmentManifest struct {
	Assessment  string         `json:"assessment"`
	Name        string         `json:"name"`
	Framework   string         `json:"framework"`
	PeriodStart string         `json:"period_start"`
	PeriodEnd   string         `json:"period_end"`
	Status      string         `json:"status"`
	Categories  []string       `json:"categories"`
	ApprovedAt  *time.Time     `json:"approved_at"`
	ApprovedBy  string         `json:"approved_by,omitempty"`
	RootHash    string         `json:"root_hash"`
	Provisional bool           `json:"provisional"`
	Records     int            `json:"records"`
	GeneratedAt time.Time      `json:"generated_at"`
	Files       []manifestFile `json:"files"`
}

type manifestFile struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Rows   int    `json:"rows"`
}

// Write writes the bundle to w from tx (scoped to the assessment's
// organization) and returns how many evidence records it holds.
func (ab AssessmentBundle) Write(ctx context.Context, tx pgx.Tx, w io.Writer) (int, error) {
	a := ab.Assessment
	b := NewBundle(w)
	rows := map[string]int{}
	total := 0
	for _, k := range ab.Kinds {
		file := "evidence/" + k.Kind + ".csv"
		e := KindCSV{Org: ab.Org, Open: func() (io.Writer, error) { return b.Create(file) }, Flush: ab.Flush}
		n, err := e.Write(ctx, tx, k, Filter{AssessmentID: &a.ID})
		if err != nil {
			return total, err
		}
		if n > 0 {
			rows[file] = n
		}
		total += n
	}
	if err := ab.documents(ctx, tx, b); err != nil {
		return total, err
	}
	m, err := assessmentTables(ctx, tx, b, a, rows)
	if err != nil {
		return total, err
	}
	m.GeneratedAt, m.ApprovedBy = ab.Now.UTC(), approver(ctx, tx, a)
	for _, f := range b.Files() {
		m.Files = append(m.Files, manifestFile{Name: f.Name, SHA256: f.SHA256, Rows: rows[f.Name]})
	}
	mw, err := b.Create("manifest.json")
	if err != nil {
		return total, err
	}
	enc := json.NewEncoder(mw)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return total, fmt.Errorf("export: write manifest: %w", err)
	}
	return total, b.Close()
}

// approver names who approved the assessment, or "" when no one did (or
// the user is gone).
func approver(ctx context.Context, tx pgx.Tx, a dbsqlc.Assessment) string {
	if a.ApprovedBy == nil {
		return ""
	}
	u, err := q.UserGet(ctx, tx, *a.ApprovedBy)
	if err != nil {
		return ""
	}
	return u.Email
}

// documents writes the files of the document revisions the assessment
// includes under documents/<document>/<revision>-<name>, each read through
// the document service, so bytes that no longer match their SHA-256 fail
// the export instead of entering it. The bundle's SHA256SUMS and the
// manifest list each file's hash, which equals the one in the revision's
// evidence payload, whose fingerprint is inside the root hash.
func (ab AssessmentBundle) documents(ctx context.Context, tx pgx.Tx, b *Bundle) error {
	a := ab.Assessment
	revs, err := q.DocumentAssessmentFiles(ctx, tx, a.ID)
	if err != nil {
		return fmt.Errorf("export: assessment documents: %w", err)
	}
	for _, r := range revs {
		d, err := ab.Documents.Open(ctx, a.OrgID, ab.Actor, false, r.DocumentID, r.ID)
		if err != nil {
			return err
		}
		name := fmt.Sprintf("documents/%s/%d-%s", r.DocumentID, r.Number, *r.FileName)
		w, err := b.Create(name)
		if err == nil {
			_, err = io.Copy(w, d)
		}
		_ = d.Close()
		if err != nil {
			return fmt.Errorf("export: assessment document %s: %w", name, err)
		}
	}
	return nil
}

// assessmentTables writes checks.csv, exclusions.csv, scope.csv and
// fingerprints.txt, counting their rows, and returns the manifest's
// description of a.
func assessmentTables(ctx context.Context, tx pgx.Tx, b *Bundle, a dbsqlc.Assessment, rows map[string]int) (assessmentManifest, error) {
	m := assessmentManifest{Assessment: a.ID.String(), Name: a.Name, Framework: a.Framework, Status: a.Status,
		PeriodStart: a.PeriodStart.Format(time.DateOnly), PeriodEnd: a.PeriodEnd.Format(time.DateOnly),
		Categories: append([]string{}, a.Categories...), ApprovedAt: a.ApprovedAt}
	period := dbsqlc.AssessmentChecksParams{PeriodStart: a.PeriodStart, PeriodEndExclusive: a.PeriodEnd.AddDate(0, 0, 1)}
	checks, err := q.AssessmentChecks(ctx, tx, period)
	if err != nil {
		return m, fmt.Errorf("export: assessment checks: %w", err)
	}
	err = writeTable(b, "checks.csv", rows, []string{"evaluated_at", "connection", "check", "status", "reason",
		"subjects_total", "subjects_failing", "subjects_excluded"}, len(checks), func(i int) []string {
		r := checks[i]
		return []string{Stamp(r.EvaluatedAt), r.ConnectionName, r.CheckKey, r.Status, r.Reason,
			strconv.Itoa(int(r.SubjectsTotal)), strconv.Itoa(int(r.SubjectsFailing)), strconv.Itoa(int(r.SubjectsExcluded))}
	})
	if err != nil {
		return m, err
	}
	exclusions, err := q.AssessmentExclusions(ctx, tx, dbsqlc.AssessmentExclusionsParams{PeriodStart: period.PeriodStart, PeriodEndExclusive: period.PeriodEndExclusive})
	if err != nil {
		return m, fmt.Errorf("export: assessment exclusions: %w", err)
	}
	err = writeTable(b, "exclusions.csv", rows, []string{"connection", "check", "subject", "reason", "created_at", "expires_at", "revoked_at"},
		len(exclusions), func(i int) []string {
			x := exclusions[i]
			revoked := ""
			if x.RevokedAt != nil {
				revoked = Stamp(*x.RevokedAt)
			}
			return []string{x.ConnectionName, x.CheckKey, x.SubjectLabel, x.Reason, Stamp(x.CreatedAt), Stamp(x.ExpiresAt), revoked}
		})
	if err != nil {
		return m, err
	}
	if err := writeAssessmentScope(ctx, tx, b, a, rows); err != nil {
		return m, err
	}
	if m.Records, err = writeFingerprints(ctx, tx, b, a); err != nil {
		return m, err
	}
	rows["fingerprints.txt"] = m.Records
	root := a.RootHash
	if root == nil {
		h, err := q.AssessmentRootHash(ctx, tx, a.ID)
		if err != nil {
			return m, fmt.Errorf("export: assessment root hash: %w", err)
		}
		root, m.Provisional = h.RootHash, true
	}
	m.RootHash = hex.EncodeToString(root)
	return m, nil
}

// writeFingerprints writes fingerprints.txt, one hex fingerprint a line in
// the root hash's order, and returns how many it wrote.
func writeFingerprints(ctx context.Context, tx pgx.Tx, b *Bundle, a dbsqlc.Assessment) (int, error) {
	w, err := b.Create("fingerprints.txt")
	if err != nil {
		return 0, err
	}
	line := make([]byte, 65)
	return Fingerprints(ctx, tx, a.ID, func(fp []byte) error {
		hex.Encode(line, fp)
		line[64] = '\n'
		_, err := w.Write(line)
		return err
	})
}

// writeAssessmentScope writes scope.csv: each criterion of the assessment's
// scope, with the not-applicable set recorded at approval (the current one
// before).
func writeAssessmentScope(ctx context.Context, tx pgx.Tx, b *Bundle, a dbsqlc.Assessment, rows map[string]int) error {
	marked, err := assessment.NotApplicable(ctx, tx, a)
	if err != nil {
		return err
	}
	byID := make(map[string]*coverage.Exemption, len(marked))
	for i := range marked {
		byID[marked[i].Criterion] = &marked[i].Exemption
	}
	criteria := assessment.Scope(a)
	return writeTable(b, "scope.csv", rows, ScopeHeader, len(criteria), func(i int) []string {
		return ScopeRow(criteria[i], byID[criteria[i].ID])
	})
}

// writeTable writes a neutralized CSV file of n rows into the bundle and
// counts them in rows.
func writeTable(b *Bundle, name string, rows map[string]int, header []string, n int, row func(int) []string) error {
	w, err := b.Create(name)
	if err != nil {
		return err
	}
	t, err := NewTable(w, header)
	if err != nil {
		return err
	}
	for i := range n {
		if err := t.Write(row(i)); err != nil {
			return err
		}
	}
	rows[name] = t.Rows()
	return t.Flush()
}
