package daemon

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/internal/clienttest"
	"github.com/powerchain/powerchain/internal/debtest"
	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/internal/waittest"
)

const pduDev = `device.type: pdu
device.mfr: Acme
device.model: PDU-8
outlet.count: 2
outlet.1.desc: "Outlet 1"
outlet.1.status: on
outlet.2.desc: "Outlet 2"
outlet.2.status: on
ups.status: OL
`

// rackDir writes a config directory with one simulated PDU and users.
func rackDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"ups.conf":   "[pdu1]\n\tdriver = dummy-ups\n\tport = pdu1.dev\n\tsimulate_switching\n\tdesc = \"Test PDU\"\n\toverride.device.parent = ups1@localhost\n",
		"pdu1.dev":   pduDev,
		"upsd.users": "[admin]\n\tpassword = adminpw\n\tactions = SET FSD\n\tinstcmds = ALL\n\n[viewer]\n\tpassword = viewpw\n\n[mon]\n\tpassword = monpw\n\tupsmon primary\n",
	}
	for n, c := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(c), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func waitValue(t *testing.T, env *nuttest.Env, target, name, want string) {
	t.Helper()
	var got string
	if !waittest.Until(5*time.Second, 50*time.Millisecond, func() bool {
		out, _ := env.Output(nuttest.Upsc, target, name)
		got = strings.TrimSpace(strings.TrimPrefix(out, "Init SSL without certificate database\n"))
		return got == want
	}) {
		t.Errorf("%s %s = %q, want %q", target, name, got, want)
	}
}

// TestDebianClientsAgainstPowerchain drives powerchain's server with
// Debian's upscmd, upsrw and python3-nut's PyNUTClient.
func TestDebianClientsAgainstPowerchain(t *testing.T) {
	nuttest.Require(t, nuttest.Upsc, nuttest.Upsrw, nuttest.Upscmd)
	_, port := startDir(t, rackDir(t))
	env := nuttest.NewEnv(t)
	target := fmt.Sprintf("pdu1@127.0.0.1:%d", port)

	out := env.Run(nuttest.Upscmd, "-l", target)
	for _, want := range []string{"Instant commands supported on UPS [pdu1]:", "outlet.2.load.off - ", "outlet.2.load.cycle - "} {
		if !strings.Contains(out, want) {
			t.Errorf("upscmd -l lacks %q:\n%s", want, out)
		}
	}
	out = env.Run(nuttest.Upscmd, "-u", "admin", "-p", "adminpw", target, "outlet.2.load.off")
	if !strings.Contains(out, "OK") {
		t.Errorf("upscmd outlet.2.load.off: %s", out)
	}
	waitValue(t, env, target, "outlet.2.status", "off")
	waitValue(t, env, target, "outlet.1.status", "on")

	// -w waits for the driver's result through TRACKING.
	out = env.Run(nuttest.Upscmd, "-w", "-u", "admin", "-p", "adminpw", target, "outlet.2.load.on")
	if !strings.Contains(out, "SUCCESS") {
		t.Errorf("upscmd -w: %s", out)
	}
	waitValue(t, env, target, "outlet.2.status", "on")

	for _, tt := range []struct{ user, pw, want string }{
		{"viewer", "viewpw", "ERR ACCESS-DENIED"},
		{"admin", "wrong", "ERR ACCESS-DENIED"},
		{"nobody", "x", "ERR ACCESS-DENIED"},
	} {
		out, err := env.Output(nuttest.Upscmd, "-u", tt.user, "-p", tt.pw, target, "outlet.1.load.off")
		if err == nil || !strings.Contains(out, tt.want) {
			t.Errorf("upscmd as %s/%s: %v %s", tt.user, tt.pw, err, out)
		}
	}
	waitValue(t, env, target, "outlet.1.status", "on")

	out = env.Run(nuttest.Upsrw, "-s", "outlet.1.desc=Web server", "-u", "admin", "-p", "adminpw", target)
	if !strings.Contains(out, "OK") {
		t.Errorf("upsrw -s: %s", out)
	}
	waitValue(t, env, target, "outlet.1.desc", "Web server")
	out = env.Run(nuttest.Upsrw, target)
	if !strings.Contains(out, "[outlet.1.desc]\n") || !strings.Contains(out, "Type: STRING") {
		t.Errorf("upsrw -l:\n%s", out)
	}
	// device.parent comes from the config and cannot be changed.
	waitValue(t, env, target, "device.parent", "ups1@localhost")

	// python3-nut's PyNUTClient.
	debtest.Require(t, "python3-nut", "/usr/lib/python3/dist-packages/PyNUT.py")
	script := fmt.Sprintf(`
import PyNUT
c = PyNUT.PyNUTClient(host="127.0.0.1", port=%d, login="admin", password="adminpw")
print(sorted(c.GetUPSList().keys()))
v = c.GetUPSVars("pdu1")
print(v[b"device.type"] if b"device.type" in v else v["device.type"])
print(c.RunUPSCommand("pdu1", "outlet.1.load.off"))
print(c.SetRWVar("pdu1", "outlet.2.desc", "DB"))
`, port)
	cmd := exec.Command("/usr/bin/python3", "-c", script)
	pyOut, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("PyNUTClient: %v\n%s", err, pyOut)
	}
	got := string(pyOut)
	for _, want := range []string{"pdu1", "pdu", "OK\nOK"} {
		if !strings.Contains(got, want) {
			t.Errorf("PyNUTClient output lacks %q:\n%s", want, got)
		}
	}
	waitValue(t, env, target, "outlet.1.status", "off")
	waitValue(t, env, target, "outlet.2.desc", "DB")
}

