package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	neturl "net/url"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/console"
)

func newConsoleCmd() *cobra.Command {
	var o console.Options
	var dir, db, sourcesFile string
	var interval int
	var nf natsFlags
	var durable string
	cmd := &cobra.Command{
		Use:   "console [--listen HOST:PORT] [--source HOST:PORT ...] [-c DIR]",
		Short: "Web console: every device of every NUT server, the power chain, history, control, /metrics",
		Long: `Polls the NUT servers given with --source (powerchain's or NUT's own;
default 127.0.0.1:3493) and serves the console on --listen (loopback by
default; another address needs --tls-cert/--tls-key or --insecure-remote).
Users log in with upsd.users of the config directory; control goes to the
servers as that user, so their rights apply. History and events are kept
in SQLite (--db). A --sources file may say where each server's devices
stand (site=NAME rack=NAME); devices are grouped by site and rack (a
device's device.location is its rack when the file gives none).
JSON API: docs/api.md; Prometheus: /metrics. SIGHUP reads the --sources
file again and applies it as it now is: servers new in it are added,
those no longer in it (nor given with --source) dropped, sites and racks
follow it; a file with a bad line changes nothing.

With --nats, it follows every server that publishes on NATS (serve
--nats; one site with --nats-site) by subscription instead of polling
them, and reads their events from the JetStream stream (docs/fleet.md).`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			o.ConfDir = conf.ResolveDir(dir)
			// fromFile are the servers the --sources file lists, as last
			// read; given, those of --source.
			var fromFile []string
			given := make([]string, 0, len(o.Sources))
			for _, s := range o.Sources {
				addr, err := console.ParseSource(s)
				if err != nil {
					return err
				}
				given = append(given, addr)
			}
			if sourcesFile != "" {
				more, places, err := console.ReadSources(sourcesFile)
				if err != nil {
					return err
				}
				fromFile = more
				o.Sources, o.Places = append(o.Sources, more...), places
			}
			o.Interval = time.Duration(interval) * time.Second
			if err := nf.check(c.Flags()); err != nil {
				return err
			}
			if nf.conn.URL != "" {
				o.NATS = &console.NATSOptions{Conn: nf.conn, Prefix: nf.prefix, Site: nf.site, Durable: durable, Domain: nf.domain}
			}
			if len(o.Sources) == 0 && !o.Browse && o.NATS == nil {
				o.Sources = []string{"127.0.0.1:3493"}
			}
			o.DBPath = db
			if o.DBPath == "" {
				state, err := os.UserCacheDir()
				if err != nil {
					state = os.TempDir()
				}
				o.DBPath = console.DBPathIn(state + "/powerchain")
			}
			con, err := console.New(o)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			// Healthy while refreshes come: the watchdog restarts a
			// console whose poller has stopped.
			started := time.Now()
			svc := &service{healthy: func() bool {
				at := started
				if s := con.Poller.Last(); s != nil {
					at = s.At
				}
				return time.Since(at) < max(time.Minute, 3*o.Interval)
			}}
			go svc.watchdog(ctx)
			go func() {
				for range hupChannel() {
					svc.reloading()
					if sourcesFile != "" {
						if now, err := reloadSources(con.Poller, sourcesFile, fromFile, given); err != nil {
							slog.Error("reload: sources file; keeping the servers and places read before", "err", err)
						} else {
							fromFile = now
						}
					}
					svc.ready("serving the console")
				}
			}()
			defer svc.stopping()
			return con.Run(ctx, func(url string) {
				fmt.Fprintf(c.OutOrStdout(), "powerchain console on %s\n", url)
				svc.ready("serving the console on " + url)
			})
		},
	}
	cmd.Flags().StringVar(&o.Listen, "listen", "127.0.0.1:8080", "address of the web console")
	cmd.Flags().StringSliceVar(&o.Sources, "source", nil, "NUT server to show (host:port; repeat)")
	cmd.Flags().StringVar(&sourcesFile, "sources", "", "file listing NUT servers, one a line: host[:port] [site=NAME] [rack=NAME] (# comments)")
	cmd.Flags().StringVarP(&dir, "confdir", "c", "", "config directory whose upsd.users may log in")
	cmd.Flags().StringVar(&db, "db", "", "SQLite file for history and events")
	cmd.Flags().IntVar(&interval, "interval", 5, "seconds between refreshes")
	cmd.Flags().StringVar(&o.CertFile, "tls-cert", "", "PEM certificate for HTTPS")
	cmd.Flags().StringVar(&o.KeyFile, "tls-key", "", "PEM key for HTTPS")
	cmd.Flags().BoolVar(&o.AllowRemote, "insecure-remote", false, "allow plain HTTP on a non-loopback address")
	cmd.Flags().BoolVar(&o.Browse, "browse", false, "also show the NUT servers announced with DNS-SD (_nut._tcp)")
	nf.register(cmd.Flags(), "follow the servers of this site only (default: every site)")
	cmd.Flags().StringVar(&durable, "nats-durable", "", `name of this console's reader of the events' stream: the same name after a restart reads on, a new one reads the whole history (default "`+console.DefaultDurable()+`")`)
	return cmd
}

// reloadSources applies the --sources file as it now is (SIGHUP): the
// servers new in it are polled, those it listed before (fromFile) and
// lists no more are dropped unless --source gives them (given), and its
// sites and racks replace those read before. It returns the servers the
// file lists; an unreadable file changes nothing.
func reloadSources(p *console.Poller, path string, fromFile, given []string) ([]string, error) {
	now, places, err := console.ReadSources(path)
	if err != nil {
		return nil, err
	}
	var gone []string
	for _, a := range fromFile {
		if !slices.Contains(now, a) && !slices.Contains(given, a) {
			gone = append(gone, a)
		}
	}
	p.SetPlaces(places)
	if removed := p.RemoveSources(gone...); len(removed) > 0 {
		slog.Info("reload: sources dropped", "sources", strings.Join(removed, " "))
	}
	if added := p.AddSources(now...); len(added) > 0 {
		slog.Info("reload: sources added", "sources", strings.Join(added, " "))
	}
	p.Wake() // shown as the file says now, not at the next interval
	return now, nil
}

func newConsoleNotifyCmd() *cobra.Command {
	var url string
	cmd := &cobra.Command{
		Use:   "console-notify [--console URL] [MESSAGE]",
		Short: "Send an upsmon notification to the console (use as upsmon.conf NOTIFYCMD)",
		Long: `Posts NOTIFYTYPE and UPSNAME (from the environment upsmon sets) and the
message to the console's events. In upsmon.conf:
  NOTIFYCMD "/usr/bin/powerchain console-notify"`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			msg := ""
			if len(args) > 0 {
				msg = args[0]
			}
			host, _ := os.Hostname()
			form := neturl.Values{"type": {os.Getenv("NOTIFYTYPE")}, "ups": {os.Getenv("UPSNAME")}, "message": {msg}, "host": {host}}
			cl := &http.Client{Timeout: 5 * time.Second}
			r, err := cl.PostForm(strings.TrimSuffix(url, "/")+"/api/notify", form)
			if err != nil {
				return err
			}
			r.Body.Close()
			if r.StatusCode/100 != 2 {
				return fmt.Errorf("console answered %s", r.Status)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&url, "console", "http://127.0.0.1:8080", "the console's address")
	return cmd
}
