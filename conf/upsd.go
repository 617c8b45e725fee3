package conf

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/powerchain/powerchain/nut"
)

// Listener is one LISTEN directive of upsd.conf.
type Listener struct {
	Addr string
	// Port is the TCP port: nut.DefaultPort when the line gives none, the
	// number as NUT's getaddrinfo reads it (modulo 65536: "99999" is
	// 34463), or 0 when Service names a service of /etc/services.
	Port int
	// Service is the port word as written ("" when not given).
	Service string
	Line    *Line
}

// Numeric reports whether the port is a number (or not given), so that
// Port needs no service lookup.
func (l Listener) Numeric() bool { return l.Service == "" || digitsOnly(l.Service) }

// UpsdConf is the typed view of upsd.conf, read as NUT 2.8.0's upsd reads
// it: directives are case-sensitive (DEBUG_MIN excepted), a number is
// the leading digits of its word (C's atoi), a line NUT rejects leaves the
// setting as it was, and the defaults are NUT's.
type UpsdConf struct {
	File   *File
	Listen []Listener
	MaxAge int // seconds; NUT's default 15
	// MaxConn is 0 when not set: the server applies its default.
	MaxConn        int
	TrackingDelay  int // seconds; NUT's default 3600
	StatePath      string
	DataPath       string
	CertFile       string
	CertPath       string
	CertIdent      CertIdent
	CertRequest    string
	AllowNoDevice  bool
	DisableWeakSSL bool
	// ChainGuard (POWERCHAIN_GUARD yes, powerchain's own directive: NUT's
	// upsd ignores it) refuses an instant command that would cut the last
	// healthy supply path of a load.
	ChainGuard bool
	// Traps (POWERCHAIN_TRAPS address [port], powerchain's own directive:
	// NUT's upsd ignores it) are where serve receives SNMP traps for its
	// snmp-ups devices, as "address:port" (port DefaultTrapPort when the
	// line gives none); none: no trap listener.
	Traps []string
	// Site and Rack (POWERCHAIN_SITE name, POWERCHAIN_RACK name,
	// powerchain's own directives: NUT's upsd ignores them) say where the
	// server stands: serve announces them with DNS-SD (site=, rack=) for
	// consoles to group its devices by, and publishes on NATS under the
	// site. "" when not given.
	Site, Rack string
	DebugMin   int // -1 when not set
	// Refusals are what makes NUT's upsd refuse to start, found in this
	// file alone (MAXCONN 0, a LISTEN port no service has). Validate
	// reports them as errors too.
	Refusals Diags
}

// CertIdent is upsd.conf's CERTIDENT: the certificate's name in the NSS
// database and the database's password.
type CertIdent struct {
	Name     string
	Password Secret
}

// DefaultTrapPort is SNMP's trap port, POWERCHAIN_TRAPS's default.
const DefaultTrapPort = 162

// NUT's upsd defaults (server/upsd.c).
const (
	defaultMaxAge        = 15
	defaultTrackingDelay = 3600
)

// ParseUpsdConf reads the settings of a parsed upsd.conf.
func ParseUpsdConf(f *File) *UpsdConf {
	c, _ := readUpsdConf(f)
	return c
}

// readUpsdConf reads upsd.conf line by line as NUT's load_upsdconf and
// parse_upsd_conf_args do, and returns what NUT would log about each
// line as findings.
func readUpsdConf(f *File) (*UpsdConf, Diags) {
	c := &UpsdConf{File: f, MaxAge: defaultMaxAge, TrackingDelay: defaultTrackingDelay, DebugMin: -1}
	d := &diagger{f: f}
	for _, l := range f.Lines {
		// NUT logs a parse error and skips the line (syntax() reports it).
		if l.Err != "" || len(l.Args) == 0 {
			continue
		}
		c.directive(d, l)
	}
	return c, d.ds
}

