package evidence

import (
	"bytes"
	"encoding/json"
	"errors"
	"sync"

	"github.com/go-json-experiment/json/jsontext"
)

// Flatten renders a payload's fields, in the given order, as text: lists
// joined with "; ", booleans as true/false, numbers as written, absent
// fields and nulls empty, nested objects as compact JSON with sorted keys.
// A payload that is not a JSON object renders every field empty. Pages and
// exports share it, so both show the same values (exports through Fields,
// which renders the same text without allocating).
func Flatten(order []string, payload []byte) []string {
	out := make([]string, len(order))
	f := flatteners.Get().(*Fields)
	defer flatteners.Put(f)
	f.Render(order, payload)
	for i := range out {
		out[i] = string(f.Field(i))
	}
	return out
}

// Fields renders payloads as Flatten does into one buffer it reuses, so that
// an export of millions of rows allocates nothing per row in the common
// case. It reads the payload's top level in one pass, without building a
// map. The zero value is ready to use; a Fields is not safe for concurrent
// use.
type Fields struct {
	r   bytes.Reader
	dec *jsontext.Decoder
	// name is scratch space for unescaping member names.
	name []byte
	// text holds the rendered fields; spans[i] is field i's part of it.
	text  []byte
	spans [][2]int
}

var flatteners = sync.Pool{New: func() any { return &Fields{} }}

var errNotObject = errors.New("evidence: payload is not an object")

// Render renders payload's fields in order; Field(i) reads them until the
// next Render.
func (f *Fields) Render(order []string, payload []byte) {
	f.text = f.text[:0]
	if cap(f.spans) < len(order) {
		f.spans = make([][2]int, len(order))
	}
	f.spans = f.spans[:len(order)]
	clear(f.spans)
	if f.renderFlat(order, payload) {
		return
	}
	f.text = f.text[:0]
	clear(f.spans)
	if f.render(order, payload) != nil {
		clear(f.spans)
	}
}

// Field is the text of the i-th field of the last Render.
func (f *Fields) Field(i int) []byte {
	s := f.spans[i]
	return f.text[s[0]:s[1]]
}

// render fills the spans; later duplicate names win, as in a decoded map.
func (f *Fields) render(order []string, payload []byte) error {
	f.r.Reset(payload)
	if f.dec == nil {
		f.dec = jsontext.NewDecoder(&f.r)
	}
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
		start := len(f.text)
		if f.text, err = f.appendText(f.text); err != nil {
			return err
		}
		f.spans[i] = [2]int{start, len(f.text)}
	}
	_, err := f.dec.ReadToken()
	return err
}

// index finds a raw (quoted) name in order, or -1.
func (f *Fields) index(order []string, raw jsontext.Value) int {
	name := raw[1 : len(raw)-1]
	if bytes.IndexByte(name, '\\') >= 0 {
		var err error
		if f.name, err = jsontext.AppendUnquote(f.name[:0], raw); err != nil {
			return -1
		}
		name = f.name
	}
	for i, o := range order {
		if string(name) == o {
			return i
		}
	}
	return -1
}

// appendText appends the rendering of the next value to dst.
func (f *Fields) appendText(dst []byte) ([]byte, error) {
	if f.dec.PeekKind() == '[' {
		if _, err := f.dec.ReadToken(); err != nil {
			return dst, err
		}
		for first := true; f.dec.PeekKind() != ']'; first = false {
			if !first {
				dst = append(dst, "; "...)
			}
			var err error
			if dst, err = f.appendText(dst); err != nil {
				return dst, err
			}
		}
		_, err := f.dec.ReadToken()
		return dst, err
	}
	v, err := f.dec.ReadValue()
	if err != nil {
		return dst, err
	}
	switch v.Kind() {
	case 'n':
		return dst, nil
	case '"':
		if bytes.IndexByte(v, '\\') < 0 {
			return append(dst, v[1:len(v)-1]...), nil // nothing to unescape
		}
		return jsontext.AppendUnquote(dst, v)
	case '{':
		o, err := objectText(v)
		return append(dst, o...), err
	}
	return append(dst, v...), nil // numbers as written, true, false
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
