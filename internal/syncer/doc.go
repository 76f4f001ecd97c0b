// Package syncer runs one sync of one connection: it takes the connection's
// advisory lock (so a connection is never synced twice at once, whatever
// the job queue does), records the run, unseals the credentials, has the
// platform's runner (connector.Run) collect every dataset into evidence
// writers and persist rotated credentials at once, commits the
// datasets that succeeded and rolls back the rest, stores the check results
// with exclusions applied, and finishes the run, the connection's schedule
// and the audit row. It classifies failures so the job knows whether to
// retry (transient) or stop (needs re-authorization).
package syncer
