package natsbus

import (
	"context"
	"fmt"
	neturl "net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	natsserver "github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/internal/natstest"
	"github.com/powerchain/powerchain/internal/waittest"
	"github.com/powerchain/powerchain/server"
)

func TestToken(t *testing.T) {
	for _, tc := range []struct{ name, token string }{
		{"ups1", "ups1"},
		{"nas1.example.com", "nas1%2Eexample%2Ecom"},
		{"a*b>c", "a%2Ab%3Ec"},
		{"100%", "100%25"},
		{"Paris DC1", "Paris%20DC1"},
		{"", "%"},
		{"x-y_z", "x-y_z"},
	} {
		if got := Token(tc.name); got != tc.token {
			t.Errorf("Token(%q) = %q, want %q", tc.name, got, tc.token)
		}
		if back, err := Untoken(tc.token); err != nil || back != tc.name {
			t.Errorf("Untoken(%q) = %q, %v", tc.token, back, err)
		}
	}
	for _, bad := range []string{"a%2", "a%zz", "%4"} {
		if _, err := Untoken(bad); err == nil {
			t.Errorf("Untoken(%q): no error", bad)
		}
	}
}

func TestSubjects(t *testing.T) {
	var s Subjects
	dev := s.Device("paris", "nas1.example.com", "ups.1", KindVars)
	if dev != "powerchain.paris.nas1%2Eexample%2Ecom.ups%2E1.vars" {
		t.Errorf("Device: %s", dev)
	}
	for _, tc := range []struct {
		subject string
		want    Parsed
		ok      bool
	}{
		{dev, Parsed{"paris", "nas1.example.com", "ups.1", KindVars}, true},
		{s.Server("paris", "nas1", KindPing), Parsed{"paris", "nas1", "", KindPing}, true},
		{"powerchain.read", Parsed{}, false},
		{"other.paris.nas1.ping", Parsed{}, false},
		{"powerchain.paris.nas1.ups1.x.vars", Parsed{}, false},
		{"powerchain.paris.n%zz.ping", Parsed{}, false},
	} {
		got, ok := s.Parse(tc.subject)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("Parse(%s) = %+v %v, want %+v %v", tc.subject, got, ok, tc.want, tc.ok)
		}
	}
	if got := s.Events(""); got != "powerchain.*.*.*.event" {
		t.Errorf("Events: %s", got)
	}
	if got := (Subjects{Prefix: "acme.power"}).StreamName(); got != "ACME_POWER_EVENTS" {
		t.Errorf("StreamName: %s", got)
	}
}

// rack is a protocol server's store with devices, fresh.
type rack struct {
	store *device.Store
	srv   *server.Server
}

func newRack(devices ...string) *rack {
	r := &rack{store: device.NewStore()}
	for _, name := range devices {
		r.add(name)
	}
	r.srv = server.New(r.store, &server.Config{MaxAge: time.Hour})
	return r
}

func (r *rack) add(name string) {
	d := device.New(name, "UPS "+name)
	d.Update(func(tx *device.Tx) {
		tx.Set("ups.status", "OL")
		tx.Set("battery.charge", "100")
		tx.Set("input.voltage", "230")
		tx.Set("ups.delay.shutdown", "20")
		tx.SetFlags("ups.delay.shutdown", device.RW|device.String)
		tx.AddCmd("load.off")
	})
	d.DataOK(time.Now())
	r.store.Add(d)
}

func (r *rack) set(name, v, value string) {
	d, _ := r.store.Get(name)
	d.Update(func(tx *device.Tx) { tx.Set(v, value) })
	d.DataOK(time.Now())
}

