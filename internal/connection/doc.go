// Package connection runs a connection's lifecycle: the connect wizard's
// pending connection, the OAuth authorization-code flow with PKCE and a
// single-use state bound to the user's session, organization and connection,
// re-authorization, admin consent, and revocation (a soft delete that clears
// the sealed credentials and keeps the history). Every step writes its audit
// row in the same transaction as the change.
package connection
