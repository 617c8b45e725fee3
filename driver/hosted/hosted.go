// Package hosted runs NUT's own driver programs for the devices
// powerchain has no driver of its own for (or whose section
// ups.conf's powerchain_hosted names): it starts the program of the
// section as NUT's upsdrvctl does (same arguments, NUT_CONFPATH and
// NUT_STATEPATH, so its state socket is where powerchain attaches),
// feeds the device from that socket (package nutsock), and starts the
// program again with backoff when it exits. A program that is not
// installed is one line naming the Debian package that has it.
//
// A hosted driver is a process to supervise, not a device to poll, so it
// does not run in package driver's poll loop; it follows the loop's
// rules: the first wait after a failure is the retry, doubled after each
// failure in a row up to driver.MaxBackoff; each cause is logged once,
// and the recovery; the device is not connected while the program is
// down.
package hosted

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/driver"
	"github.com/powerchain/powerchain/driver/nutsock"
)

// DefaultDriverPath is where Debian's NUT installs its driver programs
// (NUT's DRVPATH); ups.conf's "driverpath" replaces it.
const DefaultDriverPath = "/lib/nut"

// DefaultMaxStartDelay is how long NUT's upsdrvctl waits for a driver to
// start (ups.conf's "maxstartdelay", global or per device).
const DefaultMaxStartDelay = 45 * time.Second

// Config is how NUT's driver programs are run: what NUT's upsdrvctl takes
// from ups.conf and its command line.
type Config struct {
	// DriverPath is the directory of NUT's driver programs.
	DriverPath string
	// ConfDir is given to the programs as NUT_CONFPATH (they read
	// ups.conf there), StatePath as NUT_STATEPATH (they open their
	// socket there).
	ConfDir, StatePath string
	// MaxStartDelay is how long a program may take to open its socket.
	MaxStartDelay time.Duration
	// Forced are the sections powerchain_hosted names: their NUT
	// program runs even where powerchain has a driver of that name.
	Forced map[string]bool
	// User and Chroot, when set, are passed to every program as -u and
	// -r (upsdrvctl -u, -r); Debug is the number of -D (upsdrvctl -d).
	// The programs themselves read "user" and "group" from ups.conf and
	// switch to them, as NUT's drivers do.
	User, Chroot string
	Debug        int
}

// FromUPSConf reads the globals of ups.conf that run NUT's programs:
// driverpath, maxstartdelay and powerchain_hosted.
func FromUPSConf(u *conf.UPSConf, confDir, statePath string) Config {
	c := Config{DriverPath: DefaultDriverPath, ConfDir: confDir, StatePath: statePath,
		MaxStartDelay: DefaultMaxStartDelay, Forced: map[string]bool{}}
	if p, ok := u.Global("driverpath"); ok && p != "" {
		c.DriverPath = p
	}
	if v, ok := u.Global("maxstartdelay"); ok {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			c.MaxStartDelay = time.Duration(n) * time.Second
		}
	}
	for _, v := range u.GlobalValues(conf.HostedKey) {
		for _, name := range conf.HostedNames(v) {
			c.Forced[name] = true
		}
	}
	return c
}

// Hosts reports whether a device runs through NUT's program: powerchain
// has no driver of that name, or powerchain_hosted names the device.
func (c Config) Hosts(cfg driver.Config) bool {
	_, native := driver.Lookup(cfg.Driver)
	return !native || c.Forced[cfg.Name]
}

// Same reports whether two configurations run a program the same way (a
// reload restarts the hosted drivers otherwise).
func (c Config) Same(o Config) bool {
	return c.DriverPath == o.DriverPath && c.ConfDir == o.ConfDir && c.StatePath == o.StatePath &&
		c.MaxStartDelay == o.MaxStartDelay && c.User == o.User && c.Chroot == o.Chroot && c.Debug == o.Debug
}

