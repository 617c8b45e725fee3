package record

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/demo"
	"github.com/powerchain/powerchain/driver/dummy"
	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/internal/servetest"
	"github.com/powerchain/powerchain/nut"
)

// outage is the demo's outage (demo/rack/ups1.seq) ten times faster:
// every TIMER a tenth of the demo's, 2 s at least, so that each state
// outlasts the drivers' one-second polls; the first minute is 12 s,
// because Debian's upsd shows a driver it has just connected to as WAIT
// for about 2 s, and the replays start with the first state too.
func outage(t *testing.T) (seq []byte, total time.Duration) {
	src, err := fs.ReadFile(demo.Files(), "ups1.seq")
	if err != nil {
		t.Fatal(err)
	}
	timer := regexp.MustCompile(`(?m)^TIMER (\d+)$`)
	out := timer.ReplaceAllFunc(src, func(m []byte) []byte {
		n, _ := strconv.Atoi(string(m[6:]))
		if total == 0 {
			n *= 2
		}
		n = max(2, n/10)
		total += time.Duration(n) * time.Second
		return []byte(fmt.Sprintf("TIMER %d", n))
	})
	return out, total
}

// ups1Conf is a ups.conf playing file once, polled every second.
func ups1Conf(file string) string {
	return fmt.Sprintf("[ups1]\n\tdriver = dummy-ups\n\tport = %s\n\tmode = dummy-once\n\tpollinterval = 1\n", file)
}

// servePowerchain serves ups.conf's devices with powerchain's server on
// loopback until the test ends, and returns its address.
func servePowerchain(t *testing.T, dir string) string {
	t.Helper()
	return servetest.Serve(t, daemon.Options{ConfDir: dir, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).String()
}

// serveNUT serves the file with Debian's dummy-ups and upsd, and returns
// the address.
func serveNUT(t *testing.T, seq []byte) string {
	t.Helper()
	env := nuttest.NewEnv(t)
	port := nuttest.FreePort(t)
	env.WriteFile("ups1.seq", string(seq), 0o644)
	env.WriteFile("ups.conf", ups1Conf("ups1.seq"), 0o644)
	env.WriteUpsd(port, "")
	env.StartDriver("ups1")
	// upsd tries a driver that is not there yet again only seconds later:
	// start it once the driver's socket is there, before the first step
	// of the file is over.
	sock := filepath.Join(env.StateDir, "dummy-ups-ups1")
	for i := 0; ; i++ {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		if i == 100 {
			t.Fatalf("%s: no socket after 10 s", sock)
		}
		time.Sleep(100 * time.Millisecond)
	}
	env.StartUpsd()
	env.WaitVar("ups1", port, "battery.charge")
	return fmt.Sprintf("127.0.0.1:%d", port)
}

// sample is what a client sees of the device at one moment: every
// variable but driver.* (each implementation has its own), one a line.
type sample struct {
	at    time.Duration
	state string
}

// watch reads ups1 on a server every 250 ms until ctx ends, as upsc -l
// would show it.
func watch(ctx context.Context, t *testing.T, addr string) []sample {
	c, err := client.Dial(ctx, addr)
	if err != nil {
		t.Error(err)
		return nil
	}
	defer c.Close()
	var out []sample
	start := time.Now()
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		vars, err := c.Vars(ctx, "ups1")
		if err == nil && !slices.Contains(vars, client.Var{Name: "ups.status", Value: "WAIT"}) {
			var lines []string
			for _, v := range vars {
				if !strings.HasPrefix(v.Name, "driver.") {
					lines = append(lines, v.Name+": "+v.Value)
				}
			}
			sort.Strings(lines)
			out = append(out, sample{time.Since(start), strings.Join(lines, "\n")})
		}
		select {
		case <-ctx.Done():
			return out
		case <-tick.C:
		}
	}
}

// run is one state and how long it was seen.
type run struct {
	state    string
	from, to time.Duration
	n        int
}

// runs are the states seen one after the other. A state seen by a single
// read between two others (NUT's dummy-ups sends a step's variables one
// by one, and a read may fall between them) is left out.
func runs(samples []sample) []run {
	var rs []run
	add := func(s sample, n int) {
		if len(rs) > 0 && rs[len(rs)-1].state == s.state {
			rs[len(rs)-1].to, rs[len(rs)-1].n = s.at, rs[len(rs)-1].n+n
			return
		}
		rs = append(rs, run{state: s.state, from: s.at, to: s.at, n: n})
	}
	for _, s := range samples {
		add(s, 1)
	}
	var out []run
	for i, r := range rs {
		if r.n == 1 && i > 0 && i < len(rs)-1 {
			continue
		}
		if len(out) > 0 && out[len(out)-1].state == r.state {
			out[len(out)-1].to, out[len(out)-1].n = r.to, out[len(out)-1].n+r.n
			continue
		}
		out = append(out, r)
	}
	return out
}

