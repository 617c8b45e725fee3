package console_test

import (
	"context"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

var updateShots = flag.Bool("screenshots", false, "write the README's screenshots into docs/")

const chromium = "/usr/bin/chromium"

// TestInChromium: in headless Chromium the pages load, the chain graph
// turns after a UPS failure (live, by Server-Sent Events), an anonymous
// visitor gets no controls, and an admin switches an outlet — the last
// healthy path of a load, so the console asks first — and the page
// follows.
func TestInChromium(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is missing: .ci/run must install Debian's chromium")
		}
		t.Skip("chromium not installed")
	}
	l := rack(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox,
		chromedp.Flag("headless", true), chromedp.WindowSize(1400, 900))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	type C = chromedp.CSS
	shot := func(name string) {
		if !*updateShots {
			return
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Error(err)
			return
		}
		os.WriteFile(filepath.Join("..", "docs", name), png, 0o644)
	}
	text := func(sel string) string {
		v, _ := chromedp.Run(ctx, chromedp.Text(C(sel)))
		return v
	}
	attr := func(sel, name string) string {
		v, _ := chromedp.Run(ctx, chromedp.AttributeValue(C(sel), name))
		return v.Value
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(l.url+"/"), chromedp.WaitVisible(C("#devices"))); err != nil {
		t.Fatal(err)
	}
	// The rows arrive with the first poll (live, if the page was quicker).
	deadline := time.Now().Add(20 * time.Second)
	for {
		got := text("#devices")
		if strings.Contains(got, "srv1-psu1") && strings.Contains(got, "ups2") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("overview table: %.300s", got)
		}
		time.Sleep(200 * time.Millisecond)
	}
	shot("console-overview.png")

	// A device changes while the overview is open and filtered: its row
	// follows, the filter stays.
	if err := chromedp.Do(ctx, chromedp.SendKeys(C("#filter"), "ups1")); err != nil {
		t.Fatal(err)
	}
	l.set("ups1", "ups.status", "OB")
	deadline = time.Now().Add(20 * time.Second)
	for {
		st := text(`tr[data-id^="ups1@"] td:nth-child(4)`)
		hidden, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('tr[data-id^="srv1-psu1@"]').style.display === 'none'`))
		filter, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('filter').value`))
		if st == "OB" && hidden && filter == "ups1" && text("#n-ob") == "1" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the open overview did not follow: ups1 %q, srv1-psu1 hidden %v, filter %q, on battery %q", st, hidden, filter, text("#n-ob"))
		}
		time.Sleep(200 * time.Millisecond)
	}
	l.set("ups1", "ups.status", "OL")

	// The chain page, then a failure while it is open.
	if err := chromedp.Do(ctx, chromedp.Navigate(l.url+"/chain"), chromedp.WaitVisible(C("#chain"))); err != nil {
		t.Fatal(err)
	}
	if h := attr(`g[data-id^="ups2@"]`, "data-health"); h != "ok" {
		t.Errorf("ups2 before the failure: %q", h)
	}
	l.set("ups2", "ups.status", "OB LB")
	l.set("pdu1", "outlet.1.status", "off")
	deadline = time.Now().Add(20 * time.Second)
	for {
		ups2, srv1 := attr(`g[data-id^="ups2@"]`, "data-health"), text(`tr[data-load="srv1"] td:nth-child(2)`)
		if ups2 == "bad" && srv1 == "at-risk" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the open chain page did not follow the failure: ups2 %q, srv1 %q", ups2, srv1)
		}
		time.Sleep(300 * time.Millisecond)
	}
	shot("console-chain.png")

	dev := l.url + "/device?source=" + url.QueryEscape(l.server) + "&ups=pdu1"
	if err := chromedp.Do(ctx, chromedp.Navigate(dev), chromedp.WaitVisible(C("#vars"))); err != nil {
		t.Fatal(err)
	}
	buttons, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('button[data-cmd]').length`))
	if hint := text("#login-hint"); buttons != 0 || !strings.Contains(hint, "Log in") {
		t.Errorf("anonymous visitor sees %d command buttons (%q)", buttons, hint)
	}
	// Log in as admin and switch outlet 2 off.
	if err := chromedp.Do(ctx, chromedp.Navigate(l.url+"/login"), chromedp.WaitVisible(C("#login")),
		chromedp.SendKeys(C(`input[name=username]`), "admin"), chromedp.SendKeys(C(`input[name=password]`), "demo-admin"),
		chromedp.Submit(C(`#login`)), chromedp.WaitVisible(C("#devices")),
		chromedp.Navigate(dev), chromedp.WaitVisible(C(`button[data-cmd="outlet.2.load.off"]`)),
		chromedp.Click(C(`button[data-cmd="outlet.2.load.off"]`)), chromedp.WaitVisible(C("#confirm-loads"))); err != nil {
		t.Fatal(err)
	}
	// pdu1's outlet 2 is srv2's last healthy path (ups2 is on battery and
	// low): the console asks first, naming srv2; Cancel switches nothing.
	if got := text("#confirm-loads"); !strings.Contains(got, "srv2") || strings.Contains(got, "srv1") || strings.Contains(got, "srv3") {
		t.Errorf("loads to confirm: %q, want srv2 alone", got)
	}
	if err := chromedp.Do(ctx, chromedp.Click(C("#cancel")), chromedp.WaitVisible(C("#vars"))); err != nil {
		t.Fatal(err)
	}
	if v := text(`tr[data-var="outlet.2.status"] .value`); v != "on" {
		t.Errorf("outlet 2 after Cancel: %q", v)
	}
	if err := chromedp.Do(ctx, chromedp.Click(C(`button[data-cmd="outlet.2.load.off"]`)), chromedp.WaitVisible(C("#confirm")),
		chromedp.Click(C("#confirm"))); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(20 * time.Second)
	for {
		v := text(`tr[data-var="outlet.2.status"] .value`)
		if v == "off" {
			break
		}
		if time.Now().After(deadline) {
			loc, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + " | " + document.querySelector('tr[data-var="outlet.2.status"]').outerHTML + " | live=" + document.body.dataset.live + " rows=" + document.querySelectorAll('tr[data-var="outlet.2.status"]').length`))
			_, evs := l.get(nil, "/api/device?source="+url.QueryEscape(l.server)+"&ups=pdu1")
			t.Fatalf("outlet.2.status on the page: %q; page: %s\nevents: %.1500s", v, loc, evs)
		}
		time.Sleep(300 * time.Millisecond)
	}
	shot("console-device.png")
}
