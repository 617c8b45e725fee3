package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/demo"
)

func newDemoCmd() *cobra.Command {
	var listen, dir string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Serve the example rack (2 UPS, 2 PDU, 3 servers × 2 PSU) on loopback",
		Long: `Serve the example rack of powerchain's design from embedded simulation
data: ups1 goes through a mains outage and back, ups2 stays on line, two
switched PDUs feed three servers with two power supplies each. Every
device carries its power-chain parent (device.parent). Look at it with
upsc, upsrw and upscmd (user admin, password demo-admin).`,
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
			ready := func(a []net.Addr) {
				hp := a[0].String()
				fmt.Fprintf(out, "powerchain demo: the example rack is served on %s (config in %s)\n\n", hp, dir)
				fmt.Fprintf(out, "  powerchain upsc -L %s                 # the devices\n", hp)
				fmt.Fprintf(out, "  powerchain upsc ups1@%s               # UPS feed A (outage after a minute)\n", hp)
				fmt.Fprintf(out, "  powerchain upsc srv1-psu1@%s device.parent\n", hp)
				fmt.Fprintf(out, "  powerchain upscmd -u admin -p demo-admin pdu1@%s outlet.1.load.off\n", hp)
				fmt.Fprintf(out, "\nNUT's own clients work the same (upsc ups1@%s). Ctrl-C stops.\n", hp)
			}
			return daemon.Run(ctx, daemon.Options{ConfDir: dir, Listen: []string{addr}, Ready: ready}, hupChannel())
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "", "address to serve on (default 127.0.0.1:3493, or a free port when taken)")
	cmd.Flags().StringVar(&dir, "dir", "", "write the rack's config here and keep it (default: a temporary directory)")
	return cmd
}
