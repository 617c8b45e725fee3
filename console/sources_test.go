package console_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/console"
	"github.com/powerchain/powerchain/internal/nuttest"
)

// garbageServer accepts connections and answers every line with garbage.
func garbageServer(t *testing.T) string {
	t.Helper()
	return nuttest.FakeServer(t, func(c net.Conn) {
		go func() {
			defer c.Close()
			r := bufio.NewReader(c)
			for {
				if _, err := r.ReadString('\n'); err != nil {
					return
				}
				fmt.Fprint(c, "\x00\xffWHAT? <b>garbage</b>\n")
			}
		}()
	})
}

// TestMixedAndBadSources: Debian's upsd and powerchain's server are shown
// together; a source that hangs, one that answers garbage and one that is
// gone are shown as such, within the timeout, and the others keep
// updating.
func TestMixedAndBadSources(t *testing.T) {
	nuttest.Require(t, nuttest.Upsd, nuttest.DummyUPS)
	l := rack(t)
	env, port := nuttest.NewDummyEnv(t, "nutups", "ups.status: OL\nbattery.charge: 87\nups.realpower: 300\n", "")
	env.StartNUT("nutups")
	env.WaitVar("nutups", port, "battery.charge")
	debian := fmt.Sprintf("127.0.0.1:%d", port)
	hang, garbage := nuttest.SilentServer(t), garbageServer(t)
	p := &console.Poller{Sources: []string{l.server, debian, hang, garbage, "127.0.0.1:9"}, Timeout: 2 * time.Second}
	start := time.Now()
	snap := p.Refresh(context.Background())
	took := time.Since(start)
	if took > 10*time.Second {
		t.Errorf("a refresh with bad sources took %s", took)
	}
	ok := map[string]bool{}
	for _, s := range snap.Sources {
		ok[s.Addr] = s.OK
		if !s.OK && s.Err == "" {
			t.Errorf("%s failed without a reason", s.Addr)
		}
	}
	if !ok[l.server] || !ok[debian] || ok[hang] || ok[garbage] || ok["127.0.0.1:9"] {
		t.Errorf("source states: %v", ok)
	}
	if d := snap.Device(debian, "nutups"); d == nil || d.Vars["battery.charge"] != "87" {
		t.Errorf("Debian upsd's device: %+v", d)
	}
	if d := snap.Device(l.server, "ups1"); d == nil {
		t.Error("powerchain's devices missing")
	}
	// The overview shows every source, the garbage escaped.
	_, page := l.get(nil, "/")
	if strings.Contains(page, "<b>garbage") {
		t.Error("a source's garbage reply reaches the page unescaped")
	}
}

// TestReadSources: a sources file names servers, with their site and
// rack (names as serve takes them); a bad line is an error with its file
// and line.
func TestReadSources(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good")
	os.WriteFile(good, []byte("# racks\nups-a.example site=paris rack=A1\n10.0.0.5:3494  # second\n\n[::1]:3493 site=\"Paris DC2\"\n"), 0o644)
	got, places, err := console.ReadSources(good)
	if err != nil || !slices.Equal(got, []string{"ups-a.example:3493", "10.0.0.5:3494", "[::1]:3493"}) {
		t.Errorf("ReadSources: %v %v", got, err)
	}
	want := map[string]console.Place{"ups-a.example:3493": {Site: "paris", Rack: "A1"}, "[::1]:3493": {Site: "Paris DC2"}}
	if fmt.Sprint(places) != fmt.Sprint(want) {
		t.Errorf("places %v, want %v", places, want)
	}
	bad := filepath.Join(dir, "bad")
	for _, c := range []struct{ content, err string }{
		{"ok.example\nhost:notaport\n", bad + ":2: "},
		{"ok.example\nb.example site paris\n", bad + ":2: want site=NAME"},
		{"ok.example\n\nb.example floor=2\n", bad + `:3: unknown setting "floor"`},
		{"b.example site=\"unclosed # x\"\n", bad + ":1: "},
		// The names serve takes (conf.CheckPlace), no others.
		{"ok.example\nb.example site=\"*\"\n", bad + `:2: site: "*" stands for every site`},
		{"b.example site=paris rack=\"*\"\n", bad + `:1: rack: "*" stands for every site`},
		{"ok.example site=\"\"\n", bad + ":1: site: the name is empty"},
		{"ok.example site=paris rack=\"\"\n", bad + ":1: rack: the name is empty"},
		{"ok.example rack=" + strings.Repeat("r", 65) + "\n", bad + ":1: rack: \"rrr"},
		{"ok.example site=" + strings.Repeat("s", 65) + "\n", bad + ":1: site: \"sss"},
		// What NUT's tokenizer would drop is an error, not a name changed.
		{"ok.example site=\"a\tb\"\n", bad + ":1: the line holds characters outside ASCII"},
		{"ok.example\nb.example site=Lyon rack=\"R7 – top\"\n", bad + ":2: the line holds characters outside ASCII"},
	} {
		os.WriteFile(bad, []byte(c.content), 0o644)
		if _, _, err := console.ReadSources(bad); err == nil || !strings.HasPrefix(err.Error(), c.err) {
			t.Errorf("%q: %v, want %s…", c.content, err, c.err)
		}
	}
	// A name of 64 bytes, spaces and all, is one; the last line is read
	// without its newline.
	long := strings.Repeat("A ", 32)
	os.WriteFile(good, []byte("ok.example site=\""+long+"\" rack=\"R7 - top\"\nlast.example"), 0o644)
	got, places, err = console.ReadSources(good)
	if err != nil || places["ok.example:3493"] != (console.Place{Site: long, Rack: "R7 - top"}) || !slices.Equal(got, []string{"ok.example:3493", "last.example:3493"}) {
		t.Errorf("ReadSources: %v %v %v", got, places, err)
	}
}
