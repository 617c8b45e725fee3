// Package snmptest runs real SNMP agents on 127.0.0.1 for tests:
// Debian's snmpsimd (the agent simulator), where each .snmprec recording
// answers the community named after its file, and Debian's Net-SNMP
// snmpd with a test's configuration (SNMPv3 users, read-only communities,
// fixed OIDs with "override").
//
// A missing agent skips the test on a developer's machine and fails it in
// CI (CI=true), where .ci/run installs the packages.
package snmptest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"

	"github.com/powerchain/powerchain/internal/debtest"
)

// Binaries of Debian's packages snmpsim, snmpd and snmp.
const (
	SimBinary   = "/usr/bin/snmpsimd"
	SnmpdBinary = "/usr/sbin/snmpd"
	TrapBinary  = "/usr/bin/snmptrap"
)

// Agent is a running simulator.
type Agent struct {
	Addr string // 127.0.0.1:port
	Dir  string // data or configuration directory
	// endpoints are every address the agent serves (Addr first).
	endpoints []string
	where     place // nil: the machine's own network
	cmd       *exec.Cmd
	// start (re)starts snmpd; nil for snmpsimd.
	start func()
	log   *logLines
}

// Line is one line of snmpsimd's log and when it arrived.
type Line struct {
	At   time.Time
	Text string
}

// Requests returns, for snmpsimd, the arrival times of the requests made
// with a community (snmpsimd logs one line per request naming it).
func (a *Agent) Requests(community string) []time.Time {
	var out []time.Time
	needle := fmt.Sprintf("community name %q", community)
	for _, l := range a.log.lines() {
		if strings.Contains(l.Text, needle) {
			out = append(out, l.At)
		}
	}
	return out
}

// logLines collects a process's output as time-stamped lines.
type logLines struct {
	mu      sync.Mutex
	partial []byte
	all     []Line
	raw     []byte
}

func (l *logLines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	l.raw = append(l.raw, p...)
	if len(l.raw) > 1<<20 {
		l.raw = l.raw[len(l.raw)-1<<19:]
	}
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		l.all = append(l.all, Line{At: now, Text: string(l.partial[:i])})
		l.partial = l.partial[i+1:]
	}
	return len(p), nil
}

func (l *logLines) lines() []Line {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Line(nil), l.all...)
}

func (l *logLines) bytes() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]byte(nil), l.raw...)
}

// Sim serves the recordings (paths of .snmprec files) until the test
// ends and returns the agent once it answers.
func Sim(t testing.TB, recordings ...string) *Agent {
	t.Helper()
	data := map[string][]byte{}
	for _, r := range recordings {
		b, err := os.ReadFile(r)
		if err != nil {
			t.Fatal(err)
		}
		data[strings.TrimSuffix(filepath.Base(r), ".snmprec")] = b
	}
	return SimData(t, data)
}

// place is where an agent runs: a command started there, and a socket
// opened there (the machine's own network when nil).
type place interface {
	Command(ctx context.Context, name string, args ...string) *exec.Cmd
	Do(fn func() error) error
}

// SimData serves recordings given as community name → .snmprec text.
func SimData(t testing.TB, recordings map[string][]byte) *Agent {
	t.Helper()
	return startSim(t, nil, recordings, nil, nil)
}

// SimUser is an SNMPv3 user of snmpsimd (protocols as snmp-ups names
// them: MD5, SHA; DES, AES).
type SimUser struct {
	Name, AuthProtocol, AuthKey, PrivProtocol, PrivKey string
}

// V3Community is the community (and SNMPv3 context name) under which
// SimV3 also serves its recording.
const V3Community = "1.3.6.1.6.1.1.0"

// SimV3 serves one recording to SNMPv3 requests of the user (with no
// context name, as NUT's snmp-ups sends them), and to v1 and v2c
// requests with V3Community.
func SimV3(t testing.TB, user SimUser, recording []byte) *Agent {
	t.Helper()
	// snmpsimd picks the recording for an empty context by the
	// transport of the endpoint: the first one's.
	return startSim(t, nil, map[string][]byte{V3Community: recording}, nil, &user)
}

// SimHosts serves one recording per address (community "public"), e.g.
// {"127.0.0.11:161": apc, "127.0.0.12:161": eaton}: a small network of
// agents for scans. Agent.Addr is the first address.
func SimHosts(t testing.TB, hosts map[string][]byte) *Agent {
	t.Helper()
	return simHosts(t, nil, hosts)
}

func simHosts(t testing.TB, where place, hosts map[string][]byte) *Agent {
	t.Helper()
	var addrs []string
	for a := range hosts {
		addrs = append(addrs, a)
	}
	sort.Strings(addrs)
	recs := map[string][]byte{}
	for i, a := range addrs {
		// snmpsim: public/<transport OID of the i-th endpoint>.snmprec
		recs[filepath.Join("public", fmt.Sprintf("1.3.6.1.6.1.1.%d", i))] = hosts[a]
	}
	return startSim(t, where, recs, addrs, nil)
}

