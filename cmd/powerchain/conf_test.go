package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/driver"
	"github.com/powerchain/powerchain/internal/nuttest"
)

// run executes the powerchain command line in-process, as main does.
func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	root := newRoot()
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	code = execute(root, args)
	return out.String(), errb.String(), code
}

func fixtureDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"ups.conf":    "# devices\n[ups1]\n\tdriver = dummy-ups\n\tport = ups1.dev\n\tdesc = \"before\"\n",
		"upsd.conf":   "LISTEN 127.0.0.1 3493\n",
		"upsd.users":  "[admin]\n\tpassword = old\n\tactions = SET\n\tinstcmds = ALL\n[mon]\n\tpassword = mpw\n\tupsmon primary\n",
		"upsmon.conf": "MONITOR ups1@localhost 1 mon mpw primary\n",
		"nut.conf":    "MODE=standalone\n",
	}
	writeFiles(t, dir, files)
	return dir
}

// writeFiles writes files (name → content) into dir, mode 0640.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o640); err != nil {
			t.Fatal(err)
		}
	}
}

func TestConfCommands(t *testing.T) {
	dir := fixtureDir(t)
	c := func(args ...string) []string { return append([]string{"conf", "-c", dir}, args...) }
	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   string // substring expected
		stderr   string // substring expected
		fileName string // file whose content must then contain fileHas
		fileHas  string
	}{
		{"get", c("get", "ups.conf", "ups1.port"), 0, "ups1.dev\n", "", "", ""},
		{"get missing", c("get", "ups.conf", "ups1.nothing"), 1, "", "ups1.nothing is not set", "", ""},
		{"get unknown file", c("get", "foo.conf", "x"), 1, "", "not a NUT config file", "", ""},
		{"set", c("set", "ups.conf", "ups1.desc", "after edit"), 0, "", "", "ups.conf", "\tdesc = \"after edit\"\n"},
		{"set new section", c("set", "ups.conf", "ups2.driver", "dummy-ups"), 1, "", "has no port", "", ""},
		{"set invalid refused", c("set", "ups.conf", "ups1.parent", "a:b:c@"), 1, "", "not saved", "ups.conf", "desc"},
		{"add-device", c("add-device", "ups2", "driver=dummy-ups", "port=ups2.dev", "parent=ups1"), 0, "", "",
			"ups.conf", "\n[ups2]\n\tdriver = dummy-ups\n\tport = ups2.dev\n\toverride.device.parent = ups1\n"},
		{"add-device needs port", c("add-device", "ups3", "driver=dummy-ups"), 1, "", "required", "", ""},
		{"add-device bad parent", c("add-device", "ups3", "driver=x", "port=y", "parent=@"), 1, "", "parent", "", ""},
		{"add-device exists", c("add-device", "ups1", "driver=x", "port=y"), 1, "", "exists already", "", ""},
		{"set directive", c("set", "upsd.conf", "MAXAGE", "25"), 0, "", "", "upsd.conf", "MAXAGE 25\n"},
		{"set multi-word directive", c("set", "upsd.conf", "LISTEN", "::1", "3493"), 0, "", "", "upsd.conf", "LISTEN ::1 3493\n"},
		{"del key", c("del", "ups.conf", "ups2.override.device.parent"), 0, "", "", "", ""},
		{"del section", c("del", "ups.conf", "ups2"), 0, "", "", "", ""},
		{"del missing", c("del", "ups.conf", "ups1.nothing"), 1, "", "no such key", "", ""},
		{"validate ok", c("validate"), 0, "0 errors, 0 warnings", "", "", ""},
		{"show masks passwords", c("show"), 0, "<secret>", "", "", ""},
		{"show file", c("show", "upsd.users"), 0, "admin.password <secret>", "", "", ""},
		{"get masks passwords", c("get", "upsd.users", "admin.password"), 0, "<secret>\n", "", "", ""},
		{"get --show-secrets", c("get", "--show-secrets", "upsd.users", "admin.password"), 0, "old\n", "", "", ""},
		// Bad input: a clear refusal or warning when the edit is made.
		{"set device name alone", c("set", "ups.conf", "ups1", "x"), 1, "", `"ups1" is not a global setting NUT knows`, "", ""},
		{"set empty section", c("set", "ups.conf", ".port", "x"), 1, "", "empty section name", "", ""},
		{"set user global", c("set", "upsd.users", "password", "x"), 1, "", "outside any [user]", "", ""},
		{"set known global", c("set", "ups.conf", "maxretry", "3"), 0, "", "", "ups.conf", "maxretry = 3\n"},
		{"too long", c("set", "ups.conf", "ups1.desc", strings.Repeat("d", 513)), 1, "", "NUT's parser keeps at most 512", "", ""},
		{"too long desc", c("set", "ups.conf", "ups1.desc", strings.Repeat("d", 497)), 1, "", "NUT's upsd replies in lines of at most 512 bytes", "", ""},
		{"add-device unknown driver", c("add-device", "ups4", "driver=nosuch-ups", "port=x"), 1, "", `unknown driver "nosuch-ups"`, "", ""},
		{"add-device powerchain driver", c("add-device", "ups4", "driver=ipmi-psu", "port=id1"), 0, "", `"ipmi-psu" is not one of NUT 2.8.0's drivers`, "", ""},
		{"add-device --force", c("add-device", "--force", "ups5", "driver=nosuch-ups", "port=x"), 0, "", "", "ups.conf", "[ups5]"},
		{"password clients cannot send", c("set", "upsd.users", "admin.password", "a b"), 0, "", "send the password unquoted", "upsd.users", `"a b"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := run(t, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
			}
			if !strings.Contains(out, tt.stdout) {
				t.Errorf("stdout %q lacks %q", out, tt.stdout)
			}
			if !strings.Contains(errOut, tt.stderr) {
				t.Errorf("stderr %q lacks %q", errOut, tt.stderr)
			}
			if tt.fileName != "" {
				b, _ := os.ReadFile(filepath.Join(dir, tt.fileName))
				if !strings.Contains(string(b), tt.fileHas) {
					t.Errorf("%s lacks %q:\n%s", tt.fileName, tt.fileHas, b)
				}
			}
		})
	}
	// Passwords stay secret in show, and files keep their mode.
	out, _, _ := run(t, c("show", "--json")...)
	if strings.Contains(out, "\"a b\"") {
		t.Errorf("show --json leaks a password:\n%s", out)
	}
	for _, n := range []string{"ups.conf", "upsd.conf"} {
		st, _ := os.Stat(filepath.Join(dir, n))
		if st.Mode().Perm() != 0o640 {
			t.Errorf("%s mode changed to %04o", n, st.Mode().Perm())
		}
	}
}

func TestConfValidateJSONAndExit(t *testing.T) {
	dir := fixtureDir(t)
	os.WriteFile(filepath.Join(dir, "nut.conf"), []byte("MODE=bogus\n"), 0o644)
	os.Chmod(filepath.Join(dir, "upsd.users"), 0o644)
	out, _, code := run(t, "conf", "-c", dir, "validate", "--json")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	var res struct {
		Errors   int
		Warnings int
		Findings []struct {
			File     string
			Line     int
			Severity string
			Message  string
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if res.Errors != 1 || res.Warnings != 1 {
		t.Errorf("errors %d warnings %d: %+v", res.Errors, res.Warnings, res.Findings)
	}
	for _, f := range res.Findings {
		if f.Severity == "error" && (!strings.HasSuffix(f.File, "nut.conf") || f.Line != 1) {
			t.Errorf("error not placed at nut.conf:1: %+v", f)
		}
	}
	// NUT_CONFPATH selects the directory when -c is absent.
	t.Setenv("NUT_CONFPATH", dir)
	if _, _, code := run(t, "conf", "validate"); code != 1 {
		t.Errorf("NUT_CONFPATH: exit %d, want 1", code)
	}
}

// TestConfInteropDebianNUT edits a configuration with powerchain conf and
// checks that Debian's NUT 2.8.0 (dummy-ups, upsd, upsc, upsrw) reads the
// edited files as meant: device port and description, a new device, the
// LISTEN port, and a user's new password with a space and a hash in it.
func TestConfInteropDebianNUT(t *testing.T) {
	nuttest.Require(t, nuttest.Upsd, nuttest.DummyUPS, nuttest.Upsc, nuttest.Upsrw)
	env := nuttest.NewEnv(t)
	env.WriteFile("ups.conf", "# test rack\n[ups1]\n\tdriver = dummy-ups\n\tport = ups1.dev\n\tdesc = \"before\"\n", 0o644)
	env.WriteFile("ups1.dev", "ups.status: OL\nbattery.charge: 100\n", 0o644)
	env.WriteFile("ups1b.dev", "ups.status: OB\nbattery.charge: 42\n", 0o644)
	env.WriteFile("ups2.dev", "ups.status: OL\nbattery.charge: 77\n", 0o644)
	env.WriteFile("upsd.conf", "LISTEN 127.0.0.1 3493\n", 0o640)
	env.WriteFile("upsd.users", "[admin]\n\tpassword = old\n\tactions = SET\n\tinstcmds = ALL\n", 0o640)
	env.WriteFile("nut.conf", "MODE=standalone\n", 0o644)

	port := nuttest.FreePort(t)
	// Every printable character that NUT's clients can send (they send the
	// password unquoted, so no space, =, #, " or \\).
	password := `N3w!pw$%&'()*+,-./:;<>?@[]^_{|}~`
	for _, args := range [][]string{
		{"set", "ups.conf", "ups1.desc", "edited by powerchain"},
		{"set", "ups.conf", "ups1.port", "ups1b.dev"},
		{"add-device", "ups2", "driver=dummy-ups", "port=ups2.dev", "desc=second one", "parent=ups1"},
		{"set", "upsd.conf", "LISTEN", "127.0.0.1", nuttest.PortString(port)},
		{"set", "upsd.users", "admin.password", password},
	} {
		if out, errOut, code := run(t, append([]string{"conf", "-c", env.ConfDir}, args...)...); code != 0 {
			t.Fatalf("conf %v: exit %d\n%s%s", args, code, out, errOut)
		}
	}

	env.StartNUT("ups1", "ups2")
	env.WaitUPS("ups1", port)
	env.WaitUPS("ups2", port)
	host := fmt.Sprintf("127.0.0.1:%d", port)

	// NUT's own driver publishes the parent written by add-device.
	if got := env.WaitVar("ups2", port, "device.parent"); got != "ups1" {
		t.Errorf("ups2 device.parent = %q, want ups1", got)
	}
	list := env.Run(nuttest.Upsc, "-L", host)
	for _, want := range []string{"ups1: edited by powerchain", "ups2: second one"} {
		if !strings.Contains(list, want) {
			t.Errorf("upsc -L lacks %q:\n%s", want, list)
		}
	}
	if got := env.WaitVar("ups1", port, "battery.charge"); got != "42" {
		t.Errorf("ups1 battery.charge = %q, want 42 (from the edited port)", got)
	}
	// upsd reads the new password exactly, quotes, space and hash included.
	out, err := env.Output(nuttest.Upsrw, "-s", "battery.charge=50", "-u", "admin", "-p", password, "ups1@"+host)
	if err != nil || !strings.Contains(out, "OK") {
		t.Errorf("upsrw with the new password: %v\n%s", err, out)
	}
	out, _ = env.Output(nuttest.Upsrw, "-s", "battery.charge=51", "-u", "admin", "-p", "old", "ups1@"+host)
	if !strings.Contains(out, "ACCESS-DENIED") && !strings.Contains(out, "Access denied") {
		t.Errorf("upsrw with the old password was not refused:\n%s", out)
	}
}

// TestConfNeverPrintsSecrets: every secret of every kind of file (values
// starting "Sx-") stays out of every printer: conf show, show FILE, get,
// set, add-device and validate, in text and JSON, and the variables a
// driver publishes; --show-secrets is the one way to see them.
func TestConfNeverPrintsSecrets(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"ups.conf": "[snmp1]\n\tdriver = snmp-ups\n\tport = 127.0.0.1\n\tcommunity = Sx-community\n" +
			"\tsecName = bob\n\tauthPassword = \"Sx-auth pass\"\n\tprivPassword = Sx-priv\n" +
			"[web1]\n\tdriver = netxml-ups\n\tport = http://127.0.0.1\n\tlogin = admin\n\tpassword = Sx-netxml\n" +
			// Two unquoted words: validation says NUT reads only the first.
			"[ipmi1]\n\tdriver = nut-ipmipsu\n\tport = id1@127.0.0.1\n\tusername = u\n\tpassword = Sx-first Sx-second\n",
		"upsd.users":  "[admin]\n\tpassword = \"Sx-users pw\"\n\tactions = SET\n[mon]\n\tPASSWORD = Sx-mon\n\tupsmon primary\n",
		"upsmon.conf": "MONITOR snmp1@localhost 1 mon Sx-mon primary\nMONITOR web1@localhost 0 admin \"Sx-users pw\" secondary\nCERTIDENT cert Sx-certmon\n",
		"upsd.conf":   "LISTEN 127.0.0.1 3493\nCERTIDENT cert Sx-certupsd\n",
		"nut.conf":    "MODE=standalone\n",
	}
	writeFiles(t, dir, files)
	c := func(args ...string) []string { return append([]string{"conf", "-c", dir}, args...) }
	cmds := [][]string{
		c("show"), c("show", "--json"), c("validate"), c("validate", "--json"),
		c("get", "ups.conf", "snmp1.community"), c("get", "--json", "ups.conf", "snmp1.authPassword"),
		c("get", "ups.conf", "snmp1.privPassword"), c("get", "ups.conf", "web1.password"),
		c("get", "ups.conf", "ipmi1.password"), c("get", "--json", "upsd.users", "mon.PASSWORD"),
		c("get", "upsmon.conf", "MONITOR"), c("get", "upsmon.conf", "CERTIDENT"), c("get", "upsd.conf", "CERTIDENT"),
		c("set", "--json", "upsd.users", "admin.password", "Sx-new"),
		c("set", "upsd.users", "admin.password", "Sx-bad\x01"),
		c("set", "--json", "ups.conf", "web1.password", "Sx-netxml2"),
		c("add-device", "--json", "snmp2", "driver=snmp-ups", "port=127.0.0.2", "community=Sx-community2"),
		c("add-device", "snmp3", "driver=snmp-ups", "port=127.0.0.3", "community=Sx-bad\x01"),
	}
	for _, name := range conf.FileNames {
		cmds = append(cmds, c("show", name), c("show", "--json", name))
	}
	for _, args := range cmds {
		out, errOut, _ := run(t, args...)
		if strings.Contains(out+errOut, "Sx-") {
			t.Errorf("%v prints a secret:\n%s%s", args[3:], out, errOut)
		}
	}
	// The files hold what was set, and --show-secrets prints it.
	if out, _, _ := run(t, c("get", "--show-secrets", "upsd.users", "admin.password")...); out != "Sx-new\n" {
		t.Errorf("get --show-secrets = %q", out)
	}
	if out, _, _ := run(t, c("show", "--show-secrets", "upsmon.conf")...); !strings.Contains(out, "Sx-certmon") {
		t.Errorf("show --show-secrets hides:\n%s", out)
	}

	// What a driver publishes: no secret, no login name.
	cd, err := conf.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, dv := range cd.UPS().Devices {
		dev := device.New(dv.Name, dv.Desc)
		driver.Prepare(daemon.DriverConfig(cd, dv), dev)
		for _, v := range dev.Snapshot().Vars {
			if strings.Contains(v.Value, "Sx-") || strings.Contains(v.Name, "community") ||
				strings.HasSuffix(v.Name, "secName") || strings.HasSuffix(v.Name, "login") || strings.HasSuffix(v.Name, "username") {
				t.Errorf("[%s] publishes %s = %q", dv.Name, v.Name, v.Value)
			}
		}
	}
}

