package document_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/document"
)

// fakeBucket serves an in-process S3-protocol server with one bucket and
// returns a store on it.
func fakeBucket(t *testing.T) *document.S3Store {
	t.Helper()
	srv := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	t.Cleanup(srv.Close)
	cfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test-secret", "")}
	store := document.NewS3Store(cfg, "attest-documents")
	_, err := store.Client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("attest-documents")})
	require.NoError(t, err)
	return store
}

// The bucket backend keeps the bytes in the bucket and the hash in
// PostgreSQL: revisions round-trip, nothing lands in document_blobs, and an
// object changed in the bucket is refused at download with an alert.
func TestTheBucketBackendStoresFilesAndCatchesTampering(t *testing.T) {
	t.Parallel()
	store := fakeBucket(t)
	f := setup(t, store)
	doc := f.create(t, policyPDF, "CC1.1")
	rev := f.revisions(t, doc.ID)[0]
	require.Equal(t, document.BackendS3, rev.Storage)
	require.Equal(t, "documents/"+f.org.ID.String()+"/"+rev.ID.String(), rev.StorageKey)
	require.Zero(t, f.count(t, `SELECT count(*) FROM document_blobs`))
	require.Equal(t, policyPDF, read(t, f, doc.ID, rev.ID))

	_, err := store.Client.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String("attest-documents"),
		Key: aws.String(rev.StorageKey), Body: strings.NewReader(strings.Replace(policyPDF, "v1", "v9", 1))})
	require.NoError(t, err)
	_, err = f.svc.Open(context.Background(), f.org.ID, f.actor, false, doc.ID, rev.ID)
	require.ErrorIs(t, err, document.ErrTampered)
	require.Equal(t, 1, f.count(t, `SELECT count(*) FROM alerts WHERE document_id = $1 AND kind = $2`, doc.ID, document.KindTampered))
}
