package connector

// Status is a connection's lifecycle state, stored in connections.status.
// It is the one definition every package (connection, syncer, alert, web,
// views) compares against.
type Status string

// Connection statuses.
const (
	// StatusPending: created by the connect form, not yet authorized.
	StatusPending Status = "pending"
	// StatusActive: authorized; syncs run on the definition's cadence.
	StatusActive Status = "active"
	// StatusNeedsReauth: the provider refused the stored credentials; syncs
	// are paused until someone re-authorizes.
	StatusNeedsReauth Status = "needs_reauth"
	// StatusRevoked: soft-deleted; credentials cleared, history kept.
	StatusRevoked Status = "revoked"
)

// DatasetStatus is how one dataset's read ended.
type DatasetStatus string

// Dataset statuses.
const (
	// DatasetOK: read completely; its records land.
	DatasetOK DatasetStatus = "ok"
	// DatasetUnavailable: the provider refuses this data to the account (a
	// licence or a permission it lacks); not a failed read.
	DatasetUnavailable DatasetStatus = "unavailable"
	// DatasetFailed: the read failed; nothing of it lands.
	DatasetFailed DatasetStatus = "failed"
)

// ErrorClass classifies a failed dataset, sync or authorization: it decides
// the connection's state and whether the job retries. It is stored in
// connector_runs.error_class.
type ErrorClass string

// Error classes.
const (
	// ErrorNeedsReauth: the grant is revoked or expired; a person must
	// authorize again.
	ErrorNeedsReauth ErrorClass = "needs_reauth"
	// ErrorConfiguration: settings or credentials are wrong (a person must
	// fix them), or a permission is missing.
	ErrorConfiguration ErrorClass = "configuration"
	// ErrorConsent: an administrator must grant consent for the account.
	ErrorConsent ErrorClass = "consent"
	// ErrorLicence: the account's plan or licence does not include the data.
	ErrorLicence ErrorClass = "licence"
	// ErrorThrottled: the provider kept throttling past the retry budget.
	ErrorThrottled ErrorClass = "throttled"
	// ErrorTransient: worth retrying later.
	ErrorTransient ErrorClass = "transient"
	// ErrorMalformed: the provider answered something unreadable.
	ErrorMalformed ErrorClass = "malformed"
	// ErrorCancelled: the person cancelled the authorization.
	ErrorCancelled ErrorClass = "cancelled"
)

// CheckStatus is a check's outcome.
type CheckStatus string

// Check statuses.
const (
	CheckPass CheckStatus = "pass"
	CheckFail CheckStatus = "fail"
	// CheckUnknown: a dataset the check reads was not read this sync (a read
	// error is never a pass), or the data cannot decide it.
	CheckUnknown CheckStatus = "unknown"
)
