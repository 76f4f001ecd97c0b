// Package kmstest serves a KMS-compatible server for tests: the local-kms
// module's request handlers on a loopback httptest server, with a fresh
// database per test and a symmetric key created in it.
package kmstest

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	lkmsconfig "github.com/nsmithuk/local-kms/src/config"
	"github.com/nsmithuk/local-kms/src/data"
	"github.com/nsmithuk/local-kms/src/handler"
	"github.com/sirupsen/logrus"
	"github.com/stretchr/testify/require"
)

// Region is the AWS region the server answers for.
const Region = "eu-west-1"

// Server is a KMS-compatible server for one test.
type Server struct {
	// Client talks to the server.
	Client *kms.Client
	// KeyID is the symmetric key New created.
	KeyID string
	// URL is the server's base endpoint.
	URL string
}

// globals guards local-kms's package-level configuration.
var globals sync.Once

// New serves local-kms's request handlers, with a fresh database and a
// silenced logger, on a loopback httptest server, and creates a symmetric
// key in it. The handlers are called directly rather than through
// local-kms's HandleRequest because that logs through a package-private
// logrus logger that cannot be silenced.
func New(t testing.TB) *Server {
	t.Helper()
	globals.Do(func() {
		lkmsconfig.AWSAccountId = "111122223333"
		lkmsconfig.AWSRegion = Region
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
			// attest calls only the four operations above; any other is a
			// test asking for something production code never does.
			http.Error(w, "kmstest serves only CreateKey, GenerateDataKey, Encrypt and Decrypt, not "+r.Header.Get("X-Amz-Target"), http.StatusBadRequest)
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
		Region:       Region,
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		HTTPClient:   srv.Client(),
	})
	s := &Server{Client: client, URL: srv.URL}
	s.KeyID = s.CreateKey(t)
	return s
}

// CreateKey creates another symmetric key and returns its id.
func (s *Server) CreateKey(t testing.TB) string {
	t.Helper()
	out, err := s.Client.CreateKey(t.Context(), &kms.CreateKeyInput{Description: aws.String("attest test key")})
	require.NoError(t, err)
	return aws.ToString(out.KeyMetadata.KeyId)
}
