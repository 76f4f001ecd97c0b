package audit

import (
	"context"

	"github.com/google/uuid"
)

// Actor types stored in the log.
const (
	ActorUser   = "user"
	ActorSystem = "system"
)

// Actor is who performed an action.
type Actor struct {
	Type  string
	ID    *uuid.UUID
	Label string
}

// UserActor is a signed-in person, labelled by email.
func UserActor(id uuid.UUID, email string) Actor {
	return Actor{Type: ActorUser, ID: &id, Label: email}
}

// SystemActor is attest itself (jobs, the scheduler), labelled by component.
func SystemActor(component string) Actor {
	return Actor{Type: ActorSystem, Label: component}
}

// Event is one action to record.
type Event struct {
	// Action is "area.verb", e.g. "connection.connect".
	Action     string
	TargetType string
	TargetID   string
	// Details are stored as canonical JSON; never put secrets here.
	Details map[string]any
}

type requestKey struct{}

// Request identifies the HTTP request an action came from.
type Request struct {
	IP        string
	RequestID string
}

// WithRequest returns a context whose audit rows carry r.
func WithRequest(ctx context.Context, r Request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

func requestFrom(ctx context.Context) Request {
	r, _ := ctx.Value(requestKey{}).(Request)
	return r
}
