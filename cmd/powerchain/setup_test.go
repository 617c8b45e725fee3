package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/demo"
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

// TestSetupJoinExitCodes: setup joining a server, as a provisioning tool
// runs it: every choice a flag, --json, and the exit status says what
// went wrong. A NUT server found by a scan is joined, not relayed.
func TestSetupJoinExitCodes(t *testing.T) {
	rack := t.TempDir()
	if err := demo.WriteTo(rack); err != nil {
		t.Fatal(err)
	}
	users, _ := os.ReadFile(filepath.Join(rack, "upsd.users"))
	os.WriteFile(filepath.Join(rack, "upsd.users"), append(users, "\n[node]\n\tpassword = node-pw\n\tupsmon secondary\n"...), 0o640)
	addr, _ := serveDir(t, rack)
	pw := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pw, []byte("node-pw\n"), 0o600)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"joined", []string{"--host", "srv2", "--user", "node", "--password-file", pw}, 0, `"monitors_added": [`},
		{"nothing feeds the host", []string{"--host", "srv9", "--user", "node", "--password-file", pw}, 3, `has device.host "srv9"`},
		{"wrong password", []string{"--host", "srv2", "--user", "node", "--password", "nope"}, 1, "cannot log in as upsmon"},
		{"no password without a terminal", []string{"--host", "srv2", "--user", "node"}, 2, "--password-file or --password is needed"},
		{"no user without a terminal", []string{"--host", "srv2"}, 2, "--user is needed"},
		{"an unknown flag", []string{"--hots", "srv2"}, 2, "unknown flag: --hots"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			out, errOut, code := run(t, append([]string{"setup", "-c", dir, "--server", addr, "--yes", "--json"}, tt.args...)...)
			if code != tt.code || !strings.Contains(out+errOut, tt.want) {
				t.Errorf("exit %d, want %d with %q:\n%s%s", code, tt.code, tt.want, out, errOut)
			}
			// stdout is JSON, a failure's with its "error".
			var res struct{ Error *string }
			if err := json.Unmarshal([]byte(out), &res); err != nil || (res.Error != nil) != (code != 0) {
				t.Errorf("stdout is not the JSON of a run that exits %d (%v):\n%s", code, err, out)
			}
		})
	}

	// More supplies needed than feed the host: refused, each finding said
	// once, in text and in JSON runs alike.
	for _, extra := range [][]string{nil, {"--json"}} {
		dir := t.TempDir()
		args := append([]string{"setup", "-c", dir, "--server", addr, "--yes", "--host", "srv2", "--user", "node", "--password-file", pw, "--min-supplies", "3"}, extra...)
		out, errOut, code := run(t, args...)
		if n := strings.Count(out+errOut, "MINSUPPLIES 3"); code != 1 || n != 1 {
			t.Errorf("setup --min-supplies 3 %v: exit %d, the finding said %d times:\n%s%s", extra, code, n, out, errOut)
		}
		if extra == nil {
			continue
		}
		// In JSON, the finding beside the error, and the supplies found.
		var res struct {
			Error    string
			Findings []struct{ Message string }
			Join     struct{ Supplies []any }
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil || res.Error == "" || len(res.Findings) != 1 ||
			!strings.Contains(res.Findings[0].Message, "MINSUPPLIES 3") || len(res.Join.Supplies) != 2 {
			t.Errorf("setup --min-supplies 3 --json (%v):\n%s", err, out)
		}
	}

	// A scan that found the server (as DNS-SD or the NUT bus would): its
	// devices are joined under their own names, nothing is relayed.
	dir := t.TempDir()
	found := fmt.Sprintf(`[{"bus":"AVAHI","driver":"nutclient","port":"srv3-psu1@%s"},{"bus":"AVAHI","driver":"nutclient","port":"ups1@%s"}]`, addr, addr)
	scanFile := filepath.Join(t.TempDir(), "scan.json")
	os.WriteFile(scanFile, []byte(found), 0o644)
	out, errOut, code := run(t, "setup", "-c", dir, "--from", scanFile, "--host", "srv3", "--user", "node", "--password-file", pw, "--yes")
	if code != 0 || !strings.Contains(out, "srv3 draws power from 2 supplies; it needs 1 (MINSUPPLIES):\n  MONITOR srv3-psu1@"+addr+" 1  (srv3-psu1 -> pdu1:outlet3 -> ups1 -> main: healthy)\n") {
		t.Errorf("setup --from a scan with a server: exit %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "ups.conf")); err == nil {
		t.Error("ups.conf written: the server's devices were relayed")
	}
}
