package conf_test

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/internal/parseconf"
	"github.com/powerchain/powerchain/internal/waittest"
	"github.com/powerchain/powerchain/scan"
	"github.com/powerchain/powerchain/setup"
)

// Augeas and the lens for ups.conf that Debian's nut-client installs.
const (
	augtool      = "/usr/bin/augtool"
	upsConfLens  = "/usr/share/augeas/lenses/nutupsconf.aug"
	augeasTarget = "/etc/nut/ups.conf"
)

// edgeValues are the values most likely to be misread: NUT's special
// characters, Augeas' comment character, spaces at the ends, empty.
var edgeValues = []string{
	"", " ", "plain", "two words", "  lead", "trail  ", "a=b", "=", "x;y", ";",
	`back\slash`, `\`, `q"uote`, `"`, `""`, "has#hash", "#", `\#`, `sysDescr # 2 "x" \ y`,
	"[ups1]", "[", "]", "'single'", "`tick`", "a  b", "~!@$%^&*()_+{}|:<>?,./-",
}

// TestWrittenValuesReadBackInNUT writes values through each of the
// project's writers — conf (File.Add), the scanner's ups.conf output and
// setup — then starts Debian's dummy-ups and upsd on the result and reads
// every value back with upsc: as a device description (upsc -L) and as a
// variable (override.test.vN). The same values, where NUT's Augeas lens
// can represent them, are read back through augtool.
func TestWrittenValuesReadBackInNUT(t *testing.T) {
	nuttest.Require(t, nuttest.Upsd, nuttest.DummyUPS, nuttest.Upsc, augtool, upsConfLens)
	r := rand.New(rand.NewSource(3))
	values := append([]string{}, edgeValues...)
	for len(values) < 90 {
		values = append(values, randomValue(r, 60, false))
	}
	// At NUT's limits: a variable of 255 characters once escaped.
	values = append(values, strings.Repeat("#", 127)+"a", strings.Repeat("v", 255))

	env := nuttest.NewEnv(t)
	port := nuttest.FreePort(t)
	dev := func(name string) string {
		env.WriteFile(name+".dev", "ups.status: OL\n", 0o644)
		return name + ".dev"
	}
	overrides := func(vals []string, from int) []scan.Option {
		var o []scan.Option
		for i, v := range vals {
			o = append(o, scan.Option{Key: fmt.Sprintf("override.test.v%d", from+i), Value: v})
		}
		return o
	}
	want := map[string]map[string]string{} // device → variable → value
	wantDesc := map[string]string{}
	third := len(values) / 3

	// The scanner's ups.conf output (sections nutdev1, nutdev2).
	scanned := []scan.Device{
		{Driver: "dummy-ups", Port: dev("s1"), Desc: `scanned # "one" \ ;`, Options: overrides(values[:third], 0)},
		{Driver: "dummy-ups", Port: dev("s2"), Desc: "  scanned two  "},
	}
	var b bytes.Buffer
	if err := scan.WriteUPSConf(&b, scanned); err != nil {
		t.Fatal(err)
	}
	env.WriteFile("ups.conf", b.String(), 0o640)
	want["nutdev1"], wantDesc["nutdev1"], wantDesc["nutdev2"] = varsOf(scanned[0].Options), scanned[0].Desc, scanned[1].Desc

	// conf's edits.
	cd, err := conf.LoadDir(env.ConfDir)
	if err != nil {
		t.Fatal(err)
	}
	f := cd.File(conf.UPSConfFile)
	edited := overrides(values[third:2*third], third)
	must(t, f.AddSection("c1"))
	must(t, f.Add("c1", "driver", "dummy-ups"))
	must(t, f.Add("c1", "port", dev("c1")))
	must(t, f.Add("c1", "desc", "edited; #1 \"by\" conf\\"))
	for _, o := range edited {
		must(t, f.Add("c1", o.Key, o.Value))
	}
	must(t, f.Save())
	want["c1"], wantDesc["c1"] = varsOf(edited), "edited; #1 \"by\" conf\\"

	// setup, from a scan result, adds its own device and the other files.
	found := []scan.Device{{Bus: scan.BusSimulation, Driver: "dummy-ups", Port: dev("st"), Desc: "set up # here ",
		Options: overrides(values[2*third:], 2*third)}}
	res, err := setup.Apply(found, setup.Options{Dir: env.ConfDir, Listen: net.JoinHostPort("127.0.0.1", strconv.Itoa(port))})
	if err != nil {
		t.Fatalf("setup: %v (%v)", err, res)
	}
	st := res.Added[0]
	want[st], wantDesc[st] = varsOf(found[0].Options), found[0].Desc

	// The project's parser reads every value back.
	cd, err = conf.LoadDir(env.ConfDir)
	if err != nil {
		t.Fatal(err)
	}
	for name, vars := range want {
		d, _ := cd.UPS().Device(name)
		for k, v := range vars {
			if got, _ := d.Setting("override." + k); got != v {
				t.Errorf("[%s] %s: conf reads %q, wrote %q", name, k, got, v)
			}
		}
		if d.Desc != wantDesc[name] {
			t.Errorf("[%s] desc: conf reads %q, wrote %q", name, d.Desc, wantDesc[name])
		}
	}

	// Debian's NUT reads them back too.
	for name := range wantDesc {
		env.StartDriver(name)
	}
	env.StartUpsd()
	host := fmt.Sprintf("127.0.0.1:%d", port)
	for name, vars := range want {
		env.WaitUPS(name, port)
		env.WaitVar(name, port, fmt.Sprintf("test.v%d", lastIndex(vars)))
		got := upscVars(t, env, name+"@"+host)
		for k, v := range vars {
			if got[k] != v {
				t.Errorf("[%s] %s: upsc reads %q, wrote %q", name, k, got[k], v)
			}
		}
	}
	descs := upscVars(t, env, "-L", host)
	for name, d := range wantDesc {
		if descs[name] != d {
			t.Errorf("[%s] desc: upsc -L reads %q, wrote %q", name, descs[name], d)
		}
	}

	// NUT's Augeas lens for ups.conf knows neither globals nor override.*
	// keys; it reads the values it can represent (no ", \ or #, which it
	// takes literally; no space at either end; not empty) back as written,
	// from conf's edits and the scanner's output alike.
	aug := conf.Parse(filepath.Join(t.TempDir(), "ups.conf"), nil)
	var scannedAug []scan.Device
	augWant := map[string]string{}
	for len(values) < 200 {
		if v := randomValue(r, 60, false); augeasCanHold(v) {
			values = append(values, v)
		}
	}
	for i, v := range values {
		if !augeasCanHold(v) {
			continue
		}
		name := fmt.Sprintf("a%d", i)
		must(t, aug.AddSection(name))
		must(t, aug.Add(name, "driver", "dummy-ups"))
		must(t, aug.Add(name, "desc", v))
		augWant[name] = v
		scannedAug = append(scannedAug, scan.Device{Driver: "dummy-ups", Port: "x.dev", Desc: v})
		augWant[fmt.Sprintf("nutdev%d", len(scannedAug))] = v
	}
	b.Reset()
	if err := scan.WriteUPSConf(&b, scannedAug); err != nil {
		t.Fatal(err)
	}
	got := augeasValues(t, append(aug.Bytes(), b.Bytes()...), "desc")
	for name, v := range augWant {
		if got[name] != v {
			t.Errorf("[%s] desc: Augeas reads %q, wrote %q", name, got[name], v)
		}
	}
}

