package entra

import (
	"context"
	"encoding/json"
	"net/url"
	"time"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/connector/pace"
)

// riskyUserWindow is how long a high-risk user may stay at risk.
const riskyUserWindow = 7 * 24 * time.Hour

// collectRiskyUsers reads the users ID Protection flagged.
func (c *Connector) collectRiskyUsers(ctx context.Context, g *graph, w connector.DatasetWriter, stats *pace.Stats, st *state, req connector.SyncRequest) (int, error) {
	fetched := 0
	var sum RiskyUserSummary
	err := list(ctx, g, demandProtection, g.root+"/v1.0/identityProtection/riskyUsers?$top=500", stats, func(users []wireRiskyUser) error {
		recs := make([]connector.Record, 0, len(users))
		for _, u := range users {
			if u.RiskLastUpdatedDateTime == nil {
				return &graphError{Class: connector.ErrorMalformed, Message: "a risky user came without riskLastUpdatedDateTime"}
			}
			rec, err := record(KindRiskyUser, u.ID, firstNonEmpty(u.UserPrincipalName, u.UserDisplayName, u.ID), req.Now, RiskyUser{
				ID: u.ID, UserPrincipalName: u.UserPrincipalName, DisplayName: u.UserDisplayName, RiskLevel: u.RiskLevel,
				RiskState: u.RiskState, RiskDetail: u.RiskDetail, RiskLastUpdated: connector.PayloadTime(u.RiskLastUpdatedDateTime), IsDeleted: u.IsDeleted,
			})
			if err != nil {
				return &graphError{Class: connector.ErrorMalformed, Message: "a risky user could not be recorded: " + err.Error()}
			}
			recs = append(recs, rec)
			f := riskyFacts{id: u.ID, label: rec.SubjectLabel, level: u.RiskLevel, state: u.RiskState, updated: *u.RiskLastUpdatedDateTime}
			st.riskyUsers = append(st.riskyUsers, f)
			sum.Total++
			switch u.RiskLevel {
			case "high":
				sum.High++
			case "medium":
				sum.Medium++
			case "low":
				sum.Low++
			}
			if u.RiskState == "atRisk" {
				sum.AtRisk++
				if u.RiskLevel == "high" && f.updated.Before(req.Now.Add(-riskyUserWindow)) {
					sum.HighAtRiskOver7Days++
				}
			}
		}
		fetched += len(users)
		return w.Put(ctx, recs)
	})
	if err != nil {
		return fetched, err
	}
	rec, err := record(KindRiskyUserSummary, "summary", "Risky users", req.Now, sum)
	if err != nil {
		return fetched, err
	}
	return fetched, w.Put(ctx, []connector.Record{rec})
}

// Risky sign-ins are read in windows: the first sync looks back
// firstWindow; later ones from the previous window's end minus an overlap
// (duplicates dedupe by fingerprint).
const (
	firstWindow   = 30 * 24 * time.Hour
	windowOverlap = 10 * time.Minute
)

// collectRiskySignIns reads at-risk sign-in events since the last window.
func (c *Connector) collectRiskySignIns(ctx context.Context, g *graph, w connector.DatasetWriter, stats *pace.Stats, st *state, req connector.SyncRequest) (int, string, error) {
	start := req.Now.Add(-firstWindow)
	if prev, err := time.Parse(time.RFC3339, req.Cursors[DatasetRiskySignIns]); err == nil && prev.After(start) {
		start = prev.Add(-windowOverlap)
	}
	filter := "riskState eq 'atRisk' and createdDateTime ge " + start.UTC().Format(time.RFC3339)
	u := g.root + "/v1.0/auditLogs/signIns?$filter=" + url.QueryEscape(filter) + "&$top=1000"
	fetched := 0
	err := list(ctx, g, demandReports, u, stats, func(events []wireSignIn) error {
		recs := make([]connector.Record, 0, len(events))
		for _, e := range events {
			if e.CreatedDateTime == nil {
				return &graphError{Class: connector.ErrorMalformed, Message: "a sign-in came without createdDateTime"}
			}
			var city, country string
			if e.Location != nil {
				city, country = e.Location.City, e.Location.CountryOrRegion
			}
			var code int
			if e.Status != nil {
				code = e.Status.ErrorCode
			}
			rec, err := record(KindRiskySignIn, e.ID, firstNonEmpty(e.UserPrincipalName, e.UserDisplayName, e.UserID), *e.CreatedDateTime, RiskySignIn{
				ID: e.ID, CreatedAt: connector.PayloadTime(e.CreatedDateTime), UserID: e.UserID, UserPrincipalName: e.UserPrincipalName,
				AppDisplayName: e.AppDisplayName, IPAddress: e.IPAddress, City: city, CountryOrRegion: country,
				RiskLevelDuringSignIn: e.RiskLevelDuringSignIn, RiskLevelAggregated: e.RiskLevelAggregated, RiskState: e.RiskState,
				RiskEventTypes: sorted(e.RiskEventTypes), ErrorCode: code, ConditionalAccessStatus: e.ConditionalAccessStatus,
				IsInteractive: e.IsInteractive,
			})
			if err != nil {
				return &graphError{Class: connector.ErrorMalformed, Message: "a sign-in could not be recorded: " + err.Error()}
			}
			recs = append(recs, rec)
		}
		fetched += len(events)
		return w.Put(ctx, recs)
	})
	if err != nil {
		return fetched, "", err
	}
	st.signIns, st.windowStart = fetched, start
	return fetched, req.Now.UTC().Format(time.RFC3339), nil
}

// summarizeSignIns counts the at-risk sign-ins in the current state (the
// last 30 days) by risk level.
func summarizeSignIns(payloads [][]byte, now time.Time) (connector.Record, error) {
	var sum RiskySignInSummary
	for _, p := range payloads {
		var e struct {
			Level string `json:"risk_level_during_sign_in"`
		}
		if err := json.Unmarshal(p, &e); err != nil {
			return connector.Record{}, err
		}
		sum.Events++
		switch e.Level {
		case "high":
			sum.High++
		case "medium":
			sum.Medium++
		case "low":
			sum.Low++
		default:
			sum.Hidden++
		}
	}
	return record(KindRiskySignInSummary, "summary", "Risky sign-ins", now, sum)
}
