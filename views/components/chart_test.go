package components_test

import (
	"fmt"
	"regexp"
	"strings"
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

// Line, Area and Percent write what fmt's %.2f and %.0f write.
func TestChartNumbersAreFormattedAsPrintfWould(t *testing.T) {
	t.Parallel()
	var pts []components.ChartPoint
	for i, pct := range []float64{0, 12.345, 33.335, 50, 66.665, 99.995, 100} {
		pts = append(pts, components.ChartPoint{Day: moment.AddDate(0, 0, i), Percent: pct})
	}
	c := components.Chart{Points: pts}
	var want []string
	for i, p := range pts {
		want = append(want, fmt.Sprintf("%.2f,%.2f", 100*float64(i)/float64(len(pts)-1), 100-p.Percent))
	}
	require.Equal(t, strings.Join(want, " "), c.Line())
	require.Equal(t, "0,100 "+strings.Join(want, " ")+" 100,100", c.Area())
	for _, share := range []float64{0, 0.005, 0.015, 0.125, 0.3333, 0.995, 1} {
		require.Equal(t, fmt.Sprintf("%.0f%%", share*100), components.Percent(share))
	}
}
