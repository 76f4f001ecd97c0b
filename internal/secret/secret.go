// Package secret holds values that must never reach logs, error messages,
// templates or JSON by accident.
//
// A [String] enters only through [New] and leaves only through
// [String.Reveal]. Every formatting and encoding path (fmt verbs, slog,
// encoding.TextMarshaler, json.Marshaler) prints "[redacted]". There is no
// decoding: unmarshalling JSON or text into a String fails with an error
// instead of silently producing a secret.
package secret

import (
	"fmt"
	"io"
	"log/slog"
)

// redacted is what every printing and encoding path shows instead of the value.
const redacted = "[redacted]"

// String is a string that prints and encodes as "[redacted]".
// The zero value is an empty secret.
type String struct {
	value string
}

// New wraps s as a secret.
func New(s string) String {
	return String{value: s}
}

// Reveal returns the secret value. Call it only where the value is used,
// such as when building an outgoing request.
func (s String) Reveal() string {
	return s.value
}

// IsZero reports whether the secret is empty.
func (s String) IsZero() bool {
	return s.value == ""
}

// String implements fmt.Stringer and returns "[redacted]".
func (String) String() string {
	return redacted
}

// GoString implements fmt.GoStringer and returns "[redacted]".
func (String) GoString() string {
	return redacted
}

// Format implements fmt.Formatter and writes "[redacted]" for every verb and
// flag, so %x or %q cannot reveal the value either.
func (String) Format(f fmt.State, _ rune) {
	_, _ = io.WriteString(f, redacted)
}

// LogValue implements slog.LogValuer and returns "[redacted]".
func (String) LogValue() slog.Value {
	return slog.StringValue(redacted)
}

// MarshalText implements encoding.TextMarshaler and returns "[redacted]".
func (String) MarshalText() ([]byte, error) {
	return []byte(redacted), nil
}

// MarshalJSON implements json.Marshaler and returns the JSON string "[redacted]".
func (String) MarshalJSON() ([]byte, error) {
	return []byte(`"` + redacted + `"`), nil
}
