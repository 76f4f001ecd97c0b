package entra

import (
	"bytes"
	"github.com/attesthq/attest/internal/pgtext"
	"reflect"
)

// Microsoft's text is not always text PostgreSQL can store: a display name
// may hold a NUL character (which jsonb and text refuse) or bytes that are
// not UTF-8. Records are cleaned before they are stored, replacing either
// with U+FFFD, so one odd name never fails a sync. Clean data (all of it, in
// practice) is left byte for byte as it was, so fingerprints do not move.

// escapedNUL is how a NUL inside a JSON string is written.
var escapedNUL = []byte(`\u0000`)

// storable reports whether an encoded payload needs no cleaning. A payload
// that is not UTF-8 could not have been encoded, so a NUL escape is all
// there is to look for.
func storable(payload []byte) bool {
	return !bytes.Contains(payload, escapedNUL)
}

// storableRecord is a copy of the record type v with every string (and
// every string of a list) made storable.
func storableRecord(v any) any {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Struct {
		return v
	}
	out := reflect.New(rv.Type()).Elem()
	out.Set(rv)
	for i := range out.NumField() {
		f := out.Field(i)
		switch {
		case !f.CanSet():
		case f.Kind() == reflect.String:
			f.SetString(pgtext.Clean(f.String()))
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String && !f.IsNil():
			list := reflect.MakeSlice(f.Type(), f.Len(), f.Len())
			for j := range f.Len() {
				list.Index(j).SetString(pgtext.Clean(f.Index(j).String()))
			}
			f.Set(list)
		}
	}
	return out.Interface()
}
