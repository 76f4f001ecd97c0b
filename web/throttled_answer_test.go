package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/auth"
)

// Sign-in and invitation acceptance explain a refused attempt the same way:
// Retry-After in whole seconds, and "at once" when every hashing slot was
// busy rather than "failed attempts" (which would blame the person).
func TestThrottledAnswerSaysBusyOrLockedWithRetryAfter(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err        auth.ThrottledError
		retryAfter string
		message    string
	}{
		{auth.ThrottledError{RetryAfter: time.Second, Busy: true}, "1", "Too many sign-ins at once. Try again in "},
		{auth.ThrottledError{RetryAfter: 1500 * time.Millisecond, Locked: true}, "2", "Too many failed sign-in attempts. Try again in "},
	} {
		rec := httptest.NewRecorder()
		c := echo.New().NewContext(httptest.NewRequest(http.MethodPost, "/login", nil), rec)
		msg := throttledAnswer(c, &tc.err)
		require.Contains(t, msg, tc.message)
		require.Equal(t, tc.retryAfter, rec.Header().Get("Retry-After"))
	}
}
