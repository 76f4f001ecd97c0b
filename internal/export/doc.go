// Package export writes evidence out of attest for auditors: CSV files with
// a fixed, documented column order, and ZIP bundles with a checksum manifest
// that verifies offline with sha256sum.
//
// # Columns
//
// Every evidence CSV has one header row, then one row per record, oldest
// first (by collected_at, then id). The columns are, in this order:
//
//	organization   the organization's slug
//	connection     the connection's display name
//	kind           the evidence kind, e.g. entra.user
//	subject        the record's subject label (a user, a policy, ...)
//	observed_at    when the source observed it, RFC 3339 in UTC
//	collected_at   when attest stored it, RFC 3339 in UTC
//	fingerprint    SHA-256 of the canonical record, lowercase hex
//	criteria       the SOC 2 criteria the kind supports, joined with "; "
//
// followed by the kind's typed fields in their documented order
// (connector.EvidenceKind.Fields), rendered by evidence.Flatten: lists joined
// with "; ", booleans true/false, numbers as written, absent fields empty.
//
// # Format
//
// RFC 4180: comma-separated, fields quoted when needed, CRLF line ends,
// UTF-8 without a byte-order mark.
//
// # Formula neutralization
//
// A spreadsheet runs a cell that starts with = + - @ (or their full-width
// forms ＝ ＋ － ＠), a tab or a carriage return as a formula. Such a cell is
// written with a single quote (') in front, so it shows as text, unless it is
// a plain number such as -3 or +1.5e3, which stays as it is.
package export
