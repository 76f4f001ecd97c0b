// Package audit writes and verifies the append-only audit log.
//
// Each organization's log is a hash chain: a row stores the hash of the row
// before it and its own hash, computed over a canonical, length-prefixed
// encoding of every column. Rows are written in the caller's transaction, so
// an action and its audit row commit or roll back together; the chain head's
// row lock serializes concurrent writers of one organization. The database
// refuses UPDATE, DELETE and TRUNCATE of the log for every role, and Verify
// walks the chain to find a row changed behind the application's back.
package audit
