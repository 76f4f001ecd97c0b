package evidence

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"sync"

	"github.com/go-json-experiment/json/jsontext"
)

// Flatten renders a payload's fields, in the given order, as text: lists
// joined with "; ", booleans as true/false, numbers as written, absent
// fields and nulls empty, nested objects as compact JSON with sorted keys.
// A payload that is not a JSON object renders every field empty. Pages and
// exports share it, so both show the same values.
//
// It reads the payload's top level in one pass, without building a map:
// exports call it for every one of millions of rows.
func Flatten(order []string, payload []byte) []string {
	out := make([]string, len(order))
	f := flatteners.Get().(*flattener)
	defer flatteners.Put(f)
	if f.flatten(order, payload, out) != nil {
		clear(out)
	}
	return out
}

// flattener holds a reusable decoder; flatteners pools them.
type flattener struct {
	r   bytes.Reader
	dec *jsontext.Decoder
	buf []byte
}

var flatteners = sync.Pool{New: func() any {
	f := &flattener{}
	f.dec = jsontext.NewDecoder(&f.r)
	return f
}}

var errNotObject = errors.New("evidence: payload is not an object")

// flatten fills out; later duplicate names win, as in a decoded map.
func (f *flattener) flatten(order []string, payload []byte, out []string) error {
	f.r.Reset(payload)
	f.dec.Reset(&f.r, jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	switch f.dec.PeekKind() {
	case 'n':
		return nil // null decodes to an empty map
	case '{':
	default:
		return errNotObject
	}
	if _, err := f.dec.ReadToken(); err != nil {
		return err
	}
	for f.dec.PeekKind() != '}' {
		name, err := f.dec.ReadValue()
		if err != nil {
			return err
		}
		i := f.index(order, name)
		if i < 0 {
			if err := f.dec.SkipValue(); err != nil {
				return err
			}
			continue
		}
		if out[i], err = f.text(); err != nil {
			return err
		}
	}
	_, err := f.dec.ReadToken()
	return err
}

// index finds a raw (quoted) name in order, or -1.
func (f *flattener) index(order []string, raw jsontext.Value) int {
	name := raw[1 : len(raw)-1]
	if bytes.IndexByte(name, '\\') >= 0 {
		var err error
		if f.buf, err = jsontext.AppendUnquote(f.buf[:0], raw); err != nil {
			return -1
		}
		name = f.buf
	}
	for i, o := range order {
		if string(name) == o {
			return i
		}
	}
	return -1
}

// text renders the next value.
func (f *flattener) text() (string, error) {
	switch f.dec.PeekKind() {
	case '[':
		if _, err := f.dec.ReadToken(); err != nil {
			return "", err
		}
		var parts []string
		for f.dec.PeekKind() != ']' {
			p, err := f.text()
			if err != nil {
				return "", err
			}
			parts = append(parts, p)
		}
		_, err := f.dec.ReadToken()
		return strings.Join(parts, "; "), err
	}
	v, err := f.dec.ReadValue()
	if err != nil {
		return "", err
	}
	switch v.Kind() {
	case 'n':
		return "", nil
	case '"':
		if bytes.IndexByte(v, '\\') < 0 {
			return string(v[1 : len(v)-1]), nil // nothing to unescape
		}
		s, err := jsontext.AppendUnquote(nil, v)
		return string(s), err
	case '{':
		return objectText(v)
	}
	return string(v), nil // numbers as written, true, false
}

// objectText renders a nested object as encoding/json does a decoded map:
// compact, keys sorted.
func objectText(v []byte) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return "", err
	}
	b, err := json.Marshal(m)
	return string(b), err
}
