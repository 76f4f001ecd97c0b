package web_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/stretchr/testify/require"
)

// checkRank orders a control page's check results: failing first, then the
// undecided, passing last.
var checkRank = map[string]int{"fail": 0, "unknown": 1, "": 2, "pass": 3}

func TestControlPageListsFailingChecksFirstAndAOneDayHistoryAsOneDay(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	c.Login(ownerEmail, ownerPassword)
	b.connectAndSync(t, c)

	sawFailing := false
	for _, id := range entraControls {
		doc := c.Get("/o/acme/controls/" + id).Doc(t)
		var statuses []string
		doc.Find(`[data-testid="control-checks"] tbody tr td:nth-child(3) .chip`).Each(func(_ int, s *goquery.Selection) {
			statuses = append(statuses, s.AttrOr("data-status", ""))
		})
		require.NotEmpty(t, statuses, id)
		require.True(t, slices.IsSortedFunc(statuses, func(a, b string) int { return checkRank[a] - checkRank[b] }),
			"%s lists its checks failing first: %v", id, statuses)
		sawFailing = sawFailing || (slices.Contains(statuses, "fail") && slices.Contains(statuses, "pass"))

		// Connected today: the history is one day, and says so once.
		history := strings.Join(strings.Fields(doc.Find(`[aria-labelledby="history-heading"]`).Text()), " ")
		day := b.clock.Now().UTC().Format("2 Jan 2006")
		require.Contains(t, history, "One day of history so far: "+day)
		require.NotContains(t, history, day+" to "+day)
	}
	require.True(t, sawFailing, "the simulated tenant fails some checks and passes others on one control")
}
