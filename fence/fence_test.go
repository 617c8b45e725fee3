package fence_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/fence"
	"github.com/powerchain/powerchain/internal/debtest"
	"github.com/powerchain/powerchain/internal/snmptest"
	"github.com/powerchain/powerchain/internal/testlog"
	"github.com/powerchain/powerchain/internal/waittest"
)

func TestMain(m *testing.M) { testlog.Main(m) }

func TestParseStdin(t *testing.T) {
	in := "# comment\nagent=fence_nut\nipaddr=10.0.0.1\nlogin=admin\npasswd=first\npasswd=sec=ret\n  port=3\noption=OFF\nunknown=kept\nnot a pair\n"
	o := fence.ParseStdin(strings.NewReader(in))
	for k, want := range map[string]string{"ip": "10.0.0.1", "username": "admin", "password": "sec=ret", "plug": "3", "action": "OFF", "unknown": "kept"} {
		if o[k] != want {
			t.Errorf("%s = %q, want %q", k, o[k], want)
		}
	}
}

func TestParseArgs(t *testing.T) {
	o, err := fence.SNMPPDU.ParseArgs([]string{"-o", "off", "-n", "3", "-a", "pdu1", "--ipport=1161", "-l", "u", "-S", "/bin/echo pw", "-c", "public", "-d", "2c", "-q"})
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"action": "off", "plug": "3", "ip": "pdu1", "ipport": "1161", "username": "u",
		"password_script": "/bin/echo pw", "community": "public", "snmp_version": "2c", "quiet": "1"} {
		if o[k] != want {
			t.Errorf("%s = %q, want %q", k, o[k], want)
		}
	}
	if _, err := fence.SNMPPDU.ParseArgs([]string{"--no-such-option"}); err == nil {
		t.Error("an unknown option was accepted")
	}
}

type meta struct {
	Name   string `xml:"name,attr"`
	Params []struct {
		Name   string `xml:"name,attr"`
		Getopt struct {
			Mixed string `xml:"mixed,attr"`
		} `xml:"getopt"`
		Content struct {
			Type string `xml:"type,attr"`
		} `xml:"content"`
	} `xml:"parameters>parameter"`
	Actions []struct {
		Name string `xml:"name,attr"`
	} `xml:"actions>action"`
}

// TestMetadata: both agents' metadata validate against fence-agents'
// RelaxNG schema, and share getopt spellings, types and actions with
// Debian's fence_apc_snmp.
func TestMetadata(t *testing.T) {
	const rng, official = "/usr/share/cluster/relaxng/metadata.rng", "/usr/sbin/fence_apc_snmp"
	debtest.Require(t, "fence-agents libxml2-utils", rng, official, "/usr/bin/xmllint")
	ref, err := exec.Command(official, "-o", "metadata").Output()
	if err != nil {
		t.Fatal(err)
	}
	var theirs meta
	if err := xml.Unmarshal(ref, &theirs); err != nil {
		t.Fatal(err)
	}
	for _, a := range []*fence.Agent{fence.NUT, fence.SNMPPDU} {
		md := a.Metadata()
		f := filepath.Join(t.TempDir(), a.Name+".xml")
		os.WriteFile(f, []byte(md), 0o644)
		if out, err := exec.Command("xmllint", "--noout", "--relaxng", rng, f).CombinedOutput(); err != nil {
			t.Errorf("%s metadata does not validate: %v\n%s", a.Name, err, out)
		}
		var ours meta
		if err := xml.Unmarshal([]byte(md), &ours); err != nil {
			t.Fatal(err)
		}
		var oa, ta []string
		for _, x := range ours.Actions {
			oa = append(oa, x.Name)
		}
		for _, x := range theirs.Actions {
			ta = append(ta, x.Name)
		}
		if !slices.Equal(oa, ta) {
			t.Errorf("%s actions %v, official %v", a.Name, oa, ta)
		}
		common := 0
		for _, op := range ours.Params {
			for _, tp := range theirs.Params {
				if op.Name != tp.Name {
					continue
				}
				common++
				if op.Getopt.Mixed != tp.Getopt.Mixed || op.Content.Type != tp.Content.Type {
					t.Errorf("%s %s: getopt %q type %s; official %q %s", a.Name, op.Name, op.Getopt.Mixed, op.Content.Type, tp.Getopt.Mixed, tp.Content.Type)
				}
			}
		}
		if common < 15 {
			t.Errorf("%s shares only %d parameters with the official agent", a.Name, common)
		}
	}
}

