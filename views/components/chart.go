package components

import (
	"fmt"
	"strings"
	"time"
)

// ChartPoint is one day's coverage.
type ChartPoint struct {
	Day     time.Time
	Percent float64
}

// Chart is a server-rendered line chart of coverage over time.
type Chart struct {
	Points []ChartPoint
}

// Chart geometry, in SVG user units.
const (
	chartW, chartH         = 640.0, 200.0
	chartLeft, chartRight  = 40.0, 12.0
	chartTop, chartBottom  = 12.0, 28.0
	chartPlotW, chartPlotH = chartW - chartLeft - chartRight, chartH - chartTop - chartBottom
)

func (c Chart) x(i int) float64 {
	if len(c.Points) < 2 {
		return chartLeft + chartPlotW/2
	}
	return chartLeft + chartPlotW*float64(i)/float64(len(c.Points)-1)
}

func (c Chart) y(pct float64) float64 { return chartTop + chartPlotH*(1-pct/100) }

// Line is the polyline's points attribute.
func (c Chart) Line() string {
	parts := make([]string, len(c.Points))
	for i, p := range c.Points {
		parts[i] = fmt.Sprintf("%.1f,%.1f", c.x(i), c.y(p.Percent))
	}
	return strings.Join(parts, " ")
}

// Area is the filled region under the line.
func (c Chart) Area() string {
	if len(c.Points) == 0 {
		return ""
	}
	return fmt.Sprintf("%.1f,%.1f %s %.1f,%.1f", c.x(0), c.y(0), c.Line(), c.x(len(c.Points)-1), c.y(0))
}

// GridLine is a horizontal guide with its label.
type GridLine struct {
	Y     string
	Label string
}

// Grid are the 0, 25, 50, 75 and 100% guides.
func (c Chart) Grid() []GridLine {
	var out []GridLine
	for _, p := range []float64{0, 25, 50, 75, 100} {
		out = append(out, GridLine{Y: fmt.Sprintf("%.1f", c.y(p)), Label: fmt.Sprintf("%.0f%%", p)})
	}
	return out
}

// AxisLabel is a date under the x axis.
type AxisLabel struct {
	X     string
	Label string
}

// Axis labels the first, middle and last days.
func (c Chart) Axis() []AxisLabel {
	n := len(c.Points)
	if n == 0 {
		return nil
	}
	idx := []int{0}
	if n > 2 {
		idx = append(idx, n/2)
	}
	if n > 1 {
		idx = append(idx, n-1)
	}
	out := make([]AxisLabel, 0, len(idx))
	for _, i := range idx {
		out = append(out, AxisLabel{X: fmt.Sprintf("%.1f", c.x(i)), Label: ShortDay(c.Points[i].Day)})
	}
	return out
}

// Dot is the last point, emphasized.
func (c Chart) Dot() (string, string) {
	n := len(c.Points)
	if n == 0 {
		return "0", "0"
	}
	return fmt.Sprintf("%.1f", c.x(n-1)), fmt.Sprintf("%.1f", c.y(c.Points[n-1].Percent))
}

// ViewBox is the SVG viewBox.
func (c Chart) ViewBox() string { return fmt.Sprintf("0 0 %.0f %.0f", chartW, chartH) }

// Baseline is the y of 0%.
func (c Chart) Baseline() string { return fmt.Sprintf("%.1f", c.y(0)) }

// PlotLeft and PlotRight are the x range of the plot.
func (c Chart) PlotLeft() string { return fmt.Sprintf("%.1f", chartLeft) }

// PlotRight is the right edge of the plot.
func (c Chart) PlotRight() string { return fmt.Sprintf("%.1f", chartW-chartRight) }

// Percent formats a share (0..1) as a whole percentage.
func Percent(share float64) string { return fmt.Sprintf("%.0f%%", share*100) }
