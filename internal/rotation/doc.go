// Package rotation moves organizations' data keys to a new key-encryption
// key, and gives an organization a new data key.
//
// Rewrapping (RewrapAll, RewrapOrg) changes only how a data key is wrapped:
// the keyring's previous key unwraps it and its current key wraps the same
// data key again, so everything sealed under it stays readable and nothing
// else is re-encrypted. Each organization is rewrapped in its own
// transaction with its row locked, and one already under the current key is
// skipped, so an interrupted rotation finishes when run again.
//
// Resealing (Reseal) generates a new data key for one organization and
// re-encrypts every sealed value of its connections and authorizations in
// flight under it, in one transaction: it happens entirely or not at all.
//
// Both write an audit row per organization (keys.rewrap, keys.reseal) naming
// the keys involved by id, never key material.
package rotation
