package audit

import "github.com/attesthq/attest/views/components"

// actionWords say what each recorded action did, as a person would.
var actionWords = map[string]string{
	"access.denied":                   "Action refused",
	"alert.acknowledge":               "Alert acknowledged",
	"alert.open":                      "Alert opened",
	"alert.resolve":                   "Alert resolved",
	"assessment.approve":              "Assessment approved and frozen",
	"assessment.attach":               "Evidence attached to an assessment",
	"assessment.create":               "Assessment created",
	"assessment.delete":               "Assessment deleted",
	"assessment.detach":               "Evidence removed from an assessment",
	"assessment.refresh":              "New evidence attached to an assessment",
	"assessment.reopen":               "Assessment returned to draft",
	"assessment.submit":               "Assessment submitted for review",
	"auditor.invitation_accept":       "Auditor invitation accepted",
	"auditor.invitation_revoke":       "Auditor invitation revoked",
	"auditor.invite":                  "Auditor invited",
	"auditor.revoke":                  "Auditor access revoked",
	"auth.lockout":                    "Account locked after failed sign-ins",
	"auth.login":                      "Signed in",
	"auth.login_denied":               "Sign-in refused",
	"auth.login_failed":               "Sign-in failed",
	"check.exclude":                   "Subject excluded from a check",
	"check.exclusion_end":             "Exclusion ended",
	"connection.admin_consent":        "Admin consent granted",
	"connection.admin_consent_failed": "Admin consent failed",
	"connection.callback_rejected":    "Sign-in callback rejected",
	"connection.connect":              "Connection connected",
	"connection.connect_failed":       "Connection failed to connect",
	"connection.create":               "Connection started",
	"connection.reauth":               "Connection re-authorized",
	"connection.reauth_failed":        "Re-authorization failed",
	"connection.revoke":               "Connection revoked",
	"connection.settings":             "Connection settings changed",
	"connection.sync":                 "Sync finished",
	"connection.sync_failed":          "Sync failed",
	"control.owner_set":               "Control owner set",
	"document.add":                    "Document added",
	"document.download":               "Document downloaded",
	"document.link":                   "Document linked to a control",
	"document.revise":                 "Document revised",
	"document.unlink":                 "Document unlinked from a control",
	"evidence.export":                 "Evidence exported",
	"evidence.purge":                  "Evidence purged",
	"keys.reseal":                     "Keys resealed",
	"keys.rewrap":                     "Keys rewrapped",
	"member.add":                      "Member added",
	"member.invitation_accept":        "Member invitation accepted",
	"member.invitation_revoke":        "Member invitation revoked",
	"member.invite":                   "Member invited",
	"member.remove":                   "Member removed",
	"member.role_change":              "Member's role changed",
	"organization.create":             "Organization created",
	"organization.rename":             "Organization renamed",
	"organization.settings":           "Organization settings changed",
	"scope.applicable":                "Control marked applicable",
	"scope.not_applicable":            "Control marked not applicable",
}

// ActionWords says what an action did; an action without words of its own
// reads as its name does ("connection.sync_failed": "Connection sync failed").
func ActionWords(action string) string {
	if w, ok := actionWords[action]; ok {
		return w
	}
	return components.FieldLabel(action)
}
