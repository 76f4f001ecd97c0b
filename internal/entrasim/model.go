package entrasim

import "time"

// User is a Microsoft Graph user resource (GET /users) with the properties the
// simulator serves. The JSON tags are Graph's property names.
type User struct {
	ID                string          `json:"id"`
	BusinessPhones    []string        `json:"businessPhones"`
	DisplayName       string          `json:"displayName"`
	GivenName         *string         `json:"givenName"`
	JobTitle          *string         `json:"jobTitle"`
	Mail              *string         `json:"mail"`
	MobilePhone       *string         `json:"mobilePhone"`
	OfficeLocation    *string         `json:"officeLocation"`
	PreferredLanguage *string         `json:"preferredLanguage"`
	Surname           *string         `json:"surname"`
	UserPrincipalName string          `json:"userPrincipalName"`
	AccountEnabled    bool            `json:"accountEnabled"`
	UserType          string          `json:"userType"`
	CreatedDateTime   time.Time       `json:"createdDateTime"`
	Department        *string         `json:"department"`
	SignInActivity    *SignInActivity `json:"signInActivity,omitempty"`
}

// SignInActivity is Graph's signInActivity complex type. Graph omits it for
// users who never signed in.
type SignInActivity struct {
	LastSignInDateTime                *time.Time `json:"lastSignInDateTime"`
	LastSignInRequestID               *string    `json:"lastSignInRequestId"`
	LastNonInteractiveSignInDateTime  *time.Time `json:"lastNonInteractiveSignInDateTime"`
	LastNonInteractiveSignInRequestID *string    `json:"lastNonInteractiveSignInRequestId"`
	LastSuccessfulSignInDateTime      *time.Time `json:"lastSuccessfulSignInDateTime"`
	LastSuccessfulSignInRequestID     *string    `json:"lastSuccessfulSignInRequestId"`
}

// RegistrationDetail is Graph's userRegistrationDetails resource
// (GET /reports/authenticationMethods/userRegistrationDetails). Its UserType is
// lowercase ("member", "guest"), unlike User.UserType.
type RegistrationDetail struct {
	ID                                            string    `json:"id"`
	UserPrincipalName                             string    `json:"userPrincipalName"`
	UserDisplayName                               string    `json:"userDisplayName"`
	UserType                                      string    `json:"userType"`
	IsAdmin                                       bool      `json:"isAdmin"`
	IsSsprRegistered                              bool      `json:"isSsprRegistered"`
	IsSsprEnabled                                 bool      `json:"isSsprEnabled"`
	IsSsprCapable                                 bool      `json:"isSsprCapable"`
	IsMfaRegistered                               bool      `json:"isMfaRegistered"`
	IsMfaCapable                                  bool      `json:"isMfaCapable"`
	IsPasswordlessCapable                         bool      `json:"isPasswordlessCapable"`
	LastUpdatedDateTime                           time.Time `json:"lastUpdatedDateTime"`
	MethodsRegistered                             []string  `json:"methodsRegistered"`
	IsSystemPreferredAuthenticationMethodEnabled  bool      `json:"isSystemPreferredAuthenticationMethodEnabled"`
	SystemPreferredAuthenticationMethods          []string  `json:"systemPreferredAuthenticationMethods"`
	UserPreferredMethodForSecondaryAuthentication string    `json:"userPreferredMethodForSecondaryAuthentication"`
}

// Policy is Graph's conditionalAccessPolicy resource
// (GET /identity/conditionalAccess/policies).
type Policy struct {
	ID               string                            `json:"id"`
	DisplayName      string                            `json:"displayName"`
	CreatedDateTime  time.Time                         `json:"createdDateTime"`
	ModifiedDateTime *time.Time                        `json:"modifiedDateTime"`
	State            string                            `json:"state"`
	Conditions       ConditionalAccessConditionSet     `json:"conditions"`
	GrantControls    *ConditionalAccessGrantControls   `json:"grantControls"`
	SessionControls  *ConditionalAccessSessionControls `json:"sessionControls"`
}

// ConditionalAccessConditionSet is the conditions of a Policy.
type ConditionalAccessConditionSet struct {
	UserRiskLevels   []string                      `json:"userRiskLevels"`
	SignInRiskLevels []string                      `json:"signInRiskLevels"`
	ClientAppTypes   []string                      `json:"clientAppTypes"`
	Platforms        *ConditionalAccessPlatforms   `json:"platforms"`
	Locations        *ConditionalAccessLocations   `json:"locations"`
	Applications     ConditionalAccessApplications `json:"applications"`
	Users            ConditionalAccessUsers        `json:"users"`
}

// ConditionalAccessPlatforms is the device-platform condition of a Policy.
type ConditionalAccessPlatforms struct {
	IncludePlatforms []string `json:"includePlatforms"`
	ExcludePlatforms []string `json:"excludePlatforms"`
}

