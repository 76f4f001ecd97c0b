package keyring

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/google/uuid"
)

// KMSAPI is the part of the AWS KMS client that KMSWrapper uses. *kms.Client
// implements it.
type KMSAPI interface {
	GenerateDataKey(ctx context.Context, params *kms.GenerateDataKeyInput, optFns ...func(*kms.Options)) (*kms.GenerateDataKeyOutput, error)
	Encrypt(ctx context.Context, params *kms.EncryptInput, optFns ...func(*kms.Options)) (*kms.EncryptOutput, error)
	Decrypt(ctx context.Context, params *kms.DecryptInput, optFns ...func(*kms.Options)) (*kms.DecryptOutput, error)
}

// KMSWrapper wraps data keys with an AWS KMS symmetric key. Every call passes
// the encryption context {"org_id": orgID}, which KMS binds to the
// ciphertext and records in CloudTrail.
type KMSWrapper struct {
	client KMSAPI
	keyID  string
}

// NewKMSWrapper returns a KMSWrapper for the KMS key keyID: a key ID, key ARN,
// alias name or alias ARN (at most 255 bytes).
func NewKMSWrapper(client KMSAPI, keyID string) (*KMSWrapper, error) {
	if keyID == "" || len(keyID) > 255 {
		return nil, fmt.Errorf("keyring: KMS key id must be 1 to 255 bytes, got %d", len(keyID))
	}
	return &KMSWrapper{client: client, keyID: keyID}, nil
}

// NewKMSClientFromEnv returns a KMS client from the standard AWS configuration
// chain: environment variables (AWS_REGION, AWS_ENDPOINT_URL_KMS to point at
// a KMS-compatible server, credentials), shared config files, and instance
// roles. optFns adjust the loading, as in config.LoadDefaultConfig.
func NewKMSClientFromEnv(ctx context.Context, optFns ...func(*config.LoadOptions) error) (*kms.Client, error) {
	cfg, err := config.LoadDefaultConfig(ctx, optFns...)
	if err != nil {
		return nil, fmt.Errorf("keyring: load AWS config: %w", err)
	}
	if cfg.Region == "" {
		return nil, errors.New("keyring: load AWS config: no region configured (set AWS_REGION)")
	}
	return kms.NewFromConfig(cfg), nil
}

// ID returns "kms:" followed by the configured key id.
func (w *KMSWrapper) ID() string {
	return kmsName(w.keyID)
}

// GenerateDataKey asks KMS for a new AES-256 data key bound to orgID.
func (w *KMSWrapper) GenerateDataKey(ctx context.Context, orgID uuid.UUID) (plaintext, wrapped []byte, err error) {
	out, err := w.client.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{
		KeyId:             aws.String(w.keyID),
		KeySpec:           types.DataKeySpecAes256,
		EncryptionContext: encryptionContext(orgID),
	})
	if err != nil {
		return nil, nil, w.error("generate data key", orgID, err)
	}
	return out.Plaintext, encodeKMS(w.keyID, out.CiphertextBlob), nil
}

// Wrap encrypts an existing data key for orgID with KMS.
func (w *KMSWrapper) Wrap(ctx context.Context, orgID uuid.UUID, plaintext []byte) ([]byte, error) {
	out, err := w.client.Encrypt(ctx, &kms.EncryptInput{
		KeyId:             aws.String(w.keyID),
		Plaintext:         plaintext,
		EncryptionContext: encryptionContext(orgID),
	})
	if err != nil {
		return nil, w.error("wrap data key", orgID, err)
	}
	return encodeKMS(w.keyID, out.CiphertextBlob), nil
}

// Unwrap decrypts a KMS blob for orgID. It fails with ErrInvalidCiphertext
// when KMS rejects the ciphertext, as it does for another organization's key.
func (w *KMSWrapper) Unwrap(ctx context.Context, orgID uuid.UUID, wrapped []byte) ([]byte, error) {
	keyID, blob, ok := parseKMS(wrapped)
	if !ok || keyID != w.keyID {
		return nil, fmt.Errorf("keyring: %s: unwrap data key for org %s: %w", w.ID(), orgID, ErrUnknownWrapper)
	}
	out, err := w.client.Decrypt(ctx, &kms.DecryptInput{
		CiphertextBlob:    blob,
		KeyId:             aws.String(w.keyID),
		EncryptionContext: encryptionContext(orgID),
	})
	if err != nil {
		return nil, w.error("unwrap data key", orgID, err)
	}
	return out.Plaintext, nil
}

// Owns reports whether wrapped was wrapped by this KMS key.
func (w *KMSWrapper) Owns(wrapped []byte) bool {
	keyID, _, ok := parseKMS(wrapped)
	return ok && keyID == w.keyID
}

// error describes a failed KMS call, marking rejected ciphertexts with
// ErrInvalidCiphertext.
func (w *KMSWrapper) error(op string, orgID uuid.UUID, err error) error {
	if _, ok := errors.AsType[*types.InvalidCiphertextException](err); ok {
		return fmt.Errorf("keyring: %s: %s for org %s: %w: %w", w.ID(), op, orgID, ErrInvalidCiphertext, err)
	}
	return fmt.Errorf("keyring: %s: %s for org %s: %w", w.ID(), op, orgID, err)
}
