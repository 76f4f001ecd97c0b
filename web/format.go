package web

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/attesthq/attest/views/components"
)

func itoa(n int) string { return strconv.Itoa(n) }

func timeText(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return components.Exact(*t)
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