// How is how serve runs a device's driver.
type How struct {
	Driver string
	// Hosted: through NUT's program, not powerchain's own driver.
	Hosted bool
	// Program is NUT's program when hosted and installed; Err says why
	// it cannot run when it is not (a *MissingError).
	Program string
	Err     error
}

// How says how a device's driver runs: natively, or through NUT's
// program (and whether that is installed).
func (c Config) How(cfg driver.Config) How {
	h := How{Driver: cfg.Driver, Hosted: c.Hosts(cfg)}
	if h.Hosted {
		h.Program, h.Err = c.Program(cfg.Driver)
	}
	return h
}

// String says it in a few words: "native (powerchain's usbhid-ups)",
// "through NUT's driver /lib/nut/blazer_ser", or why NUT's cannot run.
func (h How) String() string {
	switch {
	case !h.Hosted:
		return fmt.Sprintf("native (powerchain's %s)", h.Driver)
	case h.Err != nil:
		return "through NUT's driver, which cannot run: " + h.Err.Error()
	}
	return "through NUT's driver " + h.Program
}

// MissingError says that NUT's program for a driver is not installed.
type MissingError struct {
	Driver string // the ups.conf driver name
	Path   string // where the program was looked for
}

func (e *MissingError) Error() string {
	pkg, known := conf.NUTDriverPackages[e.Driver]
	_, native := driver.Lookup(e.Driver)
	switch {
	case native && pkg != "": // powerchain_hosted asks for NUT's
		return fmt.Sprintf("driver %q: %s asks for NUT's program %s, which is not installed: apt-get install %s",
			e.Driver, conf.HostedKey, e.Path, pkg)
	case !known:
		return fmt.Sprintf("driver %q: neither powerchain (%s) nor NUT 2.8.0 has a driver of that name",
			e.Driver, strings.Join(driver.Names(), ", "))
	case pkg == "":
		return fmt.Sprintf("driver %q: not built into powerchain, and Debian's NUT has no such program (%s)", e.Driver, e.Path)
	}
	return fmt.Sprintf("driver %q: not built into powerchain, and NUT's program %s is not installed: apt-get install %s",
		e.Driver, e.Path, pkg)
}

// Program returns the path of NUT's program for a driver, or a
// *MissingError when it is not there.
func (c Config) Program(driverName string) (string, error) {
	dir := c.DriverPath
	if dir == "" {
		dir = DefaultDriverPath
	}
	p := filepath.Join(dir, driverName)
	if driverName == "" || strings.ContainsRune(driverName, '/') {
		return "", &MissingError{Driver: driverName, Path: p}
	}
	st, err := os.Stat(p)
	if err != nil || st.IsDir() || st.Mode().Perm()&0o111 == 0 {
		return "", &MissingError{Driver: driverName, Path: p}
	}
	return p, nil
}

// Args are the arguments NUT's upsdrvctl gives a driver program for a
// device (after the program's path): -D for each debug level, -a NAME,
// then -r and -u when it was given them.
func (c Config) Args(name string) []string {
	var args []string
	if c.Debug > 0 {
		args = append(args, "-"+strings.Repeat("D", c.Debug))
	}
	args = append(args, "-a", name)
	if c.Chroot != "" {
		args = append(args, "-r", c.Chroot)
	}
	if c.User != "" {
		args = append(args, "-u", c.User)
	}
	return args
}

// Env is the environment of a driver program: this process's, with
// NUT_CONFPATH and NUT_STATEPATH set to the configuration's.
func (c Config) Env() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NUT_CONFPATH=") && !strings.HasPrefix(kv, "NUT_STATEPATH=") {
			env = append(env, kv)
		}
	}
	if c.ConfDir != "" {
		env = append(env, "NUT_CONFPATH="+c.ConfDir)
	}
	if c.StatePath != "" {
		env = append(env, "NUT_STATEPATH="+c.StatePath)
	}
	return env
}

