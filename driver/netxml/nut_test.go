package netxml_test

import (
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/internal/servetest"
	"github.com/powerchain/powerchain/internal/testlog"
	"github.com/powerchain/powerchain/internal/waittest"
)

// netxmlUPS is Debian's netxml-ups (package nut-xml).
const netxmlUPS = "/lib/nut/netxml-ups"

// nutSide runs Debian's netxml-ups and upsd on the card with the extra
// settings, and returns the env and upsd's port.
func nutSide(t *testing.T, c *card, extra string) (*nuttest.Env, int) {
	t.Helper()
	nuttest.Require(t, netxmlUPS, nuttest.Upsd, nuttest.Upsc)
	e := nuttest.NewEnv(t)
	port := nuttest.FreePort(t)
	e.WriteFile("ups.conf", fmt.Sprintf("[eaton]\n\tdriver = netxml-ups\n\tport = %s\n%s", c.URL, extra), 0o644)
	e.WriteUpsd(port, "[admin]\n\tpassword = pw\n\tactions = SET\n")
	e.Start(netxmlUPS, "-a", "eaton")
	e.StartUpsd()
	return e, port
}

// ourSide serves the card through powerchain's netxml-ups.
func ourSide(t *testing.T, c *card, extra string) (*nuttest.Env, int, *testlog.Buffer) {
	t.Helper()
	nuttest.Require(t, nuttest.Upsc)
	e := nuttest.NewEnv(t)
	e.WriteFile("ups.conf", fmt.Sprintf("[eaton]\n\tdriver = netxml-ups\n\tport = %s\n%s", c.URL, extra), 0o644)
	e.WriteFile("upsd.users", "[admin]\n\tpassword = pw\n\tactions = SET\n", 0o644)
	logs := &testlog.Buffer{}
	addr := servetest.Serve(t, daemon.Options{ConfDir: e.ConfDir, Announce: "no", Log: slog.New(slog.NewTextHandler(logs, nil))})
	return e, addr.Port, logs
}

// vars is Debian's upsc listing of the device once it shows want (the
// phases appear after a second poll), as a map.
func vars(t *testing.T, e *nuttest.Env, port int, want string) map[string]string {
	t.Helper()
	target := fmt.Sprintf("eaton@127.0.0.1:%d", port)
	var out string
	var err error
	if !waittest.Until(20*time.Second, 200*time.Millisecond, func() bool {
		out, err = e.Output(nuttest.Upsc, target)
		// ups.status WAIT: NUT's upsd has not yet had the driver's whole
		// first dump (it lists what came so far).
		return err == nil && strings.Contains(out, want) && !strings.Contains(out, "ups.status: WAIT")
	}) {
		t.Fatalf("upsc %s never showed %q: %v\n%s", target, want, err, out)
	}
	m := map[string]string{}
	for _, l := range strings.Split(out, "\n") {
		if k, v, ok := strings.Cut(l, ": "); ok {
			m[k] = v
		}
	}
	return m
}

// describeBuild: variables that say which program and build answered.
func describesBuild(k string) bool {
	return strings.HasPrefix(k, "driver.version") || k == "driver.parameter.synchronous"
}

// diff lists the variables that differ between two listings (build
// variables left out).
func diff(ours, theirs map[string]string) []string {
	var out []string
	for k, v := range theirs {
		if describesBuild(k) {
			continue
		}
		if o, ok := ours[k]; !ok {
			out = append(out, fmt.Sprintf("%s: missing (NUT %q)", k, v))
		} else if o != v {
			out = append(out, fmt.Sprintf("%s: %q (NUT %q)", k, o, v))
		}
	}
	for k, v := range ours {
		if _, ok := theirs[k]; !ok && !describesBuild(k) {
			out = append(out, fmt.Sprintf("%s: %q, not in NUT's", k, v))
		}
	}
	slices.Sort(out)
	return out
}

