package powerwake

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/powerchain/powerchain/internal/ipmitest"
	"github.com/powerchain/powerchain/internal/netnstest"
)

// packet is a magic packet as the listener saw it.
type packet struct {
	at  time.Time
	mac string
}

// listen receives magic packets in namespace ns on WOLPort until the test
// ends, as the network cards of the hosts that are off would.
func listen(t *testing.T, ns string) func() []packet {
	var pc net.PacketConn
	if err := netnstest.Enter(ns, func() error {
		var err error
		pc, err = net.ListenPacket("udp4", fmt.Sprintf(":%d", WOLPort))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	var mu sync.Mutex
	var got []packet
	go func() {
		buf := make([]byte, 1500)
		for {
			n, _, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if mac := MagicMAC(buf[:n]); mac != nil {
				mu.Lock()
				got = append(got, packet{time.Now(), mac.String()})
				mu.Unlock()
			}
		}
	}()
	return func() []packet {
		mu.Lock()
		defer mu.Unlock()
		return append([]packet(nil), got...)
	}
}

// firsts is the first packet of each MAC, in the order they came.
func firsts(ps []packet) []packet {
	seen := map[string]bool{}
	var out []packet
	for _, p := range ps {
		if !seen[p.mac] {
			seen[p.mac] = true
			out = append(out, p)
		}
	}
	return out
}

// TestPowerWakeInNamespaces runs a rack in namespace A — powerchain's
// server with a UPS feeding a PDU whose outlets feed four hosts (db, web
// and app by Wake-on-LAN, bmc through ipmi_sim's chassis and
// nut-ipmipsu), the console, and the monitor of a management host on a
// second UPS with PowerWake — and the hosts' network in namespace B (db
// at 10.77.0.2, whose MAC the monitor learns from its neighbour table;
// a listener for magic packets). The UPS goes on battery and low (the
// hosts are taken down; their chassis go off), the management host's
// monitor restarts, power comes back with the battery below
// POWERWAKECHARGE (nothing is woken), then above it: after POWERWAKEHOLD
// the hosts are woken in the order of the PDU's outlets, POWERWAKEDELAY
// apart, and the console has a WAKE event for each.
func TestPowerWakeInNamespaces(t *testing.T) {
	netnstest.Need(t, ipmitest.Binary, "/usr/bin/curl")
	l := netnstest.New(t, netnstest.Options{})
	sim := ipmitest.StartIn(t, l.A, []ipmitest.PSU{{FRU: 1, Instance: 1, Sensor: 0x60, VoltSensor: 0x62,
		Mfr: "DELTA", Model: "DPS-750AB-1 A", Serial: "5DMLE0ABCDE123", Watts: 750, InputVoltage: 230, Present: true}})
	const hold, delay = 2 * time.Second, 2 * time.Second

	dir := filepath.Join(l.Tmp, "etc")
	state := filepath.Join(l.Tmp, "state")
	lib := filepath.Join(l.Tmp, "lib")
	for _, d := range []string{dir, state, lib} {
		os.MkdirAll(d, 0o755)
	}
	psu := func(name, parent, host string) string {
		return fmt.Sprintf("[%s]\n\tdriver = dummy-ups\n\tport = psu.dev\n\toverride.device.parent = %s\n\toverride.device.host = %s\n", name, parent, host)
	}
	files := map[string]string{
		"ups.dev": "device.type: ups\nups.status: OL\nbattery.charge: 100\ninput.voltage: 230\n",
		"pdu.dev": "device.type: pdu\ninput.voltage: 230\noutlet.1.status: on\noutlet.2.status: on\noutlet.3.status: on\noutlet.4.status: on\n",
		"psu.dev": "device.type: psu\nups.status: OL\n",
		"ups.conf": "[ups1]\n\tdriver = dummy-ups\n\tport = ups.dev\n\toverride.device.parent = main\n" +
			"[ups2]\n\tdriver = dummy-ups\n\tport = ups.dev\n\toverride.device.parent = main\n" +
			"[pdu1]\n\tdriver = dummy-ups\n\tport = pdu.dev\n\toverride.device.parent = ups1\n" +
			psu("app-psu", "pdu1:outlet3", "app") + psu("db-psu", "pdu1:outlet1", "db") + psu("web-psu", "pdu1:outlet2", "web") +
			fmt.Sprintf("[bmc-psu]\n\tdriver = nut-ipmipsu\n\tport = id1@127.0.0.1:%d\n\tusername = %s\n\tpassword = %s\n\tchassis_control = yes\n\tpollinterval = 1\n"+
				"\toverride.device.parent = pdu1:outlet4\n\toverride.device.host = bmc\n", sim.Port, ipmitest.User, ipmitest.Password) +
			psu("mgmt-psu", "ups2", "mgmt"),
		"upsd.conf":  "LISTEN 127.0.0.1 3493\n",
		"upsd.users": "[admin]\n\tpassword = pw\n\tactions = SET\n\tinstcmds = ALL\n[mon]\n\tpassword = pw\n\tupsmon primary\n[waker]\n\tpassword = pw\n\tinstcmds = load.on\n",
		"upsmon.conf": fmt.Sprintf(`MONITOR mgmt-psu@127.0.0.1 1 mon pw primary
MINSUPPLIES 1
POLLFREQ 1
POLLFREQALERT 1
SHUTDOWNCMD "/bin/true"
NOTIFYCMD "%s console-notify --console http://127.0.0.1:8080"
NOTIFYFLAG WAKE SYSLOG+EXEC
NOTIFYFLAG WAKEFAIL SYSLOG+EXEC
POWERWAKE web wol 52:54:00:00:00:02 10.77.0.22
POWERWAKE app wol 52:54:00:00:00:03 10.77.0.23
POWERWAKE db wol auto %s
POWERWAKE bmc ipmi
POWERWAKEUSER waker pw
POWERWAKEDELAY %d
POWERWAKEHOLD %d
POWERWAKECHARGE 50
`, l.Bin, netnstest.AddrB, int(delay/time.Second), int(hold/time.Second)),
	}
	for name, text := range files {
		os.WriteFile(filepath.Join(dir, name), []byte(text), 0o640)
	}
	env := []string{"NUT_CONFPATH=" + dir, "NUT_STATEPATH=" + state, "STATE_DIRECTORY=" + lib}
	l.Start(l.A, "env", append(env, l.Bin, "serve", "--announce", "no")...)
	l.Start(l.A, l.Bin, "console", "-c", dir, "--listen", "127.0.0.1:8080", "--source", "127.0.0.1:3493",
		"--db", filepath.Join(l.Tmp, "console.sqlite"), "--interval", "1")
	upsrw := func(name, value string) {
		t.Helper()
		if out, err := l.Run(l.A, l.Bin, "upsrw", "-s", name+"="+value, "-u", "admin", "-p", "pw", "ups1@127.0.0.1"); err != nil {
			t.Fatalf("upsrw %s=%s: %v\n%s", name, value, err, out)
		}
	}
	l.Eventually(30*time.Second, "the server serves bmc-psu from ipmi_sim", func() bool {
		out, err := l.Run(l.A, l.Bin, "upsc", "bmc-psu@127.0.0.1", "ups.status")
		return err == nil && strings.TrimSpace(out) == "OL"
	})
	packets := listen(t, l.B)
	var vethB net.HardwareAddr
	netnstest.Enter(l.B, func() error {
		i, err := net.InterfaceByName(l.VethB)
		if err == nil {
			vethB = i.HardwareAddr
		}
		return err
	})
	// db talks to the rack (its upsmon would): A's neighbour table
	// learns its MAC.
	if err := netnstest.Enter(l.B, func() error {
		c, err := net.Dial("udp4", netnstest.AddrA+":9999")
		if err != nil {
			return err
		}
		defer c.Close()
		_, err = c.Write([]byte("hello"))
		return err
	}); err != nil {
		t.Fatal(err)
	}

	mon := l.Start(l.A, "env", append(env, l.Bin, "upsmon", "-F")...)
	l.Eventually(20*time.Second, "PowerWake learns db's MAC from the neighbour table", func() bool {
		return strings.Contains(l.Output(mon), "mac="+vethB.String())
	})

	// The outage: the hosts on ups1 go down; their chassis go off.
	upsrw("ups.status", "OB DISCHRG")
	upsrw("battery.charge", "40")
	upsrw("ups.status", "OB LB")
	upsrw("battery.charge", "10")
	l.Eventually(20*time.Second, "the four hosts are taken down by the outage", func() bool {
		return strings.Count(l.Output(mon), "host taken down by the outage") == 4
	})
	if strings.Contains(l.Output(mon), "host=mgmt") {
		t.Errorf("mgmt (on ups2) taken down:\n%s", l.Output(mon))
	}
	sim.SetPower("0")
	upsrw("ups.status", "OFF")
	upsrw("battery.charge", "0")

	// The management host's monitor restarts: it reads who is down from
	// its state file.
	l.Stop(mon)
	b, err := os.ReadFile(filepath.Join(lib, "powerwake.json"))
	var saved saved
	if err == nil {
		err = json.Unmarshal(b, &saved)
	}
	if err != nil || saved.Hosts["db"].MAC != vethB.String() || saved.Hosts["bmc"].Down.IsZero() {
		t.Fatalf("state file: %v\n%s", err, b)
	}
	mon = l.Start(l.A, "env", append(env, l.Bin, "upsmon", "-F")...)
	l.Eventually(20*time.Second, "the new monitor knows the hosts are down", func() bool {
		return strings.Count(l.Output(mon), "host down since the outage") == 4
	})

	// Power back, battery below POWERWAKECHARGE: nobody is woken.
	upsrw("ups.status", "OL CHRG")
	upsrw("input.voltage", "230")
	upsrw("battery.charge", "30")
	time.Sleep(hold + 2*time.Second)
	if ps := packets(); len(ps) > 0 || sim.Power() != "0" {
		t.Fatalf("woken with the battery at 30%%: %v, chassis %s\n%s", ps, sim.Power(), l.Output(mon))
	}
	charged := time.Now()
	upsrw("battery.charge", "60")

	var bmcOn time.Time
	l.Eventually(60*time.Second, "every host woken", func() bool {
		if bmcOn.IsZero() && sim.Power() == "1" {
			bmcOn = time.Now()
		}
		return len(firsts(packets())) == 3 && !bmcOn.IsZero()
	})
	got := firsts(packets())
	order := []string{vethB.String(), "52:54:00:00:00:02", "52:54:00:00:00:03"}
	for i, p := range got {
		if p.mac != order[i] {
			t.Errorf("magic packets for %v, want db %s, web, app (the PDU's outlets 1, 2, 3)", got, vethB)
			break
		}
	}
	times := []time.Time{got[0].at, got[1].at, got[2].at, bmcOn}
	if d := times[0].Sub(charged); d < hold {
		t.Errorf("db woken %s after the battery reached 60%%, before POWERWAKEHOLD (%s)", d, hold)
	}
	for i := 1; i < len(times); i++ {
		// bmcOn is seen by polling the chassis file every 200 ms.
		if d := times[i].Sub(times[i-1]); d < delay-100*time.Millisecond {
			t.Errorf("host %d woken %s after host %d, less than POWERWAKEDELAY (%s)", i+1, d, i, delay)
		}
	}
	t.Logf("woken %s after the battery reached 60%%, then after %s, %s, %s (chassis)", times[0].Sub(charged).Round(time.Millisecond),
		times[1].Sub(times[0]).Round(time.Millisecond), times[2].Sub(times[1]).Round(time.Millisecond), times[3].Sub(times[2]).Round(time.Millisecond))

	// The console has the events.
	l.Eventually(20*time.Second, "the console shows a WAKE event for each host", func() bool {
		out, err := l.Run(l.A, "curl", "-sf", "http://127.0.0.1:8080/api/events?kind=notify")
		if err != nil {
			return false
		}
		var evs []struct{ Device, Message string }
		if json.Unmarshal([]byte(out), &evs) != nil {
			return false
		}
		n := 0
		for _, e := range evs {
			if strings.HasPrefix(e.Message, "WAKE: ") {
				n++
			}
		}
		return n == 4
	})
	if strings.Contains(l.Output(mon), "WAKEFAIL") || strings.Contains(l.Output(mon), "cannot wake") {
		t.Errorf("a wake failed:\n%s", l.Output(mon))
	}
	t.Logf("the restarted monitor's log:\n%s", l.Output(mon))
}
