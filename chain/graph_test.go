package chain

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/powerchain/powerchain/nut"
)

// fakeSource serves node lists per server.
type fakeSource map[string][]*Node

func (f fakeSource) Devices(ctx context.Context, server string) ([]*Node, error) {
	nodes, ok := f[server]
	if !ok {
		return nil, errors.New("connection refused")
	}
	var out []*Node
	for _, n := range nodes {
		cp := *n
		cp.Server = server
		out = append(out, &cp)
	}
	return out, nil
}

func node(name, parent, status string, host string, outlets map[int]string) *Node {
	p, err := nut.ParseParent(parent)
	if err != nil {
		panic(err)
	}
	if outlets == nil {
		outlets = map[int]string{}
	}
	return &Node{Name: name, Parent: p, Status: status, Host: host, Outlets: outlets}
}

// rack is the design's example: ups1/ups2 → pdu1/pdu2 → srv1's two PSUs.
func rack(mod func(map[string]*Node)) fakeSource {
	m := map[string]*Node{
		"ups1": node("ups1", "main", "OL", "", nil),
		"ups2": node("ups2", "main", "OL", "", nil),
		"pdu1": node("pdu1", "ups1", "OL", "", map[int]string{1: "on", 2: "on"}),
		"pdu2": node("pdu2", "ups2", "OL", "", map[int]string{1: "on", 2: "on"}),
		"psu1": node("psu1", "pdu1:outlet1@localhost", "OL", "srv1", nil),
		"psu2": node("psu2", "pdu2:outlet1", "OL", "srv1", nil),
		"psu3": node("psu3", "pdu1:outlet2", "OL", "srv2", nil),
	}
	if mod != nil {
		mod(m)
	}
	var list []*Node
	for _, n := range m {
		list = append(list, n)
	}
	return fakeSource{"a:3493": list}
}

func loadsByName(g *Graph, failed map[string]bool) map[string]Load {
	out := map[string]Load{}
	for _, l := range g.Loads(failed) {
		out[l.Name] = l
	}
	return out
}

func TestLoadHealth(t *testing.T) {
	tests := []struct {
		name       string
		mod        func(map[string]*Node)
		srv1, srv2 Health
		why        string // in srv1's first impaired path
	}{
		{"all healthy", nil, Healthy, Healthy, ""},
		{"ups2 on battery low", func(m map[string]*Node) { m["ups2"].Status = "OB DISCHRG LB" }, Degraded, Healthy, "ups2@a:3493: on battery, low"},
		{"design scenario: psu1 faulty and ups2 low", func(m map[string]*Node) {
			m["psu1"].Status = "OFF"
			m["ups2"].Status = "OB LB"
		}, AtRisk, Healthy, "psu1@a:3493: off"},
		{"pdu outlet off though psu says OL", func(m map[string]*Node) { m["pdu1"].Outlets[1] = "off" }, Degraded, Healthy, "pdu1:outlet1@a:3493: outlet is off"},
		{"stale ups", func(m map[string]*Node) { m["ups1"].Stale = true }, Degraded, AtRisk, "no fresh data"},
		{"forced shutdown", func(m map[string]*Node) { m["ups1"].Status = "FSD OL" }, Degraded, AtRisk, "forced shutdown"},
		// NUT's upsmon compares status words without regard to case.
		{"lower-case status words", func(m map[string]*Node) { m["ups2"].Status = "ob lb" }, Degraded, Healthy, "ups2@a:3493: on battery, low"},
		{"unknown parent", func(m map[string]*Node) { m["psu2"] = node("psu2", "ghost", "OL", "srv1", nil) }, Degraded, Healthy, "not on its server"},
		{"cycle", func(m map[string]*Node) {
			m["ups1"] = node("ups1", "pdu1", "OL", "", nil)
		}, Degraded, AtRisk, "loops"},
		{"unreachable server", func(m map[string]*Node) { m["psu2"] = node("psu2", "pdu9@far:3493", "OL", "srv1", nil) }, Degraded, Healthy, "server unreachable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := Discover(context.Background(), []string{"a:3493"}, Options{Source: rack(tt.mod)})
			loads := loadsByName(g, nil)
			if got := loads["srv1"].Health; got != tt.srv1 {
				t.Errorf("srv1 %s, want %s: %+v", got, tt.srv1, loads["srv1"].Paths)
			}
			if got := loads["srv2"].Health; got != tt.srv2 {
				t.Errorf("srv2 %s, want %s: %+v", got, tt.srv2, loads["srv2"].Paths)
			}
			if tt.why != "" {
				found := false
				for _, p := range loads["srv1"].Paths {
					found = found || strings.Contains(p.Why, tt.why)
				}
				if !found {
					t.Errorf("no srv1 path says %q: %+v", tt.why, loads["srv1"].Paths)
				}
			}
		})
	}
}

