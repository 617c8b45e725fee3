package console

import (
	"fmt"
	"hash/fnv"
	"maps"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/nut"
)

// Place is where a device stands: a site, and a rack in it.
type Place struct {
	Site string `json:"site"`
	Rack string `json:"rack,omitempty"`
}

// placeOf places a device: the site and rack its server is given (a
// --sources file), the rack from device.location when the server has
// none, and the server's address as the site when it has none.
func placeOf(d *Device, places map[string]Place) Place {
	p := places[d.Source]
	if p.Rack == "" {
		p.Rack = d.fact().location
	}
	if p.Site == "" {
		p.Site = d.Source
	}
	return p
}

// htmlID makes an element id from names: a letter and a hash, stable
// across refreshes.
func htmlID(prefix string, names ...string) string {
	h := fnv.New64a()
	for _, n := range names {
		h.Write([]byte(n))
		h.Write([]byte{0})
	}
	return prefix + strconv.FormatUint(h.Sum64(), 36)
}

// tally counts what a group of devices and loads shows.
type tally struct {
	Devices, OB, LB, Stale, Alarm, Over, Off int
	Loads, Degraded, AtRisk                  int
	// Watts is a site's power use (see powerUse); groups have none.
	Watts      float64
	WattsKnown bool
}

// Worst is the tally's colour class.
func (t tally) Worst() string {
	switch {
	case t.LB > 0 || t.Over > 0 || t.AtRisk > 0 || t.Off > 0:
		return "bad"
	case t.OB > 0 || t.Alarm > 0 || t.Degraded > 0:
		return "warn"
	case t.Stale > 0:
		return "stale"
	}
	return "ok"
}

// group is a rack (or a site without racks) on the overview.
type group struct {
	ID, Site, Rack string
	Devices        []*Device
	Loads          []*chain.Load
	Sum            tally
	since          uint64
}

// Name is the group's heading.
func (g *group) Name() string {
	if g.Rack == "" {
		return "(no rack)"
	}
	return g.Rack
}

// site is one site on the overview: its racks and totals.
type site struct {
	ID, Name string
	Groups   []*group
	Sum      tally
	Sources  []string
	since    uint64
}

// alert is one line of the overview's banner: what is wrong with some
// devices or loads.
type alert struct {
	Class, What string
	Items       []alertItem
	More        int    // items left out
	Filter      string // the overview's status filter that lists them all
}

// alertItem is one device or load in an alert.
type alertItem struct{ Name, Detail, Href string }

// maxAlertItems bounds the devices an alert names.
const maxAlertItems = 8

// fleet is what the pages show beyond the raw snapshot, derived once per
// refresh: devices placed in sites and racks, totals, the alarm banner
// and the power use.
type fleet struct {
	sites   []*site
	groupOf map[string]*group // by device ID
	loadOf  map[string]*group // by load name
	alerts  []alert
	total   tally
	power   *powerUse
	// loadSince is the version in which each load's health last changed.
	loadSince map[string]uint64
	alertsKey string
	// places are the places derive was given.
	places map[string]Place
	// regrouped is true when the view is the snapshot before's with
	// some racks counted again (regroup).
	regrouped bool
}

// devAlert classifies a device for the banner, "" when nothing is wrong.
func devAlert(d *Device) (kind, detail string) {
	f := d.fact()
	return f.alert, f.alertDetail
}

// alertOf is devAlert worked out from the device's variables.
func alertOf(d *Device) (kind, detail string) {
	if d.Stale {
		return "stale", d.Err
	}
	st := nut.ParseStatus(d.Vars["ups.status"])
	charge := func() string {
		var parts []string
		if v := d.Vars["battery.charge"]; v != "" {
			parts = append(parts, v+" %")
		}
		if v, ok := number(d.Vars["battery.runtime"]); ok {
			parts = append(parts, fmtRuntime(v))
		}
		return strings.Join(parts, ", ")
	}
	load, _ := number(d.Vars["ups.load"])
	switch {
	case st.Has(nut.FSD):
		return "fsd", ""
	case st.Has(nut.OB | nut.LB), st.Has(nut.LB):
		return "lb", charge()
	case st.Has(nut.OFF):
		return "off", ""
	case st.Has(nut.OVER) || load > 100:
		return "over", d.Vars["ups.load"] + " %"
	case st.Has(nut.OB):
		return "ob", charge()
	case st.Has(nut.ALARM):
		return "alarm", d.Vars["ups.alarm"]
	case st.Has(nut.RB):
		return "rb", ""
	}
	return "", ""
}

