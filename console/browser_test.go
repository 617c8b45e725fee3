package console_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/powerchain/powerchain/internal/debtest"
	"github.com/powerchain/powerchain/internal/waittest"
)

var updateShots = flag.Bool("screenshots", false, "write the README's screenshots into docs/ (make screenshots)")

const chromium = "/usr/bin/chromium"

type C = chromedp.CSS

func requireChromium(t *testing.T) {
	t.Helper()
	debtest.Require(t, "chromium", chromium)
}

// browser starts headless Chromium with a window of w×h for the test.
func browser(t *testing.T, w, h int) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox,
		chromedp.Flag("headless", true), chromedp.WindowSize(w, h))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// page is a tab for a test: helpers that report instead of returning
// errors.
type page struct {
	t   *testing.T
	ctx context.Context
}

func (p page) do(steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		p.t.Fatal(err)
	}
}

func (p page) open(u, visible string) {
	p.t.Helper()
	p.do(chromedp.Navigate(u), chromedp.WaitVisible(C(visible)))
}

func (p page) text(sel string) string {
	ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
	defer cancel()
	v, _ := chromedp.Run(ctx, chromedp.Text(C(sel)))
	return v
}

func (p page) eval(js string) string {
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		return "error: " + err.Error()
	}
	return v
}

// until polls cond for a minute (the machine may be loaded), then fails
// saying what it saw and how the page's live updates went.
func (p page) until(what string, cond func() (bool, string)) {
	p.t.Helper()
	var saw string
	if !waittest.Until(time.Minute, 200*time.Millisecond, func() bool {
		var ok bool
		ok, saw = cond()
		return ok
	}) {
		p.t.Fatalf("%s: not within a minute; saw %s (page %s, version %s, %s)", what, saw,
			p.eval("location.href"), p.eval("document.body.dataset.version"), p.eval("(document.getElementById('live-state') || {}).textContent"))
	}
}

func (p page) cdp(f func(ctx context.Context, t *chromedp.Target) error) {
	p.t.Helper()
	p.do(chromedp.Func(f))
}

// shot writes the visible page into docs/ (with -screenshots).
func (p page) shot(name string) {
	p.t.Helper()
	if !*updateShots {
		return
	}
	time.Sleep(300 * time.Millisecond) // charts drawn, fonts in
	png, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Error(err)
		return
	}
	if err := os.WriteFile(filepath.Join("..", "docs", name), png, 0o644); err != nil {
		p.t.Error(err)
	}
}

