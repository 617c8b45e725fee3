package main

import (
	"bufio"
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

func init() {
	multiCall["upscmd"] = []string{"upscmd"}
	multiCall["upsrw"] = []string{"upsrw"}
}

// adminOpts are the options upscmd and upsrw share.
type adminOpts struct {
	user, password string
	wait           bool
	timeout        int
}

func (a *adminOpts) flags(c *cobra.Command) {
	f := c.Flags()
	f.SetInterspersed(false)
	f.StringVarP(&a.user, "user", "u", "", "username for command authentication")
	f.StringVarP(&a.password, "password", "p", "", "password for command authentication (prompted when missing)")
	f.BoolVarP(&a.wait, "wait", "w", false, "wait for the driver's result and print it")
	f.IntVarP(&a.timeout, "timeout", "t", 10, "seconds to wait with -w")
}

// dialUPS connects to the server of "ups[@host[:port]]".
func dialUPS(ctx context.Context, target string) (*client.Client, nut.UPSName, error) {
	name, err := nut.ParseUPSName(target)
	if err != nil {
		return nil, name, errors.New("invalid UPS definition.\nRequired format: upsname[@hostname[:port]]")
	}
	cli, err := client.Dial(ctx, name.Addr())
	if err != nil {
		return nil, name, connFailure(err)
	}
	return cli, name, nil
}

// login asks for missing credentials on the terminal and authenticates.
func (a *adminOpts) login(ctx context.Context, cli *client.Client, in io.Reader, out io.Writer) error {
	r := bufio.NewReader(in)
	if a.user == "" {
		fmt.Fprint(out, "Username: ")
		s, _ := r.ReadString('\n')
		a.user = strings.TrimSpace(s)
	}
	if a.password == "" {
		fmt.Fprint(out, "Password: ")
		s, _ := r.ReadString('\n')
		a.password = strings.TrimRight(s, "\r\n")
	}
	if _, err := cli.Command(ctx, "USERNAME", a.user); err != nil {
		return fmt.Errorf("Set username failed: %s", upscMessage(err))
	}
	// NUT's clients send the password as a bare word; so do we.
	if _, err := cli.Command(ctx, "PASSWORD", a.password); err != nil {
		return fmt.Errorf("Set password failed: %s", upscMessage(err))
	}
	return nil
}

// finish prints OK, or with -w waits for the tracked result.
func (a *adminOpts) finish(ctx context.Context, cli *client.Client, reply string, stderr io.Writer) error {
	id, tracked := strings.CutPrefix(reply, "OK TRACKING ")
	if !a.wait || !tracked {
		fmt.Fprintln(stderr, reply)
		return nil
	}
	deadline := time.Now().Add(time.Duration(a.timeout) * time.Second)
	for {
		res, err := cli.Command(ctx, "GET", "TRACKING", id)
		if err != nil {
			res = "ERR " + string(errCode(err))
		}
		if res != "PENDING" {
			fmt.Fprintln(stderr, res)
			if res != "SUCCESS" {
				return exitError(1)
			}
			return nil
		}
		if time.Now().After(deadline) {
			return errors.New("Can't receive status tracking information: timeout")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func errCode(err error) nut.Error {
	var ne nut.Error
	if errors.As(err, &ne) {
		return ne
	}
	return nut.ErrUnknown
}

func newUpscmdCmd() *cobra.Command {
	a := &adminOpts{}
	var list bool
	cmd := &cobra.Command{
		Use:   "upscmd [-l UPS] | [-u USER] [-p PASS] [-w] [-t SEC] UPS COMMAND [VALUE]",
		Short: "Run instant commands, as NUT's upscmd does",
		Args:  cobra.RangeArgs(1, 3),
		RunE: func(c *cobra.Command, args []string) error {
			ctx, cancel := context.WithTimeout(context.Background(), time.Duration(a.timeout+30)*time.Second)
			defer cancel()
			err := runUpscmd(ctx, c, a, list, args)
			var code exitError
			if err != nil && !errors.As(err, &code) {
				fmt.Fprintln(c.ErrOrStderr(), err)
				return exitError(1)
			}
			return err
		},
	}
	a.flags(cmd)
	cmd.Flags().BoolVarP(&list, "list", "l", false, "show the instant commands of UPS")
	return cmd
}

func runUpscmd(ctx context.Context, c *cobra.Command, a *adminOpts, list bool, args []string) error {
	cli, name, err := dialUPS(ctx, args[0])
	if err != nil {
		return fmt.Errorf("Error: %s", err)
	}
	defer cli.Logout(ctx)
	out := c.OutOrStdout()
	if list {
		cmds, err := cli.Commands(ctx, name.UPS)
		if err != nil {
			return fmt.Errorf("Error: %s", upscMessage(err))
		}
		var b strings.Builder
		fmt.Fprintf(&b, "Instant commands supported on UPS [%s]:\n\n", name.UPS)
		for _, cmd := range cmds {
			desc, err := cli.CmdDesc(ctx, name.UPS, cmd)
			if err != nil {
				fmt.Fprintf(&b, "%s\n", cmd)
			} else {
				fmt.Fprintf(&b, "%s - %s\n", cmd, desc)
			}
		}
		_, err = io.WriteString(out, b.String())
		return err
	}
	if len(args) < 2 {
		return errors.New("Error: missing command (upscmd UPS COMMAND [VALUE])")
	}
	if err := a.login(ctx, cli, c.InOrStdin(), out); err != nil {
		return err
	}
	if a.wait {
		if _, err := cli.Command(ctx, "SET", "TRACKING", "ON"); err != nil {
			return fmt.Errorf("Can't enable instant command status tracking: %s", upscMessage(err))
		}
	}
	req := append([]string{"INSTCMD", name.UPS}, args[1:]...)
	reply, err := cli.Command(ctx, req...)
	if err != nil {
		return fmt.Errorf("Unexpected response from upsd: ERR %s", string(errCode(err)))
	}
	return a.finish(ctx, cli, reply, c.ErrOrStderr())
}

func newUpsrwCmd() *cobra.Command {
	a := &adminOpts{}
	var set string
	var list bool
	cmd := &cobra.Command{
		Use:   "upsrw [-l] [-s VAR[=VALUE]] [-u USER] [-p PASS] [-w] [-t SEC] UPS",
		Short: "Show and set writable variables, as NUT's upsrw does",
		Args:  cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			ctx, cancel := context.WithTimeout(context.Background(), time.Duration(a.timeout+30)*time.Second)
			defer cancel()
			err := runUpsrw(ctx, c, a, set, args[0])
			var code exitError
			if err != nil && !errors.As(err, &code) {
				fmt.Fprintln(c.ErrOrStderr(), err)
				return exitError(1)
			}
			return err
		},
	}
	a.flags(cmd)
	cmd.Flags().StringVarP(&set, "set", "s", "", "variable to change: VAR=VALUE (prompted for the value when missing)")
	cmd.Flags().BoolVarP(&list, "list", "l", false, "show all writable variables (the default)")
	return cmd
}

func runUpsrw(ctx context.Context, c *cobra.Command, a *adminOpts, set, target string) error {
	cli, name, err := dialUPS(ctx, target)
	if err != nil {
		return fmt.Errorf("Error: %s", err)
	}
	defer cli.Logout(ctx)
	out := c.OutOrStdout()
	if set == "" {
		rw, err := cli.RW(ctx, name.UPS)
		if err != nil {
			return fmt.Errorf("Error: %s", upscMessage(err))
		}
		var b strings.Builder
		for _, v := range rw {
			describeRW(ctx, &b, cli, name.UPS, v.Name)
		}
		_, err = io.WriteString(out, b.String())
		return err
	}
	varName, value, hasValue := strings.Cut(set, "=")
	if !hasValue {
		fmt.Fprintf(out, "Enter new value for %s: ", varName)
		s, _ := bufio.NewReader(c.InOrStdin()).ReadString('\n')
		value = strings.TrimRight(s, "\r\n")
	}
	if err := a.login(ctx, cli, c.InOrStdin(), out); err != nil {
		return err
	}
	if a.wait {
		if _, err := cli.Command(ctx, "SET", "TRACKING", "ON"); err != nil {
			return fmt.Errorf("Can't enable set variable status tracking: %s", upscMessage(err))
		}
	}
	reply, err := cli.Command(ctx, "SET", "VAR", name.UPS, varName, value)
	if err != nil {
		return fmt.Errorf("Unexpected response from upsd: ERR %s", string(errCode(err)))
	}
	return a.finish(ctx, cli, reply, c.ErrOrStderr())
}

// describeRW prints one writable variable as NUT's upsrw does.
func describeRW(ctx context.Context, b *strings.Builder, cli *client.Client, ups, name string) {
	fmt.Fprintf(b, "[%s]\n", name)
	if desc, err := cli.Desc(ctx, ups, name); err == nil {
		fmt.Fprintf(b, "%s\n", desc)
	} else {
		b.WriteString("Description unavailable\n")
	}
	defer b.WriteString("\n")
	types, err := cli.Type(ctx, ups, name)
	if err != nil {
		b.WriteString("Unknown type\n")
		return
	}
	val, _ := cli.Get(ctx, ups, name)
	isEnum := false
	for _, t := range types {
		switch {
		case strings.EqualFold(t, "ENUM"):
			isEnum = true
		case strings.EqualFold(t, "RW"):
		case strings.EqualFold(t, "RANGE"):
			b.WriteString("Type: RANGE NUMBER\n")
			ranges, _ := cli.Ranges(ctx, ups, name)
			iv := atoiC(val)
			for _, r := range ranges {
				lo, hi := atoiC(r.Min), atoiC(r.Max)
				fmt.Fprintf(b, "Option: \"%d-%d\"", lo, hi)
				if iv >= lo && iv <= hi {
					b.WriteString(" SELECTED")
				}
				b.WriteString("\n")
			}
			return
		case len(t) > 7 && strings.EqualFold(t[:7], "STRING:"):
			if isEnum {
				b.WriteString("Type: ENUM STRING\n")
				fmt.Fprintf(b, "Maximum length: %d\n", atoiC(t[7:]))
				enumOptions(ctx, b, cli, ups, name, val)
			} else {
				fmt.Fprintf(b, "Type: STRING\nMaximum length: %d\nValue: %s\n", atoiC(t[7:]), val)
			}
			return
		case strings.EqualFold(t, "NUMBER"):
			if isEnum {
				b.WriteString("Type: ENUM NUMBER\n")
				enumOptions(ctx, b, cli, ups, name, val)
			} else {
				fmt.Fprintf(b, "Type: NUMBER\nValue: %s\n", val)
			}
			return
		default:
			fmt.Fprintf(b, "Type: %s (unrecognized)\n", t)
		}
	}
	if isEnum {
		b.WriteString("Type: ENUM\n")
		enumOptions(ctx, b, cli, ups, name, val)
	}
}

func enumOptions(ctx context.Context, b *strings.Builder, cli *client.Client, ups, name, val string) {
	opts, _ := cli.Enum(ctx, ups, name)
	for _, o := range opts {
		fmt.Fprintf(b, "Option: \"%s\"", o)
		if o == val {
			b.WriteString(" SELECTED")
		}
		b.WriteString("\n")
	}
}

// atoiC is C's atoi.
func atoiC(s string) int {
	s = strings.TrimLeft(s, " \t")
	n, sign, i := 0, 1, 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		if s[i] == '-' {
			sign = -1
		}
		i++
	}
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		n = n*10 + int(s[i]-'0')
	}
	return sign * n
}
