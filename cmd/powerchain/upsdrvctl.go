package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/driver"
	"github.com/powerchain/powerchain/driver/hosted"
	"github.com/powerchain/powerchain/driver/nutsock"
)

func init() { multiCall["upsdrvctl"] = []string{"upsdrvctl"} }

// upsdrvctl is one run of the upsdrvctl command.
type upsdrvctl struct {
	out, errw io.Writer
	testing   bool
	self      string
	ups       *conf.UPSConf
	hosted    hosted.Config
	// ownArgs are the options given to powerchain's drivers (-u, -D).
	ownArgs []string
	// maxRetry and retryDelay are ups.conf's: how often a driver that
	// fails to start is tried, and the pause between (NUT's 1 and 5 s).
	maxRetry   int
	retryDelay time.Duration
	noWait     bool
	failed     int
}

func newUpsdrvctlCmd() *cobra.Command {
	var user, chroot string
	var testing, passDebug bool
	var debug int
	cmd := &cobra.Command{
		Use:   "upsdrvctl [-t] [-u USER] [-r DIR] [-D] [-d] (start | stop | shutdown) [UPS]",
		Short: "Start, stop or shut down the drivers of ups.conf as NUT's upsdrvctl does",
		Long: `Starts (or stops) the driver of every ups.conf device, or of one, as a
separate process serving NUT's state socket, for NUT's upsd or
powerchain's upsd. A driver powerchain has runs as powerchain; any other
(or a device that ups.conf's powerchain_hosted names) is NUT's own
program from driverpath (/lib/nut), run exactly as NUT's upsdrvctl runs
it. "shutdown" runs each NUT driver with -k, in sdorder.`,
		Args: cobra.MaximumNArgs(2),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return c.Help() // as NUT's upsdrvctl without a command: its help, exit 0
			}
			verb := args[0]
			if verb != "start" && verb != "stop" && verb != "shutdown" {
				return fmt.Errorf("Error: unrecognized command [%s]", verb)
			}
			cd, err := conf.LoadDir(conf.ResolveDir(""))
			if err != nil {
				return err
			}
			self, err := os.Executable()
			if err != nil {
				return err
			}
			u := &upsdrvctl{out: c.OutOrStdout(), errw: c.ErrOrStderr(), testing: testing, self: self, ups: cd.UPS(),
				maxRetry: 1, retryDelay: 5 * time.Second}
			u.hosted = hosted.FromUPSConf(u.ups, cd.Path, nutsock.StatePath())
			u.hosted.User, u.hosted.Chroot = user, chroot
			if testing {
				fmt.Fprintln(u.out, "*** Testing mode: not calling exec/kill")
				debug = max(debug, 2) // as NUT's testing mode
			}
			if passDebug {
				u.hosted.Debug = debug
			}
			if user != "" {
				u.ownArgs = append(u.ownArgs, "-u", user)
			}
			for i := 0; i < u.hosted.Debug; i++ {
				u.ownArgs = append(u.ownArgs, "-D", "-B")
			}
			if v, ok := u.ups.Global("maxretry"); ok {
				u.maxRetry, _ = strconv.Atoi(v)
			}
			if v, ok := u.ups.Global("retrydelay"); ok {
				n, _ := strconv.Atoi(v)
				u.retryDelay = time.Duration(n) * time.Second
			}
			_, u.noWait = u.ups.Global("nowait")

			devs := u.ups.Devices
			if len(devs) == 0 {
				return errors.New("Error: no UPS definitions found in ups.conf")
			}
			if len(args) == 2 {
				d, ok := u.ups.Device(args[1])
				if !ok {
					return fmt.Errorf("UPS %s not found in ups.conf", args[1])
				}
				devs = []conf.Device{d}
			}
			if verb == "shutdown" {
				// Lowest sdorder first; NUT skips none (a negative
				// sdorder is never reached in its loop).
				order := func(d conf.Device) int { v, _ := d.Setting("sdorder"); n, _ := strconv.Atoi(v); return n }
				devs = slices.DeleteFunc(slices.Clone(devs), func(d conf.Device) bool { return order(d) < 0 })
				slices.SortStableFunc(devs, func(a, b conf.Device) int { return order(a) - order(b) })
			}
			for _, d := range devs {
				cfg := daemon.DriverConfig(cd, d)
				switch verb {
				case "start":
					u.start(cfg)
				case "stop":
					u.stop(cfg)
				case "shutdown":
					u.shutdown(cfg)
				}
			}
			if u.failed > 0 {
				return exitError(1)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&user, "user", "u", "", "drivers started switch from root to USER")
	cmd.Flags().StringVarP(&chroot, "chroot", "r", "", "NUT's drivers chroot to DIR")
	cmd.Flags().BoolVarP(&testing, "testing", "t", false, "print what would be done")
	cmd.Flags().CountVarP(&debug, "debug", "D", "raise the debugging level")
	cmd.Flags().BoolVarP(&passDebug, "pass-debug", "d", false, "pass the debugging level to the drivers")
	return cmd
}

