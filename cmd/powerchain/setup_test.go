package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/powerchain/powerchain/conf"
)

// TestSetupAndScanCommands: nut-scanner (multi-call) lists a simulation
// file in NUT's parsable form; setup --yes configures it, refuses to ask
// without a terminal, and the result validates.
func TestSetupAndScanCommands(t *testing.T) {
	bin := binary(t, "nut-scanner")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "rack.dev"), []byte("ups.status: OL\n"), 0o644)
	run := func(name string, args ...string) (string, error) {
		cmd := exec.Command(filepath.Join(bin, name), args...)
		cmd.Env = append(os.Environ(), "NUT_CONFPATH="+dir)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run("nut-scanner", "-n", "-P", "-q")
	if err != nil || strings.TrimSpace(out) != `SIMULATION:driver="dummy-ups",port="rack.dev",desc="simulation rack"` {
		t.Errorf("nut-scanner -n -P -q: %v\n%s", err, out)
	}
	if out, err := run("powerchain", "setup", "--sysfs", "/nonexistent"); err == nil || !strings.Contains(out, "--yes") {
		t.Errorf("setup without a terminal: %v\n%s", err, out)
	}
	out, err = run("powerchain", "setup", "--yes", "--sysfs", "/nonexistent", "--listen", "127.0.0.1:3499")
	if err != nil || !strings.Contains(out, "Added: rack") || !strings.Contains(out, "powerchain serve -c "+dir) {
		t.Errorf("setup --yes: %v\n%s", err, out)
	}
	// The generated passwords are never printed; the output says how to
	// read them.
	cd, err := conf.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range cd.Users().Users {
		if strings.Contains(out, u.Password.Reveal()) {
			t.Errorf("setup prints the password of %s:\n%s", u.Name, out)
		}
		got, err := run("powerchain", "conf", "-c", dir, "get", "--show-secrets", "upsd.users", u.Name+".password")
		if !strings.Contains(out, "get --show-secrets upsd.users "+u.Name+".password") || err != nil || got != u.Password.Reveal()+"\n" {
			t.Errorf("reading %s's password as setup says: %v %q\n%s", u.Name, err, got, out)
		}
	}
	if out, err := run("powerchain", "conf", "validate"); err != nil {
		t.Errorf("validate after setup: %v\n%s", err, out)
	}
	if out, _ := run("powerchain", "setup", "--yes", "--sysfs", "/nonexistent"); !strings.Contains(out, "No new devices.") || !strings.Contains(out, "Already configured: rack") {
		t.Errorf("second setup:\n%s", out)
	}
}
