package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/dnssd"
	"github.com/powerchain/powerchain/nut"
	"github.com/powerchain/powerchain/scan"
	"github.com/powerchain/powerchain/setup"
)

// setupFlags are setup's choices, every one a flag (provisioning tools
// run it without a terminal).
type setupFlags struct {
	scan                      scanFlags
	dir, from, listen         string
	yes, asJSON               bool
	servers, supplies         []string
	host, user, password      string
	passwordFile, shutdownCmd string
	minSupplies               int
}

// Exit codes of setup, for provisioning tools.
const (
	setupExitError      = 1 // a server, a file or the result was wrong
	setupExitUsage      = 2 // a flag is wrong or missing, or it would have to ask
	setupExitNoSupplies = 3 // the servers have nothing that says what feeds this host
)

func newSetupCmd() *cobra.Command {
	var o setupFlags
	cmd := &cobra.Command{
		Use: "setup [-c DIR] [--yes] [--json] [--from SCAN.json] [-s IP -e IP | -m CIDR] [--listen HOST:PORT]\n" +
			"  setup --server HOST[:PORT]... [--host NAME] [--supplies DEVICE[@HOST[:PORT]],...] --user USER [--password-file FILE] [--min-supplies N]",
		Short: "Scan, pick devices, and write a working NUT configuration; or join the servers that feed this host",
		Long: `Scans (USB, the simulation files of the directory, SNMP agents and NUT
servers in the given range, NUT servers announced with DNS-SD) — or reads
"powerchain scan --json" output with --from — lets you pick the devices
(on a terminal; --yes takes them all), and writes ups.conf, upsd.conf,
upsd.users (generated passwords, mode 0640), upsmon.conf and nut.conf
through the config library: existing sections and comments stay, a second
run adds only new devices. Then it validates and prints the command that
starts the server.

NUT servers announced with DNS-SD whose record names this host among
the hosts they feed (or does not say), NUT servers found on the NUT bus,
and those named with --server are joined, not copied: the
devices that feed this host — those whose device.host is this host
(--host, the host name by default), or those named with --supplies — get
MONITOR lines against their own servers under their own names (secondary,
logging in as --user with --password-file, --password or a prompt), power
value 1 each, MINSUPPLIES 1 (the host runs on any one of its supplies;
--min-supplies to say otherwise), and nut.conf MODE=netclient when this
host serves no device itself. The user must be able to log in to every
supply. Running it again changes nothing.

Exit status: 0 done (or nothing to do), 1 an error, 2 a wrong or missing
flag (or it would have to ask without a terminal), 3 nothing on the servers
says which supplies feed this host.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			rep := newSetupReport()
			err := runSetup(c, o, rep)
			if err == nil {
				return nil
			}
			code := setupExitError
			var f *failure
			switch {
			case errors.As(err, &f):
				code = f.code
			case errors.Is(err, setup.ErrNoSupplies):
				code = setupExitNoSupplies
			}
			fmt.Fprintf(c.ErrOrStderr(), "powerchain setup: %v\n", err)
			// With --json, what was found and done so far goes with it.
			return &failure{err: err, code: code, shown: true, result: rep}
		},
	}
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		fmt.Fprintf(c.ErrOrStderr(), "powerchain setup: %v\n", err)
		return &failure{err: err, code: setupExitUsage, shown: true}
	})
	fl := cmd.Flags()
	f := &o.scan
	fl.StringVarP(&o.dir, "confdir", "c", "", "NUT configuration directory (default $NUT_CONFPATH or /etc/nut)")
	fl.BoolVarP(&o.yes, "yes", "y", false, "configure every device found, without asking")
	fl.BoolVar(&o.asJSON, "json", false, "print what was found and done as JSON (never a password)")
	fl.StringVar(&o.from, "from", "", "use a scan result (powerchain scan --json) instead of scanning")
	fl.StringVar(&o.listen, "listen", "", "upsd.conf LISTEN address when there is none (default 127.0.0.1:3493)")
	fl.StringArrayVar(&o.servers, "server", nil, "join this NUT server (HOST[:PORT]; repeatable) instead of scanning")
	fl.StringVar(&o.host, "host", "", "this host as device.host names it on the servers (default: the host name)")
	fl.StringSliceVar(&o.supplies, "supplies", nil, "the devices that feed this host, DEVICE[@HOST[:PORT]] (comma-separated or repeated), when device.host does not say")
	fl.StringVar(&o.user, "user", "", "upsd.users user upsmon logs in to the servers as (an upsmon secondary)")
	fl.StringVar(&o.password, "password", "", "its password (visible to other users of this host: prefer --password-file)")
	fl.StringVar(&o.passwordFile, "password-file", "", "a file whose first line is the password")
	fl.IntVar(&o.minSupplies, "min-supplies", 0, "MINSUPPLIES: how many supplies this host needs (default 1)")
	fl.StringVar(&o.shutdownCmd, "shutdown-cmd", "", `upsmon.conf SHUTDOWNCMD (default: kept, or "/sbin/shutdown -h +0")`)
	fl.StringVarP(&f.start, "start_ip", "s", "", "first address to scan")
	fl.StringVarP(&f.end, "end_ip", "e", "", "last address to scan")
	fl.StringVarP(&f.cidr, "mask_cidr", "m", "", "addresses to scan as CIDR")
	fl.IntVarP(&f.timeout, "timeout", "t", 5, "network timeout per host, seconds")
	fl.IntVarP(&f.threads, "thread", "T", 512, "hosts probed at once")
	fl.IntVar(&f.rate, "rate", scan.DefaultRate, "packets per second sent to the range")
	fl.IntVar(&f.retries, "retries", 0, "requests sent again to an address silent for the timeout")
	fl.StringVar(&f.community, "community", "public", "SNMP community")
	fl.StringVar(&f.snmpVersion, "snmp_version", "v1", "SNMP version for communities: v1 or v2c")
	fl.IntVarP(&f.port, "port", "p", nut.DefaultPort, "port of NUT servers to scan")
	fl.StringVar(&f.sysfs, "sysfs", "/sys", "sysfs root for the USB scan")
	fl.BoolVar(&f.force, "force", false, "scan ranges larger than 65,536 addresses")
	fl.StringVar(&f.ipmiUser, "ipmi_user", "", "IPMI LAN user: scan BMCs in the range for power supplies")
	fl.StringVar(&f.ipmiPass, "ipmi_password", "", "IPMI LAN password")
	fl.IntVar(&f.ipmiPort, "ipmi_port", 623, "UDP port of the BMCs")
	fl.IntVar(&f.cipherSuite, "cipher_suite", 3, "IPMI RMCP+ cipher suite")
	f.quiet = true
	return cmd
}

// setupReport is setup's --json output.
type setupReport struct {
	Added   []string `json:"added"`
	Known   []string `json:"known"`
	Written []string `json:"written"`
	Users   []string `json:"new_users"` // their passwords: powerchain conf get --show-secrets
	Start   string   `json:"start,omitempty"`
	// Runs says how serve runs each added device: natively, or through
	// NUT's driver program (and whether that is installed).
	Runs  map[string]string `json:"runs"`
	Diags conf.Diags        `json:"findings"`
	Join  *setup.JoinResult `json:"join,omitempty"`
}

func newSetupReport() *setupReport {
	return &setupReport{Added: []string{}, Known: []string{}, Written: []string{}, Users: []string{}, Diags: conf.Diags{},
		Runs: map[string]string{}}
}

// usageFailure is a failure of setup's exit status setupExitUsage.
func usageFailure(msg string) error {
	return &failure{err: errors.New(msg), code: setupExitUsage}
}

// runSetup scans or reads a scan, writes the configuration, joins the
// servers, and fills rep with what it found and did (so far, when it
// fails; the findings are printed, unless --json, whose rep has them).
func runSetup(c *cobra.Command, o setupFlags, rep *setupReport) error {
	out, errw := c.OutOrStdout(), c.ErrOrStderr()
	in := c.InOrStdin()
	interactive := isTerminal(out) && isTerminal(in)
	dir := conf.ResolveDir(o.dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var found []scan.Device
	var browsed []string // servers found, not named
	switch {
	case o.from != "":
		b, err := os.ReadFile(o.from)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, &found); err != nil {
			return fmt.Errorf("%s: not a scan result: %w", o.from, err)
		}
	case len(o.servers) == 0:
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
		defer stop()
		info := func(format string, a ...any) {
			if !o.asJSON {
				fmt.Fprintf(errw, format+"\n", a...)
			}
		}
		// Every bus but DNS-SD, whose announcements are read here.
		f := o.scan
		f.confDir = dir
		f.usb, f.snmp, f.oldnut, f.sim, f.ipmi, f.xml = true, true, true, true, true, true
		var err error
		if found, err = scanBuses(ctx, f, errw, info); err != nil {
			return err
		}
		browsed = announcedServers(ctx, o, info)
	}
	// NUT servers found are joined, never relayed.
	var local []scan.Device
	for _, d := range found {
		if d.Bus == scan.BusNUT || d.Bus == scan.BusMDNS {
			if _, srv, ok := strings.Cut(d.Port, "@"); ok && !slices.Contains(browsed, srv) {
				browsed = append(browsed, srv)
			}
			continue
		}
		local = append(local, d)
	}
	joining := len(o.servers) > 0 || len(browsed) > 0
	if !o.yes && !interactive {
		return usageFailure("not on a terminal: pass --yes to configure every device found")
	}
	findingsTo := errw
	if o.asJSON {
		findingsTo = io.Discard // they are in the JSON
	}
	if len(local) > 0 || !joining {
		opts := setup.Options{Dir: dir, Listen: o.listen}
		if !o.yes {
			opts.Pick = func(cands []setup.Candidate) ([]int, error) { return pick(in, out, cands) }
		}
		res, err := setup.Apply(local, opts)
		if res != nil {
			rep.Diags = append(rep.Diags, res.Diags...)
		}
		if err != nil {
			return printFindingsOf(findingsTo, rep.Diags, err)
		}
		rep.Added, rep.Known, rep.Written, rep.Start = nonNil(res.Added), nonNil(res.Known), nonNil(res.Written), res.StartCmd
		for name, how := range res.Runs {
			rep.Runs[name] = how.String()
		}
		for u := range res.Secrets {
			rep.Users = append(rep.Users, u)
		}
		sort.Strings(rep.Users)
	}
	if joining {
		jo, err := joinOptions(o, dir, browsed, in, errw, interactive)
		if err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if !o.yes {
			jo.DryRun = true
			plan, err := setup.Join(ctx, jo)
			if err != nil {
				return err
			}
			printJoin(out, plan)
			if !confirm(in, out, "Write this? [Y/n]: ") {
				return nil
			}
			jo.DryRun = false
		}
		res, err := setup.Join(ctx, jo)
		if res != nil {
			rep.Diags = append(rep.Diags, res.Diags...)
			rep.Join = res
		}
		if err != nil {
			return printFindingsOf(findingsTo, rep.Diags, err)
		}
		rep.Written = append(rep.Written, res.Written...)
	}
	if o.asJSON {
		return writeJSON(out, rep)
	}
	printFindings(errw, rep.Diags)
	if len(local) > 0 || !joining {
		report(out, dir, *rep)
	}
	if rep.Join != nil {
		printJoin(out, rep.Join)
	}
	return nil
}

// announcedServers browses DNS-SD for NUT servers and keeps those whose
// announcement says they feed this host, or does not say (a record
// without powerchain's keys, or cut short); with --supplies, all.
func announcedServers(ctx context.Context, o setupFlags, info func(string, ...any)) []string {
	info("Scanning NUT bus (DNS-SD method).")
	found, _, err := dnssd.Browse(ctx, 3*time.Second)
	if err != nil {
		info("DNS-SD: %v", err)
	}
	host := o.host
	if host == "" {
		host, _ = os.Hostname()
	}
	var servers []string
	for _, f := range found {
		if len(f.Addrs) == 0 || nut.IsLocalHost(f.Addrs[0]) {
			continue // this host's own announcements
		}
		a := f.Announcement
		srv := nut.JoinHostPort(f.Addrs[0], f.Port)
		what := fmt.Sprintf("%s (%s: %s, %d devices, feeds %s)", f.Instance, srv, orNone(a.Role), a.Total, orNone(strings.Join(a.Hosts, ",")))
		switch {
		case a.Feeds(host), len(o.supplies) > 0, a.Role == "", !a.Complete():
			info("found %s: joining it", what)
			if !slices.Contains(servers, srv) {
				servers = append(servers, srv)
			}
		default:
			info("found %s: it feeds other hosts than %s", what, host)
		}
	}
	return servers
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func printFindings(w io.Writer, ds conf.Diags) {
	for _, d := range ds {
		fmt.Fprintln(w, d)
	}
}

// printFindingsOf prints the findings of a step that failed with err and
// returns err, less the findings it carries when they are among those
// printed (setup's errors end with the first finding: "nothing
// written: FILE:LINE: error: …"), so that each is said once.
func printFindingsOf(w io.Writer, ds conf.Diags, err error) error {
	printFindings(w, ds)
	var carried conf.ValidationError
	if len(ds) == 0 || !errors.As(err, &carried) || !slices.Contains(ds, carried[0]) {
		return err
	}
	if msg, ok := strings.CutSuffix(err.Error(), ": "+carried.Error()); ok {
		return errors.New(msg)
	}
	return fmt.Errorf("%d errors in the configuration", ds.Errors())
}

// joinOptions reads the join's flags, the password from its file or a
// prompt.
func joinOptions(o setupFlags, dir string, browsed []string, in io.Reader, errw io.Writer, interactive bool) (setup.JoinOptions, error) {
	jo := setup.JoinOptions{Dir: dir, Servers: o.servers, Found: browsed, Host: o.host, Supplies: o.supplies, User: o.user,
		Password: conf.Secret(o.password), MinSupplies: o.minSupplies, ShutdownCmd: o.shutdownCmd}
	r := bufio.NewReader(in)
	if jo.User == "" {
		if !interactive {
			return jo, usageFailure("--user is needed to join a NUT server")
		}
		fmt.Fprint(errw, "upsmon user on the servers: ")
		line, _ := r.ReadString('\n')
		jo.User = strings.TrimSpace(line)
	}
	switch {
	case o.passwordFile != "":
		b, err := os.ReadFile(o.passwordFile)
		if err != nil {
			return jo, fmt.Errorf("--password-file: %w", err)
		}
		first, _, _ := strings.Cut(string(b), "\n")
		jo.Password = conf.Secret(strings.TrimSuffix(first, "\r"))
	case o.password != "":
	case interactive:
		fmt.Fprintf(errw, "password of %s: ", jo.User)
		pw, err := readPassword(in)
		fmt.Fprintln(errw)
		if err != nil {
			return jo, err
		}
		jo.Password = conf.Secret(pw)
	default:
		return jo, usageFailure("--password-file or --password is needed to join a NUT server")
	}
	return jo, nil
}

// readPassword reads a line from the terminal without echoing it.
func readPassword(in io.Reader) (string, error) {
	f, ok := in.(*os.File)
	if !ok {
		return "", errors.New("no terminal to read a password from")
	}
	b, err := term.ReadPassword(int(f.Fd()))
	return string(b), err
}

func confirm(in io.Reader, out io.Writer, prompt string) bool {
	fmt.Fprint(out, prompt)
	line, _ := bufio.NewReader(in).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "", "y", "yes":
		return true
	}
	return false
}

// printJoin says which supplies feed the host and what was written.
func printJoin(out io.Writer, r *setup.JoinResult) {
	fmt.Fprintf(out, "%s draws power from %d supplies; it needs %d (MINSUPPLIES):\n", r.Host, len(r.Supplies), r.MinSupplies)
	for _, s := range r.Supplies {
		_, home, _ := strings.Cut(s.Monitor, "@")
		line := fmt.Sprintf("  MONITOR %s %d  (%s: %s", s.Monitor, s.PowerValue, chain.Refs(s.Path, home), s.Health)
		if s.Why != "" {
			line += ": " + chain.Refs(s.Why, home)
		}
		fmt.Fprintln(out, line+")")
	}
	if len(r.Kept) > 0 {
		fmt.Fprintf(out, "Already in upsmon.conf: %s\n", strings.Join(r.Kept, ", "))
	}
	for _, s := range r.Skipped {
		fmt.Fprintf(out, "Not answering, left out: %s\n", s)
	}
	fmt.Fprintf(out, "nut.conf MODE=%s\n", r.Mode)
	switch {
	case len(r.Written) > 0:
		fmt.Fprintf(out, "Written: %s\nStart upsmon with:\n  %s\n", strings.Join(r.Written, ", "), r.StartCmd)
	case !r.Changed:
		fmt.Fprintln(out, "Nothing to change.")
	}
}

// pick asks which devices to configure.
func pick(in io.Reader, out io.Writer, cands []setup.Candidate) ([]int, error) {
	fmt.Fprintf(out, "Found %d device(s) not configured yet:\n", len(cands))
	for i, c := range cands {
		fmt.Fprintf(out, "  %2d) [%s] %s %s %s\n", i+1, c.Name, c.Device.Driver, c.Device.Port, c.Device.Desc)
	}
	fmt.Fprint(out, "Configure which? (all, none, or numbers like 1 3) [all]: ")
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && line == "" {
		return nil, fmt.Errorf("no answer: %w", err)
	}
	line = strings.TrimSpace(strings.ToLower(line))
	var idx []int
	switch line {
	case "", "all", "a", "y", "yes":
		for i := range cands {
			idx = append(idx, i)
		}
	case "none", "n", "no":
	default:
		for _, w := range strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == ',' }) {
			n, err := strconv.Atoi(w)
			if err != nil || n < 1 || n > len(cands) {
				return nil, fmt.Errorf("%q: not a device number (1-%d)", w, len(cands))
			}
			idx = append(idx, n-1)
		}
	}
	return idx, nil
}

func report(out io.Writer, dir string, rep setupReport) {
	if len(rep.Added) == 0 {
		fmt.Fprintln(out, "No new devices.")
	} else {
		fmt.Fprintf(out, "Added: %s\n", strings.Join(rep.Added, ", "))
		for _, name := range rep.Added {
			fmt.Fprintf(out, "  %s: %s\n", name, rep.Runs[name])
		}
	}
	if len(rep.Known) > 0 {
		fmt.Fprintf(out, "Already configured: %s\n", strings.Join(rep.Known, ", "))
	}
	if len(rep.Written) > 0 {
		fmt.Fprintf(out, "Written in %s: %s\n", dir, strings.Join(rep.Written, ", "))
	}
	for _, u := range rep.Users {
		// Never the password itself: output ends up in logs.
		fmt.Fprintf(out, "New user %s; its password: powerchain conf -c %s get --show-secrets upsd.users %s.password\n", u, dir, u)
	}
	fmt.Fprintf(out, "Start it with:\n  %s\n", rep.Start)
}
