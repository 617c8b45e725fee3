package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/nut"
)

func init() { multiCall["upsc"] = []string{"upsc"} }

func newUpscCmd() *cobra.Command {
	var list, listDesc, clients, asJSON, powerChain bool
	cmd := &cobra.Command{
		Use:   "upsc -l | -L [HOST[:PORT]]\n  upsc UPS[@HOST[:PORT]] [VARIABLE]\n  upsc -c UPS[@HOST[:PORT]]\n  upsc -P [HOST] UPS | -Pl | -PL [HOST[:PORT]]",
		Short: "Show device variables, as NUT's upsc does (byte for byte)",
		Args:  cobra.MaximumNArgs(2),
		RunE: func(c *cobra.Command, args []string) error {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			out := c.OutOrStdout()
			var err error
			switch {
			case powerChain && (list || listDesc):
				host := ""
				if len(args) > 0 {
					host = args[0]
				}
				err = printChainTree(ctx, out, host, listDesc)
			case powerChain && len(args) == 2:
				err = printChainUp(ctx, out, args[1]+"@"+args[0])
			case powerChain && len(args) == 1:
				err = printChainUp(ctx, out, args[0])
			case powerChain:
				err = fmt.Errorf("-P wants a device: upsc -P UPS[@HOST[:PORT]]")
			default:
				err = runUpsc(ctx, out, args, list, listDesc, clients, asJSON)
			}
			if err != nil {
				fmt.Fprintf(c.ErrOrStderr(), "Error: %s\n", upscMessage(err))
				return exitError(1)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.SetInterspersed(false)
	f.BoolVarP(&list, "list", "l", false, "list each UPS on HOST, one per line")
	f.BoolVarP(&listDesc, "list-desc", "L", false, "list each UPS followed by its description")
	f.BoolVarP(&clients, "clients", "c", false, "list each client connected to UPS, one per line")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	f.BoolVarP(&powerChain, "chain", "P", false, "power chain: with UPS, its chain upward; with -l/-L, the tree of HOST's devices")
	return cmd
}

// upscMessage words an error as NUT's client library does.
func upscMessage(err error) string {
	var ne nut.Error
	if errors.As(err, &ne) {
		return ne.Message()
	}
	return err.Error()
}

func runUpsc(ctx context.Context, w io.Writer, args []string, list, listDesc, clients, asJSON bool) error {
	if list || listDesc {
		host := "localhost"
		if len(args) > 0 {
			host = args[0]
		}
		h, p, err := nut.ParseHostPort(host)
		if err != nil {
			return fmt.Errorf("invalid hostname.\nRequired format: [hostname[:port]]")
		}
		cli, err := client.Dial(ctx, nut.UPSName{UPS: "x", Host: h, Port: p}.Addr())
		if err != nil {
			return connFailure(err)
		}
		defer cli.Logout(ctx)
		upses, err := cli.ListUPS(ctx)
		if err != nil {
			return err
		}
		if asJSON {
			return writeJSON(w, upses)
		}
		for _, u := range upses {
			if listDesc {
				fmt.Fprintf(w, "%s: %s\n", u.Name, u.Desc)
			} else {
				fmt.Fprintf(w, "%s\n", u.Name)
			}
		}
		return nil
	}
	if len(args) == 0 {
		return fmt.Errorf("missing UPS name (upsc UPS[@HOST[:PORT]] [VARIABLE])")
	}
	name, err := nut.ParseUPSName(args[0])
	if err != nil {
		return fmt.Errorf("invalid UPS definition.\nRequired format: upsname[@hostname[:port]]")
	}
	cli, err := client.Dial(ctx, name.Addr())
	if err != nil {
		return connFailure(err)
	}
	defer cli.Logout(ctx)
	switch {
	case clients:
		addrs, err := cli.Clients(ctx, name.UPS)
		if err != nil {
			return err
		}
		if asJSON {
			return writeJSON(w, addrs)
		}
		for _, a := range addrs {
			fmt.Fprintln(w, a)
		}
	case len(args) == 2:
		v, err := cli.Get(ctx, name.UPS, args[1])
		if err != nil {
			return err
		}
		if asJSON {
			return writeJSON(w, map[string]string{args[1]: v})
		}
		fmt.Fprintln(w, v)
	default:
		vars, err := cli.Vars(ctx, name.UPS)
		if err != nil {
			return err
		}
		if asJSON {
			m := make(map[string]string, len(vars))
			for _, v := range vars {
				m[v.Name] = v.Value
			}
			return writeJSON(w, m)
		}
		buf := make([]byte, 0, 64*len(vars))
		for _, v := range vars {
			buf = append(append(append(append(buf, v.Name...), ": "...), v.Value...), '\n')
		}
		_, err = w.Write(buf)
		return err
	}
	return nil
}

func connFailure(err error) error {
	var op interface{ Unwrap() error }
	for errors.As(err, &op) {
		inner := op.Unwrap()
		if inner == nil {
			break
		}
		err = inner
	}
	// NUT prints strerror(), which starts with a capital.
	msg := err.Error()
	if msg != "" {
		msg = strings.ToUpper(msg[:1]) + msg[1:]
	}
	return fmt.Errorf("Connection failure: %s", msg)
}
