package conf

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func mustRead(t *testing.T, path string) *File {
	t.Helper()
	f, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// changedLines returns the lines of b that differ from a, assuming the
// same number of lines.
func diffLines(a, b string) (removed, added []string) {
	am, bm := map[string]int{}, map[string]int{}
	for _, l := range strings.SplitAfter(a, "\n") {
		am[l]++
	}
	for _, l := range strings.SplitAfter(b, "\n") {
		bm[l]++
	}
	for l, n := range am {
		for i := bm[l]; i < n; i++ {
			removed = append(removed, l)
		}
	}
	for l, n := range bm {
		for i := am[l]; i < n; i++ {
			added = append(added, l)
		}
	}
	return removed, added
}

func TestEditsTouchOnlyTheirLine(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		edit    func(f *File) error
		removed []string
		added   []string
	}{
		{"set plain value", "ups.conf", func(f *File) error { return f.Set("ups1", "port", "new.dev") },
			[]string{"\tport = ups1.dev\n"}, []string{"\tport = new.dev\n"}},
		{"set keeps quotes and comment", "ups.conf", func(f *File) error { return f.Set("pdu1", "parent", "ups2") },
			[]string{"\tparent = ups1        # fed by the left UPS\n"}, []string{"\tparent = ups2        # fed by the left UPS\n"}},
		{"set quoted value with escapes", "ups.conf", func(f *File) error { return f.Set("pdu1", "community", `a "b" #c`) },
			[]string{"\tcommunity = \"pub\\\"lic\"\n"}, []string{"\tcommunity = \"a \\\"b\\\" \\#c\"\n"}},
		{"set dotted key", "ups.conf", func(f *File) error { return f.Set("psu1", "override.battery.charge.low", "30") },
			[]string{"\toverride.battery.charge.low = 20\n"}, []string{"\toverride.battery.charge.low = 30\n"}},
		{"set global", "ups.conf", func(f *File) error { return f.Set("", "maxretry", "5") },
			[]string{"maxretry = 3\n"}, []string{"maxretry = 5\n"}},
		{"set directive", "upsd.conf", func(f *File) error { return f.Set("", "MAXAGE", "30") },
			[]string{"MAXAGE 15\n"}, []string{"MAXAGE 30\n"}},
		{"set indented directive", "upsd.conf", func(f *File) error { return f.Set("", "TRACKINGDELAY", "60") },
			[]string{"\tTRACKINGDELAY 3600\n"}, []string{"\tTRACKINGDELAY 60\n"}},
		{"set multi-value", "upsd.users", func(f *File) error { return f.Set("admin", "actions", "SET") },
			[]string{"\tactions = SET FSD\n"}, []string{"\tactions = SET\n"}},
		{"set compressed form", "upsd.users", func(f *File) error { return f.Set("observer", "password", "see") },
			[]string{"\tpassword=look\n"}, []string{"\tpassword=see\n"}},
		{"set nut.conf", "nut.conf", func(f *File) error { return f.Set("", "MODE", "netserver") },
			[]string{"MODE=standalone\n"}, []string{"MODE=netserver\n"}},
		{"set command with spaces", "upsmon.conf", func(f *File) error { return f.Set("", "SHUTDOWNCMD", "/bin/touch /tmp/x") },
			[]string{"SHUTDOWNCMD \"/sbin/shutdown -h +0\"\n"}, []string{"SHUTDOWNCMD \"/bin/touch /tmp/x\"\n"}},
		{"delete flag", "ups.conf", func(f *File) error { _, err := f.Delete("pdu1", "nolock"); return err },
			[]string{"\tnolock\n"}, nil},
		{"add to section uses its indentation", "ups.conf", func(f *File) error { return f.Add("ups1", "pollfreq", "5") },
			nil, []string{"\tpollfreq = 5\n"}},
		{"add directive", "upsd.conf", func(f *File) error { return f.Add("", "LISTEN", "192.0.2.1", "3493") },
			nil, []string{"LISTEN 192.0.2.1 3493\n"}},
		{"add to compact file", "nut.conf", func(f *File) error { return f.Set("", "UPSMON_OPTIONS", "-p") },
			nil, []string{"UPSMON_OPTIONS=-p\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustRead(t, filepath.Join("testdata/roundtrip", tt.file))
			before := string(f.Bytes())
			if err := tt.edit(f); err != nil {
				t.Fatal(err)
			}
			removed, added := diffLines(before, string(f.Bytes()))
			if strings.Join(removed, "") != strings.Join(tt.removed, "") || strings.Join(added, "") != strings.Join(tt.added, "") {
				t.Errorf("removed %q added %q; want removed %q added %q", removed, added, tt.removed, tt.added)
			}
		})
	}
}