func TestPathString(t *testing.T) {
	g := Discover(context.Background(), []string{"a:3493"}, Options{Source: rack(nil)})
	p := g.PathOf("psu1@a:3493", nil)
	if got, want := p.String(), "psu1@a:3493 -> pdu1:outlet1@a:3493 -> ups1@a:3493 -> main"; got != want {
		t.Errorf("path %q, want %q", got, want)
	}
	if got, want := p.Format("a:3493"), "psu1 -> pdu1:outlet1 -> ups1 -> main"; got != want {
		t.Errorf("path %q, want %q", got, want)
	}
}

func TestWhatIf(t *testing.T) {
	g := Discover(context.Background(), []string{"a:3493"}, Options{Source: rack(nil)})
	if got := g.WhatIf("ups1@a:3493"); len(got) != 1 || got[0].Name != "srv2" {
		t.Errorf("what if ups1 fails: %+v (want srv2 only: srv1 keeps ups2)", got)
	}
	g = Discover(context.Background(), []string{"a:3493"}, Options{Source: rack(func(m map[string]*Node) { m["ups2"].Status = "OB LB" })})
	got := g.WhatIf("ups1@a:3493")
	var names []string
	for _, l := range got {
		names = append(names, l.Name)
	}
	if strings.Join(names, ",") != "srv1,srv2" {
		t.Errorf("what if ups1 fails while ups2 is low: %v", names)
	}
}

// names lists the loads' names, comma-separated.
func names(ls []Load) string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Name)
	}
	return strings.Join(out, ",")
}

func TestImpact(t *testing.T) {
	tests := []struct {
		name                      string
		mod                       func(map[string]*Node)
		device                    string
		lost, degraded, atRiskNow string
	}{
		{"healthy rack, ups1", nil, "ups1", "srv2", "srv1", ""},
		{"healthy rack, pdu2", nil, "pdu2", "", "srv1", ""},
		// srv1 already has no healthy path: whatif says so, and what the
		// failure adds.
		{"srv1 at risk, ups1", func(m map[string]*Node) {
			m["psu1"].Status = "OFF"
			m["ups2"].Status = "OB LB"
		}, "ups1", "srv2", "", "srv1"},
		{"srv1 at risk, ups2", func(m map[string]*Node) {
			m["psu1"].Status = "OFF"
			m["ups2"].Status = "OB LB"
		}, "ups2", "", "", "srv1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := Discover(context.Background(), []string{"a:3493"}, Options{Source: rack(tt.mod)})
			im := g.Impact(tt.device + "@a:3493")
			if got := names(im.Lost); got != tt.lost {
				t.Errorf("lost %q, want %q", got, tt.lost)
			}
			if got := names(im.Degraded); got != tt.degraded {
				t.Errorf("degraded %q, want %q", got, tt.degraded)
			}
			if got := names(im.AtRisk); got != tt.atRiskNow {
				t.Errorf("at risk now %q, want %q", got, tt.atRiskNow)
			}
		})
	}
}

func TestDiscoverAcrossServersAndLimit(t *testing.T) {
	src := fakeSource{
		"a:1": {node("psu1", "pdu1:1@b:2", "OL", "", nil)},
		"b:2": {node("pdu1", "ups1@c:3", "OL", "", map[int]string{1: "on"})},
		"c:3": {node("ups1", "main", "OL", "", nil)},
	}
	g := Discover(context.Background(), []string{"a:1"}, Options{Source: src})
	if p := g.PathOf("psu1@a:1", nil); p.Health != Healthy || len(p.Links) != 3 {
		t.Errorf("cross-server path: %+v", p)
	}
	// Canonical names across servers: device[:outlet][@host[:port]].
	if got, want := g.PathOf("psu1@a:1", nil).Format("a:1"), "psu1 -> pdu1:1@b:2 -> ups1@c:3 -> main"; got != want {
		t.Errorf("cross-server path %q, want %q", got, want)
	}
	g = Discover(context.Background(), []string{"a:1"}, Options{Source: src, MaxServers: 2})
	p := g.PathOf("psu1@a:1", nil)
	if p.Health != Impaired || !strings.Contains(p.Why, "not visited") {
		t.Errorf("hop limit: %+v", p)
	}
	// A path that does not reach the mains ends at the last device known.
	if got, want := p.Format("a:1"), "psu1 -> pdu1:1@b:2 -> ups1@c:3"; got != want {
		t.Errorf("path cut short %q, want %q", got, want)
	}
	// The limit counts servers once: MaxServers servers given are all
	// visited.
	many := fakeSource{}
	var servers []string
	for i := range 40 {
		srv := fmt.Sprintf("h%d:3493", i)
		servers = append(servers, srv)
		many[srv] = []*Node{node("ups1", "main", "OL", "", nil)}
	}
	if g := Discover(context.Background(), servers, Options{Source: many, MaxServers: 40}); len(g.Nodes) != 40 {
		t.Errorf("%d servers of 40 visited with MaxServers 40", len(g.Nodes))
	}
}

