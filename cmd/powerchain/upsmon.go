package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/driver/nutsock"
	"github.com/powerchain/powerchain/monitor"
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
(NUT's upsd does not announce itself), so that new nodes find it.`,
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
			usr1 := make(chan os.Signal, 1)
			signal.Notify(usr1, syscall.SIGUSR1)
			go func() {
				for range usr1 {
					m.ForceShutdown()
				}
			}()
			if announce == "yes" {
				m.Announce(ctx)
			}
			return m.Run(ctx)
		},
	}
	p.flags(cmd)
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
