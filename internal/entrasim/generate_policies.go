package entrasim

import (
	"strconv"
	"time"
)

// Directory role template IDs used in generated Conditional Access policies.
const (
	roleGlobalAdministrator     = "62e90394-69f5-4237-9190-012177145e10"
	roleSecurityAdministrator   = "194ae4cb-b126-40b2-bd5b-6091b380977d"
	roleExchangeAdministrator   = "29232cdf-9323-42fd-ade2-1d097af3e4de"
	roleUserAdministrator       = "fe930be7-5e62-47db-91af-98c3a49a38b1"
	rolePrivilegedRoleAdmin     = "e8611ab8-c189-46e8-94e1-60213ab1f814"
	roleConditionalAccessAdmin  = "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9"
	appMicrosoftAzureManagement = "797f4846-ba00-4fd7-ba43-dac1f8f63013"
)

// Conditional Access policy states.
const (
	stateEnabled    = "enabled"
	stateDisabled   = "disabled"
	stateReportOnly = "enabledForReportingButNotEnforced"
)

// policyTemplate is one entry of the generated policy catalogue.
type policyTemplate struct {
	name  string
	state string
	build func(p *Policy)
}

// policyCatalogue lists the first policies of every tenant, in order; the
// first six (the minimum count) already mix enabled MFA, report-only and
// disabled policies.
var policyCatalogue = []policyTemplate{
	{"Require MFA for admins", stateEnabled, func(p *Policy) {
		p.Conditions.Users.IncludeRoles = []string{roleGlobalAdministrator, roleSecurityAdministrator,
			roleExchangeAdministrator, roleUserAdministrator, rolePrivilegedRoleAdmin, roleConditionalAccessAdmin}
		p.GrantControls = grantControls("OR", "mfa")
	}},
	{"Require MFA for all users", stateEnabled, func(p *Policy) {
		p.Conditions.Users.IncludeUsers = []string{"All"}
		p.GrantControls = grantControls("OR", "mfa")
	}},
	{"Block legacy authentication", stateEnabled, func(p *Policy) {
		p.Conditions.Users.IncludeUsers = []string{"All"}
		p.Conditions.ClientAppTypes = []string{"exchangeActiveSync", "other"}
		p.GrantControls = grantControls("OR", "block")
	}},
	{"Require MFA for risky sign-ins", stateReportOnly, func(p *Policy) {
		p.Conditions.Users.IncludeUsers = []string{"All"}
		p.Conditions.SignInRiskLevels = []string{"high", "medium"}
		p.GrantControls = grantControls("OR", "mfa")
	}},
	{"Require password change for high-risk users", stateReportOnly, func(p *Policy) {
		p.Conditions.Users.IncludeUsers = []string{"All"}
		p.Conditions.UserRiskLevels = []string{"high"}
		p.GrantControls = grantControls("AND", "mfa", "passwordChange")
	}},
	{"Require compliant device for Azure management", stateDisabled, func(p *Policy) {
		p.Conditions.Users.IncludeUsers = []string{"All"}
		p.Conditions.Applications.IncludeApplications = []string{appMicrosoftAzureManagement}
		p.GrantControls = grantControls("OR", "compliantDevice")
	}},
	{"Admin sign-in frequency", stateEnabled, func(p *Policy) {
		p.Conditions.Users.IncludeRoles = []string{roleGlobalAdministrator, rolePrivilegedRoleAdmin}
		p.SessionControls = &ConditionalAccessSessionControls{
			SignInFrequency:   &SignInFrequencySessionControl{IsEnabled: true, Type: "hours", Value: 4},
			PersistentBrowser: &PersistentBrowserSessionControl{IsEnabled: true, Mode: "never"},
		}
	}},
	{"Block access from untrusted locations", stateDisabled, func(p *Policy) {
		p.Conditions.Users.IncludeUsers = []string{"All"}
		p.Conditions.Locations = &ConditionalAccessLocations{IncludeLocations: []string{"All"}, ExcludeLocations: []string{"AllTrusted"}}
		p.GrantControls = grantControls("OR", "block")
	}},
	{"Require approved client apps on mobile", stateReportOnly, func(p *Policy) {
		p.Conditions.Users.IncludeUsers = []string{"All"}
		p.Conditions.Platforms = &ConditionalAccessPlatforms{IncludePlatforms: []string{"android", "iOS"}, ExcludePlatforms: []string{}}
		p.GrantControls = grantControls("OR", "approvedApplication", "compliantApplication")
	}},
}

func grantControls(operator string, controls ...string) *ConditionalAccessGrantControls {
	return &ConditionalAccessGrantControls{
		Operator:                    operator,
		BuiltInControls:             controls,
		CustomAuthenticationFactors: []string{},
		TermsOfUse:                  []string{},
	}
}

// policyActions are the shapes of the generated policies beyond the catalogue.
var policyActions = []struct {
	name  string
	build func(p *Policy)
}{
	{"Require MFA", func(p *Policy) { p.GrantControls = grantControls("OR", "mfa") }},
	{"Require compliant device", func(p *Policy) { p.GrantControls = grantControls("OR", "compliantDevice", "domainJoinedDevice") }},
	{"Block legacy clients", func(p *Policy) {
		p.Conditions.ClientAppTypes = []string{"exchangeActiveSync", "other"}
		p.GrantControls = grantControls("OR", "block")
	}},
	{"Sign-in frequency 8 hours", func(p *Policy) {
		p.SessionControls = &ConditionalAccessSessionControls{
			SignInFrequency: &SignInFrequencySessionControl{IsEnabled: true, Type: "hours", Value: 8},
		}
	}},
}

func (g *generator) policies(d *TenantData) {
	d.Policies = make([]Policy, 0, g.size.Policies)
	for i := range g.size.Policies {
		p := Policy{ID: seededGUID(g.r), CreatedDateTime: g.ago(30*day, 900*day)}
		p.Conditions = ConditionalAccessConditionSet{
			UserRiskLevels:   []string{},
			SignInRiskLevels: []string{},
			ClientAppTypes:   []string{"all"},
			Applications: ConditionalAccessApplications{
				IncludeApplications: []string{"All"}, ExcludeApplications: []string{}, IncludeUserActions: []string{},
			},
			Users: ConditionalAccessUsers{
				IncludeUsers: []string{}, ExcludeUsers: []string{}, IncludeGroups: []string{},
				ExcludeGroups: []string{}, IncludeRoles: []string{}, ExcludeRoles: []string{},
			},
		}
		if i < len(policyCatalogue) {
			t := policyCatalogue[i]
			p.DisplayName, p.State = t.name, t.state
			t.build(&p)
		} else {
			a := policyActions[g.r.IntN(len(policyActions))]
			p.DisplayName = "CA" + strconv.Itoa(100+i) + " - " + g.pick(departments) + " - " + a.name
			p.State = g.weighted([]string{stateEnabled, stateReportOnly, stateDisabled}, []float64{0.6, 0.25, 0.15})
			p.Conditions.Users.IncludeGroups = []string{seededGUID(g.r)}
			a.build(&p)
		}
		if g.chance(0.5) {
			span := g.asOf.Sub(p.CreatedDateTime)
			m := p.CreatedDateTime.Add(time.Duration(g.r.Int64N(int64(span/time.Second)+1)) * time.Second)
			p.ModifiedDateTime = &m
		}
		d.Policies = append(d.Policies, p)
	}
}
