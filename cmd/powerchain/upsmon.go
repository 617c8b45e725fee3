package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/driver/nutsock"
	"github.com/powerchain/powerchain/monitor"
	"github.com/powerchain/powerchain/powerwake"
)

func init() { multiCall["upsmon"] = []string{"upsmon"} }

func newUpsmonCmd() *cobra.Command {
	p := &nutProcess{}
	var checkFlag bool
	var announce string
	cmd := &cobra.Command{
		Use:   "upsmon [-F|-B] [-D] [-u USER] [-c fsd|stop|reload] [-K]",
		Short: "NUT's upsmon, aware of the power chain: watch supplies, notify, shut down",
		Long: `Behaves as NUT's upsmon with upsmon.conf (MONITOR, MINSUPPLIES, POLLFREQ,
POLLFREQALERT, DEADTIME, HOSTSYNC, FINALDELAY, SHUTDOWNCMD, POWERDOWNFLAG,
NOTIFYCMD/NOTIFYMSG/NOTIFYFLAG, RBWARNTIME, NOCOMMWARNTIME), and reads the
power chain: a supply cut upstream (PDU outlet off, UPS on battery and low)
or OFF counts as lost, and NOREDUNDANCY warns when only the last needed
supply is left.

-c fsd starts the forced shutdown of the running upsmon; -K exits 0 when
POWERDOWNFLAG exists (for the shutdown scripts). --announce yes publishes,
with DNS-SD, the NUT server on this host that this upsmon is primary for
(NUT's upsd does not announce itself), so that new nodes find it. SIGHUP
(-c reload) reads upsmon.conf again: a valid file replaces the running
one, an invalid one is refused and logged; a shutdown under way goes on.

PowerWake (powerchain's POWERWAKE lines) wakes the hosts an outage took
down once power is back: every supply path above their power supplies
healthy and every UPS on them at POWERWAKECHARGE percent (50) for
POWERWAKEHOLD seconds (60), in the chain's order, POWERWAKEDELAY seconds
(10) apart, by Wake-on-LAN or through their nut-ipmipsu devices:
  POWERWAKE <host> wol <MAC>|auto [<address>]
  POWERWAKE <host> ipmi
  POWERWAKEUSER <username> <password>    (may run load.on, for ipmi)
Notifications WAKE and WAKEFAIL; which hosts are down is kept in
$STATE_DIRECTORY/powerwake.json (or /var/lib/powerchain).`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if announce != "yes" && announce != "no" {
				return fmt.Errorf("--announce %q: yes or no", announce)
			}
			cd, err := conf.LoadDir(conf.ResolveDir(""))
			if err != nil {
				return err
			}
			cfg := cd.Upsmon()
			if checkFlag {
				if cfg.PowerDownFlag == "" {
					return exitError(1)
				}
				if _, err := os.Stat(cfg.PowerDownFlag); err != nil {
					return exitError(1)
				}
				return nil
			}
			pidfile := filepath.Join(nutsock.StatePath(), "upsmon.pid")
			if p.command != "" {
				if p.command == "fsd" {
					return sendSignal(pidfile, syscall.SIGUSR1)
				}
				return signalRunning(pidfile, p.command)
			}
			if done, err := p.detach(pidfile); done || err != nil {
				return err
			}
			p.setupLog()
			m, err := monitor.New(cfg, slog.Default())
			if err != nil {
				return err
			}
			if err := dropPrivileges(p.user); err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			defer writePid(pidfile)()
			return runMonitor(ctx, m, cfg, announce == "yes")
		},
	}
	p.flags(cmd)
	cmd.Flags().Lookup("user").Usage = "when started as root, switch to this user after reading the configuration (default: stay root)"
	cmd.Flags().BoolVarP(&checkFlag, "check-powerdown-flag", "K", false, "exit 0 if POWERDOWNFLAG exists, 1 if not")
	cmd.Flags().StringVar(&announce, "announce", "no", "announce the server on this host that this upsmon is primary for with DNS-SD: yes or no")
	return cmd
}