// TestNUTLimits: CheckValue's limits are Debian's NUT's. A value at the
// limit reads back whole through dummy-ups, upsd and upsc; one past it is
// refused by conf, and NUT, given it anyway, cuts it.
func TestNUTLimits(t *testing.T) {
	nuttest.Require(t, nuttest.Upsd, nuttest.DummyUPS, nuttest.Upsc)
	env := nuttest.NewEnv(t)
	port := nuttest.FreePort(t)
	host := fmt.Sprintf("127.0.0.1:%d", port)
	maxDesc := 500 - len("lim")
	descOK, descLong := strings.Repeat("d", maxDesc-2)+"#", strings.Repeat("d", maxDesc-1)+"#"
	varOK, varLong := strings.Repeat("v", 253)+`"`, strings.Repeat("v", 254)+`"`
	f := conf.Parse(filepath.Join(env.ConfDir, "ups.conf"), nil)
	must(t, f.AddSection("lim"))
	must(t, f.Add("lim", "driver", "dummy-ups"))
	must(t, f.Add("lim", "port", "lim.dev"))
	must(t, f.Add("lim", "desc", descOK))
	must(t, f.Add("lim", "override.test.ok", varOK))
	for k, v := range map[string]string{"desc": descLong, "override.test.long": varLong} {
		if err := f.Add("lim", k, v); err == nil || !strings.Contains(err.Error(), "NUT") {
			t.Errorf("%s one past NUT's limit: %v, want a refusal naming NUT's limit", k, err)
		}
	}
	// NUT's own reading of the values one past the limit, written raw.
	raw := string(f.Bytes()) + "\toverride.test.long = \"" + parseconf.Encode(varLong) + "\"\n" +
		"[ovr]\n\tdriver = dummy-ups\n\tport = lim.dev\n\tdesc = \"" + parseconf.Encode(descLong) + "\"\n"
	env.WriteFile("ups.conf", raw, 0o640)
	env.WriteFile("lim.dev", "ups.status: OL\n", 0o644)
	env.WriteUpsd(port, "")
	env.StartNUT("lim", "ovr")
	env.WaitUPS("lim", port)
	env.WaitVar("lim", port, "test.long")
	got := upscVars(t, env, "lim@"+host)
	if got["test.ok"] != varOK {
		t.Errorf("a variable at the limit reads back as %q", got["test.ok"])
	}
	if got["test.long"] == varLong {
		t.Errorf("a variable past the limit reads back whole: the limit is not NUT's")
	}
	for name, d := range map[string]string{"lim": descOK, "ovr": descLong} {
		line := upsdReply(t, host, "GET UPSDESC "+name)
		whole := line == "UPSDESC "+name+" \""+parseconf.Encode(d)+"\"\n"
		if whole != (name == "lim") {
			t.Errorf("GET UPSDESC %s (%d bytes) whole: %v", name, len(line), whole)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// varsOf maps override options to the variables NUT publishes.
func varsOf(opts []scan.Option) map[string]string {
	m := map[string]string{}
	for _, o := range opts {
		m[strings.TrimPrefix(o.Key, "override.")] = o.Value
	}
	return m
}

// lastIndex is the highest N of the test.vN variables.
func lastIndex(vars map[string]string) int {
	n := 0
	for k := range vars {
		if i, err := strconv.Atoi(strings.TrimPrefix(k, "test.v")); err == nil && i > n {
			n = i
		}
	}
	return n
}

// upscVars runs Debian's upsc and reads its "name: value" lines.
func upscVars(t *testing.T, env *nuttest.Env, args ...string) map[string]string {
	t.Helper()
	cmd := exec.Command(nuttest.Upsc, args...)
	cmd.Env = env.Environ()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("upsc %v: %v", args, err)
	}
	m := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ": "); ok {
			m[k] = v
		}
	}
	return m
}