// connect connects to a NATS server for the rest of the test.
func connect(t *testing.T, url string) *nats.Conn {
	t.Helper()
	nc, err := Connect(ConnOptions{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc
}

// publish runs a publisher of the rack until the test ends, or the
// returned function is called.
func publish(t *testing.T, nc *nats.Conn, r *rack, site, name string) (stop func()) {
	t.Helper()
	return publishAt(t, nc, r, site, name, Place{})
}

// publishAt is publish of a server that says where it stands.
func publishAt(t *testing.T, nc *nats.Conn, r *rack, site, name string, place Place) (stop func()) {
	t.Helper()
	p := &Publisher{Conn: nc, Server: r.srv, Store: r.store, Site: site, Name: name, Addr: name + ":3493", Place: place, PingEvery: 200 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); p.Run(ctx) }()
	stop = func() { cancel(); <-done }
	t.Cleanup(stop)
	return sync.OnceFunc(stop)
}

// events collects what a follower is given.
type events struct {
	mu  sync.Mutex
	got []Event
}

func (e *events) add(_ context.Context, evs []Event) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.got = append(e.got, evs...)
	return nil
}

func (e *events) messages() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, ev := range e.got {
		out = append(out, ev.Server+"/"+ev.Device+" "+ev.Kind+": "+ev.Message)
	}
	return out
}

// follow runs a follower until the test ends, or the returned function
// is called.
func follow(t *testing.T, nc *nats.Conn, durable string, ev *events, silence ...time.Duration) (*Follower, func()) {
	t.Helper()
	f := &Follower{Conn: nc, Durable: durable, Silence: time.Second}
	if len(silence) > 0 {
		f.Silence = silence[0]
	}
	if ev != nil {
		f.OnEvents = ev.add
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); f.Run(ctx) }()
	stop := func() { cancel(); <-done }
	t.Cleanup(stop)
	return f, sync.OnceFunc(stop)
}

// view is what a follower holds, as lines "server/device var=value" of
// the variables named (and the state, desc, rw and cmds), sorted.
func view(f *Follower, vars ...string) []string {
	var out []string
	for _, s := range f.Servers() {
		out = append(out, fmt.Sprintf("%s alive=%v addr=%s", s.Name, s.Alive, s.Addr))
		for _, d := range s.Devices {
			line := fmt.Sprintf("%s/%s %s desc=%q rw=%v cmds=%v", s.Name, d.Name, d.State, d.Desc, d.RW, d.Cmds)
			for _, v := range vars {
				if val, ok := d.Vars[v]; ok {
					line += " " + v + "=" + val
				}
			}
			out = append(out, line)
		}
	}
	return out
}

// eventually waits up to 20 s for cond.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	if !waittest.Until(20*time.Second, 20*time.Millisecond, cond) {
		t.Fatalf("not in 20 s: %s", what)
	}
}

