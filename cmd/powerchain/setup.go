package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/nut"
	"github.com/powerchain/powerchain/scan"
	"github.com/powerchain/powerchain/setup"
)

func newSetupCmd() *cobra.Command {
	var f scanFlags
	var dir, from, listen string
	var yes bool
	cmd := &cobra.Command{
		Use:   "setup [-c DIR] [--yes] [--from SCAN.json] [-s IP -e IP | -m CIDR] [--listen HOST:PORT]",
		Short: "Scan, pick devices, and write a working NUT configuration",
		Long: `Scans (USB, the simulation files of the directory, and SNMP agents and
NUT servers in the given range) — or reads "powerchain scan --json" output
with --from — lets you pick the devices (on a terminal; --yes takes them
all), and writes ups.conf, upsd.conf, upsd.users (generated passwords,
mode 0640), upsmon.conf and nut.conf through the config library: existing
sections and comments stay, a second run adds only new devices. Then it
validates and prints the command that starts the server.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			out, errw := c.OutOrStdout(), c.ErrOrStderr()
			dir = conf.ResolveDir(dir)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			var found []scan.Device
			if from != "" {
				b, err := os.ReadFile(from)
				if err != nil {
					return err
				}
				if err := json.Unmarshal(b, &found); err != nil {
					return fmt.Errorf("%s: not a scan result: %w", from, err)
				}
			} else {
				ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
				defer stop()
				f.confDir = dir
				var err error
				found, err = scanBuses(ctx, f, errw, func(format string, a ...any) { fmt.Fprintf(errw, format+"\n", a...) })
				if err != nil {
					return err
				}
			}
			opts := setup.Options{Dir: dir, Listen: listen}
			if !yes {
				in := c.InOrStdin()
				if !isTerminal(out) || !isTerminalReader(in) {
					return fmt.Errorf("not on a terminal: pass --yes to configure every device found")
				}
				opts.Pick = func(cands []setup.Candidate) ([]int, error) { return pick(in, out, cands) }
			}
			res, err := setup.Apply(found, opts)
			if res != nil {
				for _, d := range res.Diags {
					fmt.Fprintln(errw, d)
				}
			}
			if err != nil {
				return err
			}
			report(out, dir, res)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&dir, "confdir", "c", "", "NUT configuration directory (default $NUT_CONFPATH or /etc/nut)")
	fl.BoolVarP(&yes, "yes", "y", false, "configure every device found, without asking")
	fl.StringVar(&from, "from", "", "use a scan result (powerchain scan --json) instead of scanning")
	fl.StringVar(&listen, "listen", "", "upsd.conf LISTEN address when there is none (default 127.0.0.1:3493)")
	fl.StringVarP(&f.start, "start_ip", "s", "", "first address to scan")
	fl.StringVarP(&f.end, "end_ip", "e", "", "last address to scan")
	fl.StringVarP(&f.cidr, "mask_cidr", "m", "", "addresses to scan as CIDR")
	fl.IntVarP(&f.timeout, "timeout", "t", 5, "network timeout per host, seconds")
	fl.IntVarP(&f.threads, "thread", "T", 512, "hosts probed at once")
	fl.StringVar(&f.community, "community", "public", "SNMP community")
	fl.StringVar(&f.snmpVersion, "snmp_version", "v1", "SNMP version for communities: v1 or v2c")
	fl.IntVarP(&f.port, "port", "p", nut.DefaultPort, "port of NUT servers to scan")
	fl.StringVar(&f.sysfs, "sysfs", "/sys", "sysfs root for the USB scan")
	fl.BoolVar(&f.force, "force", false, "scan ranges larger than 65,536 addresses")
	fl.StringVar(&f.ipmiUser, "ipmi_user", "", "IPMI LAN user: scan BMCs in the range for power supplies")
	fl.StringVar(&f.ipmiPass, "ipmi_password", "", "IPMI LAN password")
	fl.IntVar(&f.ipmiPort, "ipmi_port", 623, "UDP port of the BMCs")
	fl.IntVar(&f.cipherSuite, "cipher_suite", 3, "IPMI RMCP+ cipher suite")
	f.quiet = true
	return cmd
}

func isTerminalReader(r io.Reader) bool {
	fd, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := fd.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// pick asks which devices to configure.
func pick(in io.Reader, out io.Writer, cands []setup.Candidate) ([]int, error) {
	fmt.Fprintf(out, "Found %d device(s) not configured yet:\n", len(cands))
	for i, c := range cands {
		fmt.Fprintf(out, "  %2d) [%s] %s %s %s\n", i+1, c.Name, c.Device.Driver, c.Device.Port, c.Device.Desc)
	}
	fmt.Fprint(out, "Configure which? (all, none, or numbers like 1 3) [all]: ")
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && line == "" {
		return nil, fmt.Errorf("no answer: %w", err)
	}
	line = strings.TrimSpace(strings.ToLower(line))
	var idx []int
	switch line {
	case "", "all", "a", "y", "yes":
		for i := range cands {
			idx = append(idx, i)
		}
	case "none", "n", "no":
	default:
		for _, w := range strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == ',' }) {
			n, err := strconv.Atoi(w)
			if err != nil || n < 1 || n > len(cands) {
				return nil, fmt.Errorf("%q: not a device number (1-%d)", w, len(cands))
			}
			idx = append(idx, n-1)
		}
	}
	return idx, nil
}

func report(out io.Writer, dir string, res *setup.Result) {
	if len(res.Added) == 0 {
		fmt.Fprintln(out, "No new devices.")
	} else {
		fmt.Fprintf(out, "Added: %s\n", strings.Join(res.Added, ", "))
	}
	if len(res.Known) > 0 {
		fmt.Fprintf(out, "Already configured: %s\n", strings.Join(res.Known, ", "))
	}
	if len(res.Written) > 0 {
		fmt.Fprintf(out, "Written in %s: %s\n", dir, strings.Join(res.Written, ", "))
	}
	var users []string
	for u := range res.Secrets {
		users = append(users, u)
	}
	sort.Strings(users)
	for _, u := range users {
		// Never the password itself: output ends up in logs.
		fmt.Fprintf(out, "New user %s; its password: powerchain conf -c %s get --show-secrets upsd.users %s.password\n", u, dir, u)
	}
	fmt.Fprintf(out, "Start it with:\n  %s\n", res.StartCmd)
}
