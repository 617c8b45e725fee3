package daemon

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/internal/clienttest"
	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/internal/waittest"
)

// startDir serves a config directory on a loopback port and waits until
// every device has data.
func startDir(t *testing.T, dir string) (*Daemon, int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	var port int
	d, err := Start(ctx, Options{ConfDir: dir, Listen: []string{"127.0.0.1:0"},
		Ready: func(a []net.Addr) { port = a[0].(*net.TCPAddr).Port }})
	if err != nil {
		t.Fatal(err)
	}
	var waiting string
	if !waittest.Until(20*time.Second, 10*time.Millisecond, func() bool {
		for _, dev := range d.Store().Devices() {
			if !dev.Snapshot().Connected {
				waiting = dev.Name()
				return false
			}
		}
		return true
	}) {
		t.Fatalf("device %s never got data", waiting)
	}
	return d, port
}

// withoutDriverVars drops the driver.* lines, which name the driver and
// its version and so differ by design.
func withoutDriverVars(s string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		if !strings.HasPrefix(l, "driver.") && l != "" {
			b.WriteString(l)
		}
	}
	return b.String()
}

// TestDDLMatchesDebianUpsc serves every device dump of the NUT Devices
// Dumps Library from one powerchain process and checks that Debian's
// upsc prints, for each, exactly what it printed against Debian's own
// dummy-ups + upsd (testdata/ddl-nut-upsc), driver.* lines aside.
func TestDDLMatchesDebianUpsc(t *testing.T) {
	nuttest.Require(t, nuttest.Upsc)
	devs, err := filepath.Glob("../testdata/ddl/*.dev")
	if err != nil || len(devs) == 0 {
		t.Fatalf("no dumps: %v", err)
	}
	dir := t.TempDir()
	var conf strings.Builder
	names := map[string]string{}
	for i, p := range devs {
		abs, _ := filepath.Abs(p)
		name := fmt.Sprintf("d%03d", i)
		names[name] = strings.TrimSuffix(filepath.Base(p), ".dev")
		fmt.Fprintf(&conf, "[%s]\n\tdriver = dummy-ups\n\tport = %s\n", name, abs)
	}
	if err := os.WriteFile(filepath.Join(dir, "ups.conf"), []byte(conf.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	_, port := startDir(t, dir)
	env := nuttest.NewEnv(t)
	ctx := context.Background()
	cli := clienttest.Dial(ctx, t, fmt.Sprintf("127.0.0.1:%d", port))

	matched := 0
	for i := range devs {
		name := fmt.Sprintf("d%03d", i)
		want, err := os.ReadFile(filepath.Join("../testdata/ddl-nut-upsc", names[name]+".upsc"))
		if err != nil {
			t.Errorf("%s: no reference: %v", names[name], err)
			continue
		}
		out, err := env.Output(nuttest.Upsc, fmt.Sprintf("%s@127.0.0.1:%d", name, port))
		if err != nil {
			t.Errorf("%s: upsc: %v\n%s", names[name], err, out)
			continue
		}
		// Debian's upsc prints an SSL notice on stderr first.
		out = strings.TrimPrefix(out, "Init SSL without certificate database\n")
		got, exp := withoutDriverVars(out), withoutDriverVars(string(want))
		if got != exp {
			t.Errorf("%s differs:\n%s", names[name], firstDiff(got, exp))
			continue
		}
		// Our own client reads the same.
		vars, err := cli.Vars(ctx, name)
		if err != nil {
			t.Fatalf("%s: client: %v", name, err)
		}
		var b bytes.Buffer
		for _, v := range vars {
			fmt.Fprintf(&b, "%s: %s\n", v.Name, v.Value)
		}
		if withoutDriverVars(b.String()) != exp {
			t.Errorf("%s: client library reads differently", names[name])
			continue
		}
		matched++
	}
	t.Logf("%d of %d device dumps match Debian NUT 2.8.0's upsc output exactly (driver.* aside)", matched, len(devs))
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\n got  %q\n want %q", i+1, a, b)
		}
	}
	return ""
}
