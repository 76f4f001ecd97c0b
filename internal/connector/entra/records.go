package entra

import (
	"errors"
	"slices"
	"strings"
	"time"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/pgtext"
)

// The evidence types, one per kind. Field order is the encoding order, so
// equal data always encodes to equal bytes; volatile values are normalized
// before encoding (sign-in times to the day, userType to lower case, lists
// sorted) so a resync of unchanged data makes no new row.

// User is an entra.user record (schema 1).
type User struct {
	ID                string `json:"id"`
	DisplayName       string `json:"display_name"`
	UserPrincipalName string `json:"user_principal_name"`
	Mail              string `json:"mail"`
	AccountEnabled    bool   `json:"account_enabled"`
	UserType          string `json:"user_type"`
	CreatedAt         string `json:"created_at"`
	// SignInActivityAvailable is false when the tenant's licence hides sign-in
	// activity (Entra ID P1 or P2 is needed).
	SignInActivityAvailable bool `json:"sign_in_activity_available"`
	// LastSignIn is the day of the latest interactive or non-interactive
	// sign-in; empty when the user never signed in.
	LastSignIn           string `json:"last_sign_in"`
	LastSuccessfulSignIn string `json:"last_successful_sign_in"`
}

// MFARegistration is an entra.mfa_registration record (schema 1).
type MFARegistration struct {
	ID                    string   `json:"id"`
	UserPrincipalName     string   `json:"user_principal_name"`
	DisplayName           string   `json:"display_name"`
	UserType              string   `json:"user_type"`
	IsAdmin               bool     `json:"is_admin"`
	IsMFARegistered       bool     `json:"is_mfa_registered"`
	IsMFACapable          bool     `json:"is_mfa_capable"`
	IsSSPRRegistered      bool     `json:"is_sspr_registered"`
	IsPasswordlessCapable bool     `json:"is_passwordless_capable"`
	MethodsRegistered     []string `json:"methods_registered"`
	PreferredMethod       string   `json:"preferred_method"`
}

// CAPolicy is an entra.ca_policy record (schema 1).
type CAPolicy struct {
	ID                  string   `json:"id"`
	DisplayName         string   `json:"display_name"`
	State               string   `json:"state"`
	RequiresMFA         bool     `json:"requires_mfa"`
	GrantOperator       string   `json:"grant_operator"`
	GrantControls       []string `json:"grant_controls"`
	IncludeUsers        []string `json:"include_users"`
	ExcludeUsers        []string `json:"exclude_users"`
	IncludeGroups       []string `json:"include_groups"`
	ExcludeGroups       []string `json:"exclude_groups"`
	IncludeRoles        []string `json:"include_roles"`
	ExcludeRoles        []string `json:"exclude_roles"`
	IncludeApplications []string `json:"include_applications"`
	ClientAppTypes      []string `json:"client_app_types"`
	SignInRiskLevels    []string `json:"sign_in_risk_levels"`
	UserRiskLevels      []string `json:"user_risk_levels"`
	CreatedAt           string   `json:"created_at"`
	ModifiedAt          string   `json:"modified_at"`
}

// RiskyUser is an entra.risky_user record (schema 1).
type RiskyUser struct {
	ID                string `json:"id"`
	UserPrincipalName string `json:"user_principal_name"`
	DisplayName       string `json:"display_name"`
	RiskLevel         string `json:"risk_level"`
	RiskState         string `json:"risk_state"`
	RiskDetail        string `json:"risk_detail"`
	RiskLastUpdated   string `json:"risk_last_updated"`
	IsDeleted         bool   `json:"is_deleted"`
}

// RiskySignIn is an entra.risky_signin record (schema 1).
type RiskySignIn struct {
	ID                      string   `json:"id"`
	CreatedAt               string   `json:"created_at"`
	UserID                  string   `json:"user_id"`
	UserPrincipalName       string   `json:"user_principal_name"`
	AppDisplayName          string   `json:"app_display_name"`
	IPAddress               string   `json:"ip_address"`
	City                    string   `json:"city"`
	CountryOrRegion         string   `json:"country_or_region"`
	RiskLevelDuringSignIn   string   `json:"risk_level_during_sign_in"`
	RiskLevelAggregated     string   `json:"risk_level_aggregated"`
	RiskState               string   `json:"risk_state"`
	RiskEventTypes          []string `json:"risk_event_types"`
	ErrorCode               int      `json:"error_code"`
	ConditionalAccessStatus string   `json:"conditional_access_status"`
	IsInteractive           bool     `json:"is_interactive"`
}

