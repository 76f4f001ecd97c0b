package web

import (
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

// refuseBadText is the one gate every text value passes before a handler
// runs: the decoded path (and so every path parameter), the query string and
// an urlencoded or multipart form body. A NUL byte or invalid UTF-8 anywhere
// is answered 400 through the central error handler: PostgreSQL refuses
// both in text, and a value the database cannot store is not one a handler
// should ever see. It runs after routing (it is attached with Use), so the
// path parameters are the ones the matched route will read.
func refuseBadText(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if !cleanText(req.URL.Path) {
			return badTextError("the address")
		}
		for _, v := range c.ParamValues() {
			if !cleanText(v) {
				return badTextError("the address")
			}
		}
		query, _ := url.ParseQuery(req.URL.RawQuery)
		if name, ok := firstBadValue(query); !ok {
			return badTextError(name)
		}
		if hasForm(req) && !isDocumentUpload(c) { // uploads stream: readUpload checks their fields
			form, err := c.FormParams()
			if err != nil {
				return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read. Reload the page and try again.").SetInternal(err)
			}
			if name, ok := firstBadValue(form); !ok {
				return badTextError(name)
			}
		}
		return next(c)
	}
}

// hasForm reports whether the request carries a form body worth parsing.
func hasForm(req *http.Request) bool {
	switch req.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
	default:
		return false
	}
	mt, _, _ := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	return mt == echo.MIMEApplicationForm || mt == echo.MIMEMultipartForm
}

// firstBadValue checks every name and value and, on the first that is not
// clean text, returns how to call it in a message and false.
func firstBadValue(values url.Values) (string, bool) {
	for name, vs := range values {
		if !cleanText(name) {
			return "a field name", false
		}
		for _, v := range vs {
			if !cleanText(v) {
				return fmt.Sprintf("the field %q", name), false
			}
		}
	}
	return "", true
}

// cleanText reports whether s is valid UTF-8 without a NUL byte: text
// PostgreSQL can store.
func cleanText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

func badTextError(where string) error {
	return echo.NewHTTPError(http.StatusBadRequest,
		"The request was refused: "+where+" contains a NUL character or bytes that are not valid UTF-8 text. Remove them and try again.")
}
