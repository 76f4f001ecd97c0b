package entrasim

import "time"

// Enumerations validated in $filter.
var (
	riskLevels  = []string{"low", "medium", "high", "hidden", "none", "unknownFutureValue"}
	riskStates  = []string{"none", "confirmedSafe", "remediated", "dismissed", "atRisk", "confirmedCompromised", "unknownFutureValue"}
	policyState = []string{stateEnabled, stateDisabled, stateReportOnly}
	regUserType = []string{"member", "guest"}
)

func enumFilter[T any](enum []string, f func(*T) string) *filterable[T] {
	return &filterable[T]{kind: kindString, enum: enum, text: f}
}

func textFilter[T any](f func(*T) string) *filterable[T] {
	return &filterable[T]{kind: kindString, text: f}
}

func boolFilter[T any](f func(*T) bool) *filterable[T] {
	return &filterable[T]{kind: kindBool, flag: f}
}

func timeFilter[T any](f func(*T) time.Time) *filterable[T] {
	return &filterable[T]{kind: kindTime, when: f}
}

var userSchema = newSchema("User", "microsoft.graph.user", []property[User]{
	{name: "id", byDefault: true, encode: func(b []byte, u *User) []byte { return appendString(b, u.ID) }},
	{name: "businessPhones", byDefault: true, encode: func(b []byte, u *User) []byte { return appendStrings(b, u.BusinessPhones) }},
	{name: "displayName", byDefault: true, encode: func(b []byte, u *User) []byte { return appendString(b, u.DisplayName) }},
	{name: "givenName", byDefault: true, encode: func(b []byte, u *User) []byte { return appendNullableString(b, u.GivenName) }},
	{name: "jobTitle", byDefault: true, encode: func(b []byte, u *User) []byte { return appendNullableString(b, u.JobTitle) }},
	{name: "mail", byDefault: true, encode: func(b []byte, u *User) []byte { return appendNullableString(b, u.Mail) }},
	{name: "mobilePhone", byDefault: true, encode: func(b []byte, u *User) []byte { return appendNullableString(b, u.MobilePhone) }},
	{name: "officeLocation", byDefault: true, encode: func(b []byte, u *User) []byte { return appendNullableString(b, u.OfficeLocation) }},
	{name: "preferredLanguage", byDefault: true, encode: func(b []byte, u *User) []byte { return appendNullableString(b, u.PreferredLanguage) }},
	{name: "surname", byDefault: true, encode: func(b []byte, u *User) []byte { return appendNullableString(b, u.Surname) }},
	{name: "userPrincipalName", byDefault: true, encode: func(b []byte, u *User) []byte { return appendString(b, u.UserPrincipalName) }},
	{
		name:   "accountEnabled",
		encode: func(b []byte, u *User) []byte { return appendBool(b, u.AccountEnabled) },
		filter: boolFilter(func(u *User) bool { return u.AccountEnabled }),
	},
	{name: "userType", encode: func(b []byte, u *User) []byte { return appendString(b, u.UserType) }},
	{name: "createdDateTime", encode: func(b []byte, u *User) []byte { return appendTime(b, u.CreatedDateTime) }},
	{name: "department", encode: func(b []byte, u *User) []byte { return appendNullableString(b, u.Department) }},
	{
		name:   signInActivityProperty,
		encode: func(b []byte, u *User) []byte { return appendSignInActivity(b, u.SignInActivity) },
		omit:   func(u *User) bool { return u.SignInActivity == nil },
	},
})

// signInActivityProperty is the user property with its own licence, scope,
// throttling and page-size rules.
const signInActivityProperty = "signInActivity"

func appendSignInActivity(b []byte, a *SignInActivity) []byte {
	b = append(b, `{"lastSignInDateTime":`...)
	b = appendNullableTime(b, a.LastSignInDateTime)
	b = append(b, `,"lastSignInRequestId":`...)
	b = appendNullableString(b, a.LastSignInRequestID)
	b = append(b, `,"lastNonInteractiveSignInDateTime":`...)
	b = appendNullableTime(b, a.LastNonInteractiveSignInDateTime)
	b = append(b, `,"lastNonInteractiveSignInRequestId":`...)
	b = appendNullableString(b, a.LastNonInteractiveSignInRequestID)
	b = append(b, `,"lastSuccessfulSignInDateTime":`...)
	b = appendNullableTime(b, a.LastSuccessfulSignInDateTime)
	b = append(b, `,"lastSuccessfulSignInRequestId":`...)
	b = appendNullableString(b, a.LastSuccessfulSignInRequestID)
	return append(b, '}')
}

func regBool(name string, f func(*RegistrationDetail) bool) property[RegistrationDetail] {
	return property[RegistrationDetail]{
		name: name, byDefault: true,
		encode: func(b []byte, d *RegistrationDetail) []byte { return appendBool(b, f(d)) },
		filter: boolFilter(f),
	}
}

