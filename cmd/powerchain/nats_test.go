package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nkeys"

	"github.com/powerchain/powerchain/console"
	"github.com/powerchain/powerchain/demo"
	"github.com/powerchain/powerchain/internal/clienttest"
	"github.com/powerchain/powerchain/internal/natstest"
	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/internal/testlog"
	"github.com/powerchain/powerchain/internal/waittest"
	"github.com/powerchain/powerchain/natsbus"
)

// proc is a powerchain command running for a test.
type proc struct {
	cmd    *exec.Cmd
	out    testlog.Buffer
	lines  chan string // what it prints on standard output
	exited chan struct{}
}

// runProc starts powerchain with args; stopped at the end of the test.
func runProc(t *testing.T, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(filepath.Join(binary(t), "powerchain"), args...), exited: make(chan struct{})}
	p.cmd.Stderr = &p.out
	stdout, _ := p.cmd.StdoutPipe()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default:
			}
		}
		p.cmd.Wait()
		close(p.exited)
	}()
	p.lines = lines
	t.Cleanup(p.stop)
	return p
}

func (p *proc) stop() { terminate(p.cmd, p.exited, 10*time.Second) }

// terminate ends cmd with SIGTERM, or SIGKILL when it has not exited
// (exited closed) after grace.
func terminate(cmd *exec.Cmd, exited <-chan struct{}, grace time.Duration) {
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(grace):
		cmd.Process.Kill()
		<-exited
	}
}

// TestServeConsoleNATS runs serve --nats and console --nats as a site
// runs them, through TLS with client certificates and an NKey: the
// console shows the server's devices and its events, a restarted
// console the events it missed, and a server that stops is told at once.
func TestServeConsoleNATS(t *testing.T) {
	dir := t.TempDir()
	certs := natstest.TLS(t, dir)
	user, _ := nkeys.CreateUser()
	pub, _ := user.PublicKey()
	seed, _ := user.Seed()
	seedFile := filepath.Join(dir, "user.nk")
	os.WriteFile(seedFile, seed, 0o600)
	opts := natstest.Options(t)
	opts.TLSConfig, opts.TLS, opts.TLSVerify, opts.TLSTimeout = certs.ServerTLS(), true, true, 5
	opts.Nkeys = []*server.NkeyUser{{Nkey: pub}}
	ns := natstest.Start(t, opts)
	natsURL := fmt.Sprintf("tls://127.0.0.1:%d", natstest.Port(ns))
	auth := []string{"--nats", natsURL, "--nats-ca", certs.CA, "--nats-cert", certs.ClientCert, "--nats-key", certs.ClientKey, "--nats-nkey", seedFile}

	conf := filepath.Join(dir, "conf")
	if err := demo.WriteSteadyTo(conf, demo.OnLine); err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", nuttest.FreePort(t))
	serve := runProc(t, append([]string{"serve", "-c", conf, "--announce", "no", "--listen", addr, "--nats-site", "paris", "--nats-name", "rack1"}, auth...)...)
	// What is told to consoles is where NUT clients reach the server.
	want := "rack1:" + strings.Split(addr, ":")[1]

	db := filepath.Join(dir, "console.sqlite")
	startConsole := func() (*proc, string) {
		c := runProc(t, append([]string{"console", "--listen", "127.0.0.1:0", "--db", db, "-c", conf}, auth...)...)
		select {
		case line := <-c.lines:
			return c, strings.TrimPrefix(line, "powerchain console on ")
		case <-c.exited:
			t.Fatalf("console exited: %s", c.out.String())
		case <-time.After(20 * time.Second):
			t.Fatal("console not listening in 20 s")
		}
		return nil, ""
	}
	con, url := startConsole()
	get := func(path string, v any) {
		r, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%s: %v: %s", path, err, b)
		}
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		if !waittest.Until(30*time.Second, 100*time.Millisecond, cond) {
			t.Fatalf("not within 30 s: %s\nserve: %s\nconsole: %s", what, serve.out.String(), con.out.String())
		}
	}
	waitFor("the rack's devices in the console", func() bool {
		var devs []console.Device
		get("/api/devices", &devs)
		return len(devs) == 10 && devs[0].Source == want
	})
	set := func(ups, status string) {
		clienttest.Set(t, addr, "admin", "demo-admin", ups, "ups.status", status)
	}
	hasEvent := func(msg string) bool {
		var evs []console.Event
		get("/api/events", &evs)
		for _, e := range evs {
			if e.Source == want && e.Message == msg {
				return true
			}
		}
		return false
	}
	set("ups2", "OB DISCHRG")
	waitFor("ups2's event", func() bool { return hasEvent(`ups.status "OL" → "OB DISCHRG"`) })

	con.stop()
	set("ups1", "OB LB")
	con, url = startConsole()
	waitFor("the event missed while the console was stopped", func() bool { return hasEvent(`ups.status "OL" → "OB LB"`) })

	serve.stop()
	waitFor("the server told stopping", func() bool {
		var srcs []console.Source
		get("/api/sources", &srcs)
		return len(srcs) == 1 && !srcs[0].OK && srcs[0].Err == "the server is stopping"
	})
}

