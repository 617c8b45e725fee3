package main

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/powerchain/powerchain/internal/nuttest"
)

// notifySocket is a fake service manager: the datagram socket a service
// reports to through $NOTIFY_SOCKET.
type notifySocket struct {
	path string
	msgs chan string
}

func newNotifySocket(t *testing.T) *notifySocket {
	t.Helper()
	// Unix socket paths are short: not under t.TempDir's long name.
	dir, err := os.MkdirTemp("", "sdn")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, "notify")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	n := &notifySocket{path: path, msgs: make(chan string, 1000)}
	go func() {
		buf := make([]byte, 4096)
		for {
			k, _, err := conn.ReadFromUnix(buf)
			if err != nil {
				close(n.msgs)
				return
			}
			n.msgs <- string(buf[:k])
		}
	}()
	return n
}

// expect waits for a message holding every one of the lines given,
// skipping the watchdog's, and returns it.
func (n *notifySocket) expect(t *testing.T, what string, lines ...string) string {
	t.Helper()
	timeout := time.After(60 * time.Second)
	for {
		select {
		case m, ok := <-n.msgs:
			if !ok {
				t.Fatalf("%s: notify socket closed", what)
			}
			if hasLines(m, lines...) {
				return m
			}
			if !hasLines(m, "WATCHDOG=1") {
				t.Logf("%s: skipping %q", what, m)
			}
		case <-timeout:
			t.Fatalf("%s: no message with %q", what, lines)
		}
	}
}

func hasLines(msg string, lines ...string) bool {
	have := strings.Split(msg, "\n")
	for _, l := range lines {
		found := false
		for _, h := range have {
			if h == l || strings.HasSuffix(l, "=") && strings.HasPrefix(h, l) {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// startService runs powerchain with the fake manager's socket and a
// watchdog of 200 ms, as systemd runs a Type=notify service with
// WatchdogSec.
func startService(t *testing.T, n *notifySocket, env []string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	bin := filepath.Join(binary(t), "powerchain")
	cmd := exec.Command(bin, args...)
	cmd.Env = append(append(os.Environ(), "NOTIFY_SOCKET="+n.path, "WATCHDOG_USEC=200000"), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return cmd, &out
}

// stopService sends SIGTERM and expects STOPPING=1 and a clean exit.
func stopService(t *testing.T, n *notifySocket, cmd *exec.Cmd, out *bytes.Buffer) {
	t.Helper()
	cmd.Process.Signal(syscall.SIGTERM)
	n.expect(t, "stop", "STOPPING=1")
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v\n%s", err, out)
	}
}

// TestServiceNotify runs serve, upsmon and console as systemd runs their
// units (Type=notify, WatchdogSec, ExecReload=kill -HUP): each says
// READY=1 once it does its work, feeds the watchdog, and answers a
// reload with RELOADING=1 then READY=1.
func TestServiceNotify(t *testing.T) {
	dir, port := oneUPSConf(t, map[string]string{"upsd.users": "[mon]\n\tpassword = mpw\n\tupsmon primary\n"})
	if err := os.WriteFile(filepath.Join(dir, "upsmon.conf"), fmt.Appendf(nil, "MONITOR ups1@127.0.0.1:%d 1 mon mpw primary\nPOLLFREQ 1\n"+
		"SHUTDOWNCMD \"/bin/true\"\n", port), 0o640); err != nil {
		t.Fatal(err)
	}
	env := []string{"NUT_CONFPATH=" + dir, "NUT_STATEPATH=" + dir}

	t.Run("serve", func(t *testing.T) {
		n := newNotifySocket(t)
		cmd, out := startService(t, n, env, "serve", "-c", dir)
		n.expect(t, "start", "READY=1", fmt.Sprintf("STATUS=serving NUT on 127.0.0.1:%d", port))
		// Ready means listening.
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			t.Fatalf("READY=1 before listening: %v", err)
		}
		c.Close()
		n.expect(t, "watchdog", "WATCHDOG=1")
		n.expect(t, "watchdog", "WATCHDOG=1")
		cmd.Process.Signal(syscall.SIGHUP)
		n.expect(t, "reload", "RELOADING=1", "MONOTONIC_USEC=")
		n.expect(t, "reloaded", "READY=1")
		stopService(t, n, cmd, out)
	})

	t.Run("upsmon", func(t *testing.T) {
		srv := newNotifySocket(t)
		server, serverOut := startService(t, srv, env, "serve", "-c", dir)
		srv.expect(t, "server", "READY=1")
		n := newNotifySocket(t)
		cmd, out := startService(t, n, env, "upsmon", "-F")
		n.expect(t, "start", "READY=1", "STATUS=monitoring 1 supplies")
		n.expect(t, "watchdog", "WATCHDOG=1")
		cmd.Process.Signal(syscall.SIGHUP)
		n.expect(t, "reload", "RELOADING=1")
		n.expect(t, "reloaded", "READY=1")
		// A file that cannot be used is refused; the monitor keeps
		// running with the one it has.
		conf := filepath.Join(dir, "upsmon.conf")
		good, _ := os.ReadFile(conf)
		os.WriteFile(conf, []byte("MINSUPPLIES 3\n"), 0o640)
		cmd.Process.Signal(syscall.SIGHUP)
		n.expect(t, "bad reload", "RELOADING=1")
		n.expect(t, "bad reload", "READY=1")
		os.WriteFile(conf, good, 0o640)
		n.expect(t, "watchdog after a refused reload", "WATCHDOG=1")
		stopService(t, n, cmd, out)
		if !strings.Contains(out.String(), "reload failed") {
			t.Errorf("the refused reload is not logged:\n%s", out)
		}
		stopService(t, srv, server, serverOut)
	})

	t.Run("console", func(t *testing.T) {
		n := newNotifySocket(t)
		cport := nuttest.FreePort(t)
		cmd, out := startService(t, n, env, "console", "--listen", fmt.Sprintf("127.0.0.1:%d", cport),
			"--source", fmt.Sprintf("127.0.0.1:%d", port), "--db", filepath.Join(dir, "console.db"))
		n.expect(t, "start", "READY=1")
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", cport))
		if err != nil {
			t.Fatalf("READY=1 before listening: %v", err)
		}
		c.Close()
		n.expect(t, "watchdog", "WATCHDOG=1")
		cmd.Process.Signal(syscall.SIGHUP)
		n.expect(t, "reload", "RELOADING=1")
		n.expect(t, "reloaded", "READY=1")
		stopService(t, n, cmd, out)
	})
}