// directive applies one line; a line NUT calls an "invalid directive"
// is reported and changes nothing.
func (c *UpsdConf) directive(d *diagger, l *Line) {
	args := l.Args
	key := args[0]
	if name, ok := l.SectionName(); ok {
		d.at(l, Warning, "upsd.conf has no sections; NUT ignores [%s]", name)
		return
	}
	if len(args) > 1 && args[1] == "=" {
		// NUT's upsd.conf has no "key = value" form: "=" is read as
		// the first value, so the line means something else or nothing.
		d.at(l, Error, "%s: upsd.conf directives take no \"=\" (NUT reads \"=\" as the value; write \"%s value\")", key, key)
		d = &diagger{f: d.f} // one finding for the line is enough
	}
	if len(args) < 2 {
		if upsdDirectives[strings.ToUpper(key)] {
			d.at(l, Error, "%s has no value; NUT ignores the line", key)
		} else {
			d.at(l, Warning, "unknown directive %q (NUT ignores it)", key)
		}
		return
	}
	v := args[1]
	if strings.EqualFold(key, "DEBUG_MIN") {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			d.at(l, Warning, "DEBUG_MIN %q is not a number of 0 or more; NUT ignores it", v)
			return
		}
		c.DebugMin = n
		return
	}
	switch key {
	case "MAXAGE", "TRACKINGDELAY", "MAXCONN":
		n, ok := leadingNumber(v)
		if !ok {
			d.at(l, Error, "%s %q is not a number; NUT ignores the line", key, v)
			return
		}
		if !digitsOnly(v) {
			d.at(l, Warning, "%s %q: NUT reads the leading digits, %d", key, v, n)
		}
		switch key {
		case "MAXAGE":
			if n == 0 {
				d.at(l, Warning, "MAXAGE 0: every device's data is stale as soon as a second passes")
			}
			c.MaxAge = n
		case "TRACKINGDELAY":
			c.TrackingDelay = n
		case "MAXCONN":
			if n == 0 {
				c.refuse(l, "MAXCONN 0 allows no connection")
			}
			c.MaxConn = n
		}
	case "ALLOW_NO_DEVICE":
		if n, ok := leadingNumber(v); ok {
			c.AllowNoDevice = n != 0
		} else if b, ok := parseBool(v); ok {
			c.AllowNoDevice = b
		} else {
			d.at(l, Error, "ALLOW_NO_DEVICE %q is not a number or a boolean (true, yes, on, false, no, off); NUT ignores the line", v)
		}
	case "POWERCHAIN_GUARD":
		d.boolean(l, key, v, "powerchain", &c.ChainGuard)
	case "POWERCHAIN_TRAPS":
		port := strconv.Itoa(DefaultTrapPort)
		if len(args) > 2 {
			port = args[2]
			if n, err := strconv.ParseUint(port, 10, 16); err != nil || n == 0 {
				d.at(l, Error, "POWERCHAIN_TRAPS port %q is not a number from 1 to 65535; powerchain ignores the line", port)
				return
			}
		}
		if len(args) > 3 {
			d.at(l, Warning, "POWERCHAIN_TRAPS takes an address and a port; powerchain ignores %q", strings.Join(args[3:], " "))
		}
		c.Traps = append(c.Traps, net.JoinHostPort(v, port))
	case "POWERCHAIN_SITE", "POWERCHAIN_RACK":
		if err := CheckPlace(v); err != nil {
			d.at(l, Error, "%s: %v; powerchain ignores the line", key, err)
			return
		}
		if len(args) > 2 {
			d.at(l, Warning, "%s takes one name (quote one with spaces); powerchain ignores %q", key, strings.Join(args[2:], " "))
		}
		if key == "POWERCHAIN_SITE" {
			c.Site = v
		} else {
			c.Rack = v
		}
	case "DISABLE_WEAK_SSL":
		d.boolean(l, key, v, "NUT", &c.DisableWeakSSL)
	case "STATEPATH":
		c.StatePath = v
	case "DATAPATH":
		c.DataPath = v
	case "CERTFILE":
		c.CertFile = v
	case "CERTPATH":
		c.CertPath = v
		d.at(l, Warning, "CERTPATH is an NSS certificate database, which powerchain cannot read: it offers no STARTTLS with it (CERTFILE, a PEM file with the certificate and its key, works with powerchain and with NUT built with OpenSSL)")
	case "CERTREQUEST":
		c.CertRequest = v
		d.at(l, Warning, "CERTREQUEST: client certificates are checked neither by Debian's NUT 2.8.0 upsd (built without it) nor by powerchain; ignored")
	case "ACCEPT", "REJECT":
		d.at(l, Warning, "%s is no longer supported by NUT; use LISTEN and firewall rules", key)
	case "LISTEN":
		ln := Listener{Addr: v, Port: nut.DefaultPort, Line: l}
		if len(args) > 2 {
			ln.Service = args[2]
			ln.Port = 0
			if ln.Numeric() {
				ln.Port = servicePort(ln.Service)
				if n, err := strconv.ParseUint(ln.Service, 10, 64); err != nil || n > 65535 {
					d.at(l, Warning, "LISTEN port %s is beyond 65535: NUT listens on port %d (%s modulo 65536)", ln.Service, ln.Port, ln.Service)
				} else if n == 0 {
					d.at(l, Warning, "LISTEN port 0: the system picks a free port")
				}
			} else if _, err := net.LookupPort("tcp", ln.Service); err != nil {
				c.refuse(l, "LISTEN port %q is neither a number nor a service of /etc/services", ln.Service)
			}
		}
		if len(args) > 3 {
			d.at(l, Warning, "LISTEN takes an address and a port; NUT ignores %q", strings.Join(args[3:], " "))
		}
		c.Listen = append(c.Listen, ln)
	case "ACL":
		if len(args) < 3 {
			d.at(l, Warning, "ACL is no longer supported by NUT (and wants a name and a network); NUT ignores the line")
		} else {
			d.at(l, Warning, "ACL is no longer supported by NUT; use LISTEN and firewall rules")
		}
	case "CERTIDENT":
		if len(args) < 3 {
			d.at(l, Error, "CERTIDENT wants a certificate name and a database password; NUT ignores the line")
			return
		}
		c.CertIdent = CertIdent{Name: args[1], Password: Secret(args[2])}
		if len(args) > 3 {
			d.at(l, Warning, "CERTIDENT takes a name and a password; NUT ignores %q", strings.Join(args[3:], " "))
		}
	default:
		if upsdDirectives[strings.ToUpper(key)] {
			d.at(l, Warning, "unknown directive %q (NUT's directives are upper case: %s)", key, strings.ToUpper(key))
		} else {
			d.at(l, Warning, "unknown directive %q (NUT ignores it)", key)
		}
	}
}

