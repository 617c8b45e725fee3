package conf

import (
	"strings"
	"testing"
)

// TestLinesNUTIgnoresOrMisreads: every line NUT 2.8.0 ignores or reads
// otherwise than it looks is a finding at the line where it starts
// (TestUPSConfAsNUTReadsIt checks NUT's reading of the ups.conf cases).
func TestLinesNUTIgnoresOrMisreads(t *testing.T) {
	tests := []struct {
		name, file, text string
		line             int
		sev              Severity
		msg              string
	}{
		{"unterminated quote", UPSConfFile, "[u1]\n\tdriver = dummy-ups\n\tport = u.dev\n\tdesc = \"x\n[u2]\n\tdriver = dummy-ups\n\tport = u.dev\n",
			4, Error, "quote never closed: NUT reads everything to the end of the file (line 7)"},
		{"quote closed lines later", UPSConfFile, "[u1]\n\tdriver = dummy-ups\n\tport = u.dev\n\tdesc = \"x\n[u2]\n\tdesc = \"y\"\n",
			4, Error, "quote closed only on line 6: NUT reads lines 4-6 as one line"},
		{"quote continued by backslash is meant", UPSConfFile, "[u1]\n\tdriver = dummy-ups\n\tport = u.dev\n\tdesc = \"x\\\ny\"\n",
			0, Error, ""},
		{"header without ]", UPSConfFile, "[u1]\n\tdriver = dummy-ups\n\tport = u.dev\n[broken\n\tdesc = x\n",
			4, Error, `"[broken" is not a device header (no closing ]): NUT takes it as a flag of the device above, whose driver then refuses to start, and reads the settings below as [u1]'s`},
		{"header without ] first", UPSConfFile, "[broken\n\tdriver = dummy-ups\n",
			1, Error, `"[broken" is not a device header (no closing ]): NUT ignores it and reads the settings below as the global settings`},
		{"header with a space", UPSConfFile, "[u1]\n\tdriver = dummy-ups\n\tport = u.dev\n[u 2]\n\tdesc = x\n",
			4, Error, "device names cannot hold spaces: NUT ignores this line and reads the settings below as [u1]'s"},
		{"words after a header", UPSConfFile, "[u1] # ok\n[u2] junk\n\tdriver = dummy-ups\n\tport = u.dev\n",
			2, Warning, "NUT ignores what follows [u2] on its line"},
		{"unknown global", UPSConfFile, "maxretry = 3\nport = /dev/ttyS0\n[u1]\n\tdriver = dummy-ups\n\tport = u.dev\n",
			2, Warning, `"port" before the first [device] is not a global setting NUT knows`},
		{"powerchain's global", UPSConfFile, "powerchain_hosted = u1\n[u1]\n\tdriver = dummy-ups\n\tport = u.dev\n",
			0, Warning, ""},
		{"powerchain_hosted naming no device", UPSConfFile, "powerchain_hosted = \"u1, u9\"\n[u1]\n\tdriver = dummy-ups\n\tport = u.dev\n",
			1, Warning, "powerchain_hosted names [u9], which is no device of ups.conf"},
		{"unknown driver", UPSConfFile, "[u1]\n\tdriver = no-such-ups\n\tport = u.dev\n",
			2, Warning, `[u1]: "no-such-ups" is not one of NUT 2.8.0's drivers`},
		{"key value without =", UPSConfFile, "[u1]\n\tdriver = dummy-ups\n\tport = u.dev\n\tdesc \"x\"\n",
			4, Warning, "NUT ignores this line"},
		{"key = with no value", UPSConfFile, "[u1]\n\tdriver = dummy-ups\n\tport = u.dev\n\tdesc =\n",
			4, Warning, "NUT ignores this line"},
		{"user header without ]", UsersFile, "[mon]\n\tpassword = a\n\tupsmon primary\n[admin\n\tpassword = b\n",
			4, Error, `"[admin" is not a user header (no closing ]): NUT ignores it, and reads the settings below as [mon]'s`},
		{"upsmon =", UsersFile, "[mon]\n\tpassword = a\n\tupsmon = primary\n",
			3, Warning, `NUT reads "upsmon = primary" but first logs "Unknown upsmon type ="`},
		{"password NUT's clients cannot send", UsersFile, "[mon]\n\tpassword = \"a b\"\n\tupsmon primary\n",
			1, Warning, "send the password unquoted"},
		{"quote in upsmon.conf", UpsmonConfFile, "SHUTDOWNCMD \"/sbin/shutdown -h +0\nPOLLFREQ 5\n",
			1, Error, "quote never closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := ValidateFile(Parse("/etc/nut/"+tt.file, []byte(tt.text)))
			found := false
			for _, d := range ds {
				if tt.msg != "" && d.Line == tt.line && d.Severity == tt.sev && strings.Contains(d.Msg, tt.msg) {
					found = true
				}
				if tt.msg == "" && strings.Contains(d.Msg, "quote") {
					t.Errorf("unexpected finding %v", d)
				}
			}
			if tt.msg != "" && !found {
				t.Errorf("no %s at line %d saying %q in:\n%v", tt.sev, tt.line, tt.msg, ds)
			}
		})
	}
}