// ConditionalAccessLocations is the named-location condition of a Policy.
type ConditionalAccessLocations struct {
	IncludeLocations []string `json:"includeLocations"`
	ExcludeLocations []string `json:"excludeLocations"`
}

// ConditionalAccessApplications is the cloud-application condition of a Policy.
type ConditionalAccessApplications struct {
	IncludeApplications []string `json:"includeApplications"`
	ExcludeApplications []string `json:"excludeApplications"`
	IncludeUserActions  []string `json:"includeUserActions"`
}

// ConditionalAccessUsers is the user, group and role condition of a Policy.
type ConditionalAccessUsers struct {
	IncludeUsers  []string `json:"includeUsers"`
	ExcludeUsers  []string `json:"excludeUsers"`
	IncludeGroups []string `json:"includeGroups"`
	ExcludeGroups []string `json:"excludeGroups"`
	IncludeRoles  []string `json:"includeRoles"`
	ExcludeRoles  []string `json:"excludeRoles"`
}

// ConditionalAccessGrantControls is the grant controls of a Policy;
// BuiltInControls holds values such as "mfa", "block", "compliantDevice" and
// "passwordChange".
type ConditionalAccessGrantControls struct {
	Operator                    string   `json:"operator"`
	BuiltInControls             []string `json:"builtInControls"`
	CustomAuthenticationFactors []string `json:"customAuthenticationFactors"`
	TermsOfUse                  []string `json:"termsOfUse"`
}

// ConditionalAccessSessionControls is the session controls of a Policy.
type ConditionalAccessSessionControls struct {
	SignInFrequency   *SignInFrequencySessionControl   `json:"signInFrequency"`
	PersistentBrowser *PersistentBrowserSessionControl `json:"persistentBrowser"`
}

// SignInFrequencySessionControl is the sign-in frequency session control.
type SignInFrequencySessionControl struct {
	IsEnabled bool   `json:"isEnabled"`
	Type      string `json:"type"`
	Value     int    `json:"value"`
}

// PersistentBrowserSessionControl is the persistent browser session control.
type PersistentBrowserSessionControl struct {
	IsEnabled bool   `json:"isEnabled"`
	Mode      string `json:"mode"`
}

// RiskyUser is Graph's riskyUser resource (GET /identityProtection/riskyUsers).
type RiskyUser struct {
	ID                      string    `json:"id"`
	IsDeleted               bool      `json:"isDeleted"`
	IsProcessing            bool      `json:"isProcessing"`
	RiskLastUpdatedDateTime time.Time `json:"riskLastUpdatedDateTime"`
	RiskLevel               string    `json:"riskLevel"`
	RiskState               string    `json:"riskState"`
	RiskDetail              string    `json:"riskDetail"`
	UserDisplayName         string    `json:"userDisplayName"`
	UserPrincipalName       string    `json:"userPrincipalName"`
}

// SignIn is Graph's signIn resource (GET /auditLogs/signIns).
type SignIn struct {
	ID                      string         `json:"id"`
	CreatedDateTime         time.Time      `json:"createdDateTime"`
	UserDisplayName         string         `json:"userDisplayName"`
	UserPrincipalName       string         `json:"userPrincipalName"`
	UserID                  string         `json:"userId"`
	AppID                   string         `json:"appId"`
	AppDisplayName          string         `json:"appDisplayName"`
	IPAddress               string         `json:"ipAddress"`
	ClientAppUsed           string         `json:"clientAppUsed"`
	CorrelationID           string         `json:"correlationId"`
	ConditionalAccessStatus string         `json:"conditionalAccessStatus"`
	IsInteractive           bool           `json:"isInteractive"`
	RiskDetail              string         `json:"riskDetail"`
	RiskLevelAggregated     string         `json:"riskLevelAggregated"`
	RiskLevelDuringSignIn   string         `json:"riskLevelDuringSignIn"`
	RiskState               string         `json:"riskState"`
	RiskEventTypesV2        []string       `json:"riskEventTypes_v2"`
	Status                  SignInStatus   `json:"status"`
	Location                SignInLocation `json:"location"`
}

// SignInStatus is the status of a SignIn; ErrorCode 0 means success.
type SignInStatus struct {
	ErrorCode         int     `json:"errorCode"`
	FailureReason     *string `json:"failureReason"`
	AdditionalDetails *string `json:"additionalDetails"`
}

// SignInLocation is the location of a SignIn.
type SignInLocation struct {
	City            string         `json:"city"`
	State           string         `json:"state"`
	CountryOrRegion string         `json:"countryOrRegion"`
	GeoCoordinates  GeoCoordinates `json:"geoCoordinates"`
}

// GeoCoordinates is the position of a SignInLocation.
type GeoCoordinates struct {
	Altitude  *float64 `json:"altitude"`
	Latitude  float64  `json:"latitude"`
	Longitude float64  `json:"longitude"`
}
