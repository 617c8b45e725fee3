package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/driver"
	"github.com/powerchain/powerchain/driver/nutsock"
)

func init() {
	multiCall["upsd"] = []string{"upsd"}
	for _, name := range driver.Names() {
		multiCall[name] = []string{"driver", "--driver", name}
	}
}

// nutProcess holds the options NUT's daemons share.
type nutProcess struct {
	foreground, background bool
	debug                  int
	user                   string
	command                string
}

func (p *nutProcess) flags(c *cobra.Command) {
	f := c.Flags()
	f.BoolVarP(&p.foreground, "foreground", "F", false, "stay in the foreground (systemd style)")
	f.BoolVarP(&p.background, "background", "B", false, "go to the background (NUT's default)")
	f.CountVarP(&p.debug, "debug", "D", "more logging; implies -F unless -B")
	f.StringVarP(&p.user, "user", "u", "", "when started as root, switch to this user (default: a driver's ups.conf user, else "+runAsUser+")")
	f.StringVarP(&p.command, "command", "c", "", "send a command to the running process: reload or stop")
}

// setupLog logs to standard error at the level -D asks for, and returns
// the level so that a configuration (DEBUG_MIN) may raise it.
func (p *nutProcess) setupLog() *slog.LevelVar {
	return setupLog(p.debug > 0)
}

// setupLog makes the default logger write text to standard error.
func setupLog(debug bool) *slog.LevelVar {
	level := new(slog.LevelVar)
	if debug {
		level.Set(slog.LevelDebug)
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})))
	return level
}

