// Package evidence stores what connectors collect: an append-only history of
// typed, fingerprinted records, and the current-state projection of what
// each source looks like now.
//
// A dataset is written through a Writer inside one transaction: records
// whose fingerprint matches the subject's current one are counted and
// dropped; the rest are COPYed into a temporary staging table as pages
// arrive, and Commit merges them set-wise (new fingerprints append to
// evidence, the projection is rewritten, subjects that disappeared leave it
// and the change is logged). A dataset that fails is rolled back whole, so
// no partial rows survive it.
package evidence