// run runs an agent in-process with key=value options.
func run(a *fence.Agent, kv ...string) (code int, stdout, stderr string) {
	var out, errw bytes.Buffer
	o := fence.ParseStdin(strings.NewReader(strings.Join(kv, "\n")))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	code = a.Run(ctx, o, &out, &errw)
	return code, out.String(), errw.String()
}

// rack serves a PDU with four outlets and two servers' supplies on them
// (srv1 on outlets 1 and 2, srv2 on 3), with users who may switch
// everything, or only switch outlet 1 off.
func rack(t *testing.T) string {
	t.Helper()
	files := map[string]string{
		"pdu.dev": "device.type: pdu\noutlet.count: 4\noutlet.1.desc: srv1 PSU1\noutlet.1.status: on\noutlet.2.desc: srv1 PSU2\noutlet.2.status: on\n" +
			"outlet.3.desc: srv2 PSU1\noutlet.3.status: on\noutlet.4.desc: spare\noutlet.4.status: off\n",
		"psu.dev": "device.type: psu\nups.status: OL\n",
		"ups.conf": "[pdu1]\n\tdriver = dummy-ups\n\tport = pdu.dev\n\tsimulate_switching\n" +
			"[srv1-psu1]\n\tdriver = dummy-ups\n\tport = psu.dev\n\toverride.device.parent = pdu1:outlet1\n\toverride.device.host = srv1\n" +
			"[srv1-psu2]\n\tdriver = dummy-ups\n\tport = psu.dev\n\toverride.device.parent = pdu1:outlet2\n\toverride.device.host = srv1\n" +
			"[srv2-psu1]\n\tdriver = dummy-ups\n\tport = psu.dev\n\toverride.device.parent = pdu1:outlet3\n\toverride.device.host = srv2\n",
		"upsd.users": "[fencer]\n\tpassword = f3nce\n\tinstcmds = ALL\n[offonly]\n\tpassword = off\n\tinstcmds = outlet.1.load.off\n",
	}
	return serveFiles(t, files)
}

