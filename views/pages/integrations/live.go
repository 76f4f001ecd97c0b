package integrations

import "time"

// LiveView is the part of a connection's page that follows a sync as it
// runs: state, datasets, checks and the sync log. While a sync is queued or
// running it polls itself.
type LiveView struct {
	// Provider names who a sync reads (the definition's Provider).
	Provider string
	URL      string
	SyncURL  string
	Active   string
	// ClearFlashes empties the page's flashes when a poll finds the sync
	// over (the "first sync has started" message is out of date by then).
	ClearFlashes bool
	LastSync     *time.Time
	LastSuccess  *time.Time
	NextSync     *time.Time
	Freshness    string
	StaleAfter   string
	CanSync      bool
	Message      string
	Datasets     []DatasetRow
	Checks       []CheckRow
	Runs         []RunRow
}

// DatasetRow is one dataset's last outcome.
type DatasetRow struct {
	Title string
	// ReadAt is when the run that read it finished.
	ReadAt     *time.Time
	Status     string
	Fetched    int
	New        int
	Changed    int
	Unchanged  int
	Removed    int
	Requests   int
	Throttled  int
	ErrorClass string
	Error      string
}

// CheckRow is one check's latest result.
type CheckRow struct {
	Key         string
	Title       string
	Description string
	Criteria    []string
	Status      string
	Reason      string
	Total       int
	Failing     int
	Excluded    int
	EvaluatedAt *time.Time
	URL         string
}

// RunRow is one sync attempt in the log.
type RunRow struct {
	Trigger    string
	Status     string
	StartedAt  time.Time
	Duration   string
	New        int
	Requests   int
	Throttled  int
	Retries    int
	ErrorClass string
	Error      string
	Datasets   []DatasetRow
}

// ExclusionRow is an active exclusion.
type ExclusionRow struct {
	Check     string
	Subject   string
	Reason    string
	ExpiresAt time.Time
	RevokeURL string
}

// StatusText describes dataset, run and check states in words.
func StatusText(s string) string {
	switch s {
	case "ok":
		return "Read"
	case "unavailable":
		return "Unavailable"
	case "failed":
		return "Failed"
	case "pass":
		return "Passing"
	case "fail":
		return "Failing"
	case "unknown":
		return "Unknown"
	case "succeeded":
		return "Succeeded"
	case "partial":
		return "Partial"
	case "running":
		return "Running"
	case "fresh":
		return "Fresh"
	case "stale":
		return "Stale"
	case "never":
		return "No sync yet"
	}
	return s
}

// chipClass maps states to chip colors.
func chipClass(s string) string {
	switch s {
	case "ok", "pass", "succeeded", "fresh":
		return "chip chip-pass"
	case "failed", "fail":
		return "chip chip-fail"
	case "unavailable", "partial", "stale":
		return "chip chip-stale"
	case "unknown", "running":
		return "chip chip-unknown"
	}
	return "chip chip-none"
}