// TestInChromium: in headless Chromium every page shows the rack and
// follows it live: the overview's banner names the UPS on battery, the
// filter keeps to the URL while rows change; the chain drawing turns on
// a failure and shows a what-if; the device page draws its history as
// charts and switches range; an admin acknowledges an alarm (recorded
// with the name) and exports events as CSV; the power page adds up; an
// anonymous visitor gets no controls, an admin switches an outlet.
// With -screenshots it writes the README's pictures into docs/.
func TestInChromium(t *testing.T) {
	requireChromium(t)
	l := rackWith(t, true)
	p := page{t, browser(t, 1400, 900)}
	dev := func(name string) string {
		return l.url + "/device?" + url.Values{"source": {l.server}, "ups": {name}}.Encode()
	}

	// The overview, with ups1 on battery.
	l.set("ups1", "ups.status", "OB DISCHRG")
	l.set("ups1", "battery.charge", "64")
	l.set("ups1", "battery.runtime", "1150")
	p.open(l.url+"/", "#devices")
	p.until("the banner names ups1 on battery", func() (bool, string) {
		b := p.text("#banner")
		return strings.Contains(b, "On battery: ups1@") && strings.Contains(b, "64 %, 19 min"), b
	})
	if got := p.text(`tr[data-id^="ups1@"] td.g`); got != "64 %" {
		t.Errorf("ups1's battery gauge: %q", got)
	}
	if got := p.text(`#sh-` + p.eval(`document.querySelector('.site').getAttribute('aria-labelledby').slice(3)`)); got != "Example site" {
		t.Errorf("site heading %q", got)
	}
	p.shot("console-overview.png")

	// The filter: rows left out at once, kept in the URL and across a
	// live change of a row.
	p.do(chromedp.SendKeys(C("#filter"), "ups1"))
	p.until("the filter", func() (bool, string) {
		hidden := p.eval(`String(document.querySelector('tr[data-id^="srv1-psu1@"]').classList.contains('hidden'))`)
		return hidden == "true" && strings.Contains(p.eval("location.search"), "q=ups1"), hidden + " " + p.eval("location.search")
	})
	l.set("ups1", "battery.charge", "58")
	p.until("the filtered overview follows ups1", func() (bool, string) {
		g := p.text(`tr[data-id^="ups1@"] td.g`)
		hidden := p.eval(`String(document.querySelector('tr[data-id^="srv1-psu1@"]').classList.contains('hidden'))`)
		f := p.eval(`document.getElementById('filter').value`)
		return g == "58 %" && hidden == "true" && f == "ups1", g + " " + hidden + " " + f
	})
	// The same URL, loaded anew, is filtered by the server.
	p.open(l.url+"/?q=ups1", "#devices")
	if n := p.eval(`String(document.querySelectorAll('#devices tbody tr').length)`); n != "1" {
		t.Errorf("/?q=ups1 lists %s rows", n)
	}

	// The chain: a what-if view, then a failure while the page is open.
	p.open(l.url+"/chain?"+url.Values{"whatif": {"ups2@" + l.server}}.Encode(), "#chain")
	if got := p.text("#whatif"); !strings.Contains(got, "srv1") || !strings.Contains(got, "last healthy supply path") {
		t.Errorf("what-if of ups2 with ups1 on battery: %q", got)
	}
	if cls := p.eval(`document.querySelector('g[data-id^="ups2@"]').getAttribute('class')`); !strings.Contains(cls, "failed") {
		t.Errorf("ups2 in its what-if: class %q", cls)
	}
	p.shot("console-chain.png")
	l.set("ups1", "ups.status", "OL")
	l.set("ups1", "battery.charge", "100")
	p.open(l.url+"/chain", "#chain")
	if h := p.eval(`document.querySelector('g[data-id^="ups2@"]').dataset.health`); h != "ok" {
		t.Errorf("ups2 before the failure: %q", h)
	}
	l.set("ups2", "ups.status", "OB LB")
	l.set("pdu1", "outlet.1.status", "off")
	p.until("the open chain page follows the failure", func() (bool, string) {
		ups2 := p.eval(`document.querySelector('g[data-id^="ups2@"]').dataset.health`)
		srv1 := p.text(`tr[data-load="srv1"] td`)
		return ups2 == "bad" && srv1 == "at-risk", ups2 + " " + srv1
	})
	l.set("ups2", "ups.status", "OL")
	l.set("pdu1", "outlet.1.status", "on")

	// A device's history: charts with a time axis, several series,
	// figures, and the ranges.
	p.open(dev("ups1"), "#vars")
	p.until("the charts", func() (bool, string) {
		n := p.eval(`String(document.querySelectorAll('.chart .uplot canvas').length)`)
		c, _ := strconv.Atoi(n)
		return c >= 4, n
	})
	if got := p.eval(`Array.from(document.querySelectorAll('.chart[data-chart="battery"] .u-legend .u-series th')).map(e => e.textContent.trim()).join('|')`); !strings.Contains(got, "Charge (%)") || !strings.Contains(got, "Runtime (min)") {
		t.Errorf("the battery chart's series: %q", got)
	}
	if got := p.text(`.chart[data-chart="battery"] tr[data-var="battery.charge"] .min`); got == "" || got == "–" || got == "100" {
		t.Errorf("the battery chart's minimum over 24 h: %q (the seeded outage drew it down)", got)
	}
	p.shot("console-device.png")
	p.do(chromedp.Click(C(`.ranges a[data-range="7d"]`)))
	p.until("7 days", func() (bool, string) {
		r := p.eval(`document.body.dataset.range + ' ' + location.search`)
		return strings.HasPrefix(r, "7d ") && strings.Contains(r, "range=7d"), r
	})
	// The battery chart's span, from its data's range (Unix seconds).
	span := func() (time.Time, time.Time) {
		v := strings.Fields(p.eval(`(c => c.dataset.from + ' ' + c.dataset.to)(document.querySelector('.chart[data-chart="battery"]'))`))
		if len(v) != 2 {
			return time.Time{}, time.Time{}
		}
		from, _ := strconv.ParseInt(v[0], 10, 64)
		to, _ := strconv.ParseInt(v[1], 10, 64)
		return time.Unix(from, 0), time.Unix(to, 0)
	}
	p.until("the charts' data for 7 days", func() (bool, string) {
		from, to := span()
		return to.Sub(from) > 7*24*time.Hour-time.Minute, fmt.Sprint(from, " ", to)
	})
	// Drag across the middle of the chart: the finer data of that span.
	box := strings.Fields(p.eval(`(r => r.left + ' ' + r.top + ' ' + r.width + ' ' + r.height)(document.querySelector('.chart[data-chart="battery"] .u-over').getBoundingClientRect())`))
	if len(box) != 4 {
		t.Fatalf("the battery chart's plot area: %q", box)
	}
	var bx [4]float64
	for i, f := range box {
		bx[i], _ = strconv.ParseFloat(f, 64)
	}
	y := bx[1] + bx[3]/2
	p.do(chromedp.MouseEvent(chromedp.MousePressed, bx[0]+bx[2]*0.8, y, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseMoved, bx[0]+bx[2]*0.9, y, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseMoved, bx[0]+bx[2]*0.99, y, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseReleased, bx[0]+bx[2]*0.99, y, chromedp.ButtonLeft))
	p.until("the chart zoomed in", func() (bool, string) {
		from, to := span()
		return to.Sub(from) < 2*24*time.Hour && to.Sub(from) > time.Hour, fmt.Sprint(from, " ", to)
	})
	p.do(chromedp.DoubleClick(C(`.chart[data-chart="battery"] .u-over`)))
	p.until("the chart zoomed out", func() (bool, string) {
		from, to := span()
		return to.Sub(from) > 7*24*time.Hour-time.Minute, fmt.Sprint(from, " ", to)
	})

	// The power page adds up.
	p.open(l.url+"/power", "#sites")
	if got := p.text("#power-total"); got != "900" {
		t.Errorf("power total %q, want 900 (the two UPSes)", got)
	}
	p.until("the site's power chart", func() (bool, string) {
		n := p.eval(`String(document.querySelectorAll('.chart .uplot canvas').length)`)
		return n != "0" && !strings.HasPrefix(n, "error"), n
	})
	p.shot("console-power.png")

	// An anonymous visitor gets no controls.
	p.open(dev("pdu1"), "#vars")
	buttons := p.eval(`String(document.querySelectorAll('button[data-cmd]').length)`)
	if hint := p.text("#login-hint"); buttons != "0" || !strings.Contains(hint, "Log in") {
		t.Errorf("anonymous visitor sees %s command buttons (%q)", buttons, hint)
	}
	// An admin logs in, acknowledges an alarm, switches an outlet.
	p.do(chromedp.Navigate(l.url+"/login"), chromedp.WaitVisible(C("#login")),
		chromedp.SendKeys(C(`input[name=username]`), "admin"), chromedp.SendKeys(C(`input[name=password]`), "demo-admin"),
		chromedp.Submit(C(`#login`)), chromedp.WaitVisible(C("#devices")))
	p.open(l.url+"/events?alarms=1", "#events")
	id := p.eval(`document.querySelector('button[data-ack]').dataset.ack`)
	p.do(chromedp.Click(C(`button[data-ack="` + id + `"]`)))
	p.until("the acknowledgement", func() (bool, string) {
		got := p.text(`tr[data-event="` + id + `"]`)
		return strings.Contains(got, "acknowledged by admin"), got
	})
	p.shot("console-events.png")
	// With ups2 on battery and low, pdu1's outlet 2 is srv2's last
	// healthy path: the console asks first, naming srv2; Cancel switches
	// nothing; confirming switches it.
	l.set("ups2", "ups.status", "OB LB")
	p.open(l.url+"/chain", "#chain")
	p.until("the chain sees ups2 low", func() (bool, string) {
		h := p.eval(`document.querySelector('g[data-id^="ups2@"]').dataset.health`)
		return h == "bad", fmt.Sprintf("%s (console at version %d)", h, l.con.Poller.Last().Version)
	})
	p.open(dev("pdu1"), `button[data-cmd="outlet.2.load.off"]`)
	p.do(chromedp.Click(C(`button[data-cmd="outlet.2.load.off"]`)), chromedp.WaitVisible(C("#confirm-loads")))
	if got := p.text("#confirm-loads"); !strings.Contains(got, "srv2") || strings.Contains(got, "srv1") || strings.Contains(got, "srv3") {
		t.Errorf("loads to confirm: %q, want srv2 alone", got)
	}
	p.do(chromedp.Click(C("#cancel")), chromedp.WaitVisible(C("#vars")))
	if v := p.text(`tr[data-var="outlet.2.status"] .value`); v != "on" {
		t.Errorf("outlet 2 after Cancel: %q", v)
	}
	p.do(chromedp.Click(C(`button[data-cmd="outlet.2.load.off"]`)), chromedp.WaitVisible(C("#confirm")), chromedp.Click(C("#confirm")))
	p.until("outlet 2 off on the page", func() (bool, string) {
		v := p.text(`tr[data-var="outlet.2.status"] .value`)
		return v == "off", v + " " + p.eval(`(document.getElementById('error') || {}).textContent`)
	})
	l.set("ups2", "ups.status", "OL")

	// The events as CSV: the acknowledgement with the user's name.
	r, err := http.Get(l.url + "/events.csv?alarms=1")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(r.Body).ReadAll()
	r.Body.Close()
	if err != nil || len(rows) < 2 || strings.Join(rows[0], ",") != "time,source,device,kind,alarm,message,status,acknowledged_by,acknowledged_at" {
		t.Fatalf("events.csv: %v %q", err, rows)
	}
	acked := 0
	for _, row := range rows[1:] {
		if row[7] == "admin" && row[8] != "" {
			acked++
		}
	}
	if acked < 2 { // the seeded one and the one acknowledged here
		t.Errorf("events.csv: %d acknowledged by admin: %q", acked, rows)
	}

	if *updateShots {
		// Dark, following the browser; and on a phone.
		p.cdp(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}})
			return err
		})
		p.open(l.url+"/device?"+url.Values{"source": {l.server}, "ups": {"ups1"}, "range": {"24h"}}.Encode(), ".chart .uplot")
		p.shot("console-dark.png")
		p.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
		p.open(l.url+"/", "#devices")
		p.shot("console-phone.png")
	}
}

