package web

import (
	"encoding/gob"

	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/views/layout"
)

func init() { gob.Register(layout.Flash{}) }

// flash queues a one-time message for the next page the user sees.
func flash(c echo.Context, kind, message string) {
	if sess := cookieSession(c); sess != nil {
		sess.AddFlash(layout.Flash{Kind: kind, Message: message})
	}
}

func takeFlashes(c echo.Context) []layout.Flash {
	sess := cookieSession(c)
	if sess == nil {
		return nil
	}
	var out []layout.Flash
	for _, f := range sess.Flashes() {
		if fl, ok := f.(layout.Flash); ok {
			out = append(out, fl)
		}
	}
	return out
}
