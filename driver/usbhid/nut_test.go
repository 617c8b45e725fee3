package usbhid_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/driver/usbhid"
	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/internal/servetest"
	"github.com/powerchain/powerchain/internal/testlog"
)

func TestMain(m *testing.M) { testlog.Main(m) }

// TestServeWithNUTClients runs each recording the way a user runs a UPS:
// a ups.conf section with driver = usbhid-ups (the port names the
// recording instead of a hidraw node), powerchain's server, and Debian's
// NUT clients reading it. upsc must show what NUT's usbhid-ups showed for
// the same device; upsrw and upscmd what the tables make writable.
func TestServeWithNUTClients(t *testing.T) {
	nuttest.Require(t, nuttest.Upsc, nuttest.Upsrw, nuttest.Upscmd)
	files, _ := filepath.Glob("testdata/*.replay")
	env := nuttest.NewEnv(t)
	var conf strings.Builder
	recs := map[string]*usbhid.Replay{}
	for _, f := range files {
		r, err := usbhid.LoadReplay(f)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.ReplaceAll(strings.TrimSuffix(filepath.Base(f), ".replay"), "-", "_")
		recs[name] = r
		abs, _ := filepath.Abs(f)
		fmt.Fprintf(&conf, "[%s]\n\tdriver = usbhid-ups\n\tport = %q\n", name, abs)
		for k, v := range r.Settings {
			if k != "port" {
				fmt.Fprintf(&conf, "\t%s = %q\n", k, v)
			}
		}
	}
	env.WriteFile("ups.conf", conf.String(), 0o644)
	env.WriteFile("upsd.users", "[admin]\n\tpassword = pw\n\tactions = SET\n\tinstcmds = ALL\n", 0o640)
	port := servetest.Serve(t, daemon.Options{ConfDir: env.ConfDir}).Port
	for name, r := range recs {
		t.Run(name, func(t *testing.T) {
			target := fmt.Sprintf("%s@127.0.0.1:%d", name, port)
			env.WaitUPS(name, port)
			got := map[string]string{}
			for _, line := range strings.Split(env.Run(nuttest.Upsc, target), "\n") {
				if k, v, ok := strings.Cut(line, ": "); ok {
					got[k] = v
				}
			}
			for _, kv := range r.NUT {
				k, want := kv[0], kv[1]
				switch {
				case strings.HasPrefix(k, "driver.version"), k == "driver.state", k == "driver.parameter.synchronous":
					continue // NUT's build and process, not the device
				case k == "driver.parameter.port":
					continue // the recording's path here, "auto" on the real device
				case r.Differ[k] != "":
					continue
				}
				if got[k] != want {
					t.Errorf("upsc %s: %q, NUT's usbhid-ups %q", k, got[k], want)
				}
			}
			if strings.Contains(name, "bk650") {
				rw := env.Run(nuttest.Upsrw, target)
				for _, w := range []string{"[battery.charge.low]", "Type: STRING", "Maximum length: 10",
					"[input.sensitivity]", "[ups.delay.shutdown]"} {
					if !strings.Contains(rw, w) {
						t.Errorf("upsrw lacks %q:\n%s", w, rw)
					}
				}
				cmds := env.Run(nuttest.Upscmd, "-l", target)
				for _, c := range []string{"beeper.disable", "load.off", "shutdown.reboot", "test.battery.start.quick"} {
					if !strings.Contains(cmds, c) {
						t.Errorf("upscmd -l lacks %s:\n%s", c, cmds)
					}
				}
				out := env.Run(nuttest.Upscmd, "-u", "admin", "-p", "pw", target, "beeper.enable")
				if !strings.Contains(out, "OK") {
					t.Errorf("upscmd beeper.enable: %s", out)
				}
				env.Run(nuttest.Upsrw, "-s", "battery.charge.low=40", "-u", "admin", "-p", "pw", "-w", target)
				// The write shows at the next full update.
				deadline := time.Now().Add(20 * time.Second)
				for v := ""; v != "40"; {
					if time.Now().After(deadline) {
						t.Fatalf("battery.charge.low after upsrw: %q", v)
					}
					time.Sleep(100 * time.Millisecond)
					out := strings.Split(strings.TrimSpace(env.Run(nuttest.Upsc, target, "battery.charge.low")), "\n")
					v = out[len(out)-1] // after "Init SSL without certificate database"
				}
			}
		})
	}
}
