package scan

import (
	"context"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestRange(t *testing.T) {
	for _, tc := range []struct {
		start, end, cidr string
		limit            int
		n                int
		first, last      string
		err              string
	}{
		{cidr: "127.0.0.0/24", limit: MaxHosts, n: 254, first: "127.0.0.1", last: "127.0.0.254"},
		{cidr: "127.0.0.8/30", limit: MaxHosts, n: 2, first: "127.0.0.9", last: "127.0.0.10"},
		{cidr: "127.0.0.9/32", limit: MaxHosts, n: 1, first: "127.0.0.9", last: "127.0.0.9"},
		{cidr: "127.0.0.5/24", limit: MaxHosts, n: 254, first: "127.0.0.1"}, // host bits ignored
		{start: "127.0.0.20", end: "127.0.0.10", limit: MaxHosts, n: 11, first: "127.0.0.10", last: "127.0.0.20"},
		{start: "127.0.0.3", limit: MaxHosts, n: 1, first: "127.0.0.3", last: "127.0.0.3"},
		{start: "::1", end: "::3", limit: MaxHosts, n: 3, first: "::1", last: "::3"},
		{cidr: "10.0.0.0/8", limit: MaxHosts, err: "more than 65536"},
		{cidr: "10.0.0.0/16", limit: MaxHosts, n: 65534, first: "10.0.0.1", last: "10.0.255.254"},
		{cidr: "10.0.0.0/15", limit: MaxHosts, err: "more than 65536"},
		{cidr: "2001:db8::/32", limit: MaxHosts, err: "more than"},
		{start: "127.0.0.1", end: "::1", limit: MaxHosts, err: "different address families"},
		{cidr: "127.0.0.0/33", limit: MaxHosts, err: "-m"},
		{start: "nonsense", limit: MaxHosts, err: "-s"},
		{limit: MaxHosts, err: "no addresses"},
	} {
		got, err := Range(tc.start, tc.end, tc.cidr, tc.limit)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%+v: error %v, want %q", tc, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%+v: %v", tc, err)
			continue
		}
		if len(got) != tc.n || got[0].String() != tc.first || (tc.last != "" && got[len(got)-1].String() != tc.last) {
			t.Errorf("%+v: %d addresses %s..%s", tc, len(got), got[0], got[len(got)-1])
		}
	}
}

func TestFormats(t *testing.T) {
	devs := []Device{
		{Bus: BusSNMP, Driver: "snmp-ups", Port: "127.0.0.11", Desc: `AP8641 "rack" \ 1`, Options: []Option{{"mibs", "apc_pdu"}, {"community", "public"}},
			Warnings: []string{"guessed"}},
		{Bus: BusUSB, Driver: "usbhid-ups", Port: "auto", Options: []Option{{"vendorid", "051D"}}},
	}
	var conf, pars, js strings.Builder
	WriteUPSConf(&conf, devs)
	WriteParsable(&pars, devs)
	WriteJSON(&js, devs)
	wantConf := "# WARNING: guessed\n[nutdev1]\n\tdriver = \"snmp-ups\"\n\tport = \"127.0.0.11\"\n\tdesc = \"AP8641 \\\"rack\\\" \\\\ 1\"\n\tmibs = \"apc_pdu\"\n\tcommunity = \"public\"\n" +
		"[nutdev2]\n\tdriver = \"usbhid-ups\"\n\tport = \"auto\"\n\tvendorid = \"051D\"\n"
	if conf.String() != wantConf {
		t.Errorf("ups.conf form:\n%s\nwant:\n%s", conf.String(), wantConf)
	}
	wantPars := "SNMP:driver=\"snmp-ups\",port=\"127.0.0.11\",desc=\"AP8641 \\\"rack\\\" \\\\ 1\",mibs=\"apc_pdu\",community=\"public\"\nUSB:driver=\"usbhid-ups\",port=\"auto\",vendorid=\"051D\"\n"
	if pars.String() != wantPars {
		t.Errorf("parsable form:\n%s\nwant:\n%s", pars.String(), wantPars)
	}
	if !strings.Contains(js.String(), `"mibs"`) {
		t.Errorf("json: %s", js.String())
	}
}

