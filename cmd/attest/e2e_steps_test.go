package main

import (
	"strings"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// signIn signs in on the login page and lands on the organization's
// dashboard.
func (tb *tab) signIn(email, password string) {
	tb.t.Helper()
	tb.open("/login")
	tb.fill("#email", email)
	tb.fill("#password", password)
	tb.follow(`form[action="/login"] button[type=submit]`)
	require.Equal(tb.t, "/o/"+e2eOrg+"/", tb.path())
}

// connectEntra runs the connect wizard with the simulated tenant, accepts on
// the simulator's consent page and waits, on the connection's page and
// without reloading it, for the first sync to finish. It returns the
// connection's path. With record, the pages on the way are checked and
// photographed.
func (tb *tab) connectEntra(record bool) string {
	tb.t.Helper()
	check := func(name string) {
		if record {
			tb.mainPage(name)
		}
	}
	tb.open("/o/" + e2eOrg + "/integrations/entra")
	tb.follow(`[data-testid="connect-button"]`)
	require.Equal(tb.t, "Connect Microsoft Entra ID", tb.text("main h1"))
	// In development the simulated tenant comes first and chosen; it hides
	// the fields it fills in itself, and the button says where it goes.
	require.True(tb.t, value(tb, chromedp.Evaluate[bool](`document.querySelector('input[name="cloud"]').value === "simulated" && document.querySelector('input[name="cloud"]').checked`)))
	require.True(tb.t, value(tb, chromedp.Evaluate[bool](`document.querySelector('[data-field="tenant"]').hidden && document.querySelector('[data-field="client_secret"]').hidden`)))
	require.Equal(tb.t, "Continue to the simulated tenant", tb.text(`[data-testid="connect-submit"]`))
	tb.do(chromedp.Click(chromedp.CSS("#cloud-global"), chromedp.NodeVisible))
	require.False(tb.t, value(tb, chromedp.Evaluate[bool](`document.querySelector('[data-field="tenant"]').hidden`)), "a real cloud needs its fields")
	require.Equal(tb.t, "Continue to Microsoft", tb.text(`[data-testid="connect-submit"]`))
	tb.do(chromedp.Click(chromedp.CSS("#cloud-simulated"), chromedp.NodeVisible))
	check("connect-wizard")

	tb.follow(`[data-testid="connect-form"] button[type=submit]`)
	require.True(tb.t, strings.HasPrefix(tb.path(), "/_entrasim/login/"), tb.path())
	require.Contains(tb.t, tb.text("body"), "Permissions requested")
	check("consent")

	tb.follow(`[data-testid="accept"]`)
	path := tb.path()
	require.True(tb.t, strings.HasPrefix(path, "/o/"+e2eOrg+"/connections/"), path)
	require.Equal(tb.t, "chip chip-active", tb.attr(`[data-testid="connection-status"]`, "class"))
	require.Contains(tb.t, tb.text("#flashes"), "Connected. The first sync has started.")

	// The live region polls while the sync runs and settles when it is
	// done; a marker on window proves the page itself never reloaded.
	tb.do(chromedp.Evaluate[chromedp.Void](`window.e2eNoReload = true`))
	tb.waitFor(`document.querySelector('#live[data-active=""] [data-testid="checks-table"]') !== null`)
	require.True(tb.t, value(tb, chromedp.Evaluate[bool](`window.e2eNoReload === true`)), "the page reloaded")
	require.Equal(tb.t, "Fresh", tb.text(`[data-testid="freshness"]`))
	require.Equal(tb.t, "succeeded", tb.attr(`[data-testid="run-row"]`, "data-status"))
	require.Zero(tb.t, tb.count("#flashes .flash"), "the flash announcing the first sync goes when it ends")
	return path
}
