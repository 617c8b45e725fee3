package console

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/nut"
)

// base is what every page shows: the layout's data.
type base struct {
	Page, Title, CSRF, User, Error string
	Snap                           *Snapshot
	// Live marks a page that follows the console's refreshes, and
	// Version is what it shows (data-version; see fragment).
	Live    bool
	Version uint64
	// Charts loads the charting library.
	Charts bool
	// Unacked counts the alarms nobody acknowledged (the menu shows it).
	Unacked int
	// Range is the charts' range (data-range).
	Range string
}

// pageSpec is one page: its data and how an open copy is brought up to
// date.
type pageSpec[T any] struct {
	name  string
	title string
	build func(r *http.Request, b *base) (T, error)
	// live says what a copy of the page showing version since needs;
	// nil for a page that does not follow refreshes.
	live func(p T, since uint64) update
}

// part is an element of a page to replace: its id, the template that
// draws it and the template's data (the page's when nil).
type part struct {
	id, tmpl string
	data     any
}

// update is what an open page needs to show the latest data: parts and
// the overview's device rows.
type update struct {
	parts []part
	rows  []*Device
}

// fragment is the answer to a page's live update.
type fragment struct {
	Version uint64            `json:"version"`
	Parts   map[string]string `json:"parts,omitempty"` // outer HTML by element id
	Rows    map[string]string `json:"rows,omitempty"`  // device rows by data-id
}

// servePage serves a page, or, to the page's own script (header
// X-Fragment: the version it shows), only what changed since: 204 when
// nothing did, else a fragment.
func servePage[T any](c *Console, spec pageSpec[T]) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b := &base{Page: spec.name, Title: spec.title, CSRF: csrfToken(w, r),
			Snap: c.snapshot(r.Context()), Error: r.FormValue("error"), Live: spec.live != nil}
		b.Version = b.Snap.Version
		if s := c.sessionOf(r); s != nil {
			b.User = s.user
		}
		frag := r.Header.Get("X-Fragment")
		if c.store != nil && frag == "" {
			b.Unacked, _ = c.store.Unacked(r.Context())
		}
		data, err := spec.build(r, b)
		if errors.Is(err, errNotFound) {
			http.NotFound(w, r)
			return
		}
		if err != nil {
			b.Error = err.Error()
		}
		w.Header().Set("Cache-Control", "no-store")
		if frag != "" && spec.live != nil {
			since, err := strconv.ParseUint(frag, 10, 64)
			if err != nil || since > b.Version {
				since = 0 // a page from before a restart: everything
			}
			c.fragment(w, data, b.Version, spec.live(data, since))
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := c.tmpl.ExecuteTemplate(w, spec.name+".html", data); err != nil {
			c.log.Error("rendering a page failed", "page", spec.name, "err", err)
		}
	}
}

