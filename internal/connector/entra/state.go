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

type userFacts struct {
	label      string
	enabled    bool
	member     bool
	created    time.Time
	lastSignIn *time.Time
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
