// Package coverage turns check results, documents, evidence freshness and
// the statement of applicability into control status and coverage: passing,
// failing, stale, unknown, no evidence or not applicable per SOC 2
// criterion, and coverage as passing controls over controls in scope.
// The dashboard, the control pages and the exports all call the same
// function, so they can never disagree.
package coverage
