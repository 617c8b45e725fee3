package conf

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyDir copies a fixture directory to a temporary one with the given
// mode for every file, so permission checks do not depend on umask.
func copyDir(t *testing.T, src string, mode os.FileMode) string {
	t.Helper()
	dst := t.TempDir()
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dst, e.Name())
		if err := os.WriteFile(p, b, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func validateGolden(t *testing.T, fixture, goldenName string, mode os.FileMode) Diags {
	dir := copyDir(t, fixture, mode)
	d, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	ds := d.Validate()
	var b strings.Builder
	for _, x := range ds {
		b.WriteString(strings.ReplaceAll(x.String(), dir+"/", "") + "\n")
	}
	golden(t, goldenName, []byte(b.String()))
	return ds
}

func TestValidateInvalid(t *testing.T) {
	ds := validateGolden(t, "testdata/invalid", "invalid.golden", 0o644)
	if ds.Errors() == 0 {
		t.Fatal("no errors found in an invalid configuration")
	}
	// Every finding names a file, and all but whole-file ones a line.
	for _, x := range ds {
		if x.File == "" {
			t.Errorf("finding without file: %v", x)
		}
	}
}

func TestValidateGood(t *testing.T) {
	ds := validateGolden(t, "testdata/good", "good.golden", 0o640)
	if n := ds.Errors(); n != 0 {
		t.Errorf("%d errors in a good configuration: %v", n, ds)
	}
}

func TestResolveDir(t *testing.T) {
	t.Setenv("NUT_CONFPATH", "")
	if got := ResolveDir(""); got != DefaultDir {
		t.Errorf("default: %q", got)
	}
	t.Setenv("NUT_CONFPATH", "/x/nut")
	if got := ResolveDir(""); got != "/x/nut" {
		t.Errorf("env: %q", got)
	}
	if got := ResolveDir("/flag"); got != "/flag" {
		t.Errorf("flag: %q", got)
	}
}

func TestTypedViews(t *testing.T) {
	d, err := LoadDir("testdata/roundtrip")
	if err != nil {
		t.Fatal(err)
	}
	ups := d.UPS()
	if len(ups.Devices) != 3 {
		t.Fatalf("devices: %d", len(ups.Devices))
	}
	pdu, _ := ups.Device("pdu1")
	if pdu.Driver != "snmp-ups" || pdu.Port != "192.0.2.10:161" || pdu.Parent != "ups1" {
		t.Errorf("pdu1: %+v", pdu)
	}
	if v, ok := pdu.Setting("community"); !ok || v != `pub"lic` {
		t.Errorf("community: %q", v)
	}
	if _, ok := pdu.Setting("nolock"); !ok {
		t.Error("flag nolock not kept")
	}
	psu, _ := ups.Device("psu1")
	if p := psu.ParsedParent; p.Device != "pdu1" || p.Outlet != "outlet1" || p.Host != "localhost" || p.Port != 3493 {
		t.Errorf("psu1 parent: %+v", p)
	}
	if psu.Desc != `embedded\backslash and a # hash` {
		t.Errorf("psu1 desc: %q", psu.Desc)
	}
	upsd := d.Upsd()
	if len(upsd.Listen) != 2 || upsd.Listen[1].Addr != "::1" || upsd.MaxAge != 15 || upsd.TrackingDelay != 3600 {
		t.Errorf("upsd: %+v", upsd)
	}
	users := d.Users()
	admin, _ := users.User("admin")
	if admin.Password != "s3cr et" || !admin.Can("FSD") || !admin.CanRun("load.off") || admin.Upsmon != "" {
		t.Errorf("admin: %+v", admin)
	}
	obs, _ := users.User("observer")
	if obs.Password != "look" || obs.Upsmon != "secondary" || obs.Can("SET") {
		t.Errorf("observer: %+v", obs)
	}
	mon := d.Upsmon()
	if len(mon.Monitors) != 2 || mon.Monitors[1].System.Host != "::1" || mon.Monitors[0].Role != "primary" {
		t.Errorf("monitors: %+v", mon.Monitors)
	}
	if mon.ShutdownCmd != "/sbin/shutdown -h +0" || mon.NotifyMsg["ONLINE"] != "UPS %s on line power" {
		t.Errorf("upsmon: %+v", mon)
	}
	if got := mon.NotifyFlag["ONLINE"]; strings.Join(got, "+") != "SYSLOG+WALL+EXEC" {
		t.Errorf("notifyflag: %v", got)
	}
	if m := d.Nut().Mode; m != "standalone" {
		t.Errorf("mode: %q", m)
	}
}
