package fence_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/fence"
	"github.com/powerchain/powerchain/internal/clienttest"
	"github.com/powerchain/powerchain/internal/servetest"
)

// twoPDUFiles is a rack whose hosts draw from two PDUs: srv1 from
// pdu1:outlet1 and pdu2:outlet1, srv2 from pdu1:outlet2 and pdu2:outlet2;
// pdu2's outlets 3 and 4 form outlet group 1; srv3 has one supply and no
// outlet on its way.
func twoPDUFiles() map[string]string {
	pdu := "device.type: pdu\noutlet.1.status: on\noutlet.2.status: on\noutlet.3.status: on\noutlet.4.status: on\n"
	f := map[string]string{
		"pdu1.dev":   pdu,
		"pdu2.dev":   pdu + "outlet.group.1.name: rear\noutlet.group.1.status: on\n",
		"ups.dev":    "device.type: ups\nups.status: OL\n",
		"psu.dev":    "device.type: psu\nups.status: OL\n",
		"upsd.users": "[fencer]\n\tpassword = f3nce\n\tinstcmds = ALL\n",
	}
	ups := "[ups1]\n\tdriver = dummy-ups\n\tport = ups.dev\n"
	for _, p := range []string{"pdu1", "pdu2"} {
		ups += fmt.Sprintf("[%s]\n\tdriver = dummy-ups\n\tport = %s.dev\n\tsimulate_switching\n\toverride.device.parent = ups1\n", p, p)
	}
	for _, s := range []struct{ name, parent, host string }{
		{"srv1-psu1", "pdu1:outlet1", "srv1"}, {"srv1-psu2", "pdu2:outlet1", "srv1"},
		{"srv2-psu1", "pdu1:outlet2", "srv2"}, {"srv2-psu2", "pdu2:outlet2", "srv2"},
		{"srv3-psu1", "ups1", "srv3"},
	} {
		ups += fmt.Sprintf("[%s]\n\tdriver = dummy-ups\n\tport = psu.dev\n\toverride.device.parent = %s\n\toverride.device.host = %s\n", s.name, s.parent, s.host)
	}
	f["ups.conf"] = ups
	return f
}

func serveFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for n, c := range files {
		os.WriteFile(filepath.Join(dir, n), []byte(c), 0o640)
	}
	d, addr := servetest.Start(t, daemon.Options{ConfDir: dir})
	servetest.WaitData(t, d) // drivers read their files
	return addr.String()
}

// outletStates reads outlet.N.status of devices on a server.
func outletStates(t *testing.T, addr string, names ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c := clienttest.Dial(ctx, t, addr)
	var out []string
	for _, n := range names {
		dev, v, _ := strings.Cut(n, ":")
		st, err := c.Get(ctx, dev, v)
		if err != nil {
			st = err.Error()
		}
		out = append(out, n+"="+st)
	}
	return strings.Join(out, " ")
}

