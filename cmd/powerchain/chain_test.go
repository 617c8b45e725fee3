package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/demo"
	"github.com/powerchain/powerchain/internal/nuttest"
)

// serveDir starts an in-process powerchain server on a config directory.
func serveDir(t *testing.T, dir string) (string, context.CancelFunc) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	var addr string
	if _, err := daemon.Start(ctx, daemon.Options{ConfDir: dir, Listen: []string{"127.0.0.1:0"},
		Ready: func(a []net.Addr) { addr = a[0].String() }}); err != nil {
		t.Fatal(err)
	}
	return addr, cancel
}

func writeConf(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for n, c := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(c), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// eventually retries a command until its output holds want (drivers
// publish their first data a moment after the server starts).
func eventually(t *testing.T, want string, args ...string) string {
	t.Helper()
	var out, errOut string
	for i := 0; i < 200; i++ {
		out, errOut, _ = run(t, args...)
		if strings.Contains(out, want) {
			return out
		}
	}
	t.Fatalf("%v: output lacks %q:\n%s%s", args, want, out, errOut)
	return ""
}

func TestUpscChainOnDemoRack(t *testing.T) {
	dir := t.TempDir()
	if err := demo.WriteTo(dir); err != nil {
		t.Fatal(err)
	}
	addr, _ := serveDir(t, dir)
	eventually(t, "srv1-psu1 -> pdu1:outlet1 -> ups1 -> main\n", "upsc", "-P", "srv1-psu1@"+addr)
	eventually(t, "srv2-psu2 -> pdu2:outlet2 -> ups2 -> main\n", "upsc", "-P", addr, "srv2-psu2")
	tree := eventually(t, "srv3-psu2", "upsc", "-Pl", addr)
	want := "ups1\n|-> pdu1\n    |-> srv1-psu1 [outlet1]\n    |-> srv2-psu1 [outlet2]\n    |-> srv3-psu1 [outlet3]\n" +
		"ups2\n|-> pdu2\n    |-> srv1-psu2 [outlet1]\n    |-> srv2-psu2 [outlet2]\n    |-> srv3-psu2 [outlet3]\n"
	if tree != want {
		t.Errorf("upsc -Pl:\n%s\nwant:\n%s", tree, want)
	}
	eventually(t, "|-> pdu1: Rack A PDU, feed A\n", "upsc", "-PL", addr)
	// -Pl HOST UPS: the tree below UPS only.
	if sub, errOut, code := run(t, "upsc", "-Pl", addr, "pdu2"); code != 0 || sub != "pdu2\n|-> srv1-psu2 [outlet1]\n|-> srv2-psu2 [outlet2]\n|-> srv3-psu2 [outlet3]\n" {
		t.Errorf("upsc -Pl %s pdu2: exit %d\n%s%s", addr, code, sub, errOut)
	}
	if _, errOut, code := run(t, "upsc", "-Pl", addr, "ghost"); code != 1 || errOut != "Error: Unknown UPS\n" {
		t.Errorf("upsc -Pl %s ghost: exit %d %q", addr, code, errOut)
	}
	upscChainJSON(t, addr)

	out := eventually(t, "srv3: healthy (2 of 2", "chain", addr)
	for _, s := range []string{"srv1: healthy (2 of 2 paths healthy)", "  srv1-psu2 -> pdu2:outlet1 -> ups2 -> main  healthy"} {
		if !strings.Contains(out, s) {
			t.Errorf("chain lacks %q:\n%s", s, out)
		}
	}
	// Switch pdu2's outlet 1 off: srv1 is degraded, and losing ups1 would
	// leave it without power.
	if _, errOut, code := run(t, "upscmd", "-u", "admin", "-p", "demo-admin", "pdu2@"+addr, "outlet.1.load.off"); code != 0 {
		t.Fatalf("upscmd: %s", errOut)
	}
	out = eventually(t, "srv1: degraded (1 of 2 paths healthy)", "chain", addr)
	if want := "  srv1-psu2 -> pdu2:outlet1 -> ups2 -> main  impaired: pdu2:outlet1: outlet is off\n"; !strings.Contains(out, want) {
		t.Errorf("chain lacks %q:\n%s", want, out)
	}
	eventually(t, "these loads lose all power:\n  srv1\n", "chain", "whatif", "ups1@"+addr)
	eventually(t, "every load keeps", "chain", "whatif", "ups2@"+addr)
	js := eventually(t, `"health": "degraded"`, "chain", "--json", addr)
	if !strings.Contains(js, `"id": "pdu2@`+addr+`"`) {
		t.Errorf("chain --json lacks devices:\n%s", js)
	}
	// srv1's power supply 1 fails too: srv1 is at risk already, and
	// whatif says so beside what a failure adds.
	if _, errOut, code := run(t, "upsrw", "-s", "ups.status=OFF", "-u", "admin", "-p", "demo-admin", "srv1-psu1@"+addr); code != 0 {
		t.Fatalf("upsrw: %s", errOut)
	}
	want = "if ups1 fails, no load that has a healthy supply path loses all power\n" +
		"these loads lose a supply path and keep another:\n  srv2 (1 of 2 paths healthy)\n  srv3 (1 of 2 paths healthy)\n" +
		"already at risk, with no healthy supply path:\n  srv1: srv1-psu1: off\n"
	if out := eventually(t, "already at risk", "chain", "whatif", "ups1@"+addr); out != want {
		t.Errorf("whatif ups1:\n%s\nwant:\n%s", out, want)
	}
	// Switching pdu1's outlet 2 off leaves srv2 on pdu2 alone: losing
	// ups2 now cuts it.
	if _, errOut, code := run(t, "upscmd", "-u", "admin", "-p", "demo-admin", "pdu1@"+addr, "outlet.2.load.off"); code != 0 {
		t.Fatalf("upscmd: %s", errOut)
	}
	want = "if ups2 fails, these loads lose all power:\n  srv2\n" +
		"these loads lose a supply path and keep another:\n  srv3 (1 of 2 paths healthy)\n" +
		"already at risk, with no healthy supply path:\n  srv1: srv1-psu1: off\n"
	if out := eventually(t, "lose all power:\n  srv2", "chain", "whatif", "ups2@"+addr); out != want {
		t.Errorf("whatif ups2:\n%s\nwant:\n%s", out, want)
	}
}

// upscChainJSON checks upsc -P --json on the demo rack, every supply
// healthy: the path of chain --json's loads for a device, chain --json's
// object for a tree (the devices below UPS and the loads drawing from
// them for -Pl HOST UPS), and a failure as upsc's JSON error.
func upscChainJSON(t *testing.T, addr string) {
	t.Helper()
	out, errOut, code := run(t, "upsc", "-P", "--json", "srv1-psu1@"+addr)
	var p chain.Path
	if err := json.Unmarshal([]byte(out), &p); code != 0 || err != nil {
		t.Fatalf("upsc -P --json: exit %d, %v\n%s%s", code, err, out, errOut)
	}
	if got := p.Format(addr); got != "srv1-psu1 -> pdu1:outlet1 -> ups1 -> main" || p.Health != chain.Healthy || !p.Mains || p.Links[0].ID != "srv1-psu1@"+addr {
		t.Errorf("upsc -P --json: %s (%+v)\n%s", got, p, out)
	}
	if out, _, code := run(t, "upsc", "--json", "-P", addr, "srv1-psu1"); code != 0 || !strings.Contains(out, `"id": "pdu1@`+addr+`"`) {
		t.Errorf("upsc --json -P HOST UPS: exit %d\n%s", code, out)
	}

	type graphJSON struct {
		Devices []struct{ ID, Desc string }
		Loads   []chain.Load
	}
	all := []string{"pdu1", "pdu2", "srv1-psu1", "srv1-psu2", "srv2-psu1", "srv2-psu2", "srv3-psu1", "srv3-psu2", "ups1", "ups2"}
	for _, tc := range []struct {
		args        []string
		devices     []string
		loads       []string
		pdu1HasDesc bool
	}{
		{[]string{"-Pl", "--json", addr}, all, []string{"srv1", "srv2", "srv3"}, true},
		{[]string{"-PL", "--json", addr}, all, []string{"srv1", "srv2", "srv3"}, true},
		{[]string{"--json", "-Pl", addr, "pdu2"}, []string{"pdu2", "srv1-psu2", "srv2-psu2", "srv3-psu2"}, []string{"srv1", "srv2", "srv3"}, false},
		{[]string{"-Pl", "--json", addr, "srv2-psu1"}, []string{"srv2-psu1"}, []string{"srv2"}, false},
		{[]string{"chain", "--json", addr}, all, []string{"srv1", "srv2", "srv3"}, true}, // the same object
	} {
		args := append([]string{"upsc"}, tc.args...)
		if tc.args[0] == "chain" {
			args = tc.args
		}
		out, errOut, code := run(t, args...)
		var g graphJSON
		if err := json.Unmarshal([]byte(out), &g); code != 0 || err != nil {
			t.Errorf("%v: exit %d, %v\n%s%s", args, code, err, out, errOut)
			continue
		}
		var devices, loads []string
		pdu1Desc := false
		for _, d := range g.Devices {
			name, _, _ := strings.Cut(d.ID, "@")
			devices = append(devices, name)
			pdu1Desc = pdu1Desc || (name == "pdu1" && d.Desc == "Rack A PDU, feed A")
		}
		for _, l := range g.Loads {
			loads = append(loads, l.Name)
			if l.Health != chain.Healthy || l.Healthy != 2 {
				t.Errorf("%v: load %+v, want healthy (2 paths)", args, l)
			}
		}
		if !slices.Equal(devices, tc.devices) || !slices.Equal(loads, tc.loads) || pdu1Desc != tc.pdu1HasDesc {
			t.Errorf("%v: devices %v, loads %v, pdu1's desc %v; want %v, %v, %v\n%s", args, devices, loads, pdu1Desc, tc.devices, tc.loads, tc.pdu1HasDesc, out)
		}
	}

	out, errOut, code = run(t, "upsc", "-P", "--json", "ghost@"+addr)
	var e struct{ Error string }
	if err := json.Unmarshal([]byte(out), &e); code != 1 || err != nil || e.Error != "Unknown UPS" || errOut != "Error: Unknown UPS\n" {
		t.Errorf("upsc -P --json ghost: exit %d, %v\n%s%s", code, err, out, errOut)
	}
}

// TestChainAcrossServers: a PSU on one server whose UPS lives on another;
// then the other server dies and the path is impaired, not an error.
func TestChainAcrossServers(t *testing.T) {
	upsDir := writeConf(t, map[string]string{
		"ups.conf": "[ups1]\n\tdriver = dummy-ups\n\tport = ups.dev\n",
		"ups.dev":  "ups.status: OL\noutlet.1.status: on\n",
	})
	upsAddr, stopUPS := serveDir(t, upsDir)
	psuDir := writeConf(t, map[string]string{
		"ups.conf": fmt.Sprintf("[psu1]\n\tdriver = dummy-ups\n\tport = psu.dev\n\toverride.device.parent = ups1:outlet1@%s\n", upsAddr),
		"psu.dev":  "device.type: psu\nups.status: OL\n",
	})
	psuAddr, _ := serveDir(t, psuDir)
	// Names are canonical across servers: device[:outlet][@host[:port]].
	eventually(t, "psu1 -> ups1:outlet1@"+upsAddr+" -> main\n", "upsc", "-P", "psu1@"+psuAddr)
	eventually(t, "psu1: healthy (1 of 1", "chain", psuAddr)
	stopUPS()
	out := eventually(t, "psu1: at-risk", "chain", psuAddr)
	if !strings.Contains(out, "server unreachable") {
		t.Errorf("unreachable parent server not explained:\n%s", out)
	}
}

// TestUpscmdChainGuard: with POWERCHAIN_GUARD yes in upsd.conf the server
// refuses an outlet.N.load.off or load.off that would cut a load's last
// healthy supply path, to powerchain's upscmd and to NUT's, and runs the
// others.
func TestUpscmdChainGuard(t *testing.T) {
	dir := t.TempDir()
	if err := demo.WriteTo(dir); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "upsd.conf"), []byte("LISTEN 127.0.0.1 3493\nPOWERCHAIN_GUARD yes\n"), 0o640)
	addr, _ := serveDir(t, dir)
	upscmd := func(dev, cmd string) (string, int) {
		out, errOut, code := run(t, "upscmd", "-u", "admin", "-p", "demo-admin", dev+"@"+addr, cmd)
		return out + errOut, code
	}
	eventually(t, "srv1: healthy", "chain", addr)
	// srv1 keeps pdu2's path: switching pdu1's outlet 1 off is allowed.
	if out, code := upscmd("pdu1", "outlet.1.load.off"); code != 0 {
		t.Fatalf("a redundant outlet off refused: %s", out)
	}
	eventually(t, "srv1: degraded", "chain", addr)
	// Now pdu2's outlet 1 is srv1's last path: refused, and nothing switched.
	if out, code := upscmd("pdu2", "outlet.1.load.off"); code != 1 || !strings.Contains(out, "ERR INSTCMD-FAILED") {
		t.Errorf("cutting srv1's last path: exit %d %q", code, out)
	}
	// ups2 feeds srv1's last path too; every load keeps pdu2's path
	// without ups1.
	if out, code := upscmd("ups2", "load.off"); code != 1 {
		t.Errorf("ups2 load.off: exit %d %q", code, out)
	}
	if out, code := upscmd("ups1", "load.off"); code != 0 {
		t.Errorf("ups1 load.off (every load keeps pdu2's path): exit %d %q", code, out)
	}
	upscmd("ups1", "load.on")
	if out, _, _ := run(t, "upsc", "pdu2@"+addr, "outlet.1.status"); out != "on\n" {
		t.Errorf("pdu2 outlet 1 after the refusal: %q", out)
	}
	// NUT's upscmd gets the same answer.
	nuttest.Require(t, nuttest.Upscmd)
	host, port, _ := net.SplitHostPort(addr)
	out, err := exec.Command(nuttest.Upscmd, "-u", "admin", "-p", "demo-admin", "pdu2@"+host+":"+port, "outlet.1.load.off").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "ERR INSTCMD-FAILED") {
		t.Errorf("NUT's upscmd: %v %s", err, out)
	}
}