func TestUSBAndSimulation(t *testing.T) {
	usb, err := USB("../usbups/testdata/sysfs")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	WriteParsable(&b, usb)
	want := `USB:driver="usbhid-ups",port="auto",vendorid="051D",productid="0002",product="Back-UPS ES 700G FW:871.O2 .I USB FW:O2",serial="5B1234T56789",vendor="American Power Conversion",bus="001"
USB:driver="usbhid-ups",port="auto",vendorid="0463",productid="FFFF",product="Ellipse ECO",vendor="EATON",bus="001"
USB:driver="nutdrv_qx",port="auto",vendorid="0665",productid="5161",product="USB to Serial",bus="002"
`
	if b.String() != want {
		t.Errorf("USB:\n%s\nwant:\n%s", b.String(), want)
	}
	dir := t.TempDir()
	for _, f := range []string{"ups1.seq", "pdu.dev", "notes.txt"} {
		os.WriteFile(filepath.Join(dir, f), []byte("ups.status: OL\n"), 0o644)
	}
	os.Mkdir(filepath.Join(dir, "dir.dev"), 0o755)
	sim, err := Simulation(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(sim) != 2 || sim[0].Port != "pdu.dev" || sim[1].Port != "ups1.seq" || sim[0].Driver != "dummy-ups" {
		t.Errorf("simulation: %+v", sim)
	}
}

// TestCancelledScanKeepsFindings: a scan interrupted midway returns what
// the finished probes found, and starts no new probe.
func TestCancelledScanKeepsFindings(t *testing.T) {
	hosts, _ := Range("", "", "127.0.0.0/24", MaxHosts)
	ctx, cancel := context.WithCancel(context.Background())
	var started atomic.Int32
	devs := each(ctx, hosts, Options{Threads: 4}, func(ctx context.Context, h netip.Addr) []Device {
		started.Add(1)
		if h.As4()[3] == 10 {
			cancel()
		}
		if h.As4()[3] <= 10 {
			return []Device{{Port: h.String()}}
		}
		time.Sleep(time.Millisecond)
		return nil
	})
	if len(devs) < 9 {
		t.Errorf("%d devices kept after the interruption", len(devs))
	}
	if n := started.Load(); n > 40 {
		t.Errorf("%d probes started after a cancel at the 10th", n)
	}
}

// TestNetXML: cards answering <SCAN_REQUEST/> on UDP (a responder in the
// test: no NetXML card runs here) are listed as netxml-ups; an ePDU, a
// garbage answer and a silent host are not.
func TestNetXML(t *testing.T) {
	answers := map[string]string{
		"127.0.0.51": `<?xml version="1.0" encoding="UTF-8"?><SCAN_ANSWER><DEVICE name="ups-rack3" type="Eaton 9PX 3000" version="3.0"/></SCAN_ANSWER>`,
		"127.0.0.52": `<?xml version="1.0"?><SCAN_ANSWER><DEVICE class="DEV.PDU" type="ePDU G3"/></SCAN_ANSWER>`,
		"127.0.0.53": `<<<not xml`,
	}
	var port int
	for ip, answer := range answers {
		pc, err := net.ListenPacket("udp", ip+":"+strconv.Itoa(port))
		if err != nil {
			t.Fatal(err)
		}
		port = pc.LocalAddr().(*net.UDPAddr).Port
		defer pc.Close()
		go func() {
			buf := make([]byte, 512)
			for {
				n, from, err := pc.ReadFrom(buf)
				if err != nil {
					return
				}
				if string(buf[:n]) == "<SCAN_REQUEST/>" {
					pc.WriteTo([]byte(answer), from)
				}
			}
		}()
	}
	hosts, _ := Range("127.0.0.50", "127.0.0.54", "", MaxHosts)
	devs := NetXML(context.Background(), hosts, NetXMLOptions{Options: Options{Timeout: time.Second}, Port: port})
	if len(devs) != 1 || devs[0].Port != "http://127.0.0.51" || devs[0].Desc != "Eaton 9PX 3000" || devs[0].Driver != "netxml-ups" {
		t.Errorf("NetXML: %+v", devs)
	}
}
