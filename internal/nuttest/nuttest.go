// Package nuttest starts Debian's Network UPS Tools programs on loopback
// for interoperability tests, and stops them when the test ends.
//
// A missing NUT binary skips the test on a developer's machine and fails
// it in CI (CI=true), where .ci/run installs the packages.
package nuttest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/internal/debtest"
	"github.com/powerchain/powerchain/internal/proctest"
	"github.com/powerchain/powerchain/internal/waittest"
)

// Paths of Debian's NUT 2.8.0 binaries (the /sbin wrappers check
// /etc/nut/nut.conf, so the real programs are started directly).
const (
	Upsd     = "/lib/nut/upsd"
	DummyUPS = "/lib/nut/dummy-ups"
	Upsc     = "/usr/bin/upsc"
	Upsrw    = "/usr/bin/upsrw"
	Upscmd   = "/usr/bin/upscmd"
)

// Require skips (or, in CI, fails) the test when a program is missing.
func Require(t testing.TB, paths ...string) {
	t.Helper()
	debtest.Require(t, "nut-server nut-client", paths...)
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Env is a NUT configuration directory and state directory for one test.
type Env struct {
	t        testing.TB
	ConfDir  string
	StateDir string
}

// NewEnv makes empty config and state directories.
func NewEnv(t testing.TB) *Env {
	t.Helper()
	root := t.TempDir()
	e := &Env{t: t, ConfDir: filepath.Join(root, "etc"), StateDir: filepath.Join(root, "state")}
	for _, d := range []string{e.ConfDir, e.StateDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// Environ is the process environment that points NUT at the directories.
func (e *Env) Environ() []string {
	return append(os.Environ(), "NUT_CONFPATH="+e.ConfDir, "NUT_STATEPATH="+e.StateDir)
}

// WriteFile writes a file into the config directory.
func (e *Env) WriteFile(name, content string, mode os.FileMode) {
	e.t.Helper()
	p := filepath.Join(e.ConfDir, name)
	if err := os.WriteFile(p, []byte(content), mode); err != nil {
		e.t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		e.t.Fatal(err)
	}
}

// WriteDummy writes an ups.conf of one device, name, that dummy-ups runs
// from name.dev, with the further settings of its section (such as
// `desc = "Test PDU"`), and name.dev with state (dummy-ups's "variable:
// value" lines).
func (e *Env) WriteDummy(name, state string, settings ...string) {
	e.t.Helper()
	var section strings.Builder
	fmt.Fprintf(&section, "[%s]\n\tdriver = dummy-ups\n\tport = %s.dev\n", name, name)
	for _, s := range settings {
		fmt.Fprintf(&section, "\t%s\n", s)
	}
	e.WriteFile("ups.conf", section.String(), 0o644)
	e.WriteFile(name+".dev", state, 0o644)
}

// NewDummyEnv makes an Env for Debian's upsd on a free port of
// 127.0.0.1 with users (WriteUpsd) and one device, name, that dummy-ups
// runs from state with the further settings of its section (WriteDummy).
// It starts nothing (StartNUT does) and returns upsd's port.
func NewDummyEnv(t testing.TB, name, state, users string, settings ...string) (*Env, int) {
	t.Helper()
	e := NewEnv(t)
	port := FreePort(t)
	e.WriteDummy(name, state, settings...)
	e.WriteUpsd(port, users)
	return e, port
}

// WriteUpsd writes an upsd.conf that listens on 127.0.0.1:port and the
// upsd.users given, both readable by their owner and group only.
func (e *Env) WriteUpsd(port int, users string) {
	e.t.Helper()
	e.WriteFile("upsd.conf", fmt.Sprintf("LISTEN 127.0.0.1 %d\n", port), 0o640)
	e.WriteFile("upsd.users", users, 0o640)
}

// Start runs a NUT program in the foreground of a background process,
// as root (-u root), until the test ends. Its output is logged on failure.
func (e *Env) Start(path string, args ...string) *exec.Cmd {
	e.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, path, append([]string{"-F", "-u", "root"}, args...)...)
	cmd.Env = e.Environ()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		cancel()
		e.t.Fatalf("start %s: %v", path, err)
	}
	e.t.Cleanup(func() {
		cancel()
		cmd.Wait()
		if e.t.Failed() {
			e.t.Logf("%s %s output:\n%s", filepath.Base(path), strings.Join(args, " "), out.String())
		}
	})
	return cmd
}

// Stop ends a program started with Start before the test ends: SIGTERM,
// then SIGKILL after 2 s. (Debian's upsmon keeps its PID file outside the
// test's directories, so a second one refuses to start while the first runs.)
func (e *Env) Stop(cmd *exec.Cmd) {
	proctest.Stop(cmd, 2*time.Second)
}

// StartDriver starts Debian's dummy-ups for the device name of ups.conf.
func (e *Env) StartDriver(name string) { e.Start(DummyUPS, "-a", name) }

// StartUpsd starts Debian's upsd with the directory's upsd.conf.
func (e *Env) StartUpsd() { e.Start(Upsd) }

// StartNUT starts Debian's dummy-ups for each device of ups.conf named,
// then Debian's upsd.
func (e *Env) StartNUT(names ...string) {
	for _, name := range names {
		e.StartDriver(name)
	}
	e.StartUpsd()
}

// Run runs a NUT client with the directories' environment and returns
// its standard output; it fails the test on a non-zero exit.
func (e *Env) Run(path string, args ...string) string {
	e.t.Helper()
	out, err := e.Output(path, args...)
	if err != nil {
		e.t.Fatalf("%s %s: %v\n%s", filepath.Base(path), strings.Join(args, " "), err, out)
	}
	return out
}

// Output runs a program with a 10 s limit and returns its combined output.
func (e *Env) Output(path string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = e.Environ()
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// WaitUPS polls with upsc until device ups@127.0.0.1:port answers with
// ups.status, for at most 10 s.
func (e *Env) WaitUPS(ups string, port int) { e.WaitVar(ups, port, "ups.status") }

// WaitVar polls with upsc until device ups@127.0.0.1:port has the
// variable, for at most 10 s, and returns its value. (NUT's drivers
// publish some values, such as ups.conf overrides, a moment after
// upsd connects.)
func (e *Env) WaitVar(ups string, port int, name string) string {
	e.t.Helper()
	target := fmt.Sprintf("%s@127.0.0.1:%d", ups, port)
	var out string
	var err error
	if !waittest.Until(10*time.Second, 100*time.Millisecond, func() bool {
		out, err = e.Output(Upsc, target, name)
		return err == nil
	}) {
		e.t.Fatalf("%s %s never answered: %s", target, name, out)
	}
	return strings.TrimSpace(lastLine(out))
}

// WaitRW polls with upsrw until variable name of device
// ups@127.0.0.1:port is writable, for at most 10 s. (Debian's dummy-ups
// publishes its variables' flags a moment after their values: a SET VAR
// before that is answered ERR READONLY.)
func (e *Env) WaitRW(ups string, port int, name string) {
	e.t.Helper()
	target := fmt.Sprintf("%s@127.0.0.1:%d", ups, port)
	var out string
	if !waittest.Until(10*time.Second, 50*time.Millisecond, func() bool {
		out, _ = e.Output(Upsrw, target)
		return strings.Contains(out, "["+name+"]")
	}) {
		e.t.Fatalf("%s %s never writable: %s", target, name, out)
	}
}

// lastLine drops the lines NUT's clients print before the answer
// ("Init SSL without certificate database").
func lastLine(s string) string {
	s = strings.TrimRight(s, "\n")
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// PortString is strconv.Itoa, for building command lines.
func PortString(p int) string { return strconv.Itoa(p) }

// FakeServer stands in for a NUT server that misbehaves: it listens on a
// free port of 127.0.0.1 until the test ends, hands each connection it
// accepts to handle, in order, and returns its address. The connections
// are closed when the test ends.
func FakeServer(t testing.TB, handle func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		var held []net.Conn
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
			handle(c)
		}
	}()
	return ln.Addr().String()
}

// SilentServer accepts connections and never answers (a hung upsd, or a
// firewall that lets the handshake through) until the test ends; it
// returns the address (FakeServer).
func SilentServer(t testing.TB) string {
	t.Helper()
	return FakeServer(t, func(net.Conn) {})
}

// Powerchain builds the powerchain binary into the test's temporary
// directory and returns its path (benchmarks run it as a process of its
// own, to measure it alone).
func Powerchain(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "powerchain")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/powerchain/powerchain/cmd/powerchain").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}
