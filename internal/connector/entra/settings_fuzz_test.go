package entra

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// FuzzConnectForm feeds the connect form's parser: it never panics, and
// what it accepts is a GUID or domain tenant, a GUID client id and, from
// storable input, storable text.
func FuzzConnectForm(f *testing.F) {
	f.Add(CloudGlobal, "72f988bf-86f1-41af-91ab-2d7cd011db47", "00000000-0000-0000-0000-000000000001", "s3cr3t~value", "Production")
	f.Add(CloudSimulated, "", "", "", "")
	for _, s := range []string{"\x00", "a\x00b", "\xff", "\xc3\x28", "\xed\xa0\x80", "contoso.onmicrosoft.com\x00", strings.Repeat("é", 101)} {
		f.Add(CloudGlobal, s, s, s, s)
	}
	c := New(Options{SimulatorBase: "http://sim.test", SimulatorDefaults: SimulatorRegistration{
		TenantID: "72f988bf-86f1-41af-91ab-2d7cd011db47", ClientID: "00000000-0000-0000-0000-000000000001", ClientSecret: "demo-secret"}}, nil)
	f.Fuzz(func(t *testing.T, cloud, tenant, clientID, secret, name string) {
		setup, errs := c.ParseForm(url.Values{FieldCloud: {cloud}, FieldTenant: {tenant}, FieldClientID: {clientID}, FieldSecret: {secret}, FieldName: {name}})
		if len(errs) > 0 {
			return
		}
		parts := strings.Split(setup.IdentityKey, "/")
		require.Len(t, parts, 3)
		require.NoError(t, uuid.Validate(parts[2]))
		require.True(t, uuid.Validate(parts[1]) == nil || domainPattern.MatchString(parts[1]), parts[1])
		require.LessOrEqual(t, len(setup.DisplayName), 200)
		clean := func(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }
		if clean(cloud) && clean(tenant) && clean(clientID) && clean(secret) && clean(name) {
			require.True(t, clean(setup.DisplayName) && clean(setup.IdentityKey) && utf8.Valid(setup.Settings))
		}
	})
}
