package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os/user"
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
	user, password     string
	haveUser, havePass bool
	wait               bool
	timeout            uint32 // seconds to wait with -w
}

// take applies one of the shared options (-u, -p, -w, -t) and reports
// whether it was one of them.
func (a *adminOpts) take(o option) (bool, error) {
	switch o.name {
	case 'u':
		a.user, a.haveUser = o.arg, true
	case 'p':
		a.password, a.havePass = o.arg, true
	case 'w':
		a.wait = true
	case 't':
		t, err := parseTimeout(o.arg)
		a.timeout = t
		return true, err
	default:
		return false, nil
	}
	return true, nil
}

// parse reads the command line of upscmd or upsrw: the shared options
// (take) and the command's own (own), in order. Without a UPS it prints
// the usage and is done, as NUT's upscmd and upsrw are.
func (a *adminOpts) parse(cmd nutArgs, args []string, stdout, stderr io.Writer, own func(option)) (rest []string, done bool, err error) {
	rest, done, err = cmd.parse(args, stdout, stderr, func(o option) error {
		if shared, err := a.take(o); shared {
			return err
		}
		own(o)
		return nil
	})
	if !done && len(rest) < 1 {
		fmt.Fprint(stdout, cmd.usage)
		return nil, true, nil
	}
	return rest, done, err
}

// dialUPS connects to the server of "ups[@host[:port]]"; a bad name is
// reported as NUT's upscmd and upsrw report it.
func dialUPS(ctx context.Context, target string, stderr io.Writer) (*client.Client, nut.UPSName, error) {
	name, diag, err := splitName(target)
	if diag != "" {
		fmt.Fprintln(stderr, diag)
	}
	if err != nil {
		return nil, name, errors.New("Error: invalid UPS definition.  Required format: upsname[@hostname[:port]]")
	}
	cli, err := client.Dial(ctx, name.Addr())
	if err != nil {
		return nil, name, fmt.Errorf("Error: %s", connFailure(err))
	}
	return cli, name, nil
}

