package main

import (
	"context"

	"github.com/attesthq/attest/internal/config"
	"github.com/attesthq/attest/internal/keyring"
)

// newKeyring builds the keyring from the configuration: AWS KMS when a key id
// is set, otherwise the local master-key file (created on first use).
func newKeyring(ctx context.Context, cfg config.Config) (*keyring.Keyring, error) {
	if cfg.KMSKeyID != "" {
		client, err := keyring.NewKMSClientFromEnv(ctx)
		if err != nil {
			return nil, err
		}
		w, err := keyring.NewKMSWrapper(client, cfg.KMSKeyID)
		if err != nil {
			return nil, err
		}
		return keyring.New(w), nil
	}
	w, err := keyring.OpenLocalKeyFile(cfg.MasterKeyFile, true)
	if err != nil {
		return nil, err
	}
	return keyring.New(w), nil
}
