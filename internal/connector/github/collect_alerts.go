package github

import (
	"context"
	"strconv"
	"time"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/pgtext"
)

// collectAlerts reads the organization's open Dependabot alerts, following
// the cursor links (the endpoint refuses page numbers).
func collectAlerts(ctx context.Context, s *Session) ([]connector.Record, error) {
	list, err := allPages[alertWire](ctx, s.api, routeAlerts, s.orgPath("/dependabot/alerts?state=open&per_page=100"))
	if err != nil {
		return nil, err
	}
	limit := s.params.Get(paramMaxOpenDays)
	var rs records
	sum := DependabotSummary{LimitDays: limit}
	alerts := []DependabotAlert{}
	for _, w := range list {
		if w.State != "open" {
			continue
		}
		severity := w.SecurityAdvisory.Severity
		if severity == "" {
			severity = w.SecurityVulnerability.Severity
		}
		opened := w.CreatedAt
		a := DependabotAlert{Repository: pgtext.Clean(w.Repository.FullName), Number: w.Number, Severity: severity,
			Ecosystem: pgtext.Clean(w.Dependency.Package.Ecosystem), Package: pgtext.Clean(w.Dependency.Package.Name),
			ManifestPath: pgtext.Clean(w.Dependency.ManifestPath), GHSAID: pgtext.Clean(w.SecurityAdvisory.GHSAID),
			CVEID: pgtext.Clean(w.SecurityAdvisory.CVEID), Summary: pgtext.Clean(w.SecurityAdvisory.Summary),
			OpenedAt: connector.PayloadTime(&opened), URL: pgtext.Clean(w.HTMLURL)}
		sum.Open++
		switch severity {
		case "critical":
			sum.Critical++
		case "high":
			sum.High++
		case "medium":
			sum.Medium++
		case "low":
			sum.Low++
		}
		if overLimit(a, limit, s.now) {
			sum.CriticalOrHighOverLimit++
		}
		alerts = append(alerts, a)
		key := a.Repository + "#" + strconv.Itoa(a.Number)
		rs.add(KindDependabotAlert, key, key+" "+a.Package, s.now, a)
	}
	rs.add(KindDependabotSummary, "summary", "Dependabot alerts", s.now, sum)
	s.mu.Lock()
	s.snap.Alerts = alerts
	s.mu.Unlock()
	return rs.result()
}

// overLimit reports a critical or high alert open longer than limit days.
func overLimit(a DependabotAlert, limit int, now time.Time) bool {
	if a.Severity != "critical" && a.Severity != "high" {
		return false
	}
	opened, err := time.Parse(time.RFC3339, a.OpenedAt)
	return err == nil && now.Sub(opened) > time.Duration(limit)*24*time.Hour
}