// TestNATSFlags: NATS options without --nats, or credentials that cannot
// be read, stop serve and console at once with a clear line.
func TestNATSFlags(t *testing.T) {
	bin := filepath.Join(binary(t), "powerchain")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--nats-site", "paris"}, "--nats-site without --nats"},
		{[]string{"console", "--nats-creds", "x.creds"}, "--nats-creds without --nats"},
		{[]string{"serve", "--nats", "nats://127.0.0.1:9", "--nats-nkey", "/no/such/seed"}, "nats nkey /no/such/seed"},
		{[]string{"console", "--nats", "nats://127.0.0.1:9", "--nats-creds", "/no/such.creds", "--db", filepath.Join(t.TempDir(), "c.sqlite")}, "nats credentials"},
		{[]string{"serve", "--nats", "nats://127.0.0.1:9", "--nats-cert", "/no/cert"}, "needs both the certificate and its key"},
		{[]string{"serve", "--site", "*", "--listen", "127.0.0.1:0"}, `site: "*" stands for every site`},
		{[]string{"serve", "--nats-stream-max-age", "48h"}, "--nats-stream-max-age without --nats"},
		{[]string{"serve", "--nats-snapshot-every", "1m"}, "--nats-snapshot-every without --nats"},
		{[]string{"serve", "--nats", "nats://127.0.0.1:9", "--nats-stream-replicas", "7"}, "--nats-stream-replicas 7: want 1 to 5"},
		{[]string{"serve", "--nats", "nats://127.0.0.1:9", "--nats-stream-max-bytes", "0"}, "--nats-stream-max-bytes 0: want a size above zero"},
		{[]string{"serve", "--nats", "nats://127.0.0.1:9", "--nats-stream-max-bytes", "12 parsecs"}, `"12 parsecs" is not a size`},
		{[]string{"serve", "--nats", "nats://127.0.0.1:9", "--nats-snapshot-every", "-1s"}, "--nats-snapshot-every -1s: want a duration above zero"},
	} {
		out, err := exec.Command(bin, tc.args...).CombinedOutput()
		if err == nil || !strings.Contains(string(out), tc.want) || strings.Count(strings.TrimSpace(string(out)), "\n") > 0 {
			t.Errorf("%v: %v\n%s", tc.args, err, out)
		}
	}
}

// TestServeNATSStreamAndSite: serve creates the events' stream with the
// limits its flags give, publishes a full read every --nats-snapshot-every,
// and publishes under upsd.conf's POWERCHAIN_SITE when --nats-site is
// not given, its full reads saying the site and POWERCHAIN_RACK.
func TestServeNATSStreamAndSite(t *testing.T) {
	ns := natstest.Server(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "conf")
	if err := demo.WriteSteadyTo(conf, demo.OnLine); err != nil {
		t.Fatal(err)
	}
	upsd := filepath.Join(conf, "upsd.conf")
	b, err := os.ReadFile(upsd)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(upsd, append(b, "POWERCHAIN_SITE \"Lyon 2\"\nPOWERCHAIN_RACK B12\n"...), 0o640); err != nil {
		t.Fatal(err)
	}
	nc, err := nats.Connect(ns.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	snapshots := make(chan *nats.Msg, 64)
	if _, err := nc.ChanSubscribe("powerchain."+natsbus.Token("Lyon 2")+".rack1.snapshot", snapshots); err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", nuttest.FreePort(t))
	serve := runProc(t, "serve", "-c", conf, "--announce", "no", "--listen", addr, "--nats", ns.ClientURL(), "--nats-name", "rack1",
		"--nats-stream-max-age", "48h", "--nats-stream-max-bytes", "64M", "--nats-stream-max-per-device", "500",
		"--nats-stream-replicas", "1", "--nats-snapshot-every", "1s")
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	var info *jetstream.StreamInfo
	if !waittest.Until(30*time.Second, 100*time.Millisecond, func() bool {
		s, err := js.Stream(t.Context(), natsbus.Subjects{}.StreamName())
		if err == nil {
			info = s.CachedInfo()
		}
		return err == nil
	}) {
		t.Fatalf("no events' stream within 30 s\nserve: %s", serve.out.String())
	}
	c := info.Config
	if c.MaxAge != 48*time.Hour || c.MaxBytes != 64<<20 || c.MaxMsgsPerSubject != 500 || c.Replicas != 1 {
		t.Errorf("stream limits: max age %v, max bytes %d, per device %d, replicas %d; want 48h, 64 MiB, 500, 1",
			c.MaxAge, c.MaxBytes, c.MaxMsgsPerSubject, c.Replicas)
	}
	// A full read at start, and more every second: three seen.
	for i := range 3 {
		select {
		case m := <-snapshots:
			var r natsbus.Snapshot
			if err := json.Unmarshal(m.Data, &r); err != nil || r.Site != "Lyon 2" || r.Place != (natsbus.Place{Site: "Lyon 2", Rack: "B12"}) || len(r.Devices) == 0 {
				t.Fatalf("snapshot %d: %v %s", i, err, m.Data)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("%d full reads under site \"Lyon 2\" within 30 s\nserve: %s", i, serve.out.String())
		}
	}
}
