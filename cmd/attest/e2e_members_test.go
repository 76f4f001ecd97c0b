package main

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// e2eColleagueEmail is the colleague the owner invites as an admin.
const e2eColleagueEmail = "colleague@acme.test"

// membersFlow: the owner invites a colleague as an admin from Members; the
// colleague accepts in a browser of their own; the owner makes them an
// owner and an admin again, and is refused when removing the last owner.
func membersFlow(t *testing.T, chrome context.Context, axe string) {
	srv := startE2EServer(t, e2eServerOptions{})
	owner := newTab(t, chrome, srv.URL, axe)
	owner.signIn(e2eOwnerEmail, e2eOwnerPassword)
	owner.follow(`nav a[href="/o/acme/settings/members"]`)
	owner.fill("#email", e2eColleagueEmail)
	owner.follow(`[data-testid="invite-member"]`) // redirected to the page that shows the link, once
	link := owner.text(`[data-testid="invitation-url"]`)
	require.True(t, strings.HasPrefix(link, srv.URL+"/invitations/"), link)
	owner.mainPage("members")

	colleague := newTab(t, chrome, srv.URL, axe)
	colleague.open(strings.TrimPrefix(link, srv.URL))
	require.Equal(t, "Join Acme Corp as an admin", colleague.text("h1"))
	colleague.fill("#password", "colleague passphrase 2026")
	colleague.fill("#confirm", "colleague passphrase 2026")
	colleague.follow(`[data-testid="accept"]`)
	require.Equal(t, "/o/acme/", colleague.path())
	colleague.follow(`nav a[href="/o/acme/settings/members"]`)
	require.Equal(t, 1, colleague.count(`[data-testid="owners-only"]`), "an admin sees the team read-only")

	owner.open("/o/acme/settings/members")
	row := `[data-testid="member-row"][data-email="` + e2eColleagueEmail + `"]`
	require.Equal(t, "admin", owner.attr(row, "data-role"))
	owner.setsRole(row, "owner")
	owner.setsRole(row, "admin")

	self := `[data-testid="member-row"][data-email="` + e2eOwnerEmail + `"]`
	confirmed := owner.acceptNextDialog()
	owner.followStatus(self+` [data-testid="remove-member"]`, 409)
	require.Contains(t, <-confirmed, "Their access ends at once")
	require.Contains(t, owner.text(`[data-testid="form-error"]`), "keeps at least one owner")
	require.Equal(t, "owner", owner.attr(self, "data-role"))
}

// setsRole chooses role in the member row's role menu and applies it.
func (tb *tab) setsRole(row, role string) {
	tb.t.Helper()
	tb.do(chromedp.SetValue(chromedp.CSS(row+` select[name="role"]`), role))
	tb.follow(row + ` [data-testid="change-role"]`)
	require.Equal(tb.t, role, tb.attr(row, "data-role"))
}