// TestSameAsDebian: on the same card, powerchain's netxml-ups publishes
// what Debian's netxml-ups (2.8.0) publishes through Debian's upsd, every
// variable with the same value, and the same writable variables.
func TestSameAsDebian(t *testing.T) {
	c := startCard(t, "testdata/9px", "/product.xml")
	ne, np := nutSide(t, c, "")
	oe, op, logs := ourSide(t, c, "")
	theirs := vars(t, ne, np, "input.phases: 1")
	ours := vars(t, oe, op, "input.phases: 1")
	if d := diff(ours, theirs); len(d) > 0 {
		t.Errorf("%d of NUT's %d variables differ:\n%s\n%s", len(d), len(theirs), strings.Join(d, "\n"), logs)
	}
	t.Logf("%d variables, all the same", len(theirs))
	rw := func(e *nuttest.Env, port int) string {
		return e.Run(nuttest.Upsrw, fmt.Sprintf("eaton@127.0.0.1:%d", port))
	}
	if o, n := rw(oe, op), rw(ne, np); o != n {
		t.Errorf("upsrw:\n%s\nNUT's:\n%s", o, n)
	}
}

// TestDDL: what both report from the card derived from a real 9PX's DDL
// dump (NUT 2.7.4's netxml-ups) differs from that dump only where NUT
// 2.8.0's mapping does.
func TestDDL(t *testing.T) {
	b, err := os.ReadFile("../../testdata/ddl/Eaton__9PX__netxml-ups__2.7.4__03.dev")
	if err != nil {
		t.Fatal(err)
	}
	ddl := map[string]string{}
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ": "); ok && !strings.HasPrefix(k, "#") {
			ddl[k] = v
		}
	}
	c := startCard(t, "testdata/9px", "/product.xml")
	oe, op, _ := ourSide(t, c, "")
	ours := vars(t, oe, op, "input.phases: 1")
	got := diff(ours, ddl)
	want := []string{
		// The card reports them; NUT 2.8.0's table no longer maps them.
		`battery.current: missing (NUT "0")`,
		`battery.voltage: missing (NUT "198")`,
		// The port: the test card's, not the real one's.
		`driver.parameter.port: "` + c.URL + `" (NUT "http://10.130.6.17")`,
		// Counted by NUT since 2.8.0.
		`input.bypass.phases: "1", not in NUT's`,
		`input.phases: "1", not in NUT's`,
		`output.phases: "1", not in NUT's`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("differences from the DDL dump:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestSubscription: with "subscribe", powerchain's driver takes the
// card's alarm channel and an alarm shows at once (pollinterval 60 s).
// Debian's 2.8.0 netxml-ups refuses every subscription reply (its parser
// wants a port and a secret on every line of it), never opens the
// channel, and says its data is stale at every poll.
func TestSubscription(t *testing.T) {
	t.Run("powerchain", func(t *testing.T) {
		c := startCard(t, "testdata/9px", "/product.xml")
		e, port, logs := ourSide(t, c, "\tsubscribe\n\tpollinterval = 60\n")
		vars(t, e, port, "ups.status: OL CHRG")
		select {
		case <-c.alarmSeen:
		case <-time.After(20 * time.Second):
			t.Fatalf("no subscriber on the alarm channel; requests %v\n%s", c.Requests(), logs)
		}
		if err := c.Alarm("UPS.PowerSummary.PresentStatus.ACPresent", "0", "2016/03/17 13:40:00"); err != nil {
			t.Fatal(err)
		}
		got := vars(t, e, port, "ups.status: OB CHRG")
		if got["ups.time"] != "13:37:33" && got["ups.time"] != "13:40:00" {
			t.Errorf("ups.time %q", got["ups.time"])
		}
		if got["driver.hostname"] == "" || got["driver.delay.shutdown"] != "120" || got["driver.timer.shutdown"] != "NONE" {
			t.Errorf("from the configuration page: %q %q %q", got["driver.hostname"], got["driver.delay.shutdown"], got["driver.timer.shutdown"])
		}
	})
	t.Run("Debian", func(t *testing.T) {
		c := startCard(t, "testdata/9px", "/product.xml")
		e, port := nutSide(t, c, "\tsubscribe\n")
		target := fmt.Sprintf("eaton@127.0.0.1:%d", port)
		var out string
		waittest.Until(10*time.Second, 250*time.Millisecond, func() bool {
			out, _ = e.Output(nuttest.Upsc, target, "ups.status")
			return strings.Contains(out, "Data stale")
		})
		if !strings.Contains(out, "Data stale") {
			t.Errorf("Debian's netxml-ups with subscribe: upsc says %q (NUT 2.8.0's bug fixed?)", out)
		}
		select {
		case <-c.alarmSeen:
			t.Error("Debian's netxml-ups subscribed (NUT 2.8.0's bug fixed?)")
		default:
		}
		posts := 0
		for _, r := range c.Requests() {
			if r == "POST /subscribe.cgi" {
				posts++
			}
		}
		if posts < 2 {
			t.Errorf("Debian's netxml-ups asked %d times: %v", posts, c.Requests())
		}
		t.Logf("Debian's netxml-ups: %d subscription requests refused by its own parser, upsc: %s", posts, strings.TrimSpace(out))
	})
}

// TestSubscriptionRefusedLoggedOnce: a card that refuses the alarm
// subscription is asked again at every poll, and that is logged once,
// not at every poll.
func TestSubscriptionRefusedLoggedOnce(t *testing.T) {
	logs := &testlog.Buffer{}
	old := slog.Default() // the drivers log through the default logger
	slog.SetDefault(slog.New(slog.NewTextHandler(logs, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })
	c := startCard(t, "testdata/9px", "/product.xml")
	product, err := os.ReadFile("testdata/9px/product.xml")
	if err != nil {
		t.Fatal(err)
	}
	// A subscription page the card does not have: 404 at every request.
	c.Page("/product.xml", []byte(strings.Replace(string(product), `url="subscribe.cgi"`, `url="none.cgi"`, 1)))
	ourSide(t, c, "\tsubscribe\n\tpollinterval = 1\n")
	asked := func() int {
		n := 0
		for _, r := range c.Requests() {
			if r == "POST /none.cgi" {
				n++
			}
		}
		return n
	}
	waittest.Until(20*time.Second, 100*time.Millisecond, func() bool { return asked() >= 4 })
	if n := asked(); n < 4 {
		t.Fatalf("asked %d times for the subscription; requests %v", n, c.Requests())
	}
	if n := strings.Count(logs.String(), "alarm subscription failed"); n != 1 {
		t.Errorf("%d lines about the refused subscription:\n%s", n, logs)
	}
}

// TestSet: SET goes to the card's form as NUT's driver sends it; the
// card takes the value. powerchain's driver answers SUCCESS (upsrw -w);
// Debian's 2.8.0 answers FAILED though the card took the value (its form
// path ignores the card's answer and reports a failure), and sends the
// value without XML escaping, which a card that reads XML strictly
// refuses.
func TestSet(t *testing.T) {
	set := func(e *nuttest.Env, port int, value string) string {
		out, err := e.Output(nuttest.Upsrw, "-w", "-u", "admin", "-p", "pw", "-s", "device.contact="+value, fmt.Sprintf("eaton@127.0.0.1:%d", port))
		if err != nil {
			t.Errorf("upsrw: %v %q", err, out)
		}
		return strings.TrimSpace(out)
	}
	// The driver publishes its writable variables a moment after ups.status
	// (Debian's netxml-ups after its first full read): upsrw -s before that
	// is ERR VAR-NOT-SUPPORTED on either server.
	writable := func(e *nuttest.Env, port int) {
		t.Helper()
		var out string
		if !waittest.Until(30*time.Second, 200*time.Millisecond, func() bool {
			out, _ = e.Output(nuttest.Upsrw, "-u", "admin", "-p", "pw", fmt.Sprintf("eaton@127.0.0.1:%d", port))
			return strings.Contains(out, "[device.contact]")
		}) {
			t.Fatalf("device.contact never writable: %q", out)
		}
	}
	t.Run("powerchain", func(t *testing.T) {
		c := startCard(t, "testdata/9px", "/product.xml")
		e, port, _ := ourSide(t, c, "")
		vars(t, e, port, "ups.status")
		writable(e, port)
		for _, v := range []string{"Night shift", "Facilities <B2> & Co"} {
			if out := set(e, port, v); out != "SUCCESS" {
				t.Errorf("upsrw -w %q: %q", v, out)
			}
			if got := c.Value("System.Contact"); got != strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(v) {
				t.Errorf("the card has %q", got)
			}
			vars(t, e, port, "device.contact: "+v)
		}
		if s := c.Sets(); len(s) != 2 || !strings.Contains(s[0], `<OBJECT name="System.Contact">Night shift</OBJECT>`) {
			t.Errorf("posted %q", s)
		}
	})
	t.Run("Debian", func(t *testing.T) {
		c := startCard(t, "testdata/9px", "/product.xml")
		e, port := nutSide(t, c, "")
		vars(t, e, port, "ups.status")
		writable(e, port)
		out := set(e, port, "Night shift")
		t.Logf("Debian's upsrw -w: %q; the card has %q", out, c.Value("System.Contact"))
		if !strings.Contains(out, "FAILED") || c.Value("System.Contact") != "Night shift" {
			t.Errorf("upsrw -w through Debian's netxml-ups: %q, the card has %q (NUT 2.8.0's bug fixed?)", out, c.Value("System.Contact"))
		}
		set(e, port, "Facilities <B2> & Co")
		if s := c.Sets(); len(s) != 1 {
			t.Errorf("the card took %d forms, want the first only: %q", len(s), s)
		}
	})
}

// TestXMLV4: a card of protocol XML.V4 is refused by both drivers with a
// one-line reason; powerchain's server runs on with the device not
// connected.
func TestXMLV4(t *testing.T) {
	c := startCard(t, "testdata/9px", "/product.xml")
	b, _ := os.ReadFile("testdata/9px/product.xml")
	c.Page("/product.xml", []byte(strings.Replace(string(b), `version="JI"`, `version="JI" protocol="XML.V4"`, 1)))
	t.Run("powerchain", func(t *testing.T) {
		logs := testlog.Capture(t) // the driver loop logs to the default logger
		e, port, _ := ourSide(t, c, "")
		waittest.Until(10*time.Second, 50*time.Millisecond, func() bool { return strings.Contains(logs.String(), "XML.V4") })
		if !strings.Contains(logs.String(), "does not support") {
			t.Errorf("log:\n%s", logs)
		}
		out, _ := e.Output(nuttest.Upsc, fmt.Sprintf("eaton@127.0.0.1:%d", port))
		if !strings.Contains(out, "Driver not connected") {
			t.Errorf("upsc: %q", out)
		}
	})
	t.Run("Debian", func(t *testing.T) {
		nuttest.Require(t, netxmlUPS)
		e := nuttest.NewEnv(t)
		e.WriteFile("ups.conf", fmt.Sprintf("[eaton]\n\tdriver = netxml-ups\n\tport = %s\n", c.URL), 0o644)
		out, err := e.Output(netxmlUPS, "-F", "-u", "root", "-a", "eaton")
		if err == nil || !strings.Contains(out, "XML v4 protocol is not supported!") {
			t.Errorf("Debian's netxml-ups: %v %q", err, out)
		}
	})
}

// TestLogin: a card that asks for a login gets login and password.
func TestLogin(t *testing.T) {
	c := startCard(t, "testdata/9px", "/mgeups/product.xml")
	c.login, c.password = "admin", "s3cret"
	e, port, _ := ourSide(t, c, "\tlogin = admin\n\tpassword = s3cret\n")
	got := vars(t, e, port, "ups.status: OL CHRG")
	if _, ok := got["driver.parameter.password"]; ok {
		t.Error("password published")
	}
}