var registrationSchema = newSchema("UserRegistrationDetails", "microsoft.graph.userRegistrationDetails", []property[RegistrationDetail]{
	{name: "id", byDefault: true, encode: func(b []byte, d *RegistrationDetail) []byte { return appendString(b, d.ID) }},
	{
		name: "userPrincipalName", byDefault: true,
		encode: func(b []byte, d *RegistrationDetail) []byte { return appendString(b, d.UserPrincipalName) },
		filter: textFilter(func(d *RegistrationDetail) string { return d.UserPrincipalName }),
	},
	{
		name: "userDisplayName", byDefault: true,
		encode: func(b []byte, d *RegistrationDetail) []byte { return appendString(b, d.UserDisplayName) },
		filter: textFilter(func(d *RegistrationDetail) string { return d.UserDisplayName }),
	},
	{
		name: "userType", byDefault: true,
		encode: func(b []byte, d *RegistrationDetail) []byte { return appendString(b, d.UserType) },
		filter: enumFilter(regUserType, func(d *RegistrationDetail) string { return d.UserType }),
	},
	regBool("isAdmin", func(d *RegistrationDetail) bool { return d.IsAdmin }),
	regBool("isSsprRegistered", func(d *RegistrationDetail) bool { return d.IsSsprRegistered }),
	regBool("isSsprEnabled", func(d *RegistrationDetail) bool { return d.IsSsprEnabled }),
	regBool("isSsprCapable", func(d *RegistrationDetail) bool { return d.IsSsprCapable }),
	regBool("isMfaRegistered", func(d *RegistrationDetail) bool { return d.IsMfaRegistered }),
	regBool("isMfaCapable", func(d *RegistrationDetail) bool { return d.IsMfaCapable }),
	regBool("isPasswordlessCapable", func(d *RegistrationDetail) bool { return d.IsPasswordlessCapable }),
	{name: "lastUpdatedDateTime", byDefault: true, encode: func(b []byte, d *RegistrationDetail) []byte { return appendTime(b, d.LastUpdatedDateTime) }},
	{name: "methodsRegistered", byDefault: true, encode: func(b []byte, d *RegistrationDetail) []byte { return appendStrings(b, d.MethodsRegistered) }},
	regBool("isSystemPreferredAuthenticationMethodEnabled", func(d *RegistrationDetail) bool {
		return d.IsSystemPreferredAuthenticationMethodEnabled
	}),
	{name: "systemPreferredAuthenticationMethods", byDefault: true, encode: func(b []byte, d *RegistrationDetail) []byte {
		return appendStrings(b, d.SystemPreferredAuthenticationMethods)
	}},
	{name: "userPreferredMethodForSecondaryAuthentication", byDefault: true, encode: func(b []byte, d *RegistrationDetail) []byte {
		return appendString(b, d.UserPreferredMethodForSecondaryAuthentication)
	}},
})

var policySchema = newSchema("ConditionalAccessPolicy", "microsoft.graph.conditionalAccessPolicy", []property[Policy]{
	{name: "id", byDefault: true, encode: func(b []byte, p *Policy) []byte { return appendString(b, p.ID) }},
	{
		name: "displayName", byDefault: true,
		encode: func(b []byte, p *Policy) []byte { return appendString(b, p.DisplayName) },
		filter: textFilter(func(p *Policy) string { return p.DisplayName }),
	},
	{name: "createdDateTime", byDefault: true, encode: func(b []byte, p *Policy) []byte { return appendTime(b, p.CreatedDateTime) }},
	{name: "modifiedDateTime", byDefault: true, encode: func(b []byte, p *Policy) []byte { return appendNullableTime(b, p.ModifiedDateTime) }},
	{
		name: "state", byDefault: true,
		encode: func(b []byte, p *Policy) []byte { return appendString(b, p.State) },
		filter: enumFilter(policyState, func(p *Policy) string { return p.State }),
	},
	{name: "conditions", byDefault: true, encode: func(b []byte, p *Policy) []byte { return appendJSON(b, p.Conditions) }},
	{name: "grantControls", byDefault: true, encode: func(b []byte, p *Policy) []byte { return appendJSON(b, p.GrantControls) }},
	{name: "sessionControls", byDefault: true, encode: func(b []byte, p *Policy) []byte { return appendJSON(b, p.SessionControls) }},
})

