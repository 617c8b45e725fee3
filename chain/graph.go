// Package chain models the power chain: which device feeds which, across
// hosts, and what follows for the loads when a link fails. A device's
// parent is nut.Parent, read from the variable device.parent.
package chain

import (
	"maps"
	"sort"
	"strconv"
	"strings"

	"github.com/powerchain/powerchain/nut"
)

// Node is one device of the power chain as a NUT server reports it.
type Node struct {
	// ID names the device uniquely across servers: "ups1@host:port".
	ID     string
	Name   string // the device name on its server
	Server string // "host:port" of its server
	Desc   string
	Type   string // device.type: ups, pdu, ats, psu, …
	Status string // ups.status, "" when unknown
	// Host groups the supplies of one machine (device.host); "" when the
	// device stands alone.
	Host string
	// Driver and DriverPort are driver.name and driver.parameter.port:
	// where the device's data comes from (an SNMP agent's address, …).
	Driver, DriverPort string
	Parent             nut.Parent
	// ParentID is the resolved ID of the parent device, "" for mains.
	ParentID string
	// Outlets holds outlet.N.status by outlet number ("on", "off").
	Outlets map[int]string
	// Readings are the variables that tell of the power a device
	// receives and gives (input.voltage, input.N.voltage, input.Lx-N.voltage,
	// input.source, output.voltage, …): the health of a device without
	// ups.status is judged on them (see InputHealth); and battery.charge,
	// which PowerWake waits for.
	Readings map[string]string
	// Stale is true when the server had no fresh data (DATA-STALE,
	// DRIVER-NOT-CONNECTED) or could not be reached.
	Stale bool
	// Err says why the device could not be read or resolved.
	Err string
}

// Health of a device, a supply path or a load.
type Health string

// Health values.
const (
	Healthy  Health = "healthy"
	Impaired Health = "impaired"
	Degraded Health = "degraded" // a load with some, not all, paths impaired
	AtRisk   Health = "at-risk"  // a load with every path impaired
)

// Graph is the power chain: devices by ID and who feeds whom.
type Graph struct {
	Nodes map[string]*Node
}

// NewGraph returns an empty graph.
func NewGraph() *Graph { return &Graph{Nodes: map[string]*Node{}} }

// Add puts a node into the graph.
func (g *Graph) Add(n *Node) { g.Nodes[n.ID] = n }

