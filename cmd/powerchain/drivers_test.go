package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDriversList: "powerchain drivers" sorts every driver by how serve
// runs it with the directory's ups.conf: native, NUT's program found in
// driverpath, or missing with the package to install.
func TestDriversList(t *testing.T) {
	progs := t.TempDir()
	for _, p := range []string{"blazer_ser", "usbhid-ups"} {
		os.WriteFile(filepath.Join(progs, p), []byte("#!/bin/sh\n"), 0o755)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ups.conf"), []byte("driverpath = "+progs+"\n"), 0o644)
	out, errOut, code := run(t, "drivers", "-c", dir)
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
