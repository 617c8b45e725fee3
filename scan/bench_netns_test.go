//go:build linux

package scan_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"
	"golang.org/x/sys/unix"

	"github.com/powerchain/powerchain/internal/netnstest"
	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/mib"
	"github.com/powerchain/powerchain/scan"
)

// BenchmarkScanNamespace times SNMP scans as the field has them: in a
// network namespace of the benchmark's own, 10.99.0.0/16 on its
// loopback, two snmpsimd agents (an APC AP8641 PDU at 10.99.3.10, an
// Eaton 9PX UPS at 10.99.11.20), 62 addresses whose closed port answers
// with ICMP (10.99.8.1-62), and every other address dropped by nftables,
// silent as a firewalled or absent host is. Debian's nut-scanner and
// powerchain scan (the binary, as a user runs it), both inside the
// namespace, side by side on the /20 10.99.0.0/20 with -t 1 (two runs
// each, alternating), then with NUT's default -t 5; powerchain alone on
// the /16 at its default rate. Then the loss knee: snmpsimd gives way to
// a responder that answers at every address of the /20 (v2c), and the
// rate is raised until answers are lost.
func BenchmarkScanNamespace(b *testing.B) {
	nuttest.Require(b, debianScanner)
	const apc, eaton = "10.99.3.10", "10.99.11.20"
	ns, agents := silentNet(b, "10.99.0.1/16", []string{"10.99.8.1-10.99.8.62"}, map[string]string{apc: "apc-ap8641", eaton: "eaton-9px-partial"})
	bin := filepath.Join(b.TempDir(), "powerchain")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/powerchain").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	nutScan := func(cidr string, t int) scanRun {
		return runScan(b, ns, debianScanner, "-S", "-m", cidr, "-t", strconv.Itoa(t), "-P", "-q")
	}
	ourScan := func(cidr string, t, rate int, more ...string) scanRun {
		args := append([]string{"scan", "-S", "-m", cidr, "-t", strconv.Itoa(t), "--rate", strconv.Itoa(rate), "-P", "-q", "-D"}, more...)
		return runScan(b, ns, bin, args...)
	}

	fmt.Printf("\nSNMP scan in a network namespace: 10.99.0.0/16 on loopback; snmpsimd agents %s (APC AP8641) and %s (Eaton 9PX);\n"+
		"10.99.8.1-62 refuse (closed port, ICMP); every other address dropped by nftables (silent)\n", apc, eaton)
	const r20 = "10.99.0.0/20"
	var nuts, ours, fast []scanRun
	for i := range 2 {
		if i%2 == 0 {
			nuts = append(nuts, nutScan(r20, 1))
			ours = append(ours, ourScan(r20, 1, scan.DefaultRate))
		} else {
			ours = append(ours, ourScan(r20, 1, scan.DefaultRate))
			nuts = append(nuts, nutScan(r20, 1))
		}
		fast = append(fast, ourScan(r20, 1, 10000))
	}
	want := nuts[0].found()
	fmt.Printf("  /20 (4,094 addresses), -t 1           run 1     run 2   found\n")
	row := func(name string, runs []scanRun) {
		fmt.Printf("    %-32s %6.2f s  %6.2f s   %s\n", name, runs[0].secs(), runs[1].secs(), sameAs(runs, want))
	}
	row("Debian nut-scanner", nuts)
	row(fmt.Sprintf("powerchain (default %d/s)", scan.DefaultRate), ours)
	row("powerchain --rate 10000", fast)
	fmt.Printf("    NUT/powerchain: %.1f at %d/s, %.1f at 10,000/s (means of the two runs)\n",
		mean(nuts)/mean(ours), scan.DefaultRate, mean(nuts)/mean(fast))
	for _, r := range append(ours, fast...) {
		if r.answered != 2 {
			fmt.Printf("    LOST: %s\n", r.summary)
		}
	}

	n5, o5 := nutScan(r20, 5), ourScan(r20, 5, scan.DefaultRate)
	fmt.Printf("  /20 with NUT's default -t 5: nut-scanner %.2f s, powerchain %.2f s (ratio %.1f); found: %s\n",
		n5.secs(), o5.secs(), n5.secs()/o5.secs(), sameAs([]scanRun{n5, o5}, want))

	r16 := ourScan("10.99.0.0/16", 1, scan.DefaultRate)
	fmt.Printf("  /16 (65,534 addresses), -t 1, powerchain at %d/s: %.2f s; found: %s\n    %s\n",
		scan.DefaultRate, r16.secs(), sameAs([]scanRun{r16}, want), r16.summary)

	// The knee: every address of the /20 answers.
	agents.Stop()
	ns.Run(b, "nft", "flush set inet pcscan open")
	ns.Run(b, "nft", "add element inet pcscan open { "+r20+" }")
	resp := startResponder(b, ns)
	fmt.Printf("  loss knee: the /20 answering at every address (one responder in the namespace), v2c, -t 1;\n" +
		"  drops: receive buffers full in the namespace; backlog: the loopback's queue (whole machine)\n")
	fmt.Printf("    %9s  %9s  %8s  %9s  %5s  %5s  %6s  %8s  %s\n", "--rate", "sent at/s", "time", "answered", "late", "lost", "drops", "backlog", "responder got")
	var lossless, lossy, fastest int
	for _, rate := range []int{scan.DefaultRate, 5000, 10000, 20000, 50000, 100000, 200000, 500000, 1000000} {
		drops, backlog := udpDrops(b, ns), backlogDrops(b)
		got := resp.requests.Load()
		r := ourScan(r20, 1, rate, "--snmp_version", "v2c")
		lost := 4094 - r.answered
		fastest = max(fastest, r.sendRate)
		fmt.Printf("    %9d  %9d  %6.2f s  %9d  %5d  %5d  %6d  %8d  %d\n", rate, r.sendRate, r.secs(), r.answered, r.late, lost,
			udpDrops(b, ns)-drops, backlogDrops(b)-backlog, resp.requests.Load()-got)
		if lost > 0 {
			lossy = rate
			break
		}
		lossless = rate
	}
	switch {
	case lossy == 0:
		fmt.Printf("    no answer lost up to --rate %d (sent at up to %d packets/s)\n", lossless, fastest)
	default:
		fmt.Printf("    knee: no answer lost at %d packets/s, answers lost at %d\n", lossless, lossy)
	}
}