// IDs lists the node IDs, sorted.
func (g *Graph) IDs() []string {
	ids := make([]string, 0, len(g.Nodes))
	for id := range g.Nodes {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Children lists the nodes fed by id, sorted.
func (g *Graph) Children(id string) []*Node {
	var out []*Node
	for _, n := range g.Nodes {
		if n.ParentID == id {
			out = append(out, n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// DeviceHealth is whether a device itself delivers power. It needs fresh
// data. A device that publishes ups.status is healthy on line (OL, or
// BYPASS) and impaired when OFF, on battery, or in forced shutdown. A
// PDU, ATS or power supply without ups.status (real PDUs and ATSes
// publish none, or an empty one), or whose status holds none of the words
// about power (OL, OB, OFF, BYPASS, FSD, LB: Eaton's ePDUs publish ALARM
// alone), is judged by InputHealth; any other
// device without ups.status is impaired, as NUT's upsmon takes an empty
// status for a device that is gone. failed names devices to treat as
// failed (what-if). Whether the outlet feeding the next device is on is a
// property of the path (PathOf), not of the device.
func (g *Graph) DeviceHealth(n *Node, failed map[string]bool) (Health, string) {
	switch {
	case failed[n.ID]:
		return Impaired, "assumed failed"
	case n.Err != "":
		return Impaired, n.Err
	case n.Stale:
		return Impaired, "no fresh data"
	}
	if n.JudgedByInput() {
		return InputHealth(n.Readings)
	}
	st := nut.ParseStatus(n.Status)
	switch {
	case st.Has(nut.OFF):
		return Impaired, "off"
	case st.Has(nut.FSD):
		return Impaired, "forced shutdown"
	case st.Has(nut.OB | nut.LB):
		return Impaired, "on battery, low"
	case st.Has(nut.OB):
		return Impaired, "on battery"
	case st.IsEmpty():
		return Impaired, "no status"
	case !st.Has(nut.OL) && !st.Has(nut.BYPASS):
		return Impaired, "not on line (" + st.String() + ")"
	}
	return Healthy, ""
}

// powerFlags are the status words that say whether a device delivers
// power; a PDU whose ups.status holds none of them (Eaton's ePDUs publish
// "ALARM" alone) is judged by its input.
const powerFlags = nut.OL | nut.OB | nut.OFF | nut.BYPASS | nut.FSD | nut.LB

// JudgedByInput reports whether the device's health comes from its
// input (InputHealth) rather than from ups.status: a PDU, ATS or power
// supply whose status says nothing about power.
func (n *Node) JudgedByInput() bool {
	return StatusOptional(n.Type) && !nut.ParseStatus(n.Status).HasAny(powerFlags)
}

// StatusOptional reports whether devices of a device.type may publish
// no ups.status: PDUs, ATSes and power supplies, which have no battery
// and whose real SNMP agents have no status to map (NUT's snmp-ups
// publishes an empty one for APC's rack PDUs).
func StatusOptional(deviceType string) bool {
	switch deviceType {
	case "pdu", "ats", "psu":
		return true
	}
	return false
}

// InputHealth judges a device without ups.status by what it says of its
// input, from NUT's variables: impaired when it publishes output.voltage
// and that is zero, when an ATS names its selected input (input.source N)
// and input.N.voltage is zero, or when it publishes input voltages
// (input.voltage, input.N.voltage, input.Lx-N.voltage, input.Lx-Ly.voltage)
// and none is above zero; healthy otherwise — a device that publishes no
// voltage at all (APC's AP8641 reports current and power only) is healthy
// while its data is fresh. A voltage that cannot be read as a number says
// nothing.
func InputHealth(readings map[string]string) (Health, string) {
	volts := func(name string) (float64, bool) {
		v, ok := readings[name]
		if !ok {
			return 0, false
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		return f, err == nil
	}
	if v, ok := volts("output.voltage"); ok && v <= 0 {
		return Impaired, "no output voltage"
	}
	if src := readings["input.source"]; src != "" {
		if v, ok := volts("input." + src + ".voltage"); ok && v <= 0 {
			return Impaired, "selected input " + src + " has no voltage"
		}
	}
	seen, present := 0, 0
	for name := range readings {
		if !isInputVoltage(name) {
			continue
		}
		if v, ok := volts(name); ok {
			seen++
			if v > 0 {
				present++
			}
		}
	}
	if seen > 0 && present == 0 {
		return Impaired, "no input voltage"
	}
	return Healthy, ""
}

// isInputVoltage reports whether a variable is the voltage of an input:
// input.voltage, input.N.voltage (an ATS's inputs), input.Lx-N.voltage
// and input.Lx-Ly.voltage (phases).
func isInputVoltage(name string) bool {
	mid, ok := strings.CutPrefix(name, "input.")
	if !ok {
		return false
	}
	if mid == "voltage" {
		return true
	}
	mid, ok = strings.CutSuffix(mid, ".voltage")
	if !ok || mid == "" || strings.Contains(mid, ".") {
		return false
	}
	if _, err := strconv.Atoi(mid); err == nil {
		return true
	}
	return len(mid) >= 4 && mid[0] == 'L' && strings.Contains(mid, "-")
}

// Link is one step of a supply path: a device and, when the step below
// draws from one of its outlets, that outlet.
type Link struct {
	ID     string `json:"id"`
	Outlet string `json:"outlet,omitempty"`
	Health Health `json:"health"`
	Why    string `json:"why,omitempty"`
}

// Path is a supply path from a device up to the mains.
type Path struct {
	Links  []Link `json:"links"`
	Health Health `json:"health"`
	// Why names the first impaired link and its reason.
	Why string `json:"why,omitempty"`
	// Mains is true when the path reaches the mains; a path that stops
	// at a device that cannot be found or at a loop does not.
	Mains bool `json:"mains"`
}

// Ref names a device of the graph, or one of its outlets, in the syntax
// of device.parent, device[:outlet][@host[:port]]: the ID "pdu1@h:3493"
// with the outlet "outlet1" is "pdu1:outlet1@h:3493". The server is left
// out when it is home.
func Ref(id, outlet, home string) string {
	name, server, _ := strings.Cut(id, "@")
	if outlet != "" {
		name += ":" + outlet
	}
	if server != "" && server != home {
		name += "@" + server
	}
	return name
}

// Refs replaces every ID of the home server in a text (a Why) by the
// device's name alone.
func Refs(text, home string) string {
	if home == "" {
		return text
	}
	return strings.ReplaceAll(text, "@"+home, "")
}

// String writes the path as "psu1@h:3493 -> pdu1:outlet1@h:3493 ->
// ups1@h:3493 -> main".
func (p Path) String() string { return p.Format("") }

// Format writes the path from the device up to its root, each step named
// by Ref with home left out: "psu1 -> pdu1:outlet1 -> ups1 -> main".
func (p Path) Format(home string) string {
	var parts []string
	for i, l := range p.Links {
		outlet := ""
		if i > 0 {
			outlet = p.Links[i-1].Outlet
		}
		parts = append(parts, Ref(l.ID, outlet, home))
	}
	if p.Mains {
		parts = append(parts, "main")
	}
	return strings.Join(parts, " -> ")
}

// MaxHops bounds the length of a chain; longer ones are treated as loops.
const MaxHops = 32

// PathOf follows a device's parents up to the mains. A loop or an unknown
// parent makes the path impaired.
func (g *Graph) PathOf(id string, failed map[string]bool) Path {
	var p Path
	p.Health = Healthy
	seen := map[string]bool{}
	impair := func(why string) {
		if p.Health == Healthy {
			p.Health, p.Why = Impaired, why
		}
	}
	cur := id
	for hop := 0; ; hop++ {
		n, ok := g.Nodes[cur]
		if !ok {
			p.Links = append(p.Links, Link{ID: cur, Health: Impaired, Why: "unknown device"})
			impair(cur + ": unknown device")
			return p
		}
		if seen[cur] || hop >= MaxHops {
			impair(cur + ": the chain loops")
			return p
		}
		seen[cur] = true
		h, why := g.DeviceHealth(n, failed)
		link := Link{ID: cur, Outlet: n.Parent.Outlet, Health: h, Why: why}
		if h != Healthy {
			impair(cur + ": " + why)
		}
		p.Links = append(p.Links, link)
		if n.Parent.IsMains() {
			// A device that could not be read has no parent known.
			p.Mains = n.Err == ""
			return p
		}
		parent, ok := g.Nodes[n.ParentID]
		if ok && n.Parent.Outlet != "" {
			if num, isNum := n.Parent.OutletNumber(); isNum {
				if st, known := parent.Outlets[num]; known && st != "on" {
					impair(Ref(parent.ID, n.Parent.Outlet, "") + ": outlet is " + st)
				}
			}
		}
		if n.ParentID == "" {
			up := n.Parent
			up.Outlet = ""
			p.Links = append(p.Links, Link{ID: up.String(), Health: Impaired, Why: "parent not resolved"})
			impair(up.String() + ": parent not resolved")
			return p
		}
		cur = n.ParentID
	}
}

// Load is what draws power: a host's supplies, or one device alone.
type Load struct {
	Name     string   `json:"name"`
	Supplies []string `json:"supplies"`
	Paths    []Path   `json:"paths"`
	Healthy  int      `json:"paths_healthy"`
	Health   Health   `json:"health"` // Healthy, Degraded or AtRisk
}

// Loads are the ends of the chain: the devices nothing draws from,
// grouped by device.host where set.
func (g *Graph) Loads(failed map[string]bool) []Load {
	feeds := map[string]bool{}
	for _, n := range g.Nodes {
		if n.ParentID != "" {
			feeds[n.ParentID] = true
		}
	}
	groups := map[string][]string{}
	for id, n := range g.Nodes {
		if feeds[id] {
			continue
		}
		key := id
		if n.Host != "" {
			key = n.Host
		}
		groups[key] = append(groups[key], id)
	}
	var out []Load
	for name, ids := range groups {
		sort.Strings(ids)
		out = append(out, g.LoadOf(name, ids, failed))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Update returns the graph with the given nodes in place of those with
// their IDs, sharing every other node with g (which it leaves as it is).
// A node keeps the resolved parent of the one it replaces, so ok is
// false, and nothing returned, when a node is new to g or names another
// parent: discover the chain again then. loadsSame reports whether g's
// loads hold for the new graph: no node's health, outlets or host
// changed.
func (g *Graph) Update(nodes []*Node) (ng *Graph, loadsSame, ok bool) {
	ng = &Graph{Nodes: maps.Clone(g.Nodes)}
	loadsSame = true
	for _, n := range nodes {
		if n.ID == "" {
			n.ID = n.Name + "@" + n.Server
		}
		old := g.Nodes[n.ID]
		if old == nil || old.Parent != n.Parent || old.Err != n.Err {
			return nil, false, false
		}
		n.ParentID = old.ParentID
		ng.Nodes[n.ID] = n
		if loadsSame {
			h, why := g.DeviceHealth(old, nil)
			nh, nwhy := g.DeviceHealth(n, nil)
			loadsSame = h == nh && why == nwhy && old.Host == n.Host && maps.Equal(old.Outlets, n.Outlets)
		}
	}
	return ng, loadsSame, true
}

// LoadOf analyses a load drawing from the given supplies.
func (g *Graph) LoadOf(name string, supplies []string, failed map[string]bool) Load {
	l := Load{Name: name, Supplies: supplies}
	for _, s := range supplies {
		p := g.PathOf(s, failed)
		l.Paths = append(l.Paths, p)
		if p.Health == Healthy {
			l.Healthy++
		}
	}
	switch {
	case l.Healthy == len(l.Paths):
		l.Health = Healthy
	case l.Healthy == 0:
		l.Health = AtRisk
	default:
		l.Health = Degraded
	}
	return l
}

// WhatIf lists the loads that would lose every supply path if the device
// failed, and that have at least one healthy path now.
func (g *Graph) WhatIf(id string) []Load { return g.Impact(id).Lost }

// Impact is what the failure of one device would do to the loads, beside
// what is wrong already.
type Impact struct {
	Device string `json:"device"`
	// Lost are the loads that would lose their last healthy supply path
	// (as they would be after the failure).
	Lost []Load `json:"loads_lost"`
	// Degraded are the loads that would lose a healthy path and keep
	// another (as they would be after the failure).
	Degraded []Load `json:"loads_degraded"`
	// AtRisk are the loads that have no healthy path already (as they
	// are now), whatever the failure.
	AtRisk []Load `json:"at_risk"`
}

// Impact compares the loads now with the loads if the device failed.
func (g *Graph) Impact(id string) Impact {
	now := map[string]Load{}
	im := Impact{Device: id, Lost: []Load{}, Degraded: []Load{}, AtRisk: []Load{}}
	for _, l := range g.Loads(nil) {
		now[l.Name] = l
		if l.Health == AtRisk {
			im.AtRisk = append(im.AtRisk, l)
		}
	}
	for _, l := range g.Loads(map[string]bool{id: true}) {
		before := now[l.Name]
		switch {
		case before.Health == AtRisk:
		case l.Health == AtRisk:
			im.Lost = append(im.Lost, l)
		case l.Healthy < before.Healthy:
			im.Degraded = append(im.Degraded, l)
		}
	}
	return im
}

// Roots are the devices fed by the mains or by nothing the graph knows.
func (g *Graph) Roots() []*Node {
	var out []*Node
	for _, n := range g.Nodes {
		if n.ParentID == "" {
			out = append(out, n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// UpstreamCut reports whether the links above a device cut its power:
// an upstream device that is OFF, in forced shutdown, or on battery and
// low, a PDU or ATS without ups.status that reports no input (InputHealth),
// or an outlet on the way that is off. Links that cannot be read
// (stale, unreachable, unknown) do not count as cut — they are returned
// as unknown so that a caller can warn — because a network blip must not
// power a host off.
func (g *Graph) UpstreamCut(id string) (cut bool, why, unknown string) {
	seen := map[string]bool{id: true}
	n, ok := g.Nodes[id]
	for hop := 0; ok && hop < MaxHops; hop++ {
		if n.Parent.IsMains() {
			return false, "", ""
		}
		p, known := g.Nodes[n.ParentID]
		if !known || n.ParentID == "" {
			return false, "", n.Parent.String() + ": not known"
		}
		if num, isNum := n.Parent.OutletNumber(); isNum && n.Parent.Outlet != "" {
			if st, has := p.Outlets[num]; has && st != "on" {
				return true, Ref(p.ID, n.Parent.Outlet, "") + " is " + st, ""
			}
		}
		switch {
		case p.Err != "":
			return false, "", p.ID + ": " + p.Err
		case p.Stale:
			return false, "", p.ID + ": no fresh data"
		}
		if p.JudgedByInput() {
			if h, why := InputHealth(p.Readings); h != Healthy {
				return true, p.ID + ": " + why, ""
			}
		}
		st := nut.ParseStatus(p.Status)
		switch {
		case st.Has(nut.OFF):
			return true, p.ID + " is off", ""
		case st.Has(nut.FSD):
			return true, p.ID + " is in forced shutdown", ""
		case st.LowOnBattery():
			return true, p.ID + " is on battery and low", ""
		}
		if seen[p.ID] {
			return false, "", p.ID + ": the chain loops"
		}
		seen[p.ID] = true
		n = p
	}
	return false, "", ""
}

// CutBy reports whether an instant command cuts the power a device
// delivers, and where: outlet.N.load.off or outlet.N.load.cycle cut
// outlet N; load.off, load.cycle, shutdown.stayoff and shutdown.return
// cut the whole device (outlet 0).
func CutBy(cmd string) (outlet int, cuts bool) {
	switch cmd {
	case "load.off", "load.cycle", "shutdown.stayoff", "shutdown.return":
		return 0, true
	}
	rest, ok := strings.CutPrefix(cmd, "outlet.")
	if !ok {
		return 0, false
	}
	n, action, ok := strings.Cut(rest, ".load.")
	num, err := strconv.Atoi(n)
	if !ok || err != nil || num <= 0 || (action != "off" && action != "cycle") {
		return 0, false
	}
	return num, true
}

// LastPaths lists the loads that an instant command on a device would
// leave without any healthy supply path, and that have one now: the
// loads a chain-aware server refuses, and a console asks about, before
// running it. Commands that cut nothing (CutBy) cut no load.
func (g *Graph) LastPaths(id, cmd string) []Load {
	outlet, cuts := CutBy(cmd)
	n, known := g.Nodes[id]
	switch {
	case !cuts || !known:
		return nil
	case outlet == 0:
		return g.Impact(id).Lost
	}
	// The outlet as off, on a copy of the device.
	off := *n
	off.Outlets = map[int]string{}
	for k, v := range n.Outlets {
		off.Outlets[k] = v
	}
	off.Outlets[outlet] = "off"
	after := &Graph{Nodes: map[string]*Node{}}
	for k, v := range g.Nodes {
		after.Nodes[k] = v
	}
	after.Nodes[id] = &off
	now := map[string]Health{}
	for _, l := range g.Loads(nil) {
		now[l.Name] = l.Health
	}
	var lost []Load
	for _, l := range after.Loads(nil) {
		if l.Health == AtRisk && now[l.Name] != AtRisk {
			lost = append(lost, l)
		}
	}
	return lost
}
