package entra

import (
	"context"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/connector/pace"
)

// collectRegistrations reads MFA registration details (enabled users only:
// the report leaves disabled ones out).
func (c *Connector) collectRegistrations(ctx context.Context, g *graph, w connector.DatasetWriter, stats *pace.Stats, st *state, req connector.SyncRequest) (int, error) {
	url := g.root + "/v1.0/reports/authenticationMethods/userRegistrationDetails"
	fetched := 0
	err := list(ctx, g, demandReports, url, stats, func(regs []wireRegistration) error {
		recs := make([]connector.Record, 0, len(regs))
		for _, r := range regs {
			rec, err := record(KindMFARegistration, r.ID, firstNonEmpty(r.UserPrincipalName, r.UserDisplayName, r.ID), req.Now, MFARegistration{
				ID: r.ID, UserPrincipalName: r.UserPrincipalName, DisplayName: r.UserDisplayName, UserType: lower(r.UserType),
				IsAdmin: r.IsAdmin, IsMFARegistered: r.IsMfaRegistered, IsMFACapable: r.IsMfaCapable, IsSSPRRegistered: r.IsSsprRegistered,
				IsPasswordlessCapable: r.IsPasswordlessCapable, MethodsRegistered: sorted(r.MethodsRegistered), PreferredMethod: r.PreferredMethod,
			})
			if err != nil {
				return &graphError{Class: connector.ErrorMalformed, Message: "a registration could not be recorded: " + err.Error()}
			}
			recs = append(recs, rec)
			st.regs.put(r.ID, regFacts{admin: r.IsAdmin, mfa: r.IsMfaRegistered, member: lower(r.UserType) != "guest"})
			if r.IsAdmin {
				st.admins[r.ID] = rec.SubjectLabel
			}
		}
		fetched += len(regs)
		return w.Put(ctx, recs)
	})
	if err != nil {
		return fetched, err
	}
	var sum MFASummary
	for r := range st.regs.values() {
		sum.Users++
		if r.mfa {
			sum.MFACapable++
		}
		if r.member {
			sum.Members++
			if r.mfa {
				sum.MembersRegistered++
			}
		}
		if r.admin {
			sum.Admins++
			if r.mfa {
				sum.AdminsRegistered++
			}
		}
	}
	sum.MembersRegisteredPct = pct(sum.MembersRegistered, sum.Members)
	sum.AdminsRegisteredPct = pct(sum.AdminsRegistered, sum.Admins)
	rec, err := record(KindMFASummary, "summary", "MFA coverage", req.Now, sum)
	if err != nil {
		return fetched, err
	}
	return fetched, w.Put(ctx, []connector.Record{rec})
}

// pct is part/whole as a percentage with one decimal.
func pct(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return float64(int(float64(part)*1000/float64(whole)+0.5)) / 10
}
