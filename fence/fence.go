// Package fence implements ClusterLabs fence agents (the Fence Agent API:
// options as key=value lines on standard input or on the command line;
// actions on, off, reboot, status, list, list-status, monitor, metadata,
// validate-all, manpage; exit codes 0, 1 and 2 as specified) over power
// devices: outlets of any NUT server (fence_nut) and of every SNMP PDU
// the mapping tables know (fence_snmp_pdu).
package fence

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Exit codes of the API.
const (
	ExitOK    = 0
	ExitError = 1
	ExitOff   = 2 // status: reachable, plug off
)

// Messages of the fence-agents library for its error codes, kept so that
// operators and their tooling read the same words.
const (
	MsgLogin   = "Unable to connect/login to fencing device"
	MsgStatus  = "Failed: Unable to obtain correct plug status or plug is not available"
	MsgWaitOn  = "Failed: Timed out waiting to power ON"
	MsgWaitOff = "Failed: Timed out waiting to power OFF"
	MsgNoPass  = "Failed: You have to set login password"
	MsgNoLogin = "Failed: You have to set login name"
	MsgPriv    = "Failed: The user does not have the correct privileges to do the requested action."
)

// ErrDenied says the device refused the user (NUT checks passwords and
// rights when a command is sent, not at login).
var ErrDenied = errors.New("access denied")

// Outlet is one plug of a device.
type Outlet struct {
	ID    string // the plug as the device numbers it
	Alias string // its name or description
	On    bool
	Known bool     // status known
	Feeds []string // hosts (or devices) it feeds, from the power chain
}

// Device is what an agent drives.
type Device interface {
	// Outlets lists the plugs (none for a single-outlet device).
	Outlets(ctx context.Context) ([]Outlet, error)
	// Status reads a plug ("" for the whole device).
	Status(ctx context.Context, plug string) (on bool, err error)
	// Set switches a plug.
	Set(ctx context.Context, plug string, on bool) error
	Close() error
}

// ErrNoPlug says a plug does not exist on the device.
var ErrNoPlug = errors.New("no such plug")

// LoginError wraps a failure to reach or log in to the device.
type LoginError struct{ Err error }

func (e LoginError) Error() string { return MsgLogin + ": " + e.Err.Error() }
func (e LoginError) Unwrap() error { return e.Err }

// Param is an option of an agent: its stdin key, getopt letters and
// metadata.
type Param struct {
	Name       string // stdin key and metadata name
	Short      string // getopt letter, "" when none
	Long       string // getopt long name
	Arg        string // placeholder in "--ip=[ip]"; "" for a boolean
	Type       string // string, integer, second, boolean, select
	Default    string
	Required   bool
	Desc       string
	Obsoletes  string // the deprecated name this one replaces
	Deprecated bool
	Choices    []string
}

// Agent is one fence agent.
type Agent struct {
	Name, ShortDesc, LongDesc, VendorURL string
	Params                               []Param
	// Optional names common parameters this agent does not require
	// (fence_nut: ip and plug, when --ups names the device).
	Optional []string
	// Check, when set, validates options beyond the required ones.
	Check func(Options) error
	// Open connects to the device described by the options.
	Open func(ctx context.Context, o Options) (Device, error)
}

// Options are the parsed arguments, by Param.Name.
type Options map[string]string

// LoginTimeout bounds connecting and logging in (login_timeout, plus
// some slack for the network).
func (o Options) LoginTimeout() time.Duration {
	return max(o.Duration("login_timeout"), time.Second) + 5*time.Second
}

// Get returns an option's value or its default.
func (o Options) Get(name string) string { return o[name] }

