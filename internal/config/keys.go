package config

import (
	"errors"
	"fmt"
	"path/filepath"
)

// Keys names the key-encryption keys that wrap organizations' data keys: the
// current one, which wraps every new or rewrapped data key, and, during a
// rotation, previous ones that are only read.
type Keys struct {
	// MasterKeyFile is the local master-key file that wraps organizations'
	// data keys when no KMS key is configured (created 0600 on first use).
	MasterKeyFile string
	// KMSKeyID is the AWS KMS key that wraps data keys; region, endpoint and
	// credentials come from the standard AWS variables. It wins over
	// MasterKeyFile.
	KMSKeyID string
	// PreviousMasterKeyFile and PreviousKMSKeyID, during a rotation, name
	// the keys data keys were wrapped with before: read, never written.
	PreviousMasterKeyFile string
	PreviousKMSKeyID      string
}

// LoadKeys reads just the key variables, for commands that need nothing else.
func LoadKeys(getenv Getenv) (Keys, error) {
	p := parser{getenv: getenv}
	k := p.keys()
	if len(p.errs) > 0 {
		return Keys{}, fmt.Errorf("config: invalid environment:\n%w", errors.Join(p.errs...))
	}
	return k, nil
}

// keys reads and validates the key variables.
func (p *parser) keys() Keys {
	k := Keys{
		MasterKeyFile:         p.get("ATTEST_MASTER_KEY_FILE", ""),
		KMSKeyID:              p.get("ATTEST_KMS_KEY_ID", ""),
		PreviousMasterKeyFile: p.get("ATTEST_MASTER_KEY_FILE_PREVIOUS", ""),
		PreviousKMSKeyID:      p.get("ATTEST_KMS_KEY_ID_PREVIOUS", ""),
	}
	if k.MasterKeyFile == "" && k.KMSKeyID == "" {
		p.fail("ATTEST_MASTER_KEY_FILE", "or ATTEST_KMS_KEY_ID is required: credentials are sealed under a key that one of them names")
	}
	for name, v := range map[string]string{"ATTEST_KMS_KEY_ID": k.KMSKeyID, "ATTEST_KMS_KEY_ID_PREVIOUS": k.PreviousKMSKeyID} {
		if len(v) > 255 {
			p.fail(name, "must be a KMS key id, ARN or alias of at most 255 characters")
		}
	}
	if k.PreviousKMSKeyID != "" && k.PreviousKMSKeyID == k.KMSKeyID {
		p.fail("ATTEST_KMS_KEY_ID_PREVIOUS", "names the same key as ATTEST_KMS_KEY_ID; set it to the key being rotated away from, or unset it")
	}
	if k.PreviousMasterKeyFile != "" && k.KMSKeyID == "" && filepath.Clean(k.PreviousMasterKeyFile) == filepath.Clean(k.MasterKeyFile) {
		p.fail("ATTEST_MASTER_KEY_FILE_PREVIOUS", "names the same file as ATTEST_MASTER_KEY_FILE; set it to the file being rotated away from, or unset it")
	}
	return k
}