// TestConfValidateUnterminatedQuote: a quote left open swallows every
// later section in NUT; validate says so at the line where it opened and
// exits 1.
func TestConfValidateUnterminatedQuote(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"ups.conf": "[ups1]\n\tdriver = dummy-ups\n\tport = ups1.dev\n\tdesc = \"oops\n[ups2]\n\tdriver = dummy-ups\n\tport = ups2.dev\n",
	})
	out, _, code := run(t, "conf", "-c", dir, "validate")
	if code != 1 || !strings.Contains(out, "ups.conf:4: error: quote never closed") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// TestConfValidateDriverOptions: validate reads each section powerchain's
// driver runs as the driver reads it when serve starts it (the driver's
// own parsing, nothing opened), so a setting serve's driver refuses is an
// error at its line; NUT's programs (hosted) judge their own.
func TestConfValidateDriverOptions(t *testing.T) {
	for _, tc := range []struct {
		name, section string
		want          string // the finding, "" for none
	}{
		{"usbhid pollfreq", "\tdriver = usbhid-ups\n\tport = auto\n\tpollfreq = abc\n",
			`ups.conf:4: error: [u1]: usbhid-ups: pollfreq "abc": want a number of seconds (serve does not start this driver)`},
		{"usbhid regexp", "\tdriver = usbhid-ups\n\tport = auto\n\tvendorid = \"(\"\n\tpollfreq = 15\n", `ups.conf:4: error: [u1]: usbhid-ups: vendorid "(": invalid regular expression`},
		{"usbhid last wins", "\tdriver = usbhid-ups\n\tport = auto\n\tpollfreq = 10\n\tpollfreq = 0\n", `ups.conf:5: error: [u1]: usbhid-ups: pollfreq "0"`},
		{"usbhid fine", "\tdriver = usbhid-ups\n\tport = auto\n\tpollfreq = 15\n\tvendorid = 051d\n", ""},
		{"usbhid replay not there yet", "\tdriver = usbhid-ups\n\tport = later.replay\n", ""},
		{"dummy mode", "\tdriver = dummy-ups\n\tport = u1.dev\n\tmode = sometimes\n", `ups.conf:4: error: [u1]: dummy-ups: unsupported mode "sometimes"`},
		{"snmp version", "\tdriver = snmp-ups\n\tport = 127.0.0.1\n\tsnmp_version = v4\n", `ups.conf:4: error: [u1]: snmp-ups: snmp_version "v4"`},
		{"netxml port", "\tdriver = netxml-ups\n\tport = card.example\n", `ups.conf:3: error: [u1]: netxml-ups: port "card.example"`},
		{"ipmi port", "\tdriver = nut-ipmipsu\n\tport = psu1\n", `ups.conf:3: error: [u1]: nut-ipmipsu: port "psu1"`},
		{"hosted judged by NUT", "\tdriver = usbhid-ups\n\tport = auto\n\tpollfreq = abc\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			global := ""
			if strings.HasPrefix(tc.name, "hosted") {
				global = "powerchain_hosted = u1\n"
			}
			writeFiles(t, dir, map[string]string{
				"ups.conf":   global + "[u1]\n" + tc.section,
				"upsd.conf":  "LISTEN 127.0.0.1 3493\n",
				"upsd.users": "",
			})
			out, _, code := run(t, "conf", "-c", dir, "validate")
			if tc.want == "" {
				if code != 0 || strings.Contains(out, "error:") {
					t.Errorf("exit %d:\n%s", code, out)
				}
				return
			}
			if code != 1 || !strings.Contains(out, filepath.Join(dir, tc.want)) {
				t.Errorf("exit %d, want %q:\n%s", code, tc.want, out)
			}
		})
	}
}

