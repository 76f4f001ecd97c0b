package components_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/views/components"
)

func TestFieldLabelReadsSnakeCaseAsWords(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]string{
		"display_name":              "Display name",
		"admins_mfa_registered_pct": "Admins MFA registered (%)",
		"ip_address":                "IP address",
		"id":                        "ID",
		"user_principal_name":       "User principal name",
		"enabled":                   "Enabled",
		"":                          "",
	} {
		require.Equal(t, want, components.FieldLabel(name), name)
	}
}
