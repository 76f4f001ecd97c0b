package entra

import (
	"github.com/attesthq/attest/internal/connector/pace"

	"net/http"
	"time"

	"github.com/attesthq/attest/internal/connector"
)

// Connector is the Entra ID connector.
type Connector struct {
	clouds   []Cloud
	opts     Options
	http     *http.Client
	limits   Limits
	retry    RetryPolicy
	now      func() time.Time
	observer pace.Observer
}

// idleConnsPerHost keeps connections to Graph and the identity platform
// open between pages: a sync reads five datasets at once, and several syncs
// run side by side. (Go's default keeps two, so the others would open a new
// TLS connection for every page.)
const idleConnsPerHost = 32

// tokenTimeout bounds a request to the identity platform's token endpoint.
const tokenTimeout = time.Minute

// New returns the connector with the clouds opts allows. A nil client means
// one of its own; every request it sends carries its own deadline (the
// retry policy's RequestTimeout for Graph pages, a minute for tokens).
func New(opts Options, client *http.Client) *Connector {
	if client == nil {
		transport := http.DefaultTransport.(*http.Transport).Clone()
		transport.MaxIdleConnsPerHost = idleConnsPerHost
		client = &http.Client{Transport: transport}
	}
	clouds := append([]Cloud{}, nationalClouds...)
	if opts.CustomLoginRoot != "" && opts.CustomGraphRoot != "" {
		clouds = append(clouds, Cloud{Key: CloudCustom, Label: "Custom endpoints",
			Hint:      "the login and Graph endpoints configured by your administrator (" + opts.CustomLoginRoot + ")",
			LoginRoot: opts.CustomLoginRoot, GraphRoot: opts.CustomGraphRoot})
	}
	if opts.SimulatorBase != "" {
		clouds = append(clouds, Cloud{Key: CloudSimulated, Label: "Simulated tenant (not Microsoft)",
			Hint:      "attest's built-in simulator with a generated demo tenant: try the product without an Entra tenant",
			LoginRoot: opts.SimulatorBase + "/login", GraphRoot: opts.SimulatorBase + "/graph"})
	}
	limits, retry, now := DocumentedLimits, DefaultRetry, opts.Now
	if opts.Limits != nil {
		limits = *opts.Limits
	}
	if missing := int(familyCount) - len(limits.Windows); missing > 0 {
		// A family without a window is not paced (the zero Limits: none is).
		limits.Windows = append(append([]Window(nil), limits.Windows...), make([]Window, missing)...)
	}
	if opts.Retry != nil {
		retry = *opts.Retry
	}
	if now == nil {
		now = time.Now
	}
	observer := opts.Observer
	if observer == nil {
		observer = pace.NoObserver{}
	}
	return &Connector{clouds: clouds, opts: opts, http: client, limits: limits, retry: retry, now: now, observer: observer}
}

// Definition describes the connector.
func (c *Connector) Definition() connector.Definition { return definition }

// Clouds lists the clouds offered in the connect form.
func (c *Connector) Clouds() []Cloud { return c.clouds }

func (c *Connector) cloud(key string) (Cloud, bool) {
	for _, cl := range c.clouds {
		if cl.Key == key {
			return cl, true
		}
	}
	return Cloud{}, false
}

// LoginOrigins are the identity-platform origins the browser is sent to.
func (c *Connector) LoginOrigins() []string {
	seen := map[string]bool{}
	var out []string
	for _, cl := range c.clouds {
		if o := origin(cl.LoginRoot); o != "" && !seen[o] {
			seen[o] = true
			out = append(out, o)
		}
	}
	return out
}