// Bool reports a boolean option.
func (o Options) Bool(name string) bool {
	switch strings.ToLower(o[name]) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// Duration reads a seconds option.
func (o Options) Duration(name string) time.Duration {
	f, err := strconv.ParseFloat(o[name], 64)
	if err != nil || f < 0 {
		return 0
	}
	return time.Duration(f * float64(time.Second))
}

// Common are the parameters every agent has.
var Common = []Param{
	{Name: "action", Short: "o", Long: "action", Arg: "action", Type: "string", Default: "reboot", Required: true, Desc: "Fencing action"},
	{Name: "ip", Short: "a", Long: "ip", Arg: "ip", Type: "string", Required: true, Desc: "IP address or hostname of fencing device", Obsoletes: "ipaddr"},
	{Name: "ipaddr", Short: "a", Long: "ip", Arg: "ip", Type: "string", Required: true, Desc: "IP address or hostname of fencing device", Deprecated: true},
	{Name: "ipport", Short: "u", Long: "ipport", Arg: "port", Type: "integer", Desc: "TCP/UDP port to use for connection with device"},
	{Name: "login", Short: "l", Long: "username", Arg: "name", Type: "string", Desc: "Login name", Deprecated: true},
	{Name: "passwd", Short: "p", Long: "password", Arg: "password", Type: "string", Desc: "Login password or passphrase", Deprecated: true},
	{Name: "passwd_script", Short: "S", Long: "password-script", Arg: "script", Type: "string", Desc: "Script to run to retrieve password", Deprecated: true},
	{Name: "password", Short: "p", Long: "password", Arg: "password", Type: "string", Desc: "Login password or passphrase", Obsoletes: "passwd"},
	{Name: "password_script", Short: "S", Long: "password-script", Arg: "script", Type: "string", Desc: "Script to run to retrieve password", Obsoletes: "passwd_script"},
	{Name: "plug", Short: "n", Long: "plug", Arg: "id", Type: "string", Required: true, Desc: "Physical plug number on device, UUID or identification of machine", Obsoletes: "port"},
	{Name: "port", Short: "n", Long: "plug", Arg: "id", Type: "string", Required: true, Desc: "Physical plug number on device, UUID or identification of machine", Deprecated: true},
	{Name: "username", Short: "l", Long: "username", Arg: "name", Type: "string", Desc: "Login name", Obsoletes: "login"},
	{Name: "quiet", Short: "q", Long: "quiet", Type: "boolean", Desc: "Disable logging to stderr. Does not affect --verbose or --debug-file or logging to syslog."},
	{Name: "verbose", Short: "v", Long: "verbose", Type: "boolean", Desc: "Verbose mode. Multiple -v flags can be stacked on the command line (e.g., -vvv) to increase verbosity."},
	{Name: "debug", Short: "D", Long: "debug-file", Arg: "debugfile", Type: "string", Desc: "Write debug information to given file", Deprecated: true},
	{Name: "debug_file", Short: "D", Long: "debug-file", Arg: "debugfile", Type: "string", Desc: "Write debug information to given file", Obsoletes: "debug"},
	{Name: "version", Short: "V", Long: "version", Type: "boolean", Desc: "Display version information and exit"},
	{Name: "help", Short: "h", Long: "help", Type: "boolean", Desc: "Display help and exit"},
	{Name: "delay", Long: "delay", Arg: "seconds", Type: "second", Default: "0", Desc: "Wait X seconds before fencing is started"},
	{Name: "login_timeout", Long: "login-timeout", Arg: "seconds", Type: "second", Default: "5", Desc: "Wait X seconds for cmd prompt after login"},
	{Name: "power_timeout", Long: "power-timeout", Arg: "seconds", Type: "second", Default: "20", Desc: "Test X seconds for status change after ON/OFF"},
	{Name: "power_wait", Long: "power-wait", Arg: "seconds", Type: "second", Default: "0", Desc: "Wait X seconds after issuing ON/OFF"},
	{Name: "retry_on", Long: "retry-on", Arg: "attempts", Type: "integer", Default: "1", Desc: "Count of attempts to retry power on"},
}

// Actions of the agents, in the order official agents list them.
var Actions = []string{"on", "off", "reboot", "status", "list", "list-status", "monitor", "metadata", "manpage", "validate-all"}

// aliases maps deprecated stdin names to the current ones.
var aliases = map[string]string{"ipaddr": "ip", "login": "username", "passwd": "password", "passwd_script": "password_script",
	"port": "plug", "option": "action", "debug": "debug_file"}

// ParseStdin reads key=value lines (# comments ignored; the last value
// of a key wins; unknown keys are kept and ignored).
func ParseStdin(r io.Reader) Options {
	o := Options{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimLeft(sc.Text(), " \t")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		k = strings.TrimSpace(k)
		if a, ok := aliases[k]; ok {
			k = a
		}
		o[k] = strings.TrimRight(v, "\r")
	}
	return o
}

func (a *Agent) params() []Param { return append(append([]Param(nil), Common...), a.Params...) }

// defaults fills in default values and normalises the action.
func (a *Agent) defaults(o Options) {
	for _, p := range a.params() {
		if _, ok := o[p.Name]; !ok && p.Default != "" && !p.Deprecated {
			o[p.Name] = p.Default
		}
	}
	o["action"] = strings.ToLower(o["action"])
}

// password resolves password_script (run without a shell; its first line
// is the password) — so that passwords need not be in the process list.
func password(ctx context.Context, o Options, key, scriptKey string) (string, error) {
	if s := o[scriptKey]; s != "" && o[key] == "" {
		f := strings.Fields(s)
		out, err := exec.CommandContext(ctx, f[0], f[1:]...).Output()
		if err != nil {
			return "", fmt.Errorf("%s: %w", scriptKey, err)
		}
		line, _, _ := strings.Cut(string(out), "\n")
		return strings.TrimRight(line, "\r"), nil
	}
	return o[key], nil
}

// Run performs the action and returns the exit code; output goes to out,
// errors to errw.
func (a *Agent) Run(ctx context.Context, o Options, out, errw io.Writer) int {
	a.defaults(o)
	fail := func(format string, args ...any) int {
		if !o.Bool("quiet") {
			fmt.Fprintf(errw, "ERROR: "+format+"\n", args...)
		}
		return ExitError
	}
	switch act := o["action"]; act {
	case "metadata":
		io.WriteString(out, a.Metadata())
		return ExitOK
	case "manpage":
		io.WriteString(out, a.Manpage())
		return ExitOK
	case "on", "off", "reboot", "status", "list", "list-status", "monitor", "validate-all":
	default:
		return fail("Failed: Unrecognised action '%s'", act)
	}
	if err := a.validate(o); err != nil {
		return fail("%v", err)
	}
	if d := o.Duration("delay"); d > 0 && (o["action"] == "off" || o["action"] == "reboot") {
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return fail("interrupted")
		}
	}
	var err error
	if o["password"], err = password(ctx, o, "password", "password_script"); err != nil {
		return fail("%v", err)
	}
	if err := checkControl(o); err != nil {
		return fail("%v", err)
	}
	// Every action but metadata and manpage logs in (validate-all too,
	// unlike fence-agents' own agents), so that a cluster never hears
	// "healthy" from an agent whose device, user or password is wrong.
	dev, err := a.Open(ctx, o)
	if err != nil {
		var le LoginError
		if errors.As(err, &le) {
			return fail("%v", le)
		}
		return fail("%s: %v", MsgLogin, err)
	}
	defer dev.Close()
	return a.act(ctx, dev, o, out, fail)
}