// axeSource is axe-core (npm's axe-core, for the tests only).
func axeSource(t *testing.T) string {
	b, err := os.ReadFile(filepath.Join("testdata", "axe", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAccessibility: axe-core finds no serious or critical violation of
// WCAG 2.1 A/AA or of its best practices on any page, in light and dark
// mode, logged in (the controls shown) and with an alarm banner up.
func TestAccessibility(t *testing.T) {
	requireChromium(t)
	l := rackWith(t, true)
	l.set("ups1", "ups.status", "OB DISCHRG")
	p := page{t, browser(t, 1400, 900)}
	p.do(chromedp.Navigate(l.url+"/login"), chromedp.WaitVisible(C("#login")))
	audited := 0
	axe := axeSource(t)
	// audit runs axe-core on the page shown.
	audit := func(mode, what string) {
		time.Sleep(500 * time.Millisecond) // charts drawn
		ctx, cancel := context.WithTimeout(p.ctx, 60*time.Second)
		defer cancel()
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axe+";true")); err != nil {
			t.Fatal(err)
		}
		res, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify(
			r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ': ' + n.failureSummary)}))))`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s %s: %v", mode, what, err)
		}
		var vs []map[string]any
		json.Unmarshal([]byte(res), &vs)
		for _, v := range vs {
			t.Errorf("%s %s: %v %v (%v): %v", mode, what, v["impact"], v["id"], v["help"], v["nodes"])
		}
		audited++
	}
	check := func(mode string) {
		for _, path := range []string{"/", "/?status=problem", "/chain", "/chain?whatif=" + url.QueryEscape("pdu1@"+l.server), "/device?" + url.Values{"source": {l.server}, "ups": {"ups1"}}.Encode(),
			"/device?" + url.Values{"source": {l.server}, "ups": {"pdu1"}}.Encode(), "/events", "/events?alarms=1", "/power", "/power?chart=host%3Asrv1", "/login"} {
			p.do(chromedp.Navigate(l.url+path), chromedp.WaitVisible(C("main")))
			audit(mode, path)
		}
	}
	check("light, anonymous")
	p.do(chromedp.SendKeys(C(`input[name=username]`), "admin"), chromedp.SendKeys(C(`input[name=password]`), "demo-admin"),
		chromedp.Submit(C(`#login`)), chromedp.WaitVisible(C("#devices")))
	p.cdp(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}})
		return err
	})
	check("dark, logged in")
	// The page that asks before cutting a load's last supply path: with
	// ups1 back on line and ups2 low, pdu1's outlet 2 is srv2's.
	l.set("ups1", "ups.status", "OL")
	l.set("ups2", "ups.status", "OB LB")
	p.open(l.url+"/chain", "#chain")
	p.until("the chain sees ups2 low", func() (bool, string) {
		h := p.eval(`document.querySelector('g[data-id^="ups2@"]').dataset.health`)
		return h == "bad", h
	})
	p.open(l.url+"/device?"+url.Values{"source": {l.server}, "ups": {"pdu1"}}.Encode(), `button[data-cmd="outlet.2.load.off"]`)
	p.do(chromedp.Click(C(`button[data-cmd="outlet.2.load.off"]`)), chromedp.WaitVisible(C("#confirm-loads")))
	audit("dark, logged in", "the confirmation of outlet.2.load.off")
	t.Logf("axe-core %s: %d page views audited (WCAG 2.1 A/AA and best practices), no serious or critical violation expected", axeVersion(t), audited)
}

