package conf

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/powerchain/powerchain/nut"
)

// Monitor is one MONITOR line of upsmon.conf:
// "MONITOR ups@host[:port] powervalue username password primary|secondary".
type Monitor struct {
	System     nut.UPSName
	PowerValue int
	Username   string
	Password   Secret
	Role       string // "primary" or "secondary"; "master"/"slave" map to them
	Line       *Line
}

// NotifyTypes are NUT 2.8.0's upsmon notification types, in NUT's order.
var NotifyTypes = []string{"ONLINE", "ONBATT", "LOWBATT", "FSD", "COMMOK", "COMMBAD",
	"SHUTDOWN", "REPLBATT", "NOCOMM", "NOPARENT", "CAL"}

// ChainNotifyTypes are powerchain's notification types about the power
// chain, accepted beside NUT's: redundancy lost and back, a supply cut
// upstream and back, a host woken by PowerWake and a wake that failed.
var ChainNotifyTypes = []string{"NOREDUNDANCY", "REDUNDANCYOK", "SUPPLYLOST", "SUPPLYOK", "WAKE", "WAKEFAIL"}

// NotifyFlagNames are the words NOTIFYFLAG joins with "+".
var NotifyFlagNames = []string{"IGNORE", "SYSLOG", "WALL", "EXEC"}

// Number is a numeric setting of upsmon.conf: the value the file sets,
// whether it sets one, and NUT's default when it does not, so that
// "FINALDELAY 0" (set, to zero) differs from no FINALDELAY (NUT's 5).
type Number struct {
	Value   int  // as the file sets it (the last line wins, as in NUT)
	Set     bool // the file sets it: one whole number of 0 or more
	Default int  // NUT 2.8.0 upsmon's value when the file does not
}

// Int is the value in effect: the file's, else NUT's default.
func (n Number) Int() int {
	if n.Set {
		return n.Value
	}
	return n.Default
}

// Seconds is Int for a time setting, in seconds.
func (n Number) Seconds() time.Duration { return time.Duration(n.Int()) * time.Second }

// take reads a numeric setting's words: one whole number of 0 or more
// sets it (a later line wins); anything else leaves it as it was, for
// validation to report.
func (n *Number) take(words []string) {
	if len(words) != 1 {
		return
	}
	if x, err := strconv.Atoi(words[0]); err == nil && x >= 0 {
		n.Value, n.Set = x, true
	}
}

// withDefaults gives each numeric setting of nums its default from
// defaults, and returns nums.
func withDefaults(nums map[string]*Number, defaults map[string]int) map[string]*Number {
	for k, n := range nums {
		n.Default = defaults[k]
	}
	return nums
}

// upsmonDefaults are NUT 2.8.0 upsmon's values for the numeric settings
// (clients/upsmon.c).
var upsmonDefaults = map[string]int{"MINSUPPLIES": 1, "POLLFREQ": 5, "POLLFREQALERT": 5,
	"HOSTSYNC": 15, "DEADTIME": 15, "RBWARNTIME": 43200, "NOCOMMWARNTIME": 300, "FINALDELAY": 5}

// UpsmonConf is the typed view of upsmon.conf. The numbers know whether
// the file sets them and carry NUT's defaults (Number.Int, .Seconds).
type UpsmonConf struct {
	File           *File
	Monitors       []Monitor
	MinSupplies    Number
	ShutdownCmd    string
	NotifyCmd      string
	PollFreq       Number // seconds between polls
	PollFreqAlert  Number // seconds between polls while a supply is on battery
	HostSync       Number
	DeadTime       Number
	PowerDownFlag  string
	RBWarnTime     Number
	NoCommWarnTime Number
	FinalDelay     Number
	RunAsUser      string
	// TLS as NUT's upsmon: STARTTLS is tried on every connection;
	// FORCESSL 1 makes it required, CERTVERIFY 1 checks the server's
	// certificate against the PEM certificates in CERTPATH.
	CertPath   string
	CertVerify bool
	ForceSSL   bool
	NotifyMsg  map[string]string
	NotifyFlag map[string][]string
	// PowerWake is powerchain's: the hosts to wake when power is back.
	PowerWake PowerWake
}