// upsdReply sends one request and returns what arrives within a moment.
func upsdReply(t *testing.T, host, req string) string {
	t.Helper()
	c, err := net.DialTimeout("tcp", host, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "%s\n", req)
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	var b bytes.Buffer
	buf := make([]byte, 4096)
	for {
		n, err := c.Read(buf)
		b.Write(buf[:n])
		if err != nil || bytes.HasSuffix(b.Bytes(), []byte("\n")) {
			return b.String()
		}
	}
}

// augeasCanHold reports whether NUT's Augeas lens reads v back as
// written: no ", \ or # (it keeps escapes literally), no space at either
// end, not empty.
func augeasCanHold(v string) bool {
	return v != "" && !strings.ContainsAny(v, `"\#`) && strings.TrimSpace(v) == v
}

// augeasValues parses text as /etc/nut/ups.conf with NUT's lens and
// returns key's value in each section.
func augeasValues(t *testing.T, text []byte, key string) map[string]string {
	t.Helper()
	root := t.TempDir()
	p := filepath.Join(root, augeasTarget)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, text, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(augtool, "-r", root, "-A", "-t", "NutUpsConf.ups_lns incl "+augeasTarget)
	cmd.Stdin = strings.NewReader("print /files" + augeasTarget + "\nprint /augeas//error\n")
	out, err := cmd.CombinedOutput()
	if err != nil || bytes.Contains(out, []byte("/error")) {
		t.Fatalf("augtool: %v\n%s\n%s", err, out, text)
	}
	m := map[string]string{}
	prefix := "/files" + augeasTarget + "/"
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		path, val, ok := strings.Cut(strings.TrimPrefix(sc.Text(), prefix), " = ")
		section, k, _ := strings.Cut(path, "/")
		if !ok || k != key {
			continue
		}
		if v, err := strconv.Unquote(val); err == nil {
			m[section] = v
		}
	}
	return m
}

