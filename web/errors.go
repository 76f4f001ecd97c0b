package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	errpage "github.com/attesthq/attest/views/pages/errors"
)

// problems are the plain-language texts of the error pages.
var problems = map[int]errpage.Problem{
	http.StatusBadRequest:            {Title: "That request could not be understood", Message: "Check the address or the form and try again."},
	http.StatusUnauthorized:          {Title: "Please sign in", Message: "Your session has ended. Sign in again to continue."},
	http.StatusForbidden:             {Title: "You can't do that here", Message: "Your role does not allow this action."},
	http.StatusNotFound:              {Title: "Page not found", Message: "There is nothing here, or you do not have access to it."},
	http.StatusConflict:              {Title: "That conflicts with the current state", Message: "Reload the page and try again."},
	http.StatusGone:                  {Title: "That is no longer available", Message: "It was removed before the action finished."},
	http.StatusMethodNotAllowed:      {Title: "That action isn't available here", Message: "The page does not accept this kind of request."},
	http.StatusRequestEntityTooLarge: {Title: "That upload is too large", Message: "Send less data and try again."},
	http.StatusTooManyRequests:       {Title: "Too many requests", Message: "Wait a moment and try again."},
	http.StatusInternalServerError:   {Title: "Something went wrong on our side", Message: "The error has been logged. Try again in a moment; if it keeps happening, give the reference below to your administrator."},
	http.StatusServiceUnavailable:    {Title: "attest is not ready", Message: "The service is starting or its database is unreachable. Try again in a moment."},
}

// handleError is the one place errors become responses. Internal details are
// logged with the request id and never shown; the page shows the id instead.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	code := http.StatusInternalServerError
	message := ""
	var he *echo.HTTPError
	if errors.As(err, &he) {
		code = he.Code
		if m, ok := he.Message.(string); ok {
			message = m
		}
	}
	p, ok := problems[code]
	if !ok {
		p = problems[http.StatusInternalServerError]
		if code < 500 {
			p = problems[http.StatusBadRequest]
		}
	}
	switch {
	case code >= 500:
		s.Log.ErrorContext(c.Request().Context(), "request failed", slog.String("route", c.Path()), slog.Any("err", err))
	case code == http.StatusForbidden && message == errCSRF:
		p.Title, p.Message = "This form has expired", "For your security the form could not be accepted. Go back, reload the page and try again."
	case code < 500 && message != "" && message != http.StatusText(code):
		p.Message = message
	}
	p.Status = code
	p.RequestID = requestID(c)
	p.SignedIn = currentUser(c) != nil
	c.Response().Header().Set("X-Attest-Error", fmt.Sprintf("%s (reference %s)", p.Title, p.RequestID))
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(code)
		return
	}
	if rerr := s.render(c, code, errpage.Page(p)); rerr != nil {
		s.Log.ErrorContext(c.Request().Context(), "render error page", slog.Any("err", rerr))
		_ = c.String(code, p.Title)
	}
}
