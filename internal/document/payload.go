package document

import (
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/evidence"
)

// Kind is the evidence kind of a document revision.
const Kind = "document.revision"

// schemaVersion is the version of Payload.
const schemaVersion = 1

// Payload is a revision's evidence record: the content's hash and the
// metadata that make it evidence, so the fingerprint changes with either.
type Payload struct {
	DocumentID  string   `json:"document_id"`
	Title       string   `json:"title"`
	Revision    int      `json:"revision"`
	Owner       string   `json:"owner"`
	Criteria    []string `json:"criteria"`
	ObservedOn  string   `json:"observed_on"`
	PeriodStart string   `json:"period_start,omitempty"`
	PeriodEnd   string   `json:"period_end,omitempty"`
	SHA256      string   `json:"sha256,omitempty"`
	Size        int64    `json:"size,omitempty"`
	ContentType string   `json:"content_type,omitempty"`
	FileName    string   `json:"file_name,omitempty"`
	URL         string   `json:"url,omitempty"`
}

// EvidenceKind describes document revisions beside the connectors' kinds,
// for evidence pages and exports.
var EvidenceKind = connector.EvidenceKind{
	Kind: Kind, Title: "Document revisions", SchemaVersion: schemaVersion, Fields: connector.JSONFields(Payload{}),
	Description: "Each revision of a document people provide: its SHA-256, type and name, or its link, with the criteria it supports.",
}

// record builds the revision's evidence record.
func record(doc dbsqlc.Document, owner string, criteria []string, number int, c staged, observedOn time.Time) (connector.Record, error) {
	p := Payload{DocumentID: doc.ID.String(), Title: doc.Title, Revision: number, Owner: owner, Criteria: criteria,
		ObservedOn: observedOn.Format(time.DateOnly), URL: c.link}
	if doc.PeriodStart != nil {
		p.PeriodStart = doc.PeriodStart.Format(time.DateOnly)
	}
	if doc.PeriodEnd != nil {
		p.PeriodEnd = doc.PeriodEnd.Format(time.DateOnly)
	}
	if c.file != nil {
		p.SHA256, p.Size, p.ContentType, p.FileName = hex.EncodeToString(c.sum[:]), c.size, c.contentType, c.name
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return connector.Record{}, err
	}
	return connector.Record{Kind: Kind, SchemaVersion: schemaVersion, SubjectKey: doc.ID.String(), SubjectLabel: doc.Title,
		ObservedAt: observedOn, Payload: raw}, nil
}

// fingerprint is the evidence fingerprint of r, as for every other kind.
func fingerprint(r connector.Record) [32]byte { return evidence.Fingerprint(r) }
