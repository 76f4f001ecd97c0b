// Package jobs holds attest's River jobs: their arguments (ids only, never
// secrets), their workers, the periodic-job table, and the client that runs
// them in the same binary as the web server. Periodic jobs run on the
// elected leader only, so any number of replicas is safe.
package jobs
