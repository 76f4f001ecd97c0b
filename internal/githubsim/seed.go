package githubsim

import (
	"fmt"
	mrand "math/rand/v2"
	"time"
)

// The demo organization served by DefaultOrg. These values are public test
// fixtures.
const (
	// DefaultOrgLogin is the demo organization's login.
	DefaultOrgLogin = "acme-sim"
	// DefaultOrgID is the demo organization's account id.
	DefaultOrgID = 6811672
)

// Size adds generated filler to the demo organization, for benchmarks: that
// many more repositories (a third protected by classic protection, a third by
// rulesets, a third unprotected), members and open alerts.
type Size struct {
	Repos   int
	Members int
	Alerts  int
}

// DefaultOrg returns the demo organization, its dates relative to now. It
// holds what every check needs to pass and to fail:
//
//   - members: two owners (octo-owner, octo-admin), three members and a bot
//     (acme-ci[bot]);
//   - outside collaborators: ext-contractor, admin on "infra", and
//     ext-reviewer, read on "api";
//   - repositories: api (classic protection, 1 approval), web (organization
//     ruleset, 2 approvals), infra (classic protection allowing force pushes,
//     no review), docs (public, unprotected), sandbox (private,
//     unprotected), release-tools (default branch "release/v2", rules
//     blocking force pushes and deletion only) and legacy (archived,
//     unprotected);
//   - Dependabot alerts: a high on api open 45 days, a critical on web open 3
//     days, a medium on docs open 90 days, a high on infra fixed, a critical
//     on sandbox open 40 days.
func DefaultOrg(now time.Time, size Size) *Org {
	yes := true
	day := func(n int) time.Time { return now.Add(-time.Duration(n) * 24 * time.Hour).UTC().Truncate(time.Second) }
	u := func(login string, id int64, twoFA bool) User {
		return User{Login: login, ID: id, Type: "User", TwoFactor: twoFA}
	}
	contractor := u("ext-contractor", 9001, true)
	reviewer := u("ext-reviewer", 9002, false)
	o := &Org{
		Login: DefaultOrgLogin, ID: DefaultOrgID, Plan: PlanTeam, TwoFactorRequired: &yes,
		DefaultRepositoryPermission: "read", MembersCanCreateRepositories: true, MembersCanCreatePrivateRepositories: true,
		Members: []Member{
			{User: u("octo-owner", 1001, true), Role: "admin"},
			{User: u("octo-admin", 1002, true), Role: "admin"},
			{User: u("dev-ana", 1003, true), Role: "member"},
			{User: u("dev-ben", 1004, true), Role: "member"},
			{User: u("dev-cho", 1005, false), Role: "member"},
			{User: User{Login: "acme-ci[bot]", ID: 1006, Type: "Bot"}, Role: "member"},
		},
		OutsideCollaborators: []User{contractor, reviewer},
	}
	classic := func(approvals int, force bool) *Protection {
		return &Protection{RequiredApprovals: approvals, EnforceAdmins: true, AllowForcePushes: force, StatusChecks: []string{"ci/build"}}
	}
	repo := func(id int64, name, vis string, created int) *Repo {
		return &Repo{ID: id, Name: name, Visibility: vis, DefaultBranch: "main", CreatedAt: day(created), PushedAt: day(created / 10)}
	}
	api := repo(1296269, "api", "private", 700)
	api.Protection = classic(1, false)
	api.Collaborators = []Collaborator{{User: reviewer, Permission: "pull"}}
	web := repo(1296270, "web", "private", 650)
	web.Rules = []Rule{
		{Type: "pull_request", SourceType: "Organization", Source: DefaultOrgLogin, RulesetID: 42, RequiredApprovals: 2},
		{Type: "non_fast_forward", SourceType: "Organization", Source: DefaultOrgLogin, RulesetID: 42},
		{Type: "deletion", SourceType: "Organization", Source: DefaultOrgLogin, RulesetID: 42},
	}
	infra := repo(1296271, "infra", "private", 600)
	infra.Protection = classic(-1, true)
	infra.Collaborators = []Collaborator{{User: contractor, Permission: "admin"}}
	docs := repo(1296272, "docs", "public", 500)
	sandbox := repo(1296273, "sandbox", "private", 100)
	tools := repo(1296274, "release-tools", "internal", 300)
	tools.DefaultBranch = "release/v2"
	tools.Rules = []Rule{
		{Type: "non_fast_forward", SourceType: "Repository", Source: DefaultOrgLogin + "/release-tools", RulesetID: 7},
		{Type: "deletion", SourceType: "Repository", Source: DefaultOrgLogin + "/release-tools", RulesetID: 7},
	}
	legacy := repo(1296275, "legacy", "private", 2000)
	legacy.Archived = true
	o.Repos = []*Repo{api, web, infra, docs, sandbox, tools, legacy}
	alert := func(n int, repo, state, severity, pkg string, age int) Alert {
		return Alert{Number: n, Repo: repo, State: state, Severity: severity, Ecosystem: "npm", Package: pkg,
			ManifestPath: "package-lock.json", GHSA: fmt.Sprintf("GHSA-sim%d-xxxx-yyyy", n), CVE: fmt.Sprintf("CVE-2026-%04d", 1000+n),
			Summary: pkg + " vulnerability", CreatedAt: day(age), UpdatedAt: day(age / 2)}
	}
	o.Alerts = []Alert{
		alert(1, "api", "open", "high", "lodash", 45),
		alert(2, "web", "open", "critical", "next", 3),
		alert(3, "docs", "open", "medium", "marked", 90),
		alert(4, "infra", "fixed", "high", "axios", 80),
		alert(5, "sandbox", "open", "critical", "minimist", 40),
	}
	grow(o, now, size)
	return o
}