// detach re-runs this command in the background when NUT would, and
// reports whether the caller should return at once.
func (p *nutProcess) detach(pidfile string) (bool, error) {
	if p.foreground || (p.debug > 0 && !p.background) || os.Getenv("POWERCHAIN_DETACHED") != "" {
		return false, nil
	}
	self, err := os.Executable()
	if err != nil {
		return false, err
	}
	args := append([]string{"-F"}, os.Args[1:]...)
	cmd := exec.Command(self, args...)
	cmd.Args[0] = os.Args[0] // keep the multi-call name
	cmd.Env = append(os.Environ(), "POWERCHAIN_DETACHED=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return false, err
	}
	// Return once the child has written its pid file (or died).
	for i := 0; i < 100; i++ {
		if _, err := os.Stat(pidfile); err == nil {
			return true, nil
		}
		if cmd.ProcessState != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	return true, nil
}

// signalRunning implements -c reload|stop through the pid file.
func signalRunning(pidfile, command string) error {
	var sig syscall.Signal
	switch command {
	case "reload":
		sig = syscall.SIGHUP
	case "stop":
		sig = syscall.SIGTERM
	default:
		return fmt.Errorf("-c %s: want reload or stop", command)
	}
	b, err := os.ReadFile(pidfile)
	if err != nil {
		return fmt.Errorf("no running process: %w", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return fmt.Errorf("%s: bad pid file", pidfile)
	}
	return syscall.Kill(pid, sig)
}

func writePid(pidfile string) func() {
	os.WriteFile(pidfile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
	return func() { os.Remove(pidfile) }
}

// runAsUser is the user NUT's upsd and drivers switch to when root
// starts them without -u or ups.conf's "user" (configure's --with-user;
// Debian's build says nut).
const runAsUser = "nut"

// dropPrivileges switches to user: upsd after its listening sockets are
// open, a driver before its state socket is, as NUT's become_user does:
// the user's groups (initgroups), then its group, then the user. A user
// that does not exist is an error, root or not, as in NUT; a process
// that is not root keeps its identity. "root" is honoured: the process
// stays root, with root's groups.
func dropPrivileges(name string) error {
	if name == "" {
		return nil
	}
	u, err := user.Lookup(name)
	if err != nil {
		return fmt.Errorf("user %s not found: %w", name, err)
	}
	if os.Geteuid() != 0 && os.Getuid() != 0 {
		return nil
	}
	uid, err := strconv.Atoi(u.Uid)
	if err != nil {
		return fmt.Errorf("user %s: uid %q: %w", name, u.Uid, err)
	}
	gid, err := strconv.Atoi(u.Gid)
	if err != nil {
		return fmt.Errorf("user %s: gid %q: %w", name, u.Gid, err)
	}
	ids, err := u.GroupIds()
	if err != nil {
		return fmt.Errorf("user %s: groups: %w", name, err)
	}
	groups := []int{gid}
	for _, id := range ids {
		if g, err := strconv.Atoi(id); err == nil && !slices.Contains(groups, g) {
			groups = append(groups, g)
		}
	}
	// Go applies each of these to every thread of the process.
	if err := syscall.Setgroups(groups); err != nil {
		return fmt.Errorf("user %s: setgroups: %w", name, err)
	}
	if err := syscall.Setgid(gid); err != nil {
		return fmt.Errorf("user %s: setgid %d: %w", name, gid, err)
	}
	if err := syscall.Setuid(uid); err != nil {
		return fmt.Errorf("user %s: setuid %d: %w", name, uid, err)
	}
	return nil
}

// daemonUser is the user upsd or a driver process switches to, as NUT's
// choose it: the one given (-u, ups.conf's "user"), else, when started
// as root, runAsUser.
func daemonUser(given string) string {
	if given == "" && (os.Geteuid() == 0 || os.Getuid() == 0) {
		return runAsUser
	}
	return given
}

// driverUser is the user a driver process switches to, as NUT's drivers
// choose it: -u, else "user" of the device's ups.conf section, else the
// global one, else (started as root) runAsUser.
func driverUser(flag string, u *conf.UPSConf, dev conf.Device) string {
	if flag != "" {
		return flag
	}
	if v, ok := dev.Setting("user"); ok && v != "" {
		return v
	}
	v, _ := u.Global("user")
	return daemonUser(v)
}

func newUpsdCmd() *cobra.Command {
	p := &nutProcess{}
	cmd := &cobra.Command{
		Use:   "upsd",
		Short: "NUT's upsd: serve the devices whose drivers run as separate processes (NUT state sockets)",
		Long: `Behaves as NUT's upsd: serves the devices of ups.conf whose drivers run
as separate processes and connect through NUT's state sockets in
$NUT_STATEPATH (NUT's own drivers, or powerchain's run as NUT drivers).
For in-process drivers use "powerchain serve".`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			state := nutsock.StatePath()
			pidfile := filepath.Join(state, "upsd.pid")
			if p.command != "" {
				return signalRunning(pidfile, p.command)
			}
			if done, err := p.detach(pidfile); done || err != nil {
				return err
			}
			level := p.setupLog()
			ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			defer writePid(pidfile)()
			// NUT's upsd: its files are required, STATEPATH (else
			// $NUT_STATEPATH) holds the drivers' sockets, and it does
			// not announce itself (serve does).
			d, err := daemon.Start(ctx, daemon.Options{ConfDir: conf.ResolveDir(""), External: true,
				RequireFiles: true, Level: level, Announce: "no"})
			if err != nil {
				return err
			}
			if err := dropPrivileges(daemonUser(p.user)); err != nil {
				return err
			}
			reload := hupChannel()
			for {
				select {
				case <-ctx.Done():
					return nil
				case <-reload:
					if err := d.Reload(); err != nil {
						slog.Error("reload failed; keeping the running configuration", "err", err)
					}
				}
			}
		},
	}
	p.flags(cmd)
	return cmd
}

func newDriverCmd() *cobra.Command {
	p := &nutProcess{}
	var name, drvName string
	cmd := &cobra.Command{
		Use:   "driver --driver NAME -a DEVICE",
		Short: "Run one powerchain driver as a NUT driver process, serving NUT's state socket",
		Long: `Runs one device's driver as a separate process, as NUT's drivers run:
it reads the device's section of ups.conf and serves the state socket
$NUT_STATEPATH/<driver>-<device> that NUT's upsd (or powerchain's) reads.
Invoked under a driver's name (dummy-ups -a NAME) it behaves as that driver.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if name == "" {
				return errors.New("-a DEVICE is required")
			}
			state := nutsock.StatePath()
			pidfile := filepath.Join(state, drvName+"-"+name+".pid")
			if p.command != "" {
				return signalRunning(pidfile, p.command)
			}
			cd, err := conf.LoadDir(conf.ResolveDir(""))
			if err != nil {
				return err
			}
			dev, ok := cd.UPS().Device(name)
			if !ok {
				return fmt.Errorf("ups.conf: no device [%s]", name)
			}
			if dev.Driver != drvName {
				return fmt.Errorf("ups.conf: [%s] has driver %q, not %q", name, dev.Driver, drvName)
			}
			if done, err := p.detach(pidfile); done || err != nil {
				return err
			}
			p.setupLog()
			ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			defer writePid(pidfile)()
			// As NUT's drivers: the user first (so that the state
			// socket is the user's, which NUT's upsd can open), then
			// the device and the socket.
			if err := dropPrivileges(driverUser(p.user, cd.UPS(), dev)); err != nil {
				return err
			}
			cfg := daemon.DriverConfig(cd, dev)
			d := device.New(name, dev.Desc)
			errc := make(chan error, 2)
			go func() { errc <- driver.Run(ctx, cfg, d, 5*time.Second) }()
			go func() { errc <- nutsock.Serve(ctx, nutsock.SocketPath(state, drvName, name), d) }()
			select {
			case err := <-errc:
				return err
			case <-ctx.Done():
				// Let the socket server remove its socket before the
				// pid file goes (upsdrvctl stop waits for the pid file).
				for i := 0; i < 2; i++ {
					select {
					case <-errc:
					case <-time.After(3 * time.Second):
					}
				}
				return nil
			}
		},
	}
	p.flags(cmd)
	cmd.Flags().StringVarP(&name, "name", "a", "", "device name (its ups.conf section)")
	cmd.Flags().StringVar(&drvName, "driver", "dummy-ups", "driver name")
	return cmd
}