// fragment renders an update as JSON.
func (c *Console) fragment(w http.ResponseWriter, data any, version uint64, u update) {
	if len(u.parts) == 0 && len(u.rows) == 0 {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	f := fragment{Version: version, Parts: map[string]string{}, Rows: map[string]string{}}
	var buf bytes.Buffer
	for _, p := range u.parts {
		buf.Reset()
		d := p.data
		if d == nil {
			d = data
		}
		if err := c.tmpl.ExecuteTemplate(&buf, p.tmpl, d); err != nil {
			c.log.Error("rendering a page part failed", "part", p.id, "err", err)
			http.Error(w, "rendering failed", http.StatusInternalServerError)
			return
		}
		f.Parts[p.id] = buf.String()
	}
	for _, d := range u.rows {
		buf.Reset()
		if err := c.tmpl.ExecuteTemplate(&buf, "row", d); err != nil {
			c.log.Error("rendering a device row failed", "err", err)
			http.Error(w, "rendering failed", http.StatusInternalServerError)
			return
		}
		f.Rows[d.ID()] = buf.String()
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(f)
}

// whole is the update that replaces a page's "live" element when what it
// shows changed after since.
func whole(page string, changed, since uint64) update {
	if changed > since {
		return update{parts: []part{{id: "live", tmpl: page + "/live"}}}
	}
	return update{}
}

// lazyAbove is the fleet size from which the overview sends the racks
// where nothing is wrong closed and without their rows (they are fetched
// when opened).
const lazyAbove = 300

// overviewFilter is what the overview shows, from its URL.
type overviewFilter struct {
	Q, Site, Rack, Status string
	// Group asks for one rack's rows (the page's script, opening it).
	Group string
	// All opens every rack.
	All bool
}

// Active reports whether the filter leaves devices out.
func (f overviewFilter) Active() bool {
	return f.Q != "" || f.Site != "" || f.Rack != "" || f.Status != ""
}

// statusFilters are the overview's status choices.
var statusFilters = []struct{ Value, Label string }{
	{"", "all"}, {"problem", "any problem"}, {"ob", "on battery"}, {"lb", "low battery"}, {"stale", "no fresh data"},
	{"alarm", "in alarm"}, {"over", "overloaded"}, {"off", "off"}, {"atrisk", "feeding loads at risk"}, {"degraded", "feeding degraded loads"},
}

// matches reports whether the filter keeps a device.
func (f overviewFilter) matches(d *Device, g *group, fl *fleet) bool {
	if f.Site != "" && g.Site != f.Site || f.Rack != "" && g.Rack != f.Rack {
		return false
	}
	if f.Status != "" {
		kind, _ := devAlert(d)
		health := supplyHealth(d, g)
		switch f.Status {
		case "problem":
			if kind == "" && health == chain.Healthy {
				return false
			}
		case "atrisk":
			if health != chain.AtRisk {
				return false
			}
		case "degraded":
			if health != chain.Degraded {
				return false
			}
		case "alarm":
			if kind != "alarm" && kind != "rb" {
				return false
			}
		case "lb":
			if kind != "lb" && kind != "fsd" {
				return false
			}
		default:
			if kind != f.Status {
				return false
			}
		}
	}
	if f.Q != "" {
		q := strings.ToLower(f.Q)
		hay := strings.ToLower(strings.Join([]string{d.Name, d.Desc, d.Source, d.Vars["device.type"], d.Vars["ups.status"], d.Vars["device.host"], g.Site, g.Rack}, " "))
		if !strings.Contains(hay, q) {
			return false
		}
	}
	return true
}

// supplyHealth is the worst health of the loads a device is a supply of.
func supplyHealth(d *Device, g *group) chain.Health {
	h := chain.Healthy
	for _, l := range g.Loads {
		for _, s := range l.Supplies {
			if s == d.ID() {
				if l.Health == chain.AtRisk {
					return chain.AtRisk
				}
				if l.Health == chain.Degraded {
					h = chain.Degraded
				}
			}
		}
	}
	return h
}

// groupView is a rack as the overview draws it.
type groupView struct {
	*group
	Rows       []*Device
	Open, Lazy bool
	Filter     overviewFilter
}

// RackHref lists the rack alone (what a lazy rack links to without
// JavaScript).
func (g *groupView) RackHref() string {
	return "/?" + url.Values{"site": {g.Site}, "rack": {g.Rack}}.Encode()
}

// siteView is a site as the overview draws it.
type siteView struct {
	*site
	Groups []*groupView
}

type overviewPage struct {
	*base
	F         *fleet
	Filter    overviewFilter
	Sites     []*siteView
	groups    map[string]*groupView
	Total     tally
	Statuses  any
	SiteNames []string
}

// Alerts are the banner's lines.
func (p overviewPage) Alerts() []alert { return p.F.alerts }

var overview = pageSpec[overviewPage]{
	name:  "overview",
	title: "Overview",
	build: func(r *http.Request, b *base) (overviewPage, error) {
		q := r.URL.Query()
		f := overviewFilter{Q: strings.TrimSpace(q.Get("q")), Site: q.Get("site"), Rack: q.Get("rack"), Status: q.Get("status"),
			Group: q.Get("group"), All: q.Get("open") == "all"}
		fl := b.Snap.fleet
		if fl == nil {
			fl = &fleet{groupOf: map[string]*group{}}
		}
		p := overviewPage{base: b, F: fl, Filter: f, Total: fl.total, Statuses: statusFilters, groups: map[string]*groupView{}}
		lazy := fl.total.Devices > lazyAbove && !f.Active() && !f.All
		for _, st := range fl.sites {
			p.SiteNames = append(p.SiteNames, st.Name)
			sv := &siteView{site: st}
			for _, g := range st.Groups {
				gv := &groupView{group: g, Filter: f, Open: true}
				if lazy && g.Sum.Worst() == "ok" && f.Group != g.ID {
					gv.Open, gv.Lazy = false, true
				} else {
					for _, d := range g.Devices {
						if f.matches(d, g, fl) {
							gv.Rows = append(gv.Rows, d)
						}
					}
					if f.Active() && len(gv.Rows) == 0 {
						continue
					}
				}
				p.groups[g.ID] = gv
				sv.Groups = append(sv.Groups, gv)
			}
			if len(sv.Groups) > 0 {
				p.Sites = append(p.Sites, sv)
			}
		}
		return p, nil
	},
	// The banner, totals and servers when they changed; the summaries
	// of the sites and racks with a change; the changed rows; all of it
	// when devices came or went; one rack whole when the page asks
	// (opening it).
	live: func(p overviewPage, since uint64) update {
		s := p.Snap
		if p.Filter.Group != "" {
			if g := p.groups[p.Filter.Group]; g != nil {
				return update{parts: []part{{id: g.ID, tmpl: "group", data: g}}}
			}
			return update{}
		}
		switch {
		case since >= s.Version:
			return update{}
		case since < s.membersSince:
			return update{parts: []part{{id: "banner", tmpl: "overview/banner"}, {id: "totals", tmpl: "overview/totals"},
				{id: "sources", tmpl: "overview/sources"}, {id: "devices", tmpl: "overview/devices"}}}
		}
		var u update
		if s.alertsSince > since {
			u.parts = append(u.parts, part{id: "banner", tmpl: "overview/banner"})
		}
		if s.sourcesSince > since {
			u.parts = append(u.parts, part{id: "sources", tmpl: "overview/sources"})
		}
		changed := false
		for _, sv := range p.Sites {
			if sv.since <= since {
				continue
			}
			changed = true
			u.parts = append(u.parts, part{id: "ss-" + sv.ID, tmpl: "sitesum", data: sv})
			for _, g := range sv.Groups {
				if g.since <= since {
					continue
				}
				u.parts = append(u.parts, part{id: "gs-" + g.ID, tmpl: "groupsum", data: g})
				for _, d := range g.Rows {
					if d.since > since {
						u.rows = append(u.rows, d)
					}
				}
			}
		}
		if changed {
			u.parts = append(u.parts, part{id: "totals", tmpl: "overview/totals"})
		}
		return u
	},
}

// chainPage is the power chain drawn, the loads, and a what-if.
type chainPage struct {
	*base
	SVG       template.HTML
	WhatIf    string
	Impact    *chain.Impact
	Loads     []chain.Load
	Hidden    int // healthy loads left out of the list (collapsed racks)
	Collapsed bool
}

func (c *Console) chainView() pageSpec[chainPage] {
	return pageSpec[chainPage]{
		name:  "chain",
		title: "Power chain",
		build: func(r *http.Request, b *base) (chainPage, error) {
			p := chainPage{base: b}
			g := b.Snap.Graph
			if g == nil {
				g = chain.NewGraph()
			}
			var failed string
			if id := r.FormValue("whatif"); id != "" && g.Nodes[id] != nil {
				im := g.Impact(id)
				p.WhatIf, p.Impact, failed = id, &im, id
			}
			expand := map[string]bool{}
			for _, e := range r.URL.Query()["expand"] {
				for _, id := range strings.Split(e, ",") {
					expand[id] = true
				}
			}
			d := c.drawChain(b.Snap, expand, failed)
			p.SVG, p.Collapsed = d.svg, d.collapsed
			for _, l := range b.Snap.Loads {
				if d.collapsed && l.Health == chain.Healthy && !d.shown[l.Name] {
					p.Hidden++
					continue
				}
				p.Loads = append(p.Loads, l)
			}
			return p, nil
		},
		live: func(p chainPage, since uint64) update { return whole("chain", p.Snap.chainSince, since) },
	}
}

// varRow is one variable on the device page.
type varRow struct {
	Name, Value string
	RW          bool
}

// rangeLink is one of the charts' ranges.
type rangeLink struct {
	Name, Href string
	On         bool
}

// fact is one figure at the top of the device page.
type fact struct{ Key, Value, Class string }

type devicePage struct {
	*base
	Dev       *Device
	Model     string
	Place     Place
	Facts     []fact
	Vars      []varRow
	Ranges    []rangeLink
	Charts    []*chartData
	ChartJSON template.JS
	Power     *powerRow
}

// pageCharts gathers a page's history charts over the range its
// visitor chose (range=), keeping those with data.
type pageCharts struct {
	ctx      context.Context
	store    *Store
	from, to time.Time
	charts   []*chartData
}

// chartsFor reads the range r asks for into b (b.Range) and returns the
// page's charts over it, none yet, and the page's range links.
func (c *Console) chartsFor(r *http.Request, b *base) (*pageCharts, []rangeLink) {
	name, d := rangeOf(r.FormValue("range"))
	b.Range = name
	now := time.Now()
	return &pageCharts{ctx: r.Context(), store: c.store, from: now.Add(-d), to: now}, ranges(r, name)
}

// add reads the chart def of source's device (its outages those of
// outageOf) with src, where the page's script asks for other ranges, and
// keeps it when it has data. It returns the chart either way.
func (h *pageCharts) add(def chartDef, source, device string, outageOf []string, src string) (*chartData, error) {
	cd, err := h.store.chart(h.ctx, def, source, device, h.from, h.to, outageOf)
	if err != nil {
		return nil, err
	}
	cd.Src = src
	if !cd.Empty() {
		h.charts = append(h.charts, cd)
	}
	return cd, nil
}

// done returns the charts kept, and the same as the page's script reads
// them; with any, b loads the charting library.
func (h *pageCharts) done(b *base) ([]*chartData, template.JS) {
	b.Charts = len(h.charts) > 0
	return h.charts, chartsJSON(h.charts)
}

// ranges are the range links of a page's URL.
func ranges(r *http.Request, cur string) []rangeLink {
	var out []rangeLink
	for _, rg := range chartRanges {
		q := r.URL.Query()
		q.Set("range", rg.Name)
		q.Del("error")
		out = append(out, rangeLink{rg.Name, r.URL.Path + "?" + q.Encode(), rg.Name == cur})
	}
	return out
}

// chartsJSON is the charts' data for the page's script.
func chartsJSON(charts []*chartData) template.JS {
	m := map[string]*chartData{}
	for _, c := range charts {
		m[c.ID] = c
	}
	b, _ := json.Marshal(m) // escapes <, > and &
	return template.JS(b)
}

// ancestors are a device and the devices above it in the chain (whose
// outages its charts shade).
func ancestors(g *chain.Graph, id string) []string {
	out := []string{id}
	if g == nil {
		return out
	}
	for hop := 0; hop < chain.MaxHops; hop++ {
		n := g.Nodes[id]
		if n == nil || n.ParentID == "" {
			break
		}
		id = n.ParentID
		out = append(out, id)
	}
	return out
}

func (c *Console) deviceView() pageSpec[devicePage] {
	return pageSpec[devicePage]{
		name:  "device",
		title: "Device",
		build: func(r *http.Request, b *base) (devicePage, error) {
			dev := b.Snap.Device(r.FormValue("source"), r.FormValue("ups"))
			if dev == nil {
				return devicePage{}, errNotFound
			}
			p := devicePage{base: b, Dev: dev}
			b.Title = dev.Name
			if b.Snap.fleet != nil {
				if g := b.Snap.fleet.groupOf[dev.ID()]; g != nil {
					p.Place = Place{g.Site, g.Rack}
				}
				for i, pr := range b.Snap.fleet.power.Devices {
					if pr.Key == dev.ID() {
						p.Power = &b.Snap.fleet.power.Devices[i]
					}
				}
			}
			p.Facts = deviceFacts(dev)
			p.Model = strings.TrimSpace(dev.Vars["device.mfr"] + " " + dev.Vars["device.model"])
			rw := map[string]bool{}
			for _, v := range dev.RW {
				rw[v] = true
			}
			for k, v := range dev.Vars {
				p.Vars = append(p.Vars, varRow{k, v, rw[k]})
			}
			sort.Slice(p.Vars, func(i, j int) bool { return p.Vars[i].Name < p.Vars[j].Name })
			if r.Header.Get("X-Fragment") != "" || c.store == nil {
				return p, nil // the charts are not in the live part
			}
			var h *pageCharts
			h, p.Ranges = c.chartsFor(r, b)
			out := ancestors(b.Snap.Graph, dev.ID())
			for _, def := range chartDefs {
				src := "/api/chart?" + url.Values{"source": {dev.Source}, "ups": {dev.Name}, "chart": {def.ID}}.Encode()
				if _, err := h.add(def, dev.Source, dev.Name, out, src); err != nil {
					return p, err
				}
			}
			p.Charts, p.ChartJSON = h.done(b)
			return p, nil
		},
		live: func(p devicePage, since uint64) update {
			if p.Dev.since <= since {
				return update{}
			}
			return update{parts: []part{{id: "facts", tmpl: "device/facts"}, {id: "vars-live", tmpl: "device/vars"}}}
		},
	}
}

// deviceFacts are the figures a device page starts with.
func deviceFacts(d *Device) []fact {
	var out []fact
	st := d.Vars["ups.status"]
	cls := statusClass(d)
	if d.Stale {
		st = "no fresh data"
	}
	if st == "" {
		st = "—"
	}
	out = append(out, fact{"Status", st, cls})
	add := func(key, v, unit string) {
		if v != "" {
			out = append(out, fact{key, v + unit, ""})
		}
	}
	add("Battery", d.Vars["battery.charge"], " %")
	if v, ok := number(d.Vars["battery.runtime"]); ok {
		out = append(out, fact{"Runtime", fmtRuntime(v), ""})
	}
	add("Load", d.Vars["ups.load"], " %")
	add("Input", d.Vars["input.voltage"], " V")
	add("Output", d.Vars["output.voltage"], " V")
	if w, _, ok := watts(d); ok {
		out = append(out, fact{"Real power", strconv.FormatFloat(w, 'f', -1, 64) + " W", ""})
	}
	return out
}

// eventsPage is the timeline of events, filtered.
type eventsPage struct {
	*base
	Events   []Event
	Device   string
	Site     string
	Kind     string
	Alarms   bool
	Sites    []string
	Kinds    []string
	Ranges   []rangeLink
	Timeline template.HTML
	CSV      string
	Back     string
}

// eventKinds are the kinds of events.
var eventKinds = []string{"status", "outlet", "source", "device", "chain", "control", "notify"}

// eventFilter reads the events page's filters (device, site, kind,
// alarms, range) from a request.
func (c *Console) eventFilter(r *http.Request, s *Snapshot) (EventFilter, string, time.Duration) {
	q := r.URL.Query()
	f := EventFilter{Kind: q.Get("kind"), Alarms: q.Get("alarms") != ""}
	if dev := q.Get("device"); dev != "" {
		f.Device, f.Source, _ = strings.Cut(dev, "@")
	}
	if site := q.Get("site"); site != "" && s.fleet != nil {
		for _, st := range s.fleet.sites {
			if st.Name == site {
				f.Sources = append(f.Sources, st.Sources...)
			}
		}
		if len(f.Sources) == 0 {
			f.Sources = []string{site}
		}
	}
	name, d := rangeOf(q.Get("range"))
	f.From = time.Now().Add(-d)
	return f, name, d
}

func (c *Console) eventsView() pageSpec[eventsPage] {
	return pageSpec[eventsPage]{
		name:  "events",
		title: "Events",
		build: func(r *http.Request, b *base) (eventsPage, error) {
			b.Version = c.eventsVersion.Load() // before the events are read
			f, rng, d := c.eventFilter(r, b.Snap)
			q := r.URL.Query()
			p := eventsPage{base: b, Device: q.Get("device"), Site: q.Get("site"), Kind: f.Kind, Alarms: f.Alarms, Kinds: eventKinds,
				Ranges: ranges(r, rng), Back: r.URL.RequestURI()}
			b.Range = rng
			q.Del("error")
			p.CSV = "/events.csv?" + q.Encode()
			if b.Snap.fleet != nil {
				for _, st := range b.Snap.fleet.sites {
					p.Sites = append(p.Sites, st.Name)
				}
			}
			evs, err := c.events(r.Context(), f)
			p.Events = evs
			p.Timeline = timelineSVG(evs, time.Now().Add(-d), time.Now())
			return p, err
		},
		live: func(p eventsPage, since uint64) update { return whole("events", p.Version, since) },
	}
}

// powerPage is the power use: per site, chain, host and device.
type powerPage struct {
	*base
	P         *powerUse
	Site      string
	Sites     []powerRow
	Chains    []powerRow
	Hosts     []powerRow
	Devices   []powerRow
	Ranges    []rangeLink
	Charts    []*chartData
	ChartJSON template.JS
	Total     float64
	Narrowed  bool // chains, hosts and devices of one site only
	// Chart is the chain or host whose history is asked for (chart=KEY).
	Chart string
	query url.Values
}

// ChartHref is the page showing the history of a chain or host too.
func (p powerPage) ChartHref(key string) string {
	q := url.Values{}
	for k, v := range p.query {
		q[k] = v
	}
	q.Del("error")
	q.Set("chart", key)
	return "/power?" + q.Encode() + "#ph-h"
}

// powerListAbove is the number of sites from which the power page lists
// chains, hosts and devices only for the site chosen.
const powerListAbove = 3

func (c *Console) powerView() pageSpec[powerPage] {
	return pageSpec[powerPage]{
		name:  "power",
		title: "Power use",
		build: func(r *http.Request, b *base) (powerPage, error) {
			pu := b.Snap.Power()
			if pu == nil {
				pu = &powerUse{}
			}
			p := powerPage{base: b, P: pu, Site: r.FormValue("site"), Sites: pu.Sites, query: r.URL.Query()}
			if p.Site == "" && len(pu.Sites) == 1 {
				p.Site = pu.Sites[0].Name
			}
			for _, s := range pu.Sites {
				p.Total += s.Watts
			}
			p.Narrowed = len(pu.Sites) > powerListAbove
			keep := func(rows []powerRow) []powerRow {
				var out []powerRow
				for _, r := range rows {
					if !p.Narrowed || r.Site == p.Site {
						out = append(out, r)
					}
				}
				return out
			}
			p.Chains, p.Hosts, p.Devices = keep(pu.Chains), keep(pu.Hosts), keep(pu.Devices)
			if r.Header.Get("X-Fragment") != "" || c.store == nil {
				return p, nil
			}
			var h *pageCharts
			h, p.Ranges = c.chartsFor(r, b)
			var subjects []powerRow
			for _, set := range [][]powerRow{pu.Chains, pu.Hosts} {
				for _, row := range set {
					if row.Key == r.FormValue("chart") && row.Known {
						p.Chart = row.Key
						subjects = append(subjects, row)
					}
				}
			}
			if p.Site != "" {
				for _, s := range pu.Sites {
					if s.Name == p.Site {
						subjects = append(subjects, s)
					}
				}
			} else {
				subjects = pu.Sites
			}
			for i, s := range subjects {
				if i == 4 {
					break
				}
				roots, title := pu.totalOf(s.Key)
				cd, err := h.add(totalChart, powerSource, s.Key, roots, "/api/chart?"+url.Values{"total": {s.Key}}.Encode())
				if err != nil {
					return p, err
				}
				cd.ID, cd.Title = s.Key, title
			}
			p.Charts, p.ChartJSON = h.done(b)
			return p, nil
		},
		live: func(p powerPage, since uint64) update {
			return whole("power", max(p.Snap.devicesSince, p.Snap.chainSince), since)
		},
	}
}

type loginPage struct{ *base }

var loginView = pageSpec[loginPage]{
	name:  "login",
	title: "Log in",
	build: func(r *http.Request, b *base) (loginPage, error) { return loginPage{b}, nil },
}

// pageFuncs are the templates' helpers.
var pageFuncs = template.FuncMap{
	"statusClass": statusClass,
	"healthClass": healthClass,
	"power": func(d *Device) string {
		if w, _, ok := watts(d); ok {
			return strconv.FormatFloat(w, 'f', 0, 64)
		}
		return ""
	},
	"gauge": gauge,
	// plural is "1 device", "2 devices".
	"plural": func(n int, noun string) string {
		if n == 1 {
			return "1 " + noun
		}
		return strconv.Itoa(n) + " " + noun + "s"
	},
	"div": func(a, b float64) float64 {
		if b == 0 {
			return 0
		}
		return a / b
	},
	"runtime": func(v string) string {
		f, ok := number(v)
		if !ok {
			return ""
		}
		return fmtRuntime(f)
	},
	"devHref":  devHref,
	"num":      fmtNum,
	"watts":    func(w float64) string { return strconv.FormatFloat(w, 'f', 0, 64) },
	"pct":      func(f float64) string { return strconv.FormatFloat(f*100, 'f', 0, 64) + " %" },
	"ago":      func(t time.Time) string { return since(t, time.Now()) },
	"chainRef": func(id string) string { return chain.Ref(id, "", "") },
	// chainRefs names chain roots: "ups1 + ups2".
	"chainRefs": func(ids []string) string {
		var out []string
		for _, id := range ids {
			out = append(out, chain.Ref(id, "", ""))
		}
		return strings.Join(out, " + ")
	},
	"devRef": func(id string) string {
		name, src, _ := strings.Cut(id, "@")
		return "/device?" + url.Values{"source": {src}, "ups": {name}}.Encode()
	},
	"whatifHref": func(id string) string { return "/chain?" + url.Values{"whatif": {id}}.Encode() + "#whatif" },
	// query is a URL's query from keys and values (those set).
	"query": func(kv ...string) template.URL {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] != "" {
				v.Set(kv[i], kv[i+1])
			}
		}
		return template.URL(v.Encode())
	},
}

