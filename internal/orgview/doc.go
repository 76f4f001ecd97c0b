// Package orgview keeps what an organization's dashboard and control pages
// are built from, read once per change instead of once per request.
//
// Everything a View holds changes only when the organization's read version
// moves (db/migrations/00024_org_versions.sql bumps it, at commit, whenever
// a row it is read from changes) or when the day changes (the chart's
// window). Every page reads the version in the transaction that admits the
// request, so a Cache keyed by (organization, version, day) serves exactly
// what a fresh read would on any replica. What depends on the time of the
// request (a connection going stale, a document lapsing, an exclusion
// expiring) is kept as stored and judged at the request's clock by the
// caller (coverage.Source.Input, View.ActiveExclusions).
package orgview
