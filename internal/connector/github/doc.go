// Package github is the GitHub connector's provider side: the customer's
// own read-only GitHub App, its installation on one organization, and the
// evidence of change management (CC8.1), access (CC6.1, CC6.3) and
// vulnerability handling (CC7.1) read through it. The facts it follows are
// shared/reference/github.md; internal/githubsim simulates them.
//
// # Authentication
//
// The App is created through GitHub's manifest flow (NewManifest,
// ManifestFormURL, ConvertManifest: read-only permissions, no webhook) or
// registered by hand (the manual form). Its installation is verified with
// the App JWT (Verifier, CompleteInstallation): the installation's account
// must be the expected organization, found again through GET
// /orgs/{org}/installation, and a "selected" repository selection is
// partial coverage. The redirect's installation_id is never trusted.
//
// Every sync mints its own installation token with a JWT signed RS256 (iat
// 60 s in the past, exp 9 minutes ahead), renews it a minute before it
// expires, and never stores or logs it (secret.String). An uninstalled or
// suspended App, or a key GitHub no longer accepts, is a needs-re-
// authorization failure; the session then stops asking.
//
// # Requests
//
// One client per sync sends requests one at a time to the configured API
// root (github.com, GHE.com or GitHub Enterprise Server), with
// X-GitHub-Api-Version, Accept and User-Agent; follows Link rel="next"
// verbatim (page numbers, and the Dependabot cursors, which refuse page
// numbers) but never outside the API root; keeps each endpoint within its
// documented 900 points a minute (a sliding window of the platform's pacer,
// internal/connector/pace); pauses until
// x-ratelimit-reset when the primary budget is spent; honours secondary limits (retry-after,
// else the reset, else at least a minute with backoff); and sends
// If-None-Match from a Cache so unchanged answers come back as free 304s;
// a "Branch not protected" 404, which carries no ETag, is trusted for six
// hours from the Cache without asking (it can only delay seeing protection
// added, never hide protection removed).
//
// # Datasets, evidence and checks
//
// A session collects organization settings (a field GitHub does not show
// the App is unknown, never false), members with role, outside
// collaborators with their repository permissions, repositories, the
// effective rules of each active repository's default branch (rulesets and
// classic protection combined; the Free plan's 403 is recorded as "not
// available on this plan"), and open Dependabot alerts, each with a
// summary. The five checks of issue 17 are pure functions over those
// records (CheckTwoFactor, CheckOutsideAdmins, CheckReviews,
// CheckForcePushAndDeletion, CheckAlerts); failing subjects are
// repositories by full name and accounts by login, so exclusions (a
// sandbox repository, a bot) work as for Entra.
//
// connector.go and authorize.go are its side of the platform's contract.
package github
