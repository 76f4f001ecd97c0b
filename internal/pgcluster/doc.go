// Package pgcluster starts and stops a private PostgreSQL cluster from the
// server binaries installed on the machine (initdb and pg_ctl). `attest dev`
// keeps one under .data/ between runs; the test helper boots a throwaway one
// per test binary.
//
// PostgreSQL refuses to run as root, so when the current user is root every
// server command runs as the postgres OS user through runuser, and the data
// directory is owned by that user.
package pgcluster
