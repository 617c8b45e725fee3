package console

import (
	"context"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"
)

// navTiming is how long a page took to show in Chromium: from the
// page's own performance timeline (from the start of the navigation)
// the first paint with content, the largest paint with content (the
// page's main block drawn) and the end of parsing; and as seen from the
// test, the time until an element was visible.
type navTiming struct {
	FCP, LCP, DOMContentLoaded, Visible time.Duration
}

func (n navTiming) String() string {
	r := func(d time.Duration) time.Duration { return d.Round(time.Millisecond) }
	return fmt.Sprintf("first contentful paint %s, largest contentful paint %s, DOMContentLoaded %s; visible to the test after %s",
		r(n.FCP), r(n.LCP), r(n.DOMContentLoaded), r(n.Visible))
}

// navTimings opens u in the tab and waits for sel to be visible.
func navTimings(ctx context.Context, u, sel string) (navTiming, error) {
	var n navTiming
	t0 := time.Now()
	if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		return n, err
	}
	n.Visible = time.Since(t0)
	ms, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`new Promise(done => new PerformanceObserver(list => {
		const lcp = list.getEntries().at(-1).startTime;
		done([(performance.getEntriesByName('first-contentful-paint')[0] || {startTime: -1}).startTime, lcp,
			performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd]);
	}).observe({type: 'largest-contentful-paint', buffered: true}))`, chromedp.EvalAwaitPromise))
	if err != nil || len(ms) != 3 {
		return n, fmt.Errorf("the page's timings: %v %v", ms, err)
	}
	ms2d := func(v float64) time.Duration { return time.Duration(v * float64(time.Millisecond)) }
	n.FCP, n.LCP, n.DOMContentLoaded = ms2d(ms[0]), ms2d(ms[1]), ms2d(ms[2])
	return n, nil
}