func describe(rs []run) string {
	var b strings.Builder
	var prev map[string]string
	for i, r := range rs {
		cur := map[string]string{}
		for _, l := range strings.Split(r.state, "\n") {
			k, v, _ := strings.Cut(l, ": ")
			cur[k] = v
		}
		var diff []string
		for k, v := range cur {
			if old, ok := prev[k]; !ok || old != v {
				diff = append(diff, k+"="+v)
			}
		}
		for k := range prev {
			if _, ok := cur[k]; !ok {
				diff = append(diff, k+" gone")
			}
		}
		sort.Strings(diff)
		if i == 0 {
			diff = []string{fmt.Sprintf("%d variables", len(cur))}
		}
		fmt.Fprintf(&b, "  %5.1fs-%5.1fs %s\n", r.from.Seconds(), r.to.Seconds(), strings.Join(diff, " "))
		prev = cur
	}
	return b.String()
}

func sameStates(a, b []run) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].state != b[i].state {
			return false
		}
	}
	return true
}

// TestRoundTrip records the demo's outage (ten times faster) from
// powerchain's server (change notification) and from Debian's upsd and
// dummy-ups (polled every second), plays each recording in Debian's
// dummy-ups and in powerchain's, and compares what a client sees over
// time: the same states, in the same order, as at the source.
func TestRoundTrip(t *testing.T) {
	nuttest.Require(t, nuttest.Upsd, nuttest.DummyUPS, nuttest.Upsc)
	seq, total := outage(t)
	dur := total + 2*time.Second
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ups1.seq"), seq, 0o644)
	os.WriteFile(filepath.Join(dir, "ups.conf"), []byte(ups1Conf("ups1.seq")), 0o644)

	type source struct {
		name string
		addr string
		poll bool
		file []byte
		res  Result
		seen []run
	}
	sources := []*source{{name: "powerchain (change notification)", addr: servePowerchain(t, dir)},
		{name: "NUT's upsd (polled every second)", addr: serveNUT(t, seq), poll: true}}
	var wg sync.WaitGroup
	for _, s := range sources {
		ups, _ := nut.ParseUPSName("ups1@" + s.addr)
		wg.Add(2)
		go func() {
			defer wg.Done()
			var b bytes.Buffer
			var err error
			s.res, err = Record(context.Background(), ups, &b, Options{Interval: time.Second, Duration: dur})
			if err != nil {
				t.Errorf("%s: %v", s.name, err)
			}
			s.file = b.Bytes()
		}()
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), dur)
			defer cancel()
			s.seen = runs(watch(ctx, t, s.addr))
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for _, s := range sources {
		t.Logf("%s: %+v; recorded:\n%s", s.name, s.res, s.file)
		if s.res.Push == s.poll {
			t.Errorf("%s: push %v", s.name, s.res.Push)
		}
		if len(s.seen) < 7 {
			t.Errorf("%s: the source went through %d states, the outage has 7:\n%s", s.name, len(s.seen), describe(s.seen))
		}
	}

	// Each recording played in Debian's dummy-ups and powerchain's, all at
	// once.
	type replay struct {
		src  *source
		name string
		addr string
		seen []run
	}
	// Each is watched a while past the end of the file (a TIMER waits
	// for the driver's next poll, so a replay runs late) and compared up
	// to the source's last state: NUT 2.8.0's dummy-ups then plays a
	// dummy-once file a second time (its first look at the file's time
	// fails for a relative port, so the file looks changed at the end);
	// powerchain's plays it once.
	var replays []*replay
	play := func(r *replay, started time.Time, file []byte) {
		replays = append(replays, r)
		steps, err := dummy.ParseSim(file)
		if err != nil {
			t.Fatal(err)
		}
		var length time.Duration
		for _, st := range steps {
			length += st.Pause
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithDeadline(context.Background(), started.Add(length+length/5+2*time.Second))
			defer cancel()
			r.seen = runs(watch(ctx, t, r.addr))
		}()
	}
	for i, s := range sources {
		started := time.Now()
		play(&replay{src: s, name: fmt.Sprintf("recording %d in NUT's dummy-ups", i+1), addr: serveNUT(t, s.file)}, started, s.file)
		pdir := t.TempDir()
		os.WriteFile(filepath.Join(pdir, "ups1.seq"), s.file, 0o644)
		os.WriteFile(filepath.Join(pdir, "ups.conf"), []byte(ups1Conf("ups1.seq")), 0o644)
		started = time.Now()
		play(&replay{src: s, name: fmt.Sprintf("recording %d in powerchain's dummy-ups", i+1), addr: servePowerchain(t, pdir)}, started, s.file)
	}
	wg.Wait()
	for _, r := range replays {
		if len(r.seen) > len(r.src.seen) {
			t.Logf("%s, after the source's last state:\n%s", r.name, describe(r.seen[len(r.src.seen)-1:]))
			r.seen = r.seen[:len(r.src.seen)]
		}
		if !sameStates(r.seen, r.src.seen) {
			t.Errorf("%s shows\n%sthe source (%s) showed\n%s", r.name, describe(r.seen), r.src.name, describe(r.src.seen))
		} else {
			t.Logf("%s: as the source:\n%s", r.name, describe(r.seen))
		}
	}
}
