package entrasim

// The documented demo registration served by DefaultTenant. These values are
// public test fixtures, not credentials for any real tenant.
const (
	// DefaultTenantID is the demo tenant's directory ID.
	DefaultTenantID = "8f3c2a6e-5b1d-4e7f-9a20-6c4d8e0f1b35"
	// DefaultTenantDomain is the demo tenant's initial domain.
	DefaultTenantDomain = "contoso-sim.onmicrosoft.com"
	// DefaultTenantName is the demo tenant's organization name.
	DefaultTenantName = "Contoso (simulated)"
	// DefaultClientID is the demo app registration's application (client) ID.
	DefaultClientID = "4d2e9b61-7a3c-4f58-8e16-2b9c0d5f7a43"
	// DefaultClientSecret is the demo app registration's client secret value.
	DefaultClientSecret = "Sim8Q~attest.demo_secret-for.the-simulator"
	// DefaultAppName is the demo app registration's display name.
	DefaultAppName = "attest (simulated registration)"
	// DefaultUsers is the number of users in the demo tenant.
	DefaultUsers = 250
)

// DefaultTenant returns the demo tenant "Contoso (simulated)": a P2 tenant of
// DefaultUsers users with one app registration (DefaultClientID,
// DefaultClientSecret) whose registered redirect URIs are redirectURIs. As with
// Microsoft, redirect URIs must match exactly, so without any every authorize
// request fails with AADSTS50011.
func DefaultTenant(redirectURIs ...string) TenantSpec {
	return TenantSpec{
		ID:          DefaultTenantID,
		Domain:      DefaultTenantDomain,
		DisplayName: DefaultTenantName,
		Licence:     LicenceP2,
		Size:        Size{Users: DefaultUsers},
		Apps: []AppSpec{{
			ClientID:     DefaultClientID,
			Secret:       DefaultClientSecret,
			RedirectURIs: append([]string(nil), redirectURIs...),
			DisplayName:  DefaultAppName,
		}},
	}
}
