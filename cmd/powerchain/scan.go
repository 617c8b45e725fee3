package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/dnssd"
	"github.com/powerchain/powerchain/internal/snmputil"
	"github.com/powerchain/powerchain/nut"
	"github.com/powerchain/powerchain/scan"
)

func init() { multiCall["nut-scanner"] = []string{"scan"} }

type scanFlags struct {
	complete, usb, snmp, xml, oldnut, avahi, ipmi, sim bool
	serial                                             string
	threads, timeout, port, rate, retries              int
	start, end, cidr                                   string
	community, snmpVersion                             string
	v3                                                 snmputil.V3
	ipmiUser, ipmiPass                                 string
	ipmiPort, cipherSuite                              int
	dispConf, dispParsable, dispSanity, jsonOut        bool
	quiet, version, available, force                   bool
	debug                                              int
	sysfs, confDir                                     string
}

func newScanCmd() *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan [-C|-U|-S|-O|-n] [-s IP -e IP | -m CIDR] [-t SECONDS] [-T THREADS] [-N|-P|-Q|--json]",
		Short: "Find power devices (NUT's nut-scanner): SNMP, NUT servers, USB, simulation files",
		Long: `Scans the buses NUT's nut-scanner scans, with its options, and prints
what it found as ups.conf sections (with sanity warnings as comments), in
NUT's parsable form (-P) or as JSON. A range is swept at --rate packets
per second (SNMP, NetXML and IPMI from one UDP socket, NUT servers with
as many connections at once as open files allow), every address's
timeout (-t) running at the same time as the others': a range takes about
addresses/rate + timeout (a /24 at the default rate, a second more than
the timeout; a /16, about 35 s), however many hosts are silent. Only the
hosts that answer get the slower part (identifying an SNMP agent, logging
in to a BMC), -T of them at once. On a terminal a progress line shows
addresses done, devices found and the packet rate; -D prints a summary
per bus. Interrupting (Ctrl-C) prints what was found so far. Also runs as
"nut-scanner".`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error { return runScan(c, f) },
	}
	fl := cmd.Flags()
	fl.BoolVarP(&f.complete, "complete_scan", "C", false, "scan every bus except serial ports (the default)")
	fl.BoolVarP(&f.usb, "usb_scan", "U", false, "scan USB devices")
	fl.BoolVarP(&f.snmp, "snmp_scan", "S", false, "scan SNMP agents")
	fl.BoolVarP(&f.xml, "xml_scan", "M", false, "scan Eaton NetXML cards (UDP <SCAN_REQUEST/>, port 4679)")
	fl.BoolVarP(&f.oldnut, "oldnut_scan", "O", false, "scan NUT servers (connect and LIST UPS)")
	fl.BoolVarP(&f.avahi, "avahi_scan", "A", false, "find NUT servers by DNS-SD (_nut._tcp, through avahi-daemon or mDNS) and list their devices")
	fl.BoolVarP(&f.ipmi, "ipmi_scan", "I", false, "scan BMCs over LAN (RMCP+, -b/-B credentials) for their power supplies")
	fl.BoolVarP(&f.sim, "nut_simulation_scan", "n", false, "list simulation files (.dev, .seq) of the config directory")
	fl.StringVarP(&f.serial, "eaton_serial", "E", "", "serial ports to scan (not available)")
	fl.IntVarP(&f.threads, "thread", "T", 512, "answering hosts identified at once")
	fl.IntVarP(&f.timeout, "timeout", "t", 5, "network timeout per request, seconds")
	fl.IntVar(&f.rate, "rate", scan.DefaultRate, "packets per second sent to a range (first requests, retries, identification)")
	fl.IntVar(&f.retries, "retries", 0, "requests sent again to an address silent for the timeout (nut-scanner sends none)")
	fl.StringVarP(&f.start, "start_ip", "s", "", "first address to scan")
	fl.StringVarP(&f.end, "end_ip", "e", "", "last address to scan")
	fl.StringVarP(&f.cidr, "mask_cidr", "m", "", "addresses to scan as CIDR")
	fl.StringVarP(&f.community, "community", "c", "public", "SNMP v1/v2c community")
	fl.StringVar(&f.snmpVersion, "snmp_version", "v1", "SNMP version for communities: v1 or v2c")
	fl.StringVarP(&f.v3.SecLevel, "secLevel", "l", "", "SNMPv3 security level: noAuthNoPriv, authNoPriv, authPriv")
	fl.StringVarP(&f.v3.SecName, "secName", "u", "", "SNMPv3 security name")
	fl.StringVarP(&f.v3.AuthProtocol, "authProtocol", "w", "", "SNMPv3 authentication protocol (MD5, SHA, SHA256, SHA384, SHA512)")
	fl.StringVarP(&f.v3.AuthPassword, "authPassword", "W", "", "SNMPv3 authentication pass phrase")
	fl.StringVarP(&f.v3.PrivProtocol, "privProtocol", "x", "", "SNMPv3 privacy protocol (DES, AES, AES192, AES256)")
	fl.StringVarP(&f.v3.PrivPassword, "privPassword", "X", "", "SNMPv3 privacy pass phrase")
	fl.StringVarP(&f.ipmiUser, "username", "b", "", "IPMI LAN user")
	fl.StringVarP(&f.ipmiPass, "password", "B", "", "IPMI LAN password")
	fl.IntVar(&f.ipmiPort, "ipmi_port", 623, "UDP port of the BMCs")
	fl.IntVar(&f.cipherSuite, "cipher_suite", 3, "IPMI RMCP+ cipher suite")
	fl.IntVarP(&f.port, "port", "p", nut.DefaultPort, "port of NUT servers")
	fl.BoolVarP(&f.dispConf, "disp_nut_conf", "N", false, "print ups.conf sections without warnings")
	fl.BoolVarP(&f.dispParsable, "disp_parsable", "P", false, "print NUT's parsable form")
	fl.BoolVarP(&f.dispSanity, "disp_nut_conf_with_sanity_check", "Q", false, "print ups.conf sections with warnings as comments (the default)")
	fl.BoolVar(&f.jsonOut, "json", false, "print JSON")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print only the result")
	fl.BoolVarP(&f.version, "version", "V", false, "print the version")
	fl.BoolVarP(&f.available, "available", "a", false, "list the buses that can be scanned")
	fl.CountVarP(&f.debug, "nut_debug_level", "D", "more messages")
	fl.BoolVar(&f.force, "force", false, "scan ranges larger than 65,536 addresses (up to 16,777,216)")
	fl.StringVar(&f.sysfs, "sysfs", "/sys", "sysfs root for the USB scan")
	fl.StringVar(&f.confDir, "confdir", "", "config directory for the simulation scan (default $NUT_CONFPATH or /etc/nut)")
	return cmd
}