var upsmonStrings = map[string]bool{"SHUTDOWNCMD": true, "NOTIFYCMD": true, "POWERDOWNFLAG": true,
	"RUN_AS_USER": true, "CERTPATH": true, "CERTVERIFY": true, "FORCESSL": true}

// ParseUpsmonConf reads the settings of a parsed upsmon.conf.
func ParseUpsmonConf(f *File) *UpsmonConf {
	c := &UpsmonConf{File: f, NotifyMsg: map[string]string{}, NotifyFlag: map[string][]string{}, PowerWake: parsePowerWake(f)}
	ints := withDefaults(c.numbers(), upsmonDefaults)
	strs := map[string]*string{"SHUTDOWNCMD": &c.ShutdownCmd, "NOTIFYCMD": &c.NotifyCmd,
		"POWERDOWNFLAG": &c.PowerDownFlag, "RUN_AS_USER": &c.RunAsUser}
	for _, e := range f.Entries() {
		v := e.Values
		if len(v) == 0 {
			continue
		}
		if p, ok := ints[e.Key]; ok {
			p.take(v)
			continue
		}
		if p, ok := strs[e.Key]; ok {
			*p = v[0]
			continue
		}
		switch e.Key {
		case "MONITOR":
			if m, err := parseMonitor(e); err == nil {
				c.Monitors = append(c.Monitors, m)
			}
		case "CERTPATH":
			c.CertPath = v[0]
		case "CERTVERIFY":
			c.CertVerify = v[0] == "1"
		case "FORCESSL":
			c.ForceSSL = v[0] == "1"
		case "NOTIFYMSG":
			if len(v) >= 2 {
				c.NotifyMsg[strings.ToUpper(v[0])] = v[1]
			}
		case "NOTIFYFLAG":
			if len(v) >= 2 {
				c.NotifyFlag[strings.ToUpper(v[0])] = strings.Split(v[1], "+")
			}
		}
	}
	return c
}

// isNumber reports whether key is one of upsmon.conf's numbers.
func isNumber(key string) bool {
	_, ok := upsmonDefaults[key]
	return ok
}

// numbers maps the numeric directives to their fields.
func (c *UpsmonConf) numbers() map[string]*Number {
	return map[string]*Number{"MINSUPPLIES": &c.MinSupplies, "POLLFREQ": &c.PollFreq,
		"POLLFREQALERT": &c.PollFreqAlert, "HOSTSYNC": &c.HostSync, "DEADTIME": &c.DeadTime,
		"RBWARNTIME": &c.RBWarnTime, "NOCOMMWARNTIME": &c.NoCommWarnTime, "FINALDELAY": &c.FinalDelay}
}

func parseMonitor(e Entry) (Monitor, error) {
	v := e.Values
	m := Monitor{Line: e.Line}
	if len(v) != 5 {
		return m, fmt.Errorf("MONITOR wants 5 values: ups@host powervalue username password primary|secondary (got %d)", len(v))
	}
	sys, err := nut.ParseUPSName(v[0])
	if err != nil {
		return m, fmt.Errorf("MONITOR system: %v", err)
	}
	pv, err := strconv.Atoi(v[1])
	if err != nil || pv < 0 {
		return m, fmt.Errorf("MONITOR %s: power value %q is not a whole number of 0 or more", v[0], v[1])
	}
	role := strings.ToLower(v[4])
	switch role {
	case "master":
		role = "primary"
	case "slave":
		role = "secondary"
	case "primary", "secondary":
	default:
		return m, fmt.Errorf("MONITOR %s: role %q is not primary or secondary", v[0], v[4])
	}
	m.System, m.PowerValue, m.Username, m.Password, m.Role = sys, pv, v[2], Secret(v[3]), role
	return m, nil
}

