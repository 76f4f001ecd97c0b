package entrasim

import "strings"

// The Graph collections the simulator serves, by lowercased path after /v1.0
// (Graph paths are case-insensitive).
var collections = map[string]endpoint{
	"/users": &collection[User]{
		dataset: DatasetUsers, entitySet: "users", schema: userSchema,
		defaultTop: 100, maxTop: 999,
		badRequestCode: "Request_BadRequest", countNeedsEventual: true,
		rows: func(d *TenantData) []User { return d.Users },
		key:  func(u *User) sortKey { return sortKey{id: u.ID} },
		demands: func(q queryShape) demands {
			if q.activity {
				return demands{
					family: FamilyReports, perms: permissions(permUserReadAll | permAuditLogReadAll),
					minLicence: LicenceP1, licenceErr: errNonPremium, activity: true, pageCap: 500,
				}
			}
			units := 2
			if q.selected {
				units--
			}
			if q.top > 0 && q.top < 20 {
				units--
			}
			return demands{family: FamilyDirectory, perms: permissions(permUserReadAll), minLicence: LicenceFree, units: max(units, 1)}
		},
	},
	"/reports/authenticationmethods/userregistrationdetails": &collection[RegistrationDetail]{
		dataset: DatasetRegistrations, entitySet: "reports/authenticationMethods/userRegistrationDetails", schema: registrationSchema,
		defaultTop: 500, badRequestCode: "BadRequest",
		rows: func(d *TenantData) []RegistrationDetail { return d.Registrations },
		key:  func(r *RegistrationDetail) sortKey { return sortKey{id: r.ID} },
		demands: func(queryShape) demands {
			return demands{family: FamilyReports, perms: permissions(permAuditLogReadAll), minLicence: LicenceP1, licenceErr: errNonPremium}
		},
	},
	"/identity/conditionalaccess/policies": &collection[Policy]{
		dataset: DatasetPolicies, entitySet: "identity/conditionalAccess/policies", schema: policySchema,
		defaultTop: 100, maxTop: 999, badRequestCode: "BadRequest",
		rows: func(d *TenantData) []Policy { return d.Policies },
		key:  func(p *Policy) sortKey { return sortKey{id: p.ID} },
		demands: func(queryShape) demands {
			return demands{family: FamilyProtection, perms: permissions(permPolicyReadAll), minLicence: LicenceP1, licenceErr: errNotLicensed}
		},
	},
	"/identityprotection/riskyusers": &collection[RiskyUser]{
		dataset: DatasetRiskyUsers, entitySet: "identityProtection/riskyUsers", schema: riskyUserSchema,
		defaultTop: 20, maxTop: 500, badRequestCode: "BadRequest",
		rows: func(d *TenantData) []RiskyUser { return d.RiskyUsers },
		key:  func(r *RiskyUser) sortKey { return sortKey{id: r.ID} },
		demands: func(queryShape) demands {
			return demands{family: FamilyProtection, perms: permissions(permRiskyUserReadAll), minLicence: LicenceP2, licenceErr: errNotLicensed}
		},
	},
	"/auditlogs/signins": &collection[SignIn]{
		dataset: DatasetSignIns, entitySet: "auditLogs/signIns", schema: signInSchema,
		defaultTop: 1000, maxTop: 1000, badRequestCode: "BadRequest",
		rows: func(d *TenantData) []SignIn { return d.SignIns },
		key:  func(s *SignIn) sortKey { return sortKey{num: -s.CreatedDateTime.UnixNano(), id: s.ID} },
		view: hideSignInRisk,
		demands: func(queryShape) demands {
			return demands{family: FamilyReports, perms: permissions(permAuditLogReadAll), minLicence: LicenceP1, licenceErr: errNonPremium}
		},
	},
}

// hideSignInRisk shows a sign-in as a tenant without P2 sees it: risk levels
// and detail read "hidden", the risk state "none" and no risk event types.
func hideSignInRisk(lic Licence, s, scratch *SignIn) *SignIn {
	if lic == LicenceP2 {
		return s
	}
	*scratch = *s
	scratch.RiskLevelAggregated, scratch.RiskLevelDuringSignIn, scratch.RiskDetail = "hidden", "hidden", "hidden"
	scratch.RiskState = "none"
	scratch.RiskEventTypesV2 = nil
	return scratch
}

// lookupCollection finds the endpoint for a path after /v1.0.
func lookupCollection(path string) endpoint {
	return collections[strings.ToLower(strings.TrimSuffix(path, "/"))]
}
