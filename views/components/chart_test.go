package components_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/views/components"
)

func TestCoverageChartOfOneDayIsASentence(t *testing.T) {
	t.Parallel()
	html := render(t, components.CoverageChart(components.Chart{Points: []components.ChartPoint{{Day: moment, Percent: 3}}}))
	require.Contains(t, html, "One day of history so far")
	require.Contains(t, html, "3%")
	require.Contains(t, html, "4 Dec 2026")
	require.NotContains(t, html, "<svg", "no lone stretched dot")
}

func TestCoverageChartKeepsTextOutOfTheStretchedSVG(t *testing.T) {
	t.Parallel()
	var pts []components.ChartPoint
	for i := range 3 {
		pts = append(pts, components.ChartPoint{Day: moment.AddDate(0, 0, i-2).Truncate(24 * time.Hour), Percent: float64(10 * i)})
	}
	html := render(t, components.CoverageChart(components.Chart{Points: pts}))
	svg := regexp.MustCompile(`(?s)<svg.*</svg>`).FindString(html)
	require.NotEmpty(t, svg)
	require.NotContains(t, svg, "<text", "labels in a stretched SVG distort")
	require.NotContains(t, svg, "<circle", "a circle in a stretched SVG becomes an ellipse")
	for _, shape := range regexp.MustCompile(`<(line|polyline|path)[^>]*>`).FindAllString(svg, -1) {
		require.Contains(t, shape, `vector-effect="non-scaling-stroke"`, shape)
	}
	require.Contains(t, html, "2 Dec to 4 Dec 2026")
	require.Contains(t, html, "<span>4 Dec</span>", "the axis labels are HTML text")
}
