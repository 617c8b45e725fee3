package console

import (
	"bytes"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
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
}

// pageSpec is one page: its data and how an open copy is brought up to
// date.
type pageSpec[T any] struct {
	name  string
	build func(r *http.Request, b *base) (T, error)
	// live says what a copy of the page showing version since needs;
	// nil for a page that does not follow refreshes.
	live func(p T, since uint64) update
}

// update is what an open page needs to show the latest data: parts
// (elements by id, templates "PAGE/ID") and device rows.
type update struct {
	parts []string
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
		b := &base{Page: spec.name, Title: strings.ToUpper(spec.name[:1]) + spec.name[1:], CSRF: csrfToken(w, r),
			Snap: c.snapshot(r.Context()), Error: r.FormValue("error"), Live: spec.live != nil}
		b.Version = b.Snap.Version
		if s := c.sessionOf(r); s != nil {
			b.User = s.user
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
		if v := r.Header.Get("X-Fragment"); v != "" && spec.live != nil {
			since, err := strconv.ParseUint(v, 10, 64)
			if err != nil || since > b.Version {
				since = 0 // a page from before a restart: everything
			}
			c.fragment(w, spec.name, data, b.Version, spec.live(data, since))
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := c.tmpl.ExecuteTemplate(w, spec.name+".html", data); err != nil {
			c.log.Error("rendering a page failed", "page", spec.name, "err", err)
		}
	}
}

// fragment renders an update as JSON.
func (c *Console) fragment(w http.ResponseWriter, page string, data any, version uint64, u update) {
	if len(u.parts) == 0 && len(u.rows) == 0 {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	f := fragment{Version: version, Parts: map[string]string{}, Rows: map[string]string{}}
	var buf bytes.Buffer
	for _, id := range u.parts {
		buf.Reset()
		if err := c.tmpl.ExecuteTemplate(&buf, page+"/"+id, data); err != nil {
			c.log.Error("rendering a page part failed", "page", page, "part", id, "err", err)
			http.Error(w, "rendering failed", http.StatusInternalServerError)
			return
		}
		f.Parts[id] = buf.String()
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
func whole(changed, since uint64) update {
	if changed > since {
		return update{parts: []string{"live"}}
	}
	return update{}
}

// counts are the overview's totals.
type counts struct{ OB, LB, Stale, AtRisk int }

type overviewPage struct {
	*base
	Counts counts
}

var overview = pageSpec[overviewPage]{
	name: "overview",
	build: func(r *http.Request, b *base) (overviewPage, error) {
		var n counts
		for _, dev := range b.Snap.Devices {
			st := nut.ParseStatus(dev.Vars["ups.status"])
			if st.Has(nut.OB) {
				n.OB++
			}
			if st.Has(nut.LB) {
				n.LB++
			}
			if dev.Stale {
				n.Stale++
			}
		}
		for _, l := range b.Snap.Loads {
			if l.Health == chain.AtRisk {
				n.AtRisk++
			}
		}
		return overviewPage{base: b, Counts: n}, nil
	},
	// The totals and sources after every refresh; of the table, the
	// rows that changed, or all of it when devices came or went.
	live: func(p overviewPage, since uint64) update {
		s := p.Snap
		switch {
		case since >= s.Version:
			return update{}
		case since < s.membersSince:
			return update{parts: []string{"summary", "rows", "refreshed"}}
		}
		u := update{parts: []string{"summary", "refreshed"}}
		for _, d := range s.Devices {
			if d.since > since {
				u.rows = append(u.rows, d)
			}
		}
		return u
	},
}

type chainPage struct {
	*base
	SVG    template.HTML
	WhatIf string
	Lost   []chain.Load
}

var chainView = pageSpec[chainPage]{
	name: "chain",
	build: func(r *http.Request, b *base) (chainPage, error) {
		p := chainPage{base: b, SVG: chainSVG(b.Snap.Graph)}
		if id := r.FormValue("whatif"); id != "" {
			p.WhatIf, p.Lost = id, b.Snap.Graph.WhatIf(id)
		}
		return p, nil
	},
	live: func(p chainPage, since uint64) update { return whole(p.Snap.chainSince, since) },
}

type varRow struct {
	Name, Value string
	RW          bool
}

type chart struct {
	Name string
	SVG  template.HTML
}

type devicePage struct {
	*base
	Dev    *Device
	Vars   []varRow
	Charts []chart
}

func (c *Console) deviceView() pageSpec[devicePage] {
	return pageSpec[devicePage]{
		name: "device",
		build: func(r *http.Request, b *base) (devicePage, error) {
			dev := b.Snap.Device(r.FormValue("source"), r.FormValue("ups"))
			if dev == nil {
				return devicePage{}, errNotFound
			}
			p := devicePage{base: b, Dev: dev}
			b.Title = dev.Name
			rw := map[string]bool{}
			for _, v := range dev.RW {
				rw[v] = true
			}
			for k, v := range dev.Vars {
				p.Vars = append(p.Vars, varRow{k, v, rw[k]})
			}
			sort.Slice(p.Vars, func(i, j int) bool { return p.Vars[i].Name < p.Vars[j].Name })
			if c.store != nil {
				for _, v := range HistoryVars {
					pts, err := c.store.History(r.Context(), dev.Source, dev.Name, v, time.Now().Add(-24*time.Hour))
					if err == nil && len(pts) > 1 {
						p.Charts = append(p.Charts, chart{v, lineSVG(pts)})
					}
				}
			}
			return p, nil
		},
		live: func(p devicePage, since uint64) update { return whole(p.Dev.since, since) },
	}
}

type eventsPage struct {
	*base
	Events []Event
}

func (c *Console) eventsView() pageSpec[eventsPage] {
	return pageSpec[eventsPage]{
		name: "events",
		build: func(r *http.Request, b *base) (eventsPage, error) {
			b.Version = c.eventsVersion.Load() // before the events are read
			evs, err := c.events(r.Context(), 500)
			return eventsPage{base: b, Events: evs}, err
		},
		live: func(p eventsPage, since uint64) update { return whole(p.Version, since) },
	}
}

// powerRow is one line of the power use.
type powerRow struct {
	Name, Source string
	Watts        float64
}

// powerUse is real power per device, per chain root and per server.
type powerUse struct {
	Devices []powerRow `json:"devices"`
	Chains  []powerRow `json:"chains"`
	Sites   []powerRow `json:"sites"`
}

// powerOf sums real power per device, per chain root and per server.
func powerOf(s *Snapshot) powerUse {
	p := powerUse{Devices: []powerRow{}, Chains: []powerRow{}, Sites: []powerRow{}}
	sites := map[string]float64{}
	byID := map[string]float64{}
	for _, d := range s.Devices {
		if w, ok := watts(d); ok {
			p.Devices = append(p.Devices, powerRow{d.Name, d.Source, w})
			sites[d.Source] += w
			byID[d.Name+"@"+d.Source] = w
		}
	}
	// A root's chain draws what its direct children draw (or the root's
	// own reading when it has one).
	if s.Graph != nil {
		for _, root := range s.Graph.Roots() {
			w, ok := byID[root.ID]
			if !ok {
				for _, ch := range s.Graph.Children(root.ID) {
					w += byID[ch.ID]
				}
			}
			p.Chains = append(p.Chains, powerRow{Name: root.Name + "@" + root.Server, Watts: w})
		}
	}
	for k, v := range sites {
		p.Sites = append(p.Sites, powerRow{Name: k, Watts: v})
	}
	sort.Slice(p.Sites, func(i, j int) bool { return p.Sites[i].Name < p.Sites[j].Name })
	return p
}

type powerPage struct {
	*base
	powerUse
}

var powerView = pageSpec[powerPage]{
	name: "power",
	build: func(r *http.Request, b *base) (powerPage, error) {
		return powerPage{base: b, powerUse: powerOf(b.Snap)}, nil
	},
	live: func(p powerPage, since uint64) update {
		return whole(max(p.Snap.devicesSince, p.Snap.chainSince), since)
	},
}

type loginPage struct{ *base }

var loginView = pageSpec[loginPage]{
	name:  "login",
	build: func(r *http.Request, b *base) (loginPage, error) { return loginPage{b}, nil },
}

// pageFuncs are the templates' helpers.
var pageFuncs = template.FuncMap{"statusClass": statusClass, "healthClass": healthClass, "power": func(d *Device) string {
	if w, ok := watts(d); ok {
		return strconv.FormatFloat(w, 'f', 0, 64)
	}
	return ""
}}

// statusClass colours a device by its status: stale grey; low battery,
// off or forced shutdown red; on battery or an alarm orange.
func statusClass(d *Device) string {
	st := nut.ParseStatus(d.Vars["ups.status"])
	switch {
	case d.Stale:
		return "stale"
	case st.Has(nut.LB) || st.Has(nut.OFF) || st.Has(nut.FSD):
		return "bad"
	case st.Has(nut.OB) || st.Has(nut.ALARM):
		return "warn"
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

// watts is a device's real power: ups.realpower, input.realpower or
// outlet.realpower.
func watts(d *Device) (float64, bool) {
	for _, v := range []string{"ups.realpower", "input.realpower", "outlet.realpower"} {
		if f, ok := number(d.Vars[v]); ok {
			return f, true
		}
	}
	return 0, false
}