func TestUpstreamCut(t *testing.T) {
	tests := []struct {
		name    string
		mod     func(map[string]*Node)
		cut     bool
		why     string
		unknown string
	}{
		{"healthy", nil, false, "", ""},
		{"ups off", func(m map[string]*Node) { m["ups1"].Status = "OFF" }, true, "ups1@a:3493 is off", ""},
		{"ups low on battery", func(m map[string]*Node) { m["ups1"].Status = "OB LB" }, true, "ups1@a:3493 is on battery and low", ""},
		// NUT's upsmon does not count OB LB during a calibration as critical.
		{"ups calibrating", func(m map[string]*Node) { m["ups1"].Status = "OB LB CAL" }, false, "", ""},
		{"ups on battery only", func(m map[string]*Node) { m["ups1"].Status = "OB" }, false, "", ""},
		{"forced shutdown", func(m map[string]*Node) { m["pdu1"].Status = "fsd ol" }, true, "pdu1@a:3493 is in forced shutdown", ""},
		{"outlet off", func(m map[string]*Node) { m["pdu1"].Outlets[1] = "off" }, true, "pdu1:outlet1@a:3493 is off", ""},
		{"stale pdu", func(m map[string]*Node) { m["pdu1"].Stale = true }, false, "", "pdu1@a:3493: no fresh data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := Discover(context.Background(), []string{"a:3493"}, Options{Source: rack(tt.mod)})
			cut, why, unknown := g.UpstreamCut("psu1@a:3493")
			if cut != tt.cut || why != tt.why || unknown != tt.unknown {
				t.Errorf("UpstreamCut = %v, %q, %q; want %v, %q, %q", cut, why, unknown, tt.cut, tt.why, tt.unknown)
			}
		})
	}
}

func TestDeviceHealthWithoutStatus(t *testing.T) {
	tests := []struct {
		name     string
		typ      string
		status   string
		stale    bool
		readings map[string]string
		want     Health
		why      string
	}{
		// APC AP8641 as snmp-ups reports it: an empty ups.status, current
		// and power but no voltage.
		{"pdu, empty status, no voltage", "pdu", "", false, map[string]string{"input.current": "6.60", "input.realpower": "1230"}, Healthy, ""},
		{"pdu, stale", "pdu", "", true, nil, Impaired, "no fresh data"},
		{"pdu with input voltage", "pdu", "", false, map[string]string{"input.voltage": "237.75", "input.voltage.nominal": "230"}, Healthy, ""},
		{"pdu without input voltage", "pdu", "", false, map[string]string{"input.voltage": "0", "input.voltage.nominal": "230"}, Impaired, "no input voltage"},
		{"three phases, one present", "pdu", "", false, map[string]string{"input.L1-N.voltage": "0", "input.L2-N.voltage": "231", "input.L3-N.voltage": "0"}, Healthy, ""},
		{"three phases, none", "pdu", "", false, map[string]string{"input.L1-N.voltage": "0", "input.L2-N.voltage": "0.0", "input.L3-N.voltage": "0"}, Impaired, "no input voltage"},
		{"ats, both inputs", "ats", "", false, map[string]string{"input.1.voltage": "120.1", "input.2.voltage": "119.8", "output.voltage": "120.1"}, Healthy, ""},
		{"ats, other input lost", "ats", "", false, map[string]string{"input.source": "1", "input.1.voltage": "120.1", "input.2.voltage": "0"}, Healthy, ""},
		{"ats, selected input lost", "ats", "", false, map[string]string{"input.source": "2", "input.1.voltage": "120.1", "input.2.voltage": "0"}, Impaired, "selected input 2 has no voltage"},
		{"ats, no output", "ats", "", false, map[string]string{"input.1.voltage": "120", "output.voltage": "0"}, Impaired, "no output voltage"},
		{"psu without status, input present", "psu", "", false, map[string]string{"input.voltage": "229"}, Healthy, ""},
		{"psu without status, input lost", "psu", "", false, map[string]string{"input.voltage": "0"}, Impaired, "no input voltage"},
		{"unreadable voltage says nothing", "pdu", "", false, map[string]string{"input.voltage": "n/a"}, Healthy, ""},
		// A status, when published, decides.
		{"pdu with OL", "pdu", "OL", false, map[string]string{"input.voltage": "0"}, Healthy, ""},
		{"pdu OFF", "pdu", "OFF", false, nil, Impaired, "off"},
		// A UPS (or a device of no type, which NUT takes for a UPS) without
		// status is gone, as for NUT's upsmon.
		{"ups without status", "ups", "", false, map[string]string{"input.voltage": "230"}, Impaired, "no status"},
		{"no type, no status", "", "", false, nil, Impaired, "no status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := &Node{ID: "d@a:3493", Type: tt.typ, Status: tt.status, Stale: tt.stale, Readings: tt.readings}
			h, why := NewGraph().DeviceHealth(n, nil)
			if h != tt.want || why != tt.why {
				t.Errorf("DeviceHealth = %s %q, want %s %q", h, why, tt.want, tt.why)
			}
		})
	}
}

