// Package document keeps the evidence people provide: documents (a file or
// a link) with an owner, the period they cover, a review date and the
// criteria they support, and their immutable revisions.
//
// An upload streams through a temporary file, hashed with SHA-256 on the
// way and bounded by a size limit, so a file is never held whole in memory.
// Its type is decided by sniffing the content against an allowlist (never
// by its name or the client's header); an Office Open XML file is
// recognised from its ZIP central directory alone, never expanded. The
// bytes then go to a Store (PostgreSQL by default, or an S3-compatible
// bucket), while the hash and metadata always stay in PostgreSQL. Each
// revision is also a typed evidence record of kind document.revision,
// fingerprinted over the content's hash and its metadata, so evidence lists,
// exports, retention and assessments treat it like a connector's record.
//
// A download copies the stored bytes to a temporary file while hashing them
// and is refused, with an alert, when they no longer match the stored hash.
package document