// ShutdownArgs are the arguments NUT's upsdrvctl gives a driver program
// to shut the UPS down (upsdrvctl shutdown): -a NAME -k, then -r and -u
// when it was given them (no -D).
func (c Config) ShutdownArgs(name string) []string {
	args := []string{"-a", name, "-k"}
	if c.Chroot != "" {
		args = append(args, "-r", c.Chroot)
	}
	if c.User != "" {
		args = append(args, "-u", c.User)
	}
	return args
}

// Command is NUT's program of a device with the arguments given (Args,
// ShutdownArgs, or those with -F first to keep it in the foreground;
// NUT's getopt takes options in any order) and the environment of Env.
func (c Config) Command(ctx context.Context, cfg driver.Config, args []string) (*exec.Cmd, error) {
	prog, err := c.Program(cfg.Driver)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Env = c.Env()
	return cmd, nil
}

// Options of Run.
type Options struct {
	// Retry is the first wait after a failure (5 s when 0).
	Retry time.Duration
	// MaxAge is the server's MAXAGE, for pinging a silent driver.
	MaxAge func() time.Duration
	Log    *slog.Logger
}

// Run feeds dev from NUT's program for the device until ctx ends: it
// starts the program in the foreground (-F, so that it stays this
// process's child), attaches to its socket, and when the program exits
// or its socket closes, marks the device not connected and starts it
// again after the backoff. A program that is missing is checked for
// again at every retry (it may be installed meanwhile).
func Run(ctx context.Context, c Config, cfg driver.Config, dev *device.Device, o Options) {
	if o.Retry <= 0 {
		o.Retry = 5 * time.Second
	}
	if o.MaxAge == nil {
		o.MaxAge = func() time.Duration { return 15 * time.Second }
	}
	log := o.Log
	if log == nil {
		log = slog.Default()
	}
	log = log.With("device", cfg.Name, "driver", cfg.Driver, "hosted", true)
	dev.SetDesc(cfg.Desc)
	var wait time.Duration
	logged := "" // the cause last logged: logged once while it repeats
	for ctx.Err() == nil {
		if wait > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
		}
		r := &run{c: c, cfg: cfg, dev: dev, maxAge: o.MaxAge(), log: log, recovered: logged != ""}
		err := r.once(ctx)
		dev.SetConnected(false)
		if ctx.Err() != nil {
			return
		}
		if r.attachedFor >= driver.MaxBackoff {
			wait = 0 // it ran well: a new failure starts the backoff over
		}
		wait = min(max(2*wait, o.Retry), driver.MaxBackoff)
		if r.attachedFor > 0 {
			logged = "" // it ran: the next failure is news
		}
		if msg := err.Error(); msg != logged {
			var missing *MissingError
			if errors.As(err, &missing) {
				log.Error("cannot run the driver; checking again later (logged again only if the reason changes)", "err", err, "retry", wait)
			} else {
				log.Warn("NUT driver stopped; restarting (logged again only if the reason changes)", "err", err, "retry", wait)
			}
			logged = msg
		}
	}
}

// run is one start of a program.
type run struct {
	c         Config
	cfg       driver.Config
	dev       *device.Device
	maxAge    time.Duration
	log       *slog.Logger
	recovered bool // the previous runs failed: say so when this one works
	// attachedFor is how long the device was fed from the socket.
	attachedFor time.Duration
}

