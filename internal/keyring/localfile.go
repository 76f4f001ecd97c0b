package keyring

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// A local key file holds the master key as hex and an optional newline.
const localKeyHexLen = 2 * DataKeySize

// OpenLocalKeyFile returns a LocalWrapper for the master key in the file at
// path. The file holds 32 random bytes as 64 hex digits and an optional
// newline, and must not be accessible by group or others.
//
// When the file is missing and create is true, OpenLocalKeyFile generates a
// key and writes it atomically with mode 0600, creating the parent directory
// with mode 0700 if needed. It never replaces an existing file.
func OpenLocalKeyFile(path string, create bool) (*LocalWrapper, error) {
	key, err := readLocalKey(path)
	if create && errors.Is(err, fs.ErrNotExist) {
		key, err = createLocalKey(path)
	}
	if err != nil {
		return nil, err
	}
	defer clear(key)
	return newLocalWrapper(key)
}

// readLocalKey reads and validates the key file at path.
func readLocalKey(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("keyring: open local key file: %w", err)
	}
	defer f.Close()

	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("keyring: stat local key file: %w", err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("keyring: local key file %s is not a regular file", path)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("keyring: local key file %s has mode %#o and is accessible by group or others; run chmod 600 %s", path, uint32(perm), path)
	}

	// One byte more than the longest valid content reveals trailing data.
	var buf [localKeyHexLen + 2]byte
	defer clear(buf[:])
	n, err := io.ReadFull(f, buf[:])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("keyring: read local key file: %w", err)
	}

	badFormat := fmt.Errorf("keyring: local key file %s must hold exactly %d hex digits and an optional newline", path, localKeyHexLen)
	text := bytes.TrimSuffix(buf[:n], []byte("\n"))
	if len(text) != localKeyHexLen {
		return nil, badFormat
	}
	key := make([]byte, DataKeySize)
	// The hex error is dropped on purpose: it quotes the offending key character.
	if _, err := hex.Decode(key, text); err != nil {
		clear(key)
		return nil, badFormat
	}
	return key, nil
}

// createLocalKey writes a new random key to path through a temporary file in
// the same directory. The temporary file is hard-linked into place, which is
// atomic and, unlike rename, fails instead of replacing a key another process
// created meanwhile; in that case the other process's key is read back.
func createLocalKey(path string) ([]byte, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("keyring: create local key directory: %w", err)
	}

	key := make([]byte, DataKeySize)
	rand.Read(key)
	text := make([]byte, localKeyHexLen+1)
	defer clear(text)
	hex.Encode(text, key)
	text[localKeyHexLen] = '\n'

	tmp, err := os.CreateTemp(dir, ".keyring-*.tmp") // CreateTemp uses mode 0600.
	if err != nil {
		clear(key)
		return nil, fmt.Errorf("keyring: create local key file: %w", err)
	}
	defer os.Remove(tmp.Name())

	_, err = tmp.Write(text)
	if err == nil {
		err = tmp.Sync()
	}
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err == nil {
		err = os.Link(tmp.Name(), path)
	}
	switch {
	case errors.Is(err, fs.ErrExist):
		clear(key)
		return readLocalKey(path)
	case err != nil:
		clear(key)
		return nil, fmt.Errorf("keyring: write local key file %s: %w", path, err)
	}
	return key, nil
}
