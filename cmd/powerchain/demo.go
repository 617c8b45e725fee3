package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/console"
	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/demo"
	"github.com/powerchain/powerchain/driver/hosted"
	"github.com/powerchain/powerchain/driver/nutsock"
)

func newDemoCmd() *cobra.Command {
	var listen, dir, web string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Serve the example rack (2 UPS, 2 PDU, 3 servers × 2 PSU) on loopback",
		Long: `Serve the example rack of powerchain's design from embedded simulation
data: ups1 goes through a mains outage and back, ups2 stays on line, two
switched PDUs feed three servers with two power supplies each. Every
device carries its power-chain parent (device.parent). The web console
shows it all (log in as admin, password demo-admin, to switch outlets);
upsc, upsrw and upscmd work too. It also lists which drivers run
natively, which through NUT's own program, and which are missing.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if dir == "" {
				tmp, err := os.MkdirTemp("", "powerchain-demo-")
				if err != nil {
					return err
				}
				defer os.RemoveAll(tmp)
				dir = tmp
			}
			if err := demo.WriteTo(dir); err != nil {
				return err
			}
			slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
			ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			addr := listen
			if addr == "" {
				addr = "127.0.0.1:3493"
				if ln, err := net.Listen("tcp", addr); err != nil {
					addr = "127.0.0.1:0" // 3493 is taken (a NUT upsd?): any free port
				} else {
					ln.Close()
				}
			}
			out := c.OutOrStdout()
			webAddr := web
			if webAddr == "" {
				webAddr = "127.0.0.1:8080"
				if ln, err := net.Listen("tcp", webAddr); err != nil {
					webAddr = "127.0.0.1:0"
				} else {
					ln.Close()
				}
			}
			ready := func(a []net.Addr) {
				hp := a[0].String()
				con, err := console.New(console.Options{Listen: webAddr, Sources: []string{hp}, Interval: 2 * time.Second,
					Places:  map[string]console.Place{hp: {Site: "Example site", Rack: "Rack A"}},
					ConfDir: dir, DBPath: console.DBPathIn(dir)})
				if err != nil {
					fmt.Fprintf(c.ErrOrStderr(), "console: %v\n", err)
				} else {
					go con.Run(ctx, func(url string) {
						fmt.Fprintf(out, "\n  Console: %s   (log in as admin / demo-admin to switch outlets)\n\n", url)
					})
					time.Sleep(100 * time.Millisecond)
				}
				fmt.Fprintf(out, "powerchain demo: the example rack is served on %s (config in %s)\n\n", hp, dir)
				fmt.Fprintf(out, "  powerchain upsc -L %s                 # the devices\n", hp)
				fmt.Fprintf(out, "  powerchain upsc ups1@%s               # UPS feed A (outage after a minute)\n", hp)
				fmt.Fprintf(out, "  powerchain upsc srv1-psu1@%s device.parent\n", hp)
				fmt.Fprintf(out, "  powerchain upscmd -u admin -p demo-admin pdu1@%s outlet.1.load.off\n", hp)
				fmt.Fprintf(out, "\nNUT's own clients work the same (upsc ups1@%s).\n\n", hp)
				if cd, err := conf.LoadDir(dir); err == nil {
					printDrivers(out, hosted.FromUPSConf(cd.UPS(), dir, nutsock.StatePath()))
				}
				fmt.Fprintln(out, "\nCtrl-C stops.")
			}
			return daemon.Run(ctx, daemon.Options{ConfDir: dir, Listen: []string{addr}, Ready: ready}, hupChannel())
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "", "address to serve on (default 127.0.0.1:3493, or a free port when taken)")
	cmd.Flags().StringVar(&dir, "dir", "", "write the rack's config here and keep it (default: a temporary directory)")
	cmd.Flags().StringVar(&web, "web", "", "address of the web console (default 127.0.0.1:8080, or a free port when taken)")
	return cmd
}
