package entrasim

import (
	"cmp"
	"hash/fnv"
	mrand "math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// generatedAsOf is the instant Generate anchors data at; Rebase moves it.
var generatedAsOf = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

// TenantData is a tenant's directory, reports and logs, current as of AsOf.
// Slices are in Graph's serving order: users, registration details, policies
// and risky users by id; sign-ins newest first.
type TenantData struct {
	// AsOf is the instant the data is current at.
	AsOf time.Time
	// AdminID is the id of the tenant's first Global Administrator, the user
	// who signs in on the simulated consent pages.
	AdminID string
	// Users are the directory's users.
	Users []User
	// Registrations are the authentication-method registration details, one
	// per enabled user.
	Registrations []RegistrationDetail
	// Policies are the Conditional Access policies.
	Policies []Policy
	// RiskyUsers are the identity protection risky users.
	RiskyUsers []RiskyUser
	// SignIns is the sign-in log.
	SignIns []SignIn
}

// Generate builds a realistic tenant deterministically from seed and spec: the
// same seed and spec give identical data. Users get names and UPNs on
// spec.Domain with about 5% guests, 4% disabled accounts, 3% who never signed
// in, 6% inactive for over 90 days and the rest active within 30 days; about
// 3% are admins (some without MFA) and about 85% of enabled members are MFA
// registered. Times are anchored at a fixed instant (AsOf); call Rebase to move
// them.
func Generate(seed int64, spec TenantSpec) *TenantData {
	h := fnv.New64a()
	_, _ = h.Write([]byte(strings.ToLower(spec.ID)))
	g := &generator{
		r:      mrand.New(mrand.NewPCG(uint64(seed), h.Sum64())),
		asOf:   generatedAsOf,
		domain: strings.ToLower(spec.Domain),
		size:   spec.Size.withDefaults(),
	}
	d := &TenantData{AsOf: g.asOf}
	g.users(d)
	g.policies(d)
	g.riskyUsers(d)
	g.signIns(d)
	slices.SortFunc(d.Policies, func(a, b Policy) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(d.RiskyUsers, func(a, b RiskyUser) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(d.SignIns, compareSignIns)
	return d
}

// compareSignIns orders sign-ins newest first, then by id.
func compareSignIns(a, b SignIn) int {
	return cmp.Or(b.CreatedDateTime.Compare(a.CreatedDateTime), strings.Compare(a.ID, b.ID))
}

// Rebase shifts every time in d so that the data is current as of asOf.
func (d *TenantData) Rebase(asOf time.Time) {
	delta := asOf.Sub(d.AsOf)
	d.AsOf = asOf
	shift := func(t *time.Time) {
		if t != nil {
			*t = t.Add(delta).UTC()
		}
	}
	for i := range d.Users {
		u := &d.Users[i]
		shift(&u.CreatedDateTime)
		if a := u.SignInActivity; a != nil {
			shift(a.LastSignInDateTime)
			shift(a.LastNonInteractiveSignInDateTime)
			shift(a.LastSuccessfulSignInDateTime)
		}
	}
	for i := range d.Registrations {
		shift(&d.Registrations[i].LastUpdatedDateTime)
	}
	for i := range d.Policies {
		shift(&d.Policies[i].CreatedDateTime)
		shift(d.Policies[i].ModifiedDateTime)
	}
	for i := range d.RiskyUsers {
		shift(&d.RiskyUsers[i].RiskLastUpdatedDateTime)
	}
	for i := range d.SignIns {
		shift(&d.SignIns[i].CreatedDateTime)
	}
}

// generator holds the state of one Generate call.
type generator struct {
	r      *mrand.Rand
	asOf   time.Time
	domain string
	size   Size
}

func (g *generator) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *generator) chance(p float64) bool { return g.r.Float64() < p }

// ago returns a second-precision instant between lo and hi before asOf.
func (g *generator) ago(lo, hi time.Duration) time.Time {
	span := int64(hi-lo) / int64(time.Second)
	return g.asOf.Add(-lo - time.Duration(g.r.Int64N(span+1))*time.Second)
}

// carve returns a copy of vals in its own region of *backing, so records
// never share a slice while the generator avoids one allocation per record.
func carve(backing *[]string, vals []string) []string {
	start := len(*backing)
	*backing = append(*backing, vals...)
	return (*backing)[start:len(*backing):len(*backing)]
}

// users generates the directory and its registration details. IDs are drawn
// first and sorted, so both come out in serving order without sorting large
// records; the Global Administrator sits at a random position.
func (g *generator) users(d *TenantData) {
	n := g.size.Users
	if n == 0 {
		return
	}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = seededGUID(g.r)
	}
	slices.Sort(ids)
	top := g.r.IntN(n)
	d.AdminID = ids[top]
	d.Users = make([]User, n)
	d.Registrations = make([]RegistrationDetail, 0, n)
	strs := make([]string, 11*n)      // backing for *string fields
	times := make([]time.Time, 3*n)   // backing for sign-in times
	acts := make([]SignInActivity, n) // backing for signInActivity
	methods := make([]string, 0, 3*n)
	seen := make(map[string]int, n)
	var admins []int
	for i := range n {
		u := &d.Users[i]
		s := strs[11*i : 11*i+11]
		first, last := g.pick(firstNames), g.pick(lastNames)
		base := strings.ToLower(strings.ReplaceAll(first+"."+last, "-", ""))
		if k := seen[base]; k > 0 {
			seen[base] = k + 1
			base += strconv.Itoa(k + 1)
		} else {
			seen[base] = 1
		}
		u.ID = ids[i]
		u.DisplayName = first + " " + last
		u.BusinessPhones = []string{}
		u.AccountEnabled = i == top || !g.chance(0.04)
		guest := i != top && g.chance(0.05)
		if guest {
			u.UserType = "Guest"
			u.UserPrincipalName = base + "_" + g.pick(guestDomains) + "#EXT#@" + g.domain
		} else {
			u.UserType = "Member"
			u.UserPrincipalName = base + "@" + g.domain
			s[0], s[1], s[2], s[3], s[4], s[5] = u.UserPrincipalName, first, last, g.pick(jobTitles), g.pick(departments), g.pick(offices)
			s[6] = "en-US"
			u.Mail, u.GivenName, u.Surname, u.JobTitle, u.Department, u.OfficeLocation = &s[0], &s[1], &s[2], &s[3], &s[4], &s[5]
			u.PreferredLanguage = &s[6]
			if g.chance(0.6) {
				s[7] = "+1 425 555 " + strconv.Itoa(100+g.r.IntN(9900))
				u.BusinessPhones = s[7:8:8]
			}
		}
		if i == top {
			s[3] = "IT Administrator"
			s[4] = "IT"
		}
		switch x := g.r.Float64(); {
		case i != top && x < 0.03:
			u.CreatedDateTime = g.ago(7*day, 3*365*day)
		case i != top && x < 0.09:
			g.activity(u, &acts[i], times[3*i:3*i+3], s[8:11], g.ago(91*day, 400*day))
		default:
			g.activity(u, &acts[i], times[3*i:3*i+3], s[8:11], g.ago(0, 30*day))
		}
		if !u.AccountEnabled {
			continue
		}
		admin := !guest && (i == top || g.chance(0.031))
		mfa := i == top || (admin && g.chance(0.75)) || (!admin && !guest && g.chance(0.85)) || (guest && g.chance(0.5))
		if admin {
			admins = append(admins, len(d.Registrations))
		}
		d.Registrations = append(d.Registrations, g.registration(u, guest, admin, mfa, &methods))
	}
	if len(admins) > 1 && allMFA(d.Registrations, admins) {
		last := admins[len(admins)-1]
		if d.Registrations[last].ID == d.AdminID {
			last = admins[0]
		}
		r := &d.Registrations[last]
		r.IsMfaRegistered, r.IsMfaCapable, r.IsPasswordlessCapable = false, false, false
		r.MethodsRegistered, r.SystemPreferredAuthenticationMethods = []string{}, []string{}
		r.UserPreferredMethodForSecondaryAuthentication = "none"
	}
}

func allMFA(regs []RegistrationDetail, idx []int) bool {
	for _, i := range idx {
		if !regs[i].IsMfaRegistered {
			return false
		}
	}
	return true
}

// activity fills u's signInActivity around its last interactive sign-in,
// using a, t and ids as backing storage.
func (g *generator) activity(u *User, a *SignInActivity, t []time.Time, ids []string, last time.Time) {
	ids[0], ids[1] = seededGUID(g.r), seededGUID(g.r)
	ids[2] = ids[1] // the last successful sign-in is the non-interactive one
	t[0] = last
	t[1] = last.Add(time.Duration(g.r.Int64N(int64(2*day/time.Second))) * time.Second)
	if t[1].After(g.asOf) {
		t[1] = g.asOf
	}
	t[2] = t[1]
	*a = SignInActivity{
		LastSignInDateTime:                &t[0],
		LastSignInRequestID:               &ids[0],
		LastNonInteractiveSignInDateTime:  &t[1],
		LastNonInteractiveSignInRequestID: &ids[1],
		LastSuccessfulSignInDateTime:      &t[2],
		LastSuccessfulSignInRequestID:     &ids[2],
	}
	u.SignInActivity = a
	u.CreatedDateTime = last.Add(-day - time.Duration(g.r.Int64N(int64(3*365*day/time.Second)))*time.Second)
}

func (g *generator) registration(u *User, guest, admin, mfa bool, backing *[]string) RegistrationDetail {
	mix := noMfaMixes[g.r.IntN(len(noMfaMixes))]
	if mfa {
		mix = mfaMixes[g.r.IntN(len(mfaMixes))]
	}
	userType := "member"
	if guest {
		userType = "guest"
	}
	registered := len(mix.methods) > 0
	return RegistrationDetail{
		ID:                    u.ID,
		UserPrincipalName:     u.UserPrincipalName,
		UserDisplayName:       u.DisplayName,
		UserType:              userType,
		IsAdmin:               admin,
		IsSsprRegistered:      registered,
		IsSsprEnabled:         !guest,
		IsSsprCapable:         registered && !guest,
		IsMfaRegistered:       mfa,
		IsMfaCapable:          mfa,
		IsPasswordlessCapable: mix.passwordless,
		LastUpdatedDateTime:   g.ago(0, 4*time.Hour),
		MethodsRegistered:     carve(backing, mix.methods),
		IsSystemPreferredAuthenticationMethodEnabled:  true,
		SystemPreferredAuthenticationMethods:          carve(backing, mix.system),
		UserPreferredMethodForSecondaryAuthentication: mix.preferred,
	}
}

func (g *generator) riskyUsers(d *TenantData) {
	n := len(d.Users)
	count := min(g.size.RiskyUsers, max(n-1, 0))
	picked := make(map[int]bool, count)
	d.RiskyUsers = make([]RiskyUser, 0, count)
	for len(d.RiskyUsers) < count {
		i := g.r.IntN(n)
		if picked[i] || d.Users[i].ID == d.AdminID {
			continue
		}
		picked[i] = true
		u := &d.Users[i]
		ru := RiskyUser{
			ID:                      u.ID,
			RiskLastUpdatedDateTime: g.ago(0, 30*day),
			RiskLevel:               g.weighted([]string{"low", "medium", "high"}, []float64{0.4, 0.35, 0.25}),
			RiskState:               g.weighted([]string{"atRisk", "remediated", "dismissed"}, []float64{0.6, 0.25, 0.15}),
			UserDisplayName:         u.DisplayName,
			UserPrincipalName:       u.UserPrincipalName,
		}
		if len(d.RiskyUsers) == 0 {
			// Guarantee a stale high-risk user, the case checks must flag.
			ru.RiskLevel, ru.RiskState = "high", "atRisk"
			ru.RiskLastUpdatedDateTime = g.ago(8*day, 29*day)
		}
		switch ru.RiskState {
		case "remediated":
			ru.RiskDetail = "userPerformedSecuredPasswordReset"
		case "dismissed":
			ru.RiskDetail = "adminDismissedAllRiskForUser"
		default:
			ru.RiskDetail = "none"
		}
		d.RiskyUsers = append(d.RiskyUsers, ru)
	}
}

func (g *generator) weighted(vals []string, weights []float64) string {
	x := g.r.Float64()
	for i, w := range weights {
		if x < w {
			return vals[i]
		}
		x -= w
	}
	return vals[len(vals)-1]
}

func (g *generator) signIns(d *TenantData) {
	risky := g.size.RiskySignIns
	if len(d.Users) == 0 {
		return
	}
	d.SignIns = make([]SignIn, 0, 2*risky)
	events := make([]string, 0, risky) // backing for risk event types
	for k := range 2 * risky {
		u := &d.Users[g.r.IntN(len(d.Users))]
		app := signInApps[g.r.IntN(len(signInApps))]
		city := signInCities[g.r.IntN(len(signInCities))]
		s := SignIn{
			ID:                      seededGUID(g.r),
			CreatedDateTime:         g.ago(0, 30*day).Add(time.Duration(g.r.IntN(1000)) * time.Millisecond),
			UserDisplayName:         u.DisplayName,
			UserPrincipalName:       u.UserPrincipalName,
			UserID:                  u.ID,
			AppID:                   app.id,
			AppDisplayName:          app.name,
			IPAddress:               g.ipAddress(),
			ClientAppUsed:           g.weighted(clientApps, []float64{0.6, 0.3, 0.05, 0.05}),
			CorrelationID:           seededGUID(g.r),
			ConditionalAccessStatus: g.weighted([]string{"success", "notApplied", "failure"}, []float64{0.6, 0.35, 0.05}),
			IsInteractive:           g.chance(0.8),
			RiskDetail:              "none",
			RiskLevelAggregated:     "none",
			RiskLevelDuringSignIn:   "none",
			RiskState:               "none",
			RiskEventTypesV2:        []string{},
			Location: SignInLocation{
				City: city.city, State: city.state, CountryOrRegion: city.country,
				GeoCoordinates: GeoCoordinates{Latitude: city.lat, Longitude: city.lon},
			},
		}
		if k < risky {
			level := g.weighted([]string{"low", "medium", "high"}, []float64{0.45, 0.35, 0.2})
			s.RiskState, s.RiskLevelDuringSignIn, s.RiskLevelAggregated = "atRisk", level, level
			s.RiskEventTypesV2 = carve(&events, []string{g.pick(riskEventTypes)})
		}
		switch {
		case !u.AccountEnabled:
			s.Status = signInFailure(50057, "User account is disabled. The account has been disabled by an administrator.")
		case g.chance(0.08):
			s.Status = signInFailure(50126, "Error validating credentials due to invalid username or password.")
		}
		d.SignIns = append(d.SignIns, s)
	}
}

func signInFailure(code int, reason string) SignInStatus {
	return SignInStatus{ErrorCode: code, FailureReason: &reason}
}

func (g *generator) ipAddress() string {
	b := make([]byte, 0, 15)
	b = strconv.AppendInt(b, int64(20+g.r.IntN(180)), 10)
	for range 3 {
		b = append(b, '.')
		b = strconv.AppendInt(b, int64(g.r.IntN(256)), 10)
	}
	return string(b)
}