func TestFenceNUT(t *testing.T) {
	addr := rack(t)
	ups := "ups=pdu1@" + addr
	auth := []string{ups, "username=fencer", "password=f3nce", "power_timeout=5"}
	code, out, errs := run(fence.NUT, append(auth, "action=list")...)
	want := "1,srv1 PSU1 (feeds srv1)\n2,srv1 PSU2 (feeds srv1)\n3,srv2 PSU1 (feeds srv2)\n4,spare\n" +
		"srv1,host srv1 (pdu1:outlet1, pdu1:outlet2)\nsrv2,host srv2 (pdu1:outlet3)\n"
	if code != 0 || out != want {
		t.Errorf("list: %d %q %s\nwant %q", code, out, errs, want)
	}
	if code, out, _ := run(fence.NUT, append(auth, "action=list-status")...); code != 0 || !strings.Contains(out, "4,spare,OFF") || !strings.Contains(out, "1,srv1 PSU1 (feeds srv1),ON") {
		t.Errorf("list-status: %d %q", code, out)
	}
	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"action=status", "plug=3"}, 0, "Status: ON"},
		{[]string{"action=status", "plug=spare"}, 2, "Status: OFF"}, // a plug by name
		{[]string{"action=off", "plug=3"}, 0, "Success: Powered OFF"},
		{[]string{"action=status", "plug=3"}, 2, "Status: OFF"},
		{[]string{"action=on", "plug=3"}, 0, "Success: Powered ON"},
		{[]string{"action=reboot", "plug=srv2 PSU1"}, 0, "Success: Rebooted"},
		{[]string{"action=status", "plug=3"}, 0, "Status: ON"},
		{[]string{"action=monitor"}, 0, ""},
		{[]string{"action=validate-all"}, 0, ""},
	} {
		code, out, errs := run(fence.NUT, append(auth, tc.args...)...)
		if code != tc.code || !strings.Contains(out, tc.out) {
			t.Errorf("%v: exit %d %q %s; want %d %q", tc.args, code, out, errs, tc.code, tc.out)
		}
	}
	// The whole device when there is no plug: a PSU's load.
	// Bad input.
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{append(auth, "action=status", "plug=9"), fence.MsgStatus},
		{append(auth, "action=off", "plug=nosuch"), fence.MsgStatus},
		// A wrong password or an unknown user fails every action that
		// logs in, as the off does: the cluster's monitor must not call
		// the agent healthy.
		{[]string{ups, "username=fencer", "password=wrong", "action=off", "plug=1"}, "refused the user or password"},
		{[]string{ups, "username=fencer", "password=wrong", "action=monitor"}, "refused the user or password"},
		{[]string{ups, "username=fencer", "password=wrong", "action=status", "plug=1"}, "refused the user or password"},
		{[]string{ups, "username=fencer", "password=wrong", "action=list-status"}, "refused the user or password"},
		{[]string{ups, "username=fencer", "password=wrong", "action=validate-all"}, "refused the user or password"},
		{[]string{ups, "username=nobody", "password=f3nce", "action=monitor"}, "refused the user or password"},
		{[]string{ups, "username=nobody", "password=f3nce", "action=list"}, "refused the user or password"},
		// Without a login NUT runs no command: the agent cannot fence.
		{[]string{ups, "action=monitor"}, fence.MsgNoLogin},
		{[]string{ups, "action=off", "plug=1"}, fence.MsgNoLogin},
		{[]string{"ups=pdu1@127.0.0.1:9", "action=status", "plug=1"}, fence.MsgLogin},
		{[]string{"ups=nosuch@" + addr, "action=status", "plug=1"}, fence.MsgLogin},
		{append(auth, "action=dance"), "Unrecognised action"},
		{[]string{"username=fencer", "password=f3nce", "action=off", "plug=1"}, "You have to enter ip"},
	} {
		code, out, errs := run(fence.NUT, tc.args...)
		if code != 1 || !strings.Contains(errs, tc.msg) {
			t.Errorf("%v: exit %d out %q err %q; want 1 and %q", tc.args, code, out, errs, tc.msg)
		}
	}
	// Reading needs no login; a user allowed one command only passes the
	// login check (nothing is switched by it).
	if code, out, errs := run(fence.NUT, ups, "action=status", "plug=1"); code != 0 {
		t.Errorf("anonymous status: %d %q %q", code, out, errs)
	}
	if code, out, errs := run(fence.NUT, ups, "username=offonly", "password=off", "action=monitor"); code != 0 {
		t.Errorf("monitor as a user with one command: %d %q %q", code, out, errs)
	}
	// A reboot whose "on" fails (this user may only switch outlet 1 off)
	// still succeeds: the node is fenced.
	code, out, errs = run(fence.NUT, ups, "username=offonly", "password=off", "power_timeout=2", "action=reboot", "plug=1")
	if code != 0 || !strings.Contains(out, "did not come back on") {
		t.Errorf("reboot with a failing on: %d %q %q", code, out, errs)
	}
	if code, out, _ := run(fence.NUT, append(auth, "action=status", "plug=1")...); code != 2 {
		t.Errorf("outlet 1 after the half reboot: %d %q", code, out)
	}
	// The device given as --ip/--ipport and plug DEVICE:OUTLET.
	host, port, _ := net.SplitHostPort(addr)
	if code, out, errs := run(fence.NUT, "ip="+host, "ipport="+port, "username=fencer", "password=f3nce", "action=status", "plug=pdu1:3"); code != 0 {
		t.Errorf("ip/ipport/plug form: %d %q %q", code, out, errs)
	}
}

