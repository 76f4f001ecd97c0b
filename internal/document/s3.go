package document

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db/dbsqlc"
)

// S3Store keeps files in an S3-compatible bucket, one object per revision
// under documents/<organization>/<revision>. The hash and metadata stay in
// PostgreSQL, so bytes changed in the bucket are caught at download.
type S3Store struct {
	Client *s3.Client
	Bucket string
}

// NewS3Store uses the bucket through an S3 client built from cfg. An
// endpoint set in cfg (an S3-compatible server) is addressed path-style.
func NewS3Store(cfg aws.Config, bucket string) *S3Store {
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.UsePathStyle = cfg.BaseEndpoint != nil
		// Checksums only where the API requires them: S3-compatible servers
		// do not all accept the SDK's default trailing checksums, and the
		// content's SHA-256 is checked at every download anyway.
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
	return &S3Store{Client: client, Bucket: bucket}
}

// LoadS3Store uses the bucket with the standard AWS environment (region,
// credentials, AWS_ENDPOINT_URL for an S3-compatible server).
func LoadS3Store(ctx context.Context, bucket string) (*S3Store, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("document: load AWS configuration: %w", err)
	}
	if ep := os.Getenv("AWS_ENDPOINT_URL_S3"); ep != "" {
		cfg.BaseEndpoint = aws.String(ep)
	}
	return NewS3Store(cfg, bucket), nil
}

// Backend is "s3".
func (*S3Store) Backend() string { return BackendS3 }

// Put uploads the content as one object; r is the spooled upload, so the
// client can rewind it to sign and retry.
func (s *S3Store) Put(ctx context.Context, _ pgx.Tx, orgID, revisionID uuid.UUID, r io.Reader, size int64) (string, error) {
	key := "documents/" + orgID.String() + "/" + revisionID.String()
	_, err := s.Client.PutObject(ctx, &s3.PutObjectInput{Bucket: &s.Bucket, Key: &key, Body: r, ContentLength: &size,
		ContentType: aws.String("application/octet-stream")})
	if err != nil {
		return "", fmt.Errorf("document: put %s: %w", key, err)
	}
	return key, nil
}

// Get streams the object to w.
func (s *S3Store) Get(ctx context.Context, _ pgx.Tx, rev dbsqlc.DocumentRevision, w io.Writer) error {
	out, err := s.Client.GetObject(ctx, &s3.GetObjectInput{Bucket: &s.Bucket, Key: &rev.StorageKey})
	if err != nil {
		return fmt.Errorf("document: get %s: %w", rev.StorageKey, err)
	}
	defer out.Body.Close()
	if _, err := io.Copy(w, out.Body); err != nil {
		return fmt.Errorf("document: read %s: %w", rev.StorageKey, err)
	}
	return nil
}
