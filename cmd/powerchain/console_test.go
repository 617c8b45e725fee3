package main

import (
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/powerchain/powerchain/console"
	"github.com/powerchain/powerchain/internal/consoletest"
)

// TestConsoleNotify: "powerchain console-notify", run as upsmon's
// NOTIFYCMD runs it (NOTIFYTYPE, UPSNAME in the environment, the message
// as argument), lands among the console's events.
func TestConsoleNotify(t *testing.T) {
	bin := binary(t)
	_, url := consoletest.Start(t, console.Options{Sources: []string{"127.0.0.1:9"}, DBPath: filepath.Join(t.TempDir(), "c.sqlite")})
	cmd := exec.Command(filepath.Join(bin, "powerchain"), "console-notify", "--console", url, "UPS ups1@localhost on battery")
	cmd.Env = append(os.Environ(), "NOTIFYTYPE=ONBATT", "UPSNAME=ups1@localhost")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("console-notify: %v\n%s", err, out)
	}
	r, err := http.Get(url + "/api/events")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if !strings.Contains(string(b), `"message": "ONBATT: UPS ups1@localhost on battery"`) || !strings.Contains(string(b), `"device": "ups1@localhost"`) {
		t.Errorf("events: %s", b)
	}
}

// TestConsoleBadSource: a malformed --source stops the console at start
// with a clear error.
func TestConsoleBadSource(t *testing.T) {
	bin := binary(t)
	for _, src := range []string{"127.0.0.1:99999", "http://127.0.0.1:3493"} {
		cmd := exec.Command(filepath.Join(bin, "powerchain"), "console", "--listen", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "c.sqlite"), "--source", src)
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), `source "`+src+`" is not host[:port]`) {
			t.Errorf("--source %s: %v\n%s", src, err, out)
		}
	}
}