// grow adds size's generated filler, deterministic for a given now.
func grow(o *Org, now time.Time, size Size) {
	rng := mrand.New(mrand.NewPCG(uint64(o.ID), 0x6157))
	for i := range size.Members {
		role := "member"
		if i%50 == 0 {
			role = "admin"
		}
		o.Members = append(o.Members, Member{User: User{Login: fmt.Sprintf("user-%05d", i), ID: int64(200000 + i), Type: "User",
			TwoFactor: rng.IntN(20) != 0}, Role: role})
	}
	for i := range size.Repos {
		r := &Repo{ID: int64(3000000 + i), Name: fmt.Sprintf("svc-%05d", i), Visibility: "private", DefaultBranch: "main",
			CreatedAt: now.Add(-time.Duration(100+rng.IntN(900)) * 24 * time.Hour).UTC().Truncate(time.Second)}
		r.PushedAt = r.CreatedAt.Add(time.Duration(rng.IntN(90)) * 24 * time.Hour)
		switch i % 3 {
		case 0:
			r.Protection = &Protection{RequiredApprovals: 1 + rng.IntN(2)}
		case 1:
			r.Rules = []Rule{{Type: "pull_request", SourceType: "Organization", Source: o.Login, RulesetID: 42, RequiredApprovals: 1},
				{Type: "non_fast_forward", SourceType: "Organization", Source: o.Login, RulesetID: 42}}
		}
		r.Archived = i%40 == 39
		o.Repos = append(o.Repos, r)
	}
	severities := []string{"low", "medium", "high", "critical"}
	next := len(o.Alerts) + 1
	for i := range size.Alerts {
		repo := o.Repos[rng.IntN(len(o.Repos))].Name
		created := now.Add(-time.Duration(rng.IntN(120*24)) * time.Hour).UTC().Truncate(time.Second)
		o.Alerts = append(o.Alerts, Alert{Number: next + i, Repo: repo, State: "open", Severity: severities[rng.IntN(4)],
			Ecosystem: "npm", Package: fmt.Sprintf("pkg-%d", rng.IntN(500)), ManifestPath: "package-lock.json",
			GHSA: fmt.Sprintf("GHSA-gen%d", i), Summary: "generated advisory", CreatedAt: created, UpdatedAt: created})
	}
}
