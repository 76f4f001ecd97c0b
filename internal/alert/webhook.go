package alert

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/attesthq/attest/db/dbsqlc"
	"github.com/attesthq/attest/internal/secret"
)

// Webhook posts alert events to an operator's endpoint. Each request carries
// X-Attest-Timestamp (Unix seconds) and X-Attest-Signature,
// "v1=" + hex(HMAC-SHA256(secret, timestamp + "." + body)), and
// X-Attest-Delivery, which stays the same across retries of one event.
type Webhook struct {
	URL    string
	Secret secret.String
	Client *http.Client
}

// Payload is the JSON body of an alert event.
type Payload struct {
	Delivery     string       `json:"delivery"`
	Event        string       `json:"event"`
	Organization PayloadOrg   `json:"organization"`
	Alert        PayloadAlert `json:"alert"`
	SentAt       time.Time    `json:"sent_at"`
}

// PayloadOrg identifies the organization.
type PayloadOrg struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
}

// PayloadAlert describes the alert.
type PayloadAlert struct {
	ID           string     `json:"id"`
	Kind         string     `json:"kind"`
	Title        string     `json:"title"`
	Message      string     `json:"message"`
	ConnectionID string     `json:"connection_id"`
	DocumentID   string     `json:"document_id,omitempty"`
	OpenedAt     time.Time  `json:"opened_at"`
	ResolvedAt   *time.Time `json:"resolved_at"`
	// Assignee is the person the alert is addressed to (a document's owner),
	// so the receiver can notify them; absent for connection alerts.
	Assignee *PayloadPerson `json:"assignee,omitempty"`
}

// PayloadPerson names a member of the organization.
type PayloadPerson struct {
	Email string `json:"email"`
	Name  string `json:"name"`
}

// NewPayload builds the body of an event about a.
func NewPayload(org dbsqlc.Organization, a dbsqlc.AlertGetRow, event string, now time.Time) Payload {
	var conn, doc string
	if a.ConnectionID != nil {
		conn = a.ConnectionID.String()
	}
	if a.DocumentID != nil {
		doc = a.DocumentID.String()
	}
	var assignee *PayloadPerson
	if a.AssigneeID != nil {
		assignee = &PayloadPerson{Email: a.AssigneeEmail, Name: a.AssigneeName}
	}
	return Payload{
		Delivery: a.ID.String() + "." + event, Event: "alert." + event, SentAt: now.UTC(),
		Organization: PayloadOrg{ID: org.ID.String(), Slug: org.Slug},
		Alert: PayloadAlert{ID: a.ID.String(), Kind: a.Kind, Title: a.Title, Message: a.Message,
			ConnectionID: conn, DocumentID: doc, OpenedAt: a.OpenedAt.UTC(), ResolvedAt: a.ResolvedAt, Assignee: assignee},
	}
}

// Sign computes the signature header value for a body sent at ts.
func Sign(key []byte, ts int64, body []byte) string {
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%d.", ts)
	mac.Write(body)
	return "v1=" + hex.EncodeToString(mac.Sum(nil))
}

// Deliver posts the payload and returns the HTTP status; any status outside
// 2xx is an error, so the job retries.
func (w *Webhook) Deliver(ctx context.Context, p Payload, now time.Time) (int, error) {
	body, err := json.Marshal(p)
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	ts := now.Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "attest-alerts/1")
	req.Header.Set("X-Attest-Event", p.Event)
	req.Header.Set("X-Attest-Delivery", p.Delivery)
	req.Header.Set("X-Attest-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("X-Attest-Signature", Sign([]byte(w.Secret.Reveal()), ts, body))
	resp, err := w.Client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("alert: webhook: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("alert: webhook answered %d", resp.StatusCode)
	}
	return resp.StatusCode, nil
}
