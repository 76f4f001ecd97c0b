package entra

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/connector/pace"
	"github.com/attesthq/attest/internal/pgtext"
)

// RetryPolicy bounds retries of throttled and failing requests.
type RetryPolicy struct {
	// MaxRetries per request.
	MaxRetries int
	// Budget is the total time one dataset may spend waiting to retry.
	Budget time.Duration
	// BaseDelay starts the exponential backoff when no Retry-After is given.
	BaseDelay time.Duration
	MaxDelay  time.Duration
	// RequestTimeout bounds each request, body included.
	RequestTimeout time.Duration
	// MaxPageBytes refuses pages larger than this.
	MaxPageBytes int64
}

// DefaultRetry is the production retry policy.
var DefaultRetry = RetryPolicy{MaxRetries: 8, Budget: 3 * time.Minute, BaseDelay: time.Second, MaxDelay: 30 * time.Second,
	RequestTimeout: 90 * time.Second, MaxPageBytes: 64 << 20}

// graphError is a Graph request that failed for good.
type graphError struct {
	Class   connector.ErrorClass
	Status  int
	Code    string
	Message string
}

func (e *graphError) Error() string {
	if e.Status == 0 {
		return e.Message
	}
	return fmt.Sprintf("Graph answered %d %s: %s", e.Status, e.Code, e.Message)
}

// graph is one sync's Graph client for one tenant.
type graph struct {
	http     *http.Client
	root     string
	token    *tokenSource
	pacer    *pace.Pacer
	retry    RetryPolicy
	observer pace.Observer
}

func newGraph(client *http.Client, root string, token *tokenSource, p *pace.Pacer, retry RetryPolicy, observer pace.Observer) *graph {
	return &graph{http: client, root: strings.TrimSuffix(root, "/"), token: token, pacer: p, retry: retry, observer: observer}
}

