package main

import (
	"testing"
)

// TestE2E is the browser suite: the real attest application (web server,
// River workers, Entra simulator, PostgreSQL) driven through Debian's
// Chromium. Each scenario has its own server and database and runs in
// parallel with the others in one shared browser; every main page is checked
// with axe-core and photographed into test-artifacts/screenshots (and
// docs/screenshots with ATTEST_UPDATE_SCREENSHOTS=1).
func TestE2E(t *testing.T) {
	chrome := startE2EBrowser(t)
	axe := loadAxe(t)
	t.Run("owner", func(t *testing.T) {
		t.Parallel()
		ownerFlow(t, chrome, axe)
	})
	t.Run("auditor", func(t *testing.T) {
		t.Parallel()
		auditorFlow(t, chrome, axe)
	})
	t.Run("members", func(t *testing.T) {
		t.Parallel()
		membersFlow(t, chrome, axe)
	})
	t.Run("complete", func(t *testing.T) {
		t.Parallel()
		completeFlow(t, chrome, axe)
	})
	t.Run("stale", func(t *testing.T) {
		t.Parallel()
		staleFlow(t, chrome, axe)
	})
	t.Run("github", func(t *testing.T) {
		t.Parallel()
		githubFlow(t, chrome, axe)
	})
}