// once starts the program, attaches to its socket until it closes, and
// stops the program; the error says why it ended.
func (r *run) once(ctx context.Context) error {
	sock := nutsock.SocketPath(r.c.StatePath, r.cfg.Driver, r.cfg.Name)
	if conn := dial(sock); conn != nil {
		// A driver already serves the device (started by NUT's
		// upsdrvctl or a service unit): feed from it.
		r.log.Info("a driver already serves the socket; attaching to it", "socket", sock)
		return r.attach(ctx, conn, sock)
	}
	os.Remove(sock) // a dead driver's
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd, err := r.c.Command(runCtx, r.cfg, append([]string{"-F"}, r.c.Args(r.cfg.Name)...))
	if err != nil {
		return err
	}
	// Stopped as upsdrvctl stop stops it (SIGTERM), killed if it does
	// not exit within 5 s.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 5 * time.Second
	cmd.SysProcAttr = sysProcAttr()
	out := newTail(r.log)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("%s: %w", cmd.Path, err)
	}
	r.log.Debug("started NUT driver", "cmd", strings.Join(cmd.Args, " "), "pid", cmd.Process.Pid)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	exitErr := func(werr error) error {
		out.Close()
		return fmt.Errorf("%s %s: %s", cmd.Path, describeExit(werr), out.summary())
	}

	// Wait for the socket, as upsdrvctl waits for the driver to go to
	// the background (maxstartdelay).
	deadline := time.Now().Add(r.c.StartDelay(r.cfg))
	var conn net.Conn
	for conn = dial(sock); conn == nil; conn = dial(sock) {
		select {
		case <-ctx.Done():
			cancel()
			<-exited
			return ctx.Err()
		case werr := <-exited:
			return exitErr(werr)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			<-exited
			out.Close()
			return fmt.Errorf("%s did not open its socket %s within %s (maxstartdelay): %s",
				cmd.Path, sock, r.c.StartDelay(r.cfg), out.summary())
		}
	}
	attachErr := r.attach(runCtx, conn, sock)
	select {
	case werr := <-exited: // the usual end: the program exited, closing its socket
		return exitErr(werr)
	case <-time.After(time.Second):
	}
	// The socket closed but the program runs on: stop it, so that the
	// next start is clean.
	cancel()
	<-exited
	out.Close()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("%s: socket %s: %w", cmd.Path, sock, attachErr)
}

// attach feeds the device from conn, open to the socket sock, until it
// closes or ctx ends.
func (r *run) attach(ctx context.Context, conn net.Conn, sock string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	reset(r.dev, r.cfg.Parent)
	start := time.Now()
	ready := make(chan struct{})
	go func() {
		// Say when the driver's first data arrived.
		select {
		case <-r.dev.Changed():
		case <-ctx.Done():
		}
		close(ready)
	}()
	done := make(chan error, 1)
	go func() { done <- nutsock.AttachConn(ctx, conn, sock, r.dev, r.maxAge) }()
	select {
	case <-ready:
		if r.recovered {
			r.log.Info("NUT driver running again")
		} else {
			r.log.Info("NUT driver running", "socket", sock)
		}
	case err := <-done:
		r.attachedFor = time.Since(start)
		return err
	}
	err := <-done
	r.attachedFor = time.Since(start)
	if err == nil {
		err = errors.New("socket closed")
	}
	return err
}

// reset forgets what an earlier driver published, as NUT's upsd does when
// a driver's socket closes, and sets what the configuration says
// (device.parent).
func reset(dev *device.Device, parent string) {
	snap := dev.Snapshot()
	dev.Update(func(tx *device.Tx) {
		for _, v := range snap.Vars {
			tx.Delete(v.Name)
		}
		for _, c := range snap.Cmds {
			tx.DeleteCmd(c)
		}
		if parent != "" {
			// The chain is configuration: served whatever the driver
			// publishes.
			tx.SetImmutable("device.parent", parent)
		}
	})
}

