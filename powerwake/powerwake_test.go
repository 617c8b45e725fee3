package powerwake

import (
	"context"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/internal/testlog"
)

func TestMagic(t *testing.T) {
	mac, _ := net.ParseMAC("52:54:00:12:34:56")
	b := Magic(mac)
	if len(b) != 102 {
		t.Fatalf("%d bytes", len(b))
	}
	if got := MagicMAC(b); got.String() != mac.String() {
		t.Errorf("MagicMAC = %v", got)
	}
	b[50] ^= 1
	if got := MagicMAC(b); got != nil {
		t.Errorf("a damaged packet reads as %v", got)
	}
}

// rack is a chain: ups1 → pdu1 (outlets 1-3) → the power supplies of
// app (outlet 3), db (outlet 1) and web (outlet 2); ups2 → pdu2 → a
// second supply of web; mgmt alone on ups2.
type rack struct {
	ups1, ups2, out1, out3 string // ups.status of the UPSes, the outlets' status
	charge1                string
}

func (r rack) graph() *chain.Graph {
	g := chain.NewGraph()
	add := func(name, typ, status, parent, host string, outlets map[int]string, charge string) {
		n := chain.NewNode("rack:3493", name, "")
		n.ID = name + "@rack:3493"
		n.SetVar("device.type", typ)
		n.SetVar("ups.status", status)
		n.SetVar("device.parent", parent)
		if host != "" {
			n.SetVar("device.host", host)
		}
		if charge != "" {
			n.SetVar("battery.charge", charge)
		}
		for k, v := range outlets {
			n.Outlets[k] = v
		}
		if !n.Parent.IsMains() {
			n.ParentID = n.Parent.Device + "@rack:3493"
		}
		g.Add(n)
	}
	add("ups1", "ups", r.ups1, "main", "", nil, r.charge1)
	add("ups2", "ups", r.ups2, "main", "", nil, "100")
	add("pdu1", "pdu", "", "ups1", "", map[int]string{1: r.out1, 2: "on", 3: r.out3}, "")
	add("pdu2", "pdu", "", "ups2", "", map[int]string{1: "on", 2: "on"}, "")
	add("app-psu", "psu", "OFF", "pdu1:outlet3", "app", nil, "")
	add("db-psu", "psu", "OFF", "pdu1:outlet1", "db", nil, "")
	add("web-psu1", "psu", "OFF", "pdu1:outlet2", "web", nil, "")
	add("web-psu2", "psu", "OFF", "pdu2:outlet1", "web", nil, "")
	add("mgmt-psu", "psu", "OL", "pdu2:outlet2", "mgmt", nil, "")
	return g
}

