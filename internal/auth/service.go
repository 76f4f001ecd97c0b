package auth

import (
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/clock"
)

var q = dbsqlc.New()

// Service signs users in and manages their sessions.
type Service struct {
	Pool        *pgxpool.Pool
	Clock       clock.Clock
	Hasher      *Hasher
	Throttle    Throttle
	IdleTimeout time.Duration
	MaxAge      time.Duration
	Log         *slog.Logger
}

// Client describes where a request came from.
type Client struct {
	IP        string
	UserAgent string
	RequestID string
}
