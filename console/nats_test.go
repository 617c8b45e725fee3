package console_test

import (
	"context"
	"encoding/json"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/console"
	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/demo"
	"github.com/powerchain/powerchain/internal/consoletest"
	"github.com/powerchain/powerchain/internal/natstest"
	"github.com/powerchain/powerchain/internal/servetest"
	"github.com/powerchain/powerchain/natsbus"
)

// natsRack serves the design's rack (static UPS data) and publishes it
// on NATS, as serve --nats --nats-site paris --site "Paris DC1" --rack R7
// does.
func natsRack(t *testing.T, natsURL string) *lab {
	t.Helper()
	l := &lab{t: t, dir: t.TempDir()}
	if err := demo.WriteSteadyTo(l.dir, demo.OnLine+"ups.realpower: 450\n"); err != nil {
		t.Fatal(err)
	}
	nc, err := natsbus.Connect(natsbus.ConnOptions{URL: natsURL})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	d, addr := servetest.Start(t, daemon.Options{ConfDir: l.dir})
	l.server = addr.String()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	p := &natsbus.Publisher{Conn: nc, Server: d.Server(), Store: d.Store(), Site: "paris", Name: "rack1", Addr: l.server,
		Place: natsbus.Place{Site: "Paris DC1", Rack: "R7"}}
	go p.Run(ctx)
	return l
}

// natsConsole starts a console that follows NATS (and polls nothing),
// until the returned function is called or the test ends.
func (l *lab) natsConsole(natsURL, durable, db string) (stop func()) {
	l.t.Helper()
	l.con = consoletest.New(l.t, console.Options{Interval: time.Hour, Timeout: time.Second, ConfDir: l.dir, DBPath: db,
		NATS: &console.NATSOptions{Conn: natsbus.ConnOptions{URL: natsURL}, Durable: durable}})
	l.url, stop = consoletest.Serve(l.t, l.con)
	return stop
}

// events lists the console's events as "device kind: message".
func (l *lab) events() []string {
	l.t.Helper()
	_, body := l.get(nil, "/api/events")
	var evs []console.Event
	if err := json.Unmarshal([]byte(body), &evs); err != nil {
		l.t.Fatalf("/api/events: %v", err)
	}
	var out []string
	for _, e := range evs {
		out = append(out, e.Device+"@"+e.Source+" "+e.Kind+": "+e.Message)
	}
	return out
}

// count is how many of the events are e.
func count(events []string, e string) int {
	n := 0
	for _, x := range events {
		if x == e {
			n++
		}
	}
	return n
}

// TestConsoleFollowsNATS: a console that follows NATS shows the rack a
// server publishes (its devices, the chain, control through the server),
// refreshed by the changes themselves; its events come from the stream,
// once each; a restarted console reads the events it missed, and a
// second console elsewhere the whole history.
func TestConsoleFollowsNATS(t *testing.T) {
	ns := natstest.Server(t)
	l := natsRack(t, ns.ClientURL())
	db := filepath.Join(l.dir, "console.sqlite")
	stop := l.natsConsole(ns.ClientURL(), "here", db)
	// The console polls once an hour: what it shows comes by NATS.
	l.waitFor("the rack's devices", func() bool {
		var devs []console.Device
		_, body := l.get(nil, "/api/devices")
		json.Unmarshal([]byte(body), &devs)
		return len(devs) == 10 && devs[0].Source == l.server && devs[0].Vars["device.type"] != ""
	})
	_, body := l.get(nil, "/api/sources")
	if !strings.Contains(body, `"addr": "`+l.server+`"`) || !strings.Contains(body, `"ok": true`) {
		t.Errorf("/api/sources: %s", body)
	}
	// Placed where the server says it stands, not at its NATS site.
	if !strings.Contains(body, `"place": {
      "site": "Paris DC1",
      "rack": "R7"
    }`) {
		t.Errorf("/api/sources does not place the server at Paris DC1, R7: %s", body)
	}
	if _, page := l.get(nil, "/"); !strings.Contains(page, ">Paris DC1</h2>") || !strings.Contains(page, `<span class="gname">R7</span>`) || strings.Contains(page, ">paris<") {
		t.Errorf("the overview does not group the devices under their site and rack, Paris DC1 and R7")
	}
	var ch struct {
		Loads []chain.Load `json:"loads"`
	}
	_, body = l.get(nil, "/api/chain")
	if err := json.Unmarshal([]byte(body), &ch); err != nil || len(ch.Loads) != 3 || ch.Loads[0].Name != "srv1" || ch.Loads[0].Health != chain.Healthy {
		t.Errorf("the chain's loads: %v %.2000s", err, body)
	}

	l.set("ups2", "ups.status", "OB LB")
	ups2 := `ups2@` + l.server + ` status: ups.status "OL" → "OB LB"`
	l.waitFor("ups2's event", func() bool { return count(l.events(), ups2) == 1 })
	l.waitFor("ups2 on battery in the API", func() bool {
		_, b := l.get(nil, "/api/device?source="+url.QueryEscape(l.server)+"&ups=ups2")
		return strings.Contains(b, `"ups.status": "OB LB"`)
	})

	// Control goes to the followed server, as the user; the chain the
	// console read from NATS says that srv2 (with ups2 on battery) would
	// lose its last healthy path.
	c, csrf := l.login("admin", "demo-admin")
	form := url.Values{"source": {l.server}, "ups": {"pdu1"}, "cmd": {"outlet.2.load.off"}, "csrf": {csrf}}
	if code, b := l.post(c, "/api/cmd", form); !strings.Contains(b, `<li data-load="srv2">`) {
		t.Errorf("control asks no confirmation: %d %.1000s", code, b)
	}
	form.Set("confirm", "1")
	l.post(c, "/api/cmd", form)
	l.waitFor("outlet 2 off", func() bool {
		_, b := l.get(nil, "/api/device?source="+url.QueryEscape(l.server)+"&ups=pdu1")
		return strings.Contains(b, `"outlet.2.status": "off"`)
	})
	outlet := `pdu1@` + l.server + ` outlet: outlet.2.status "on" → "off"`
	l.waitFor("the outlet's event", func() bool { return count(l.events(), outlet) == 1 })

	// Restarted: the event that came meanwhile is read from the stream.
	stop()
	l.set("ups1", "ups.status", "OB")
	ups1 := `ups1@` + l.server + ` status: ups.status "OL" → "OB"`
	l.natsConsole(ns.ClientURL(), "here", db)
	l.waitFor("the event missed while stopped", func() bool { return count(l.events(), ups1) == 1 })
	if evs := l.events(); count(evs, ups2) != 1 || count(evs, outlet) != 1 {
		t.Errorf("after the restart:\n%s", strings.Join(evs, "\n"))
	}

	// Another console, another database: the whole history.
	l.natsConsole(ns.ClientURL(), "elsewhere", filepath.Join(t.TempDir(), "other.sqlite"))
	l.waitFor("the whole history", func() bool {
		evs := l.events()
		return count(evs, ups1) == 1 && count(evs, ups2) == 1 && count(evs, outlet) == 1
	})
}

// TestConsoleNATSOptions: a console that cannot read its NATS
// credentials says so at start.
func TestConsoleNATSOptions(t *testing.T) {
	_, err := console.New(console.Options{NATS: &console.NATSOptions{Conn: natsbus.ConnOptions{URL: "nats://127.0.0.1:9", Creds: "/no/such.creds"}}})
	if err == nil || !strings.Contains(err.Error(), "nats credentials") {
		t.Errorf("unreadable credentials: %v", err)
	}
}
