package connector_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/connector"
	"github.com/attesthq/attest/internal/connector/connectortest"
)

// declaring is the fake connector with another definition or checks.
type declaring struct {
	*connectortest.Connector
	def    func(*connector.Definition)
	checks []connector.Check
}

func (d declaring) Definition() connector.Definition {
	def := d.Connector.Definition()
	d.def(&def)
	return def
}

func (d declaring) Checks() []connector.Check {
	if d.checks != nil {
		return d.checks
	}
	return d.Connector.Checks()
}

// TestRegistryRefusesAConnectorThatDoesNotImplementWhatItDeclares: a
// declaration the code does not back is caught when the registry is built,
// not when a user presses a button.
// fakeFix is a check's valid guidance, so a case fails for its own reason.
var fakeFix = connector.Fix{Sentence: "Fix it.", LinkLabel: "Settings", URL: "https://fake.example/settings"}

func TestRegistryRefusesAConnectorThatDoesNotImplementWhatItDeclares(t *testing.T) {
	t.Parallel()
	fake := connectortest.New()
	require.NoError(t, connector.Validate(fake))
	require.NotPanics(t, func() { connector.NewRegistry(fake) })
	cases := map[string]connector.Connector{
		"a redirecting auth kind without an Authorizer": declaring{Connector: fake, def: func(d *connector.Definition) { d.AuthKind = connector.AuthOAuthCode }},
		"the consent capability without a Consenter": declaring{Connector: fake, def: func(d *connector.Definition) {
			d.Capabilities = []connector.Capability{connector.CapabilityConsent}
		}},
		"an unknown auth kind": declaring{Connector: fake, def: func(d *connector.Definition) { d.AuthKind = "password" }},
		"an evidence kind without a schema": declaring{Connector: fake, def: func(d *connector.Definition) {
			d.Evidence = append([]connector.EvidenceKind(nil), d.Evidence...)
			d.Evidence[0].SchemaVersion = 0
		}},
		"a parameter default out of range": declaring{Connector: fake, def: func(*connector.Definition) {}, checks: []connector.Check{{
			Key: "x", Datasets: []string{connectortest.DatasetAccounts}, Params: []connector.Param{{Key: "p", Default: 0, Min: 1, Max: 2}}, Fix: fakeFix}}},
		"a check reading an undeclared dataset": declaring{Connector: fake, def: func(*connector.Definition) {}, checks: []connector.Check{{
			Key: "x", Datasets: []string{"nothing"}, Fix: fakeFix}}},
		"a check that does not say what to do": declaring{Connector: fake, def: func(*connector.Definition) {}, checks: []connector.Check{{
			Key: "x", Datasets: []string{connectortest.DatasetAccounts}}}},
	}
	for name, c := range cases {
		require.Error(t, connector.Validate(c), name)
		require.Panics(t, func() { connector.NewRegistry(c) }, name)
	}
}

func TestParseParamsKeepsDefaultsAndRefusesOutOfRange(t *testing.T) {
	t.Parallel()
	declared := []connector.Param{connectortest.ParamIdleDays}
	got, err := connector.ParseParams(declared, func(string) string { return "" })
	require.NoError(t, err)
	require.Equal(t, connector.Params{"idle_days": 30}, got)
	for _, bad := range []string{"0", "366", "ten", "1e3", "-5"} {
		_, err := connector.ParseParams(declared, func(string) string { return bad })
		var perr *connector.ParamError
		require.ErrorAs(t, err, &perr, bad)
	}
	got, err = connector.ParseParams(declared, func(string) string { return " 365 " })
	require.NoError(t, err)
	require.Equal(t, 365, got.Get(connectortest.ParamIdleDays))
	require.Equal(t, connector.Params{"idle_days": 30}, connector.StoredParams(connectortest.New().Checks(), []byte(`{"idle_days": 9999}`)),
		"a stored value outside the range reads as the default")
}
