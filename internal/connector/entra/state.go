package entra

import "time"

// state is the compact picture of the tenant a sync builds as pages arrive;
// the checks are evaluated on it, so they see exactly the data this sync
// stored. It needs no lock: each field is written by one collector only
// (users and activityVisible by the users collector, regs and admins by
// the registrations collector, and so on), and the checks read it after every
// collector has returned. A shared lock would serialize the collectors'
// page processing, which is most of a sync's CPU.
type state struct {
	users           objects[userFacts]
	activityVisible bool
	regs            objects[regFacts]
	admins          map[string]string
	policies        []policyFacts
	riskyUsers      []riskyFacts
	signIns         int
	windowStart     time.Time
}

// userFacts is what the checks need of a user, settled when the user is
// read against the sync's inactivity threshold: 24 bytes, where the two
// times took 32 more and an allocation each user. A disabled user's label
// is not kept: no check names a disabled user.
type userFacts struct {
	label string
	// day is the UTC day (since 1970) of the last sign-in, or of the
	// creation for a user who never signed in.
	day      int32
	enabled  bool
	member   bool
	signedIn bool
	// inactive: the day's time is before the inactivity threshold.
	inactive bool
}

// newUserFacts settles a user's facts against the inactivity threshold: a
// user is inactive who has not signed in since it, or who never signed in
// and was created before it.
func newUserFacts(label string, enabled, member bool, created time.Time, lastSignIn *time.Time, threshold time.Time) userFacts {
	at := created
	if lastSignIn != nil {
		at = *lastSignIn
	}
	if !enabled {
		label = ""
	}
	return userFacts{label: label, day: dayOf(at), enabled: enabled, member: member, signedIn: lastSignIn != nil, inactive: at.Before(threshold)}
}

// dayOf is t's UTC day since 1970, counting back before it.
func dayOf(t time.Time) int32 {
	sec := t.Unix()
	day := sec / 86400
	if sec%86400 < 0 {
		day--
	}
	return int32(day)
}

// date is the facts' day as a date (YYYY-MM-DD).
func (u userFacts) date() string {
	return time.Unix(int64(u.day)*86400, 0).UTC().Format(time.DateOnly)
}

// regFacts is what the checks need of a user's registration details. The
// label is kept for administrators only (admins), the one check that names
// a registration's subject: for the 50,000 users of a large tenant a label
// each was 3 MiB.
type regFacts struct {
	admin  bool
	mfa    bool
	member bool
}

type policyFacts struct {
	label       string
	state       string
	requiresMFA bool
}

type riskyFacts struct {
	id, label    string
	level, state string
	updated      time.Time
}

func newState() *state {
	return &state{users: newObjects[userFacts](), regs: newObjects[regFacts](), admins: map[string]string{}}
}