// gaugeCell is a table cell with a bar: v is 0..100, class its colour.
type gaugeCell struct {
	V     float64
	Text  string
	Class string
}

// gauge is the cell of a percentage (battery charge or load): low is
// bad for a charge (below 20 % red, below 50 % orange), high for a load
// (from 80 % orange, from 100 % red).
func gauge(kind, v string) *gaugeCell {
	f, ok := number(v)
	if !ok {
		return nil
	}
	g := &gaugeCell{V: max(0, min(100, f)), Text: v + " %"}
	switch {
	case kind == "charge" && f < 20, kind == "load" && f >= 100:
		g.Class = "bad"
	case kind == "charge" && f < 50, kind == "load" && f >= 80:
		g.Class = "warn"
	}
	return g
}

// Style is the cell's bar width (a CSS variable).
func (g *gaugeCell) Style() template.CSS {
	return template.CSS(fmt.Sprintf("--v:%.0f", g.V))
}

// statusClass colours a device by its status: stale grey; low battery,
// off, overloaded or forced shutdown red; on battery or an alarm orange.
func statusClass(d *Device) string {
	switch kind, _ := devAlert(d); kind {
	case "stale":
		return "stale"
	case "lb", "fsd", "off", "over":
		return "bad"
	case "ob", "alarm", "rb":
		return "warn"
	}
	if st := nut.ParseStatus(d.Vars["ups.status"]); st.IsEmpty() {
		return ""
	}
	return "ok"
}

func healthClass(h chain.Health) string {
	switch h {
	case chain.Healthy:
		return "ok"
	case chain.Degraded:
		return "warn"
	}
	return "bad"
}
