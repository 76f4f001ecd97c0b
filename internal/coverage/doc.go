// Package coverage turns check results and evidence freshness into control
// status and coverage: passing, failing, stale, unknown or no evidence per
// SOC 2 criterion, and coverage as passing controls over controls in scope.
// The dashboard, the control pages and the exports all call the same
// function, so they can never disagree.
package coverage
