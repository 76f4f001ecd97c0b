package layout

import "time"

// Page is the shell's view model: who is signed in, where they are, and what
// to tell them.
type Page struct {
	Title string
	// Nav is the key of the active navigation item.
	Nav     string
	User    *User
	Org     *Org
	Orgs    []Org
	Flashes []Flash
	// OpenAlerts, when positive, shows the alert banner.
	OpenAlerts int
}

// User is the signed-in person.
type User struct {
	Email       string
	DisplayName string
}

// Org is an organization the user can enter, with their role in it.
type Org struct {
	Slug      string
	Name      string
	Role      string
	ExpiresAt *time.Time
	// Assessment, for an auditor limited to one assessment, is its path
	// inside the organization; such an auditor sees nothing else.
	Assessment string
}

// ReadOnly reports whether the role may only look.
func (o *Org) ReadOnly() bool { return o != nil && o.Role == "auditor" }

// URL returns a path inside this organization.
func (o *Org) URL(path string) string { return "/o/" + o.Slug + path }

// Flash kinds.
const (
	FlashSuccess = "success"
	FlashError   = "error"
	FlashInfo    = "info"
)

// Flash is a one-time message shown after an action.
type Flash struct {
	Kind    string
	Message string
}

// NavItem is one entry of the main navigation.
type NavItem struct {
	Key   string
	Label string
	Path  string
	// ManagersOnly hides the item from auditors.
	ManagersOnly bool
}

// Href is the item's link in o: a limited auditor's Assessments item leads
// to their one assessment.
func (n NavItem) Href(o *Org) string {
	if n.Key == "assessments" && o.Assessment != "" {
		return o.URL(o.Assessment)
	}
	return o.URL(n.Path)
}

// ShownTo reports whether the item is in o's navigation.
func (n NavItem) ShownTo(o *Org) bool {
	switch {
	case o.Assessment != "":
		return n.Key == "assessments"
	case n.ManagersOnly:
		return !o.ReadOnly()
	}
	return true
}

// Nav is the main navigation, in order.
var Nav = []NavItem{
	{Key: "dashboard", Label: "Dashboard", Path: "/"},
	{Key: "integrations", Label: "Integrations", Path: "/integrations"},
	{Key: "controls", Label: "Controls", Path: "/controls"},
	{Key: "evidence", Label: "Evidence", Path: "/evidence"},
	{Key: "documents", Label: "Documents", Path: "/documents"},
	{Key: "assessments", Label: "Assessments", Path: "/assessments"},
	{Key: "alerts", Label: "Alerts", Path: "/alerts"},
	{Key: "audit", Label: "Audit log", Path: "/audit"},
	{Key: "auditors", Label: "Auditors", Path: "/auditors", ManagersOnly: true},
	{Key: "members", Label: "Members", Path: "/settings/members", ManagersOnly: true},
	// Auditors cannot change settings, so the entry is not theirs.
	{Key: "settings", Label: "Settings", Path: "/settings", ManagersOnly: true},
}

// NavOps marks the operator console's pages: the sidebar then lists the
// console instead of an organization's sections.
const NavOps = "ops"

// OpsNav is the operator console's sidebar.
var OpsNav = []NavItem{
	{Key: NavOps, Label: "Platform health", Path: "/ops"},
	{Key: "ops-jobs", Label: "Jobs", Path: "/ops/jobs/"},
}

// Label returns the display name of the signed-in user.
func (u *User) Label() string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Email
}
