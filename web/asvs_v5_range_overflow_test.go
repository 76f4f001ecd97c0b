package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/connector/entra"
)

// ASVS 5.1.3 / 5.1.4: numbers from the client are checked against their
// range before any arithmetic, so an absurd value is refused instead of
// overflowing into a negative OFFSET or a wrapped-around duration.

func TestAbsurdPageNumbersAreRefusedNotOverflowed(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	path, _ := b.connectAndSync(t, c)
	check := path + "/checks/" + entra.CheckMFAMembers

	for _, page := range []string{"21474838", "99999999999999999999", "-3", "0", "two"} {
		r := c.Get(check + "?page=" + page)
		require.Equal(t, http.StatusBadRequest, r.StatusCode, page)
		require.Contains(t, r.Text(), "pages are numbered from 1 to 21,474,837", page)
	}
	last := c.Get(check + "?page=21474837")
	require.Equal(t, http.StatusOK, last.StatusCode)
	require.Zero(t, last.Doc(t).Find(`[data-testid="subject-row"]`).Length())

	// A keyset cursor out of any record's range is ignored, not sent on.
	for _, before := range []string{"9223372036854775807_1", "-9223372036854775808_5", "1700000000000000_-1"} {
		r := c.Get("/o/acme/evidence?before=" + url.QueryEscape(before))
		require.Equal(t, http.StatusOK, r.StatusCode, before)
	}
	require.NotContains(t, b.logs.String(), "request failed")
}

func TestStaleHoursBeyondTheRangeAreRefusedNotWrapped(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	path, connID := b.connectAndSync(t, c)
	c.Get(path)
	before := b.count(t, b.org.ID, `SELECT stale_after_seconds FROM connections WHERE id = $1`, connID)

	// 5124097 hours in nanoseconds wraps int64 around to about one hour.
	for _, hours := range []string{"5124097", "9223372036854775807", "721"} {
		r := c.Post(path+"/settings", url.Values{"stale_hours": {hours}, "inactive_days": {"90"}})
		require.Equal(t, http.StatusUnprocessableEntity, r.StatusCode, hours)
		require.Contains(t, r.Text(), "1 to 720 hours", hours)
	}
	require.Equal(t, before, b.count(t, b.org.ID, `SELECT stale_after_seconds FROM connections WHERE id = $1`, connID))
	require.Zero(t, countOf(b.auditActions(t, b.org.ID), "connection.settings"))
}
