//go:build linux

package scan_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/internal/netnstest"
	"github.com/powerchain/powerchain/internal/snmptest"
	"github.com/powerchain/powerchain/scan"
)

// The namespace tests model a network as the field has it: most
// addresses of a range silent (a firewall drops what is sent to them),
// some refusing (a closed port answers with ICMP), a few agents. The
// scan runs inside the namespace (the test binary again, or powerchain
// in the benchmark); the agents are Debian's snmpsimd, started there.

// silentNet makes a namespace holding prefix (address/bits, the address
// the scanner's own) on its loopback, so that every address of it is
// local; its firewall (table inet pcscan) drops everything sent to the
// prefix except to the addresses of its set "open": the scanner's, the
// agents' and those given (addresses or ranges "a-b", which refuse:
// their closed ports answer with ICMP). snmpsimd serves the agents'
// recordings (address → recording name) there; it is returned.
func silentNet(t testing.TB, prefix string, open []string, agents map[string]string) (*netnstest.NS, *snmptest.Agent) {
	t.Helper()
	ns := netnstest.NewNS(t, "scan")
	ns.Run(t, "ip", "addr", "add", prefix, "dev", "lo")
	scanner, _, _ := strings.Cut(prefix, "/")
	open = append([]string{scanner}, open...)
	sims := map[string][]byte{}
	for addr, rec := range agents {
		open = append(open, addr)
		b, err := os.ReadFile("../testdata/snmprec/" + rec + ".snmprec")
		if err != nil {
			t.Fatal(err)
		}
		sims[addr+":161"] = b
	}
	p := netip.MustParsePrefix(prefix).Masked()
	ns.Firewall(t, fmt.Sprintf(`table inet pcscan {
	set open {
		type ipv4_addr; flags interval
		elements = { %s }
	}
	chain input {
		type filter hook input priority 0; policy accept;
		ip daddr %s ip daddr != @open drop
	}
}
`, strings.Join(open, ", "), p))
	return ns, snmptest.SimHostsIn(t, ns, sims)
}

// busResult is what the child scan reports for one bus.
type busResult struct {
	Progress scan.Progress
	Devices  []scan.Device
}

// TestScanSilentNamespace: a /24 in a namespace of its own, 231
// addresses silent, 20 refusing, two SNMP agents: every bus's scan ends,
// with a result for every address, and the SNMP scan finds both agents
// and nothing else; NUT, NetXML and IPMI find nothing and end too. (Not
// timed: the scan's speed is the benchmark's business.)
func TestScanSilentNamespace(t *testing.T) {
	ns, _ := silentNet(t, "10.200.7.1/24", []string{"10.200.7.100-10.200.7.119"}, map[string]string{"10.200.7.10": "apc-ap8641", "10.200.7.20": "eaton-9px-partial"})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := ns.Command(ctx, os.Args[0], "-test.run=^TestScanChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "PC_SCAN_CHILD=10.200.7.0/24")
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("the scan in the namespace: %v (context: %v)\n%s\n%s", err, ctx.Err(), out.String(), stderr.String())
	}
	results := map[string]busResult{}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var r busResult
		if strings.HasPrefix(sc.Text(), "{") && json.Unmarshal(sc.Bytes(), &r) == nil {
			results[r.Progress.Bus] = r
		}
	}
	for _, bus := range []string{scan.BusSNMP, scan.BusNUT, scan.BusXML, scan.BusIPMI} {
		r, ok := results[bus]
		p := r.Progress
		t.Logf("%s: %d addresses in %v: %d answered, %d refused, %d silent, %d sent, %d found",
			bus, p.Total, p.Elapsed.Round(time.Millisecond), p.Answered, p.Refused, p.Silent, p.Sent, p.Found)
		switch {
		case !ok:
			t.Errorf("%s: no result\n%s", bus, out.String())
		case !p.Final || p.Total != 254 || p.Done != 254 || p.Answered+p.Refused+p.Silent != 254:
			t.Errorf("%s: not every address has a result: %+v", bus, p)
		case p.Silent < 231:
			t.Errorf("%s: %d silent addresses, the firewall drops 231: %+v", bus, p.Silent, p)
		}
	}
	snmp := results[scan.BusSNMP]
	var b strings.Builder
	scan.WriteParsable(&b, snmp.Devices)
	if snmp.Progress.Answered != 2 || snmp.Progress.Found != 2 || len(snmp.Devices) != 2 ||
		!strings.Contains(b.String(), `port="10.200.7.10",desc="AP8641"`) || !strings.Contains(b.String(), `port="10.200.7.20"`) {
		t.Errorf("SNMP: %+v\n%s", snmp.Progress, b.String())
	}
	for _, bus := range []string{scan.BusNUT, scan.BusXML, scan.BusIPMI} {
		if r := results[bus]; len(r.Devices) != 0 || r.Progress.Answered != 0 {
			t.Errorf("%s found %+v (%+v)", bus, r.Devices, r.Progress)
		}
	}
}

// TestScanChild is the scan TestScanSilentNamespace runs inside its
// namespace (it does nothing otherwise): every network bus over the
// range, one JSON line per bus with its final progress and devices. The
// SNMP agents may be slow under a loaded machine: three tries each.
func TestScanChild(t *testing.T) {
	cidr := os.Getenv("PC_SCAN_CHILD")
	if cidr == "" {
		t.Skip("run by TestScanSilentNamespace inside its namespace")
	}
	hosts, err := scan.Range("", "", cidr, scan.MaxHosts)
	if err != nil {
		t.Fatal(err)
	}
	var last scan.Progress
	o := scan.Options{Timeout: time.Second, Progress: func(p scan.Progress) { last = p }}
	ctx := context.Background()
	emit := func(devs []scan.Device) {
		b, _ := json.Marshal(busResult{Progress: last, Devices: devs})
		fmt.Printf("%s\n", b)
	}
	snmp := o
	snmp.Retries = 2
	emit(scan.SNMP(ctx, hosts, scan.SNMPOptions{Options: snmp}))
	emit(scan.NUT(ctx, hosts, scan.NUTOptions{Options: o}))
	emit(scan.NetXML(ctx, hosts, scan.NetXMLOptions{Options: o}))
	emit(scan.IPMI(ctx, hosts, scan.IPMIOptions{Options: o, User: "admin", Password: "x"}))
}