func sendSignal(pidfile string, sig syscall.Signal) error {
	b, err := os.ReadFile(pidfile)
	if err != nil {
		return fmt.Errorf("no running upsmon: %w", err)
	}
	var pid int
	if _, err := fmt.Sscan(string(b), &pid); err != nil {
		return fmt.Errorf("%s: bad pid file", pidfile)
	}
	return syscall.Kill(pid, sig)
}

// runMonitor runs upsmon as a service: ready once watching, SIGUSR1
// forces the shutdown, SIGHUP reads upsmon.conf again and starts the
// monitor afresh with it (an invalid file is refused and the running
// monitor kept; a shutdown under way is never interrupted), and the
// service manager's watchdog is fed while cycles complete. With announce,
// each monitor announces the servers it is primary for while it runs.
func runMonitor(ctx context.Context, m *monitor.Monitor, cfg *conf.UpsmonConf, announce bool) error {
	usr1 := make(chan os.Signal, 1)
	signal.Notify(usr1, syscall.SIGUSR1)
	defer signal.Stop(usr1)
	reload := hupChannel()
	var progress monitorProgress
	svc := &service{healthy: progress.healthy}
	go svc.watchdog(ctx)
	var waker *powerwake.Waker
	for {
		mctx, cancel := context.WithCancel(ctx)
		var wakerDone func()
		waker, wakerDone = startPowerWake(mctx, m, cfg, waker)
		progress.watch(m, cfg)
		done := make(chan error, 1)
		if announce {
			m.Announce(mctx)
		}
		go func() { done <- m.Run(mctx) }()
		svc.ready(fmt.Sprintf("monitoring %d supplies", len(cfg.Monitors)))
	wait:
		for {
			select {
			case err := <-done:
				cancel()
				wakerDone()
				svc.stopping()
				return err
			case <-usr1:
				m.ForceShutdown()
			case <-reload:
				if progress.shuttingDown() {
					slog.Warn("reload ignored: the shutdown is under way")
					continue
				}
				svc.reloading()
				next, nextCfg, err := loadMonitor()
				if err != nil {
					slog.Error("reload failed; keeping the running configuration", "err", err)
					svc.ready(fmt.Sprintf("monitoring %d supplies", len(cfg.Monitors)))
					continue
				}
				cancel()
				<-done
				wakerDone()
				m, cfg = next, nextCfg
				slog.Info("upsmon.conf read again")
				break wait
			}
		}
	}
}

// loadMonitor reads upsmon.conf and makes a monitor of it.
func loadMonitor() (*monitor.Monitor, *conf.UpsmonConf, error) {
	cd, err := conf.LoadDir(conf.ResolveDir(""))
	if err != nil {
		return nil, nil, err
	}
	cfg := cd.Upsmon()
	m, err := monitor.New(cfg, slog.Default())
	return m, cfg, err
}

// monitorProgress follows a monitor for the watchdog: it is healthy
// while its cycles complete (within twice the longest poll interval and
// DEADTIME, a minute at least), and while its shutdown runs.
type monitorProgress struct {
	mu       sync.Mutex
	last     time.Time
	limit    time.Duration
	shutdown bool
}

func (p *monitorProgress) watch(m *monitor.Monitor, cfg *conf.UpsmonConf) {
	p.mu.Lock()
	p.last = time.Now()
	p.limit = max(time.Minute, 2*max(cfg.PollFreq.Seconds(), cfg.PollFreqAlert.Seconds())+cfg.DeadTime.Seconds())
	p.mu.Unlock()
	cycle := m.Cycle
	m.Cycle = func(ctx context.Context, g *chain.Graph) {
		p.mu.Lock()
		p.last = time.Now()
		p.mu.Unlock()
		if cycle != nil {
			cycle(ctx, g)
		}
	}
	sent := m.Notifier.Sent
	m.Notifier.Sent = func(typ, ups, msg string) {
		if typ == monitor.Shutdown {
			p.mu.Lock()
			p.shutdown = true
			p.mu.Unlock()
		}
		if sent != nil {
			sent(typ, ups, msg)
		}
	}
}

func (p *monitorProgress) healthy() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.shutdown || time.Since(p.last) < p.limit
}

func (p *monitorProgress) shuttingDown() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.shutdown
}