var riskyUserSchema = newSchema("RiskyUser", "microsoft.graph.riskyUser", []property[RiskyUser]{
	{name: "id", byDefault: true, encode: func(b []byte, r *RiskyUser) []byte { return appendString(b, r.ID) }},
	{name: "isDeleted", byDefault: true, encode: func(b []byte, r *RiskyUser) []byte { return appendBool(b, r.IsDeleted) }},
	{name: "isProcessing", byDefault: true, encode: func(b []byte, r *RiskyUser) []byte { return appendBool(b, r.IsProcessing) }},
	{
		name: "riskLastUpdatedDateTime", byDefault: true,
		encode: func(b []byte, r *RiskyUser) []byte { return appendTime(b, r.RiskLastUpdatedDateTime) },
		filter: timeFilter(func(r *RiskyUser) time.Time { return r.RiskLastUpdatedDateTime }),
	},
	{
		name: "riskLevel", byDefault: true,
		encode: func(b []byte, r *RiskyUser) []byte { return appendString(b, r.RiskLevel) },
		filter: enumFilter(riskLevels, func(r *RiskyUser) string { return r.RiskLevel }),
	},
	{
		name: "riskState", byDefault: true,
		encode: func(b []byte, r *RiskyUser) []byte { return appendString(b, r.RiskState) },
		filter: enumFilter(riskStates, func(r *RiskyUser) string { return r.RiskState }),
	},
	{name: "riskDetail", byDefault: true, encode: func(b []byte, r *RiskyUser) []byte { return appendString(b, r.RiskDetail) }},
	{name: "userDisplayName", byDefault: true, encode: func(b []byte, r *RiskyUser) []byte { return appendString(b, r.UserDisplayName) }},
	{
		name: "userPrincipalName", byDefault: true,
		encode: func(b []byte, r *RiskyUser) []byte { return appendString(b, r.UserPrincipalName) },
		filter: textFilter(func(r *RiskyUser) string { return r.UserPrincipalName }),
	},
})

func signInText(name string, f func(*SignIn) string, filter *filterable[SignIn]) property[SignIn] {
	return property[SignIn]{
		name: name, byDefault: true,
		encode: func(b []byte, s *SignIn) []byte { return appendString(b, f(s)) },
		filter: filter,
	}
}

var signInSchema = newSchema("SignIn", "microsoft.graph.signIn", []property[SignIn]{
	signInText("id", func(s *SignIn) string { return s.ID }, nil),
	{
		name: "createdDateTime", byDefault: true,
		encode: func(b []byte, s *SignIn) []byte { return appendTime(b, s.CreatedDateTime) },
		filter: timeFilter(func(s *SignIn) time.Time { return s.CreatedDateTime }),
	},
	signInText("userDisplayName", func(s *SignIn) string { return s.UserDisplayName }, nil),
	signInText("userPrincipalName", func(s *SignIn) string { return s.UserPrincipalName },
		textFilter(func(s *SignIn) string { return s.UserPrincipalName })),
	signInText("userId", func(s *SignIn) string { return s.UserID }, textFilter(func(s *SignIn) string { return s.UserID })),
	signInText("appId", func(s *SignIn) string { return s.AppID }, textFilter(func(s *SignIn) string { return s.AppID })),
	signInText("appDisplayName", func(s *SignIn) string { return s.AppDisplayName }, nil),
	signInText("ipAddress", func(s *SignIn) string { return s.IPAddress }, nil),
	signInText("clientAppUsed", func(s *SignIn) string { return s.ClientAppUsed }, nil),
	signInText("correlationId", func(s *SignIn) string { return s.CorrelationID }, nil),
	signInText("conditionalAccessStatus", func(s *SignIn) string { return s.ConditionalAccessStatus }, nil),
	{name: "isInteractive", byDefault: true, encode: func(b []byte, s *SignIn) []byte { return appendBool(b, s.IsInteractive) }},
	signInText("riskDetail", func(s *SignIn) string { return s.RiskDetail }, nil),
	signInText("riskLevelAggregated", func(s *SignIn) string { return s.RiskLevelAggregated },
		enumFilter(riskLevels, func(s *SignIn) string { return s.RiskLevelAggregated })),
	signInText("riskLevelDuringSignIn", func(s *SignIn) string { return s.RiskLevelDuringSignIn },
		enumFilter(riskLevels, func(s *SignIn) string { return s.RiskLevelDuringSignIn })),
	signInText("riskState", func(s *SignIn) string { return s.RiskState },
		enumFilter(riskStates, func(s *SignIn) string { return s.RiskState })),
	{name: "riskEventTypes_v2", byDefault: true, encode: func(b []byte, s *SignIn) []byte { return appendStrings(b, s.RiskEventTypesV2) }},
	{name: "status", byDefault: true, encode: func(b []byte, s *SignIn) []byte {
		b = append(b, `{"errorCode":`...)
		b = appendInt(b, s.Status.ErrorCode)
		b = append(b, `,"failureReason":`...)
		b = appendNullableString(b, s.Status.FailureReason)
		b = append(b, `,"additionalDetails":`...)
		b = appendNullableString(b, s.Status.AdditionalDetails)
		return append(b, '}')
	}},
	{name: "location", byDefault: true, encode: func(b []byte, s *SignIn) []byte {
		l := &s.Location
		b = append(b, `{"city":`...)
		b = appendString(b, l.City)
		b = append(b, `,"state":`...)
		b = appendString(b, l.State)
		b = append(b, `,"countryOrRegion":`...)
		b = appendString(b, l.CountryOrRegion)
		b = append(b, `,"geoCoordinates":{"altitude":`...)
		b = appendNullableFloat(b, l.GeoCoordinates.Altitude)
		b = append(b, `,"latitude":`...)
		b = appendFloat(b, l.GeoCoordinates.Latitude)
		b = append(b, `,"longitude":`...)
		b = appendFloat(b, l.GeoCoordinates.Longitude)
		return append(b, "}}"...)
	}},
})
