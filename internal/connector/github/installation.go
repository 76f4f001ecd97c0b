package github

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/attesthq/attest/internal/secret"
)

// Installation is an installation verified with the App JWT.
type Installation struct {
	ID           int64
	AccountLogin string
	// AccountID is stable across organization renames.
	AccountID           int64
	RepositorySelection string
	// Partial is true when the owner chose selected repositories: evidence
	// then covers only those.
	Partial     bool
	Permissions map[string]string
	// MissingPermissions are the read permissions of the manifest the
	// installation lacks (an owner has not approved them).
	MissingPermissions []string
}

// ErrWrongAccount is an installation on another account than the expected
// organization.
var ErrWrongAccount = errors.New("github: the installation belongs to another account")

// installationWire is an installation as GitHub answers it.
type installationWire struct {
	ID                  int64             `json:"id"`
	AppID               int64             `json:"app_id"`
	TargetType          string            `json:"target_type"`
	RepositorySelection string            `json:"repository_selection"`
	Permissions         map[string]string `json:"permissions"`
	SuspendedAt         *string           `json:"suspended_at"`
	Account             struct {
		Login string `json:"login"`
		ID    int64  `json:"id"`
		Type  string `json:"type"`
	} `json:"account"`
}

// Verifier checks installations with the App JWT. A nil Clock is the
// wall clock.
type Verifier struct {
	HTTP  *http.Client
	Clock Clock
}

// Verify checks that installation id (from the setup redirect, which anyone
// can forge) belongs to the settings' organization: GET
// /app/installations/{id} must name it (case-insensitively) as an
// Organization and not be suspended, and GET /orgs/{org}/installation must
// name the same id (github.md section 1f).
func (v Verifier) Verify(ctx context.Context, s Settings, key secret.String, id int64) (Installation, error) {
	s, err := s.normalized()
	if err != nil {
		return Installation{}, err
	}
	k, err := ParsePrivateKey(key)
	if err != nil {
		return Installation{}, err
	}
	clk := v.Clock
	if clk == nil {
		clk = RealClock{}
	}
	a := newApp(v.HTTP, s, k, clk, DefaultRetry)
	var inst installationWire
	if _, err := a.api.getJSON(ctx, routeInstallation, "/app/installations/"+strconv.FormatInt(id, 10), &inst); err != nil {
		return Installation{}, fmt.Errorf("github: verify installation: %w", authFailure(err))
	}
	switch {
	case !strings.EqualFold(inst.Account.Login, s.Org) || inst.TargetType != "Organization":
		return Installation{}, fmt.Errorf("%w: %s %q, expected the organization %q", ErrWrongAccount, inst.TargetType, inst.Account.Login, s.Org)
	case inst.SuspendedAt != nil:
		return Installation{}, reauth("The GitHub App's installation is suspended", "An organization owner suspended the App's installation.",
			fmt.Errorf("github: installation %d suspended at %s", id, *inst.SuspendedAt))
	}
	var byOrg installationWire
	if _, err := a.api.getJSON(ctx, routeOrgInstallation, "/orgs/"+url.PathEscape(s.Org)+"/installation", &byOrg); err != nil {
		return Installation{}, fmt.Errorf("github: verify installation: %w", authFailure(err))
	}
	if byOrg.ID != inst.ID {
		return Installation{}, fmt.Errorf("%w: the organization's installation is %d, not %d", ErrWrongAccount, byOrg.ID, inst.ID)
	}
	out := Installation{ID: inst.ID, AccountLogin: inst.Account.Login, AccountID: inst.Account.ID,
		RepositorySelection: inst.RepositorySelection, Partial: inst.RepositorySelection == "selected", Permissions: inst.Permissions}
	for _, p := range slices.Sorted(maps.Keys(Permissions)) {
		if inst.Permissions[p] == "" {
			out.MissingPermissions = append(out.MissingPermissions, p)
		}
	}
	return out, nil
}
