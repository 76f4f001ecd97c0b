package entra

import (
	"fmt"
	"time"

	"github.com/attesthq/attest/internal/connector"
)

// Evaluate runs one check on the state this sync built (the platform calls
// it only when the check's datasets were all read). A failing subject's
// detail states dates, never a count of days, so it changes only when the
// subject does: hourly syncs then leave the stored list of failing subjects
// (and its digest) alone.
func (s *session) Evaluate(chk connector.Check) connector.CheckResult {
	st, now := s.st, s.req.Now
	switch chk.Key {
	case CheckMFAMembers:
		return checkMFAMembers(st)
	case CheckMFAAdmins:
		return checkMFAAdmins(st)
	case CheckCARequiresMFA:
		return checkCARequiresMFA(st)
	case CheckInactive:
		return checkInactive(st, inactiveDays(s.req.Params))
	case CheckRiskyUsersStale:
		return checkRiskyUsers(st, now)
	case CheckSignInMonitor:
		return checkSignInMonitor(st)
	}
	return connector.CheckResult{Status: connector.CheckUnknown, Reason: "attest does not know this check."}
}

// verdict turns counted failures into a result.
func verdict(total int, failing []connector.Subject, passReason, failReason string) connector.CheckResult {
	if len(failing) == 0 {
		return connector.CheckResult{Status: connector.CheckPass, Total: total, Reason: passReason}
	}
	return connector.CheckResult{Status: connector.CheckFail, Total: total, Failing: failing, Reason: fmt.Sprintf(failReason, len(failing), total)}
}

func checkMFAMembers(st *state) connector.CheckResult {
	var failing []connector.Subject
	total := 0
	for id, u := range st.users.all() {
		if !u.enabled || !u.member {
			continue
		}
		total++
		r, ok := st.regs.lookup(id)
		switch {
		case !ok:
			failing = append(failing, connector.Subject{Key: id.String(), Label: u.label, Detail: "not in the MFA registration report"})
		case !r.mfa:
			failing = append(failing, connector.Subject{Key: id.String(), Label: u.label, Detail: "no MFA method registered"})
		}
	}
	return verdict(total, failing, fmt.Sprintf("All %d enabled members have MFA registered.", total), "%d of %d enabled members have no MFA registered.")
}

func checkMFAAdmins(st *state) connector.CheckResult {
	var failing []connector.Subject
	total := 0
	for id, r := range st.regs.all() {
		if !r.admin {
			continue
		}
		total++
		if !r.mfa {
			key := id.String()
			failing = append(failing, connector.Subject{Key: key, Label: st.admins[key], Detail: "admin without MFA registered"})
		}
	}
	if total == 0 {
		return connector.CheckResult{Status: connector.CheckPass, Reason: "The registration report lists no administrators."}
	}
	return verdict(total, failing, fmt.Sprintf("All %d admins have MFA registered.", total), "%d of %d admins have no MFA registered.")
}

func checkCARequiresMFA(st *state) connector.CheckResult {
	enforced, reportOnly := 0, 0
	for _, p := range st.policies {
		switch {
		case p.requiresMFA && p.state == policyEnabled:
			enforced++
		case p.requiresMFA && p.state == policyReportOnly:
			reportOnly++
		}
	}
	res := connector.CheckResult{Total: len(st.policies)}
	if enforced > 0 {
		res.Status, res.Reason = connector.CheckPass, fmt.Sprintf("%d enabled policies require MFA.", enforced)
		return res
	}
	res.Status = connector.CheckFail
	res.Reason = fmt.Sprintf("No enabled policy requires MFA (%d of %d policies require it only in report-only mode).", reportOnly, len(st.policies))
	return res
}

func checkInactive(st *state, days int) connector.CheckResult {
	if !st.activityVisible {
		return connector.CheckResult{Status: connector.CheckUnknown,
			Reason: "Sign-in activity needs an Entra ID P1 or P2 licence (and AuditLog.Read.All), so inactivity cannot be judged."}
	}
	var failing []connector.Subject
	total := 0
	for id, u := range st.users.all() {
		if !u.enabled {
			continue
		}
		total++
		if !u.inactive {
			continue
		}
		detail := "never signed in; created " + u.date()
		if u.signedIn {
			detail = "last sign-in " + u.date()
		}
		failing = append(failing, connector.Subject{Key: id.String(), Label: u.label, Detail: detail})
	}
	return verdict(total, failing, fmt.Sprintf("All %d enabled accounts signed in within %d days.", total, days),
		"%d of %d enabled accounts have not signed in within "+fmt.Sprint(days)+" days.")
}

func checkRiskyUsers(st *state, now time.Time) connector.CheckResult {
	var failing []connector.Subject
	for _, r := range st.riskyUsers {
		if r.level == "high" && r.state == "atRisk" && r.updated.Before(now.Add(-riskyUserWindow)) {
			failing = append(failing, connector.Subject{Key: r.id, Label: r.label,
				Detail: "high risk since " + r.updated.UTC().Format(time.DateOnly)})
		}
	}
	return verdict(len(st.riskyUsers), failing, "No high-risk user has been at risk for more than 7 days.",
		"%d of %d risky users are high risk and unresolved for more than 7 days.")
}

func checkSignInMonitor(st *state) connector.CheckResult {
	return connector.CheckResult{Status: connector.CheckPass, Total: st.signIns,
		Reason: fmt.Sprintf("Read %d at-risk sign-ins since %s.", st.signIns, st.windowStart.UTC().Format("2006-01-02 15:04 UTC"))}
}