// TestEditKey: an edit names a section and a key, or a global NUT reads.
func TestEditKey(t *testing.T) {
	ups := Parse("/etc/nut/ups.conf", []byte("[ups1]\n\tdriver = x\n"))
	users := Parse("/etc/nut/upsd.users", nil)
	upsd := Parse("/etc/nut/upsd.conf", nil)
	for _, tt := range []struct {
		f       *File
		in, err string
	}{
		{ups, "ups1.port", ""},
		{ups, "maxretry", ""},
		{ups, "powerchain_hosted", ""},
		{ups, "ups1", `"ups1" is not a global setting NUT knows`},
		{ups, ".port", "empty section name"},
		{ups, "ups1.", "empty key"},
		{users, "password", "outside any [user]"},
		{upsd, "MAXAGE", ""},
	} {
		_, _, err := tt.f.EditKey(tt.in)
		if (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%s: EditKey(%q) = %v, want %q", tt.f.Name(), tt.in, err, tt.err)
		}
	}
}

// TestTooLongSaysWhy: an edit past NUT's limits names the limit.
func TestTooLongSaysWhy(t *testing.T) {
	f := Parse("/etc/nut/ups.conf", []byte("[ups1]\n\tdriver = x\n"))
	for _, tt := range []struct{ key, val, want string }{
		{"port", strings.Repeat("p", 513), "NUT's parser keeps at most 512"},
		{"desc", strings.Repeat("d", 497), "NUT's upsd replies in lines of at most 512 bytes"},
		{"override.ups.id", strings.Repeat("#", 128), "NUT's drivers and upsd pass on at most 255"},
	} {
		if err := f.Set("ups1", tt.key, tt.val); err == nil || !strings.Contains(err.Error(), tt.want) ||
			strings.Contains(err.Error(), "read back") {
			t.Errorf("Set %s: %v, want %q", tt.key, err, tt.want)
		}
	}
	if err := f.Set("ups1", "desc", strings.Repeat("d", 496)); err != nil {
		t.Errorf("desc at the limit: %v", err)
	}
}

// TestUpsmonNumbers: set differs from unset, zero included, and unset
// carries NUT's default.
func TestUpsmonNumbers(t *testing.T) {
	c := ParseUpsmonConf(Parse("/etc/nut/upsmon.conf", []byte("FINALDELAY 0\nPOLLFREQ 2\nPOLLFREQ 3\nDEADTIME x\nMINSUPPLIES 0\n")))
	for _, tt := range []struct {
		name string
		n    Number
		set  bool
		want int
	}{
		{"FINALDELAY", c.FinalDelay, true, 0},
		{"POLLFREQ", c.PollFreq, true, 3},
		{"POLLFREQALERT", c.PollFreqAlert, false, 5},
		{"DEADTIME", c.DeadTime, false, 15},
		{"HOSTSYNC", c.HostSync, false, 15},
		{"RBWARNTIME", c.RBWarnTime, false, 43200},
		{"NOCOMMWARNTIME", c.NoCommWarnTime, false, 300},
		{"MINSUPPLIES", c.MinSupplies, true, 0},
	} {
		if tt.n.Set != tt.set || tt.n.Int() != tt.want {
			t.Errorf("%s: %+v, want set %v value %d", tt.name, tt.n, tt.set, tt.want)
		}
	}
	if c.FinalDelay.Seconds() != 0 || c.HostSync.Seconds().Seconds() != 15 {
		t.Errorf("Seconds: %v %v", c.FinalDelay.Seconds(), c.HostSync.Seconds())
	}
	// upsmon refuses to start when the power values cannot reach NUT's
	// default MINSUPPLIES of 1.
	c = ParseUpsmonConf(Parse("/etc/nut/upsmon.conf", []byte("MONITOR pdu1@localhost 0 mon pw primary\n")))
	if ds := c.Validate(); ds.Errors() != 1 || !strings.Contains(ds[0].Msg, "MINSUPPLIES (NUT's default 1)") {
		t.Errorf("%v", ds)
	}
}
