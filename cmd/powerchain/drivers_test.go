package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestDriversList: "powerchain drivers" (no -c) sorts every driver by how
// serve runs it with the configuration directory's ups.conf: native,
// NUT's program found in driverpath, or missing with the package to
// install.
func TestDriversList(t *testing.T) {
	progs := t.TempDir()
	for _, p := range []string{"blazer_ser", "usbhid-ups"} {
		os.WriteFile(filepath.Join(progs, p), []byte("#!/bin/sh\n"), 0o755)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ups.conf"), []byte("driverpath = "+progs+"\n"), 0o644)
	t.Setenv("NUT_CONFPATH", dir)
	out, errOut, code := run(t, "drivers")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var sections []string // the title, then each "  title:" with its lines
	for _, l := range strings.Split(out, "\n") {
		if !strings.HasPrefix(l, "    ") || len(sections) == 0 {
			sections = append(sections, "")
		}
		sections[len(sections)-1] += l + "\n"
	}
	sections = sections[:len(sections)-1] // the empty line after the last
	if len(sections) != 4 {
		t.Fatalf("output:\n%s", out)
	}
	for _, tt := range []struct {
		section int
		want    []string
		not     []string
	}{
		{1, []string{"native, in powerchain", "usbhid-ups", "snmp-ups", "dummy-ups"}, []string{"blazer_ser"}},
		{2, []string{"hosted, NUT's program from " + progs + " (1)", "blazer_ser"}, []string{"usbhid-ups"}},
		{3, []string{"missing", "apcsmart (nut-server)", "socomec_jbus (nut-modbus)", "macosx-ups (not on Debian)"}, []string{"blazer_ser"}},
	} {
		s := sections[tt.section]
		for _, w := range tt.want {
			if !strings.Contains(s, w) {
				t.Errorf("section %d lacks %q:\n%s", tt.section, w, s)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(s, w+",") || strings.Contains(s, w+"\n") {
				t.Errorf("section %d has %q:\n%s", tt.section, w, s)
			}
		}
	}
}

// TestDriversOfDevices: "powerchain drivers -c DIR" says for each device
// of DIR/ups.conf how serve runs it (the decision serve makes): native,
// NUT's program (its path), or why not, with the Debian package to
// install; --json says the same for scripts.
func TestDriversOfDevices(t *testing.T) {
	progs := t.TempDir()
	os.WriteFile(filepath.Join(progs, "blazer_ser"), []byte("#!/bin/sh\n"), 0o755)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ups.conf"), []byte("driverpath = "+progs+"\npowerchain_hosted = forced\n"+
		"[ups1]\n\tdriver = usbhid-ups\n\tport = auto\n"+
		"[ser]\n\tdriver = blazer_ser\n\tport = /dev/ttyS0\n"+
		"[apc]\n\tdriver = apcsmart\n\tport = /dev/ttyS1\n"+
		"[forced]\n\tdriver = dummy-ups\n\tport = x.dev\n"+
		"[nodrv]\n\tport = x\n"), 0o644)
	out, errOut, code := run(t, "drivers", "-c", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := "Devices of " + filepath.Join(dir, "ups.conf") + ":\n" +
		"  ups1    usbhid-ups  native (powerchain's usbhid-ups)\n" +
		"  ser     blazer_ser  through NUT's driver " + filepath.Join(progs, "blazer_ser") + "\n" +
		"  apc     apcsmart    through NUT's driver, which cannot run: driver \"apcsmart\": not built into powerchain, and NUT's program " + filepath.Join(progs, "apcsmart") + " is not installed: apt-get install nut-server\n" +
		"  forced  dummy-ups   through NUT's driver, which cannot run: driver \"dummy-ups\": powerchain_hosted asks for NUT's program " + filepath.Join(progs, "dummy-ups") + ", which is not installed: apt-get install nut-server\n" +
		"  nodrv               its section names no driver\n"
	if out != want {
		t.Errorf("drivers -c:\n%s\nwant:\n%s", out, want)
	}

	out, _, code = run(t, "drivers", "-c", dir, "--json")
	var runs []driverRun
	if err := json.Unmarshal([]byte(out), &runs); code != 0 || err != nil {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	var got []string
	for _, r := range runs {
		got = append(got, strings.Join([]string{r.Name, r.Driver, r.Runs, filepath.Base(r.Program), r.Package}, " "))
	}
	wantJSON := []string{"ups1 usbhid-ups native . ", "ser blazer_ser hosted blazer_ser ", "apc apcsmart missing . nut-server",
		"forced dummy-ups missing . nut-server", "nodrv  missing . "}
	if !slices.Equal(got, wantJSON) {
		t.Errorf("drivers -c --json: %q, want %q", got, wantJSON)
	}

	empty := t.TempDir()
	os.WriteFile(filepath.Join(empty, "ups.conf"), []byte("maxretry = 3\n"), 0o644)
	if out, _, _ := run(t, "drivers", "-c", empty); out != filepath.Join(empty, "ups.conf")+": no devices\n" {
		t.Errorf("drivers -c without devices: %q", out)
	}
}

// TestUpsdrvctlWithoutCommand: upsdrvctl with no command prints its help
// and exits 0, as NUT's does, where cobra would count the arguments.
func TestUpsdrvctlWithoutCommand(t *testing.T) {
	for _, args := range [][]string{{"upsdrvctl"}, {"upsdrvctl", "-t"}} {
		out, errOut, code := run(t, args...)
		if code != 0 || !strings.Contains(out, "start | stop | shutdown") || errOut != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
}