func runScan(c *cobra.Command, f scanFlags) error {
	out, errw := c.OutOrStdout(), c.ErrOrStderr()
	if f.version {
		fmt.Fprintf(out, "powerchain nut-scanner (NUT %s compatible)\n", nut.ServerVersion)
		return nil
	}
	if f.available {
		fmt.Fprintln(out, "OLDNUT\nUSB\nSNMP\nXML\nAVAHI\nIPMI\nNUT_SIMULATION")
		return nil
	}
	if f.serial != "" {
		fmt.Fprintln(errw, "* The Eaton serial scan is not available in this build.")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	info := func(format string, a ...any) {
		if !f.quiet {
			fmt.Fprintf(errw, format+"\n", a...)
		}
	}
	found, err := scanBuses(ctx, f, errw, info)
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		info("Interrupted: printing what was found so far.")
	}
	return printScan(out, f, found)
}

func printScan(out io.Writer, f scanFlags, found []scan.Device) error {
	switch {
	case f.jsonOut:
		return scan.WriteJSON(out, found)
	case f.dispParsable:
		return scan.WriteParsable(out, found)
	case f.dispConf && !f.dispSanity:
		plain := make([]scan.Device, len(found))
		for i, d := range found {
			d.Warnings = nil
			plain[i] = d
		}
		return scan.WriteUPSConf(out, plain)
	default:
		return scan.WriteUPSConf(out, found)
	}
}