// waitView waits until the follower holds want.
func waitView(t *testing.T, f *Follower, want []string, vars ...string) {
	t.Helper()
	var got []string
	if !waittest.Until(20*time.Second, 20*time.Millisecond, func() bool {
		got = view(f, vars...)
		return slices.Equal(got, want)
	}) {
		t.Fatalf("follower holds\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// waitEvents waits until the events given include want, in order.
func waitEvents(t *testing.T, ev *events, want ...string) {
	t.Helper()
	var got []string
	if !waittest.Until(20*time.Second, 20*time.Millisecond, func() bool {
		got = ev.messages()
		i := 0
		for _, g := range got {
			if i < len(want) && g == want[i] {
				i++
			}
		}
		return i == len(want)
	}) {
		t.Fatalf("events\n%s\nwant among them, in order\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestFollow: a follower learns a server from its full read and keeps
// every change after: variables, a new device with its description, one
// removed, FSD, staleness; events reach it through the stream.
func TestFollow(t *testing.T) {
	ns := natstest.Server(t)
	r := newRack("ups1", "ups2")
	publish(t, connect(t, ns.ClientURL()), r, "paris", "nas1")
	var ev events
	f, _ := follow(t, connect(t, ns.ClientURL()), "test", &ev)
	vars := []string{"ups.status", "battery.charge"}
	waitView(t, f, []string{
		"nas1 alive=true addr=nas1:3493",
		`nas1/ups1 OK desc="UPS ups1" rw=[ups.delay.shutdown] cmds=[load.off] ups.status=OL battery.charge=100`,
		`nas1/ups2 OK desc="UPS ups2" rw=[ups.delay.shutdown] cmds=[load.off] ups.status=OL battery.charge=100`,
	}, vars...)

	r.set("ups1", "ups.status", "OB DISCHRG")
	r.set("ups1", "battery.charge", "80")
	// Lines carry values as served when the server reads its feed: FSD
	// set in the same read would be in both.
	waitEvents(t, &ev, `nas1/ups1 status: ups.status "OL" → "OB DISCHRG"`)
	r.add("pdu1")
	r.store.Remove("ups2")
	r.store.SetFSD("ups1")
	waitView(t, f, []string{
		"nas1 alive=true addr=nas1:3493",
		`nas1/pdu1 OK desc="UPS pdu1" rw=[ups.delay.shutdown] cmds=[load.off] ups.status=OL battery.charge=100`,
		`nas1/ups1 OK desc="UPS ups1" rw=[ups.delay.shutdown] cmds=[load.off] ups.status=FSD OB DISCHRG battery.charge=80`,
	}, vars...)
	d, _ := r.store.Get("pdu1")
	d.MarkStale()
	waitView(t, f, []string{
		"nas1 alive=true addr=nas1:3493",
		`nas1/pdu1 DATA-STALE desc="UPS pdu1" rw=[ups.delay.shutdown] cmds=[load.off] ups.status=OL battery.charge=100`,
		`nas1/ups1 OK desc="UPS ups1" rw=[ups.delay.shutdown] cmds=[load.off] ups.status=FSD OB DISCHRG battery.charge=80`,
	}, vars...)
	waitEvents(t, &ev,
		`nas1/ups1 status: ups.status "OL" → "OB DISCHRG"`,
		`nas1/pdu1 device: device appeared`,
		`nas1/ups2 device: device gone`,
		`nas1/ups1 status: ups.status "OB DISCHRG" → "FSD OB DISCHRG"`,
		`nas1/pdu1 status: no fresh data: DATA-STALE`,
	)
	for _, e := range ev.got {
		if e.Site != "paris" || e.Addr != "nas1:3493" || e.Stream == 0 || e.At.IsZero() {
			t.Errorf("event %+v", e)
		}
	}
}

// TestFollowPlace: the full reads say where each server stands (its
// site, which the subjects' may not be, and its rack), and the follower
// holds it; a server placed nowhere leaves the field out, as an older
// one does.
func TestFollowPlace(t *testing.T) {
	ns := natstest.Server(t)
	servers := []struct {
		site, name string
		place      Place
	}{
		{"paris", "nas1", Place{Site: "paris", Rack: "B12"}},
		{"hq", "nas2", Place{Site: "Lyon 2", Rack: "rack 7"}}, // serve --nats-site hq --site "Lyon 2"
		{"paris", "nas3", Place{Rack: "A1"}},
		{"paris", "nas4", Place{}},
	}
	for _, s := range servers {
		publishAt(t, connect(t, ns.ClientURL()), newRack("ups1"), s.site, s.name, s.place)
	}
	nc := connect(t, ns.ClientURL())
	f, _ := follow(t, nc, "", nil)
	eventually(t, "every server followed", func() bool { return len(f.Servers()) == len(servers) })
	got := map[string]*Server{}
	for _, s := range f.Servers() {
		got[s.Name] = s
	}
	for _, s := range servers {
		g := got[s.name]
		if g == nil || g.Site != s.site || g.Place != s.place {
			t.Errorf("%s: followed as %+v, want site %q place %+v", s.name, g, s.site, s.place)
		}
	}
	// nas4's full read, as an older follower would read it: no place.
	reply, err := nc.Request(Subjects{}.Server("paris", "nas4", KindRead), nil, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(reply.Data), `"place"`) {
		t.Errorf("a server placed nowhere says a place: %s", reply.Data)
	}
}

// TestFollowRestarts: a server that stops is told lost at once; one that
// starts again (a new feed) is read again in full; a follower that
// starts late reads everything; a follower that restarts under its name
// is given only the events it missed, a new name the whole history.
func TestFollowRestarts(t *testing.T) {
	ns := natstest.Server(t)
	r := newRack("ups1")
	stop := publish(t, connect(t, ns.ClientURL()), r, "paris", "nas1")
	var ev1 events
	f1, stop1 := follow(t, connect(t, ns.ClientURL()), "one", &ev1)
	waitView(t, f1, []string{"nas1 alive=true addr=nas1:3493", `nas1/ups1 OK desc="UPS ups1" rw=[ups.delay.shutdown] cmds=[load.off] ups.status=OL`}, "ups.status")
	r.set("ups1", "ups.status", "OB")
	waitEvents(t, &ev1, `nas1/ups1 status: ups.status "OL" → "OB"`)
	stop1()

	stop()
	r.set("ups1", "ups.status", "OL") // while no one publishes: no event
	r2 := newRack("ups1", "ups9")
	publish(t, connect(t, ns.ClientURL()), r2, "paris", "nas1")
	var ev2, ev3 events
	f2, _ := follow(t, connect(t, ns.ClientURL()), "one", &ev2)
	_, _ = follow(t, connect(t, ns.ClientURL()), "two", &ev3)
	waitView(t, f2, []string{"nas1 alive=true addr=nas1:3493",
		`nas1/ups1 OK desc="UPS ups1" rw=[ups.delay.shutdown] cmds=[load.off] ups.status=OL`,
		`nas1/ups9 OK desc="UPS ups9" rw=[ups.delay.shutdown] cmds=[load.off] ups.status=OL`}, "ups.status")
	r2.set("ups9", "ups.status", "OB LB")
	waitView(t, f2, []string{"nas1 alive=true addr=nas1:3493",
		`nas1/ups1 OK desc="UPS ups1" rw=[ups.delay.shutdown] cmds=[load.off] ups.status=OL`,
		`nas1/ups9 OK desc="UPS ups9" rw=[ups.delay.shutdown] cmds=[load.off] ups.status=OB LB`}, "ups.status")
	waitEvents(t, &ev2, `nas1/ups9 status: ups.status "OL" → "OB LB"`)
	waitEvents(t, &ev3, `nas1/ups1 status: ups.status "OL" → "OB"`, `nas1/ups9 status: ups.status "OL" → "OB LB"`)
	if got := ev2.messages(); slices.Contains(got, `nas1/ups1 status: ups.status "OL" → "OB"`) {
		t.Errorf("the restarted follower was given again what it had: %q", got)
	}
}

// TestFollowStopping: a publisher that stops says so; its server is not
// alive at once.
func TestFollowStopping(t *testing.T) {
	ns := natstest.Server(t)
	r := newRack("ups1")
	stop := publish(t, connect(t, ns.ClientURL()), r, "paris", "nas1")
	f, _ := follow(t, connect(t, ns.ClientURL()), "", nil, time.Hour)
	eventually(t, "server alive", func() bool { s := f.Servers(); return len(s) == 1 && s[0].Alive })
	stop()
	eventually(t, "server stopping", func() bool {
		s := f.Servers()
		return len(s) == 1 && !s[0].Alive && s[0].Err == "the server is stopping"
	})
}

// TestFollowGap: a follower that misses a message reads the server again.
func TestFollowGap(t *testing.T) {
	ns := natstest.Server(t)
	r := newRack("ups1")
	nc := connect(t, ns.ClientURL())
	p := &Publisher{Conn: nc, Server: r.srv, Store: r.store, Site: "s", Name: "n", PingEvery: time.Hour}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go p.Run(ctx)
	f, _ := follow(t, connect(t, ns.ClientURL()), "", nil)
	waitView(t, f, []string{"n alive=true addr=", `n/ups1 OK desc="UPS ups1" rw=[ups.delay.shutdown] cmds=[load.off] battery.charge=100`}, "battery.charge")
	// A number used without its message, as when a publish fails.
	p.msg.Add(1)
	r.set("ups1", "battery.charge", "50")
	waitView(t, f, []string{"n alive=true addr=", `n/ups1 OK desc="UPS ups1" rw=[ups.delay.shutdown] cmds=[load.off] battery.charge=50`}, "battery.charge")
}

// TestNATSOutage: while NATS is down the server serves its NUT clients
// as before; when NATS is back, the follower catches up.
func TestNATSOutage(t *testing.T) {
	opts := natstest.Options(t)
	ns := natstest.Start(t, opts)
	r := newRack("ups1")
	publish(t, connect(t, ns.ClientURL()), r, "paris", "nas1")
	f, _ := follow(t, connect(t, ns.ClientURL()), "", nil, time.Hour)
	waitView(t, f, []string{"nas1 alive=true addr=nas1:3493", `nas1/ups1 OK desc="UPS ups1" rw=[ups.delay.shutdown] cmds=[load.off] battery.charge=100`}, "battery.charge")
	port := natstest.Port(ns)
	ns.Shutdown()
	ns.WaitForShutdown()
	for i := range 2000 { // past what a reconnect buffer holds of one device
		r.set("ups1", "battery.charge", fmt.Sprint(i))
	}
	get := func() string {
		d, _ := r.store.Get("ups1")
		return d.Snapshot().Value("battery.charge")
	}
	if v := get(); v != "1999" {
		t.Fatalf("store: %s", v)
	}
	natstest.Restart(t, opts, port)
	waitView(t, f, []string{"nas1 alive=true addr=nas1:3493", `nas1/ups1 OK desc="UPS ups1" rw=[ups.delay.shutdown] cmds=[load.off] battery.charge=1999`}, "battery.charge")
}

// TestEventAckLost: an event whose acknowledgement never comes (as when
// it reaches a stream whose leader is being elected, which drops it
// without a word) is published again after ackWait, with the same
// message ID for the stream to deduplicate on. The "stream" here is the
// test answering JetStream's API on a server without JetStream: it
// swallows the first copy and acknowledges the second.
func TestEventAckLost(t *testing.T) {
	opts := natstest.Options(t)
	opts.JetStream = false
	ns := natstest.Start(t, opts)
	tc := connect(t, ns.ClientURL())
	name := Subjects{}.StreamName()
	if _, err := tc.Subscribe("$JS.API.STREAM.INFO."+name, func(m *nats.Msg) {
		m.Respond([]byte(`{"type":"io.nats.jetstream.api.v1.stream_info_response","config":{"name":"` + name + `","subjects":["` + Subjects{}.Events("") + `"]},"state":{}}`))
	}); err != nil {
		t.Fatal(err)
	}
	got := make(chan *nats.Msg, 10)
	if _, err := tc.Subscribe(Subjects{}.Events(""), func(m *nats.Msg) {
		got <- m
		if len(got) > 1 {
			m.Respond([]byte(`{"stream":"` + name + `","seq":1}`))
		}
	}); err != nil {
		t.Fatal(err)
	}
	snap, err := tc.SubscribeSync(Subjects{}.Server("paris", "nas1", KindSnapshot))
	if err != nil {
		t.Fatal(err)
	}
	tc.Flush()

	r := newRack("ups1")
	publish(t, connect(t, ns.ClientURL()), r, "paris", "nas1")
	if _, err := snap.NextMsg(20 * time.Second); err != nil { // the publisher knows ups1
		t.Fatalf("no full read: %v", err)
	}
	r.set("ups1", "ups.status", "OB")
	var copies []*nats.Msg
	for len(copies) < 2 {
		select {
		case m := <-got:
			copies = append(copies, m)
		case <-time.After(ackWait + 15*time.Second):
			t.Fatalf("%d copies of the event, want 2", len(copies))
		}
	}
	id := copies[0].Header.Get(nats.MsgIdHdr)
	if id == "" || copies[1].Header.Get(nats.MsgIdHdr) != id {
		t.Errorf("message IDs %q and %q, want the same", id, copies[1].Header.Get(nats.MsgIdHdr))
	}
	if a, b := copies[0].Header.Get(tryHeader), copies[1].Header.Get(tryHeader); a != "1" || b != "2" {
		t.Errorf("tries %q, %q; want 1, 2", a, b)
	}
	if string(copies[0].Data) != string(copies[1].Data) {
		t.Errorf("copies differ:\n%s\n%s", copies[0].Data, copies[1].Data)
	}
}

// TestCluster: a publisher on one node of a three-node cluster, a
// follower on another; the publisher's node is lost, and both carry on
// through the others, the events' history kept by the stream's replicas.
func TestCluster(t *testing.T) {
	nodes, _ := natstest.Cluster(t, 3)
	r := newRack("ups1")
	pub := connect(t, nodes[0].ClientURL())
	publish(t, pub, r, "paris", "nas1")
	var ev events
	f, _ := follow(t, connect(t, nodes[1].ClientURL()), "c", &ev)
	waitView(t, f, []string{"nas1 alive=true addr=nas1:3493", `nas1/ups1 OK desc="UPS ups1" rw=[ups.delay.shutdown] cmds=[load.off] ups.status=OL`}, "ups.status")
	r.set("ups1", "ups.status", "OB")
	waitEvents(t, &ev, `nas1/ups1 status: ups.status "OL" → "OB"`)
	eventually(t, "the publisher knows the other nodes", func() bool { return len(pub.Servers()) == 3 })

	nodes[0].Shutdown()
	nodes[0].WaitForShutdown()
	r.set("ups1", "ups.status", "OB LB")
	waitView(t, f, []string{"nas1 alive=true addr=nas1:3493", `nas1/ups1 OK desc="UPS ups1" rw=[ups.delay.shutdown] cmds=[load.off] ups.status=OB LB`}, "ups.status")
	waitEvents(t, &ev, `nas1/ups1 status: ups.status "OL" → "OB"`, `nas1/ups1 status: ups.status "OB" → "OB LB"`)
	if u := pub.ConnectedUrl(); strings.Contains(u, nodes[0].ClientURL()[len("nats://"):]) {
		t.Errorf("publisher still on %s", u)
	}
	// A second follower, on the third node, gets the whole history.
	var ev2 events
	follow(t, connect(t, nodes[2].ClientURL()), "c2", &ev2)
	waitEvents(t, &ev2, `nas1/ups1 status: ups.status "OL" → "OB"`, `nas1/ups1 status: ups.status "OB" → "OB LB"`)
}

// TestLeafNode: a site's servers publish to its leaf node (no JetStream
// of its own), connected to the company's hub where the stream is; a
// console follows from the hub.
func TestLeafNode(t *testing.T) {
	hubOpts := natstest.Options(t)
	hubOpts.LeafNode.Host, hubOpts.LeafNode.Port = "127.0.0.1", -1
	hubOpts.JetStreamDomain = "hub"
	hub := natstest.Start(t, hubOpts)
	leafOpts := natstest.Options(t)
	leafOpts.JetStream = false
	leafOpts.LeafNode.Remotes = []*natsserver.RemoteLeafOpts{{URLs: []*neturl.URL{{Scheme: "nats-leaf", Host: fmt.Sprintf("127.0.0.1:%d", hubOpts.LeafNode.Port)}}}}
	leaf := natstest.Start(t, leafOpts)
	eventually(t, "the leaf node connected", func() bool { return leaf.NumLeafNodes() == 1 && hub.NumLeafNodes() == 1 })

	r := newRack("ups1")
	p := &Publisher{Conn: connect(t, leaf.ClientURL()), Server: r.srv, Store: r.store, Site: "lyon", Name: "nas7", Addr: "nas7:3493", Domain: "hub"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go p.Run(ctx)
	var ev events
	f := &Follower{Conn: connect(t, hub.ClientURL()), Durable: "hq", Domain: "hub", OnEvents: ev.add}
	go f.Run(ctx)
	waitView(t, f, []string{"nas7 alive=true addr=nas7:3493", `nas7/ups1 OK desc="UPS ups1" rw=[ups.delay.shutdown] cmds=[load.off] ups.status=OL`}, "ups.status")
	r.set("ups1", "ups.status", "OB")
	waitEvents(t, &ev, `nas7/ups1 status: ups.status "OL" → "OB"`)
}