// alertKinds orders the banner and names its lines.
var alertKinds = []struct{ kind, class, what string }{
	{"fsd", "bad", "Forced shutdown"},
	{"lb", "bad", "Low battery"},
	{"atrisk", "bad", "Loads at risk (no healthy supply path)"},
	{"off", "bad", "Off"},
	{"over", "bad", "Overloaded"},
	{"source", "bad", "Servers unreachable"},
	{"ob", "warn", "On battery"},
	{"alarm", "warn", "In alarm"},
	{"degraded", "warn", "Loads with a supply path down"},
	{"rb", "warn", "Battery needs replacing"},
	{"stale", "stale", "No fresh data"},
}

// fmtRuntime writes a runtime in seconds as minutes.
func fmtRuntime(sec float64) string {
	if sec < 120 {
		return fmt.Sprintf("%.0f s", sec)
	}
	return fmt.Sprintf("%.0f min", sec/60)
}

func devHref(d *Device) string {
	return "/device?" + url.Values{"source": {d.Source}, "ups": {d.Name}}.Encode()
}

// derive computes the fleet view of s (after stamp), with prev's for
// the versions of loads and alerts. When s differs from prev only in
// some devices' readings (the same devices in the same places, the
// same loads), it is prev's view with the racks of those devices done
// again.
func (s *Snapshot) derive(prev *Snapshot, places map[string]Place) {
	var pf *fleet
	if prev != nil {
		pf = prev.fleet
	}
	f, alertsSame := s.regroup(prev, places)
	if f == nil {
		f, alertsSame = s.group(prev, places), false
	}
	s.fleet = f
	// Power: each site's chains, counted once (not the sum over levels).
	if samePower(prev, s) {
		f.power = pf.power
	} else {
		f.power = powerOf(s, f)
	}
	watts := make(map[string]powerRow, len(f.power.Sites))
	for _, r := range f.power.Sites {
		watts[r.Name] = r
	}
	for i, st := range f.sites {
		if r := watts[st.Name]; st.Sum.Watts != r.Watts || st.Sum.WattsKnown != r.Known {
			if pf != nil && slices.Contains(pf.sites, st) { // prev's: copied, not changed
				c := *st
				st, f.sites[i] = &c, &c
			}
			st.Sum.Watts, st.Sum.WattsKnown = r.Watts, r.Known
		}
	}
	for _, st := range f.sites {
		f.total.add(st.Sum)
	}
	if alertsSame {
		f.alerts, f.alertsKey = pf.alerts, pf.alertsKey
		s.alertsSince = prev.alertsSince
		return
	}
	f.alerts = alertsOf(s)
	var key strings.Builder
	for _, a := range f.alerts {
		fmt.Fprintf(&key, "%s|%d|", a.What, a.More)
		for _, it := range a.Items {
			key.WriteString(it.Name + "|" + it.Detail + "|")
		}
	}
	f.alertsKey = key.String()
	s.alertsSince = s.Version
	if pf != nil && pf.alertsKey == f.alertsKey {
		s.alertsSince = prev.alertsSince
	}
}

