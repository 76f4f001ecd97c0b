package components

// ControlStatusLabel names a control status.
func ControlStatusLabel(s string) string {
	switch s {
	case "passing":
		return "Passing"
	case "failing":
		return "Failing"
	case "stale":
		return "Stale"
	case "unknown":
		return "Unknown"
	case "no_evidence":
		return "No evidence"
	case "not_applicable":
		return "Not applicable"
	}
	return s
}

// EvidenceLabel names what made a control pass: automated checks,
// documents, or both.
func EvidenceLabel(e string) string {
	switch e {
	case "automated":
		return "Automated evidence"
	case "documented":
		return "Documented"
	case "both":
		return "Automated and documented"
	}
	return ""
}
