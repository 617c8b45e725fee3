package main

import (
	"context"
	"fmt"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/powerchain/powerchain/fence"
)

func init() {
	multiCall["fence_nut"] = []string{"fence", "nut"}
	multiCall["fence_snmp_pdu"] = []string{"fence", "snmp-pdu"}
}

func newFenceCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "fence (nut | snmp-pdu) [OPTIONS]",
		Short: "Fence agents (ClusterLabs API): fence_nut, fence_snmp_pdu",
		Long: `Fence agents following the ClusterLabs Fence Agent API, also installed
as /usr/sbin/fence_nut and /usr/sbin/fence_snmp_pdu. Without options they
read key=value lines from standard input (as the cluster passes them);
"-o metadata" prints their description.`,
	}
	for name, a := range map[string]*fence.Agent{"nut": fence.NUT, "snmp-pdu": fence.SNMPPDU} {
		cmd.AddCommand(ownArgsCommand(name+" [-o ACTION] [-n PLUG] [-a IP] [-l USER] [-p PASSWORD|-S SCRIPT] ...", a.ShortDesc,
			func(c *cobra.Command, args []string) error {
				var o fence.Options
				if len(args) == 0 {
					o = fence.ParseStdin(c.InOrStdin())
				} else {
					var err error
					if o, err = a.ParseArgs(args); err != nil {
						fmt.Fprintf(c.ErrOrStderr(), "%s: %v\n", a.Name, err)
						return exitError(fence.ExitError)
					}
				}
				if o.Bool("help") {
					fmt.Fprint(c.OutOrStdout(), a.Usage())
					return nil
				}
				if o.Bool("version") {
					fmt.Fprintln(c.OutOrStdout(), a.Name, "(powerchain)")
					return nil
				}
				ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
				defer stop()
				if code := a.Run(ctx, o, c.OutOrStdout(), c.ErrOrStderr()); code != 0 {
					return exitError(code)
				}
				return nil
			}))
	}
	return cmd
}