// TestClientAgainstDebianUpsd uses powerchain's client library and upsc
// against Debian's upsd fed by Debian's dummy-ups.
func TestClientAgainstDebianUpsd(t *testing.T) {
	nuttest.Require(t, nuttest.Upsd, nuttest.DummyUPS, nuttest.Upsc)
	env, port := nuttest.NewDummyEnv(t, "pdu1", pduDev, "[admin]\n\tpassword = adminpw\n\tactions = SET\n\tinstcmds = ALL\n", `desc = "Test PDU"`)
	env.StartNUT("pdu1")
	env.WaitVar("pdu1", port, "outlet.2.status")

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cli := clienttest.Dial(ctx, t, fmt.Sprintf("127.0.0.1:%d", port))
	upses, err := cli.ListUPS(ctx)
	if err != nil || len(upses) != 1 || upses[0].Name != "pdu1" || upses[0].Desc != "Test PDU" {
		t.Fatalf("ListUPS: %+v %v", upses, err)
	}
	if v, err := cli.Get(ctx, "pdu1", "outlet.1.desc"); err != nil || v != "Outlet 1" {
		t.Errorf("Get: %q %v", v, err)
	}
	if _, err := cli.Get(ctx, "pdu1", "no.such"); err == nil || !strings.Contains(err.Error(), "VAR-NOT-SUPPORTED") {
		t.Errorf("Get missing: %v", err)
	}
	typ, err := cli.Type(ctx, "pdu1", "outlet.1.desc")
	if err != nil || strings.Join(typ, " ") != "RW STRING:32" {
		t.Errorf("Type: %v %v", typ, err)
	}
	if err := cli.Authenticate(ctx, "admin", "adminpw"); err != nil {
		t.Fatal(err)
	}
	if err := cli.Set(ctx, "pdu1", "outlet.1.desc", "Set by powerchain"); err != nil {
		t.Fatal(err)
	}
	waitValue(t, env, fmt.Sprintf("pdu1@127.0.0.1:%d", port), "outlet.1.desc", "Set by powerchain")

	// powerchain's upsc prints what Debian's prints.
	want := strings.TrimPrefix(env.Run(nuttest.Upsc, fmt.Sprintf("pdu1@127.0.0.1:%d", port)), "Init SSL without certificate database\n")
	var b strings.Builder
	if err := runUpscForTest(ctx, &b, fmt.Sprintf("pdu1@127.0.0.1:%d", port)); err != nil {
		t.Fatal(err)
	}
	if b.String() != want {
		t.Errorf("powerchain upsc differs from Debian's:\n%s\n---\n%s", b.String(), want)
	}
}

// runUpscForTest is upsc's listing through the client library.
func runUpscForTest(ctx context.Context, w *strings.Builder, target string) error {
	cli, err := client.Dial(ctx, strings.SplitN(target, "@", 2)[1])
	if err != nil {
		return err
	}
	defer cli.Close()
	vars, err := cli.Vars(ctx, strings.SplitN(target, "@", 2)[0])
	for _, v := range vars {
		fmt.Fprintf(w, "%s: %s\n", v.Name, v.Value)
	}
	return err
}
