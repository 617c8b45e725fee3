package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/powerchain/powerchain/nut"
)

// option is one parsed command-line option.
type option struct {
	name byte   // the option letter
	arg  string // its argument, for letters followed by ':' in the spec
}

// getopt parses args as NUT's clients do with POSIX getopt and a spec
// starting with '+': options until the first operand or "--", letters
// bundled ("-wu admin"), arguments attached or separate. long maps the
// long options powerchain adds ("--json") to letters. Errors are worded
// as glibc's getopt words them.
func getopt(args []string, spec string, long map[string]byte) (opts []option, operands []string, err error) {
	takesArg := func(c byte) (known, arg bool) {
		i := strings.IndexByte(spec, c)
		if c == ':' || c == '+' || i < 0 {
			return false, false
		}
		return true, i+1 < len(spec) && spec[i+1] == ':'
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return opts, args[i+1:], nil
		case a == "-" || !strings.HasPrefix(a, "-"):
			return opts, args[i:], nil
		case strings.HasPrefix(a, "--"):
			c, ok := long[a[2:]]
			if !ok {
				// getopt (not getopt_long) reads "--json" as the letter '-'.
				return opts, nil, errors.New("invalid option -- '-'")
			}
			opts = append(opts, option{name: c})
			continue
		}
		for j := 1; j < len(a); j++ {
			c := a[j]
			known, wantsArg := takesArg(c)
			if !known {
				return opts, nil, fmt.Errorf("invalid option -- '%c'", c)
			}
			if !wantsArg {
				opts = append(opts, option{name: c})
				continue
			}
			if j+1 < len(a) {
				opts = append(opts, option{name: c, arg: a[j+1:]})
			} else if i+1 < len(args) {
				i++
				opts = append(opts, option{name: c, arg: args[i]})
			} else {
				return opts, nil, fmt.Errorf("option requires an argument -- '%c'", c)
			}
			break
		}
	}
	return opts, nil, nil
}

// ownArgsCommand is a command that reads its own command line as the
// program it stands in for does (NUT's clients with nutArgs, the fence
// agents with theirs): cobra passes the arguments to run untouched.
func ownArgsCommand(use, short string, run func(c *cobra.Command, args []string) error) *cobra.Command {
	return &cobra.Command{Use: use, Short: short, DisableFlagParsing: true, RunE: run}
}

// nutArgs describes the command line of one of NUT's clients.
type nutArgs struct {
	prog, spec, usage string
	long              map[string]byte // powerchain's long options
	versionToStdout   bool            // -V prints on stdout (upsrw), else on stderr
}

// parse reads args and hands each option, in order, to apply. As NUT's
// clients do, -h prints the usage and -V the version, and an unknown
// option glibc's message and the usage, each ending the command with
// exit code 0 (done).
func (n nutArgs) parse(args []string, stdout, stderr io.Writer, apply func(option) error) (rest []string, done bool, err error) {
	opts, rest, bad := getopt(args, n.spec, n.long)
	for _, o := range opts {
		switch o.name {
		case 'h':
			fmt.Fprint(stdout, n.usage)
			return nil, true, nil
		case 'V':
			w := stderr
			if n.versionToStdout {
				w = stdout
			}
			fmt.Fprintln(w, version(n.prog))
			return nil, true, nil
		}
		if err := apply(o); err != nil {
			return nil, true, err
		}
	}
	if bad != nil {
		fmt.Fprintf(stderr, "%s: %v\n", progName(), bad)
		fmt.Fprint(stdout, n.usage)
		return nil, true, nil
	}
	return rest, false, nil
}

// version is what -V prints.
func version(prog string) string {
	return "powerchain " + prog + " (compatible with Network UPS Tools 2.8.0)"
}

// progName is how glibc's getopt names the program in its messages.
func progName() string { return os.Args[0] }

// parseTimeout reads -t as NUT's clients do (str_to_uint: spaces around
// allowed, digits only, at most 2³²−1) and words a refusal as they do.
func parseTimeout(s string) (uint32, error) {
	const prefix = "Could not convert the provided value for timeout ('-t' option) to unsigned int: "
	s = strings.Trim(s, " \t\n\v\f\r")
	if s == "" || strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return 0, errors.New(prefix + "Invalid argument")
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return 0, errors.New(prefix + "Numerical result out of range")
	}
	return uint32(n), nil
}

// splitName parses UPS[@HOST[:PORT]] for a NUT client. diag is the line
// NUT's client library prints to standard error for the same mistake (""
// when it prints none).
func splitName(s string) (name nut.UPSName, diag string, err error) {
	if s == "" {
		return name, "upscli_splitname: can't parse empty string", errors.New("empty")
	}
	if _, host, ok := strings.Cut(s, "@"); ok {
		if _, _, diag, err = splitAddr(host); err != nil {
			return name, diag, err
		}
	}
	name, err = nut.ParseUPSName(s)
	return name, "", err
}

// splitAddr parses HOST[:PORT] as splitName does.
func splitAddr(s string) (host string, port int, diag string, err error) {
	switch {
	case s == "":
		return "", 0, "upscli_splitaddr: can't parse empty string", errors.New("empty")
	case strings.HasPrefix(s, "[") && !strings.Contains(s, "]"):
		return "", 0, "upscli_splitaddr: missing closing bracket in [domain literal]", errors.New("no ]")
	}
	rest := s
	if strings.HasPrefix(s, "[") {
		_, rest, _ = strings.Cut(s, "]")
	}
	if _, p, hasPort := strings.Cut(rest, ":"); hasPort && !strings.Contains(p, ":") {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "", 0, "upscli_splitaddr: no port specified after ':' separator", errors.New("bad port")
		}
	}
	host, port, err = nut.ParseHostPort(s)
	return host, port, "", err
}
