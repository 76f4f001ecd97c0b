// Package web is attest's HTTP surface: the one route table (routes.go), the
// middleware that establishes who is asking and what they may do, a handler
// file per resource action, the render helper that decides between a full
// page and an htmx fragment, and the central error handler that logs with
// slog and renders a safe page.
package web