// TestStatuslessPDUInChain: a load behind a PDU that publishes no status
// is healthy while the PDU's data is fresh and the outlet is on, and
// impaired when the outlet is off, the PDU goes stale or loses its input;
// a PDU without input cuts its supplies upstream (monitor).
func TestStatuslessPDUInChain(t *testing.T) {
	pdu := func(m map[string]*Node) {
		m["pdu1"].Status, m["pdu1"].Type = "", "pdu"
		m["pdu1"].Readings = map[string]string{"input.current": "6.6"}
	}
	tests := []struct {
		name string
		mod  func(map[string]*Node)
		psu1 Health
		why  string
		cut  string
	}{
		{"fresh, outlet on", nil, Healthy, "", ""},
		{"outlet off", func(m map[string]*Node) { m["pdu1"].Outlets[1] = "off" }, Impaired, "pdu1:outlet1@a:3493: outlet is off", "pdu1:outlet1@a:3493 is off"},
		{"stale", func(m map[string]*Node) { m["pdu1"].Stale = true }, Impaired, "pdu1@a:3493: no fresh data", ""},
		{"input lost", func(m map[string]*Node) { m["pdu1"].Readings["input.voltage"] = "0" }, Impaired, "pdu1@a:3493: no input voltage", "pdu1@a:3493: no input voltage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := Discover(context.Background(), []string{"a:3493"}, Options{Source: rack(func(m map[string]*Node) {
				pdu(m)
				if tt.mod != nil {
					tt.mod(m)
				}
			})})
			p := g.PathOf("psu1@a:3493", nil)
			if p.Health != tt.psu1 || p.Why != tt.why {
				t.Errorf("path %s %q, want %s %q", p.Health, p.Why, tt.psu1, tt.why)
			}
			if _, why, _ := g.UpstreamCut("psu1@a:3493"); why != tt.cut {
				t.Errorf("UpstreamCut says %q, want %q", why, tt.cut)
			}
		})
	}
}

func TestLastPaths(t *testing.T) {
	tests := []struct {
		name, device, cmd string
		mod               func(map[string]*Node)
		want              string
	}{
		{"redundant: nothing lost", "pdu1", "outlet.1.load.off", nil, ""},
		{"srv1's other path is down", "pdu1", "outlet.1.load.off", func(m map[string]*Node) { m["pdu2"].Outlets[1] = "off" }, "srv1"},
		{"cycle counts as off", "pdu1", "outlet.1.load.cycle", func(m map[string]*Node) { m["ups2"].Status = "OB LB" }, "srv1"},
		{"the other outlet feeds srv2 alone", "pdu1", "outlet.2.load.off", nil, "srv2"},
		{"an outlet nobody draws from", "pdu1", "outlet.7.load.off", nil, ""},
		{"the whole device", "ups1", "load.off", nil, "srv2"},
		{"on cuts nothing", "pdu1", "outlet.2.load.on", nil, ""},
		{"a beeper", "ups1", "beeper.disable", nil, ""},
		{"already at risk is not lost again", "pdu1", "outlet.2.load.off", func(m map[string]*Node) { m["psu3"].Status = "OFF" }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := Discover(context.Background(), []string{"a:3493"}, Options{Source: rack(tt.mod)})
			if got := names(g.LastPaths(tt.device+"@a:3493", tt.cmd)); got != tt.want {
				t.Errorf("LastPaths(%s, %s) = %q, want %q", tt.device, tt.cmd, got, tt.want)
			}
		})
	}
	for cmd, want := range map[string]int{"outlet.12.load.off": 12, "load.off": 0, "outlet.group.1.load.off": -1, "outlet.0.load.off": -1, "outlet.x.load.off": -1} {
		n, ok := CutBy(cmd)
		if !ok {
			n = -1
		}
		if n != want {
			t.Errorf("CutBy(%q) = %d, %v", cmd, n, ok)
		}
	}
}