// login asks for missing credentials as NUT's clients do (username, then
// password) and authenticates.
func (a *adminOpts) login(ctx context.Context, cli *client.Client, in *bufio.Reader, out io.Writer) error {
	if err := a.prompt(in, out); err != nil {
		return err
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

// prompt reads what -u and -p did not give; an empty username is the
// user running the command, as with NUT.
func (a *adminOpts) prompt(in *bufio.Reader, out io.Writer) error {
	if !a.haveUser {
		me := ""
		if u, err := user.Current(); err == nil {
			me = u.Username
			fmt.Fprintf(out, "Username (%s): ", me)
		} else {
			fmt.Fprint(out, "Username: ")
		}
		s, _ := in.ReadString('\n')
		if a.user = strings.TrimRight(s, "\r\n"); a.user == "" {
			if me == "" {
				return errors.New("No username available - even tried getpwuid")
			}
			a.user = me
		}
		a.haveUser = true
	}
	if !a.havePass {
		fmt.Fprint(out, "Password: ")
		s, _ := in.ReadString('\n')
		a.password, a.havePass = strings.TrimRight(s, "\r\n"), true
	}
	return checkWords("username", a.user, "password", a.password)
}

// checkWords refuses, before anything is sent, a value that holds a
// control character (pairs of what it is and the value).
func checkWords(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := client.CheckWord(pairs[i+1]); err != nil {
			if pairs[i] == "password" {
				err = fmt.Errorf("the password contains a control character: %w", client.ErrControlChar)
			}
			return fmt.Errorf("Error: %s: %w", pairs[i], err)
		}
	}
	return nil
}

// send sends the request req (an INSTCMD or a SET VAR), with -w after
// turning status tracking on (what names the request in NUT's message
// when it cannot), and prints its result (finish).
func (a *adminOpts) send(ctx context.Context, cli *client.Client, what string, stderr io.Writer, req ...string) error {
	if a.wait {
		if _, err := cli.Command(ctx, "SET", "TRACKING", "ON"); err != nil {
			return fmt.Errorf("Can't enable %s status tracking: %s", what, upscMessage(err))
		}
	}
	reply, err := cli.Command(ctx, req...)
	if err != nil {
		return fmt.Errorf("Unexpected response from upsd: ERR %s", string(errCode(err)))
	}
	return a.finish(ctx, cli, reply, stderr)
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

// adminCommand is upscmd or upsrw (run, with the shared options'
// defaults): an error is printed on standard error and exits 1, as
// NUT's do.
func adminCommand(use, short string, run func(c *cobra.Command, a *adminOpts, args []string) error) *cobra.Command {
	return ownArgsCommand(use, short, func(c *cobra.Command, args []string) error {
		err := run(c, &adminOpts{timeout: 10}, args)
		var code exitError
		if err != nil && !errors.As(err, &code) {
			fmt.Fprintln(c.ErrOrStderr(), err)
			return exitError(1)
		}
		return err
	})
}

const upscmdUsage = `powerchain upscmd: run instant commands of devices on a NUT server, as NUT's upscmd does

usage: upscmd [-h]
       upscmd [-l UPS]
       upscmd [-u USER] [-p PASSWORD] [-w] [-t SECONDS] UPS COMMAND [VALUE]

  -l UPS       list the instant commands of UPS
  -u USER      the user of upsd.users to run the command as (asked when not given)
  -p PASSWORD  that user's password (asked when not given)
  -w           wait for the driver's result and print it
  -t SECONDS   how long -w waits (10 by default)
  UPS          the device: NAME[@HOST[:PORT]]
  COMMAND      an instant command (see -l), such as load.off
  VALUE        the command's parameter, where it takes one
  -V           print the version
  -h           print this help
`

func newUpscmdCmd() *cobra.Command {
	return adminCommand("upscmd [-l UPS] | [-u USER] [-p PASS] [-w] [-t SEC] UPS COMMAND [VALUE]",
		"Run instant commands, as NUT's upscmd does", runUpscmd)
}

func runUpscmd(c *cobra.Command, a *adminOpts, args []string) error {
	stdout, stderr := c.OutOrStdout(), c.ErrOrStderr()
	list := false
	cmd := nutArgs{prog: "upscmd", spec: "+lhu:p:t:wV", usage: upscmdUsage}
	rest, done, err := a.parse(cmd, args, stdout, stderr, func(o option) { list = list || o.name == 'l' })
	if done {
		return err
	}
	var words []string
	for i, what := range []string{"command", "value"} {
		if len(rest) > i+1 {
			words = append(words, what, rest[i+1])
		}
	}
	if err := checkWords(words...); err != nil {
		return err
	}
	ctx := context.Background()
	cli, name, err := dialUPS(ctx, rest[0], stderr)
	if err != nil {
		return err
	}
	defer cli.Logout(ctx)
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
		_, err = io.WriteString(stdout, b.String())
		return err
	}
	if len(rest) < 2 {
		fmt.Fprint(stdout, upscmdUsage)
		return nil
	}
	if !strings.Contains(rest[1], ".") {
		return errors.New("Error: old command names are not supported")
	}
	if err := a.login(ctx, cli, bufio.NewReader(c.InOrStdin()), stdout); err != nil {
		return err
	}
	return a.send(ctx, cli, "instant command", stderr, append([]string{"INSTCMD", name.UPS}, rest[1:min(len(rest), 3)]...)...)
}

const upsrwUsage = `powerchain upsrw: show and change writable variables of devices on a NUT server, as NUT's upsrw does

usage: upsrw [-h]
       upsrw [-s VARIABLE[=VALUE]] [-u USER] [-p PASSWORD] [-w] [-t SECONDS] UPS

  -s VARIABLE  the variable to change; VARIABLE=VALUE gives the value,
               else it is asked for
  -l           list the writable variables (what upsrw does without -s)
  -u USER      the user of upsd.users to change it as (asked when not given)
  -p PASSWORD  that user's password (asked when not given)
  -w           wait for the driver's result and print it
  -t SECONDS   how long -w waits (10 by default)
  UPS          the device: NAME[@HOST[:PORT]]
  -V           print the version
  -h           print this help
`

func newUpsrwCmd() *cobra.Command {
	return adminCommand("upsrw [-l] [-s VAR[=VALUE]] [-u USER] [-p PASS] [-w] [-t SEC] UPS",
		"Show and set writable variables, as NUT's upsrw does", runUpsrw)
}

func runUpsrw(c *cobra.Command, a *adminOpts, args []string) error {
	stdout, stderr := c.OutOrStdout(), c.ErrOrStderr()
	set, hasSet := "", false
	cmd := nutArgs{prog: "upsrw", spec: "+hls:p:t:u:wV", usage: upsrwUsage, versionToStdout: true}
	rest, done, err := a.parse(cmd, args, stdout, stderr, func(o option) {
		switch o.name {
		case 's':
			set, hasSet = o.arg, true
		case 'l':
			if hasSet {
				fmt.Fprintln(stderr, "Listing mode requested, overriding setvar specified earlier!")
				set, hasSet = "", false
			}
		}
	})
	if done {
		return err
	}
	varName, value, hasValue := strings.Cut(set, "=")
	if err := checkWords("variable", varName, "value", value); err != nil {
		return err
	}
	ctx := context.Background()
	cli, name, err := dialUPS(ctx, rest[0], stderr)
	if err != nil {
		return err
	}
	defer cli.Logout(ctx)
	if !hasSet {
		rw, err := cli.RW(ctx, name.UPS)
		if err != nil {
			return fmt.Errorf("Error: %s", upscMessage(err))
		}
		var b strings.Builder
		for _, v := range rw {
			describeRW(ctx, &b, cli, name.UPS, v.Name)
		}
		_, err = io.WriteString(stdout, b.String())
		return err
	}
	in := bufio.NewReader(c.InOrStdin())
	if err := a.prompt(in, stdout); err != nil {
		return err
	}
	if !hasValue {
		fmt.Fprintf(stdout, "Enter new value for %s: ", varName)
		s, _ := in.ReadString('\n')
		value = strings.TrimRight(s, "\r\n")
		if err := checkWords("value", value); err != nil {
			return err
		}
	}
	if err := a.login(ctx, cli, in, stdout); err != nil {
		return err
	}
	if !strings.Contains(varName, ".") {
		return errors.New("Error: old variable names are not supported")
	}
	return a.send(ctx, cli, "set variable", stderr, "SET", "VAR", name.UPS, varName, value)
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
			iv := nut.Atoi(val)
			for _, r := range ranges {
				lo, hi := nut.Atoi(r.Min), nut.Atoi(r.Max)
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
				fmt.Fprintf(b, "Maximum length: %d\n", nut.Atoi(t[7:]))
				enumOptions(ctx, b, cli, ups, name, val)
			} else {
				fmt.Fprintf(b, "Type: STRING\nMaximum length: %d\nValue: %s\n", nut.Atoi(t[7:]), val)
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
