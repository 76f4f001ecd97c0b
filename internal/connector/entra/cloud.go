package entra

import (
	"net/url"
	"time"

	"github.com/attesthq/attest/internal/connector/pace"
)

// Cloud is a Microsoft identity platform + Graph deployment. Roots are host
// roots as Microsoft publishes them, optionally with a path prefix; the
// connector appends /{tenant}/oauth2/v2.0/... and /v1.0/... itself.
type Cloud struct {
	Key       string
	Label     string
	Hint      string
	LoginRoot string
	GraphRoot string
}

// Cloud keys.
const (
	CloudGlobal    = "global"
	CloudGCCHigh   = "gcc_high"
	CloudDoD       = "dod"
	CloudChina     = "china"
	CloudCustom    = "custom"
	CloudSimulated = "simulated"
)

// nationalClouds are Microsoft's published endpoints.
var nationalClouds = []Cloud{
	{Key: CloudGlobal, Label: "Global (Azure commercial)", Hint: "login.microsoftonline.com; also US Government GCC (not High)",
		LoginRoot: "https://login.microsoftonline.com", GraphRoot: "https://graph.microsoft.com"},
	{Key: CloudGCCHigh, Label: "US Government GCC High", Hint: "login.microsoftonline.us, graph.microsoft.us",
		LoginRoot: "https://login.microsoftonline.us", GraphRoot: "https://graph.microsoft.us"},
	{Key: CloudDoD, Label: "US Government DoD", Hint: "login.microsoftonline.us, dod-graph.microsoft.us",
		LoginRoot: "https://login.microsoftonline.us", GraphRoot: "https://dod-graph.microsoft.us"},
	{Key: CloudChina, Label: "China (operated by 21Vianet)", Hint: "login.partner.microsoftonline.cn; risky-user data is not available in this cloud",
		LoginRoot: "https://login.partner.microsoftonline.cn", GraphRoot: "https://microsoftgraph.chinacloudapi.cn"},
}

// Options configures which clouds the connector offers.
type Options struct {
	// CustomLoginRoot and CustomGraphRoot, both set, add a "Custom endpoints"
	// cloud (private clouds, or another Microsoft-compatible server).
	CustomLoginRoot string
	CustomGraphRoot string
	// SimulatorBase, when set, adds the clearly labelled "Simulated tenant"
	// served by the built-in simulator under this URL.
	SimulatorBase string
	// SimulatorDefaults fill the form when the simulated tenant is chosen.
	SimulatorDefaults SimulatorRegistration
	// Limits and Retry override the Graph pacing and retry policy (tests).
	Limits *Limits
	Retry  *RetryPolicy
	// Now is the clock access tokens expire by (default time.Now).
	Now func() time.Time
	// Observer, when set, learns of every Graph request, 429 and retry
	// (metrics).
	Observer pace.Observer
}

// SimulatorRegistration is the simulator's demo app registration.
type SimulatorRegistration struct {
	TenantID     string
	ClientID     string
	ClientSecret string
}

// origin is scheme://host of a root.
func origin(root string) string {
	u, err := url.Parse(root)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