// TestUPSConfAsNUTReadsIt: for each kind of line NUT ignores or misreads,
// Debian's upsd lists the devices and descriptions that conf's typed view
// reads, and validation has a finding at the line.
func TestUPSConfAsNUTReadsIt(t *testing.T) {
	nuttest.Require(t, nuttest.Upsd, nuttest.DummyUPS, nuttest.Upsc)
	const dev = "\tdriver = dummy-ups\n\tport = u.dev\n"
	tests := []struct {
		name, text string
		line       int
		sev        conf.Severity
		// refused is a device whose NUT driver refuses to start, and why.
		refused, why string
	}{
		{name: "unterminated quote", text: "[u1]\n" + dev + "\tdesc = \"first\n[u2]\n" + dev, line: 4, sev: conf.Error},
		{name: "quote closed lines later", text: "[u1]\n" + dev + "\tdesc = \"first\n[u2]\n" + dev + "\tdesc = \"second\"\n[u3]\n" + dev,
			line: 4, sev: conf.Error},
		{name: "header without ]", text: "[u1]\n" + dev + "\tdesc = one\n[broken\n" + dev + "\tdesc = two\n[u3]\n" + dev,
			line: 5, sev: conf.Error, refused: "u1", why: "'[broken' is not a valid flag"},
		{name: "header with a space", text: "[u1]\n" + dev + "[u 2]\n\tdesc = two\n", line: 4, sev: conf.Error},
		{name: "words after a header", text: "[u1] junk\n" + dev + "\tdesc = one\n", line: 1, sev: conf.Warning},
		{name: "unknown global", text: "desc = global\n[u1]\n" + dev, line: 1, sev: conf.Warning},
		{name: "no =", text: "[u1]\n" + dev + "\tdesc \"one\"\n", line: 4, sev: conf.Warning},
		{name: "unquoted words", text: "[u1]\n" + dev + "\tdesc = one two\n", line: 4, sev: conf.Warning},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := nuttest.NewEnv(t)
			port := nuttest.FreePort(t)
			env.WriteFile("ups.conf", tt.text, 0o640)
			env.WriteFile("u.dev", "ups.status: OL\n", 0o644)
			env.WriteUpsd(port, "")
			u := conf.ParseUPSConf(conf.Parse(filepath.Join(env.ConfDir, "ups.conf"), []byte(tt.text)))
			found := false
			for _, d := range u.Validate() {
				found = found || d.Line == tt.line && d.Severity == tt.sev
			}
			if !found {
				t.Errorf("no %s at line %d: %v", tt.sev, tt.line, u.Validate())
			}
			want := map[string]string{}
			for _, d := range u.Devices {
				if _, ok := d.Setting("driver"); !ok {
					continue
				}
				if _, ok := d.Setting("port"); !ok {
					continue
				}
				want[d.Name] = d.Desc
				if d.Desc == "" {
					want[d.Name] = "Description unavailable"
				}
			}
			env.StartUpsd()
			host := fmt.Sprintf("127.0.0.1:%d", port)
			var got map[string]string
			waittest.Until(5*time.Second, 100*time.Millisecond, func() bool {
				cmd := exec.Command(nuttest.Upsc, "-L", host)
				cmd.Env = env.Environ()
				out, err := cmd.Output()
				if err != nil {
					return false
				}
				got = map[string]string{}
				for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
					k, v, _ := strings.Cut(l, ": ")
					got[k] = v
				}
				return true
			})
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("NUT's upsd lists %v; conf reads %v", got, want)
			}
			if tt.refused != "" {
				// (It says "Fatal error" and exits, with status 0.)
				out, _ := env.Output(nuttest.DummyUPS, "-F", "-u", "root", "-a", tt.refused)
				if !strings.Contains(out, tt.why) {
					t.Errorf("dummy-ups -a %s does not refuse with %q:\n%s", tt.refused, tt.why, out)
				}
			}
		})
	}
}