// scanRun is one scanner process's run.
type scanRun struct {
	elapsed  time.Duration
	devs     []scan.Device
	summary  string // powerchain's -D line
	answered int
	late     int
	sendRate int // the sweep's requests per second, as sent
}

func (r scanRun) secs() float64 { return r.elapsed.Seconds() }

// found lists the SNMP devices as "mibs@port", sorted.
func (r scanRun) found() string {
	var out []string
	for _, d := range r.devs {
		if d.Bus == scan.BusSNMP {
			out = append(out, d.Get("mibs")+"@"+d.Port)
		}
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

func mean(runs []scanRun) float64 {
	var s float64
	for _, r := range runs {
		s += r.secs()
	}
	return s / float64(len(runs))
}

// sameAs is want when every run found it, else what each found.
func sameAs(runs []scanRun, want string) string {
	var diff []string
	for i, r := range runs {
		if f := r.found(); f != want {
			diff = append(diff, fmt.Sprintf("run %d: %q", i+1, f))
		}
	}
	if len(diff) == 0 {
		return want
	}
	return "DIFFERENT from NUT's " + want + ": " + strings.Join(diff, "; ")
}

var summaryLine = regexp.MustCompile(`SNMP: \d+ addresses in [\d.]+ s: (\d+) answered \((\d+) late\), .* \((\d+)/s\); .*`)

// runScan runs a scanner in the namespace and reads its parsable output
// (and powerchain's -D summary).
func runScan(b *testing.B, ns *netnstest.NS, name string, args ...string) scanRun {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := ns.Command(ctx, name, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	r := scanRun{elapsed: time.Since(start), devs: parseParsable(out.String())}
	if err != nil {
		b.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out.String(), errb.String())
	}
	if m := summaryLine.FindStringSubmatch(errb.String()); m != nil {
		r.summary = m[0]
		r.answered, _ = strconv.Atoi(m[1])
		r.late, _ = strconv.Atoi(m[2])
		r.sendRate, _ = strconv.Atoi(m[3])
	}
	return r
}

// udpDrops is the namespace's count of datagrams dropped for a full
// receive buffer.
func udpDrops(b *testing.B, ns *netnstest.NS) int {
	b.Helper()
	out, err := ns.Command(context.Background(), "nstat", "-asz", "UdpRcvbufErrors").Output()
	if err != nil {
		b.Fatalf("nstat: %v", err)
	}
	f := strings.Fields(string(out))
	for i, w := range f {
		if w == "UdpRcvbufErrors" && i+1 < len(f) {
			n, _ := strconv.Atoi(f[i+1])
			return n
		}
	}
	return 0
}

// backlogDrops is the machine's count of packets dropped because a
// CPU's input backlog (loopback's queue too) was full.
func backlogDrops(b *testing.B) int {
	b.Helper()
	data, err := os.ReadFile("/proc/net/softnet_stat")
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if f := strings.Fields(line); len(f) > 1 {
			v, _ := strconv.ParseInt(f[1], 16, 64)
			n += int(v)
		}
	}
	return n
}

// responder answers SNMP GETs at every address of the namespace (one
// socket bound to 0.0.0.0:161, each answer sent from the address asked)
// as a host that is not a power device: sysObjectID is Net-SNMP's Linux
// agent, sysDescr a word, anything else noSuchObject (v2c) or noSuchName
// (v1).
type responder struct {
	requests atomic.Int64
}

func startResponder(b *testing.B, ns *netnstest.NS) *responder {
	b.Helper()
	var c *net.UDPConn
	if err := ns.Do(func() (err error) {
		c, err = net.ListenUDP("udp4", &net.UDPAddr{Port: 161})
		return err
	}); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	c.SetReadBuffer(4 << 20)
	rc, _ := c.SyscallConn()
	rc.Control(func(fd uintptr) { unix.SetsockoptInt(int(fd), unix.IPPROTO_IP, unix.IP_PKTINFO, 1) })
	r := &responder{}
	for range 2 {
		go r.serve(c)
	}
	return r
}

func (r *responder) serve(c *net.UDPConn) {
	buf, oob := make([]byte, 2048), make([]byte, 256)
	dec := &gosnmp.GoSNMP{Version: gosnmp.Version2c}
	for {
		n, oobn, _, from, err := c.ReadMsgUDPAddrPort(buf, oob)
		if err != nil {
			return
		}
		r.requests.Add(1)
		req, err := dec.SnmpDecodePacket(buf[:n])
		if err != nil || req.PDUType != gosnmp.GetRequest {
			continue
		}
		resp := &gosnmp.SnmpPacket{Version: req.Version, Community: req.Community, PDUType: gosnmp.GetResponse, RequestID: req.RequestID}
		for i, v := range req.Variables {
			switch strings.TrimPrefix(v.Name, ".") {
			case mib.SysObjectID:
				resp.Variables = append(resp.Variables, gosnmp.SnmpPDU{Name: v.Name, Type: gosnmp.ObjectIdentifier, Value: ".1.3.6.1.4.1.8072.3.2.10"})
			case mib.SysDescr:
				resp.Variables = append(resp.Variables, gosnmp.SnmpPDU{Name: v.Name, Type: gosnmp.OctetString, Value: []byte("responder")})
			default:
				if req.Version == gosnmp.Version1 {
					resp.Error, resp.ErrorIndex = gosnmp.NoSuchName, uint8(i+1)
					resp.Variables = req.Variables
					goto send
				}
				resp.Variables = append(resp.Variables, gosnmp.SnmpPDU{Name: v.Name, Type: gosnmp.NoSuchObject})
			}
		}
	send:
		out, err := resp.MarshalMsg()
		if err != nil {
			continue
		}
		// Answer from the address asked (IP_PKTINFO's destination).
		var reply []byte
		if msgs, err := unix.ParseSocketControlMessage(oob[:oobn]); err == nil {
			for _, m := range msgs {
				if m.Header.Level == unix.IPPROTO_IP && m.Header.Type == unix.IP_PKTINFO && len(m.Data) >= 12 {
					info := unix.Inet4Pktinfo{}
					copy(info.Spec_dst[:], m.Data[8:12])
					reply = unix.PktInfo4(&info)
				}
			}
		}
		c.WriteMsgUDPAddrPort(out, reply, from)
	}
}
