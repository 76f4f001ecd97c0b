package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/google/uuid"

	"github.com/attesthq/attest/internal/metrics"
)

// OrgFailures lists the organizations a walk over every organization could
// not process; every other organization was processed.
type OrgFailures struct {
	// Kind is the job kind that walked.
	Kind string
	// Orgs and Errs are the organizations that failed and why, in the order
	// they were visited.
	Orgs []uuid.UUID
	Errs []error
}

// Error names each failed organization and its error.
func (f *OrgFailures) Error() string {
	parts := make([]string, len(f.Orgs))
	for i, org := range f.Orgs {
		parts[i] = fmt.Sprintf("organization %s: %v", org, f.Errs[i])
	}
	return fmt.Sprintf("jobs: %s: %d organizations failed: %s", f.Kind, len(f.Orgs), strings.Join(parts, "; "))
}

// Unwrap gives errors.Is and errors.As the organizations' errors.
func (f *OrgFailures) Unwrap() []error { return f.Errs }

// eachOrg runs fn for every organization in turn. An organization that fails
// does not stop the walk: once every organization was tried, the failures
// are returned together as *OrgFailures. Only a cancelled context ends the
// walk early.
func eachOrg(ctx context.Context, kind string, orgs []uuid.UUID, fn func(org uuid.UUID) error) error {
	failures := &OrgFailures{Kind: kind}
	for _, org := range orgs {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("jobs: %s: %w", kind, err)
		}
		if err := fn(org); err != nil {
			failures.Orgs, failures.Errs = append(failures.Orgs, org), append(failures.Errs, err)
		}
	}
	if len(failures.Orgs) > 0 {
		return failures
	}
	return nil
}

// OrgWalkReport is what a worker that walks every organization reports its
// failures to.
type OrgWalkReport struct {
	// Log receives one error line per failed organization.
	Log *slog.Logger
	// Metrics counts them (attest_org_job_failures_total); nil counts nothing.
	Metrics *metrics.Set
}

// settle logs and counts each organization the walks could not process
// and returns nil for them: the job ran for every other organization, and
// its next scheduled run tries the failed ones again (a River retry would
// walk everyone again). Any other error is returned for River to retry.
func (r OrgWalkReport) settle(ctx context.Context, errs ...error) error {
	var rest []error
	for _, err := range errs {
		var failures *OrgFailures
		if !errors.As(err, &failures) {
			rest = append(rest, err)
			continue
		}
		for i, org := range failures.Orgs {
			r.Log.ErrorContext(ctx, "jobs: an organization failed; the walk went on", slog.String("job", failures.Kind),
				slog.String("org_id", org.String()), slog.Any("err", failures.Errs[i]))
			r.Metrics.OrgJobFailed(failures.Kind)
		}
	}
	return errors.Join(rest...)
}
