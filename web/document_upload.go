package web

import (
	"crypto/subtle"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/document"
	"github.com/attesthq/attest/views/layout"
	"github.com/attesthq/attest/views/pages/documents"
)

// Upload routes read their multipart body as a stream, so the global 2 MB
// body limit and checkCSRF (which would parse the whole form into memory)
// stand aside for them: the form token is read from the body in order,
// before the file, and the body is bounded by the document size limit.
const (
	// uploadFieldsMax bounds the form's text fields together.
	uploadFieldsMax = 256 << 10
	// uploadFieldMax bounds one text field.
	uploadFieldMax = 32 << 10
)

// isDocumentUpload reports whether the request is to an upload route.
func isDocumentUpload(c echo.Context) bool {
	return c.Request().Method == http.MethodPost &&
		(c.Path() == "/o/:org/documents" || c.Path() == "/o/:org/documents/:document/revisions")
}

func (s *Server) documentMaxBytes() int64 {
	if s.Documents != nil && s.Documents.MaxBytes > 0 {
		return s.Documents.MaxBytes
	}
	return document.DefaultMaxBytes
}

// errUploadForm means the multipart form is malformed or its fields too large.
var errUploadForm = echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")

// readUpload reads a document form as a stream: its text fields (bounded)
// until the file part, then calls fn with them and the file (nil when no
// file was chosen). The form token must come before the file, as the
// browser sends a form whose file input is last.
func (s *Server) readUpload(c echo.Context, fn func(fields url.Values, file *multipart.Part) error) error {
	req := c.Request()
	if site := req.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return echo.NewHTTPError(http.StatusForbidden, "cross-site request refused")
	}
	req.Body = http.MaxBytesReader(c.Response(), req.Body, s.documentMaxBytes()+uploadFieldsMax)
	mr, err := req.MultipartReader()
	if err != nil {
		return errUploadForm
	}
	fields := url.Values{}
	total := 0
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return uploadError(err)
		}
		if part.FormName() == "file" {
			if part.FileName() == "" {
				continue // no file chosen: a link, or nothing
			}
			if err := s.checkUploadToken(c, fields); err != nil {
				return err
			}
			return fn(fields, part)
		}
		b, err := io.ReadAll(io.LimitReader(part, uploadFieldMax+1))
		if err != nil {
			return uploadError(err)
		}
		if total += len(b); len(b) > uploadFieldMax || total > uploadFieldsMax {
			return errUploadForm
		}
		// refuseBadText leaves the streamed body to this loop: each text
		// field passes the same gate here, before any handler sees it.
		if !cleanText(part.FormName()) || !cleanText(string(b)) {
			return badTextError(part.FormName())
		}
		fields.Add(part.FormName(), string(b))
	}
	if err := s.checkUploadToken(c, fields); err != nil {
		return err
	}
	return fn(fields, nil)
}

// checkUploadToken compares the form's token (or htmx's header) with the
// session's, as checkCSRF does for every other form.
func (s *Server) checkUploadToken(c echo.Context, fields url.Values) error {
	want := csrfToken(c)
	got := c.Request().Header.Get("X-CSRF-Token")
	if got == "" {
		got = fields.Get("_csrf")
	}
	if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return echo.NewHTTPError(http.StatusForbidden, errCSRF)
	}
	return nil
}

func uploadError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "The file is over the size limit.")
	}
	return errUploadForm
}

// content is the revision content a form describes.
func content(fields url.Values, file *multipart.Part) document.Content {
	c := document.Content{Link: strings.TrimSpace(fields.Get("link")), ObservedOn: formDate(fields, "observed_on"), ReviewOn: formDate(fields, "review_on")}
	if file != nil {
		c.Link, c.FileName, c.Body = "", file.FileName(), file
	}
	return c
}

func formDate(fields url.Values, name string) time.Time {
	t, _ := time.Parse(time.DateOnly, fields.Get(name))
	return t
}

func formDatePtr(fields url.Values, name string) *time.Time {
	if t := formDate(fields, name); !t.IsZero() {
		return &t
	}
	return nil
}

// uploadProblem is the message for a refused upload, and its status.
func uploadProblem(err error) (int, string, bool) {
	var invalid *document.InvalidError
	switch {
	case errors.As(err, &invalid):
		return http.StatusUnprocessableEntity, invalid.Error(), true
	case errors.Is(err, document.ErrTooLarge):
		return http.StatusRequestEntityTooLarge, "the file is over the size limit", true
	case errors.Is(err, document.ErrType), errors.Is(err, document.ErrEmpty), errors.Is(err, document.ErrLink):
		return http.StatusUnprocessableEntity, strings.TrimPrefix(err.Error(), "document: "), true
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return http.StatusRequestEntityTooLarge, "the file is over the size limit", true
	}
	return 0, "", false
}

// documentCreate adds a document from the streamed form.
func (s *Server) documentCreate(c echo.Context) error {
	u := currentUser(c)
	var d document.Details
	var doc uuid.UUID
	err := s.readUpload(c, func(fields url.Values, file *multipart.Part) error {
		owner, _ := uuid.Parse(fields.Get("owner"))
		d = document.Details{Title: fields.Get("title"), Description: fields.Get("description"), OwnerID: owner,
			Cadence: fields.Get("cadence"), ReviewOn: formDate(fields, "review_on"), PeriodStart: formDatePtr(fields, "period_start"),
			PeriodEnd: formDatePtr(fields, "period_end"), Criteria: fields["criteria"]}
		created, err := s.Documents.Create(c.Request().Context(), currentOrg(c).ID, audit.UserActor(u.UserID, u.Email), d, content(fields, file))
		doc = created.ID
		return err
	})
	if status, msg, ok := uploadProblem(err); ok {
		f := documents.Form{Title: d.Title, Description: d.Description, Error: "Not added: " + msg + "."}
		return s.renderDocumentForm(c, status, f, d)
	}
	if err != nil {
		return err
	}
	flash(c, layout.FlashSuccess, "Document added.")
	return seeOther(c, orgPath(c, "/documents/"+doc.String()))
}

// documentRevise uploads a new revision from the streamed form.
func (s *Server) documentRevise(c echo.Context) error {
	id, err := uuidParam(c, "document")
	if err != nil {
		return err
	}
	u := currentUser(c)
	err = s.readUpload(c, func(fields url.Values, file *multipart.Part) error {
		_, err := s.Documents.Revise(c.Request().Context(), currentOrg(c).ID, audit.UserActor(u.UserID, u.Email), id, content(fields, file))
		return err
	})
	if errors.Is(err, document.ErrNotFound) {
		return echo.ErrNotFound
	}
	if status, msg, ok := uploadProblem(err); ok {
		return s.renderDocument(c, status, "No revision uploaded: "+msg+".")
	}
	if err != nil {
		return err
	}
	flash(c, layout.FlashSuccess, "New revision uploaded.")
	return seeOther(c, orgPath(c, "/documents/"+id.String()))
}
