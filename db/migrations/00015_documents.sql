-- Documents: evidence a person provides (a file or a link) for the criteria
-- no connector can check, with an owner, the period it covers and a review
-- date. Each upload is an immutable revision, stored as typed evidence of
-- kind document.revision so the evidence list, exports, retention and
-- assessments treat it like a connector's record.
--
-- A revision's evidence row names the document as its source: for kind
-- document.revision, evidence.connection_id holds the document's id and
-- first_run_id the revision's (evidence keeps no foreign key on either, see
-- 00004_sync.sql), so fingerprints are unique per document and the current
-- state projection points at each document's newest revision.
--
-- Bytes live in document_blobs (PostgreSQL, in chunks so they stream both
-- ways) or in an S3-compatible bucket (storage = 's3', storage_key names the
-- object); the SHA-256 and metadata are here either way.

-- +goose Up
CREATE TABLE documents (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id         uuid NOT NULL REFERENCES organizations (id),
    title          text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description    text NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    owner_user_id  uuid NOT NULL REFERENCES users (id),
    review_cadence text NOT NULL CHECK (review_cadence IN ('monthly', 'quarterly', 'yearly', 'date')),
    -- The day by which a new revision is due (UTC); past it the document
    -- has lapsed and the criteria it supports are stale.
    next_review_on date NOT NULL,
    -- The period the document covers (inclusive), when it describes one.
    period_start   date,
    period_end     date,
    created_at     timestamptz NOT NULL,
    created_by     uuid REFERENCES users (id),
    updated_at     timestamptz NOT NULL,
    deleted_at     timestamptz,
    CHECK (period_end IS NULL OR period_start IS NULL OR period_end >= period_start)
);
CREATE INDEX documents_org_idx ON documents (org_id, title);

CREATE TABLE document_revisions (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id        uuid NOT NULL REFERENCES organizations (id),
    document_id   uuid NOT NULL REFERENCES documents (id),
    number        integer NOT NULL CHECK (number > 0),
    -- The document.revision evidence row of this revision.
    evidence_id   bigint NOT NULL UNIQUE REFERENCES evidence (id),
    -- A file: its SHA-256, size, sniffed type and sanitised name; a link:
    -- only external_url.
    sha256        bytea CHECK (length(sha256) = 32),
    size_bytes    bigint CHECK (size_bytes >= 0),
    content_type  text,
    file_name     text,
    external_url  text CHECK (external_url ~ '^https?://'),
    storage       text NOT NULL CHECK (storage IN ('postgres', 's3', 'link')),
    storage_key   text NOT NULL DEFAULT '',
    -- The day the revision describes (evidence.observed_at).
    observed_on   date NOT NULL,
    created_by    uuid REFERENCES users (id),
    created_at    timestamptz NOT NULL,
    UNIQUE (document_id, number),
    CHECK ((storage = 'link') = (external_url IS NOT NULL)),
    CHECK (storage = 'link' OR (sha256 IS NOT NULL AND size_bytes IS NOT NULL AND content_type IS NOT NULL AND file_name IS NOT NULL))
);
CREATE INDEX document_revisions_document_idx ON document_revisions (document_id, number DESC);

