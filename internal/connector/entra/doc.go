// Package entra is the Microsoft Entra ID connector: the customer's own
// single-tenant app registration, OAuth 2.0 authorization code with PKCE on
// the Microsoft identity platform v2.0 (per national cloud), least-privilege
// delegated read scopes, and the Microsoft Graph collectors that turn a
// tenant into typed evidence.
package entra