// checkControl refuses options holding a control character: a newline
// in a value sent to a device would end the request there and run the
// rest as another command. The value is not printed (it may be a
// password).
func checkControl(o Options) error {
	names := make([]string, 0, len(o))
	for k := range o {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		v := o[k]
		if i := strings.IndexFunc(v, func(r rune) bool { return r < ' ' || r == 0x7f }); i >= 0 {
			return fmt.Errorf("Failed: %s contains a control character (%U)", strings.ReplaceAll(k, "_", " "), rune(v[i]))
		}
	}
	return nil
}

// validate checks what the action needs.
func (a *Agent) validate(o Options) error {
	act := o["action"]
	needPlug := act == "on" || act == "off" || act == "reboot" || act == "status"
	for _, p := range a.params() {
		if !p.Required || p.Deprecated {
			continue
		}
		switch p.Name {
		case "action":
			continue
		case "plug":
			if !needPlug {
				continue
			}
		}
		if o[p.Name] == "" && !a.optional(p.Name) {
			return fmt.Errorf("Failed: You have to enter %s", strings.ReplaceAll(p.Name, "_", " "))
		}
	}
	if a.Check != nil {
		return a.Check(o)
	}
	return nil
}

func (a *Agent) optional(name string) bool {
	for _, n := range a.Optional {
		if n == name || aliases[n] == name || aliases[name] == n {
			return true
		}
	}
	return false
}