// TestObserve follows an outage through readings of the chain: which
// hosts are down, when power counts as back, and the order they are
// queued in (the chain's, not upsmon.conf's).
func TestObserve(t *testing.T) {
	f := conf.Parse("/etc/nut/upsmon.conf", []byte(`POWERWAKE web wol 52:54:00:00:00:02
POWERWAKE app wol 52:54:00:00:00:03
POWERWAKE db wol auto 10.0.0.1
POWERWAKE mgmt wol 52:54:00:00:00:04
POWERWAKE ghost wol 52:54:00:00:00:05
POWERWAKEHOLD 60
`))
	logged := testlog.Capture(t)
	w := New(conf.ParseUpsmonConf(f).PowerWake, filepath.Join(t.TempDir(), "state.json"), nil)
	clock := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	w.now = func() time.Time { return clock }
	ok := rack{ups1: "OL", ups2: "OL", out1: "on", out3: "on", charge1: "100"}
	steps := []struct {
		name   string
		after  time.Duration
		rack   rack
		down   []string
		queued []string
	}{
		{"all on line", 0, ok, nil, nil},
		{"ups1 on battery", 10 * time.Second, rack{ups1: "OB DISCHRG", ups2: "OL", out1: "on", out3: "on", charge1: "60"}, nil, nil},
		// web keeps its second supply: not taken down.
		{"ups1 low", 10 * time.Second, rack{ups1: "OB LB", ups2: "OL", out1: "on", out3: "on", charge1: "10"}, []string{"app", "db"}, nil},
		{"ups1 off", 10 * time.Second, rack{ups1: "OFF", ups2: "OL", out1: "on", out3: "on", charge1: "0"}, []string{"app", "db"}, nil},
		{"back, battery low", 10 * time.Second, rack{ups1: "OL CHRG", ups2: "OL", out1: "on", out3: "on", charge1: "20"}, []string{"app", "db"}, nil},
		{"charged", 30 * time.Second, rack{ups1: "OL CHRG", ups2: "OL", out1: "on", out3: "on", charge1: "55"}, []string{"app", "db"}, nil},
		{"not for long enough", 59 * time.Second, rack{ups1: "OL CHRG", ups2: "OL", out1: "on", out3: "on", charge1: "70"}, []string{"app", "db"}, nil},
		// db's outlet 1 comes before app's outlet 3.
		{"held", time.Second, rack{ups1: "OL", ups2: "OL", out1: "on", out3: "on", charge1: "80"}, []string{"app", "db"}, []string{"db", "app"}},
		{"outlet 3 off again", time.Second, rack{ups1: "OL", ups2: "OL", out1: "on", out3: "off", charge1: "80"}, []string{"app", "db"}, []string{"db"}},
		{"outlet 3 on", time.Second, rack{ups1: "OL", ups2: "OL", out1: "on", out3: "on", charge1: "80"}, []string{"app", "db"}, []string{"db"}},
		{"app held too", 60 * time.Second, ok, []string{"app", "db"}, []string{"db", "app"}},
	}
	for _, s := range steps {
		clock = clock.Add(s.after)
		w.Observe(context.Background(), s.rack.graph())
		w.mu.Lock()
		var queued []string
		for _, h := range w.queue {
			queued = append(queued, h.Name)
		}
		w.mu.Unlock()
		if down := w.Down(); !slices.Equal(down, s.down) {
			t.Errorf("%s: down %v, want %v", s.name, down, s.down)
		}
		if !slices.Equal(queued, s.queued) {
			t.Errorf("%s: queued %v, want %v", s.name, queued, s.queued)
		}
	}
	if !strings.Contains(logged.String(), `host=ghost`) {
		t.Errorf("nothing said of a host the chain does not have:\n%s", logged)
	}

	// A Waker after a restart knows who is down from the state file.
	w.mu.Lock()
	w.save()
	w.mu.Unlock()
	again := New(w.cfg, w.path, nil)
	if down := again.Down(); !slices.Equal(down, []string{"app", "db"}) {
		t.Errorf("after a restart: down %v", down)
	}
	// And one after a reload of upsmon.conf, from the one before.
	reloaded := New(w.cfg, "", nil)
	reloaded.Keep(w)
	if down := reloaded.Down(); !slices.Equal(down, []string{"app", "db"}) {
		t.Errorf("after a reload: down %v", down)
	}
}

func TestOrder(t *testing.T) {
	g := rack{ups1: "OL", ups2: "OL", out1: "on", out3: "on"}.graph()
	rank := order(g)
	var ids []string
	for id := range rank {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int { return rank[a] - rank[b] })
	want := []string{"ups1@rack:3493", "pdu1@rack:3493", "db-psu@rack:3493", "web-psu1@rack:3493", "app-psu@rack:3493",
		"ups2@rack:3493", "pdu2@rack:3493", "web-psu2@rack:3493", "mgmt-psu@rack:3493"}
	if !slices.Equal(ids, want) {
		t.Errorf("order %v\nwant  %v", ids, want)
	}
}

// A host whose MAC was never learned cannot be woken: WAKEFAIL, tried
// again after the hold time, given up after maxTries.
func TestWakeFails(t *testing.T) {
	f := conf.Parse("/etc/nut/upsmon.conf", []byte("POWERWAKE db wol auto 192.0.2.7\nPOWERWAKEHOLD 0\nPOWERWAKEDELAY 0\n"))
	w := New(conf.ParseUpsmonConf(f).PowerWake, "", nil)
	w.Neighbours = func() (map[string]net.HardwareAddr, error) { return map[string]net.HardwareAddr{}, nil }
	notes := make(chan string, 10)
	w.Notify = func(_ context.Context, typ, host string) { notes <- typ + " " + host }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go w.Run(ctx)
	w.Observe(ctx, rack{ups1: "OB LB", ups2: "OL", out1: "on", out3: "on", charge1: "5"}.graph())
	for i := range maxTries {
		w.Observe(ctx, rack{ups1: "OL", ups2: "OL", out1: "on", out3: "on", charge1: "100"}.graph())
		select {
		case n := <-notes:
			if n != "WAKEFAIL db" {
				t.Fatalf("notification %q", n)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("try %d: no notification", i+1)
		}
	}
	if down := w.Down(); len(down) != 0 {
		t.Errorf("still down after %d tries: %v", maxTries, down)
	}
}
