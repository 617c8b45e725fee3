package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/powerchain/powerchain/console"
	"github.com/powerchain/powerchain/internal/consoletest"
	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/internal/waittest"
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

// TestConsoleBadSource: a malformed --source, or a --sources file's bad
// place, stops the console at start with a clear error.
func TestConsoleBadSource(t *testing.T) {
	bin := binary(t)
	for _, src := range []string{"127.0.0.1:99999", "http://127.0.0.1:3493"} {
		cmd := exec.Command(filepath.Join(bin, "powerchain"), "console", "--listen", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "c.sqlite"), "--source", src)
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), `source "`+src+`" is not host[:port]`) {
			t.Errorf("--source %s: %v\n%s", src, err, out)
		}
	}
	// A --sources file's names are those serve takes (conf.CheckPlace).
	sources := filepath.Join(t.TempDir(), "sources")
	if err := os.WriteFile(sources, []byte("127.0.0.1:3493 site=paris\n127.0.0.1:3494 rack=\"*\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(bin, "powerchain"), "console", "--listen", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "c.sqlite"), "--sources", sources)
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), sources+`:2: rack: "*" stands for every site`) {
		t.Errorf("--sources with rack=\"*\": %v\n%s", err, out)
	}
}

// TestConsoleReloadSources: SIGHUP applies the --sources file as it now
// is: a server no longer listed is dropped (one --source gives is kept),
// a new one is added, and the site and rack of a server already shown
// are the file's new ones; a file with a bad line changes nothing.
func TestConsoleReloadSources(t *testing.T) {
	dir, port := oneUPSConf(t, nil)
	runProc(t, "serve", "-c", dir, "--announce", "no")
	server := fmt.Sprintf("127.0.0.1:%d", port)
	sources := filepath.Join(dir, "sources")
	write := func(src string) {
		t.Helper()
		if err := os.WriteFile(sources, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(server + " site=Paris rack=R1\n127.0.0.1:9 site=Gone\n")
	con := runProc(t, "console", "--listen", "127.0.0.1:0", "--db", filepath.Join(dir, "c.sqlite"), "--sources", sources,
		"--source", "127.0.0.1:7", "--interval", "1")
	var url string
	select {
	case line := <-con.lines:
		url = strings.TrimPrefix(line, "powerchain console on ")
	case <-con.exited:
		t.Fatalf("console exited: %s", con.out.String())
	case <-time.After(20 * time.Second):
		t.Fatal("console not listening in 20 s")
	}
	get := func(path string) string {
		r, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return string(b)
	}
	var page string
	shows := func(what string, sources []string, site, rack string) {
		t.Helper()
		if !waittest.Until(30*time.Second, 100*time.Millisecond, func() bool {
			var srcs []console.Source
			if json.Unmarshal([]byte(get("/api/sources")), &srcs) != nil || len(srcs) != len(sources) {
				return false
			}
			for _, s := range srcs {
				if !slices.Contains(sources, s.Addr) {
					return false
				}
			}
			page = get("/")
			return strings.Contains(page, ">"+site+"</h2>") && strings.Contains(page, `<span class="gname">`+rack+`</span>`)
		}) {
			t.Fatalf("not within 30 s: %s (servers %v, site %s, rack %s)\n%s\nconsole: %s", what, sources, site, rack, get("/api/sources"), con.out.String())
		}
	}
	shows("the file's servers and places", []string{server, "127.0.0.1:9", "127.0.0.1:7"}, "Paris", "R1")

	write(server + " site=Lyon rack=R2\n127.0.0.1:8\n")
	con.cmd.Process.Signal(syscall.SIGHUP)
	shows("the file as it is after SIGHUP", []string{server, "127.0.0.1:8", "127.0.0.1:7"}, "Lyon", "R2")
	if strings.Contains(page, ">Paris</h2>") {
		t.Errorf("site Paris still shown after the reload")
	}

	write(server + " site=Nice rack=R3\n127.0.0.1:8 site=\"\"\n")
	con.cmd.Process.Signal(syscall.SIGHUP)
	if !waittest.Until(10*time.Second, 50*time.Millisecond, func() bool {
		out := con.out.String()
		return strings.Contains(out, "reload: sources file") && strings.Contains(out, sources+":2: site: the name is empty")
	}) {
		t.Fatalf("the bad file is not logged: %s", con.out.String())
	}
	shows("what was read before, after a bad file", []string{server, "127.0.0.1:8", "127.0.0.1:7"}, "Lyon", "R2")
}

// oneUPSConf writes a configuration directory serving one dummy-ups
// device, ups1, on a free loopback port, with more files; it returns the
// directory and the port.
func oneUPSConf(t *testing.T, more map[string]string) (string, int) {
	t.Helper()
	port := nuttest.FreePort(t)
	files := map[string]string{
		"ups.conf":  "[ups1]\n\tdriver = dummy-ups\n\tport = ups1.dev\n",
		"ups1.dev":  "ups.status: OL\nbattery.charge: 100\n",
		"upsd.conf": fmt.Sprintf("LISTEN 127.0.0.1 %d\n", port),
	}
	maps.Copy(files, more)
	return writeConf(t, files), port
}