// axeVersion is the vendored axe-core's version (its SOURCE file).
func axeVersion(t *testing.T) string {
	b, err := os.ReadFile(filepath.Join("testdata", "axe", "SOURCE"))
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return "?"
	}
	return f[1]
}

// TestWithoutJavaScript: with scripts off every page reads: the
// overview's rows (filtered by the server from the URL), the chain
// drawing, a device's variables and its history as figures, the events,
// the power use.
func TestWithoutJavaScript(t *testing.T) {
	requireChromium(t)
	l := rackWith(t, true)
	p := page{t, browser(t, 1200, 900)}
	p.cdp(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
	for _, tc := range []struct{ path, sel, want string }{
		{"/", `tr[data-id^="ups1@"]`, "ups1"},
		{"/?q=psu2", "#devices", "srv3-psu2"},
		{"/chain", `#chain`, "srv1-psu1"},
		{"/chain", `tr[data-load="srv2"]`, "healthy"},
		{"/device?" + url.Values{"source": {l.server}, "ups": {"ups1"}}.Encode(), `tr[data-var="battery.charge"]`, "100"},
		{"/device?" + url.Values{"source": {l.server}, "ups": {"ups1"}}.Encode(), `.chart[data-chart="battery"] table`, "Charge (%)"},
		{"/events?kind=status", "#events", "OB DISCHRG"},
		{"/power", "#chains", "ups.realpower"},
	} {
		p.open(l.url+tc.path, tc.sel)
		ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
		got, _ := chromedp.Run(ctx, chromedp.TextContent(C(tc.sel)))
		cancel()
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s %s without JavaScript: %.300q lacks %q", tc.path, tc.sel, got, tc.want)
		}
	}
	// Scripts really were off: the live state stays empty.
	if got := p.text("#live-state"); got != "" {
		t.Errorf("live state %q with scripts off", got)
	}
}

