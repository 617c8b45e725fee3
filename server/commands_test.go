package server

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// blockingHandler is a driver that waits until released, and notes when
// it is called on the io_uring ring's thread (where waiting would stall
// every session of the process).
type blockingHandler struct {
	release chan struct{}
	onRing  atomic.Bool
}

func (h *blockingHandler) wait(ctx context.Context) error {
	if onRingThread() {
		h.onRing.Store(true)
		return nil // not stalling the other sessions: the check fails the test
	}
	select {
	case <-h.release:
	case <-ctx.Done():
	}
	return nil
}

func (h *blockingHandler) SetVar(ctx context.Context, _, _ string) error  { return h.wait(ctx) }
func (h *blockingHandler) InstCmd(ctx context.Context, _, _ string) error { return h.wait(ctx) }

// commandSamples are, for each command of the table, requests that reach
// the point where its handler may wait (after USERNAME admin and PASSWORD
// adminpw).
var commandSamples = map[string][]string{
	"HELP": {"HELP"}, "VER": {"VER"}, "NETVER": {"NETVER"}, "PROTVER": {"PROTVER"},
	"GET":      {"GET VAR ups1 ups.status", "GET TYPE ups1 ups.id", "GET DESC ups1 ups.id", "GET CMDDESC ups1 load.on", "GET UPSDESC ups1", "GET NUMLOGINS ups1", "GET TRACKING"},
	"LIST":     {"LIST UPS", "LIST VAR ups1", "LIST RW ups1", "LIST CMD ups1", "LIST ENUM ups1 input.transfer.low", "LIST RANGE ups1 ups.delay.shutdown", "LIST CLIENT ups1"},
	"SET":      {"SET VAR ups1 ups.id x", "SET TRACKING ON"},
	"INSTCMD":  {"INSTCMD ups1 load.on", "INSTCMD ups1 load.on 5"},
	"LOGIN":    {"LOGIN ups1"},
	"LOGOUT":   {"LOGOUT"},
	"USERNAME": {"USERNAME again"},
	"PASSWORD": {"PASSWORD again"},
	"STARTTLS": {"STARTTLS"}, // and the client never starts the handshake
	"PRIMARY":  {"PRIMARY ups1"}, "MASTER": {"MASTER ups1"},
	"FSD": {"FSD ups1"},
	// A stream for as long as the client stays: it must not hold the ring.
	"SUBSCRIBE": {"SUBSCRIBE NOW ups1", "SUBSCRIBE NOW"},
}

// TestBlockingCommandsLeaveTheRing runs every command of the table on the
// io_uring path with what it depends on blocking (a driver that waits
// until released, a TLS handshake the client never starts). A handler
// that can block but is not marked so would run on the ring's thread:
// the driver notices that, and a second client of the same ring must
// still be answered while the first one's request waits.
func TestBlockingCommandsLeaveTheRing(t *testing.T) {
	requireRing(t)
	was := testPath
	testPath = RingPath
	defer func() { testPath = was }()
	for _, c := range commands {
		reqs, ok := commandSamples[c.name]
		if !ok {
			t.Errorf("command %s has no sample request in commandSamples", c.name)
			continue
		}
		for _, req := range reqs {
			t.Run(req, func(t *testing.T) { blockingRequest(t, req) })
		}
	}
}

func blockingRequest(t *testing.T, req string) {
	srv, ups1, _, addr := testServer(t)
	h := &blockingHandler{release: make(chan struct{})}
	ups1.SetHandler(h)
	defer close(h.release)
	withTLS(t, srv)

	first := dialRaw(t, addr)
	first.ask("USERNAME admin", 1)
	first.ask("PASSWORD adminpw", 1)
	if _, err := first.conn.Write([]byte(req + "\n")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond) // the request is being answered (or waits)
	second := dialRaw(t, addr)
	if got := second.ask("VER", 1); !strings.HasPrefix(got, "Network UPS Tools") {
		t.Errorf("another client while %q waits: %q", req, got)
	}
	if h.onRing.Load() {
		t.Errorf("%q reached the driver on the ring's thread: its command must be marked mayBlock", req)
	}
}