// printExec prints a command line as NUT's upsdrvctl does in testing
// mode.
func (u *upsdrvctl) printExec(argv []string) {
	fmt.Fprintf(u.errw, "exec: %s\n", " "+strings.Join(argv, " "))
}

// start starts a device's driver: powerchain's, or NUT's program.
func (u *upsdrvctl) start(cfg driver.Config) {
	if !u.hosted.Hosts(cfg) {
		args := append([]string{"-a", cfg.Name}, u.ownArgs...)
		if u.testing {
			u.printExec(append([]string{cfg.Driver + " (powerchain)"}, args...))
			return
		}
		cmd := exec.Command(u.self, args...)
		cmd.Args[0] = cfg.Driver
		cmd.Stdout, cmd.Stderr = u.out, u.errw
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(u.errw, "Driver failed to start for UPS %s: %v\n", cfg.Name, err)
			u.failed++
		}
		return
	}
	for try := 1; ; try++ {
		err := u.run(cfg, "start")
		if err == nil {
			return
		}
		var missing *hosted.MissingError
		if errors.As(err, &missing) || try >= u.maxRetry {
			fmt.Fprintf(u.errw, "UPS %s: %v\n", cfg.Name, err)
			u.failed++
			return
		}
		fmt.Fprintf(u.errw, "UPS %s: %v; trying again in %s\n", cfg.Name, err, u.retryDelay)
		time.Sleep(u.retryDelay)
	}
}

// run runs NUT's program for a device as NUT's upsdrvctl does: without
// -F it goes to the background once its device is set up, and the wait
// ends there (or after maxstartdelay).
func (u *upsdrvctl) run(cfg driver.Config, verb string) error {
	args := u.hosted.Args(cfg.Name)
	if verb == "shutdown" {
		args = u.hosted.ShutdownArgs(cfg.Name)
	}
	// Never killed: after maxstartdelay NUT's upsdrvctl goes on and
	// leaves the program be.
	cmd, err := u.hosted.Command(context.Background(), cfg, args)
	if err != nil {
		return err
	}
	if u.testing {
		u.printExec(cmd.Args)
		return nil
	}
	cmd.Stdout, cmd.Stderr = u.out, u.errw
	if err := cmd.Start(); err != nil {
		return err
	}
	if u.noWait && verb == "start" {
		go cmd.Wait()
		return nil
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("driver %s failed (%v)", cmd.Path, err)
		}
		return nil
	case <-time.After(u.hosted.StartDelay(cfg)):
		return fmt.Errorf("startup timer elapsed (maxstartdelay %s) for %s", u.hosted.StartDelay(cfg), cmd.Path)
	}
}

// stop signals the driver whose pid file names it (NUT's and
// powerchain's drivers keep the same pid files), and waits until it has
// removed it.
func (u *upsdrvctl) stop(cfg driver.Config) {
	dir := altPidPath()
	pidfile := filepath.Join(dir, cfg.Driver+"-"+cfg.Name+".pid")
	if _, err := os.Stat(pidfile); err != nil && cfg.Port != "" {
		// NUT looks for a pid file named after the port too.
		if alt := filepath.Join(dir, cfg.Driver+"-"+filepath.Base(cfg.Port)+".pid"); fileExists(alt) {
			pidfile = alt
		}
	}
	if u.testing {
		fmt.Fprintf(u.errw, "Sending signal to %s\n", pidfile)
		return
	}
	if err := signalRunning(pidfile, "stop"); err != nil {
		fmt.Fprintf(u.errw, "Stopping %s: %v\n", cfg.Name, err)
		u.failed++
		return
	}
	for i := 0; i < 50 && fileExists(pidfile); i++ { // a driver removes its pid file on exit
		time.Sleep(100 * time.Millisecond)
	}
}

// shutdown runs NUT's program with -k (it tells the UPS to cut the load
// after its delay); powerchain's own drivers have no -k.
func (u *upsdrvctl) shutdown(cfg driver.Config) {
	if !u.hosted.Hosts(cfg) {
		fmt.Fprintf(u.errw, "UPS %s: powerchain's %s has no -k; to shut it down through NUT's program, name it in ups.conf's %s\n",
			cfg.Name, cfg.Driver, conf.HostedKey)
		u.failed++
		return
	}
	if err := u.run(cfg, "shutdown"); err != nil {
		fmt.Fprintf(u.errw, "UPS %s: %v\n", cfg.Name, err)
		u.failed++
	}
}

