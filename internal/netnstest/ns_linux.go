package netnstest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/sys/unix"
)

// NS is one network namespace of a test, for a network modelled on its
// loopback (addresses that answer, addresses its firewall makes silent):
// commands run in it, and the test's own sockets can be opened in it
// (Do).
type NS struct {
	Name string
}

var namespaces atomic.Int32

// NewNS makes a namespace with a name unique to this process (tag tells
// whose it is), brings its loopback up and deletes it when the test
// ends.
func NewNS(t testing.TB, tag string) *NS {
	t.Helper()
	Need(t, "/usr/sbin/ip")
	n := &NS{Name: fmt.Sprintf("pc%s%d-%d", tag, os.Getpid(), namespaces.Add(1))}
	if out, err := exec.Command("ip", "netns", "add", n.Name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add %s: %v\n%s", n.Name, err, out)
	}
	t.Cleanup(func() { exec.Command("ip", "netns", "del", n.Name).Run() })
	n.Run(t, "ip", "link", "set", "lo", "up")
	return n
}

// Command is name run with args inside the namespace, in the test's
// environment.
func (n *NS) Command(ctx context.Context, name string, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", n.Name, name}, args...)...)
}

// Run runs a command inside the namespace and fails the test if it
// fails.
func (n *NS) Run(t testing.TB, name string, args ...string) {
	t.Helper()
	if out, err := n.Command(context.Background(), name, args...).CombinedOutput(); err != nil {
		t.Fatalf("in %s: %s %s: %v\n%s", n.Name, name, strings.Join(args, " "), err, out)
	}
}

// Firewall loads an nftables ruleset (nft -f syntax) into the namespace.
func (n *NS) Firewall(t testing.TB, ruleset string) {
	t.Helper()
	Need(t, "/usr/sbin/nft")
	cmd := n.Command(context.Background(), "nft", "-f", "-")
	cmd.Stdin = strings.NewReader(ruleset)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("in %s: nft: %v\n%s\nruleset:\n%s", n.Name, err, out, ruleset)
	}
}

// Do runs fn on an OS thread that has entered the namespace. Sockets fn
// opens belong to the namespace for their whole life, whichever
// goroutine uses them afterwards; fn should do nothing else.
func (n *NS) Do(fn func() error) error { return Enter(n.Name, fn) }

// Enter runs fn on an OS thread that has entered the named namespace
// (one of a Lab's too), as NS.Do does.
func Enter(name string, fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		// A thread that cannot go back to its namespace is never
		// unlocked: it ends with this goroutine.
		runtime.LockOSThread()
		own, err := os.Open(fmt.Sprintf("/proc/self/task/%d/ns/net", unix.Gettid()))
		if err != nil {
			errc <- err
			return
		}
		defer own.Close()
		target, err := os.Open("/var/run/netns/" + name)
		if err != nil {
			errc <- err
			return
		}
		defer target.Close()
		if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("enter namespace %s: %w", name, err)
			return
		}
		err = fn()
		if unix.Setns(int(own.Fd()), unix.CLONE_NEWNET) == nil {
			runtime.UnlockOSThread()
		}
		errc <- err
	}()
	return <-errc
}
