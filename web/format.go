package web

import (
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/attesthq/attest/views/components"
)

func itoa(n int) string { return strconv.Itoa(n) }

func timeText(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return components.Absolute(*t)
}

// uuidParam parses a path parameter as a UUID; anything else is a 404.
func uuidParam(c echo.Context, name string) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Param(name))
	if err != nil {
		return uuid.Nil, echo.ErrNotFound
	}
	return id, nil
}
