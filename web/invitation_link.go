package web

import (
	"encoding/gob"

	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/views/pages/auditors"
)

func init() { gob.Register(auditors.Link{}) }

// keyNewLink prefixes the cookie key that carries a just-created invitation
// link from the form's POST to the page the browser is redirected to.
const keyNewLink = "new_invitation_link:"

// keepLinkOnce hands a just-created invitation link to the next view of
// page (after the redirect that follows the POST, so a reload does not
// invite again). It travels only in the inviter's own cookie, which is
// encrypted and authenticated: never in a flash message, a log line, a URL
// or the database, which keeps only the secret's hash.
func keepLinkOnce(c echo.Context, page string, link auditors.Link) {
	if sess := cookieSession(c); sess != nil {
		sess.Values[keyNewLink+page] = link
	}
}

// takeLink returns the link kept for page, if any, and forgets it: it is
// shown once.
func takeLink(c echo.Context, page string) *auditors.Link {
	sess := cookieSession(c)
	if sess == nil {
		return nil
	}
	link, ok := sess.Values[keyNewLink+page].(auditors.Link)
	if !ok {
		return nil
	}
	delete(sess.Values, keyNewLink+page)
	// The page carries the secret: no cache keeps it.
	c.Response().Header().Set("Cache-Control", "no-store")
	return &link
}