// TestPhone: on a phone's screen (390 CSS pixels wide) no page is wider
// than the screen: wide tables and the chain drawing scroll in their own
// boxes, the menu wraps.
func TestPhone(t *testing.T) {
	requireChromium(t)
	l := rackWith(t, true)
	p := page{t, browser(t, 390, 844)}
	p.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
	for _, path := range []string{"/", "/chain", "/chain?whatif=" + url.QueryEscape("ups1@"+l.server), "/device?" + url.Values{"source": {l.server}, "ups": {"ups1"}}.Encode(),
		"/device?" + url.Values{"source": {l.server}, "ups": {"pdu1"}}.Encode(), "/events", "/power", "/login"} {
		p.open(l.url+path, "main")
		time.Sleep(300 * time.Millisecond)
		var page, screen int
		if _, err := fmt.Sscan(p.eval(`document.documentElement.scrollWidth + ' ' + window.innerWidth`), &page, &screen); err != nil || page > screen {
			t.Errorf("%s on a phone: the page is %d pixels wide on a screen of %d (%v)", path, page, screen, err)
		}
	}
}

// TestKeyboard: the first Tab reaches the skip link, which leads to the
// content; the chain's devices are links in the tab order, and Enter on
// one opens its what-if.
func TestKeyboard(t *testing.T) {
	requireChromium(t)
	l := rack(t)
	p := page{t, browser(t, 1200, 900)}
	p.open(l.url+"/chain", "#chain")
	p.do(chromedp.KeyEvent("\t"))
	if got := p.eval(`document.activeElement.className + ' ' + document.activeElement.getAttribute('href')`); got != "skip #main" {
		t.Errorf("first Tab: %q", got)
	}
	p.do(chromedp.KeyEvent("\r"))
	if got := p.eval(`location.hash`); got != "#main" {
		t.Errorf("the skip link leads to %q", got)
	}
	// Tab on until a device of the drawing has the focus.
	for i := 0; i < 40; i++ {
		p.do(chromedp.KeyEvent("\t"))
		if got := p.eval(`(document.activeElement.closest('#chain') ? 'chain ' : '') + document.activeElement.textContent + ' | ' + document.getElementById(document.activeElement.getAttribute('aria-describedby') || 'none')?.textContent`); strings.HasPrefix(got, "chain ") {
			if !strings.Contains(got, "what its failure would do") {
				t.Errorf("a device's link says %q", got)
			}
			p.do(chromedp.KeyEvent("\r"))
			p.until("the what-if from the keyboard", func() (bool, string) {
				s := p.eval("location.search")
				return strings.Contains(s, "whatif="), s
			})
			return
		}
	}
	t.Error("no device of the chain drawing in the first 40 Tabs")
}