// UsersSummary is an entra.users_summary record (schema 1).
type UsersSummary struct {
	Total                   int  `json:"total"`
	Enabled                 int  `json:"enabled"`
	Disabled                int  `json:"disabled"`
	Members                 int  `json:"members"`
	Guests                  int  `json:"guests"`
	NeverSignedIn           int  `json:"never_signed_in"`
	InactiveEnabled         int  `json:"inactive_enabled"`
	InactiveDays            int  `json:"inactive_days"`
	SignInActivityAvailable bool `json:"sign_in_activity_available"`
}

// MFASummary is an entra.mfa_summary record (schema 1).
type MFASummary struct {
	Users                int     `json:"users"`
	Members              int     `json:"members"`
	MembersRegistered    int     `json:"members_mfa_registered"`
	MembersRegisteredPct float64 `json:"members_mfa_registered_pct"`
	Admins               int     `json:"admins"`
	AdminsRegistered     int     `json:"admins_mfa_registered"`
	AdminsRegisteredPct  float64 `json:"admins_mfa_registered_pct"`
	MFACapable           int     `json:"mfa_capable"`
}

// CASummary is an entra.ca_summary record (schema 1).
type CASummary struct {
	Total                  int `json:"total"`
	Enabled                int `json:"enabled"`
	ReportOnly             int `json:"report_only"`
	Disabled               int `json:"disabled"`
	EnabledRequiringMFA    int `json:"enabled_requiring_mfa"`
	ReportOnlyRequiringMFA int `json:"report_only_requiring_mfa"`
}

// RiskyUserSummary is an entra.risky_user_summary record (schema 1).
type RiskyUserSummary struct {
	Total               int `json:"total"`
	AtRisk              int `json:"at_risk"`
	High                int `json:"high"`
	Medium              int `json:"medium"`
	Low                 int `json:"low"`
	HighAtRiskOver7Days int `json:"high_at_risk_over_7_days"`
}

// RiskySignInSummary is an entra.risky_signin_summary record (schema 1):
// the at-risk sign-ins of the last 30 days.
type RiskySignInSummary struct {
	Events int `json:"events"`
	High   int `json:"high"`
	Medium int `json:"medium"`
	Low    int `json:"low"`
	Hidden int `json:"hidden"`
}

var errMissingID = errors.New("a record has no id")

// record builds one record. Text PostgreSQL cannot store (a NUL, invalid
// UTF-8) in the subject, the label or any field is replaced first (see
// pgtext.Clean): the encoders refuse invalid UTF-8, and a NUL is found in
// the encoded payload, so clean records pay for one scan only.
func record(kind, subject, label string, observed time.Time, v any) (connector.Record, error) {
	if subject == "" {
		return connector.Record{}, errMissingID
	}
	b, err := encodeRecord(v)
	if err != nil || !storable(b) {
		b, err = encodeRecord(storableRecord(v))
	}
	if err != nil {
		return connector.Record{}, err
	}
	return connector.Record{Kind: kind, SchemaVersion: schemaVersion(kind), SubjectKey: pgtext.Clean(subject), SubjectLabel: pgtext.Clean(label),
		ObservedAt: observed, Payload: b}, nil
}

// encodeRecord encodes a record type, by hand where it has an encoder.
func encodeRecord(v any) ([]byte, error) {
	if e, ok := v.(encoder); ok {
		return e.encode()
	}
	return jsonv2.Marshal(v)
}

// latest is the later of two optional times.
func latest(a, b *time.Time) *time.Time {
	switch {
	case a == nil:
		return b
	case b == nil || a.After(*b):
		return a
	}
	return b
}

// sorted returns a sorted copy of s, never nil (so it encodes as []).
func sorted(s []string) []string {
	out := append([]string{}, s...)
	slices.Sort(out)
	return out
}

func lower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// schemaVersions are the schema version the definition declares for each
// evidence kind: records carry it, so bumping a kind's version is one edit.
var schemaVersions = func() map[string]int {
	out := map[string]int{}
	for _, k := range definition.Evidence {
		out[k.Kind] = k.SchemaVersion
	}
	return out
}()

// schemaVersion is kind's declared schema version.
func schemaVersion(kind string) int { return schemaVersions[kind] }
