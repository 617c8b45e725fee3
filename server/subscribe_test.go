package server

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/internal/clienttest"
	"github.com/powerchain/powerchain/nut"
)

// dialClient connects a client to addr for the rest of the test; ctx
// bounds its requests to 10 s.
func dialClient(t *testing.T, addr string) (ctx context.Context, c *client.Client) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx, clienttest.Dial(ctx, t, addr)
}

// subscribeTo subscribes a client of addr (over TLS when tlsCfg is set).
func subscribeTo(t *testing.T, addr string, tlsCfg *tls.Config, since nut.Position, ups ...string) *client.Subscription {
	t.Helper()
	ctx, c := dialClient(t, addr)
	if tlsCfg != nil {
		if err := c.StartTLS(ctx, tlsCfg); err != nil {
			t.Fatal(err)
		}
	}
	sub, err := c.Subscribe(ctx, since, ups...)
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// next reads the next change, failing the test after 10 s.
func next(t *testing.T, sub *client.Subscription) nut.Change {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := sub.Next(ctx)
	if err != nil {
		t.Fatalf("next change: %v", err)
	}
	return c
}

// line is a change as a test writes it: its line without the sequence
// number.
func line(c nut.Change) string {
	c.Seq = 0
	s := string(nut.AppendChange(nil, c))
	kind, rest, _ := strings.Cut(strings.TrimSuffix(s, "\n"), " 0")
	return kind + rest
}

// expect reads changes and compares them, in order, with want; the
// sequence numbers grow from one line to the next (a STATE line has the
// number of the change that made it, which may have no line of its own,
// or of the last).
func expect(t *testing.T, sub *client.Subscription, want ...string) {
	t.Helper()
	for _, w := range want {
		last := sub.Pos().Seq
		c := next(t, sub)
		if got := line(c); got != w {
			t.Fatalf("change %q, want %q", got, w)
		}
		if c.Kind == nut.ChangeState && c.Seq < last || c.Kind != nut.ChangeState && c.Seq <= last {
			t.Fatalf("%q: sequence number %d after %d", line(c), c.Seq, last)
		}
	}
}

// TestSubscribe: a subscriber hears every change of the devices it
// follows, in order and numbered without gaps, as GET would serve them:
// variables set and deleted, FSD in ups.status, the data going stale (by
// the driver's word or by MAXAGE) and fresh, the driver going away,
// types changing; a subscriber of every device also hears devices come
// and go. Without a login, as GET.
func TestSubscribe(t *testing.T) { bothPaths(t, subscribe) }

func subscribe(t *testing.T) {
	srv, ups1, _, addr := testServer(t)
	one := subscribeTo(t, addr, nil, nut.Position{}, "ups1")
	all := subscribeTo(t, addr, nil, nut.Position{})
	if start, how := one.Start(); how != nut.StartNow || start.Feed != srv.store.Feed().ID() || start.Seq != srv.store.Feed().Last() {
		t.Errorf("start %v %s, want the feed's last position and NOW", start, how)
	}
	expect(t, one, "STATE ups1 OK")
	expect(t, all, "STATE ups1 OK", "STATE stale1 DATA-STALE", "STATE gone1 DRIVER-NOT-CONNECTED")

	admin := dialRaw(t, addr)
	admin.ask("USERNAME admin", 1)
	admin.ask("PASSWORD adminpw", 1)
	// Each step's lines, for both subscribers; a step's changes may be
	// read in one batch, so a state that comes and goes within a step
	// may not be told.
	for _, step := range []struct {
		name   string
		change func()
		lines  []string
	}{
		{"one batch", func() {
			ups1.Update(func(tx *device.Tx) {
				tx.Set("ups.status", "OB")
				tx.Set("battery.charge", "80")
				tx.Set("ups.status", "OB LB") // the last value of the batch
				tx.Delete("ups.id")
			})
		}, []string{`VAR ups1 ups.status "OB LB"`, `VAR ups1 battery.charge "80"`, "DELVAR ups1 ups.id"}},
		{"FSD", func() {
			if got := admin.ask("FSD ups1", 1); got != "OK FSD-SET\n" {
				t.Fatalf("FSD: %q", got)
			}
		}, []string{`VAR ups1 ups.status "FSD OB LB"`}},
		{"status with FSD", func() { ups1.Update(func(tx *device.Tx) { tx.Set("ups.status", "OB") }) }, []string{`VAR ups1 ups.status "FSD OB"`}},
		{"a command", func() { ups1.Update(func(tx *device.Tx) { tx.AddCmd("beeper.off") }) }, []string{"META ups1"}},
		{"stale", ups1.MarkStale, []string{"STATE ups1 DATA-STALE"}},
		{"fresh", func() { ups1.DataOK(time.Now()) }, []string{"STATE ups1 OK"}},
		{"driver gone", func() { ups1.SetConnected(false) }, []string{"STATE ups1 DRIVER-NOT-CONNECTED"}},
		{"driver back", func() { ups1.SetConnected(true) }, []string{"STATE ups1 OK"}},
	} {
		step.change()
		expect(t, one, step.lines...)
		expect(t, all, step.lines...)
	}

	// Devices come and go: only a subscriber of every device hears of
	// one it did not name.
	ups2 := device.New("ups2", "")
	ups2.Update(func(tx *device.Tx) { tx.Set("ups.status", "OL") })
	srv.store.Add(ups2)
	expect(t, all, "ADD ups2", `VAR ups2 ups.status "OL"`, "STATE ups2 DRIVER-NOT-CONNECTED")
	ups2.DataOK(time.Now().Add(time.Hour))
	expect(t, all, "STATE ups2 OK")
	srv.store.Remove("ups2")
	expect(t, all, "REMOVE ups2")

	// MAXAGE: data no driver refreshes turns stale by its age alone (a
	// reload's MAXAGE applies at once), and fresh when the driver is back.
	cfg := *srv.cfg.Load()
	cfg.MaxAge = 50 * time.Millisecond
	srv.Reload(&cfg)
	expect(t, one, "STATE ups1 DATA-STALE")
	ups1.DataOK(time.Now().Add(time.Hour))
	expect(t, one, "STATE ups1 OK")

	srv.store.Remove("ups1")
	expect(t, one, "REMOVE ups1")
}

// TestSubscribeRefusals: SUBSCRIBE answers what GET answers for a device
// it does not have, needs a position, and is not for NUT's clients: HELP
// lists it, NETVER and VER are NUT's.
func TestSubscribeRefusals(t *testing.T) { bothPaths(t, subscribeRefusals) }

func subscribeRefusals(t *testing.T) {
	_, _, _, addr := testServer(t)
	c := dialRaw(t, addr)
	c.expect("anonymous", []exchange{
		{"SUBSCRIBE", "ERR INVALID-ARGUMENT\n"},
		{"SUBSCRIBE ups1", "ERR INVALID-ARGUMENT\n"},
		{"SUBSCRIBE feed:x ups1", "ERR INVALID-ARGUMENT\n"},
		{"SUBSCRIBE NOW nope", "ERR UNKNOWN-UPS\n"},
		{"SUBSCRIBE NOW ups1 nope", "ERR UNKNOWN-UPS\n"},
		{"GET VAR nope ups.status", "ERR UNKNOWN-UPS\n"},
		{"NETVER", "1.3\n"},
		{"VER", nut.ServerVersion + "\n"},
	})
	ctx, cl := dialClient(t, addr)
	if ok, err := cl.Offers(ctx, nut.Subscribe); !ok || err != nil {
		t.Errorf("HELP does not offer %s: %v", nut.Subscribe, err)
	}
	// A session with a wrong password subscribes as it GETs: NUT's reads
	// need no login.
	cl.Authenticate(ctx, "admin", "wrong")
	if _, err := cl.Get(ctx, "ups1", "ups.status"); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Subscribe(ctx, nut.Position{}, "ups1"); err != nil {
		t.Errorf("SUBSCRIBE after a wrong password: %v", err)
	}
	if _, err := cl.Get(ctx, "ups1", "ups.status"); !errors.Is(err, client.ErrSubscribed) {
		t.Errorf("a request on a subscribed connection: %v", err)
	}
}

// TestSubscribeTLS: a subscription after STARTTLS.
func TestSubscribeTLS(t *testing.T) { bothPaths(t, subscribeTLS) }

func subscribeTLS(t *testing.T) {
	srv, ups1, _, addr := testServer(t)
	withTLS(t, srv)
	sub := subscribeTo(t, addr, &tls.Config{InsecureSkipVerify: true}, nut.Position{}, "ups1")
	expect(t, sub, "STATE ups1 OK")
	ups1.Update(func(tx *device.Tx) { tx.Set("ups.status", "OB") })
	expect(t, sub, `VAR ups1 ups.status "OB"`)
}

// TestSubscribeResume: a subscriber that lost its connection gives its
// last position: it gets what it missed when the server still holds it,
// and is told to read everything again when not (too much happened, or
// the server restarted), which a full read then does.
func TestSubscribeResume(t *testing.T) { bothPaths(t, subscribeResume) }

func subscribeResume(t *testing.T) {
	srv, addr := smallFeedServer(t, 64)
	ups1, _ := srv.store.Get("ups1")
	sub := subscribeTo(t, addr, nil, nut.Position{}, "ups1")
	expect(t, sub, "STATE ups1 OK")
	ups1.Update(func(tx *device.Tx) { tx.Set("battery.charge", "99") })
	expect(t, sub, `VAR ups1 battery.charge "99"`)
	pos := sub.Pos()
	sub.Close()

	// A few changes while away: replayed.
	for i := 98; i >= 90; i-- {
		ups1.Update(func(tx *device.Tx) { tx.Set("battery.charge", fmt.Sprint(i)) })
	}
	sub = subscribeTo(t, addr, nil, pos, "ups1")
	if start, how := sub.Start(); how != nut.StartResumed || start != pos || !sub.Resumed() {
		t.Fatalf("resuming after %v: %v %s", pos, start, how)
	}
	for i := 98; i >= 90; i-- {
		expect(t, sub, fmt.Sprintf(`VAR ups1 battery.charge "%d"`, i))
	}
	expect(t, sub, "STATE ups1 OK")
	pos = sub.Pos()
	sub.Close()

	// More changes than the server holds: a gap, so a full read.
	for i := 0; i < 100; i++ {
		ups1.Update(func(tx *device.Tx) { tx.Set("battery.charge", fmt.Sprint(i)) })
	}
	sub = subscribeTo(t, addr, nil, pos, "ups1")
	if start, how := sub.Start(); how != nut.StartResync || sub.Resumed() || start.Seq != srv.store.Feed().Last() {
		t.Fatalf("resuming after a gap: %v %s", start, how)
	}
	ctx, reader := dialClient(t, addr)
	if v, err := reader.Get(ctx, "ups1", "battery.charge"); v != "99" || err != nil {
		t.Errorf("full read: battery.charge %q %v, want the last value", v, err)
	}
	expect(t, sub, "STATE ups1 OK")
	ups1.Update(func(tx *device.Tx) { tx.Set("battery.charge", "100") })
	expect(t, sub, `VAR ups1 battery.charge "100"`)
	sub.Close()

	// Another server's (or a restarted one's) position.
	sub = subscribeTo(t, addr, nil, nut.Position{Feed: "0123456789abcdef", Seq: pos.Seq}, "ups1")
	if _, how := sub.Start(); how != nut.StartResync {
		t.Errorf("resuming on another feed: %s", how)
	}
}

// smallFeedServer serves ups1 (fresh) from a store whose feed holds size
// events.
func smallFeedServer(t *testing.T, size int) (*Server, string) {
	t.Helper()
	store := device.NewStoreSize(size)
	ups1 := device.New("ups1", "")
	ups1.Update(func(tx *device.Tx) { tx.Set("ups.status", "OL") })
	ups1.DataOK(time.Now().Add(time.Hour))
	store.Add(ups1)
	srv := New(store, &Config{Sessions: testPath, Descriptions: &Descriptions{}})
	return srv, serveTest(t, srv)
}

// TestSlowSubscriberDropped: a subscriber that stops reading while
// changes pour in is dropped with the reason once it reads again, while
// another subscriber keeps getting every change, in order; publishing
// never waits for either.
func TestSlowSubscriberDropped(t *testing.T) { bothPaths(t, slowSubscriberDropped) }

func slowSubscriberDropped(t *testing.T) {
	const feed = 256
	srv, addr := smallFeedServer(t, feed)
	ups1, _ := srv.store.Get("ups1")

	// The slow one: a small receive window.
	d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		c.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		return nil
	}}
	slow, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	fmt.Fprintf(slow, "SUBSCRIBE NOW ups1\n")
	slowR := bufio.NewReader(slow)
	slow.SetReadDeadline(time.Now().Add(10 * time.Second))
	if l, err := slowR.ReadString('\n'); err != nil || !strings.HasPrefix(l, "OK SUBSCRIBE ") {
		t.Fatalf("slow subscriber: %q %v", l, err)
	}
	good := subscribeTo(t, addr, nil, nut.Position{}, "ups1")
	expect(t, good, "STATE ups1 OK")

	// 16 MiB of changes, more than the sockets and the feed hold, a step
	// at a time: the good subscriber reads each step before the next, the
	// slow one a few changes of each.
	value := strings.Repeat("x", 4096)
	const steps, per, slowPer = 64, 64, 16
	vars, last := 0, ""
	readSlow := func() string {
		slow.SetReadDeadline(time.Now().Add(10 * time.Second))
		l, err := slowR.ReadString('\n')
		if err != nil {
			t.Fatalf("slow subscriber after %d changes: %v (last line %.60q)", vars, err, last)
		}
		last = l
		if strings.HasPrefix(l, nut.ChangeVar+" ") {
			vars++
		}
		return l
	}
	dropped := func() bool { return strings.HasPrefix(last, nut.ChangeDropped) }
	for step, after := 0, 0; step < steps && after < 2; step++ {
		if dropped() {
			after++ // the good one goes on being served
		}
		for i := 0; i < per; i++ {
			ups1.Update(func(tx *device.Tx) { tx.Set("ups.id", fmt.Sprintf("%d-%d-%s", step, i, value)) })
		}
		for i := 0; i < per; i++ {
			c := next(t, good)
			if want := fmt.Sprintf("%d-%d-", step, i); c.Kind != nut.ChangeVar || !strings.HasPrefix(c.Value, want) {
				t.Fatalf("good subscriber: %s %s %.20q, want the value %s…", c.Kind, c.Name, c.Value, want)
			}
		}
		for i := 0; i < slowPer && !dropped(); i++ {
			readSlow()
		}
	}

	// The slow one reads the rest: what it had, then why it was dropped.
	for {
		l := last
		if !dropped() {
			l = readSlow()
		}
		if strings.HasPrefix(l, nut.ChangeVar+" ") || strings.HasPrefix(l, nut.ChangeState+" ") {
			continue
		}
		c, err := nut.ParseChange(strings.TrimSuffix(l, "\n"))
		if err != nil || c.Kind != nut.ChangeDropped || c.Name != nut.DropTooSlow {
			t.Fatalf("slow subscriber: %q, want DROPPED %s", l, nut.DropTooSlow)
		}
		last = ""
		break
	}
	if vars >= steps*per {
		t.Errorf("the slow subscriber got all %d changes: it was not slow", vars)
	}
	if _, err := slowR.ReadString('\n'); err == nil {
		t.Error("the connection stays open after DROPPED")
	}
	// The good one is still served.
	ups1.Update(func(tx *device.Tx) { tx.Set("ups.status", "OB") })
	expect(t, good, `VAR ups1 ups.status "OB"`)
}
