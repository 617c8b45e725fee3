package dnssd_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/powerchain/powerchain/dnssd"
	"github.com/powerchain/powerchain/internal/netnstest"
)

// The mDNS tests run in two network namespaces the test creates
// (internal/netnstest: 10.77.0.1 in A, 10.77.0.2 in B) — never on the
// machine's real interfaces. Namespace B runs its own D-Bus system bus and
// avahi-daemon; namespace A has neither, so powerchain there uses its
// built-in responder.

type lab struct{ *netnstest.Lab }

func newLab(t *testing.T) *lab { return &lab{netnstest.New(t, netnstest.Options{Avahi: true})} }

// avahiBrowse runs avahi-browse in B for two seconds (with -t it may
// leave before the answers come) and returns what it printed.
func (l *lab) avahiBrowse() string {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	out, _ := l.Command(ctx, l.B, "avahi-browse", "-rp", "_nut._tcp").CombinedOutput()
	return string(out)
}

func (l *lab) confDir(devices ...string) string {
	dir, _ := os.MkdirTemp(l.Tmp, "etc")
	var ups strings.Builder
	for _, d := range devices {
		fmt.Fprintf(&ups, "[%s]\n\tdriver = dummy-ups\n\tport = sim.dev\n", d)
	}
	os.WriteFile(filepath.Join(dir, "ups.conf"), []byte(ups.String()), 0o640)
	os.WriteFile(filepath.Join(dir, "sim.dev"), []byte("device.type: ups\nups.status: OL\n"), 0o644)
	return dir
}

// place writes upsd.conf's site and rack into a configuration directory.
func place(t *testing.T, dir, site, rack string) {
	t.Helper()
	src := fmt.Sprintf("POWERCHAIN_SITE %q\nPOWERCHAIN_RACK %q\n", site, rack)
	if err := os.WriteFile(filepath.Join(dir, "upsd.conf"), []byte(src), 0o640); err != nil {
		t.Fatal(err)
	}
}

// TestBuiltinResponderSeenByAvahi: powerchain in A (no avahi there)
// announces with its own responder; avahi-browse in B resolves it, with
// the TXT record and the site and rack of upsd.conf; a reload that moves
// the server to another rack announces the new record; when powerchain
// stops, the goodbye removes it.
func TestBuiltinResponderSeenByAvahi(t *testing.T) {
	l := newLab(t)
	dir := l.confDir("rack-ups", "rack-pdu")
	place(t, dir, "Paris DC1", "R7")
	srv := l.Start(l.A, l.Bin, "serve", "-c", dir, "--listen", "10.77.0.1:3493")
	var seen string
	l.Eventually(20*time.Second, "avahi-browse in B sees powerchain in A", func() bool {
		seen = l.avahiBrowse()
		return strings.Contains(seen, "10.77.0.1;3493;")
	})
	for _, want := range []string{`"protovers=1.3"`, `"role=server"`, `"ndevices=2"`, `"roots=rack-ups,rack-pdu"`,
		`"devices=rack-ups:ups,rack-pdu:ups"`, `"device_list=rack-ups;rack-pdu"`, `powerchain\032on\032`,
		`"site=Paris DC1"`, `"rack=R7"`} {
		if !strings.Contains(seen, want) {
			t.Errorf("avahi-browse output lacks %q:\n%s", want, seen)
		}
	}
	if !strings.Contains(l.Output(srv), "via=\"built-in responder\"") {
		t.Errorf("powerchain in A did not use its built-in responder:\n%s", l.Output(srv))
	}
	place(t, dir, "Paris DC1", "R8")
	srv.Process.Signal(syscall.SIGHUP)
	l.Eventually(20*time.Second, "avahi-browse in B sees the new rack", func() bool {
		seen = l.avahiBrowse()
		return strings.Contains(seen, `"rack=R8"`) && !strings.Contains(seen, `"rack=R7"`)
	})
	l.Stop(srv)
	l.Eventually(15*time.Second, "the announcement is withdrawn", func() bool {
		return !strings.Contains(l.avahiBrowse(), "10.77.0.1;3493;")
	})
}

