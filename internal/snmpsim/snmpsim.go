// Package snmpsim runs Debian's snmpsimd (the SNMP agent simulator) on
// 127.0.0.1 for tests: each .snmprec recording answers the community
// named after its file.
//
// A missing snmpsimd skips the test on a developer's machine and fails it
// in CI (CI=true), where .ci/run installs the package.
package snmpsim

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Binary is Debian's snmpsim command responder.
const Binary = "/usr/bin/snmpsimd"

// Agent is a running simulator.
type Agent struct {
	Addr string // 127.0.0.1:port
	Dir  string // data directory: recordings may be added while it runs
}

// Start serves the recordings (paths of .snmprec files) until the test
// ends and returns the agent once it answers.
func Start(t testing.TB, recordings ...string) *Agent {
	t.Helper()
	if _, err := os.Stat(Binary); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing: .ci/run must install Debian's snmpsim", Binary)
		}
		t.Skipf("%s is missing (apt-get install snmpsim)", Binary)
	}
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
	for _, r := range recordings {
		b, err := os.ReadFile(r)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(data, filepath.Base(r)), b, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	port := freeUDPPort(t)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, Binary, "--data-dir="+data, "--agent-udpv4-endpoint="+addr, "--v2c-arch",
		"--process-user=nobody", "--process-group=nogroup", "--cache-dir="+cache)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		cmd.Wait()
		if t.Failed() {
			t.Logf("snmpsimd output (last 4 KiB):\n%s", tail(out.Bytes(), 4096))
		}
	})
	a := &Agent{Addr: addr, Dir: data}
	a.wait(t)
	return a
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// wait waits until snmpsimd has bound its UDP port (it does not answer
// unknown communities, so a probe request would prove nothing).
func (a *Agent) wait(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.ListenPacket("udp", a.Addr)
		if err != nil { // bound by snmpsimd
			time.Sleep(200 * time.Millisecond) // let it finish indexing
			return
		}
		c.Close()
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("snmpsimd did not bind %s within 20 s", a.Addr)
}

func freeUDPPort(t testing.TB) int {
	t.Helper()
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port
}
