package web

import (
	"bytes"
	"net/http"
	"sync"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/views/layout"
)

// renderBuffers recycles page buffers: pages run to tens of kilobytes, and
// growing a fresh buffer for each was a large share of a page's garbage.
var renderBuffers = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 64<<10)) }}

// render writes a full page or, for an htmx request that targets part of the
// page, the same component: callers pass the fragment they want for htmx.
// Output is buffered so a render error still becomes a clean 500.
func (s *Server) render(c echo.Context, status int, comp templ.Component) error {
	ctx := layout.WithRequest(c.Request().Context(), layout.Request{
		CSRF:      csrfToken(c),
		RequestID: requestID(c),
		Now:       s.Clock.Now(),
		Path:      c.Request().URL.Path,
	})
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer func() {
		buf.Reset()
		renderBuffers.Put(buf)
	}()
	if err := comp.Render(ctx, buf); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Add("Vary", "HX-Request")
	return c.HTMLBlob(status, buf.Bytes())
}

// fragmentRequest reports whether to answer with a fragment: an htmx request
// that is neither a boosted navigation nor a history restore.
func fragmentRequest(c echo.Context) bool {
	h := c.Request().Header
	return h.Get("HX-Request") == "true" && h.Get("HX-Boosted") == "" && h.Get("HX-History-Restore-Request") == ""
}

// page builds the shell's view model for the current request, taking the
// pending flashes.
func (s *Server) page(c echo.Context, title, nav string) layout.Page {
	p := layout.Page{Title: title, Nav: nav, Flashes: takeFlashes(c)}
	if u := currentUser(c); u != nil {
		p.User = &layout.User{Email: u.Email, DisplayName: u.DisplayName}
	}
	if o := currentOrg(c); o.Slug != "" {
		p.Org = &layout.Org{Slug: o.Slug, Name: o.Name, Role: currentRole(c)}
		p.Orgs = userOrgs(c)
		p.OpenAlerts, _ = c.Get(ctxOpenAlerts).(int)
		if limit, ok := assessmentLimit(c); ok {
			p.Org.Assessment, p.OpenAlerts = "/assessments/"+limit.String(), 0
		}
	}
	return p
}

// seeOther redirects after a successful form post; htmx follows it too.
func seeOther(c echo.Context, url string) error {
	if isHTMX(c) {
		c.Response().Header().Set("HX-Redirect", url)
		return c.NoContent(http.StatusNoContent)
	}
	return c.Redirect(http.StatusSeeOther, url)
}