func (a *Agent) act(ctx context.Context, dev Device, o Options, out io.Writer, fail func(string, ...any) int) int {
	plug := o["plug"]
	switch o["action"] {
	case "list", "list-status", "monitor", "validate-all":
		outs, err := dev.Outlets(ctx)
		if err != nil {
			return fail("%s: %v", MsgLogin, err)
		}
		if o["action"] == "monitor" || o["action"] == "validate-all" {
			return ExitOK
		}
		// The hosts the device can fence are plugs too (Pacemaker's
		// dynamic-list reads them).
		if hl, ok := dev.(HostLister); ok {
			hosts, err := hl.Hosts(ctx)
			if err != nil {
				return fail("%s: %v", MsgLogin, err)
			}
			outs = append(outs, hosts...)
		}
		for _, ol := range outs {
			alias := ol.Alias
			if len(ol.Feeds) > 0 {
				alias += " (feeds " + strings.Join(ol.Feeds, " ") + ")"
			}
			if o["action"] == "list" {
				fmt.Fprintf(out, "%s,%s\n", ol.ID, alias)
				continue
			}
			st := "UNKNOWN"
			if ol.Known {
				st = map[bool]string{true: "ON", false: "OFF"}[ol.On]
			}
			fmt.Fprintf(out, "%s,%s,%s\n", ol.ID, alias, st)
		}
		return ExitOK
	case "status":
		on, err := anyOn(ctx, dev, plug)
		if err != nil {
			return fail("%s", statusMsg(err))
		}
		if on {
			fmt.Fprintln(out, "Status: ON")
			return ExitOK
		}
		fmt.Fprintln(out, "Status: OFF")
		return ExitOff
	case "on", "off":
		want := o["action"] == "on"
		if code, msg := a.power(ctx, dev, o, plug, want); code != ExitOK {
			return fail("%s", msg)
		}
		fmt.Fprintln(out, "Success: Powered "+map[bool]string{true: "ON", false: "OFF"}[want])
		return ExitOK
	case "reboot":
		if code, msg := a.power(ctx, dev, o, plug, false); code != ExitOK {
			return fail("%s", msg)
		}
		// The off is what fences; a failing on is reported, not fatal.
		var code int
		var msg string
		for i := 0; i < max(atoi(o["retry_on"]), 1); i++ {
			if code, msg = a.power(ctx, dev, o, plug, true); code == ExitOK {
				break
			}
		}
		if code != ExitOK && !o.Bool("quiet") {
			fmt.Fprintf(out, "Warning: the plug is off (fenced) but did not come back on: %s\n", msg)
		}
		fmt.Fprintln(out, "Success: Rebooted")
		return ExitOK
	}
	return fail("Failed: Unrecognised action '%s'", o["action"])
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func statusMsg(err error) string {
	if errors.Is(err, ErrNoPlug) {
		return MsgStatus
	}
	var le LoginError
	if errors.As(err, &le) {
		return MsgLogin
	}
	return MsgStatus + ": " + err.Error()
}

// targets are the outlets a plug stands for: itself, or (a host) every
// outlet that feeds it.
func targets(ctx context.Context, dev Device, plug string) ([]Target, error) {
	if m, ok := dev.(Multi); ok {
		ts, err := m.Targets(ctx, plug)
		if err != nil || ts != nil {
			return ts, err
		}
	}
	return []Target{{Dev: dev, Plug: plug}}, nil
}

// anyOn is a plug's status: on while any outlet it stands for is on.
func anyOn(ctx context.Context, dev Device, plug string) (bool, error) {
	ts, err := targets(ctx, dev, plug)
	if err != nil {
		return false, err
	}
	for _, t := range ts {
		on, err := t.Dev.Status(ctx, t.Plug)
		if err != nil || on {
			return on, err
		}
	}
	return false, nil
}

// allAre reports whether every outlet is on (or off).
func allAre(ctx context.Context, ts []Target, on bool) (bool, error) {
	for _, t := range ts {
		cur, err := t.Dev.Status(ctx, t.Plug)
		if err != nil || cur != on {
			return false, err
		}
	}
	return true, nil
}

// power switches a plug — every outlet it stands for — and verifies them
// all, within power_timeout.
func (a *Agent) power(ctx context.Context, dev Device, o Options, plug string, on bool) (int, string) {
	ts, err := targets(ctx, dev, plug)
	if err != nil {
		return ExitError, statusMsg(err)
	}
	for _, t := range ts {
		cur, err := t.Dev.Status(ctx, t.Plug)
		if err != nil {
			return ExitError, statusMsg(err)
		}
		if cur == on {
			continue
		}
		if err := t.Dev.Set(ctx, t.Plug, on); err != nil {
			if errors.Is(err, ErrNoPlug) {
				return ExitError, MsgStatus
			}
			if errors.Is(err, ErrDenied) {
				return ExitError, MsgPriv
			}
			return ExitError, fmt.Sprintf("Failed: the device refused to switch the plug %s: %v", map[bool]string{true: "on", false: "off"}[on], err)
		}
	}
	if w := o.Duration("power_wait"); w > 0 {
		time.Sleep(w)
	}
	deadline := time.Now().Add(max(o.Duration("power_timeout"), time.Second))
	for {
		done, err := allAre(ctx, ts, on)
		if err == nil && done {
			return ExitOK, ""
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			if on {
				return ExitError, MsgWaitOn
			}
			return ExitError, MsgWaitOff
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// ResolvePlug finds an outlet by number or (case-insensitive) name.
func ResolvePlug(outs []Outlet, plug string) (Outlet, error) {
	for _, o := range outs {
		if o.ID == plug {
			return o, nil
		}
	}
	for _, o := range outs {
		if plug != "" && strings.EqualFold(o.Alias, plug) {
			return o, nil
		}
	}
	return Outlet{}, ErrNoPlug
}

// SortOutlets orders outlets by number.
func SortOutlets(outs []Outlet) {
	sort.Slice(outs, func(i, j int) bool {
		a, errA := strconv.Atoi(outs[i].ID)
		b, errB := strconv.Atoi(outs[j].ID)
		if errA == nil && errB == nil {
			return a < b
		}
		return outs[i].ID < outs[j].ID
	})
}
