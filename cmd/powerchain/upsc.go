package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/nut"
)

func init() { multiCall["upsc"] = []string{"upsc"} }

const upscUsage = `powerchain upsc: show the variables of devices on a NUT server, as NUT's upsc does

usage: upsc -l | -L [HOST[:PORT]]
       upsc UPS[@HOST[:PORT]] [VARIABLE]
       upsc -c UPS[@HOST[:PORT]]
       upsc -P UPS[@HOST[:PORT]] | -P -l | -P -L [HOST[:PORT] [UPS]]

  -l         list the devices of HOST (localhost when not given), one a line
  -L         the same, each followed by its description
  -c         list the clients logged in to UPS, one a line
  UPS        the device: NAME[@HOST[:PORT]]
  VARIABLE   print this variable only (all of them when not given)
  -P         the power chain: with UPS, its chain upward to the mains
             ("main"); with -l or -L, the tree of HOST's devices, or of
             the devices UPS feeds
  --json     print JSON (with -P: the path, or the devices and the
             loads, as powerchain chain --json prints them)
  -V         print the version
  -h         print this help
`

func newUpscCmd() *cobra.Command {
	return ownArgsCommand("upsc -l | -L [HOST[:PORT]]\n  upsc UPS[@HOST[:PORT]] [VARIABLE]\n  upsc -c UPS[@HOST[:PORT]]\n  upsc -P [HOST] UPS | -Pl | -PL [HOST[:PORT] [UPS]]",
		"Show device variables, as NUT's upsc does (byte for byte)",
		func(c *cobra.Command, args []string) error { return upscMain(c.OutOrStdout(), c.ErrOrStderr(), args) })
}

// upscMain is upsc: NUT's options, messages and exit codes (a usage
// mistake prints the usage and exits 0, as NUT's upsc does), and
// powerchain's -P and --json.
func upscMain(stdout, stderr io.Writer, args []string) error {
	var list, listDesc, clients, asJSON, powerChain bool
	cmd := nutArgs{prog: "upsc", spec: "+hlLcVP", usage: upscUsage, long: map[string]byte{"json": 'j', "chain": 'P'}}
	rest, done, err := cmd.parse(args, stdout, stderr, func(o option) error {
		switch o.name {
		case 'l':
			list = true
		case 'L':
			list, listDesc = true, true
		case 'c':
			clients = true
		case 'j':
			asJSON = true
		case 'P':
			powerChain = true
		}
		return nil
	})
	if done {
		return err
	}
	ctx := context.Background()
	switch {
	case powerChain && list:
		host, ups := "", ""
		if len(rest) > 0 {
			host = rest[0]
		}
		if len(rest) > 1 {
			ups = rest[1]
		}
		err = printChainTree(ctx, stdout, host, ups, listDesc, asJSON)
	case powerChain && len(rest) >= 2:
		err = printChainUp(ctx, stdout, rest[1]+"@"+rest[0], asJSON)
	case powerChain && len(rest) == 1:
		err = printChainUp(ctx, stdout, rest[0], asJSON)
	case powerChain:
		err = fmt.Errorf("-P wants a device: upsc -P UPS[@HOST[:PORT]]")
	default:
		err = runUpsc(ctx, stdout, stderr, rest, list, listDesc, clients, asJSON)
	}
	if err != nil {
		msg := upscMessage(err)
		fmt.Fprintf(stderr, "Error: %s\n", msg)
		return &failure{err: errors.New(msg), shown: true, json: asJSON}
	}
	return nil
}

// upscMessage words an error as NUT's client library does: the server's
// ERR codes by their texts, a server that closed or went silent as
// "Server disconnected".
func upscMessage(err error) string {
	var ne nut.Error
	switch {
	case errors.As(err, &ne):
		return ne.Message()
	case errors.Is(err, io.EOF), errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, context.DeadlineExceeded):
		return "Server disconnected"
	}
	return err.Error()
}

func runUpsc(ctx context.Context, w, stderr io.Writer, args []string, list, listDesc, clients, asJSON bool) error {
	if list {
		host := "localhost"
		if len(args) > 0 {
			host = args[0]
		}
		h, p, diag, err := splitAddr(host)
		if err != nil {
			if diag != "" {
				fmt.Fprintln(stderr, diag)
			}
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
	var name nut.UPSName
	err := errors.New("no UPS")
	if len(args) > 0 {
		var diag string
		if name, diag, err = splitName(args[0]); diag != "" {
			fmt.Fprintln(stderr, diag)
		}
	}
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
	case len(args) >= 2:
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

// connFailure words a failed connection as NUT's client library does.
func connFailure(err error) error {
	var dns *net.DNSError
	if errors.As(err, &dns) && dns.IsNotFound {
		return errors.New("No such host")
	}
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
