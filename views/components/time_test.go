package components_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"
	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/views/components"
	"github.com/attesthq/attest/views/layout"
)

var moment = time.Date(2026, time.December, 4, 10, 17, 42, 0, time.UTC)

func TestTimesHaveOneDisplayFormatOneDayFormatAndISOInputs(t *testing.T) {
	t.Parallel()
	paris := time.FixedZone("CET", 3600)
	require.Equal(t, "4 Dec 2026, 10:17 UTC", components.Absolute(moment))
	require.Equal(t, "4 Dec 2026, 10:17 UTC", components.Absolute(moment.In(paris)), "shown in UTC whatever the zone")
	require.Equal(t, "4 Dec 2026", components.Day(moment))
	require.Equal(t, "2026-12-04", components.ISODate(moment))
	require.Equal(t, "2026-12-04T10:17:42Z", components.MachineTime(moment.In(paris)))
}

func TestDayRangeOfOneDayReadsAsThatDay(t *testing.T) {
	t.Parallel()
	require.Equal(t, "4 Dec 2026", components.DayRange(moment, moment.Add(time.Hour)))
	require.Equal(t, "1 Dec to 4 Dec 2026", components.DayRange(moment.AddDate(0, 0, -3), moment))
	require.Equal(t, "28 Dec 2025 to 4 Dec 2026", components.DayRange(moment.AddDate(0, 0, -341), moment))
}

func render(t *testing.T, c templ.Component) string {
	t.Helper()
	var b strings.Builder
	ctx := layout.WithRequest(context.Background(), layout.Request{Now: moment.Add(3 * time.Minute)})
	require.NoError(t, c.Render(ctx, &b))
	return b.String()
}

func TestFreshnessIsRelativeWithTheAbsoluteTimeOnHover(t *testing.T) {
	t.Parallel()
	require.Equal(t,
		`<time datetime="2026-12-04T10:17:42Z" title="4 Dec 2026, 10:17 UTC">3 minutes ago</time>`,
		render(t, components.Time(moment)))
	require.Equal(t,
		`<time datetime="2026-12-04T10:17:42Z" title="4 Dec 2026, 10:17 UTC">4 Dec 2026, 10:17 UTC</time>`,
		render(t, components.At(moment)))
	require.Equal(t,
		`<time datetime="2026-12-04" title="4 Dec 2026">4 Dec 2026</time>`,
		render(t, components.OnDay(moment)))
}
