package keyring

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/google/uuid"
	lkmsconfig "github.com/nsmithuk/local-kms/src/config"
	"github.com/nsmithuk/local-kms/src/data"
	"github.com/nsmithuk/local-kms/src/handler"
	"github.com/sirupsen/logrus"
	"github.com/stretchr/testify/require"
)

const testRegion = "eu-west-1"

// fakeClock is a clock that tests move by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// countingWrapper counts the Unwrap calls that reach the wrapped Wrapper.
type countingWrapper struct {
	Wrapper
	unwraps atomic.Int64
}

func (w *countingWrapper) Unwrap(ctx context.Context, orgID uuid.UUID, wrapped []byte) ([]byte, error) {
	w.unwraps.Add(1)
	return w.Wrapper.Unwrap(ctx, orgID, wrapped)
}

// newTestLocalWrapper returns a LocalWrapper with a fresh key file.
func newTestLocalWrapper(t *testing.T) *LocalWrapper {
	t.Helper()
	w, err := OpenLocalKeyFile(filepath.Join(t.TempDir(), "master.key"), true)
	require.NoError(t, err)
	return w
}

// localKMS is a KMS-compatible server for one test.
type localKMS struct {
	client *kms.Client
	keyID  string
	url    string
}

// localKMSGlobals guards local-kms's package-level configuration.
var localKMSGlobals sync.Once

// newLocalKMS serves local-kms's request handlers, with a fresh database and
// a silenced logger, on a loopback httptest server, and creates a symmetric
// key in it. The handlers are called directly rather than through local-kms's
// HandleRequest because that logs through a package-private logrus logger
// that cannot be silenced.
func newLocalKMS(t *testing.T) *localKMS {
	t.Helper()
	localKMSGlobals.Do(func() {
		lkmsconfig.AWSAccountId = "111122223333"
		lkmsconfig.AWSRegion = testRegion
	})

	db := data.NewDatabase(t.TempDir())
	t.Cleanup(db.Close)
	logger := logrus.New()
	logger.SetOutput(io.Discard)

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := handler.NewRequestHandler(r, logger, db)
		var resp handler.Response
		switch r.Header.Get("X-Amz-Target") {
		case "TrentService.CreateKey":
			resp = h.CreateKey()
		case "TrentService.GenerateDataKey":
			resp = h.GenerateDataKey()
		case "TrentService.Encrypt":
			resp = h.Encrypt()
		case "TrentService.Decrypt":
			resp = h.Decrypt()
		default:
			http.Error(w, "not implemented in the test server", http.StatusNotImplemented)
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(resp.Code)
		_, _ = io.WriteString(w, resp.Body)
	}))
	t.Cleanup(srv.Close)
	addr, ok := srv.Listener.Addr().(*net.TCPAddr)
	require.True(t, ok)
	require.True(t, addr.IP.IsLoopback(), "local-kms must listen on loopback only, got %s", addr)

	client := kms.New(kms.Options{
		Region:       testRegion,
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		HTTPClient:   srv.Client(),
	})
	out, err := client.CreateKey(t.Context(), &kms.CreateKeyInput{Description: aws.String("attest keyring test")})
	require.NoError(t, err)
	return &localKMS{client: client, keyID: aws.ToString(out.KeyMetadata.KeyId), url: srv.URL}
}