// TestFenceSNMPSideBySide: on the APC AP8641 recording served by
// snmpsimd, fence_snmp_pdu lists the same outlets as Debian's
// fence_apc_snmp and reports the same status for every plug; on a copy
// whose outlet controls are writable, off and on switch and verify.
func TestFenceSNMPSideBySide(t *testing.T) {
	const official = "/usr/sbin/fence_apc_snmp"
	debtest.Require(t, "fence-agents", official)
	rec, err := os.ReadFile("../testdata/snmprec/apc-ap8641.snmprec")
	if err != nil {
		t.Fatal(err)
	}
	rw := regexp.MustCompile(`(?m)^(1\.3\.6\.1\.4\.1\.318\.1\.1\.4\.4\.2\.1\.3\.\d+)\|(\d+)\|(.*)$`).ReplaceAll(rec, []byte("$1|$2:writecache|value=$3"))
	agent := snmptest.SimData(t, map[string][]byte{"apc": rec, "apcrw": rw})
	host, port, _ := net.SplitHostPort(agent.Addr)
	theirs := func(args ...string) (int, string) {
		cmd := exec.Command(official, append([]string{"-a", host, "-u", port, "-c", "apc", "-d", "2c"}, args...)...)
		out, err := cmd.Output()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		return code, string(out)
	}
	base := []string{"ip=" + host, "ipport=" + port, "community=apc", "snmp_version=2c"}
	_, theirList := theirs("-o", "list")
	code, ourList, errs := run(fence.SNMPPDU, append(base, "action=list")...)
	if code != 0 || ourList != theirList {
		t.Errorf("list differs:\nours (%d %s):\n%s\nfence_apc_snmp:\n%s", code, errs, ourList, theirList)
	}
	same := 0
	for plug := 1; plug <= 24; plug++ {
		tc, tout := theirs("-o", "status", "-n", fmt.Sprint(plug))
		oc, oout, _ := run(fence.SNMPPDU, append(base, "action=status", fmt.Sprintf("plug=%d", plug))...)
		if tc != oc || strings.TrimSpace(tout) != strings.TrimSpace(oout) {
			t.Errorf("plug %d: ours %d %q, fence_apc_snmp %d %q", plug, oc, oout, tc, tout)
		} else {
			same++
		}
	}
	t.Logf("fence_snmp_pdu and fence_apc_snmp agree on %d/24 plug states and on the outlet list", same)
	// Unknown plug: we fail; fence_apc_snmp 4.12 says "Status: OFF" (2).
	if code, _, errs := run(fence.SNMPPDU, append(base, "action=status", "plug=99")...); code != 1 || !strings.Contains(errs, fence.MsgStatus) {
		t.Errorf("unknown plug: %d %q", code, errs)
	}
	// Switching on the writable copy.
	rwBase := []string{"ip=" + host, "ipport=" + port, "community=apcrw", "snmp_version=2c", "power_timeout=5"}
	if code, out, errs := run(fence.SNMPPDU, append(rwBase, "action=off", "plug=2")...); code != 0 {
		t.Fatalf("off: %d %q %q", code, out, errs)
	}
	if code, _, _ := run(fence.SNMPPDU, append(rwBase, "action=status", "plug=2")...); code != 2 {
		t.Errorf("status after off: %d", code)
	}
	if code, out, errs := run(fence.SNMPPDU, append(rwBase, "action=reboot", "plug=2")...); code != 0 || !strings.Contains(out, "Rebooted") {
		t.Errorf("reboot: %d %q %q", code, out, errs)
	}
	if code, _, _ := run(fence.SNMPPDU, append(rwBase, "action=status", "plug=2")...); code != 0 {
		t.Errorf("status after reboot: %d", code)
	}
	// The read-only copy refuses: snmpsim answers SETs without storing, so
	// the verification times out.
	if code, _, errs := run(fence.SNMPPDU, append(base, "action=off", "plug=1", "power_timeout=2")...); code != 1 || !strings.Contains(errs, fence.MsgWaitOff) {
		t.Errorf("off on a device that does not switch: %d %q", code, errs)
	}
	// No agent there.
	if code, _, errs := run(fence.SNMPPDU, "ip=127.0.0.1", "ipport=9", "community=x", "action=list"); code != 1 || !strings.Contains(errs, fence.MsgLogin) {
		t.Errorf("no agent: %d %q", code, errs)
	}

	// A host by its name, from the power chain of a NUT server whose
	// snmp-ups reads this PDU: srv1's supplies are on outlets 3 and 4.
	files := map[string]string{
		"psu.dev": "device.type: psu\nups.status: OL\n",
		"ups.conf": fmt.Sprintf("[pdu]\n\tdriver = snmp-ups\n\tport = %s\n\tcommunity = apcrw\n\tsnmp_version = v2c\n", agent.Addr) +
			"[srv1-psu1]\n\tdriver = dummy-ups\n\tport = psu.dev\n\toverride.device.parent = pdu:outlet3\n\toverride.device.host = srv1\n" +
			"[srv1-psu2]\n\tdriver = dummy-ups\n\tport = psu.dev\n\toverride.device.parent = pdu:outlet4\n\toverride.device.host = srv1\n",
	}
	hostBase := append(rwBase, "nut_server="+serveFiles(t, files))
	var list string
	waittest.Until(10*time.Second, 100*time.Millisecond, func() bool {
		_, list, _ = run(fence.SNMPPDU, append(hostBase, "action=list")...)
		return strings.Contains(list, "srv1,")
	})
	if want := theirList + "srv1,host srv1 (pdu:outlet3@"; !strings.HasPrefix(list, want) {
		t.Errorf("list with nut_server:\n%s\nwant fence_apc_snmp's, then\n%s…", list, want)
	}
	theirRW := func(plug string) int {
		code, _ := theirs("-c", "apcrw", "-o", "status", "-n", plug)
		return code
	}
	for _, step := range []struct {
		action string
		code   int // fence_apc_snmp's status of outlets 3 and 4
	}{{"off", 2}, {"on", 0}} {
		if code, out, errs := run(fence.SNMPPDU, append(hostBase, "action="+step.action, "plug=srv1")...); code != 0 {
			t.Errorf("%s srv1: %d %q %q", step.action, code, out, errs)
		}
		// fence_apc_snmp sees both outlets switched, and outlet 5 alone.
		if c3, c4, c5 := theirRW("3"), theirRW("4"), theirRW("5"); c3 != step.code || c4 != step.code || c5 != 0 {
			t.Errorf("after %s srv1, fence_apc_snmp status of 3, 4, 5: %d %d %d", step.action, c3, c4, c5)
		}
	}
}