// group places every device and load of s in its site and rack and
// counts them.
func (s *Snapshot) group(prev *Snapshot, places map[string]Place) *fleet {
	f := &fleet{groupOf: make(map[string]*group, len(s.Devices)), loadOf: make(map[string]*group, len(s.Loads)), places: places}
	var pf *fleet
	if prev != nil {
		pf = prev.fleet
	}
	sites := map[string]*site{}
	groups := map[Place]*group{}
	for _, d := range s.Devices {
		p := placeOf(d, places)
		g := groups[p]
		if g == nil {
			g = &group{ID: htmlID("g", p.Site, p.Rack), Site: p.Site, Rack: p.Rack}
			groups[p] = g
			st := sites[p.Site]
			if st == nil {
				st = &site{ID: htmlID("s", p.Site), Name: p.Site}
				sites[p.Site] = st
				f.sites = append(f.sites, st)
			}
			st.Groups = append(st.Groups, g)
		}
		st := sites[p.Site]
		if len(st.Sources) == 0 || st.Sources[len(st.Sources)-1] != d.Source {
			if !contains(st.Sources, d.Source) {
				st.Sources = append(st.Sources, d.Source)
			}
		}
		g.Devices = append(g.Devices, d)
		f.groupOf[d.ID()] = g
	}
	// Within a rack, the chain's order: UPSes, ATSes, PDUs, supplies.
	for _, g := range groups {
		slices.SortStableFunc(g.Devices, func(a, b *Device) int { return a.fact().rank - b.fact().rank })
	}
	// Loads belong to the group of their first supply; each keeps the
	// version in which its health last changed.
	var was map[string]string
	switch {
	case pf != nil && s.loadsKept:
		f.loadSince = pf.loadSince
	case pf != nil:
		was = make(map[string]string, len(prev.Loads))
		for i := range prev.Loads {
			was[prev.Loads[i].Name] = loadKey(&prev.Loads[i])
		}
		fallthrough
	default:
		f.loadSince = make(map[string]uint64, len(s.Loads))
	}
	for i := range s.Loads {
		l := &s.Loads[i]
		if !s.loadsKept {
			since := s.Version
			if pf != nil {
				if ps, ok := pf.loadSince[l.Name]; ok && was[l.Name] == loadKey(l) {
					since = ps
				}
			}
			f.loadSince[l.Name] = since
		}
		if len(l.Supplies) == 0 {
			continue
		}
		if g := f.groupOf[l.Supplies[0]]; g != nil {
			f.loadOf[l.Name] = g
			g.Loads = append(g.Loads, l)
		}
	}
	for _, g := range groups {
		g.count(f)
	}
	sort.Slice(f.sites, func(i, j int) bool { return f.sites[i].Name < f.sites[j].Name })
	for _, st := range f.sites {
		sort.Slice(st.Groups, func(i, j int) bool { return st.Groups[i].Rack < st.Groups[j].Rack })
		st.count()
	}
	return f
}

// count works out a group's tally and version from its devices and
// loads.
func (g *group) count(f *fleet) {
	g.Sum, g.since = tally{}, 0
	for _, d := range g.Devices {
		countDevice(&g.Sum, d)
		g.since = max(g.since, d.since)
	}
	for _, l := range g.Loads {
		g.since = max(g.since, f.loadSince[l.Name])
		g.Sum.Loads++
		switch l.Health {
		case chain.Degraded:
			g.Sum.Degraded++
		case chain.AtRisk:
			g.Sum.AtRisk++
		}
	}
}

// count works out a site's tally (but its power) and version from its
// groups.
func (st *site) count() {
	st.Sum, st.since = tally{}, 0
	for _, g := range st.Groups {
		st.Sum.add(g.Sum)
		st.since = max(st.since, g.since)
	}
}

// regroup is prev's fleet view with the racks of the changed devices
// counted again, and whether the alarm banner is prev's; nil when s
// differs from prev in more than readings: other devices or loads,
// places or ranks.
func (s *Snapshot) regroup(prev *Snapshot, places map[string]Place) (*fleet, bool) {
	if prev == nil || prev.fleet == nil || prev.byID == nil || !s.sameMembers || !s.loadsKept || !maps.Equal(prev.fleet.places, places) {
		return nil, false
	}
	pf := prev.fleet
	alertsSame := sameStates(prev.Sources, s.Sources)
	touched := map[*group]bool{}
	for _, d := range s.changed {
		o, g := prev.byID[d.ID()], pf.groupOf[d.ID()]
		if o == nil || g == nil {
			return nil, false
		}
		of, nf := o.fact(), d.fact()
		if of.location != nf.location || of.rank != nf.rank {
			return nil, false
		}
		if of.alert != nf.alert || of.alertDetail != nf.alertDetail {
			alertsSame = false
		}
		touched[g] = true
	}
	f := &fleet{groupOf: pf.groupOf, loadOf: pf.loadOf, loadSince: pf.loadSince, places: places, regrouped: true}
	if len(touched) > 0 {
		f.groupOf, f.loadOf = maps.Clone(pf.groupOf), maps.Clone(pf.loadOf)
	}
	redone := make(map[*group]*group, len(touched))
	for g := range touched {
		ng := &group{ID: g.ID, Site: g.Site, Rack: g.Rack, Loads: g.Loads, Devices: make([]*Device, len(g.Devices))}
		for i, d := range g.Devices {
			ng.Devices[i] = s.byID[d.ID()]
			f.groupOf[d.ID()] = ng
		}
		for _, l := range ng.Loads {
			f.loadOf[l.Name] = ng
		}
		ng.count(f)
		redone[g] = ng
	}
	f.sites = make([]*site, len(pf.sites))
	for i, st := range pf.sites {
		if !slices.ContainsFunc(st.Groups, func(g *group) bool { return touched[g] }) {
			f.sites[i] = st
			continue
		}
		ns := &site{ID: st.ID, Name: st.Name, Sources: st.Sources, Groups: slices.Clone(st.Groups)}
		for j, g := range ns.Groups {
			if ng := redone[g]; ng != nil {
				ns.Groups[j] = ng
			}
		}
		ns.count()
		f.sites[i] = ns
	}
	return f, alertsSame
}