// TestAvahiPublishAndBrowse: powerchain in B announces through
// avahi-daemon over D-Bus; avahi-publish in B announces another server;
// powerchain in A browses with its own querier and sees both, and its
// scanner (-A) lists the devices of the powerchain server it found.
func TestAvahiPublishAndBrowse(t *testing.T) {
	l := newLab(t)
	srv := l.Start(l.B, l.Bin, "serve", "-c", l.confDir("b-ups"), "--listen", "10.77.0.2:3493")
	l.Start(l.B, "avahi-publish", "-s", "external nut", "_nut._tcp", "3494", "protovers=1.3")
	var found []dnssd.Found
	var last string
	defer func() {
		if t.Failed() {
			t.Logf("last browse in A:\n%s", last)
		}
	}()
	l.Eventually(20*time.Second, "powerchain in A browses both services", func() bool {
		out, err := l.Run(l.A, l.Bin, "browse", "--json", "-t", "2")
		last = out
		if err != nil || json.Unmarshal([]byte(out), &found) != nil {
			return false
		}
		names := ""
		for _, f := range found {
			names += f.Instance + "|"
		}
		return strings.Contains(names, "external nut|") && strings.Contains(names, "powerchain on ")
	})
	for _, f := range found {
		if f.Instance == "external nut" && (f.Port != 3494 || len(f.Addrs) == 0 || f.Addrs[0] != "10.77.0.2") {
			t.Errorf("external nut: %+v", f)
		}
	}
	if !strings.Contains(l.Output(srv), "via=avahi") {
		t.Errorf("powerchain in B did not announce through avahi:\n%s", l.Output(srv))
	}
	out, err := l.Run(l.A, l.Bin, "scan", "-A", "-q", "-P", "-t", "2")
	if err != nil || !strings.Contains(out, `AVAHI:driver="nutclient",port="b-ups@10.77.0.2"`) {
		t.Errorf("scan -A in A: %v\n%s", err, out)
	}
}

// TestConsoleBrowsesServers: a console in A with --browse finds the
// powerchain server that B announces through avahi, with the site and
// rack of its upsd.conf, and shows its devices there; powerchain browse
// in A reads the place too, and the new rack after B's server reloads.
func TestConsoleBrowsesServers(t *testing.T) {
	l := newLab(t)
	dir := l.confDir("b-ups", "b-pdu")
	place(t, dir, "Lyon", "B12")
	srv := l.Start(l.B, l.Bin, "serve", "-c", dir, "--listen", "10.77.0.2:3493")
	l.Start(l.A, l.Bin, "console", "--browse", "--listen", "127.0.0.1:18080", "--db", filepath.Join(l.Tmp, "console.sqlite"))
	var last string
	defer func() {
		if t.Failed() {
			t.Logf("last:\n%s\nserve:\n%s", last, l.Output(srv))
		}
	}()
	l.Eventually(30*time.Second, "the console in A shows B's devices", func() bool {
		last, _ = l.Run(l.A, "curl", "-s", "http://127.0.0.1:18080/api/devices")
		return strings.Contains(last, `"name": "b-pdu"`) && strings.Contains(last, `"source": "10.77.0.2:3493"`)
	})
	l.Eventually(10*time.Second, "the console in A shows them at site Lyon, rack B12", func() bool {
		last, _ = l.Run(l.A, "curl", "-s", "http://127.0.0.1:18080/")
		return strings.Contains(last, `">Lyon</h2>`) && strings.Contains(last, `<span class="gname">B12</span>`) &&
			strings.Contains(last, "b-pdu")
	})
	browsed := func() dnssd.Announcement {
		out, err := l.Run(l.A, l.Bin, "browse", "--json", "-t", "2")
		last = out
		var found []dnssd.Found
		if err != nil || json.Unmarshal([]byte(out), &found) != nil {
			return dnssd.Announcement{}
		}
		for _, f := range found {
			if f.Port == 3493 && len(f.Addrs) > 0 && f.Addrs[0] == "10.77.0.2" {
				return f.Announcement
			}
		}
		return dnssd.Announcement{}
	}
	l.Eventually(20*time.Second, "powerchain browse in A reads site Lyon, rack B12", func() bool {
		a := browsed()
		return a.Site == "Lyon" && a.Rack == "B12"
	})
	place(t, dir, "Lyon", "B13")
	srv.Process.Signal(syscall.SIGHUP)
	l.Eventually(20*time.Second, "powerchain browse in A reads rack B13 after the reload", func() bool {
		a := browsed()
		return a.Site == "Lyon" && a.Rack == "B13"
	})
}
