package conf

import (
	"strconv"
	"strings"

	"github.com/powerchain/powerchain/nut"
)

// Listener is one LISTEN directive of upsd.conf.
type Listener struct {
	Addr string
	Port int // nut.DefaultPort when not given
	Line *Line
}

// UpsdConf is the typed view of upsd.conf. Zero numbers mean "not set":
// the server applies NUT's defaults (MAXAGE 15, MAXCONN 1024, …).
type UpsdConf struct {
	File           *File
	Listen         []Listener
	MaxAge         int
	MaxConn        int
	TrackingDelay  int
	StatePath      string
	CertFile       string
	CertPath       string
	CertIdent      CertIdent
	CertRequest    string
	AllowNoDevice  bool
	DisableWeakSSL bool
}

// CertIdent is upsd.conf's CERTIDENT: the certificate's name in the NSS
// database and the database's password.
type CertIdent struct {
	Name     string
	Password Secret
}

var upsdDirectives = map[string]bool{
	"LISTEN": true, "MAXAGE": true, "MAXCONN": true, "TRACKINGDELAY": true,
	"STATEPATH": true, "DATAPATH": true, "CERTFILE": true, "CERTPATH": true,
	"CERTIDENT": true, "CERTREQUEST": true, "ALLOW_NO_DEVICE": true,
	"DISABLE_WEAK_SSL": true, "DEBUG_MIN": true,
}

// ParseUpsdConf reads the settings of a parsed upsd.conf.
func ParseUpsdConf(f *File) *UpsdConf {
	c := &UpsdConf{File: f}
	for _, e := range f.Entries() {
		v := e.Values
		first := ""
		if len(v) > 0 {
			first = v[0]
		}
		switch e.Key {
		case "LISTEN":
			if len(v) >= 1 {
				l := Listener{Addr: v[0], Port: nut.DefaultPort, Line: e.Line}
				if len(v) >= 2 {
					l.Port, _ = strconv.Atoi(v[1])
				}
				c.Listen = append(c.Listen, l)
			}
		case "MAXAGE":
			c.MaxAge, _ = strconv.Atoi(first)
		case "MAXCONN":
			c.MaxConn, _ = strconv.Atoi(first)
		case "TRACKINGDELAY":
			c.TrackingDelay, _ = strconv.Atoi(first)
		case "STATEPATH":
			c.StatePath = first
		case "CERTFILE":
			c.CertFile = first
		case "CERTPATH":
			c.CertPath = first
		case "CERTIDENT":
			if len(v) >= 1 {
				c.CertIdent.Name = v[0]
			}
			if len(v) >= 2 {
				c.CertIdent.Password = Secret(v[1])
			}
		case "CERTREQUEST":
			c.CertRequest = first
		case "ALLOW_NO_DEVICE":
			c.AllowNoDevice = isTrue(first)
		case "DISABLE_WEAK_SSL":
			c.DisableWeakSSL = isTrue(first)
		}
	}
	return c
}

// isTrue reads NUT's boolean words.
func isTrue(s string) bool {
	switch strings.ToLower(s) {
	case "true", "yes", "on", "1":
		return true
	}
	return false
}

// Validate checks upsd.conf as NUT's upsd would read it.
func (c *UpsdConf) Validate() Diags {
	d := &diagger{f: c.File}
	d.syntax()
	for _, e := range c.File.Entries() {
		switch {
		case e.Section != "":
			d.at(e.Line, Warning, "upsd.conf has no sections; [%s] is ignored by NUT", e.Section)
		case e.Key == "ACL" || e.Key == "ACCEPT" || e.Key == "REJECT":
			d.at(e.Line, Warning, "%s is no longer supported by NUT; use LISTEN and firewall rules", e.Key)
		case !upsdDirectives[e.Key]:
			d.at(e.Line, Warning, "unknown directive %q (NUT ignores it)", e.Key)
		case e.Eq:
			d.at(e.Line, Error, "%s: upsd.conf directives take no \"=\" (write \"%s value\")", e.Key, e.Key)
		}
		switch e.Key {
		case "LISTEN":
			if len(e.Values) < 1 || len(e.Values) > 2 {
				d.at(e.Line, Error, "LISTEN wants an address and an optional port")
				break
			}
			if len(e.Values) == 2 {
				if p, err := strconv.Atoi(e.Values[1]); err != nil || p < 1 || p > 65535 {
					d.at(e.Line, Error, "LISTEN port %q is not a number from 1 to 65535", e.Values[1])
				}
			}
		case "MAXAGE", "MAXCONN", "TRACKINGDELAY":
			if len(e.Values) != 1 {
				d.at(e.Line, Error, "%s wants one number", e.Key)
			} else if n, err := strconv.Atoi(e.Values[0]); err != nil || n < 1 {
				d.at(e.Line, Error, "%s %q is not a positive number", e.Key, e.Values[0])
			}
		case "CERTIDENT":
			if len(e.Values) != 2 {
				d.at(e.Line, Error, "CERTIDENT wants a certificate name and a database password")
			}
		case "STATEPATH", "DATAPATH", "CERTFILE", "CERTPATH", "CERTREQUEST", "ALLOW_NO_DEVICE", "DISABLE_WEAK_SSL":
			if len(e.Values) != 1 {
				d.at(e.Line, Error, "%s wants one value", e.Key)
			}
		}
	}
	return d.ds
}
