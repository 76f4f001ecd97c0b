// Package connection runs a connection's lifecycle for every connector,
// whatever its auth kind: the connect wizard's pending connection and its
// sealed secret, the browser round-trip (an authorization code with PKCE,
// an app installation) with a single-use state bound to the user's session,
// organization and connection, a static token active at once,
// re-authorization, the consent capability of connectors that declare it,
// the check parameters a connection sets, and revocation (a soft delete that
// clears the sealed credentials and keeps the history). Every step writes
// its audit row in the same transaction as the change.
package connection
