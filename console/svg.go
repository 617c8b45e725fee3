package console

import (
	"fmt"
	"html/template"
	"net/url"
	"sort"
	"strings"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/nut"
)

var healthColour = map[string]string{"ok": "#2e7d32", "warn": "#ef6c00", "bad": "#c62828", "stale": "#9e9e9e"}

// nodeClass colours a device: impaired red, on battery orange, else
// green; no data grey.
func nodeClass(g *chain.Graph, n *chain.Node) string {
	if n.Stale {
		return "stale"
	}
	h, _ := g.DeviceHealth(n, nil)
	st := nut.ParseStatus(n.Status)
	switch {
	case h != chain.Healthy:
		return "bad"
	case st.Has(nut.OB) || st.Has(nut.ALARM):
		return "warn"
	}
	return "ok"
}

// chainSVG draws the graph from the mains (left) to the loads (right),
// each device coloured by its health and each link by its path's; every
// device links to its what-if view. All text is escaped.
func chainSVG(g *chain.Graph) template.HTML {
	if g == nil || len(g.Nodes) == 0 {
		return template.HTML(`<p id="chain-empty">No devices.</p>`)
	}
	depth := map[string]int{}
	var depthOf func(id string, seen int) int
	depthOf = func(id string, seen int) int {
		if d, ok := depth[id]; ok {
			return d
		}
		n := g.Nodes[id]
		d := 1
		if n != nil && n.ParentID != "" && seen < 32 {
			if _, ok := g.Nodes[n.ParentID]; ok {
				d = depthOf(n.ParentID, seen+1) + 1
			}
		}
		depth[id] = d
		return d
	}
	cols := map[int][]string{}
	maxCol := 0
	for _, id := range g.IDs() {
		d := depthOf(id, 0)
		cols[d] = append(cols[d], id)
		maxCol = max(maxCol, d)
	}
	const w, h, dx, dy = 190, 42, 240, 56
	pos := map[string][2]int{}
	maxRows := 1
	for c := 1; c <= maxCol; c++ {
		ids := cols[c]
		sort.Strings(ids)
		for i, id := range ids {
			pos[id] = [2]int{20 + c*dx, 20 + i*dy}
		}
		maxRows = max(maxRows, len(ids))
	}
	height := 40 + maxRows*dy
	var b strings.Builder
	fmt.Fprintf(&b, `<svg id="chain" xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">`, 60+(maxCol+1)*dx, height)
	fmt.Fprintf(&b, `<g class="node" data-id="main"><rect x="20" y="%d" width="120" height="%d" rx="6" fill="#37474f"/><text x="30" y="%d" fill="#fff">mains</text></g>`,
		height/2-h/2, h, height/2+4)
	for _, id := range g.IDs() {
		n := g.Nodes[id]
		p := pos[id]
		px, py := 140, height/2
		if pp, ok := pos[n.ParentID]; ok && n.ParentID != "" {
			px, py = pp[0]+w, pp[1]+h/2
		}
		cls := healthClass(g.PathOf(id, nil).Health)
		fmt.Fprintf(&b, `<line class="link %s" data-child="%s" x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="3"/>`,
			cls, template.HTMLEscapeString(id), px, py, p[0], p[1]+h/2, healthColour[cls])
	}
	for _, id := range g.IDs() {
		n := g.Nodes[id]
		p := pos[id]
		cls := nodeClass(g, n)
		label := n.Name
		if n.Parent.Outlet != "" {
			label += " ← " + n.Parent.Outlet
		}
		fmt.Fprintf(&b, `<a href="/chain?whatif=%s#whatif"><g class="node %s" data-id="%s" data-health="%s"><rect x="%d" y="%d" width="%d" height="%d" rx="6" fill="%s"/>`,
			url.QueryEscape(id), cls, template.HTMLEscapeString(id), cls, p[0], p[1], w, h, healthColour[cls])
		fmt.Fprintf(&b, `<text x="%d" y="%d" fill="#fff" font-weight="bold">%s</text><text x="%d" y="%d" fill="#fff">%s %s</text></g></a>`,
			p[0]+8, p[1]+17, template.HTMLEscapeString(trim(label, 26)), p[0]+8, p[1]+33,
			template.HTMLEscapeString(n.Type), template.HTMLEscapeString(trim(n.Status, 18)))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func trim(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// lineSVG is a small line chart of samples.
func lineSVG(pts []Point) template.HTML {
	const w, h = 360, 80
	lo, hi := pts[0].Value, pts[0].Value
	for _, p := range pts {
		lo, hi = min(lo, p.Value), max(hi, p.Value)
	}
	if hi == lo {
		hi = lo + 1
	}
	t0, t1 := pts[0].At, pts[len(pts)-1].At
	span := t1.Sub(t0).Seconds()
	if span <= 0 {
		span = 1
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="line" xmlns="http://www.w3.org/2000/svg" width="%d" height="%d"><polyline fill="none" stroke="#1565c0" stroke-width="2" points="`, w, h+14)
	for _, p := range pts {
		x := p.At.Sub(t0).Seconds() / span * (w - 4)
		y := float64(h) - (p.Value-lo)/(hi-lo)*float64(h-4)
		fmt.Fprintf(&b, "%.1f,%.1f ", x+2, y)
	}
	fmt.Fprintf(&b, `"/><text x="2" y="%d" font-size="10">%g … %g (last %g)</text></svg>`, h+12, lo, hi, pts[len(pts)-1].Value)
	return template.HTML(b.String())
}
