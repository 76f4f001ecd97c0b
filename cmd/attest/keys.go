package main

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/attesthq/attest/internal/config"
	"github.com/attesthq/attest/internal/keyring"
)

// newKeyring builds the keyring from the configuration: AWS KMS when a key id
// is set, otherwise the local master-key file (created on first use when
// create is true), and, during a rotation, the previous keys, which are only
// read and must exist. Errors name the variable at fault.
func newKeyring(ctx context.Context, keys config.Keys, create bool) (*keyring.Keyring, error) {
	w := wrappers{ctx: ctx}
	var current keyring.Wrapper
	if keys.KMSKeyID != "" {
		current = w.kms("ATTEST_KMS_KEY_ID", keys.KMSKeyID)
	} else {
		current = w.local("ATTEST_MASTER_KEY_FILE", keys.MasterKeyFile, create)
	}
	var previous []keyring.Wrapper
	if keys.PreviousMasterKeyFile != "" {
		previous = append(previous, w.previous(current, "ATTEST_MASTER_KEY_FILE_PREVIOUS", w.local("ATTEST_MASTER_KEY_FILE_PREVIOUS", keys.PreviousMasterKeyFile, false)))
	}
	if keys.PreviousKMSKeyID != "" {
		previous = append(previous, w.previous(current, "ATTEST_KMS_KEY_ID_PREVIOUS", w.kms("ATTEST_KMS_KEY_ID_PREVIOUS", keys.PreviousKMSKeyID)))
	}
	if w.err != nil {
		return nil, w.err
	}
	return keyring.New(current, previous...), nil
}

// wrappers opens key wrappers, sharing one KMS client and keeping the first
// error, prefixed with the variable that caused it.
type wrappers struct {
	ctx    context.Context
	client *kms.Client
	err    error
}

func (w *wrappers) kms(name, keyID string) keyring.Wrapper {
	if w.err != nil {
		return nil
	}
	if w.client == nil {
		if w.client, w.err = keyring.NewKMSClientFromEnv(w.ctx); w.err != nil {
			w.err = fmt.Errorf("%s: %w", name, w.err)
			return nil
		}
	}
	k, err := keyring.NewKMSWrapper(w.client, keyID)
	if err != nil {
		w.err = fmt.Errorf("%s: %w", name, err)
		return nil
	}
	return k
}

func (w *wrappers) local(name, path string, create bool) keyring.Wrapper {
	if w.err != nil {
		return nil
	}
	k, err := keyring.OpenLocalKeyFile(path, create)
	if err != nil {
		w.err = fmt.Errorf("%s: %w", name, err)
		return nil
	}
	return k
}

// previous refuses a previous key that is the current one.
func (w *wrappers) previous(current keyring.Wrapper, name string, prev keyring.Wrapper) keyring.Wrapper {
	if w.err == nil && prev.ID() == current.ID() {
		w.err = fmt.Errorf("%s: holds the current key (%s); set it to the key being rotated away from, or unset it", name, prev.ID())
	}
	return prev
}
