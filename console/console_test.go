package console_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/console"
	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/demo"
	"github.com/powerchain/powerchain/internal/clienttest"
	"github.com/powerchain/powerchain/internal/consoletest"
	"github.com/powerchain/powerchain/internal/servetest"
	"github.com/powerchain/powerchain/internal/testlog"
	"github.com/powerchain/powerchain/internal/waittest"
)

func TestMain(m *testing.M) { testlog.Main(m) }

type lab struct {
	t      *testing.T
	dir    string
	server string // the rack's NUT server
	url    string // the console
	con    *console.Console
}

// rack serves the design's rack (static UPS data) and a console on it,
// plus an unreachable source.
func rack(t *testing.T) *lab { t.Helper(); return rackWith(t, false) }

// rackWith is rack, with a day of history first when seed is set.
func rackWith(t *testing.T, seed bool) *lab { t.Helper(); return rackFrom(t, seed, true) }

// rackFrom serves the design's rack: its UPSes steady (static data, 450
// W each) when static is set, else as powerchain demo runs them.
func rackFrom(t *testing.T, seed, static bool) *lab {
	t.Helper()
	l := &lab{t: t, dir: t.TempDir()}
	write := demo.WriteTo
	if static {
		write = func(dir string) error {
			return demo.WriteSteadyTo(dir, demo.OnLine+"battery.runtime: 1800\nups.load: 31\ninput.voltage: 230.1\noutput.voltage: 230.0\nups.realpower: 450\n")
		}
	}
	if err := write(l.dir); err != nil {
		t.Fatal(err)
	}
	d, addr := servetest.Start(t, daemon.Options{ConfDir: l.dir})
	servetest.WaitData(t, d)
	l.server = addr.String()
	places := map[string]console.Place{l.server: {Site: "Example site", Rack: "Rack A"}}
	db := filepath.Join(l.dir, "console.sqlite")
	if seed {
		if err := console.SeedRackHistory(db, l.server, places, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	l.con, l.url = consoletest.Start(t, console.Options{Sources: []string{l.server, "127.0.0.1:9"}, Interval: 500 * time.Millisecond,
		Timeout: time.Second, ConfDir: l.dir, DBPath: db, Places: places})
	l.waitFor("first refresh", func() bool { return l.con.Poller.Last() != nil })
	return l
}

func (l *lab) waitFor(what string, cond func() bool) {
	l.t.Helper()
	if !waittest.Until(15*time.Second, 100*time.Millisecond, cond) {
		l.t.Fatalf("not within 15 s: %s", what)
	}
}

func (l *lab) get(c *http.Client, path string) (int, string) {
	l.t.Helper()
	if c == nil {
		c = http.DefaultClient
	}
	r, err := c.Get(l.url + path)
	if err != nil {
		l.t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return r.StatusCode, string(b)
}

// post posts form to the console's path with c (http.DefaultClient
// when nil) and returns the status code and body.
func (l *lab) post(c *http.Client, path string, form url.Values) (int, string) {
	l.t.Helper()
	if c == nil {
		c = http.DefaultClient
	}
	r, err := c.PostForm(l.url+path, form)
	if err != nil {
		l.t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return r.StatusCode, string(b)
}

// set sets a variable of the rack's server as its administrator.
func (l *lab) set(ups, name, value string) {
	l.t.Helper()
	clienttest.Set(l.t, l.server, "admin", "demo-admin", ups, name, value)
}

func TestPagesAPIAndMetrics(t *testing.T) {
	l := rack(t)
	code, body := l.get(nil, "/")
	if code != 200 || !strings.Contains(body, "srv1-psu1") || !strings.Contains(body, "127.0.0.1:9 (unreachable") {
		t.Errorf("overview %d:\n%.2000s", code, body)
	}
	var devs []console.Device
	_, body = l.get(nil, "/api/devices")
	if err := json.Unmarshal([]byte(body), &devs); err != nil || len(devs) != 10 {
		t.Errorf("/api/devices: %d devices, %v", len(devs), err)
	}
	_, body = l.get(nil, "/chain")
	for _, want := range []string{`<svg id="chain"`, `data-id="pdu1@`, `data-health="ok"`, "srv1 (healthy)"} {
		if want == "srv1 (healthy)" {
			if !regexp.MustCompile(`data-load="srv1" id="load-srv1"><th scope="row">srv1</th><td class="ok">healthy`).MatchString(body) {
				t.Errorf("chain page: srv1 not healthy")
			}
			continue
		}
		if !strings.Contains(body, want) {
			t.Errorf("chain page lacks %s", want)
		}
	}
	_, metrics := l.get(nil, "/metrics")
	for _, want := range []string{
		`network_ups_tools_battery_charge{server="` + l.server + `",ups="ups1"} 100`,
		`network_ups_tools_ups_status{flag="OL",server="` + l.server + `",ups="ups1"} 1`,
		`network_ups_tools_ups_status{flag="OB",server="` + l.server + `",ups="ups1"} 0`,
		`network_ups_tools_device_info{`,
		`powerchain_load_paths_healthy{load="srv1"} 2`,
		`powerchain_loads_at_risk 0`,
		`powerchain_source_up{server="127.0.0.1:9"} 0`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// A UPS failure: the chain page turns, the what-if answers, an event
	// is recorded.
	l.set("ups2", "ups.status", "OB LB")
	l.set("pdu1", "outlet.1.status", "off")
	l.waitFor("srv1 at risk", func() bool {
		_, m := l.get(nil, "/metrics")
		return strings.Contains(m, `powerchain_loads_at_risk 1`)
	})
	_, body = l.get(nil, "/chain?whatif=ups1@"+l.server)
	if !strings.Contains(body, `If ups1@`) {
		t.Errorf("what-if view missing")
	}
	_, body = l.get(nil, "/api/events")
	if !strings.Contains(body, `ups.status \"OL\" → \"OB LB\"`) {
		t.Errorf("events: %.1500s", body)
	}
	if !strings.Contains(body, `outlet.1.status \"on\" → \"off\"`) {
		t.Errorf("no outlet event: %.1500s", body)
	}
	// upsmon's NOTIFYCMD (powerchain console-notify) posts notifications.
	if code, _ := l.post(nil, "/api/notify", url.Values{"type": {"ONBATT"}, "ups": {"ups2@localhost"}, "message": {"UPS ups2 on battery"}, "host": {"srv1"}}); code != http.StatusNoContent {
		t.Errorf("notify: %d", code)
	}
	l.waitFor("the notification among the events", func() bool {
		_, b := l.get(nil, "/api/events")
		return strings.Contains(b, "ONBATT: UPS ups2 on battery")
	})
	_, body = l.get(nil, "/power")
	if !strings.Contains(body, ">ups1</a>") {
		t.Errorf("power page: %.1000s", body)
	}
	// History has samples.
	l.waitFor("history", func() bool {
		_, h := l.get(nil, "/api/history?source="+url.QueryEscape(l.server)+"&ups=ups1&var=battery.charge&from="+fmt.Sprint(time.Now().Add(-time.Minute).Unix()))
		return strings.Count(h, `"value"`) >= 2
	})
}

// TestControlNeedsLoginAndCSRF: anonymous control is refused, a log-in
// with a wrong password too; a logged-in admin switches an outlet (with
// the CSRF token) and the page follows; without the token it is refused.
func TestControlNeedsLoginAndCSRF(t *testing.T) {
	l := rack(t)
	form := url.Values{"source": {l.server}, "ups": {"pdu1"}, "cmd": {"outlet.2.load.off"}}
	if code, _ := l.post(nil, "/api/cmd", form); code != http.StatusUnauthorized {
		t.Errorf("anonymous control: %d", code)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	_, page := l.get(c, "/login")
	csrf := regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`).FindStringSubmatch(page)
	if csrf == nil {
		t.Fatal("no CSRF token in the log-in form")
	}
	l.post(c, "/login", url.Values{"username": {"admin"}, "password": {"nope"}, "csrf": {csrf[1]}})
	if _, page := l.get(c, "/"); strings.Contains(page, "log out") {
		t.Error("logged in with a wrong password")
	}
	l.post(c, "/login", url.Values{"username": {"admin"}, "password": {"demo-admin"}, "csrf": {csrf[1]}})
	if _, page := l.get(c, "/"); !strings.Contains(page, "<span>admin</span>") {
		t.Fatal("log-in failed")
	}
	if code, _ := l.post(c, "/api/cmd", form); code != http.StatusForbidden { // no token
		t.Errorf("control without CSRF token: %d", code)
	}
	form.Set("csrf", csrf[1])
	l.post(c, "/api/cmd", form)
	l.waitFor("outlet 2 off on the device page", func() bool {
		_, p := l.get(c, "/device?source="+url.QueryEscape(l.server)+"&ups=pdu1")
		return regexp.MustCompile(`data-var="outlet.2.status"><th scope="row">outlet.2.status</th><td class="value">off`).MatchString(p)
	})
	// pdu2's outlet 2 is now srv2's last path: a script is told 409 with
	// the loads, and runs it with confirm=1.
	cut := url.Values{"source": {l.server}, "ups": {"pdu2"}, "cmd": {"outlet.2.load.off"}, "csrf": {csrf[1]}}
	l.waitFor("the console's chain sees pdu1's outlet 2 off", func() bool {
		req, _ := http.NewRequest("POST", l.url+"/api/cmd", strings.NewReader(cut.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		r, err := c.Do(req)
		if err != nil {
			return false
		}
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		return r.StatusCode == http.StatusConflict && strings.Contains(string(b), `"loads_lost"`) && strings.Contains(string(b), `"name":"srv2"`)
	})
	if _, p := l.get(c, "/device?source="+url.QueryEscape(l.server)+"&ups=pdu2"); !regexp.MustCompile(`data-var="outlet.2.status"><th scope="row">outlet.2.status</th><td class="value">on`).MatchString(p) {
		t.Error("pdu2's outlet 2 switched without confirmation")
	}
	cut.Set("confirm", "1")
	l.post(c, "/api/cmd", cut)
	l.waitFor("pdu2's outlet 2 off once confirmed", func() bool {
		_, p := l.get(c, "/device?source="+url.QueryEscape(l.server)+"&ups=pdu2")
		return regexp.MustCompile(`data-var="outlet.2.status"><th scope="row">outlet.2.status</th><td class="value">off`).MatchString(p)
	})
	// The monitor user has no instcmds: the server refuses, the console says so.
	c2 := &http.Client{Jar: func() http.CookieJar { j, _ := cookiejar.New(nil); return j }()}
	_, page = l.get(c2, "/login")
	tok := regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`).FindStringSubmatch(page)[1]
	l.post(c2, "/login", url.Values{"username": {"monitor"}, "password": {"demo-monitor"}, "csrf": {tok}})
	form.Set("csrf", tok)
	form.Set("cmd", "outlet.3.load.off")
	if code, b := l.post(c2, "/api/cmd", form); !strings.Contains(b, "Access denied") && !strings.Contains(b, "ACCESS-DENIED") {
		t.Errorf("monitor user's command: %d %.500s", code, b)
	}
}

// TestHostileValuesEscaped: a device variable holding markup is shown as
// text everywhere.
func TestHostileValuesEscaped(t *testing.T) {
	l := rack(t)
	evil := `<script>alert(1)</script>`
	l.set("ups1", "ups.status", evil)
	l.waitFor("the value arrives", func() bool {
		_, b := l.get(nil, "/api/device?source="+url.QueryEscape(l.server)+"&ups=ups1")
		return strings.Contains(b, "alert(1)")
	})
	for _, p := range []string{"/", "/chain", "/device?source=" + url.QueryEscape(l.server) + "&ups=ups1", "/events"} {
		_, body := l.get(nil, p)
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
			t.Errorf("%s renders the value unescaped", p)
		}
	}
}

// TestBadPlaces: an unwritable history file and a non-loopback address
// without TLS are clear errors.
func TestBadPlaces(t *testing.T) {
	if _, err := console.New(console.Options{DBPath: "/proc/no/such/dir/db.sqlite"}); err == nil || !strings.Contains(err.Error(), "history database") {
		t.Errorf("unwritable database: %v", err)
	}
	c, err := console.New(console.Options{Listen: "0.0.0.0:0"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Run(context.Background(), nil); err == nil || !strings.Contains(err.Error(), "not a loopback address") {
		t.Errorf("non-loopback without TLS: %v", err)
	}
}

// login logs in to the console and returns the client (with its session
// cookie) and the CSRF token.
func (l *lab) login(user, password string) (*http.Client, string) {
	l.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	_, page := l.get(c, "/login")
	m := regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`).FindStringSubmatch(page)
	if m == nil {
		l.t.Fatal("no CSRF token in the log-in form")
	}
	l.post(c, "/login", url.Values{"username": {user}, "password": {password}, "csrf": {m[1]}})
	return c, m[1]
}

// TestControlRefusesControlCharacters: a value or command with a newline
// would end the request on the server and run the rest as a second
// command; the console refuses it (400, saying why) and the server sees
// nothing.
func TestControlRefusesControlCharacters(t *testing.T) {
	l := rack(t)
	c, csrf := l.login("admin", "demo-admin")
	for _, form := range []url.Values{
		{"var": {"ups.delay.start"}, "value": {"30\nSET VAR ups1 battery.charge 7"}},
		{"var": {"ups.delay.start\r\nSET VAR ups1 battery.charge 7"}, "value": {"30"}},
		{"cmd": {"load.off\nSET VAR ups1 battery.charge 7"}},
		{"ups": {"ups1\nSET VAR ups1 battery.charge 7"}, "cmd": {"load.off"}},
	} {
		form.Set("source", l.server)
		if form.Get("ups") == "" {
			form.Set("ups", "ups1")
		}
		form.Set("csrf", csrf)
		path := "/api/set"
		if form.Has("cmd") {
			path = "/api/cmd"
		}
		if code, b := l.post(c, path, form); code != http.StatusBadRequest || !strings.Contains(b, "control character") {
			t.Errorf("%s %v: %d %s", path, form, code, b)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cl := clienttest.Dial(ctx, t, l.server)
	if v, err := cl.Get(ctx, "ups1", "battery.charge"); err != nil || v != "100" {
		t.Errorf("battery.charge = %q, %v after the refused requests", v, err)
	}
	if v, err := cl.Get(ctx, "ups1", "ups.delay.start"); err == nil {
		t.Errorf("ups.delay.start was set: %q", v)
	}
}

// TestEmptyListsAreArrays: with no device reachable every list of the
// API is [], never null.
func TestEmptyListsAreArrays(t *testing.T) {
	_, base := consoletest.Start(t, console.Options{Sources: []string{"127.0.0.1:9"}, Timeout: time.Second,
		DBPath: filepath.Join(t.TempDir(), "c.sqlite")})
	for path, lists := range map[string][]string{
		"/api/devices":                      {""},
		"/api/sources":                      {""},
		"/api/chain":                        {"loads"},
		"/api/whatif?device=x@y:1":          {""},
		"/api/power":                        {"devices", "chains", "sites"},
		"/api/events":                       {""},
		"/api/history?source=a&ups=b&var=c": {""},
	} {
		r, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		var top any
		if err := json.Unmarshal(b, &top); err != nil {
			t.Errorf("%s: %v: %s", path, err, b)
			continue
		}
		for _, key := range lists {
			v := top
			if key != "" {
				obj, _ := top.(map[string]any)
				v = obj[key]
			}
			if _, isList := v.([]any); !isList {
				t.Errorf("%s %s: %v is not a list: %s", path, key, v, b)
			}
		}
	}
}

// TestBadSources: a source that is not host[:port] is refused when the
// console starts, saying which and why.
func TestBadSources(t *testing.T) {
	for _, src := range []string{"127.0.0.1:99999", "http://127.0.0.1:3493", "nut://ups", "", "host:", "a b:3493"} {
		_, err := console.New(console.Options{Sources: []string{"127.0.0.1", src}})
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("source %q", src)) {
			t.Errorf("source %q: %v", src, err)
		}
	}
	c, err := console.New(console.Options{Sources: []string{"ups.example", "[::1]", "10.0.0.5:3494"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ups.example:3493", "[::1]:3493", "10.0.0.5:3494"} {
		if !c.Poller.Known(want) {
			t.Errorf("%s not among the sources %v", want, c.Poller.Sources)
		}
	}
}

// TestLiveFragments: an open page asks for what changed since the version
// it shows; it gets nothing when nothing did, the changed device's row
// and the totals when one device changed, and each page only the part it
// shows.
func TestLiveFragments(t *testing.T) {
	l := rack(t)
	version := func(page string) string {
		m := regexp.MustCompile(`data-version="(\d+)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no data-version in %.300s", page)
		}
		return m[1]
	}
	fragment := func(path, since string) (int, map[string]map[string]string, int) {
		req, _ := http.NewRequest("GET", l.url+path, nil)
		req.Header.Set("X-Fragment", since)
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		var f struct {
			Version uint64            `json:"version"`
			Parts   map[string]string `json:"parts"`
			Rows    map[string]string `json:"rows"`
		}
		if r.StatusCode == http.StatusOK {
			if err := json.Unmarshal(b, &f); err != nil {
				t.Fatalf("%s: %v: %s", path, err, b)
			}
		}
		return r.StatusCode, map[string]map[string]string{"parts": f.Parts, "rows": f.Rows}, len(b)
	}
	// Let the rack settle: a refresh with nothing new costs nothing.
	latest := func() uint64 { return l.con.Poller.Last().Version }
	var v string
	var f map[string]map[string]string
	l.waitFor("a refresh that changes nothing", func() bool {
		_, page := l.get(nil, "/")
		v = version(page)
		l.waitFor("a refresh", func() bool { return fmt.Sprint(latest()) != v })
		code, _, _ := fragment("/", v)
		return code == http.StatusNoContent
	})
	_, chainPage := l.get(nil, "/chain")
	cv := version(chainPage)
	_, devPage := l.get(nil, "/device?source="+url.QueryEscape(l.server)+"&ups=ups2")
	dv := version(devPage)
	_, otherPage := l.get(nil, "/device?source="+url.QueryEscape(l.server)+"&ups=pdu2")
	ov := version(otherPage)
	l.waitFor("204 for a page at the latest version", func() bool {
		code, _, _ := fragment("/", fmt.Sprint(latest()))
		return code == http.StatusNoContent // else a refresh came between
	})

	l.set("ups2", "ups.status", "OB")
	var n int
	l.waitFor("ups2 on battery in a refresh", func() bool {
		_, f, _ = fragment("/", v)
		return len(f["rows"]) > 0
	})
	_, f, n = fragment("/", v)
	for id, row := range f["rows"] {
		if !strings.HasPrefix(id, "ups2@") || !strings.Contains(row, `<tr data-id="ups2@`) || !strings.Contains(row, ">OB<") {
			t.Errorf("changed row %s: %s", id, row)
		}
	}
	if len(f["rows"]) != 1 || !strings.Contains(f["parts"]["totals"], `id="n-ob" class="warn">1<`) || !strings.Contains(f["parts"]["banner"], "On battery") {
		t.Errorf("overview update: %v", f)
	}
	t.Logf("overview update with one device changed: %d bytes", n)
	if code, f, _ := fragment("/device?source="+url.QueryEscape(l.server)+"&ups=ups2", dv); code != http.StatusOK || !strings.Contains(f["parts"]["facts"], `id="status" class="v warn">OB<`) {
		t.Errorf("device page of the changed device: %d %v", code, f)
	}
	if code, f, _ := fragment("/device?source="+url.QueryEscape(l.server)+"&ups=pdu2", ov); code != http.StatusNoContent {
		t.Errorf("device page of another device: %d %v", code, f)
	}
	if code, f, _ := fragment("/chain", cv); code != http.StatusOK || !strings.Contains(f["parts"]["live"], `<svg id="chain"`) {
		t.Errorf("chain page after a UPS went on battery: %d %v", code, f)
	}
	// A version the server never gave (a page from before a restart)
	// gets everything.
	if _, f, _ := fragment("/", "999999"); !strings.Contains(f["parts"]["devices"], `<div id="devices">`) {
		t.Errorf("unknown version: %v", f)
	}
}

// TestRedirectsEscape: the way back from a control request carries the
// device and the server's error as they are, whatever characters they
// hold.
func TestRedirectsEscape(t *testing.T) {
	l := rack(t)
	c, csrf := l.login("admin", "demo-admin")
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	ups := "no such&error=injected #1 +50%"
	r, err := c.PostForm(l.url+"/api/cmd", url.Values{"source": {l.server}, "ups": {ups}, "cmd": {"load.off"}, "csrf": {csrf}})
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	loc, err := url.Parse(r.Header.Get("Location"))
	if err != nil || loc.Path != "/device" {
		t.Fatalf("redirect %q: %v", r.Header.Get("Location"), err)
	}
	q := loc.Query()
	if q.Get("ups") != ups || q.Get("source") != l.server || len(q["error"]) != 1 || q.Get("error") == "injected #1 +50%" || q.Get("error") == "" {
		t.Errorf("redirect query %v", q)
	}
}

// TestPowerAddsUp: the example rack's site draws what its two UPSes
// deliver (450 W each), not the sum over every level (UPS, PDU and
// power supplies: 3,300 W); each host counts its two supplies once.
func TestPowerAddsUp(t *testing.T) {
	l := rack(t)
	var p struct {
		Sites []struct {
			Name  string  `json:"name"`
			Watts float64 `json:"watts"`
		} `json:"sites"`
		Chains []struct {
			Name  string  `json:"name"`
			Watts float64 `json:"watts"`
			Via   string  `json:"via"`
		} `json:"chains"`
		Hosts []struct {
			Name  string  `json:"name"`
			Watts float64 `json:"watts"`
			Share float64 `json:"share"`
		} `json:"hosts"`
	}
	_, body := l.get(nil, "/api/power")
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Sites) != 1 || p.Sites[0].Name != "Example site" || p.Sites[0].Watts != 900 {
		t.Errorf("sites %+v, want Example site at 900 W (ups1 + ups2)", p.Sites)
	}
	if len(p.Chains) != 2 || p.Chains[0].Watts != 450 || p.Chains[0].Via != "ups.realpower" || p.Chains[1].Watts != 450 {
		t.Errorf("chains %+v", p.Chains)
	}
	if len(p.Hosts) != 3 || p.Hosts[0].Name != "srv1" || p.Hosts[0].Watts != 400 || p.Hosts[0].Share != 400.0/900 {
		t.Errorf("hosts %+v, want srv1 first at 400 W, 44 %% of the two chains", p.Hosts)
	}
	_, page := l.get(nil, "/power")
	if !strings.Contains(page, `id="power-total">900<`) {
		t.Errorf("the power page's total is not 900 W")
	}
	_, page = l.get(nil, "/")
	if !strings.Contains(page, `<span>Power <b id="n-watts">900</b> W</span>`) {
		t.Errorf("the overview's power is not 900 W")
	}
}

// TestPowerExampleRack: the rack of powerchain demo, as it runs, reports
// what its two UPSes deliver (ups.realpower: 620 + 540 W), not the sum
// over every level (the PDUs' input.realpower and the six power
// supplies' ups.realpower added to it: 3,560 W).
func TestPowerExampleRack(t *testing.T) {
	l := rackFrom(t, false, false)
	snap := l.con.Poller.Last()
	ups := 0.0
	all := 0.0
	for _, d := range snap.Devices {
		for _, v := range []string{"ups.realpower", "input.realpower"} {
			if w, err := strconv.ParseFloat(d.Vars[v], 64); err == nil {
				all += w
				if d.Vars["device.type"] == "ups" {
					ups += w
				}
				break
			}
		}
	}
	if ups != 1160 || all != 3560 {
		t.Fatalf("the demo rack's UPSes deliver %g W, every level %g W; the test expects 1160 and 3560", ups, all)
	}
	p := snap.Power()
	if len(p.Sites) != 1 || p.Sites[0].Watts != ups {
		t.Errorf("sites %+v, want one at %g W", p.Sites, ups)
	}
	for _, c := range p.Chains {
		if c.Via != "ups.realpower" {
			t.Errorf("chain %s read at %s, want its UPS's ups.realpower", c.Name, c.Via)
		}
	}
	_, page := l.get(nil, "/power")
	if !strings.Contains(page, `id="power-total">1160<`) {
		t.Error("the power page's total is not 1160 W")
	}
}
