package components

import (
	"fmt"
	"strconv"
	"time"
)

// ChartPoint is one day's coverage.
type ChartPoint struct {
	Day     time.Time
	Percent float64
}

// Chart is a server-rendered line chart of coverage over time. Only the
// shapes are SVG, in a 100×100 box stretched to the plot with strokes that do
// not scale; every label is HTML text beside it, so nothing reads distorted
// at any width.
type Chart struct {
	Points []ChartPoint
}

// Drawable says whether there are days enough for a line: one day is said
// in a sentence instead.
func (c Chart) Drawable() bool { return len(c.Points) > 1 }

// Latest is the newest day.
func (c Chart) Latest() ChartPoint { return c.Points[len(c.Points)-1] }

// Span names the days the chart covers.
func (c Chart) Span() string { return DayRange(c.Points[0].Day, c.Latest().Day) }

func (c Chart) x(i int) float64 { return 100 * float64(i) / float64(max(1, len(c.Points)-1)) }

func y(pct float64) float64 { return 100 - pct }

// Line is the polyline's points attribute: "x,y" pairs with two decimals,
// space separated. The dashboard draws it on every request, so it is
// appended into one buffer rather than formatted point by point.
func (c Chart) Line() string { return string(c.appendLine(make([]byte, 0, 12*len(c.Points)))) }

func (c Chart) appendLine(buf []byte) []byte {
	for i, p := range c.Points {
		if i > 0 {
			buf = append(buf, ' ')
		}
		buf = strconv.AppendFloat(buf, c.x(i), 'f', 2, 64)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, y(p.Percent), 'f', 2, 64)
	}
	return buf
}

// Area is the filled region under the line.
func (c Chart) Area() string {
	buf := append(make([]byte, 0, 12*len(c.Points)+16), "0,100 "...)
	return string(append(c.appendLine(buf), " 100,100"...))
}

// Dot is the newest point as a zero-length path, drawn round by its cap.
func (c Chart) Dot() string {
	return fmt.Sprintf("M%.2f,%.2f l0,0", c.x(len(c.Points)-1), y(c.Latest().Percent))
}

// GridLevels are the percentages with a guide line and a label, top first.
var GridLevels = []int{100, 75, 50, 25, 0}

// GridY is the y of a guide line.
func GridY(level int) string { return fmt.Sprintf("%d", 100-level) }

// Axis labels the first, middle and last days.
func (c Chart) Axis() []string {
	n := len(c.Points)
	idx := []int{0}
	if n > 2 {
		idx = append(idx, n/2)
	}
	if n > 1 {
		idx = append(idx, n-1)
	}
	out := make([]string, 0, len(idx))
	for _, i := range idx {
		out = append(out, ShortDay(c.Points[i].Day))
	}
	return out
}

// Percent formats a share (0..1) as a whole percentage, rounded as %.0f
// rounds.
func Percent(share float64) string { return strconv.FormatFloat(share*100, 'f', 0, 64) + "%" }