func startSim(t testing.TB, where place, recordings map[string][]byte, endpoints []string, v3 *SimUser) *Agent {
	t.Helper()
	debtest.Require(t, "snmpsim", SimBinary)
	// snmpsimd drops to nobody: its directories must be open to it.
	root, err := os.MkdirTemp("", "snmpsim-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	data, cache := filepath.Join(root, "data"), filepath.Join(root, "cache")
	for _, d := range []string{data, cache} {
		if err := os.MkdirAll(d, 0o777); err != nil {
			t.Fatal(err)
		}
	}
	os.Chmod(root, 0o755)
	os.Chmod(cache, 0o777)
	for name, b := range recordings {
		p := filepath.Join(data, name+".snmprec")
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	if len(endpoints) == 0 {
		endpoints = []string{fmt.Sprintf("127.0.0.1:%d", FreeUDPPort(t))}
	}
	addr := endpoints[0]
	args := []string{"--data-dir=" + data, "--process-user=nobody", "--process-group=nogroup", "--cache-dir=" + cache}
	if v3 == nil {
		args = append(args, "--v2c-arch")
	} else {
		args = append(args, "--v3-user="+v3.Name)
		if v3.AuthKey != "" {
			args = append(args, "--v3-auth-key="+v3.AuthKey, "--v3-auth-proto="+v3.AuthProtocol)
		}
		if v3.PrivKey != "" {
			args = append(args, "--v3-priv-key="+v3.PrivKey, "--v3-priv-proto="+v3.PrivProtocol)
		}
	}
	for _, e := range endpoints {
		args = append(args, "--agent-udpv4-endpoint="+e)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var cmd *exec.Cmd
	if where != nil {
		cmd = where.Command(ctx, SimBinary, args...)
	} else {
		cmd = exec.CommandContext(ctx, SimBinary, args...)
	}
	out := &logLines{}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.Env = append(os.Environ(), "PYTHONUNBUFFERED=1") // lines arrive as they happen
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		cmd.Wait()
		if t.Failed() {
			t.Logf("snmpsimd output (last 4 KiB):\n%s", tail(out.bytes(), 4096))
		}
	})
	a := &Agent{Addr: addr, Dir: data, endpoints: endpoints, where: where, cmd: cmd, log: out}
	a.wait(t)
	return a
}

// Snmpd runs Debian's snmpd in the foreground with conf (snmpd.conf
// lines: communities, createUser, override, sysobjectid …) on a free
// loopback port, until the test ends.
func Snmpd(t testing.TB, conf string) *Agent {
	t.Helper()
	debtest.Require(t, "snmpd", SnmpdBinary)
	dir := t.TempDir()
	addr := fmt.Sprintf("127.0.0.1:%d", FreeUDPPort(t))
	text := fmt.Sprintf("[snmp] persistentDir %s\nagentaddress udp:%s\n%s", filepath.Join(dir, "persist"), addr, conf)
	path := filepath.Join(dir, "snmpd.conf")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	a := &Agent{Addr: addr, Dir: dir, endpoints: []string{addr}}
	a.start = func() {
		ctx, cancel := context.WithCancel(context.Background())
		// -C: no other configuration file; -Lo: log to stdout; -f: foreground.
		cmd := exec.CommandContext(ctx, SnmpdBinary, "-f", "-Lo", "-C", "-c", path, "-p", filepath.Join(dir, "pid"), "-M", "/nonexistent")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		cmd.WaitDelay = 2 * time.Second
		if err := cmd.Start(); err != nil {
			cancel()
			t.Fatal(err)
		}
		a.cmd = cmd
		t.Cleanup(func() {
			cancel()
			cmd.Wait()
			if t.Failed() {
				t.Logf("snmpd output (last 4 KiB):\n%s", tail(out.Bytes(), 4096))
			}
		})
		a.wait(t)
	}
	a.start()
	return a
}

// Restart starts a stopped snmpd again on the same address.
func (a *Agent) Restart() { a.start() }

// Stop ends the agent before the test does (an agent that goes silent).
func (a *Agent) Stop() {
	a.cmd.Process.Kill()
	a.cmd.Wait()
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// readyWithin bounds how long an agent may take to answer its first
// request: snmpsimd indexes its recordings before it reads a request,
// which takes seconds when make check loads the machine.
const readyWithin = 60 * time.Second

// wait returns once the agent answers at every endpoint. Being bound is
// not enough: snmpsimd binds its sockets first, then indexes its
// recordings, and only then reads requests; a scan sent in between waits
// in the socket and is answered after its timeout (TestGarbageAgents lost
// every agent so under load). The probes are a GET with snmpsimd's
// "index" community, which it answers on every endpoint whatever the
// recordings, and an SNMPv3 engine discovery, which snmpd answers
// whatever its users; neither is counted by Requests.
func (a *Agent) wait(t testing.TB) {
	t.Helper()
	probes := readyProbes(t)
	deadline := time.Now().Add(readyWithin)
	for _, ep := range a.endpoints {
		if err := answers(a.where, ep, probes, deadline); err != nil {
			t.Fatalf("the SNMP agent at %s does not answer: %v", ep, err)
		}
	}
}

// readyProbes are the requests wait sends.
func readyProbes(t testing.TB) [][]byte {
	t.Helper()
	get := &gosnmp.SnmpPacket{Version: gosnmp.Version2c, Community: "index", PDUType: gosnmp.GetRequest, RequestID: 1,
		Variables: []gosnmp.SnmpPDU{{Name: ".1.3.6.1.2.1.1.1.0", Type: gosnmp.Null}}}
	discover := &gosnmp.SnmpPacket{Version: gosnmp.Version3, MsgFlags: gosnmp.Reportable, MsgID: 1, RequestID: 1,
		SecurityModel: gosnmp.UserSecurityModel, SecurityParameters: &gosnmp.UsmSecurityParameters{}, PDUType: gosnmp.GetRequest}
	var out [][]byte
	for _, p := range []*gosnmp.SnmpPacket{get, discover} {
		b, err := p.MarshalMsg()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// answers sends probes to addr (in where) every 250 ms until anything
// comes back.
func answers(where place, addr string, probes [][]byte, deadline time.Time) error {
	var c net.Conn
	var err error
	if where != nil {
		err = where.Do(func() (err error) { c, err = net.Dial("udp", addr); return err })
	} else {
		c, err = net.Dial("udp", addr)
	}
	if err != nil {
		return err
	}
	defer c.Close()
	buf := make([]byte, 4096)
	for {
		for _, p := range probes {
			c.Write(p) // refused while not bound: tried again
		}
		next := time.Now().Add(250 * time.Millisecond)
		c.SetReadDeadline(next)
		if _, err := c.Read(buf); err == nil {
			return nil
		}
		time.Sleep(time.Until(next)) // a refusal (not bound yet) comes at once
		if time.Now().After(deadline) {
			return fmt.Errorf("no answer within %v", readyWithin)
		}
	}
}

// FreeUDPPort returns a UDP port on 127.0.0.1 that was free a moment
// ago.
func FreeUDPPort(t testing.TB) int {
	t.Helper()
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port
}

// APCLike is an snmpd.conf that makes Net-SNMP's snmpd look like an APC
// rPDU2 with two switched outlets: read-only community "ro", read-write
// community "rw", and an SNMPv3 user with SHA authentication and AES
// privacy.
const APCLike = `rocommunity ro 127.0.0.1
rwcommunity rw 127.0.0.1
sysobjectid 1.3.6.1.4.1.318.1.3.4.5
createUser pcuser SHA "auth-pass-1" AES "priv-pass-1"
rwuser pcuser priv
override 1.3.6.1.4.1.318.1.1.4.1.4.0 octet_str "AP7900"
override 1.3.6.1.4.1.318.1.1.4.4.1.0 integer 2
override -rw 1.3.6.1.4.1.318.1.1.4.4.2.1.3.1 integer 1
override -rw 1.3.6.1.4.1.318.1.1.4.4.2.1.3.2 integer 1
override -rw 1.3.6.1.4.1.318.1.1.4.4.2.1.4.1 octet_str "web-1"
override -rw 1.3.6.1.4.1.318.1.1.4.4.2.1.4.2 octet_str "web-2"
`

// SendTrap runs Net-SNMP's snmptrap with args: its options, the
// receiver, then the trap (for v2c and v3 the uptime, empty for now, and
// the notification's OID; for v1 the enterprise, agent address, generic
// and specific numbers and the uptime). OIDs are numeric (no MIB is
// loaded); the state directory is the test's; an inform (-Ci) waits a
// second for its answer. A failure fails the test.
func SendTrap(t testing.TB, args ...string) {
	t.Helper()
	debtest.Require(t, "snmp", TrapBinary)
	dir := t.TempDir()
	cmd := exec.Command(TrapBinary, append([]string{"-m", "", "-t", "1", "-r", "0"}, args...)...)
	cmd.Env = append(os.Environ(), "SNMP_PERSISTENT_DIR="+dir, "SNMPCONFPATH="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("snmptrap %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// IdentOnly reports whether a recording holds nothing but MIB-2's system
// group (sysDescr, sysObjectID …): an agent that identifies itself and
// answers no device data.
func IdentOnly(rec []byte) bool {
	for _, l := range strings.Split(strings.TrimSpace(string(rec)), "\n") {
		if !strings.HasPrefix(strings.TrimPrefix(l, "."), "1.3.6.1.2.1.1.") {
			return false
		}
	}
	return true
}
