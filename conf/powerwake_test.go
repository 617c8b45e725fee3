package conf

import (
	"strings"
	"testing"
)

func TestPowerWakeParse(t *testing.T) {
	c := ParseUpsmonConf(Parse("/etc/nut/upsmon.conf", []byte(`MONITOR ups1@localhost 1 mon pw primary
POWERWAKE srv1 wol 52:54:00:12:34:56 10.0.0.21
POWERWAKE srv2 WOL auto
POWERWAKE srv3 ipmi
POWERWAKEUSER waker "s3cret"
POWERWAKEDELAY 20
POWERWAKECHARGE 80
`)))
	p := c.PowerWake
	if len(p.Hosts) != 3 {
		t.Fatalf("hosts %+v", p.Hosts)
	}
	h := p.Hosts[0]
	if h.Name != "srv1" || h.Method != WakeOnLAN || h.MAC.String() != "52:54:00:12:34:56" || h.Auto || h.Addr != "10.0.0.21" || h.Line.Num != 2 {
		t.Errorf("srv1: %+v", h)
	}
	if h := p.Hosts[1]; h.Name != "srv2" || h.Method != WakeOnLAN || !h.Auto || h.MAC != nil || h.Addr != "srv2" {
		t.Errorf("srv2: %+v", h)
	}
	if h := p.Hosts[2]; h.Name != "srv3" || h.Method != WakeIPMI {
		t.Errorf("srv3: %+v", h)
	}
	if p.Username != "waker" || p.Password.Reveal() != "s3cret" {
		t.Errorf("user %q", p.Username)
	}
	if p.Delay.Int() != 20 || p.Hold.Int() != 60 || p.Hold.Set || p.Charge.Int() != 80 {
		t.Errorf("delay %v hold %v charge %v", p.Delay, p.Hold, p.Charge)
	}
	if !IsSecret(UpsmonConfFile, "POWERWAKEUSER", 1) || IsSecret(UpsmonConfFile, "POWERWAKE", 3) {
		t.Error("POWERWAKEUSER's password is secret, POWERWAKE's address is not")
	}
	if ds := c.Validate(); len(ds) != 0 {
		t.Errorf("findings: %v", ds)
	}
}

func TestPowerWakeFindings(t *testing.T) {
	for _, tc := range []struct {
		line string
		sev  Severity
		msg  string
	}{
		{"POWERWAKE srv1", Error, "wants a host and a method"},
		{"POWERWAKE srv1 magic", Error, `method "magic" is not wol or ipmi`},
		{"POWERWAKE srv1 wol", Error, "wants a MAC address or auto"},
		{"POWERWAKE srv1 wol 52:54:00:12:34", Error, "is not a MAC address"},
		{"POWERWAKE srv1 wol auto 10.0.0.1 extra", Error, "wants a MAC address or auto"},
		{"POWERWAKE srv1 ipmi psu1", Error, "takes nothing more"},
		{"POWERWAKE srv1 ipmi", Error, "POWERWAKEUSER names the user"},
		{"POWERWAKE srv1 wol auto\nPOWERWAKE srv1 wol auto", Error, "a second line for the same host"},
		{"POWERWAKEUSER waker", Error, "wants a username and a password"},
		{`POWERWAKEUSER waker "a b"`, Warning, "cannot log in with a space"},
		{"POWERWAKEDELAY soon", Error, `POWERWAKEDELAY "soon" is not a whole number`},
		{"POWERWAKECHARGE 120", Error, "a percentage"},
	} {
		t.Run(tc.line, func(t *testing.T) {
			c := ParseUpsmonConf(Parse("/etc/nut/upsmon.conf", []byte("MONITOR ups1@localhost 1 mon pw primary\n"+tc.line+"\n")))
			ds := c.Validate()
			for _, d := range ds {
				if d.Severity == tc.sev && strings.Contains(d.Msg, tc.msg) && d.Line >= 2 {
					return
				}
			}
			t.Errorf("no %v %q among %v", tc.sev, tc.msg, ds)
		})
	}
}
