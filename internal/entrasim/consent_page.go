package entrasim

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
)

//go:embed assets
var assets embed.FS

var (
	consentTemplate = template.Must(template.ParseFS(assets, "assets/layout.html", "assets/consent.html"))
	errorTemplate   = template.Must(template.ParseFS(assets, "assets/layout.html", "assets/error.html"))
	simCSS          = mustRead("assets/sim.css")
)

func mustRead(name string) []byte {
	b, err := assets.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return b
}

// consentPage is the data of the consent page.
type consentPage struct {
	Title        string
	CSS          string
	Admin        bool
	TenantName   string
	TenantDomain string
	AppName      string
	UserName     string
	UserUPN      string
	Permissions  []consentLine
	Action       string
	Flow         string
}

// errorPage is the data of an identity platform error page.
type errorPage struct {
	Title string
	CSS   string
	Error struct {
		Headline, TraceID, CorrelationID, Timestamp string
	}
}

// serveCSS serves the pages' stylesheet.
func (s *Simulator) serveCSS(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/css; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(len(simCSS)))
	_, _ = w.Write(simCSS)
}

func (s *Simulator) cssPath() string { return s.base + "/login/_sim.css" }

// renderConsent shows the consent page; its form may only post back here and
// redirect to the app's redirect URI.
func (s *Simulator) renderConsent(w http.ResponseWriter, p consentPage, redirectURI string) {
	p.CSS = s.cssPath()
	p.Title = "Permissions requested"
	s.renderPage(w, http.StatusOK, consentTemplate, p, "'self' "+formTarget(redirectURI))
}

// renderError shows an error page for e; Microsoft never redirects to an
// unverified redirect URI.
func (s *Simulator) renderError(w http.ResponseWriter, r *http.Request, e aadError) {
	tr := s.newTrace(r)
	s.log.InfoContext(r.Context(), "entrasim: sign-in error page", "code", e.code)
	p := errorPage{Title: "Sign-in error", CSS: s.cssPath()}
	p.Error.Headline, p.Error.TraceID, p.Error.CorrelationID, p.Error.Timestamp = e.headline(), tr.traceID, tr.correlationID, tr.timestamp
	s.renderPage(w, e.status, errorTemplate, p, "'none'")
}

func (s *Simulator) renderPage(w http.ResponseWriter, status int, t *template.Template, data any, formAction string) {
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		s.log.Error("entrasim: render page", "err", err)
		http.Error(w, "entrasim: render page", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; form-action "+formAction+"; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// formTarget is the CSP source of a redirect URI: browsers check a form's
// redirects against form-action.
func formTarget(redirectURI string) string {
	u, err := url.Parse(redirectURI)
	if err != nil || u.Scheme == "" {
		return ""
	}
	if u.Host == "" {
		return u.Scheme + ":"
	}
	return u.Scheme + "://" + u.Host
}