// TestFenceHost: a host drawing from two PDUs is fenced by its name:
// every outlet that feeds it goes off (and on), verified; the others stay;
// status is on while any feeds it; list shows hosts and groups as plugs.
func TestFenceHost(t *testing.T) {
	addr := serveFiles(t, twoPDUFiles())
	host, port, _ := net.SplitHostPort(addr)
	for _, base := range [][]string{
		{"ups=pdu1@" + addr},             // a device of the chain
		{"ip=" + host, "ipport=" + port}, // the server alone
	} {
		auth := append(append([]string{}, base...), "username=fencer", "password=f3nce", "power_timeout=5")
		states := func() string {
			return outletStates(t, addr, "pdu1:outlet.1.status", "pdu2:outlet.1.status", "pdu1:outlet.2.status", "pdu2:outlet.2.status")
		}
		steps := []struct {
			args   []string
			code   int
			out    string
			states string
		}{
			{[]string{"action=status", "plug=srv1"}, 0, "Status: ON", "pdu1:outlet.1.status=on pdu2:outlet.1.status=on pdu1:outlet.2.status=on pdu2:outlet.2.status=on"},
			{[]string{"action=off", "plug=srv1"}, 0, "Success: Powered OFF", "pdu1:outlet.1.status=off pdu2:outlet.1.status=off pdu1:outlet.2.status=on pdu2:outlet.2.status=on"},
			{[]string{"action=status", "plug=srv1"}, 2, "Status: OFF", ""},
			{[]string{"action=on", "plug=srv1"}, 0, "Success: Powered ON", "pdu1:outlet.1.status=on pdu2:outlet.1.status=on pdu1:outlet.2.status=on pdu2:outlet.2.status=on"},
			{[]string{"action=reboot", "plug=srv2"}, 0, "Success: Rebooted", "pdu1:outlet.1.status=on pdu2:outlet.1.status=on pdu1:outlet.2.status=on pdu2:outlet.2.status=on"},
		}
		for _, st := range steps {
			code, out, errs := run(fence.NUT, append(auth, st.args...)...)
			if code != st.code || !strings.Contains(out, st.out) {
				t.Errorf("%v %v: exit %d %q %s; want %d %q", base, st.args, code, out, errs, st.code, st.out)
			}
			if st.states != "" {
				if got := states(); got != st.states {
					t.Errorf("%v %v: outlets %s\nwant %s", base, st.args, got, st.states)
				}
			}
		}
		// One outlet of srv1 off: the host is still on (status says any).
		if code, _, _ := run(fence.NUT, "ups=pdu2@"+addr, "username=fencer", "password=f3nce", "action=off", "plug=1"); code != 0 {
			t.Fatal("switching pdu2's outlet 1 off")
		}
		if code, out, _ := run(fence.NUT, append(auth, "action=status", "plug=srv1")...); code != 0 {
			t.Errorf("%v: srv1 with one outlet on: %d %q", base, code, out)
		}
		run(fence.NUT, append(auth, "action=on", "plug=srv1")...)
		// A host with a supply no outlet feeds cannot be fenced; an unknown
		// plug is no host.
		if code, _, errs := run(fence.NUT, append(auth, "action=off", "plug=srv3")...); code != 1 || !strings.Contains(errs, "srv3-psu1@"+addr+" has no outlet") {
			t.Errorf("%v: srv3: %d %q", base, code, errs)
		}
		if code, _, errs := run(fence.NUT, append(auth, "action=off", "plug=srv9")...); code != 1 || !strings.Contains(errs, fence.MsgStatus) {
			t.Errorf("%v: srv9: %d %q", base, code, errs)
		}
	}

	// list: outlets, the outlet group, then hosts as plugs.
	code, out, errs := run(fence.NUT, "ups=pdu2@"+addr, "username=fencer", "password=f3nce", "action=list-status")
	want := "1,outlet 1 (feeds srv1),ON\n2,outlet 2 (feeds srv2),ON\n3,outlet 3,ON\n4,outlet 4,ON\ngroup1,rear,ON\n" +
		"srv1,host srv1 (pdu1:outlet1, pdu2:outlet1),ON\nsrv2,host srv2 (pdu1:outlet2, pdu2:outlet2),ON\n"
	if code != 0 || out != want {
		t.Errorf("list-status: %d %s\n%s\nwant\n%s", code, errs, out, want)
	}
	// An outlet group is a plug.
	auth := []string{"ups=pdu2@" + addr, "username=fencer", "password=f3nce", "power_timeout=5"}
	if code, out, errs := run(fence.NUT, append(auth, "action=off", "plug=group1")...); code != 0 {
		t.Errorf("group off: %d %q %q", code, out, errs)
	}
	if got := outletStates(t, addr, "pdu2:outlet.group.1.status"); got != "pdu2:outlet.group.1.status=off" {
		t.Errorf("group after off: %s", got)
	}
	if code, out, _ := run(fence.NUT, append(auth, "action=status", "plug=rear")...); code != 2 {
		t.Errorf("group status by name: %d %q", code, out)
	}
}