-- A PostgreSQL-stored file, in chunks of at most 256 KiB, so uploads and
-- downloads stream without holding the file in memory.
CREATE TABLE document_blobs (
    org_id      uuid NOT NULL REFERENCES organizations (id),
    -- Deferred: the chunks are written before the revision row that records
    -- where they went (a bucket's key is known only after its upload).
    revision_id uuid NOT NULL REFERENCES document_revisions (id) DEFERRABLE INITIALLY DEFERRED,
    seq         integer NOT NULL CHECK (seq >= 0),
    chunk       bytea NOT NULL CHECK (length(chunk) BETWEEN 1 AND 262144),
    PRIMARY KEY (revision_id, seq)
);

CREATE TABLE document_criteria (
    org_id      uuid NOT NULL REFERENCES organizations (id),
    document_id uuid NOT NULL REFERENCES documents (id),
    criterion   text NOT NULL CHECK (criterion ~ '^[A-Z]+[0-9]+\.[0-9]+$'),
    created_at  timestamptz NOT NULL,
    created_by  uuid REFERENCES users (id),
    PRIMARY KEY (document_id, criterion)
);
CREATE INDEX document_criteria_org_idx ON document_criteria (org_id, criterion);

-- Revisions and their bytes never change; one frozen in an approved
-- assessment (through its evidence row) is never deleted. Like the
-- evidence freeze, these run as the caller under row-level security.
-- +goose StatementBegin
CREATE FUNCTION document_revision_frozen(p_revision uuid) RETURNS boolean
    LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM document_revisions r
                   JOIN assessment_evidence ae ON ae.evidence_id = r.evidence_id AND ae.included
                   JOIN assessments a ON a.id = ae.assessment_id AND a.status = 'approved'
                   WHERE r.id = p_revision)
$$;

CREATE FUNCTION document_revision_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    rev uuid;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION '% is immutable: UPDATE refused', TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- Each branch is planned only when it runs, so each names its own column.
    IF TG_TABLE_NAME = 'document_revisions' THEN
        rev := OLD.id;
    ELSE
        rev := OLD.revision_id;
    END IF;
    IF document_revision_frozen(rev) THEN
        RAISE EXCEPTION 'document revision % is frozen in an approved assessment: DELETE refused', rev
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER document_revisions_immutable BEFORE UPDATE OR DELETE ON document_revisions
    FOR EACH ROW EXECUTE FUNCTION document_revision_guard();
CREATE TRIGGER document_revisions_no_truncate BEFORE TRUNCATE ON document_revisions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER document_blobs_immutable BEFORE UPDATE OR DELETE ON document_blobs
    FOR EACH ROW EXECUTE FUNCTION document_revision_guard();
CREATE TRIGGER document_blobs_no_truncate BEFORE TRUNCATE ON document_blobs
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Alerts about a document (lapsed, review due, bytes that no longer match
-- their hash) sit beside the connections' alerts: exactly one of
-- connection_id and document_id is set, and a kind opens once per document.
ALTER TABLE alerts
    ALTER COLUMN connection_id DROP NOT NULL,
    ADD COLUMN document_id uuid REFERENCES documents (id),
    ADD CONSTRAINT alerts_one_subject CHECK ((connection_id IS NULL) <> (document_id IS NULL)),
    DROP CONSTRAINT alerts_kind_check,
    ADD CONSTRAINT alerts_kind_check CHECK (kind IN ('stale', 'needs_reauth', 'sync_failing',
                                                     'document_lapsed', 'document_review_due', 'document_tampered'));
CREATE UNIQUE INDEX alerts_open_document_idx ON alerts (document_id, kind) WHERE resolved_at IS NULL;

ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE documents FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON documents USING (org_id = (SELECT app_org_id())) WITH CHECK (org_id = (SELECT app_org_id()));
ALTER TABLE document_revisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE document_revisions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON document_revisions USING (org_id = (SELECT app_org_id())) WITH CHECK (org_id = (SELECT app_org_id()));
ALTER TABLE document_blobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE document_blobs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON document_blobs USING (org_id = (SELECT app_org_id())) WITH CHECK (org_id = (SELECT app_org_id()));
ALTER TABLE document_criteria ENABLE ROW LEVEL SECURITY;
ALTER TABLE document_criteria FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON document_criteria USING (org_id = (SELECT app_org_id())) WITH CHECK (org_id = (SELECT app_org_id()));

GRANT SELECT, INSERT, UPDATE ON documents TO attest_app;
GRANT SELECT, INSERT, DELETE ON document_revisions, document_blobs, document_criteria TO attest_app;

-- +goose Down
SELECT 1;
