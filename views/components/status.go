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
		return "No automated evidence"
	}
	return s
}
