package entrasim

import (
	"errors"
	"fmt"
	"hash/fnv"
	mrand "math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"
)

// ErrNotFound is returned by Tenant methods for an unknown user id.
var ErrNotFound = errors.New("entrasim: not found")

// Tenant is one simulated tenant. Its methods are the control and inspection
// API for tests and are safe for concurrent use.
type Tenant struct {
	id, domain, name string
	apps             []AppSpec
	now              func() time.Time

	mu      sync.RWMutex // guards licence, data and rng
	licence Licence
	data    *TenantData
	rng     *mrand.Rand

	auth   authState
	faults faultQueue
	stats  *statsCounter
	limits *limiter
}

func newTenant(seed int64, spec TenantSpec, now func() time.Time) *Tenant {
	data := Generate(seed, spec)
	data.Rebase(now())
	h := fnv.New64a()
	_, _ = h.Write([]byte(spec.ID))
	apps := make([]AppSpec, len(spec.Apps))
	for i, a := range spec.Apps {
		a.RedirectURIs = slices.Clone(a.RedirectURIs)
		apps[i] = a
	}
	return &Tenant{
		id:      strings.ToLower(spec.ID),
		domain:  strings.ToLower(spec.Domain),
		name:    spec.DisplayName,
		apps:    apps,
		now:     now,
		licence: spec.Licence.normalized(),
		data:    data,
		rng:     mrand.New(mrand.NewPCG(uint64(seed)^0x5eed, h.Sum64())),
		auth:    newAuthState(),
		stats:   newStatsCounter(),
		limits:  newLimiter(len(data.Users)),
	}
}

// ID returns the tenant's directory ID.
func (t *Tenant) ID() string { return t.id }

// Domain returns the tenant's initial domain.
func (t *Tenant) Domain() string { return t.domain }

// Licence returns the tenant's current licence tier.
func (t *Tenant) Licence() Licence {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.licence
}

// SetLicence changes the tenant's licence tier; it applies to the next request.
func (t *Tenant) SetLicence(l Licence) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.licence = l.normalized()
}

// app returns the registration with the given client ID.
func (t *Tenant) app(clientID string) (AppSpec, bool) {
	for _, a := range t.apps {
		if strings.EqualFold(a.ClientID, clientID) {
			return a, true
		}
	}
	return AppSpec{}, false
}

// Users returns a copy of the directory's users in serving order.
func (t *Tenant) Users() []User {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]User, len(t.data.Users))
	for i, u := range t.data.Users {
		out[i] = u.clone()
	}
	return out
}

// RegistrationDetails returns a copy of the userRegistrationDetails report.
func (t *Tenant) RegistrationDetails() []RegistrationDetail {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]RegistrationDetail, len(t.data.Registrations))
	for i, d := range t.data.Registrations {
		out[i] = d.clone()
	}
	return out
}

// Policies returns a copy of the Conditional Access policies.
func (t *Tenant) Policies() []Policy {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]Policy, len(t.data.Policies))
	for i, p := range t.data.Policies {
		out[i] = p.clone()
	}
	return out
}

// RiskyUsers returns a copy of the identity protection risky users.
func (t *Tenant) RiskyUsers() []RiskyUser {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return slices.Clone(t.data.RiskyUsers)
}

// SignIns returns a copy of the sign-in log, newest first, as stored (risk
// fields are not hidden for P1 tenants here).
func (t *Tenant) SignIns() []SignIn {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]SignIn, len(t.data.SignIns))
	for i, s := range t.data.SignIns {
		out[i] = s.clone()
	}
	return out
}

func findByID[T any](rows []T, id string, key func(*T) string) (int, bool) {
	return slices.BinarySearchFunc(rows, strings.ToLower(id), func(v T, id string) int {
		return strings.Compare(key(&v), id)
	})
}

func userID(u *User) string                       { return u.ID }
func registrationID(d *RegistrationDetail) string { return d.ID }
func riskyUserID(r *RiskyUser) string             { return r.ID }

// UpdateUser applies fn to a copy of the user with the given id and stores
// the result; the id cannot change. The user's registration details follow:
// they are dropped when the account is disabled and created (not registered
// for MFA) when it is enabled.
func (t *Tenant) UpdateUser(id string, fn func(*User)) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	i, ok := findByID(t.data.Users, id, userID)
	if !ok {
		return fmt.Errorf("update user %q: %w", id, ErrNotFound)
	}
	u := t.data.Users[i].clone()
	fn(&u)
	u.ID = t.data.Users[i].ID
	t.data.Users[i] = u.clone()
	t.syncDerived(&t.data.Users[i])
	return nil
}

// UpdateRegistration applies fn to a copy of the registration details of the
// user with the given id and stores the result; the id cannot change.
func (t *Tenant) UpdateRegistration(id string, fn func(*RegistrationDetail)) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	i, ok := findByID(t.data.Registrations, id, registrationID)
	if !ok {
		return fmt.Errorf("update registration %q: %w", id, ErrNotFound)
	}
	d := t.data.Registrations[i].clone()
	fn(&d)
	d.ID = t.data.Registrations[i].ID
	t.data.Registrations[i] = d.clone()
	return nil
}

