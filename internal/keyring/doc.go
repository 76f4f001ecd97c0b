// Package keyring protects connector credentials with envelope encryption and
// per-organization data keys.
//
// # Envelope encryption
//
// Each organization has one data key, a random AES-256 key. Only its wrapped
// form is stored: the data key encrypted by a key-encryption key that the
// application never sees in plaintext (AWS KMS) or that lives outside the
// database (a local master-key file, for development). A [Wrapper] does the
// wrapping; [KMSWrapper] and [LocalWrapper] implement it.
//
// Every data key is bound to its organization by the encryption context
// {"org_id": "<uuid>"}: KMS checks it on decrypt and the local wrapper uses
// its canonical encoding as GCM additional data, so a wrapped key copied to
// another organization does not unwrap. KMS logs the context to CloudTrail,
// so it never holds anything secret.
//
// Credentials are sealed with the data key by [Keyring.Seal]: AES-256-GCM
// with a random nonce and an [AAD] (organization, connection, purpose) as
// additional data, so a sealed secret cannot be moved to another
// organization, connection or purpose. [Keyring.Open] reverses it.
//
// # Header routing
//
// Wrapped keys start with a short versioned header: "atl1" and the local
// master key's id, or "atk1" for a KMS ciphertext. A [Keyring] asks its
// wrappers, current first, which one [Wrapper.Owns] a blob and unwraps it
// with that one.
//
// # Rotation
//
// To change the key-encryption key (a new local master key, or moving from
// the local file to KMS), build the keyring with the new wrapper as current
// and the old ones as previous:
//
//	kr := keyring.New(kmsWrapper, localWrapper)
//
// Everything keeps working at once, because previous wrappers still unwrap.
// Then, for every stored key where [Keyring.NeedsRewrap] is true, store the
// result of [Keyring.Rewrap]. Rewrap changes only the wrapping, never the data
// key, so sealed data stays readable and needs no re-encryption. Once no
// stored key needs rewrapping, drop the old wrapper.
//
// The KMS header names the configured key id, so a move from one KMS key to
// another shows as needing a rewrap, like a new master-key file. KMS
// automatic key rotation needs none: it keeps the key id, and existing
// ciphertexts keep decrypting. [WrappedBy] names the key of a stored blob, for
// logs and audit rows.
//
// # Cache
//
// Unwrapping costs a KMS call, so a Keyring keeps plaintext data keys in
// memory briefly: at most [DefaultCacheSize] keys for [DefaultCacheTTL] by
// default, keyed by a hash of the organization and wrapped key. Key bytes are
// cleared when an entry expires or is evicted, and every copy handed out is
// cleared after use. Expired entries are removed on the next keyring call.
//
// Errors start with "keyring:", wrap their causes, and never contain key
// material or plaintext.
package keyring
