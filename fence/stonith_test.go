package fence_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/internal/netnstest"
)

const (
	stonithAdmin = "/usr/sbin/stonith_admin"
	fenced       = "/usr/lib/pacemaker/pacemaker-fenced"
)

// TestPacemakerFencesHost runs fence_nut under Pacemaker's own fencer:
// pacemaker-fenced in stand-alone mode (no cluster, no CIB) with the
// device registered by stonith_admin, which then fences a host that two
// PDUs feed, by its name. It all runs in a network namespace of its own
// (the fencer's IPC sockets are abstract, one set per namespace) whose
// /usr/sbin shows fence_nut beside fence-agents' (an overlay in the
// programs' mount namespaces: Pacemaker runs agents from /usr/sbin only).
// stonith_admin --validate runs the agent's validate-all itself, without
// the fencer.
func TestPacemakerFencesHost(t *testing.T) {
	netnstest.Need(t, stonithAdmin, fenced)
	l := netnstest.New(t, netnstest.Options{})
	rack := filepath.Join(l.Tmp, "rack")
	os.MkdirAll(rack, 0o755)
	for n, c := range twoPDUFiles() {
		os.WriteFile(filepath.Join(rack, n), []byte(c), 0o640)
	}
	os.WriteFile(filepath.Join(rack, "upsd.conf"), []byte("LISTEN 127.0.0.1 3493\n"), 0o640)
	l.Start(l.A, l.Bin, "serve", "-c", rack, "--announce", "no")

	agents := filepath.Join(l.Tmp, "agents")
	os.MkdirAll(agents, 0o755)
	if err := os.Symlink(l.Bin, filepath.Join(agents, "fence_nut")); err != nil {
		t.Fatal(err)
	}
	// with runs a program with fence_nut in /usr/sbin.
	with := filepath.Join(l.Tmp, "with-agents")
	os.WriteFile(with, []byte("#!/bin/sh\nmount -t overlay overlay -o lowerdir="+agents+":/usr/sbin /usr/sbin || exit 99\nexec \"$@\"\n"), 0o755)
	l.Start(l.A, with, fenced, "-s")
	admin := func(args ...string) (string, error) {
		return l.Run(l.A, with, append([]string{stonithAdmin}, args...)...)
	}
	opts := []string{"-o", "ip=127.0.0.1", "-o", "username=fencer", "-o", "password=f3nce", "-o", "power_timeout=5"}
	states := func() string {
		out, _ := l.Run(l.A, l.Bin, "upsc", "pdu1@127.0.0.1", "outlet.1.status")
		out2, _ := l.Run(l.A, l.Bin, "upsc", "pdu2@127.0.0.1", "outlet.1.status")
		out3, _ := l.Run(l.A, l.Bin, "upsc", "pdu1@127.0.0.1", "outlet.2.status")
		return strings.Join(strings.Fields(out+out2+out3), " ")
	}
	l.Eventually(20*time.Second, "the rack answers", func() bool { return states() == "on on on" })

	// Pacemaker reads the agent's metadata and validates the options.
	if out, err := admin(append([]string{"--validate", "-a", "fence_nut"}, opts...)...); err != nil || !strings.Contains(out, "Validation of fence_nut succeeded") {
		t.Fatalf("stonith_admin --validate: %v\n%s", err, out)
	}
	if out, err := admin("--validate", "-a", "fence_nut", "-o", "ip=127.0.0.1", "-o", "username=fencer", "-o", "password=wrong"); err == nil {
		t.Errorf("stonith_admin --validate with a wrong password succeeded:\n%s", out)
	}
	if out, err := admin("--metadata", "-a", "fence_nut"); err != nil || !strings.Contains(out, `<resource-agent name="fence_nut"`) {
		t.Errorf("stonith_admin --metadata: %v\n%s", err, out)
	}

	// The fencer: a device for the whole rack; it can fence srv1 (its
	// list names the host) and does, with both PDUs' outlets.
	l.Eventually(15*time.Second, "pacemaker-fenced answers", func() bool {
		_, err := admin("--list-registered")
		return err == nil
	})
	if out, err := admin(append([]string{"--register", "rack", "-a", "fence_nut"}, opts...)...); err != nil {
		t.Fatalf("stonith_admin --register: %v\n%s", err, out)
	}
	if out, err := admin("--list", "srv1"); err != nil || !strings.Contains(out, "rack") {
		t.Errorf("stonith_admin --list srv1: %v\n%s", err, out)
	}
	if out, err := admin("--fence", "srv1", "--timeout", "60"); err != nil {
		t.Fatalf("stonith_admin --fence srv1: %v\n%s", err, out)
	}
	if got := states(); got != "off off on" {
		t.Errorf("after fencing srv1, pdu1:1 pdu2:1 pdu1:2 = %s, want off off on", got)
	}
	if out, err := admin("--unfence", "srv1", "--timeout", "60"); err != nil {
		t.Fatalf("stonith_admin --unfence srv1: %v\n%s", err, out)
	}
	if got := states(); got != "on on on" {
		t.Errorf("after unfencing srv1: %s, want on on on", got)
	}
	if out, err := admin("--fence", "srv3", "--timeout", "30"); err == nil {
		t.Errorf("stonith_admin --fence srv3 (no outlet feeds it) succeeded:\n%s", out)
	}
}