// scanBuses runs the scans the flags ask for (a complete scan when none)
// and returns what they found; an interrupted scan returns what it has.
func scanBuses(ctx context.Context, f scanFlags, errw io.Writer, info func(string, ...any)) ([]scan.Device, error) {
	if !(f.usb || f.snmp || f.oldnut || f.sim || f.xml || f.avahi || f.ipmi || f.serial != "") {
		f.complete = true
	}
	if f.complete {
		f.usb, f.snmp, f.oldnut, f.sim, f.avahi, f.ipmi, f.xml = true, true, true, true, true, true, true
	}
	if f.rate <= 0 {
		return nil, fmt.Errorf("--rate %d: want packets per second, more than 0", f.rate)
	}
	if f.retries < 0 {
		return nil, fmt.Errorf("--retries %d: want 0 or more", f.retries)
	}
	opts := scan.Options{Timeout: time.Duration(f.timeout) * time.Second, Retries: f.retries, Rate: f.rate, Threads: f.threads,
		Progress: progressLine(errw, !f.quiet && isTerminal(errw), f.debug > 0)}
	var hosts []netip.Addr
	var rangeErr error
	if f.snmp || f.oldnut || f.ipmi || f.xml {
		limit := scan.MaxHosts
		if f.force {
			limit = scan.MaxHosts * 256
		}
		hosts, rangeErr = scan.Range(f.start, f.end, f.cidr, limit)
		if rangeErr != nil && (f.start != "" || f.cidr != "") {
			return nil, rangeErr // a range was given and is wrong: say so
		}
	}
	var found []scan.Device
	if f.usb {
		info("Scanning USB bus.")
		devs, err := scan.USB(f.sysfs)
		if err != nil {
			info("USB: %v", err)
		}
		found = append(found, devs...)
	}
	if f.snmp && ctx.Err() == nil {
		if rangeErr != nil {
			info("No start IP, skipping SNMP")
		} else {
			info("Scanning SNMP bus.")
			o := scan.SNMPOptions{Options: opts, Community: f.community, V2c: f.snmpVersion == "v2c"}
			if f.v3.SecLevel != "" || f.v3.SecName != "" {
				v3 := f.v3
				if err := v3.Validate(); err != nil {
					return nil, err
				}
				o.V3 = &v3
			}
			found = append(found, scan.SNMP(ctx, hosts, o)...)
		}
	}
	if f.xml && ctx.Err() == nil {
		if rangeErr != nil {
			info("No start IP, skipping NetXML")
		} else {
			info("Scanning XML/HTTP bus.")
			found = append(found, scan.NetXML(ctx, hosts, scan.NetXMLOptions{Options: opts})...)
		}
	}
	if f.ipmi && ctx.Err() == nil {
		switch {
		case rangeErr != nil:
			info("No start IP, skipping IPMI")
		case f.ipmiUser == "":
			info("No IPMI user (-b), skipping IPMI")
		default:
			info("Scanning IPMI bus.")
			found = append(found, scan.IPMI(ctx, hosts, scan.IPMIOptions{Options: opts, User: f.ipmiUser, Password: f.ipmiPass,
				Port: f.ipmiPort, CipherSuite: f.cipherSuite})...)
		}
	}
	if f.oldnut && ctx.Err() == nil {
		if rangeErr != nil {
			info("No start IP, skipping NUT bus (old connect method)")
		} else {
			info("Scanning NUT bus (old connect method).")
			found = append(found, scan.NUT(ctx, hosts, scan.NUTOptions{Options: opts, Port: f.port})...)
		}
	}
	if f.avahi && ctx.Err() == nil {
		info("Scanning NUT bus (DNS-SD method).")
		devs, err := scan.MDNS(ctx, opts)
		if err != nil {
			info("DNS-SD: %v", err)
		}
		found = append(found, devs...)
	}
	if f.sim {
		dir := conf.ResolveDir(f.confDir)
		devs, err := scan.Simulation(dir)
		if err != nil {
			info("simulation: %v", err)
		}
		found = append(found, devs...)
	}
	return found, nil
}

// progressLine is the scan's progress: a line rewritten in place on a
// terminal (live), a summary per bus at the end (summary); nil when
// neither.
func progressLine(errw io.Writer, live, summary bool) func(scan.Progress) {
	if !live && !summary {
		return nil
	}
	return func(p scan.Progress) {
		if live {
			fmt.Fprint(errw, "\r\033[K")
		}
		switch {
		case !p.Final && live:
			fmt.Fprintf(errw, "  %s: %d/%d addresses, %d found, %.0f packets/s", p.Bus, p.Done, p.Total, p.Found,
				float64(p.Sent)/max(p.Sending.Seconds(), 1e-3))
		case p.Final && summary:
			fmt.Fprintf(errw, "%s: %d addresses in %.2f s: %d answered (%d late), %d refused, %d silent; %d requests in %.2f s (%.0f/s); %d found\n",
				p.Bus, p.Total, p.Elapsed.Seconds(), p.Answered, p.Late, p.Refused, p.Silent, p.Sent, p.Sending.Seconds(),
				float64(p.Sent)/max(p.Sending.Seconds(), 1e-3), p.Found)
		}
	}
}

func newBrowseCmd() *cobra.Command {
	var timeout int
	var jsonOut bool
	cmd := &cobra.Command{
		Use:   "browse [-t SECONDS] [--json]",
		Short: "List the NUT servers announced with DNS-SD (_nut._tcp)",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			found, via, err := dnssd.Browse(c.Context(), time.Duration(timeout)*time.Second)
			if err != nil {
				return err
			}
			if jsonOut {
				enc := json.NewEncoder(c.OutOrStdout())
				enc.SetIndent("", "  ")
				if found == nil {
					found = []dnssd.Found{}
				}
				return enc.Encode(found)
			}
			fmt.Fprintf(c.ErrOrStderr(), "browsed with the %s\n", via)
			for _, f := range found {
				fmt.Fprintf(c.OutOrStdout(), "%s\t%s\t%s\t%d\t%s\n", f.Instance, f.Host, strings.Join(f.Addrs, ","), f.Port, strings.Join(f.TXT, " "))
			}
			return nil
		},
	}
	cmd.Flags().IntVarP(&timeout, "timeout", "t", 3, "seconds to listen for answers")
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print JSON")
	return cmd
}
