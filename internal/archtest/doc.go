// Package archtest holds the tests that keep attest's dependency rules
// (DESIGN.md, "Layout"): imports point down, views know nothing of HTTP or
// the database, internal packages nothing of web, jobs or views, connectors
// nothing of the database, and SQL is sent only from db. make verify runs
// them; the package has no code of its own.
package archtest
