package entra

import "time"

// The wire types decode exactly the Graph properties attest uses; unknown
// properties are ignored, a property of the wrong type fails the page.

type wireUser struct {
	ID                string     `json:"id"`
	DisplayName       string     `json:"displayName"`
	UserPrincipalName string     `json:"userPrincipalName"`
	Mail              *string    `json:"mail"`
	AccountEnabled    *bool      `json:"accountEnabled"`
	UserType          string     `json:"userType"`
	CreatedDateTime   *time.Time `json:"createdDateTime"`
	SignInActivity    *struct {
		LastSignInDateTime               *time.Time `json:"lastSignInDateTime"`
		LastNonInteractiveSignInDateTime *time.Time `json:"lastNonInteractiveSignInDateTime"`
		LastSuccessfulSignInDateTime     *time.Time `json:"lastSuccessfulSignInDateTime"`
	} `json:"signInActivity"`
}

type wireRegistration struct {
	ID                    string   `json:"id"`
	UserPrincipalName     string   `json:"userPrincipalName"`
	UserDisplayName       string   `json:"userDisplayName"`
	UserType              string   `json:"userType"`
	IsAdmin               bool     `json:"isAdmin"`
	IsMfaRegistered       bool     `json:"isMfaRegistered"`
	IsMfaCapable          bool     `json:"isMfaCapable"`
	IsSsprRegistered      bool     `json:"isSsprRegistered"`
	IsPasswordlessCapable bool     `json:"isPasswordlessCapable"`
	MethodsRegistered     []string `json:"methodsRegistered"`
	PreferredMethod       string   `json:"userPreferredMethodForSecondaryAuthentication"`
}

type wirePolicy struct {
	ID               string     `json:"id"`
	DisplayName      string     `json:"displayName"`
	CreatedDateTime  *time.Time `json:"createdDateTime"`
	ModifiedDateTime *time.Time `json:"modifiedDateTime"`
	State            string     `json:"state"`
	Conditions       struct {
		ClientAppTypes   []string `json:"clientAppTypes"`
		SignInRiskLevels []string `json:"signInRiskLevels"`
		UserRiskLevels   []string `json:"userRiskLevels"`
		Applications     struct {
			IncludeApplications []string `json:"includeApplications"`
			ExcludeApplications []string `json:"excludeApplications"`
		} `json:"applications"`
		Users struct {
			IncludeUsers  []string `json:"includeUsers"`
			ExcludeUsers  []string `json:"excludeUsers"`
			IncludeGroups []string `json:"includeGroups"`
			ExcludeGroups []string `json:"excludeGroups"`
			IncludeRoles  []string `json:"includeRoles"`
			ExcludeRoles  []string `json:"excludeRoles"`
		} `json:"users"`
	} `json:"conditions"`
	GrantControls *struct {
		Operator        string   `json:"operator"`
		BuiltInControls []string `json:"builtInControls"`
	} `json:"grantControls"`
}

type wireRiskyUser struct {
	ID                      string     `json:"id"`
	IsDeleted               bool       `json:"isDeleted"`
	RiskLastUpdatedDateTime *time.Time `json:"riskLastUpdatedDateTime"`
	RiskLevel               string     `json:"riskLevel"`
	RiskState               string     `json:"riskState"`
	RiskDetail              string     `json:"riskDetail"`
	UserDisplayName         string     `json:"userDisplayName"`
	UserPrincipalName       string     `json:"userPrincipalName"`
}

type wireSignIn struct {
	ID                      string     `json:"id"`
	CreatedDateTime         *time.Time `json:"createdDateTime"`
	UserID                  string     `json:"userId"`
	UserPrincipalName       string     `json:"userPrincipalName"`
	UserDisplayName         string     `json:"userDisplayName"`
	AppDisplayName          string     `json:"appDisplayName"`
	IPAddress               string     `json:"ipAddress"`
	ConditionalAccessStatus string     `json:"conditionalAccessStatus"`
	IsInteractive           bool       `json:"isInteractive"`
	RiskLevelDuringSignIn   string     `json:"riskLevelDuringSignIn"`
	RiskLevelAggregated     string     `json:"riskLevelAggregated"`
	RiskState               string     `json:"riskState"`
	RiskEventTypes          []string   `json:"riskEventTypes_v2"`
	Status                  *struct {
		ErrorCode int `json:"errorCode"`
	} `json:"status"`
	Location *struct {
		City            string `json:"city"`
		CountryOrRegion string `json:"countryOrRegion"`
	} `json:"location"`
}
