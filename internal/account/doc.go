// Package account creates organizations, users and memberships: the
// operations behind `attest org create`, `attest user create`, the demo data
// of `attest dev` and auditor invitations. Users are global (one person may
// belong to several organizations); memberships carry the role.
package account
