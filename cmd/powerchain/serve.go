package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/nut"
	"github.com/powerchain/powerchain/server"
)

func newServeCmd() *cobra.Command {
	var dir string
	var listen, traps []string
	var nf natsFlags
	var natsName, natsAddr string
	var site, rack string
	var stream natsStreamFlags
	var announce string
	var debug bool
	var sessions string
	var limits server.Limits
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the integrated NUT server: every ups.conf driver in-process, in the foreground",
		Long: `Run the integrated NUT server in the foreground (systemd style): read the
NUT config directory (-c, $NUT_CONFPATH, /etc/nut), run the driver of every
ups.conf device in this process, and serve them with NUT's protocol on
upsd.conf's LISTEN addresses. SIGHUP reloads the configuration without
dropping clients; SIGTERM or SIGINT stops cleanly.

With --nats, it also publishes its devices' changes and events on NATS
for consoles that follow a whole fleet (docs/fleet.md); however NATS
fares, NUT clients are served as before.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			level := setupLog(debug)
			path, err := server.ParseSessionPath(sessions)
			if err != nil {
				return err
			}
			if err := nf.check(c.Flags()); err != nil {
				return err
			}
			if err := stream.check(c.Flags(), nf.conn.URL != ""); err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			reload := hupChannel()
			var status string
			var pub *natsServe
			if nf.conn.URL != "" {
				if pub, err = nf.serve(natsName, natsAddr, stream); err != nil {
					return err
				}
				defer pub.wait()
			}
			d, err := daemon.Start(ctx, daemon.Options{ConfDir: conf.ResolveDir(dir), Listen: listen, Traps: traps, Site: site, Rack: rack, Announce: announce, Limits: limits,
				Sessions: path, Level: level, Ready: func(addrs []net.Addr) {
					status = servingStatus(addrs)
					if pub != nil {
						pub.ready(addrs)
					}
				}})
			if err != nil {
				return err
			}
			if pub != nil {
				pub.start(ctx, d)
			}
			// The watchdog is fed while this loop answers: a reload
			// that hangs stops it.
			probe := make(chan chan struct{})
			svc := &service{healthy: loopAnswers(probe)}
			svc.ready(status)
			go svc.watchdog(ctx)
			for {
				select {
				case <-ctx.Done():
					svc.stopping()
					d.Wait()
					return nil
				case <-reload:
					svc.reloading()
					if err := d.Reload(); err != nil {
						slog.Error("reload failed; keeping the running configuration", "err", err)
					}
					svc.ready(status)
				case c := <-probe:
					close(c)
				}
			}
		},
	}
	cmd.Flags().StringVarP(&dir, "confdir", "c", "", "NUT config directory (default $NUT_CONFPATH or /etc/nut)")
	cmd.Flags().StringSliceVar(&listen, "listen", nil, "listen on host:port instead of upsd.conf's LISTEN lines")
	cmd.Flags().StringSliceVar(&traps, "traps", nil, "receive SNMP traps for the snmp-ups devices on host:port instead of upsd.conf's POWERCHAIN_TRAPS lines")
	cmd.Flags().StringVar(&site, "site", "", "site where this server stands, announced with DNS-SD and its NATS site (instead of upsd.conf's POWERCHAIN_SITE)")
	cmd.Flags().StringVar(&rack, "rack", "", "rack where this server stands, announced with DNS-SD (instead of upsd.conf's POWERCHAIN_RACK)")
	cmd.Flags().StringVar(&announce, "announce", "", `announce the server with DNS-SD (_nut._tcp): "yes", "no", or "" when it listens beyond loopback`)
	cmd.Flags().BoolVarP(&debug, "debug", "D", false, "debug logging")
	cmd.Flags().StringVar(&sessions, "sessions", "", `how plain sessions are served: "ring" (io_uring, Linux 6.1 or later) or "goroutines" (default: `+server.DefaultPath.String()+`)`)
	cmd.Flags().IntVar(&limits.MaxLine, "max-line", nut.MaxLineLength, "longest request in bytes; a longer one is answered ERR TOO-LONG and the connection closed")
	cmd.Flags().IntVar(&limits.MaxPipelined, "max-pipelined", server.DefaultMaxPipelined, "requests of one client answered before their replies have gone out")
	cmd.Flags().DurationVar(&limits.IdleTimeout, "idle-timeout", server.DefaultIdleTimeout, "close a connection that has completed no request for this long (NUT: 60s)")
	cmd.Flags().Float64Var(&limits.ConnRate, "conn-rate", server.DefaultConnRate, "new connections per second one client address may open (negative: no limit)")
	cmd.Flags().IntVar(&limits.ConnBurst, "conn-burst", 0, "connections one address may open at once before --conn-rate applies (0: MAXCONN)")
	nf.register(cmd.Flags(), `site of this server in the NATS subjects (default: --site, upsd.conf's POWERCHAIN_SITE, else "default")`)
	cmd.Flags().StringVar(&natsName, "nats-name", "", "name of this server in the NATS subjects (default: the host's name)")
	cmd.Flags().StringVar(&natsAddr, "nats-addr", "", "host:port where NUT clients reach this server, told to consoles (default: --nats-name and the first listener's port)")
	stream.register(cmd.Flags())
	return cmd
}

// hupChannel delivers SIGHUP as reload requests.
func hupChannel() <-chan struct{} {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGHUP)
	out := make(chan struct{}, 1)
	go func() {
		for range sig {
			select {
			case out <- struct{}{}:
			default:
			}
		}
	}()
	return out
}

// servingStatus is serve's status line for the service manager.
func servingStatus(addrs []net.Addr) string {
	var list []string
	for _, a := range addrs {
		list = append(list, a.String())
	}
	return fmt.Sprintf("serving NUT on %s", strings.Join(list, ", "))
}

// loopAnswers is a health check for a service's main loop: the loop
// closes each channel it receives from probe; the check fails when it
// does not within a few seconds.
func loopAnswers(probe chan chan struct{}) func() bool {
	return func() bool {
		c := make(chan struct{})
		t := time.NewTimer(5 * time.Second)
		defer t.Stop()
		select {
		case probe <- c:
		case <-t.C:
			return false
		}
		select {
		case <-c:
			return true
		case <-t.C:
			return false
		}
	}
}
