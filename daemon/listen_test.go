package daemon

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"

	"github.com/powerchain/powerchain/conf"
)

// TestListenAsNUT: LISTEN lines are bound from the last; one that cannot
// be bound is logged and skipped unless it is the last line. (The whole
// table, with names, IPv6 and NUT side by side, is in cmd/powerchain.)
func TestListenAsNUT(t *testing.T) {
	busy, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	taken := busy.Addr().(*net.TCPAddr).Port
	free := func() int {
		l, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		return l.Addr().(*net.TCPAddr).Port
	}
	at := func(port int) conf.Listener { return conf.Listener{Addr: "127.0.0.1", Port: port} }
	p := free()
	for _, tt := range []struct {
		name   string
		lines  []conf.Listener
		bound  int
		refuse string // in the error
		warn   string // in the log
	}{
		{"the same address twice", []conf.Listener{at(p), at(p)}, 1, "", "not listening on 127.0.0.1 port"},
		{"a taken address first", []conf.Listener{at(taken), at(p)}, 1, "", "not listening on 127.0.0.1 port"},
		{"a taken address last", []conf.Listener{at(p), at(taken)}, 0, "the last LISTEN line", ""},
		{"a service no one has", []conf.Listener{{Addr: "127.0.0.1", Service: "no-such-service"}}, 0, "no-such-service", ""},
	} {
		var log bytes.Buffer
		lns, err := listen(context.Background(), tt.lines, slog.New(slog.NewTextHandler(&log, nil)))
		for _, ln := range lns {
			ln.Close()
		}
		switch {
		case tt.refuse != "":
			if err == nil || !strings.Contains(err.Error(), tt.refuse) {
				t.Errorf("%s: error %v, want one about %q", tt.name, err, tt.refuse)
			}
		case err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case len(lns) != tt.bound:
			t.Errorf("%s: %d listeners, want %d", tt.name, len(lns), tt.bound)
		}
		if !strings.Contains(log.String(), tt.warn) || (tt.warn != "" && !strings.Contains(log.String(), "level=WARN")) {
			t.Errorf("%s: log lacks a warning %q:\n%s", tt.name, tt.warn, log.String())
		}
	}
}