// refuse records what NUT's upsd refuses to start with.
func (c *UpsdConf) refuse(l *Line, format string, args ...any) {
	c.Refusals = append(c.Refusals, Diag{File: c.File.Path, Line: l.Num, Severity: Error,
		Msg: fmt.Sprintf(format, args...) + ": NUT's upsd refuses to start"})
}

// worldReadable warns as NUT's upsd does (check_perms) when others may
// read the file.
func (d *diagger) worldReadable() {
	st, err := os.Stat(d.f.Path)
	if err != nil {
		return
	}
	if st.Mode().Perm()&0o005 != 0 {
		d.at(nil, Warning, "readable by every user (mode %04o); NUT's upsd warns about it: chmod 0640", st.Mode().Perm())
	}
}

var upsdDirectives = map[string]bool{
	"LISTEN": true, "MAXAGE": true, "MAXCONN": true, "TRACKINGDELAY": true,
	"STATEPATH": true, "DATAPATH": true, "CERTFILE": true, "CERTPATH": true,
	"CERTIDENT": true, "CERTREQUEST": true, "ALLOW_NO_DEVICE": true,
	"DISABLE_WEAK_SSL": true, "DEBUG_MIN": true, "ACL": true, "ACCEPT": true, "REJECT": true,
	"POWERCHAIN_GUARD": true, // powerchain's; NUT's upsd logs it and goes on
	"POWERCHAIN_TRAPS": true, // powerchain's, likewise
	"POWERCHAIN_SITE":  true,
	"POWERCHAIN_RACK":  true,
}

// MaxPlace is the longest site or rack name, in bytes: a DNS-SD record
// with both and its lists cut to their limit stays within one packet
// (dnssd.MaxTXTRecord).
const MaxPlace = 64

// CheckPlace reports why name cannot be a server's site or rack
// (POWERCHAIN_SITE, POWERCHAIN_RACK, serve's --site and --rack): it must
// be text of 1 to MaxPlace bytes without control characters, and not
// "*", which names every site in NATS subjects. Other characters, spaces
// included, are carried as they are in DNS-SD and escaped in NATS
// subjects.
func CheckPlace(name string) error {
	switch {
	case name == "":
		return errors.New("the name is empty")
	case name == "*":
		return errors.New(`"*" stands for every site in NATS subjects, not one`)
	case len(name) > MaxPlace:
		return fmt.Errorf("%q is longer than %d bytes", name, MaxPlace)
	case !utf8.ValidString(name):
		return fmt.Errorf("%q is not UTF-8 text", name)
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return fmt.Errorf("%q holds a control character", name)
		}
	}
	return nil
}

// leadingNumber reads a number as NUT does for MAXAGE and its kind: the
// word must start with a digit, and C's atoi takes the digits that follow.
func leadingNumber(s string) (int, bool) {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		if n < 1<<31 {
			n = n*10 + int(s[i]-'0')
		}
	}
	return n, true
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// servicePort is a numeric port as glibc's getaddrinfo reads it: the
// number modulo 65536.
func servicePort(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = (n*10 + int(s[i]-'0')) & 0xffff
	}
	return n
}

// parseBool reads NUT's boolean words (case-insensitive): true, on, yes,
// 1 and false, off, no, 0.
// boolean sets *dst to the directive's boolean value; any other value is
// an error, and the line is ignored as who (NUT or powerchain) ignores it.
func (d *diagger) boolean(l *Line, key, v, who string, dst *bool) {
	b, ok := parseBool(v)
	if !ok {
		d.at(l, Error, "%s %q is not a boolean (true, yes, on, 1, false, no, off, 0); %s ignores the line", key, v, who)
		return
	}
	*dst = b
}

func parseBool(s string) (value, ok bool) {
	switch strings.ToLower(s) {
	case "true", "on", "yes", "1":
		return true, true
	case "false", "off", "no", "0":
		return false, true
	}
	return false, false
}

// Validate checks upsd.conf as NUT's upsd would read it.
func (c *UpsdConf) Validate() Diags {
	d := &diagger{f: c.File}
	d.syntax()
	d.worldReadable()
	fresh, ds := readUpsdConf(c.File)
	d.ds = append(d.ds, ds...)
	d.ds = append(d.ds, fresh.Refusals...)
	return d.ds
}