// list reads a collection, following @odata.nextLink verbatim until it is
// absent, and hands each page to fn. The next page is fetched and decoded
// while fn processes the current one.
func list[T any](ctx context.Context, g *graph, d pace.Demand, url string, stats *pace.Stats, fn func([]T) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := make(chan page[T], 1)
	go prefetch(ctx, g, g.pacer.Open(d), url, stats, pages)
	for p := range pages {
		if p.err != nil {
			return p.err
		}
		if err := fn(p.Value); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// page is one page of a Graph collection, decoded in a single pass.
type page[T any] struct {
	NextLink string `json:"@odata.nextLink"`
	Value    []T    `json:"value"`
	err      error
}

// prefetch fetches and decodes pages in order, one ahead of the consumer,
// and closes pages (and the pacer's lane) after the last one or the first
// error.
func prefetch[T any](ctx context.Context, g *graph, l *pace.Lane, url string, stats *pace.Stats, pages chan<- page[T]) {
	defer close(pages)
	defer g.pacer.Close(l)
	for url != "" {
		var p page[T]
		p.err = g.get(ctx, l, url, stats, &p)
		if p.err == nil && p.NextLink != "" && !strings.HasPrefix(p.NextLink, "https://") && !strings.HasPrefix(p.NextLink, "http://") {
			p.err = &graphError{Class: connector.ErrorMalformed, Message: "Graph returned a nextLink that is not an absolute URL"}
		}
		if p.err == nil && p.Value == nil {
			p.err = &graphError{Class: connector.ErrorMalformed, Status: http.StatusOK, Message: "Graph returned a page without a value array"}
		}
		select {
		case pages <- p:
		case <-ctx.Done():
			return
		}
		if p.err != nil {
			return
		}
		url = p.NextLink
	}
}

// get fetches one page into out through the pacer's retry loop: paced in
// every family of l's demand, refreshing the token once on 401, retrying
// 429, 503, 504 and other server errors within the retry policy. A 429, or
// a 503 with Retry-After, pauses the whole family, not only this request.
func (g *graph) get(ctx context.Context, l *pace.Lane, url string, stats *pace.Stats, out any) error {
	label := demandLabel(l.Demand())
	refreshed := false
	status := 0
	err := g.pacer.Do(ctx, l, pace.Policy{MaxRetries: g.retry.MaxRetries, Budget: g.retry.Budget}, stats,
		func() { g.observer.Retry(label) },
		func(ctx context.Context) pace.Answer {
			token, err := g.token.access(ctx)
			if err != nil {
				return pace.Answer{Verdict: pace.Done, Err: err}
			}
			g.observer.Request(label)
			var header http.Header
			status, header, err = g.do(ctx, url, token, out)
			retryAfter := pace.RetryAfter(header)
			switch {
			case err == nil && status == http.StatusOK:
				return pace.Answer{Verdict: pace.Done}
			case err != nil && status == 0:
				return pace.Answer{Verdict: pace.Failed, Err: err} // the network failed: retry
			case status == http.StatusOK:
				return pace.Answer{Verdict: pace.Done, Err: err} // a malformed page is not retried
			case status == http.StatusUnauthorized && !refreshed:
				refreshed = true
				if err := g.token.refresh(ctx, token); err != nil {
					return pace.Answer{Verdict: pace.Done, Err: err}
				}
				return pace.Answer{Verdict: pace.Again}
			case status == http.StatusTooManyRequests || (status == http.StatusServiceUnavailable && retryAfter >= 0):
				if status == http.StatusTooManyRequests {
					g.observer.Throttled(label)
				}
				return pace.Answer{Verdict: pace.Throttle, RetryAfter: retryAfter, Err: err}
			case status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout:
				return pace.Answer{Verdict: pace.Busy, RetryAfter: retryAfter, Err: err}
			case status >= 500:
				return pace.Answer{Verdict: pace.Failed, Err: err}
			}
			return pace.Answer{Verdict: pace.Done, Err: err}
		})
	var gu *pace.GiveUp
	if errors.As(err, &gu) {
		class := connector.ErrorTransient
		if status == http.StatusTooManyRequests {
			class = connector.ErrorThrottled
		}
		return &graphError{Class: class, Status: status, Message: gu.Error()}
	}
	return err
}

// do sends one request. It returns the status (0 when the request failed
// before an answer), the headers, and the decode or Graph error.
func (g *graph) do(ctx context.Context, url, token string, out any) (int, http.Header, error) {
	ctx, cancel := context.WithTimeout(ctx, g.retry.RequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, nil, &graphError{Class: connector.ErrorMalformed, Message: "bad Graph URL: " + err.Error()}
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	resp, err := g.http.Do(req)
	if err != nil {
		return 0, nil, &graphError{Class: connector.ErrorTransient, Message: "Graph request failed: " + redactURLError(err)}
	}
	defer resp.Body.Close()
	body := io.LimitReader(resp.Body, g.retry.MaxPageBytes+1)
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, resp.Header, decodeGraphError(resp.StatusCode, body)
	}
	buf := pageBuffers.Get().(*bytes.Buffer)
	defer pageBuffers.Put(buf)
	buf.Reset()
	if _, err := buf.ReadFrom(body); err != nil {
		return 0, nil, &graphError{Class: connector.ErrorTransient, Message: "reading a Graph page failed: " + err.Error()}
	}
	if int64(buf.Len()) > g.retry.MaxPageBytes {
		return http.StatusOK, resp.Header, &graphError{Class: connector.ErrorMalformed, Status: http.StatusOK,
			Message: fmt.Sprintf("a Graph page exceeded %d bytes", g.retry.MaxPageBytes)}
	}
	if err := jsonv2.Unmarshal(buf.Bytes(), out); err != nil {
		return http.StatusOK, resp.Header, &graphError{Class: connector.ErrorMalformed, Status: http.StatusOK,
			Message: "Graph returned a page that is not valid JSON of the expected shape: " + err.Error()}
	}
	return http.StatusOK, resp.Header, nil
}

// pageBuffers hold page bodies while they are decoded (the decoded values
// copy what they keep), so a sync reuses a few buffers instead of
// allocating and growing one per page.
var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// decodeGraphError classifies a Graph error answer. Microsoft says to branch
// on the code, never the message.
func decodeGraphError(status int, body io.Reader) error {
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	raw, _ := io.ReadAll(io.LimitReader(body, 64<<10))
	_ = json.Unmarshal(raw, &e)
	ge := &graphError{Status: status, Code: e.Error.Code, Message: pgtext.Cut(e.Error.Message, 300)}
	switch {
	case status == http.StatusForbidden && isLicenceCode(e.Error.Code, e.Error.Message):
		ge.Class = connector.ErrorLicence
	case status == http.StatusForbidden:
		ge.Class = connector.ErrorConfiguration
	case status == http.StatusUnauthorized:
		ge.Class = connector.ErrorNeedsReauth
	case status == http.StatusTooManyRequests:
		ge.Class = connector.ErrorThrottled
	case status >= 500:
		ge.Class = connector.ErrorTransient
	default:
		ge.Class = connector.ErrorConfiguration
	}
	return ge
}

// isLicenceCode recognizes a 403 that means the tenant lacks the Entra ID
// P1/P2 licence the data needs.
func isLicenceCode(code, message string) bool {
	return code == "Authentication_RequestFromNonPremiumTenantOrB2CTenant" ||
		(code == "Forbidden" && strings.Contains(strings.ToLower(message), "not licensed"))
}

// redactURLError drops the URL (which may carry a skiptoken) from a
// transport error.
func redactURLError(err error) string {
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) {
		if inner := ue.Unwrap(); inner != nil {
			return inner.Error()
		}
	}
	return err.Error()
}
