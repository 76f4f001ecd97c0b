package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/attesthq/attest/internal/account"
	"github.com/attesthq/attest/internal/audit"
	"github.com/attesthq/attest/internal/auth"
)

// demoLogin is one of the demo accounts `attest dev` prints.
type demoLogin struct {
	Label    string `json:"label"`
	Email    string `json:"email"`
	Password string `json:"password"`
	Role     string `json:"role"`
}

const demoOrgSlug = "acme"

// roleOperator marks the demo platform operator (not an organization role).
const roleOperator = "operator"

// seedDemo creates the demo organization with an owner and an auditor, and a
// platform operator for /ops, the first time, with random passwords kept
// (0600) in path; later runs read them back. If the file is lost (or predates
// one of the accounts), the passwords are reset.
func seedDemo(ctx context.Context, a *app, path string) ([]demoLogin, error) {
	accounts := &account.Service{Pool: a.pool, Clock: a.clock}
	actor := audit.SystemActor("dev seed")
	org, err := accounts.FindOrg(ctx, demoOrgSlug)
	if errors.Is(err, account.ErrOrgNotFound) {
		org, err = accounts.CreateOrg(ctx, "Acme Corp", demoOrgSlug, actor)
	}
	if err != nil {
		return nil, err
	}
	var logins []demoLogin
	want := []demoLogin{
		{Label: "Owner", Email: "owner@acme.test", Role: account.RoleOwner},
		{Label: "Auditor", Email: "auditor@acme.test", Role: account.RoleAuditor},
		{Label: "Operator", Email: "operator@attest.test", Role: roleOperator},
	}
	if b, err := os.ReadFile(path); err == nil && json.Unmarshal(b, &logins) == nil && len(logins) == len(want) {
		return logins, nil
	}
	logins = want
	hasher, err := auth.NewHasher(auth.ProductionParams)
	if err != nil {
		return nil, err
	}
	for i := range logins {
		logins[i].Password = demoPassword()
		if logins[i].Role == roleOperator {
			if _, err := accounts.MakeOperator(ctx, a.cfg.DatabaseURL, hasher, logins[i].Email, logins[i].Password); err != nil {
				return nil, err
			}
			continue
		}
		m := account.Member{Email: logins[i].Email, Password: logins[i].Password, Role: logins[i].Role}
		if m.Role == account.RoleAuditor {
			expires := a.clock.Now().Add(365 * 24 * time.Hour)
			m.ExpiresAt = &expires
		}
		if _, err := accounts.AddMember(ctx, hasher, org.ID, m, actor); err != nil {
			return nil, err
		}
	}
	b, _ := json.MarshalIndent(logins, "", "  ")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return nil, fmt.Errorf("save demo logins: %w", err)
	}
	return logins, nil
}

func demoPassword() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