// DeleteUser removes the user with the given id and its registration details;
// its risky-user record stays with isDeleted true, and its sign-ins stay in
// the log.
func (t *Tenant) DeleteUser(id string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	i, ok := findByID(t.data.Users, id, userID)
	if !ok {
		return fmt.Errorf("delete user %q: %w", id, ErrNotFound)
	}
	id = t.data.Users[i].ID
	t.data.Users = slices.Delete(t.data.Users, i, i+1)
	if j, ok := findByID(t.data.Registrations, id, registrationID); ok {
		t.data.Registrations = slices.Delete(t.data.Registrations, j, j+1)
	}
	if j, ok := findByID(t.data.RiskyUsers, id, riskyUserID); ok {
		t.data.RiskyUsers[j].IsDeleted = true
	}
	return nil
}

// AddUser stores a copy of u and returns it as stored. An empty ID gets a
// seeded GUID, an empty UserType "Member", a zero CreatedDateTime the current
// time; a user with the same id is replaced. An enabled user gets registration
// details (not registered for MFA).
func (t *Tenant) AddUser(u User) User {
	t.mu.Lock()
	defer t.mu.Unlock()
	u = u.clone()
	if u.ID == "" {
		u.ID = seededGUID(t.rng)
	}
	u.ID = strings.ToLower(u.ID)
	if u.UserType == "" {
		u.UserType = "Member"
	}
	if u.CreatedDateTime.IsZero() {
		u.CreatedDateTime = t.now().UTC().Truncate(time.Second)
	}
	if u.BusinessPhones == nil {
		u.BusinessPhones = []string{}
	}
	i, found := findByID(t.data.Users, u.ID, userID)
	if found {
		t.data.Users[i] = u
	} else {
		t.data.Users = slices.Insert(t.data.Users, i, u)
	}
	t.syncDerived(&t.data.Users[i])
	return u.clone()
}

// syncDerived brings the registration details and risky-user record of u in
// line with u. The caller holds t.mu.
func (t *Tenant) syncDerived(u *User) {
	j, has := findByID(t.data.Registrations, u.ID, registrationID)
	switch {
	case !u.AccountEnabled && has:
		t.data.Registrations = slices.Delete(t.data.Registrations, j, j+1)
	case u.AccountEnabled && !has:
		t.data.Registrations = slices.Insert(t.data.Registrations, j, RegistrationDetail{
			ID:                  u.ID,
			UserPrincipalName:   u.UserPrincipalName,
			UserDisplayName:     u.DisplayName,
			UserType:            strings.ToLower(u.UserType),
			IsSsprEnabled:       !strings.EqualFold(u.UserType, "Guest"),
			LastUpdatedDateTime: t.now().UTC().Truncate(time.Second),
			MethodsRegistered:   []string{},
			IsSystemPreferredAuthenticationMethodEnabled:  true,
			SystemPreferredAuthenticationMethods:          []string{},
			UserPreferredMethodForSecondaryAuthentication: "none",
		})
	case has:
		d := &t.data.Registrations[j]
		d.UserPrincipalName, d.UserDisplayName, d.UserType = u.UserPrincipalName, u.DisplayName, strings.ToLower(u.UserType)
	}
	if k, ok := findByID(t.data.RiskyUsers, u.ID, riskyUserID); ok {
		r := &t.data.RiskyUsers[k]
		r.UserPrincipalName, r.UserDisplayName, r.IsDeleted = u.UserPrincipalName, u.DisplayName, false
	}
}

// user returns a copy of the user with the given id.
func (t *Tenant) user(id string) (User, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if i, ok := findByID(t.data.Users, id, userID); ok {
		return t.data.Users[i].clone(), true
	}
	return User{}, false
}

// signedInAdmin is the user who signs in on the consent pages: the tenant's
// first Global Administrator, or while that account is gone or disabled, the
// first enabled admin in the registration report.
func (t *Tenant) signedInAdmin() (User, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if i, ok := findByID(t.data.Users, t.data.AdminID, userID); ok && t.data.Users[i].AccountEnabled {
		return t.data.Users[i].clone(), true
	}
	for _, d := range t.data.Registrations {
		if !d.IsAdmin {
			continue
		}
		if i, ok := findByID(t.data.Users, d.ID, userID); ok && t.data.Users[i].AccountEnabled {
			return t.data.Users[i].clone(), true
		}
	}
	return User{}, false
}

// InjectFault queues f for its dataset.
func (t *Tenant) InjectFault(f Fault) { t.faults.push(f) }

// Stats returns a snapshot of the tenant's request counters.
func (t *Tenant) Stats() Stats { return t.stats.snapshot() }
