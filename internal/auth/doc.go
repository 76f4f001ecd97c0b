// Package auth signs people in and keeps their sessions.
//
// Passwords are hashed with argon2id. Sign-in failures are throttled per
// account and per client address (slower, then locked for a period), and
// every failure and lockout is written to the audit log of each organization
// the account belongs to. Sessions live server-side: the browser holds a
// random id (inside an authenticated, encrypted cookie) and the database
// stores only its SHA-256, so a session can be revoked on its own, and every
// sign-in issues a new id.
package auth