func TestEditSequenceGolden(t *testing.T) {
	f := mustRead(t, "testdata/roundtrip/ups.conf")
	steps := []func() error{
		func() error { return f.Set("ups1", "port", "ups1-b.dev") },
		func() error { return f.Add("pdu1", "pollfreq", "10") },
		func() error { _, err := f.Delete("pdu1", "nolock"); return err },
		func() error { return f.AddSection("psu2") },
		func() error { return f.Set("psu2", "driver", "nut-ipmipsu") },
		func() error { return f.Set("psu2", "port", "id3@bmc1.example.net") },
		func() error { return f.Set("psu2", "parent", "pdu2:outlet4@10.0.0.2:3493") },
		func() error { return f.Set("psu2", "desc", "second PSU") },
	}
	for i, s := range steps {
		if err := s(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	golden(t, "edit/ups.conf.golden", f.Bytes())
}

func TestEditCRLFAndNoFinalNewline(t *testing.T) {
	f := mustRead(t, "testdata/roundtrip/crlf.conf")
	if err := f.Add("crlf", "desc", "x"); err != nil {
		t.Fatal(err)
	}
	want := "[crlf]\r\n\tdriver = dummy-ups\r\n\tport = a.dev\r\n\tdesc = x\r\n# comment\r\n"
	if got := string(f.Bytes()); got != want {
		t.Errorf("got %q want %q", got, want)
	}
	f = mustRead(t, "testdata/roundtrip/nonewline.conf")
	if err := f.Add("x", "desc", "y"); err != nil {
		t.Fatal(err)
	}
	want = "[x]\n\tdriver = dummy-ups\n\tport = \"no newline at end\"\n\tdesc = y\n"
	if got := string(f.Bytes()); got != want {
		t.Errorf("got %q want %q", got, want)
	}
}

func TestEditErrors(t *testing.T) {
	f := mustRead(t, "testdata/roundtrip/ups.conf")
	before := string(f.Bytes())
	for name, err := range map[string]error{
		"bad key":          f.Set("ups1", "bad key", "x"),
		"missing section":  f.Set("nope", "port", "x"),
		"non-ascii value":  f.Set("ups1", "desc", "caf\u00e9"),
		"newline in value": f.Set("ups1", "desc", "a\nb"),
		"dup section":      f.AddSection("ups1"),
		"bad section name": f.AddSection("a]b"),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := f.Delete("ups1", "nosuchkey"); err == nil {
		t.Error("delete of missing key: no error")
	}
	if got := string(f.Bytes()); got != before {
		t.Errorf("failed edits changed the file:\n%s", got)
	}
}

func TestSplitKey(t *testing.T) {
	f := Parse("/etc/nut/ups.conf", []byte("[ups.a]\n\tdriver = x\n[b]\n"))
	for _, tt := range []struct{ in, sec, key string }{
		{"ups.a.driver", "ups.a", "driver"},
		{"b.override.battery.charge.low", "b", "override.battery.charge.low"},
		{"new.port", "new", "port"},
		{"maxretry", "", "maxretry"},
	} {
		if s, k := f.SplitKey(tt.in); s != tt.sec || k != tt.key {
			t.Errorf("SplitKey(%q) = %q, %q", tt.in, s, k)
		}
	}
	g := Parse("/etc/nut/upsd.conf", nil)
	if s, k := g.SplitKey("MAXAGE"); s != "" || k != "MAXAGE" {
		t.Errorf("upsd.conf: %q %q", s, k)
	}
}