// TestControlCharacters: an option holding a control character (possible
// on the command line) is refused before the agent connects, without
// printing the value.
func TestControlCharacters(t *testing.T) {
	for _, a := range []*fence.Agent{fence.NUT, fence.SNMPPDU} {
		for k, v := range map[string]string{"plug": "1\nINSTCMD pdu1 load.off", "password": "s3cret\r", "ups": "pdu1\x00@127.0.0.1:9", "username": "a\tb"} {
			o := fence.Options{"action": "status", "ip": "127.0.0.1", "ipport": "9", "ups": "pdu1@127.0.0.1:9", "plug": "1", "username": "u", "password": "p"}
			o[k] = v
			var out, errw bytes.Buffer
			code := a.Run(context.Background(), o, &out, &errw)
			if code != fence.ExitError || !strings.Contains(errw.String(), "contains a control character") || strings.Contains(errw.String(), v) {
				t.Errorf("%s %s=%q: exit %d %q", a.Name, k, v, code, errw.String())
			}
		}
	}
}

// TestFenceSNMPCommunities: with a community the agent does not answer,
// every action that talks to the PDU fails (validate-all too); with a
// read-only one, reading works and switching fails as a missing right.
func TestFenceSNMPCommunities(t *testing.T) {
	agent := snmptest.Snmpd(t, snmptest.APCLike)
	host, port, _ := net.SplitHostPort(agent.Addr)
	base := []string{"ip=" + host, "ipport=" + port, "snmp_version=2c", "power_timeout=2", "login_timeout=1"}
	for _, act := range []string{"monitor", "validate-all", "status"} {
		code, _, errs := run(fence.SNMPPDU, append(base, "community=wrong", "action="+act, "plug=1")...)
		if code != 1 || !strings.Contains(errs, fence.MsgLogin) {
			t.Errorf("wrong community, %s: %d %q", act, code, errs)
		}
	}
	if code, out, errs := run(fence.SNMPPDU, append(base, "community=ro", "action=monitor")...); code != 0 {
		t.Errorf("read-only community, monitor: %d %q %q", code, out, errs)
	}
	if code, _, errs := run(fence.SNMPPDU, append(base, "community=ro", "action=off", "plug=1")...); code != 1 || !strings.Contains(errs, fence.MsgPriv) {
		t.Errorf("read-only community, off: %d %q", code, errs)
	}
}
