package entra

import (
	"context"
	"errors"
	"time"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/connector/pace"
)

const userSelect = "id,displayName,userPrincipalName,mail,accountEnabled,userType,createdDateTime"

// collectUsers reads the user inventory with sign-in activity. A tenant
// without the P1/P2 licence refuses signInActivity; the users are then read
// without it and the activity marked unavailable.
func (c *Connector) collectUsers(ctx context.Context, g *graph, w connector.DatasetWriter, stats *pace.Stats, st *state, req connector.SyncRequest) (int, error) {
	fetched, err := c.listUsers(ctx, g, w, stats, st, req, true)
	var ge *graphError
	if fetched == 0 && errors.As(err, &ge) && ge.Class == connector.ErrorLicence {
		fetched, err = c.listUsers(ctx, g, w, stats, st, req, false)
	}
	if err != nil {
		return fetched, err
	}
	sum := UsersSummary{InactiveDays: inactiveDays(req.Params), SignInActivityAvailable: st.activityVisible}
	for u := range st.users.values() {
		sum.Total++
		if u.enabled {
			sum.Enabled++
		} else {
			sum.Disabled++
		}
		if u.member {
			sum.Members++
		} else {
			sum.Guests++
		}
		if st.activityVisible && !u.signedIn {
			sum.NeverSignedIn++
		}
		if st.activityVisible && u.enabled && u.inactive {
			sum.InactiveEnabled++
		}
	}
	rec, err := record(KindUsersSummary, "summary", "User inventory", req.Now, sum)
	if err != nil {
		return fetched, err
	}
	return fetched, w.Put(ctx, []connector.Record{rec})
}

func (c *Connector) listUsers(ctx context.Context, g *graph, w connector.DatasetWriter, stats *pace.Stats, st *state, req connector.SyncRequest, withActivity bool) (int, error) {
	url := g.root + "/v1.0/users?$select=" + userSelect + ",signInActivity&$top=500"
	demand := demandActivity
	if !withActivity {
		url = g.root + "/v1.0/users?$select=" + userSelect + "&$top=999"
		demand = demandDirectory
	}
	st.activityVisible = withActivity
	threshold := req.Now.AddDate(0, 0, -inactiveDays(req.Params))
	fetched := 0
	err := list(ctx, g, demand, url, stats, func(users []wireUser) error {
		recs := make([]connector.Record, 0, len(users))
		for _, u := range users {
			if u.AccountEnabled == nil || u.CreatedDateTime == nil {
				return &graphError{Class: connector.ErrorMalformed, Message: "a user came without accountEnabled or createdDateTime"}
			}
			var last, success *time.Time
			if a := u.SignInActivity; a != nil {
				last = latest(a.LastSignInDateTime, a.LastNonInteractiveSignInDateTime)
				success = a.LastSuccessfulSignInDateTime
			}
			userType := lower(u.UserType)
			rec, err := record(KindUser, u.ID, firstNonEmpty(u.UserPrincipalName, u.DisplayName, u.ID), req.Now, User{
				ID: u.ID, DisplayName: u.DisplayName, UserPrincipalName: u.UserPrincipalName, Mail: derefString(u.Mail),
				AccountEnabled: *u.AccountEnabled, UserType: userType, CreatedAt: connector.PayloadTime(u.CreatedDateTime),
				SignInActivityAvailable: withActivity, LastSignIn: connector.PayloadDay(last), LastSuccessfulSignIn: connector.PayloadDay(success),
			})
			if err != nil {
				return &graphError{Class: connector.ErrorMalformed, Message: "a user could not be recorded: " + err.Error()}
			}
			recs = append(recs, rec)
			st.users.put(u.ID, newUserFacts(rec.SubjectLabel, *u.AccountEnabled, userType != "guest", *u.CreatedDateTime, last, threshold))
		}
		fetched += len(users)
		return w.Put(ctx, recs)
	})
	return fetched, err
}

// inactiveDays is the connection's inactivity threshold.
func inactiveDays(params connector.Params) int { return params.Get(paramInactiveDays) }

func derefString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