// altPidPath is where NUT's drivers keep their pid files:
// $NUT_ALTPIDPATH, else the state path.
func altPidPath() string {
	if p := os.Getenv("NUT_ALTPIDPATH"); p != "" {
		return p
	}
	return nutsock.StatePath()
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func newDriversCmd() *cobra.Command {
	var dir string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "drivers [-c DIR] [--json]",
		Short: "Say how each device of ups.conf runs (-c), or list the drivers ups.conf may name",
		Long: `With -c DIR, lists each device of DIR/ups.conf with its driver and how
serve runs it: natively in powerchain, through NUT's own driver program
(hosted, with its path), or not at all because NUT's program is not
installed (with the Debian package that has it).

Without -c, lists every driver a ups.conf "driver =" may name, sorted the
same way with the configuration directory's ups.conf ($NUT_CONFPATH or
/etc/nut: driverpath, powerchain_hosted).`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			cd, err := conf.LoadDir(conf.ResolveDir(dir))
			if err != nil {
				return err
			}
			u := cd.UPS()
			h := hosted.FromUPSConf(u, cd.Path, nutsock.StatePath())
			if dir == "" {
				if asJSON {
					return writeJSON(c.OutOrStdout(), catalogue(h))
				}
				printDrivers(c.OutOrStdout(), h)
				return nil
			}
			runs := []driverRun{}
			for _, dev := range u.Devices {
				runs = append(runs, newDriverRun(dev.Name, h.How(daemon.DriverConfig(cd, dev))))
			}
			if asJSON {
				return writeJSON(c.OutOrStdout(), runs)
			}
			printDevices(c.OutOrStdout(), filepath.Join(cd.Path, conf.UPSConfFile), runs)
			return nil
		},
	}
	cmd.Flags().StringVarP(&dir, "confdir", "c", "", "NUT configuration directory whose devices to list (default: list every driver)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// driverRun is how serve runs a driver (a device's, when Name is set),
// as "drivers" prints it.
type driverRun struct {
	Name   string `json:"name,omitempty"`
	Driver string `json:"driver"`
	// Runs is native, hosted or missing.
	Runs    string `json:"runs"`
	Program string `json:"program,omitempty"`
	// Package is the Debian package that has NUT's missing program.
	Package string `json:"package,omitempty"`
	Error   string `json:"error,omitempty"`
	how     hosted.How
}

func newDriverRun(name string, h hosted.How) driverRun {
	r := driverRun{Name: name, Driver: h.Driver, Runs: "native", Program: h.Program, how: h}
	switch {
	case name != "" && h.Driver == "":
		r.Runs, r.Error = "missing", "its section names no driver"
	case h.Hosted && h.Err != nil:
		r.Runs, r.Error, r.Package = "missing", h.Err.Error(), conf.NUTDriverPackages[h.Driver]
	case h.Hosted:
		r.Runs = "hosted"
	}
	return r
}

// printDevices lists the devices of a ups.conf by how serve runs them.
func printDevices(w io.Writer, path string, runs []driverRun) {
	if len(runs) == 0 {
		fmt.Fprintf(w, "%s: no devices\n", path)
		return
	}
	fmt.Fprintf(w, "Devices of %s:\n", path)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range runs {
		how := r.how.String()
		if r.Error != "" && r.Driver == "" {
			how = r.Error
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", r.Name, r.Driver, how)
	}
	tw.Flush()
}

// catalogue is every driver a ups.conf may name and how serve runs it.
func catalogue(h hosted.Config) []driverRun {
	var runs []driverRun
	for _, how := range h.Catalogue() {
		runs = append(runs, newDriverRun("", how))
	}
	return runs
}

// printDrivers lists the drivers by how serve runs them.
func printDrivers(w io.Writer, h hosted.Config) {
	var native, hostedOK, missing []string
	for _, r := range catalogue(h) {
		switch {
		case r.Runs == "native":
			native = append(native, r.Driver)
		case r.Runs == "hosted":
			hostedOK = append(hostedOK, r.Driver)
		case r.Package != "":
			missing = append(missing, r.Driver+" ("+r.Package+")")
		default:
			missing = append(missing, r.Driver+" (not on Debian)")
		}
	}
	fmt.Fprintf(w, "Drivers (ups.conf \"driver =\"):\n")
	wrapList(w, fmt.Sprintf("native, in powerchain (%d):", len(native)), native)
	wrapList(w, fmt.Sprintf("hosted, NUT's program from %s (%d):", h.DriverPath, len(hostedOK)), hostedOK)
	wrapList(w, fmt.Sprintf("missing, apt-get install the package (%d):", len(missing)), missing)
}

// wrapList prints a title and words indented, in lines of at most 78
// columns.
func wrapList(w io.Writer, title string, words []string) {
	fmt.Fprintf(w, "  %s\n", title)
	if len(words) == 0 {
		fmt.Fprintln(w, "    —")
		return
	}
	line := "   "
	for i, word := range words {
		if i < len(words)-1 {
			word += ","
		}
		if len(line)+1+len(word) > 78 {
			fmt.Fprintln(w, line)
			line = "   "
		}
		line += " " + word
	}
	fmt.Fprintln(w, line)
}
