package console

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"testing"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/nut"
)

// rackSnapshot is the example rack on one server, with the real power
// each device publishes (none where w is "").
func rackSnapshot(w map[string]string) *Snapshot {
	s := &Snapshot{Graph: chain.NewGraph()}
	add := func(name, typ, parent, host, wvar string) {
		d := &Device{Source: "h:3493", Name: name, Vars: map[string]string{"device.type": typ, "ups.status": "OL", "device.parent": parent}}
		if v := w[name]; v != "" {
			d.Vars[wvar] = v
		}
		if v := w[name+"/outlets"]; v != "" {
			for i := 1; i <= 3; i++ {
				d.Vars[fmt.Sprintf("outlet.%d.realpower", i)] = v
			}
		}
		s.Devices = append(s.Devices, d)
		p, _ := nut.ParseParent(parent)
		n := &chain.Node{ID: d.ID(), Name: name, Server: "h:3493", Type: typ, Status: "OL", Host: host, Parent: p, Outlets: map[int]string{1: "on", 2: "on", 3: "on"}}
		if !p.IsMains() {
			n.ParentID = p.Device + "@h:3493"
		}
		s.Graph.Add(n)
	}
	add("ups1", "ups", "main", "", "ups.realpower")
	add("ups2", "ups", "main", "", "ups.realpower")
	add("pdu1", "pdu", "ups1", "", "input.realpower")
	add("pdu2", "pdu", "ups2", "", "input.realpower")
	for i := 1; i <= 3; i++ {
		add(fmt.Sprintf("srv%d-psu1", i), "psu", fmt.Sprintf("pdu1:outlet%d", i), fmt.Sprintf("srv%d", i), "ups.realpower")
		add(fmt.Sprintf("srv%d-psu2", i), "psu", fmt.Sprintf("pdu2:outlet%d", i), fmt.Sprintf("srv%d", i), "ups.realpower")
	}
	s.Loads = s.Graph.Loads(nil)
	s.stamp(nil)
	s.derive(nil, map[string]Place{"h:3493": {Site: "A", Rack: "1"}})
	return s
}

// TestPowerCountedOnce: each watt once — a chain is read at its root, or
// at the nearest readings below a root without one; a site is the sum
// of its chains; a host the sum of its supplies, or of the outlets
// feeding them; a device's share is of its root.
func TestPowerCountedOnce(t *testing.T) {
	psus := map[string]string{"srv1-psu1": "190", "srv1-psu2": "180", "srv2-psu1": "200", "srv2-psu2": "210", "srv3-psu1": "100", "srv3-psu2": "120"}
	with := func(extra map[string]string, base map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	for _, tc := range []struct {
		name          string
		watts         map[string]string
		site          float64
		chains        map[string]string // root: watts via
		srv1          string            // watts via
		shareSrv1PSU1 float64
		shareSrv1     float64 // of both chains
	}{
		{"every level reads", with(map[string]string{"ups1": "620", "ups2": "540", "pdu1": "600", "pdu2": "520"}, psus), 1160,
			map[string]string{"ups1": "620 ups.realpower", "ups2": "540 ups.realpower"}, "370 supplies", 190.0 / 620, 370.0 / 1160},
		{"UPSes read nothing: the PDUs", with(map[string]string{"pdu1": "600", "pdu2": "520"}, psus), 1120,
			map[string]string{"ups1": "600 below", "ups2": "520 below"}, "370 supplies", 190.0 / 600, 370.0 / 1120},
		{"only the supplies read", psus, 1000,
			map[string]string{"ups1": "490 below", "ups2": "510 below"}, "370 supplies", 190.0 / 490, 370.0 / 1000},
		{"supplies read nothing: the outlets", map[string]string{"ups1": "600", "ups2": "500", "pdu1/outlets": "150", "pdu2/outlets": "140"}, 1100,
			map[string]string{"ups1": "600 ups.realpower", "ups2": "500 ups.realpower"}, "290 outlets", 0, 290.0 / 1100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := rackSnapshot(tc.watts).Power()
			if len(p.Sites) != 1 || p.Sites[0].Watts != tc.site || p.Sites[0].Name != "A" {
				t.Errorf("sites: %+v, want A %g W", p.Sites, tc.site)
			}
			for _, c := range p.Chains {
				name := c.Name[:len(c.Name)-len("@h:3493")]
				if got := fmt.Sprintf("%g %s", c.Watts, c.Via); got != tc.chains[name] {
					t.Errorf("chain %s: %s, want %s", name, got, tc.chains[name])
				}
			}
			for _, h := range p.Hosts {
				if h.Name == "srv1" && fmt.Sprintf("%g %s", h.Watts, h.Via) != tc.srv1 {
					t.Errorf("host srv1: %g %s, want %s", h.Watts, h.Via, tc.srv1)
				}
				if h.Name == "srv1" && (len(h.Roots) != 2 || math.Abs(h.Share-tc.shareSrv1) > 1e-9) {
					t.Errorf("host srv1: share %g of %v, want %g of both UPSes", h.Share, h.Roots, tc.shareSrv1)
				}
			}
			for _, d := range p.Devices {
				if d.Name == "srv1-psu1" && (d.Share-tc.shareSrv1PSU1 > 1e-9 || tc.shareSrv1PSU1-d.Share > 1e-9) {
					t.Errorf("srv1-psu1's share %g of %s, want %g", d.Share, d.Roots, tc.shareSrv1PSU1)
				}
			}
		})
	}
}

// TestAlertsBanner: the banner names what is wrong, worst first, and a
// fleet where nothing is has none.
func TestAlertsBanner(t *testing.T) {
	s := rackSnapshot(map[string]string{})
	if len(s.fleet.alerts) != 0 || s.fleet.total.Worst() != "ok" {
		t.Errorf("a healthy rack: %+v", s.fleet.alerts)
	}
	// A snapshot's devices never change: the next one has new ones.
	next := *s
	next.Devices = slices.Clone(s.Devices)
	next.Graph = &chain.Graph{Nodes: maps.Clone(s.Graph.Nodes)}
	change := func(name string, f func(*Device, *chain.Node)) {
		i := slices.IndexFunc(next.Devices, func(d *Device) bool { return d.Name == name })
		d := newDevice("h:3493", name, "", maps.Clone(next.Devices[i].Vars))
		n := *next.Graph.Nodes[d.ID()]
		f(d, &n)
		next.Devices[i], next.Graph.Nodes[d.ID()] = d, &n
	}
	change("ups1", func(d *Device, n *chain.Node) {
		d.Vars["ups.status"], d.Vars["battery.charge"], n.Status = "OB DISCHRG", "64", "OB DISCHRG"
	})
	change("ups2", func(d *Device, n *chain.Node) { d.Vars["ups.status"] = "OL OVER" })
	change("pdu2", func(d *Device, n *chain.Node) { d.Stale, n.Stale = true, true })
	next.Loads = next.Graph.Loads(nil)
	prev := s
	next.stamp(prev)
	next.derive(prev, nil)
	var got []string
	for _, a := range next.fleet.alerts {
		got = append(got, fmt.Sprintf("%s %s %d", a.Class, a.What, len(a.Items)))
	}
	want := "[bad Loads at risk (no healthy supply path) 3 bad Overloaded 1 warn On battery 1 stale No fresh data 1]"
	if fmt.Sprint(got) != want {
		t.Errorf("banner %v\nwant %s", got, want)
	}
	if next.alertsSince != next.Version {
		t.Errorf("alerts changed in %d, now %d", next.alertsSince, next.Version)
	}
}
