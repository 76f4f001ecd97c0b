package entrasim_test

import (
	"testing"

	"github.com/attesthq/attest/internal/entrasim"
)

// BenchmarkUsersPages fetches a 50,000-user directory as the connector does:
// every page of /users with signInActivity (500 per page), over real HTTP.
func BenchmarkUsersPages(b *testing.B) {
	bundle := setup(b, entrasim.Options{Tenants: []entrasim.TenantSpec{specOf(50000)}})
	tok := bundle.login(b).AccessToken
	u := bundle.graphURL("/users?$select=id,displayName,userPrincipalName,mail,accountEnabled,userType,createdDateTime,signInActivity&$top=999")
	b.ReportAllocs()
	for b.Loop() {
		items, pages := bundle.getAll(b, tok, u)
		if len(items) != 50000 || pages != 100 {
			b.Fatalf("got %d users in %d pages", len(items), pages)
		}
	}
	b.ReportMetric(50000, "users/op")
}
