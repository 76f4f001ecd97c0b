package entra

import (
	"context"
	"slices"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/connector/pace"
)

// Conditional-access policy states.
const (
	policyEnabled    = "enabled"
	policyDisabled   = "disabled"
	policyReportOnly = "enabledForReportingButNotEnforced"
)

// collectPolicies reads the conditional-access policies.
func (c *Connector) collectPolicies(ctx context.Context, g *graph, w connector.DatasetWriter, stats *pace.Stats, st *state, req connector.SyncRequest) (int, error) {
	url := g.root + "/v1.0/identity/conditionalAccess/policies"
	fetched := 0
	var sum CASummary
	err := list(ctx, g, demandProtection, url, stats, func(policies []wirePolicy) error {
		recs := make([]connector.Record, 0, len(policies))
		for _, p := range policies {
			var op string
			var controls []string
			if p.GrantControls != nil {
				op, controls = p.GrantControls.Operator, p.GrantControls.BuiltInControls
			}
			requiresMFA := slices.Contains(controls, "mfa")
			cond := p.Conditions
			rec, err := record(KindCAPolicy, p.ID, firstNonEmpty(p.DisplayName, p.ID), req.Now, CAPolicy{
				ID: p.ID, DisplayName: p.DisplayName, State: p.State, RequiresMFA: requiresMFA, GrantOperator: op,
				GrantControls: sorted(controls), IncludeUsers: sorted(cond.Users.IncludeUsers), ExcludeUsers: sorted(cond.Users.ExcludeUsers),
				IncludeGroups: sorted(cond.Users.IncludeGroups), ExcludeGroups: sorted(cond.Users.ExcludeGroups),
				IncludeRoles: sorted(cond.Users.IncludeRoles), ExcludeRoles: sorted(cond.Users.ExcludeRoles),
				IncludeApplications: sorted(cond.Applications.IncludeApplications), ClientAppTypes: sorted(cond.ClientAppTypes),
				SignInRiskLevels: sorted(cond.SignInRiskLevels), UserRiskLevels: sorted(cond.UserRiskLevels),
				CreatedAt: connector.PayloadTime(p.CreatedDateTime), ModifiedAt: connector.PayloadTime(p.ModifiedDateTime),
			})
			if err != nil {
				return &graphError{Class: connector.ErrorMalformed, Message: "a policy could not be recorded: " + err.Error()}
			}
			recs = append(recs, rec)
			st.policies = append(st.policies, policyFacts{label: rec.SubjectLabel, state: p.State, requiresMFA: requiresMFA})
			sum.Total++
			switch p.State {
			case policyEnabled:
				sum.Enabled++
				if requiresMFA {
					sum.EnabledRequiringMFA++
				}
			case policyReportOnly:
				sum.ReportOnly++
				if requiresMFA {
					sum.ReportOnlyRequiringMFA++
				}
			default:
				sum.Disabled++
			}
		}
		fetched += len(policies)
		return w.Put(ctx, recs)
	})
	if err != nil {
		return fetched, err
	}
	rec, err := record(KindCASummary, "summary", "Conditional access", req.Now, sum)
	if err != nil {
		return fetched, err
	}
	return fetched, w.Put(ctx, []connector.Record{rec})
}
