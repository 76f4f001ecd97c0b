package entrasim

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"net/url"
	"slices"
	"strings"
)

// Paging: a $skiptoken is an opaque, HMAC-protected cursor naming the tenant,
// the dataset, the page index and the sort key of the last item served, so
// pages stay consistent while the data changes and a tampered token is a 400.

// sortKey orders the items of a dataset: ascending by num, then id. Datasets
// ordered by id use num 0; sign-ins use the negated creation time so that the
// newest come first.
type sortKey struct {
	num int64
	id  string
}

func compareKeys(a, b sortKey) int {
	return cmp.Or(cmp.Compare(a.num, b.num), strings.Compare(a.id, b.id))
}

// cursor is the decoded content of a $skiptoken.
type cursor struct {
	page int
	last sortKey
}

const (
	cursorVersion = 1
	macSize       = 16
)

var errBadSkipToken = errors.New("invalid $skiptoken")

// datasetCode is the one-byte form of a dataset inside a cursor.
func datasetCode(d Dataset) byte {
	return byte(slices.Index([]Dataset{DatasetUsers, DatasetRegistrations, DatasetPolicies, DatasetRiskyUsers, DatasetSignIns}, d) + 1)
}

func (s *Simulator) cursorMAC(tenantID string, payload []byte) []byte {
	m := hmac.New(sha256.New, s.cursorKey)
	m.Write([]byte(tenantID))
	m.Write([]byte{0})
	m.Write(payload)
	return m.Sum(nil)[:macSize]
}

// encodeCursor returns the $skiptoken for c.
func (s *Simulator) encodeCursor(tenantID string, d Dataset, c cursor) string {
	p := []byte{cursorVersion, datasetCode(d)}
	p = binary.AppendUvarint(p, uint64(c.page))
	p = binary.AppendVarint(p, c.last.num)
	p = append(p, c.last.id...)
	p = append(p, s.cursorMAC(tenantID, p)...)
	return base64.RawURLEncoding.EncodeToString(p)
}

// decodeCursor verifies and decodes a $skiptoken issued for tenantID and d.
func (s *Simulator) decodeCursor(tenantID string, d Dataset, token string) (cursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) < 2+macSize {
		return cursor{}, errBadSkipToken
	}
	payload, mac := raw[:len(raw)-macSize], raw[len(raw)-macSize:]
	if !hmac.Equal(mac, s.cursorMAC(tenantID, payload)) || payload[0] != cursorVersion || payload[1] != datasetCode(d) {
		return cursor{}, errBadSkipToken
	}
	rest := payload[2:]
	page, n := binary.Uvarint(rest)
	if n <= 0 {
		return cursor{}, errBadSkipToken
	}
	rest = rest[n:]
	num, n := binary.Varint(rest)
	if n <= 0 {
		return cursor{}, errBadSkipToken
	}
	return cursor{page: int(page), last: sortKey{num: num, id: string(rest[n:])}}, nil
}

// nextLink is the absolute URL of the next page: the request's own origin and
// path, its query without $skiptoken, and the new $skiptoken.
func nextLink(c *graphCall, skipToken string) string {
	var kept []string
	for part := range strings.SplitSeq(c.r.URL.RawQuery, "&") {
		key, _, _ := strings.Cut(part, "=")
		if k, err := url.QueryUnescape(key); part == "" || (err == nil && strings.EqualFold(k, "$skiptoken")) {
			continue
		}
		kept = append(kept, part)
	}
	kept = append(kept, "$skiptoken="+skipToken)
	return origin(c.r) + c.r.URL.EscapedPath() + "?" + strings.Join(kept, "&")
}
