package entrasim

import (
	"slices"
	"time"
)

// The clone methods make deep copies so that callers of the inspection API
// never share memory with the simulator's state.

func cloneString(p *string) *string {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func cloneTime(p *time.Time) *time.Time {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func cloneStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return slices.Clone(s)
}

func (u User) clone() User {
	u.BusinessPhones = cloneStrings(u.BusinessPhones)
	u.GivenName = cloneString(u.GivenName)
	u.JobTitle = cloneString(u.JobTitle)
	u.Mail = cloneString(u.Mail)
	u.MobilePhone = cloneString(u.MobilePhone)
	u.OfficeLocation = cloneString(u.OfficeLocation)
	u.PreferredLanguage = cloneString(u.PreferredLanguage)
	u.Surname = cloneString(u.Surname)
	u.Department = cloneString(u.Department)
	if u.SignInActivity != nil {
		a := *u.SignInActivity
		a.LastSignInDateTime = cloneTime(a.LastSignInDateTime)
		a.LastSignInRequestID = cloneString(a.LastSignInRequestID)
		a.LastNonInteractiveSignInDateTime = cloneTime(a.LastNonInteractiveSignInDateTime)
		a.LastNonInteractiveSignInRequestID = cloneString(a.LastNonInteractiveSignInRequestID)
		a.LastSuccessfulSignInDateTime = cloneTime(a.LastSuccessfulSignInDateTime)
		a.LastSuccessfulSignInRequestID = cloneString(a.LastSuccessfulSignInRequestID)
		u.SignInActivity = &a
	}
	return u
}

func (d RegistrationDetail) clone() RegistrationDetail {
	d.MethodsRegistered = cloneStrings(d.MethodsRegistered)
	d.SystemPreferredAuthenticationMethods = cloneStrings(d.SystemPreferredAuthenticationMethods)
	return d
}

func (p Policy) clone() Policy {
	p.ModifiedDateTime = cloneTime(p.ModifiedDateTime)
	c := &p.Conditions
	c.UserRiskLevels = cloneStrings(c.UserRiskLevels)
	c.SignInRiskLevels = cloneStrings(c.SignInRiskLevels)
	c.ClientAppTypes = cloneStrings(c.ClientAppTypes)
	if c.Platforms != nil {
		v := ConditionalAccessPlatforms{cloneStrings(c.Platforms.IncludePlatforms), cloneStrings(c.Platforms.ExcludePlatforms)}
		c.Platforms = &v
	}
	if c.Locations != nil {
		v := ConditionalAccessLocations{cloneStrings(c.Locations.IncludeLocations), cloneStrings(c.Locations.ExcludeLocations)}
		c.Locations = &v
	}
	a := &c.Applications
	a.IncludeApplications = cloneStrings(a.IncludeApplications)
	a.ExcludeApplications = cloneStrings(a.ExcludeApplications)
	a.IncludeUserActions = cloneStrings(a.IncludeUserActions)
	u := &c.Users
	u.IncludeUsers, u.ExcludeUsers = cloneStrings(u.IncludeUsers), cloneStrings(u.ExcludeUsers)
	u.IncludeGroups, u.ExcludeGroups = cloneStrings(u.IncludeGroups), cloneStrings(u.ExcludeGroups)
	u.IncludeRoles, u.ExcludeRoles = cloneStrings(u.IncludeRoles), cloneStrings(u.ExcludeRoles)
	if p.GrantControls != nil {
		g := *p.GrantControls
		g.BuiltInControls = cloneStrings(g.BuiltInControls)
		g.CustomAuthenticationFactors = cloneStrings(g.CustomAuthenticationFactors)
		g.TermsOfUse = cloneStrings(g.TermsOfUse)
		p.GrantControls = &g
	}
	if p.SessionControls != nil {
		s := *p.SessionControls
		if s.SignInFrequency != nil {
			v := *s.SignInFrequency
			s.SignInFrequency = &v
		}
		if s.PersistentBrowser != nil {
			v := *s.PersistentBrowser
			s.PersistentBrowser = &v
		}
		p.SessionControls = &s
	}
	return p
}

func (s SignIn) clone() SignIn {
	s.RiskEventTypesV2 = cloneStrings(s.RiskEventTypesV2)
	s.Status.FailureReason = cloneString(s.Status.FailureReason)
	s.Status.AdditionalDetails = cloneString(s.Status.AdditionalDetails)
	if s.Location.GeoCoordinates.Altitude != nil {
		v := *s.Location.GeoCoordinates.Altitude
		s.Location.GeoCoordinates.Altitude = &v
	}
	return s
}
