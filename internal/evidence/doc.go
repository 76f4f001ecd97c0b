// Package evidence stores what connectors collect: an append-only history of
// typed, fingerprinted records, and the current-state projection of what
// each source looks like now.
//
// A dataset is written through a Writer inside one transaction: records
// whose fingerprint matches the subject's current one are counted and
// dropped; the rest are written in batches of a few thousand, each one
// set-wise statement with array parameters (new fingerprints append to
// evidence, the replaced records are logged, the projection points at the
// new ones), while the connector fetches the next pages. Finish, called as
// soon as the dataset is read, takes the subjects that disappeared out of
// the projection and writes an event dataset's summary while other datasets
// are still being read; Commit lands it when the run ends. A dataset that
// fails, or whose run is cancelled, is rolled back whole, so no partial rows
// survive it.
package evidence
