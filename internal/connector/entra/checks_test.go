package entra

import (
	"testing"
	"time"

	"github.com/attesthq/attest/internal/connector"
)

// TestFailingDetailsDoNotAgeWithTheClock: a day later, the same tenant
// fails the same checks with the same details, so the stored failing list
// is not rewritten by every sync.
func TestFailingDetailsDoNotAgeWithTheClock(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)
	lastSignIn := now.Add(-200*24*time.Hour + 6*time.Hour)
	details := func(at time.Time) map[string]string {
		// The users are read again at each time, against its threshold.
		threshold := at.AddDate(0, 0, -inactiveDays(nil))
		st := newState()
		st.activityVisible = true
		st.users.put("u1", newUserFacts("idle@contoso.com", true, true, now.AddDate(-2, 0, 0), &lastSignIn, threshold))
		st.users.put("u2", newUserFacts("never@contoso.com", true, true, now.AddDate(-1, 0, 0), nil, threshold))
		st.riskyUsers = []riskyFacts{{id: "u3", label: "risky@contoso.com", level: "high", state: "atRisk", updated: now.Add(-20*24*time.Hour + 3*time.Hour)}}
		out := map[string]string{}
		sess := &session{st: st, req: connector.SyncRequest{Now: at}}
		for _, chk := range checks {
			if chk.Key != CheckInactive && chk.Key != CheckRiskyUsersStale {
				continue
			}
			c := sess.Evaluate(chk)
			c.Key = chk.Key
			if c.Status != connector.CheckFail {
				t.Fatalf("%s: %s, want fail", c.Key, c.Status)
			}
			for _, f := range c.Failing {
				out[c.Key+" "+f.Key] = f.Detail
			}
		}
		return out
	}
	today, tomorrow := details(now), details(now.Add(24*time.Hour))
	if len(today) != 3 {
		t.Fatalf("failing subjects %v, want the two inactive users and the risky one", today)
	}
	for k, d := range today {
		if tomorrow[k] != d {
			t.Errorf("%s: detail %q became %q a day later", k, d, tomorrow[k])
		}
	}
	if want := "last sign-in " + lastSignIn.Format(time.DateOnly); today[CheckInactive+" u1"] != want {
		t.Errorf("inactive detail %q, want %q", today[CheckInactive+" u1"], want)
	}
}