// Attach feeds dev from an external driver's socket at path until ctx
// ends, connecting again a second after it closes, as NUT's upsd does
// (upsd: drivers started by others).
func Attach(ctx context.Context, path string, cfg driver.Config, dev *device.Device, maxAge func() time.Duration, log *slog.Logger) {
	dev.SetDesc(cfg.Desc)
	reset(dev, cfg.Parent)
	logged := false
	for ctx.Err() == nil {
		err := nutsock.Attach(ctx, path, dev, maxAge())
		dev.SetConnected(false)
		if ctx.Err() != nil {
			return
		}
		if !logged {
			log.Warn("can't connect to driver; retrying", "device", cfg.Name, "socket", path, "err", err)
			logged = true
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
		reset(dev, cfg.Parent)
	}
}

// StartDelay is how long a device's program may take to start: its
// maxstartdelay, else the global one.
func (c Config) StartDelay(cfg driver.Config) time.Duration {
	if v, ok := cfg.Get("maxstartdelay"); ok {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			return time.Duration(n) * time.Second
		}
	}
	if c.MaxStartDelay > 0 {
		return c.MaxStartDelay
	}
	return DefaultMaxStartDelay
}

// dial connects to the socket when a driver listens on it (nil when
// none does). The connection is the one to attach with: NUT 2.8.0's
// drivers never drop a client that closes (see nutsock.AttachConn).
func dial(path string) net.Conn {
	c, err := net.DialTimeout("unix", path, time.Second)
	if err != nil {
		return nil
	}
	return c
}

// describeExit words a program's end.
func describeExit(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return "killed by " + ws.Signal().String()
		}
		return fmt.Sprintf("exited with status %d", ee.ExitCode())
	}
	if err != nil {
		return err.Error()
	}
	return "exited with status 0"
}

// Bounds on what is kept of a program's output.
const (
	tailLines = 16
	lineMax   = 300
)

// tail takes a program's output: each line logged at debug level, the
// last lines kept for the error that ends the run.
type tail struct {
	pw   *io.PipeWriter
	done chan struct{}
	mu   sync.Mutex
	last []string
}

func newTail(log *slog.Logger) *tail {
	pr, pw := io.Pipe()
	t := &tail{pw: pw, done: make(chan struct{})}
	go func() {
		defer close(t.done)
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 4096), 64<<10)
		for sc.Scan() {
			line := driver.Printable(sc.Bytes())
			if len(line) > lineMax {
				line = line[:lineMax]
			}
			log.Debug("driver output", "line", line)
			t.mu.Lock()
			if t.last = append(t.last, line); len(t.last) > tailLines {
				t.last = t.last[1:]
			}
			t.mu.Unlock()
		}
		io.Copy(io.Discard, pr)
	}()
	return t
}

func (t *tail) Write(p []byte) (int, error) { return t.pw.Write(p) }

// Close ends the output and waits until it is read.
func (t *tail) Close() {
	t.pw.Close()
	<-t.done
}

// summary is what the program said of its failure: its lines without
// the banner, blank lines and NUT's advice, joined on one line.
func (t *tail) summary() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var keep []string
	for _, l := range t.last {
		l = strings.TrimSpace(l)
		switch {
		case l == "", strings.HasPrefix(l, "Network UPS Tools - "), strings.HasPrefix(l, "USB communication driver"):
			continue
		case strings.HasPrefix(l, "Things to try"), strings.HasPrefix(l, "Try -h for help"):
			return join(keep)
		}
		keep = append(keep, l)
	}
	return join(keep)
}

func join(lines []string) string {
	if len(lines) == 0 {
		return "no output"
	}
	s := strings.Join(lines, "; ")
	if len(s) > 2*lineMax {
		s = s[:2*lineMax] + "…"
	}
	return s
}

// Catalogue lists every driver a ups.conf may name, sorted by name, and
// how serve runs each with this configuration.
func (c Config) Catalogue() []How {
	seen := map[string]bool{}
	var out []How
	for _, names := range [][]string{driver.Names(), conf.NUTDrivers} {
		for _, n := range names {
			if !seen[n] {
				seen[n] = true
				out = append(out, c.How(driver.Config{Driver: n}))
			}
		}
	}
	slices.SortFunc(out, func(a, b How) int { return strings.Compare(a.Driver, b.Driver) })
	return out
}
