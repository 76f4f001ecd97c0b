package document

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
)

// DefaultMaxBytes is the upload limit unless ATTEST_DOCUMENT_MAX_BYTES says
// otherwise: 25 MB.
const DefaultMaxBytes = 25 << 20

// ErrTooLarge means the upload is over the size limit.
var ErrTooLarge = errors.New("document: the file is over the size limit")

// ErrEmpty means the upload had no bytes.
var ErrEmpty = errors.New("document: the file is empty")

// ErrLink means the link is not an absolute http(s) URL.
var ErrLink = errors.New("document: the link must be an absolute http:// or https:// URL")

// staged is new content ready for a revision: a file spooled to disk with
// its hash, size, sniffed type and safe name, or a link.
type staged struct {
	file        *os.File
	sum         [32]byte
	size        int64
	contentType string
	name        string
	link        string
}

// close removes the spooled file.
func (c staged) close() {
	if c.file != nil {
		_ = c.file.Close()
		_ = os.Remove(c.file.Name())
	}
}

// stageFile spools body to a temporary file in dir, hashing it on the way
// and stopping past maxBytes, then sniffs its type. Memory holds one copy
// buffer, whatever the size.
func stageFile(dir, name string, body io.Reader, maxBytes int64) (staged, error) {
	f, err := os.CreateTemp(dir, "attest-upload-*")
	if err != nil {
		return staged{}, fmt.Errorf("document: spool upload: %w", err)
	}
	c := staged{file: f}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(body, maxBytes+1))
	if err != nil {
		c.close()
		return staged{}, fmt.Errorf("document: spool upload: %w", err)
	}
	switch {
	case n > maxBytes:
		c.close()
		return staged{}, ErrTooLarge
	case n == 0:
		c.close()
		return staged{}, ErrEmpty
	}
	c.size = n
	copy(c.sum[:], h.Sum(nil))
	if c.contentType, err = Sniff(f, n, name); err != nil {
		c.close()
		return staged{}, err
	}
	c.name = SafeName(name, c.contentType)
	return c, nil
}

// stageLink checks an external link.
func stageLink(raw string) (staged, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(raw) > 2000 {
		return staged{}, ErrLink
	}
	return staged{link: u.String()}, nil
}