// TestConfEditDriverChecks: conf set, del and add-device on ups.conf are
// judged by the driver checks validate runs too, the file read as part of
// its directory: an edit that adds a setting serve's driver refuses is
// refused at the setting's line, the file left byte for byte as it was,
// unless --force; errors the file had already do not count; a device
// NUT's own program runs (hosted) is left to that program. Each case runs
// in text and in JSON.
func TestConfEditDriverChecks(t *testing.T) {
	tests := []struct {
		name    string
		global  string // ups.conf's globals, before [myups]
		myups   string // [myups]'s settings besides driver, port and desc
		extra   string // ups.conf's sections after [myups]
		args    []string
		code    int
		finding string // the finding on stderr (text) or in "findings" (JSON), "" for none
		fileHas string // what the saved file holds; "" when it must be unchanged
	}{
		{name: "bad option refused", args: []string{"set", "ups.conf", "myups.pollfreq", "abc"}, code: 1,
			finding: `ups.conf:5: error: [myups]: snmp-ups: pollfreq "abc"`},
		{name: "bad option forced", args: []string{"set", "--force", "ups.conf", "myups.pollfreq", "abc"},
			finding: `ups.conf:5: error: [myups]: snmp-ups: pollfreq "abc"`, fileHas: "\tpollfreq = abc\n"},
		{name: "good option saved", args: []string{"set", "ups.conf", "myups.pollfreq", "30"}, fileHas: "\tpollfreq = 30\n"},
		{name: "add-device bad option refused", args: []string{"add-device", "u2", "driver=snmp-ups", "port=127.0.0.2", "snmp_version=v4"},
			code: 1, finding: `ups.conf:9: error: [u2]: snmp-ups: snmp_version "v4"`},
		{name: "add-device good", args: []string{"add-device", "u2", "driver=snmp-ups", "port=127.0.0.2", "snmp_version=v2c"},
			fileHas: "[u2]\n\tdriver = snmp-ups\n\tport = 127.0.0.2\n\tsnmp_version = v2c\n"},
		{name: "hosted not judged by native checks", global: "powerchain_hosted = myups\n",
			args: []string{"set", "ups.conf", "myups.pollfreq", "abc"}, fileHas: "\tpollfreq = abc\n"},
		{name: "del making a device native refused", global: "powerchain_hosted = myups\n", myups: "\tpollfreq = abc\n",
			args: []string{"del", "ups.conf", "powerchain_hosted"}, code: 1, finding: `ups.conf:4: error: [myups]: snmp-ups: pollfreq "abc"`},
		{name: "errors already there do not count", extra: "[u3]\n\tdriver = dummy-ups\n\tport = u3.dev\n\tmode = sometimes\n",
			args: []string{"set", "ups.conf", "myups.desc", "edited"}, fileHas: "\tdesc = \"edited\"\n"},
	}
	for _, tt := range tests {
		for _, asJSON := range []bool{false, true} {
			name := tt.name
			if asJSON {
				name += " json"
			}
			t.Run(name, func(t *testing.T) {
				dir := t.TempDir()
				content := tt.global + "[myups]\n\tdriver = snmp-ups\n\tport = 127.0.0.1\n" + tt.myups + "\tdesc = \"rack\"\n" + tt.extra
				writeFiles(t, dir, map[string]string{"ups.conf": content, "upsd.conf": "LISTEN 127.0.0.1 3493\n", "upsd.users": ""})
				args := append([]string{"conf", "-c", dir}, tt.args...)
				if asJSON {
					args = append(args, "--json")
				}
				out, errOut, code := run(t, args...)
				if code != tt.code {
					t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
				}
				var findings []string
				if asJSON {
					var res struct {
						Error    *string
						Findings []struct {
							File, Severity, Message string
							Line                    int
						}
					}
					if err := json.Unmarshal([]byte(out), &res); err != nil {
						t.Fatalf("stdout is not one JSON object: %v\n%s", err, out)
					}
					if (res.Error != nil) != (tt.code != 0) || (res.Error != nil && !strings.Contains(*res.Error, "not saved")) {
						t.Errorf("error %v, want one saying not saved only when refused:\n%s", res.Error, out)
					}
					if res.Findings == nil {
						t.Errorf("no findings list:\n%s", out)
					}
					for _, d := range res.Findings {
						findings = append(findings, fmt.Sprintf("%s:%d: %s: %s", d.File, d.Line, d.Severity, d.Message))
					}
				} else {
					findings = strings.Split(strings.TrimSpace(errOut), "\n")
				}
				switch found := strings.Join(findings, "\n"); {
				case tt.finding == "" && strings.Contains(found, "error:"):
					t.Errorf("findings, want none:\n%s", found)
				case tt.finding != "" && !strings.Contains(found, filepath.Join(dir, tt.finding)):
					t.Errorf("findings lack %q:\n%s", tt.finding, found)
				}
				b, _ := os.ReadFile(filepath.Join(dir, "ups.conf"))
				switch {
				case tt.fileHas == "" && string(b) != content:
					t.Errorf("ups.conf changed:\n%s", b)
				case !strings.Contains(string(b), tt.fileHas):
					t.Errorf("ups.conf lacks %q:\n%s", tt.fileHas, b)
				}
			})
		}
	}
}
