package conf

import (
	"reflect"
	"strings"
	"testing"
)

// TestUpsdConfAsNUTReadsIt: each line read as NUT 2.8.0's upsd reads it
// (server/conf.c), and what NUT would refuse to start with.
func TestUpsdConfAsNUTReadsIt(t *testing.T) {
	for _, tt := range []struct {
		src   string
		check func(c *UpsdConf) bool
		// refuse: a finding NUT's upsd refuses to start with.
		refuse string
	}{
		{"", func(c *UpsdConf) bool {
			return c.MaxAge == 15 && c.TrackingDelay == 3600 && c.MaxConn == 0 && c.DebugMin == -1 && len(c.Listen) == 0
		}, ""},
		{"MAXAGE 5x\n", func(c *UpsdConf) bool { return c.MaxAge == 5 }, ""},
		{"MAXAGE abc\n", func(c *UpsdConf) bool { return c.MaxAge == 15 }, ""},
		{"MAXAGE 0\n", func(c *UpsdConf) bool { return c.MaxAge == 0 }, ""},
		{"MAXAGE = 5\n", func(c *UpsdConf) bool { return c.MaxAge == 15 }, ""},
		{"maxage 5\n", func(c *UpsdConf) bool { return c.MaxAge == 15 }, ""},
		{"MAXAGE\n", func(c *UpsdConf) bool { return c.MaxAge == 15 }, ""},
		{"MAXAGE 20\nMAXAGE x\n", func(c *UpsdConf) bool { return c.MaxAge == 20 }, ""},
		{"TRACKINGDELAY 60\n", func(c *UpsdConf) bool { return c.TrackingDelay == 60 }, ""},
		{"MAXCONN 0\n", func(c *UpsdConf) bool { return c.MaxConn == 0 }, "MAXCONN 0"},
		{"ALLOW_NO_DEVICE 2\n", func(c *UpsdConf) bool { return c.AllowNoDevice }, ""},
		{"ALLOW_NO_DEVICE On\n", func(c *UpsdConf) bool { return c.AllowNoDevice }, ""},
		{"ALLOW_NO_DEVICE maybe\n", func(c *UpsdConf) bool { return !c.AllowNoDevice }, ""},
		{"DEBUG_MIN 2\n", func(c *UpsdConf) bool { return c.DebugMin == 2 }, ""},
		{"debug_min 3\n", func(c *UpsdConf) bool { return c.DebugMin == 3 }, ""},
		{"DEBUG_MIN -1\n", func(c *UpsdConf) bool { return c.DebugMin == -1 }, ""},
		{"LISTEN 127.0.0.1\n", func(c *UpsdConf) bool {
			return reflect.DeepEqual(c.Listen[0], Listener{Addr: "127.0.0.1", Port: 3493, Line: c.Listen[0].Line})
		}, ""},
		{"LISTEN 127.0.0.1 99999\n", func(c *UpsdConf) bool { return c.Listen[0].Port == 34463 && c.Listen[0].Numeric() }, ""},
		{"LISTEN ::1 nut\n", func(c *UpsdConf) bool {
			return c.Listen[0].Port == 0 && c.Listen[0].Service == "nut" && !c.Listen[0].Numeric()
		}, ""},
		{"LISTEN 127.0.0.1 no-such-service\n", func(c *UpsdConf) bool { return len(c.Listen) == 1 }, "no-such-service"},
		{"LISTEN\n", func(c *UpsdConf) bool { return len(c.Listen) == 0 }, ""},
		{"LISTEN = 127.0.0.1\n", func(c *UpsdConf) bool { return c.Listen[0].Addr == "=" && c.Listen[0].Service == "127.0.0.1" }, `"127.0.0.1"`},
		{"CERTIDENT name\n", func(c *UpsdConf) bool { return c.CertIdent == CertIdent{} }, ""},
		{"CERTIDENT name pw extra\n", func(c *UpsdConf) bool { return c.CertIdent == CertIdent{Name: "name", Password: "pw"} }, ""},
		{"[section]\nMAXAGE 7\n", func(c *UpsdConf) bool { return c.MaxAge == 7 }, ""},
		{"POWERCHAIN_TRAPS 0.0.0.0\nPOWERCHAIN_TRAPS ::1 10162\n", func(c *UpsdConf) bool {
			return reflect.DeepEqual(c.Traps, []string{"0.0.0.0:162", "[::1]:10162"})
		}, ""},
		{"POWERCHAIN_TRAPS 127.0.0.1 snmptrap\nPOWERCHAIN_TRAPS 127.0.0.1 0\nPOWERCHAIN_TRAPS\n", func(c *UpsdConf) bool { return len(c.Traps) == 0 }, ""},
		{"POWERCHAIN_SITE \"Paris DC1\"\nPOWERCHAIN_RACK R7\n", func(c *UpsdConf) bool { return c.Site == "Paris DC1" && c.Rack == "R7" }, ""},
		{"POWERCHAIN_SITE lyon\nPOWERCHAIN_SITE paris\n", func(c *UpsdConf) bool { return c.Site == "paris" }, ""},
		{"POWERCHAIN_SITE lyon\nPOWERCHAIN_SITE \"\"\nPOWERCHAIN_SITE *\nPOWERCHAIN_RACK\n", func(c *UpsdConf) bool { return c.Site == "lyon" && c.Rack == "" }, ""},
		{"MAXAGE \"7 # x\"\nTRACKINGDELAY 9\n", func(c *UpsdConf) bool { return c.MaxAge == 15 && c.TrackingDelay == 9 }, ""},
	} {
		c := ParseUpsdConf(Parse("/etc/nut/upsd.conf", []byte(tt.src)))
		if !tt.check(c) {
			t.Errorf("%q: read as %+v", tt.src, c)
		}
		var refusals []string
		for _, r := range c.Refusals {
			refusals = append(refusals, r.Msg)
		}
		got := strings.Join(refusals, "; ")
		if (tt.refuse == "") != (got == "") || !strings.Contains(got, tt.refuse) {
			t.Errorf("%q: refusals %q, want one about %q", tt.src, got, tt.refuse)
		}
		if c.Validate().Errors() < len(c.Refusals) {
			t.Errorf("%q: Validate does not report the refusals", tt.src)
		}
	}
}

// TestCheckPlace: what a site or rack may be named.
func TestCheckPlace(t *testing.T) {
	for _, tt := range []struct {
		name string
		want string // "" for a good name, else part of the error
	}{
		{"paris", ""},
		{"Paris DC1", ""},
		{"Lyon – salle 2", ""},
		{"a.b>c*", ""},
		{strings.Repeat("x", MaxPlace), ""},
		{"", "empty"},
		{"*", "every site"},
		{strings.Repeat("x", MaxPlace+1), "longer than 64 bytes"},
		{"a\tb", "control character"},
		{"a\x7fb", "control character"},
		{"\xff", "not UTF-8"},
	} {
		err := CheckPlace(tt.name)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("CheckPlace(%q) = %v, want %q", tt.name, err, tt.want)
		}
	}
}