// samePower reports whether the power use of s is prev's: the same
// devices in the same chain, at the same places, none of the changed ones
// reading other watts.
func samePower(prev, s *Snapshot) bool {
	if prev == nil || prev.fleet == nil || prev.fleet.power == nil || !s.sameMembers || s.Graph == nil ||
		prev.Graph == nil || len(s.Graph.Nodes) != len(prev.Graph.Nodes) || !maps.Equal(prev.fleet.places, s.fleet.places) {
		return false
	}
	for _, d := range s.changed {
		o := prev.byID[d.ID()]
		if o == nil || o.fact().powerKey != d.fact().powerKey {
			return false
		}
		if n, on := s.Graph.Nodes[d.ID()], prev.Graph.Nodes[d.ID()]; n == nil || on == nil || n.ParentID != on.ParentID || n.Parent != on.Parent {
			return false
		}
	}
	return true
}

// typeRank orders device types as the chain runs, from the mains.
func typeRank(t string) int {
	switch t {
	case "ups":
		return 0
	case "ats":
		return 1
	case "pdu":
		return 2
	case "psu":
		return 3
	}
	return 4
}

func loadKey(l *chain.Load) string {
	return fmt.Sprintf("%s %d/%d", l.Health, l.Healthy, len(l.Paths))
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func countDevice(t *tally, d *Device) {
	t.Devices++
	kind, _ := devAlert(d)
	switch kind {
	case "stale":
		t.Stale++
	case "lb", "fsd":
		t.LB++
		t.OB++
	case "ob":
		t.OB++
	case "over":
		t.Over++
	case "off":
		t.Off++
	case "alarm", "rb":
		t.Alarm++
	}
}

func (t *tally) add(o tally) {
	t.Devices += o.Devices
	t.OB += o.OB
	t.LB += o.LB
	t.Stale += o.Stale
	t.Alarm += o.Alarm
	t.Over += o.Over
	t.Off += o.Off
	t.Loads += o.Loads
	t.Degraded += o.Degraded
	t.AtRisk += o.AtRisk
	t.Watts += o.Watts
	t.WattsKnown = t.WattsKnown || o.WattsKnown
}

// alertsOf builds the banner: per kind of trouble, the devices, loads or
// servers it concerns.
func alertsOf(s *Snapshot) []alert {
	items := map[string][]alertItem{}
	oneSource := len(s.Sources) <= 1
	for _, d := range s.Devices {
		if kind, detail := devAlert(d); kind != "" {
			name := d.Name + "@" + d.Source
			if oneSource {
				name = d.Name
			}
			items[kind] = append(items[kind], alertItem{name, detail, devHref(d)})
		}
	}
	for _, l := range s.Loads {
		detail := fmt.Sprintf("%d of %d paths healthy", l.Healthy, len(l.Paths))
		switch l.Health {
		case chain.AtRisk:
			items["atrisk"] = append(items["atrisk"], alertItem{l.Name, detail, "/chain#load-" + l.Name})
		case chain.Degraded:
			items["degraded"] = append(items["degraded"], alertItem{l.Name, detail, "/chain#load-" + l.Name})
		}
	}
	for _, src := range s.Sources {
		if !src.OK {
			items["source"] = append(items["source"], alertItem{src.Addr, src.Err, ""})
		}
	}
	var out []alert
	for _, k := range alertKinds {
		its := items[k.kind]
		if len(its) == 0 {
			continue
		}
		a := alert{Class: k.class, What: k.what, Filter: k.kind}
		if len(its) > maxAlertItems {
			a.More = len(its) - maxAlertItems
			its = its[:maxAlertItems]
		}
		a.Items = its
		out = append(out, a)
	}
	return out
}

// powerSource is the source of the history series of power totals.
const powerSource = ""

// powerRow is one figure of the power use.
type powerRow struct {
	// Key names the figure's history series: site:NAME, chain:ID,
	// host:NAME, or the device's ID.
	Key    string  `json:"key"`
	Name   string  `json:"name"`
	Source string  `json:"source,omitempty"`
	Site   string  `json:"site"`
	Watts  float64 `json:"watts"`
	// Known is false when nothing on the way publishes real power.
	Known bool `json:"known"`
	// Roots are the chain roots (IDs) a device or host draws from (a
	// host fed by two chains has two), and Share the part of their
	// figures it is.
	Roots []string `json:"roots,omitempty"`
	Share float64  `json:"share,omitempty"`
	// Via says where the figure was read: the variable, "below" (the
	// sum of the devices the root feeds), "supplies" or "outlets".
	Via string `json:"via,omitempty"`
}

// powerUse is real power per device, chain, host and site, each watt
// counted once: a chain draws what its root delivers (ups.realpower,
// input.realpower or outlet.realpower of the root), or, when the root
// publishes none, the sum of the nearest readings below it; a site is
// the sum of its chains; a host the sum of its power supplies (or of
// the outlets feeding them when they publish nothing).
type powerUse struct {
	Devices []powerRow `json:"devices"`
	Chains  []powerRow `json:"chains"`
	Hosts   []powerRow `json:"hosts"`
	Sites   []powerRow `json:"sites"`
}

// Power is the snapshot's power use (nil before derive).
func (s *Snapshot) Power() *powerUse {
	if s.fleet == nil {
		return nil
	}
	return s.fleet.power
}

// wattsVars are the variables of real power, in order of preference.
var wattsVars = []string{"ups.realpower", "input.realpower", "outlet.realpower"}

// watts is a device's real power and the variable it came from.
func watts(d *Device) (float64, string, bool) {
	if d == nil {
		return 0, "", false
	}
	f := d.fact()
	return f.watts, f.wattsVia, f.wattsVia != ""
}

// powerKey holds what the power use reads of a device: its real power
// and its outlets' (which stand for supplies that publish none).
func powerKey(d *Device, f *devFacts) string {
	var b strings.Builder
	b.WriteString(f.wattsVia)
	b.WriteString(strconv.FormatFloat(f.watts, 'g', -1, 64))
	var outlets []string
	for k, v := range d.Vars {
		if strings.HasPrefix(k, "outlet.") && strings.HasSuffix(k, ".realpower") {
			outlets = append(outlets, k+"="+v)
		}
	}
	slices.Sort(outlets)
	for _, o := range outlets {
		b.WriteString("|" + o)
	}
	return b.String()
}

// wattsOf is watts worked out from the device's variables.
func wattsOf(d *Device) (float64, string, bool) {
	if d == nil || d.Stale {
		return 0, "", false
	}
	for _, v := range wattsVars {
		if f, ok := number(d.Vars[v]); ok {
			return f, v, true
		}
	}
	return 0, "", false
}

// powerOf counts the power use of a snapshot once per watt.
func powerOf(s *Snapshot, f *fleet) *powerUse {
	p := &powerUse{Devices: []powerRow{}, Chains: []powerRow{}, Hosts: []powerRow{}, Sites: []powerRow{}}
	g := s.Graph
	if g == nil {
		g = chain.NewGraph()
	}
	dev := map[string]*Device{}
	for _, d := range s.Devices {
		dev[d.ID()] = d
	}
	siteOf := func(id string) string {
		if gr := f.groupOf[id]; gr != nil {
			return gr.Site
		}
		_, srv, _ := strings.Cut(id, "@")
		return srv
	}
	children := map[string][]string{}
	for _, id := range g.IDs() {
		if n := g.Nodes[id]; n.ParentID != "" {
			children[n.ParentID] = append(children[n.ParentID], id)
		}
	}
	// measured is what a node's subtree draws, read as high up as
	// possible; depth bounds loops.
	var measured func(id string, depth int) (float64, string, bool)
	measured = func(id string, depth int) (float64, string, bool) {
		if w, v, ok := watts(dev[id]); ok {
			return w, v, true
		}
		if depth > chain.MaxHops {
			return 0, "", false
		}
		sum, any := 0.0, false
		for _, c := range children[id] {
			if w, _, ok := measured(c, depth+1); ok {
				sum, any = sum+w, true
			}
		}
		return sum, "below", any
	}
	rootWatts := map[string]float64{}
	sites := map[string]*powerRow{}
	for _, r := range g.Roots() {
		w, via, ok := measured(r.ID, 0)
		st := siteOf(r.ID)
		p.Chains = append(p.Chains, powerRow{Key: "chain:" + r.ID, Name: r.ID, Source: r.Server, Site: st, Watts: w, Known: ok, Via: via})
		if ok {
			rootWatts[r.ID] = w
		}
		sr := sites[st]
		if sr == nil {
			sr = &powerRow{Key: "site:" + st, Name: st, Site: st}
			sites[st] = sr
		}
		if ok {
			sr.Watts += w
			sr.Known = true
		}
	}
	for _, d := range s.Devices {
		w, via, ok := watts(d)
		if !ok {
			continue
		}
		root := rootOf(g, d.ID())
		r := powerRow{Key: d.ID(), Name: d.Name, Source: d.Source, Site: siteOf(d.ID()), Watts: w, Known: true, Via: via, Roots: []string{root}}
		if rw := rootWatts[root]; rw > 0 {
			r.Share = w / rw
		}
		p.Devices = append(p.Devices, r)
	}
	for _, l := range s.Loads {
		if len(l.Supplies) == 0 {
			continue
		}
		h := powerRow{Key: "host:" + l.Name, Name: l.Name, Site: siteOf(l.Supplies[0])}
		for _, id := range l.Supplies {
			if r := rootOf(g, id); !slices.Contains(h.Roots, r) {
				h.Roots = append(h.Roots, r)
			}
			w, _, ok := watts(dev[id])
			via := "supplies"
			if !ok { // the outlet feeding the supply
				if n := g.Nodes[id]; n != nil {
					if num, isNum := n.Parent.OutletNumber(); isNum && n.Parent.Outlet != "" {
						w, ok = number(varOf(dev[n.ParentID], "outlet."+strconv.Itoa(num)+".realpower"))
						via = "outlets"
					}
				}
			}
			if ok {
				h.Watts += w
				h.Known = true
				if h.Via == "" || h.Via == via {
					h.Via = via
				} else {
					h.Via = "supplies and outlets"
				}
			}
		}
		// The share of what its chains deliver, when each is known.
		rw, all := 0.0, true
		for _, r := range h.Roots {
			w, ok := rootWatts[r]
			rw, all = rw+w, all && ok
		}
		if rw > 0 && all && h.Known {
			h.Share = h.Watts / rw
		}
		if h.Known || len(l.Supplies) > 1 {
			p.Hosts = append(p.Hosts, h)
		}
	}
	for _, r := range sites {
		p.Sites = append(p.Sites, *r)
	}
	sort.Slice(p.Sites, func(i, j int) bool { return p.Sites[i].Name < p.Sites[j].Name })
	return p
}

// totalOf names a power total's history series (site:NAME, chain:ID,
// host:NAME) for a chart's title, with the chain roots whose outages
// its chart shades.
func (p *powerUse) totalOf(key string) (roots []string, title string) {
	kind, name, _ := strings.Cut(key, ":")
	switch kind {
	case "site":
		for _, ch := range p.Chains {
			if ch.Site == name {
				roots = append(roots, ch.Name)
			}
		}
		return roots, "Site " + name
	case "chain":
		return []string{name}, "Chain " + chain.Ref(name, "", "")
	}
	for _, h := range p.Hosts {
		if h.Key == key {
			roots = h.Roots
		}
	}
	return roots, "Host " + name
}

// rootOf is the root of the chain a device draws from: the topmost
// device known above it (itself for a root).
func rootOf(g *chain.Graph, id string) string {
	for hop := 0; hop < chain.MaxHops; hop++ {
		n := g.Nodes[id]
		if n == nil || n.ParentID == "" || g.Nodes[n.ParentID] == nil {
			return id
		}
		id = n.ParentID
	}
	return id
}

// varOf is a device's variable, "" for no device.
func varOf(d *Device, name string) string {
	if d == nil {
		return ""
	}
	return d.Vars[name]
}
