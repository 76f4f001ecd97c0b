package web

import (
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
)

// exportRetryAfter is what a refused download is told to wait, in seconds.
const exportRetryAfter = 30

// idleChunk is the most a download writes under one write deadline, so a
// client that reads slowly but steadily always beats the idle timeout.
const idleChunk = 8 << 10

// limitExports guards the download routes. Each download streams from one
// transaction, holding a database connection for as long as its client
// reads, so only a few run at once, in total and per organization
// (config.ExportLimits): the rest are answered 429 with Retry-After before
// anything touches the database. An admitted download is cut off once its
// client has read nothing for the idle timeout.
func (s *Server) limitExports(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		org := currentOrg(c).ID
		if !s.exports.acquire(org) {
			c.Response().Header().Set("Retry-After", strconv.Itoa(exportRetryAfter))
			return echo.NewHTTPError(http.StatusTooManyRequests,
				"Too many downloads are running right now. Try again in a minute.")
		}
		defer s.exports.release(org)
		w := c.Response().Writer
		c.Response().Writer = &idleWriter{ResponseWriter: w, rc: http.NewResponseController(w), idle: s.Config.Exports.IdleTimeout}
		return next(c)
	}
}

// exportLimiter counts the downloads running, in total and per organization.
type exportLimiter struct {
	total, perOrg int
	mu            sync.Mutex
	running       int
	byOrg         map[uuid.UUID]int
}

func newExportLimiter(total, perOrg int) *exportLimiter {
	return &exportLimiter{total: total, perOrg: perOrg, byOrg: map[uuid.UUID]int{}}
}

// acquire reserves a place for one of org's downloads, if both limits
// allow; every successful acquire is followed by one release.
func (l *exportLimiter) acquire(org uuid.UUID) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.running >= l.total || l.byOrg[org] >= l.perOrg {
		return false
	}
	l.running++
	l.byOrg[org]++
	return true
}

// release gives back the place a download held.
func (l *exportLimiter) release(org uuid.UUID) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.running--
	if l.byOrg[org]--; l.byOrg[org] <= 0 {
		delete(l.byOrg, org)
	}
}

// idleWriter moves the connection's write deadline idle ahead before every
// chunk it writes: a client that keeps reading, however slowly, is served,
// and one that stops reading makes the write fail once idle has passed.
type idleWriter struct {
	http.ResponseWriter
	rc   *http.ResponseController
	idle time.Duration
}

// Write writes p in chunks of at most idleChunk, each with a fresh deadline.
func (w *idleWriter) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		if err := w.extend(); err != nil {
			return n, err
		}
		m, err := w.ResponseWriter.Write(p[:min(len(p), idleChunk)])
		n += m
		if err != nil {
			return n, err
		}
		p = p[m:]
	}
	return n, nil
}

// FlushError sends what is buffered, under a fresh deadline.
func (w *idleWriter) FlushError() error {
	if err := w.extend(); err != nil {
		return err
	}
	return w.rc.Flush()
}

// Unwrap exposes the underlying writer to http.ResponseController.
func (w *idleWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *idleWriter) extend() error {
	err := w.rc.SetWriteDeadline(time.Now().Add(w.idle))
	if errors.Is(err, http.ErrNotSupported) {
		return nil // a writer without a connection (a recorder) never stalls
	}
	return err
}