// Validate checks upsmon.conf as NUT's upsmon would read it.
func (c *UpsmonConf) Validate() Diags {
	d := &diagger{f: c.File}
	d.syntax()
	d.secretFile()
	total := 0
	wakeHosts := map[string]bool{}
	for _, e := range c.File.Entries() {
		v := e.Values
		switch {
		case e.Section != "":
			d.at(e.Line, Warning, "upsmon.conf has no sections; [%s] is ignored by NUT", e.Section)
			continue
		case e.Eq:
			d.at(e.Line, Error, "%s: upsmon.conf directives take no \"=\" (write \"%s value\")", e.Key, e.Key)
			continue
		}
		switch {
		case e.Key == "MONITOR":
			m, err := parseMonitor(e)
			if err != nil {
				d.at(e.Line, Error, "%v", err)
				continue
			}
			total += m.PowerValue
			if strings.ContainsAny(m.Password.Reveal(), wireUnsafe) {
				d.at(e.Line, Warning, "MONITOR %s: upsmon sends the password unquoted and cannot log in with a space, =, #, \" or \\ in it", m.System)
			}
		case isNumber(e.Key):
			if len(v) != 1 {
				d.at(e.Line, Error, "%s wants one number", e.Key)
			} else if n, err := strconv.Atoi(v[0]); err != nil || n < 0 {
				d.at(e.Line, Error, "%s %q is not a whole number of 0 or more", e.Key, v[0])
			}
		case upsmonStrings[e.Key]:
			if len(v) != 1 {
				d.at(e.Line, Error, "%s wants one value; put a command with spaces in quotes", e.Key)
			}
		case e.Key == "NOTIFYMSG" || e.Key == "NOTIFYFLAG":
			if len(v) != 2 {
				d.at(e.Line, Error, "%s wants a type and one value (quote a message with spaces)", e.Key)
				continue
			}
			if t := strings.ToUpper(v[0]); !contains(NotifyTypes, t) && !contains(ChainNotifyTypes, t) {
				d.at(e.Line, Error, "%s: unknown notify type %q (known: %s %s)", e.Key, v[0],
					strings.Join(NotifyTypes, " "), strings.Join(ChainNotifyTypes, " "))
			} else if contains(ChainNotifyTypes, t) {
				d.at(e.Line, Warning, "%s %s is powerchain's; NUT's own upsmon refuses the type", e.Key, t)
			}
			if e.Key == "NOTIFYFLAG" {
				for _, fl := range strings.Split(v[1], "+") {
					if !contains(NotifyFlagNames, strings.ToUpper(fl)) {
						d.at(e.Line, Error, "NOTIFYFLAG: unknown flag %q (known: %s)", fl, strings.Join(NotifyFlagNames, "+"))
					}
				}
			}
		case e.Key == "CERTIDENT" || e.Key == "CERTHOST":
		case isPowerWake(e.Key):
			d.validatePowerWake(e, wakeHosts)
		default:
			d.at(e.Line, Warning, "unknown directive %q (NUT ignores it)", e.Key)
		}
	}
	c.validatePowerWakeUser(d)
	if min := c.MinSupplies.Int(); min > total && (len(c.Monitors) > 0 || c.MinSupplies.Set) {
		l, what := (*Line)(nil), fmt.Sprintf("MINSUPPLIES (NUT's default %d)", min)
		if e, ok := c.File.Lookup("", "MINSUPPLIES"); ok && c.MinSupplies.Set {
			l, what = e.Line, fmt.Sprintf("MINSUPPLIES %d", min)
		}
		d.at(l, Error, "%s is more than the power values of all MONITOR lines (%d): upsmon refuses to start", what, total)
	}
	return d.ds
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
