package console

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"maps"
	"net/url"
	"os/exec"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/nut"
)

// The chain page's drawing: Graphviz's dot lays the graph out (ranks
// from the mains to the loads, crossings minimised), the console draws
// the SVG from that layout with its own markup (classes for the health,
// links for what-if, text for screen readers).
//
// Data centres feed a host's power supplies from two sides (A and B):
// the chain roots are split into two sides so that every host with
// supplies on both has one on each, the left side drawn from the mains
// on the left towards the middle, the right side from the mains on the
// right, and each host's supplies boxed together in the middle. That is
// what keeps lines from crossing where a one-sided drawing must cross
// them. Above collapseAbove devices each rack is one box until opened.

// collapseAbove is the number of devices from which racks are drawn
// closed.
const collapseAbove = 60

// dotPath is the layout program; "" when it is not installed (the
// drawing then falls back to a plain layered layout).
var dotPath = func() string {
	p, err := exec.LookPath("dot")
	if err != nil {
		return ""
	}
	return p
}()

// chainDrawing is the chain page's picture.
type chainDrawing struct {
	svg       template.HTML
	collapsed bool
	shown     map[string]bool // loads drawn with their supplies
}

// vnode is a box of the drawing: a device, a closed rack, or the mains.
type vnode struct {
	name  string // the layout's name: n0, n1, …
	id    string // device ID, group ID, or "" for the mains
	kind  string // "dev", "group", "mains"
	label string
	sub   string
	w     float64 // points
	right bool
}

// vedge links two boxes, from the supply to what it feeds.
type vedge struct {
	from, to string // layout names
	child    string // the device ID whose supply this is ("" for a group's)
	parent   string
}

// chainModel is what the layout engine is given.
type chainModel struct {
	nodes    []*vnode
	byID     map[string]*vnode
	edges    []vedge
	clusters []cluster
}

// cluster is a load's supplies, boxed.
type cluster struct {
	load    string
	members []string // layout names
}

// chainLayout is where the engine put everything, in SVG coordinates.
type chainLayout struct {
	w, h     float64
	pos      map[string][4]float64 // x, y (top left), w, h by layout name
	paths    [][]point             // per edge: Bézier points (start, c1, c2, end, c1, …)
	clusters [][4]float64
}

type point struct{ x, y float64 }

// buildChainModel decides what to draw: boxes, links, host boxes.
func buildChainModel(s *Snapshot, expand map[string]bool) (*chainModel, bool, map[string]bool) {
	g := s.Graph
	m := &chainModel{byID: map[string]*vnode{}}
	shown := map[string]bool{}
	if g == nil || len(g.Nodes) == 0 {
		return m, false, shown
	}
	groupOf := func(id string) (string, string) { return groupOfNode(s, id) }
	groups := map[string]bool{}
	for id := range g.Nodes {
		gid, _ := groupOf(id)
		groups[gid] = true
	}
	collapsed := len(g.Nodes) > collapseAbove && len(groups) > 1
	visible := func(id string) bool {
		gid, _ := groupOf(id)
		return !collapsed || expand[gid]
	}
	// Sides: where the supply paths of a load part — its chains' roots,
	// or the devices below a device they share (one UPS feeding two
	// PDUs) — those devices get opposite sides, and every device takes
	// the side of the nearest such device above it (the left one when
	// none: what the paths share stays left, its link to the right side
	// runs around the loads).
	up := func(id string) []string { // id, its parent, …, its root
		out := []string{id}
		for hop := 0; hop < chain.MaxHops; hop++ {
			n := g.Nodes[id]
			if n == nil || n.ParentID == "" || g.Nodes[n.ParentID] == nil {
				break
			}
			id = n.ParentID
			out = append(out, id)
		}
		return out
	}
	adj := map[string][]string{}
	for _, l := range s.Loads {
		if len(l.Supplies) < 2 {
			continue
		}
		first := up(l.Supplies[0])
		for _, sp := range l.Supplies[1:] {
			other := up(sp)
			a, b := first[len(first)-1], other[len(other)-1] // different roots
			for i, x := range other {
				if j := slices.Index(first, x); j >= 0 {
					if i == 0 || j == 0 {
						a, b = "", "" // one supply above the other
					} else {
						a, b = first[j-1], other[i-1]
					}
					break
				}
			}
			if a != "" && a != b && !slices.Contains(adj[a], b) {
				adj[a] = append(adj[a], b)
				adj[b] = append(adj[b], a)
			}
		}
	}
	branch := map[string]bool{} // side of the devices where paths part
	starts := slices.Sorted(maps.Keys(adj))
	for _, start := range starts {
		if _, ok := branch[start]; ok {
			continue
		}
		branch[start] = false
		queue := []string{start}
		for len(queue) > 0 {
			x := queue[0]
			queue = queue[1:]
			for _, y := range adj[x] {
				if _, ok := branch[y]; !ok {
					branch[y] = !branch[x]
					queue = append(queue, y)
				}
			}
		}
	}
	right := map[string]bool{}
	for id := range g.Nodes {
		for _, x := range up(id) {
			if side, ok := branch[x]; ok {
				right[id] = side
				break
			}
		}
	}
	add := func(n *vnode) *vnode {
		n.name = "n" + strconv.Itoa(len(m.nodes))
		m.nodes = append(m.nodes, n)
		m.byID[n.id] = n
		return n
	}
	rep := func(id string) *vnode {
		if visible(id) {
			return m.byID[id]
		}
		gid, _ := groupOf(id)
		return m.byID[gid]
	}
	// Boxes, in a stable order.
	for _, id := range g.IDs() {
		n := g.Nodes[id]
		if !visible(id) {
			gid, name := groupOf(id)
			if m.byID[gid] == nil {
				add(&vnode{id: gid, kind: "group", label: name, w: boxWidth(name)})
			}
			continue
		}
		label := n.Name
		if n.Parent.Outlet != "" {
			label += " ← " + n.Parent.Outlet
		}
		add(&vnode{id: id, kind: "dev", label: label, w: boxWidth(label), right: right[id]})
	}
	var mainsL, mainsR *vnode
	for _, id := range g.IDs() {
		n := g.Nodes[id]
		child := rep(id)
		if n.ParentID == "" || g.Nodes[n.ParentID] == nil {
			if !n.Parent.IsMains() || n.Err != "" {
				continue
			}
			side := &mainsL
			if child.right {
				side = &mainsR
			}
			if *side == nil {
				*side = add(&vnode{id: "mains" + map[bool]string{false: "L", true: "R"}[child.right], kind: "mains", label: "mains", w: 80, right: child.right})
			}
			m.edges = append(m.edges, vedge{from: (*side).name, to: child.name, child: id})
			continue
		}
		parent := rep(n.ParentID)
		if parent == child {
			continue
		}
		m.edges = append(m.edges, vedge{from: parent.name, to: child.name, child: id, parent: n.ParentID})
	}
	// Links between closed racks are drawn once.
	uniq := m.edges[:0]
	had := map[[2]string]bool{}
	for _, e := range m.edges {
		k := [2]string{e.from, e.to}
		if had[k] && (m.nodes[mustIndex(e.from)].kind == "group" || m.nodes[mustIndex(e.to)].kind == "group") {
			continue
		}
		had[k] = true
		uniq = append(uniq, e)
	}
	m.edges = uniq
	for _, l := range s.Loads {
		all := true
		var members []string
		for _, sp := range l.Supplies {
			if !visible(sp) || m.byID[sp] == nil {
				all = false
				break
			}
			members = append(members, m.byID[sp].name)
		}
		if !all {
			continue
		}
		shown[l.Name] = true
		if len(members) > 1 || g.Nodes[l.Supplies[0]].Host != "" {
			m.clusters = append(m.clusters, cluster{load: l.Name, members: members})
		}
	}
	return m, collapsed, shown
}

// mustIndex is a layout name's index (n12 → 12).
func mustIndex(name string) int {
	i, _ := strconv.Atoi(name[1:])
	return i
}

// boxWidth is a box's width for a label, in points.
func boxWidth(label string) float64 {
	return max(150, 7.2*float64(len([]rune(label)))+24)
}

const boxHeight = 44

// dot writes the model in Graphviz's language. Right-side links are
// written from what is fed to its supply, so that the right side's ranks
// run from the middle out to its mains. The supplies of loads stand in
// two middle ranks, the left side's then the right side's, each load's
// boxed together: every line then runs from its side's devices to the
// middle without crossing another.
func (m *chainModel) dot() string {
	var b strings.Builder
	b.WriteString("digraph chain {\nrankdir=LR; newrank=true; nodesep=0.22; ranksep=0.7; fontname=\"sans-serif\"; fontsize=12;\n")
	b.WriteString("node [shape=box, fixedsize=true, label=\"\"];\nedge [dir=none];\n")
	for _, n := range m.nodes {
		fmt.Fprintf(&b, "%s [width=%.3f, height=%.3f];\n", n.name, n.w/72, float64(boxHeight)/72)
	}
	for i, c := range m.clusters {
		fmt.Fprintf(&b, "subgraph cluster_%d { label=%s; margin=10; %s; }\n", i, strconv.Quote(c.load), strings.Join(c.members, "; "))
	}
	// The middle ranks: the supplies of loads (devices that feed
	// nothing drawn), by side.
	feeds := map[string]bool{}
	for _, e := range m.edges {
		feeds[e.from] = true
	}
	var left, right []string
	for _, n := range m.nodes {
		if n.kind != "dev" || feeds[n.name] {
			continue
		}
		if n.right {
			right = append(right, n.name)
		} else {
			left = append(left, n.name)
		}
	}
	if len(left) > 0 {
		fmt.Fprintf(&b, "{ rank=same; %s; }\n", strings.Join(left, "; "))
	}
	if len(right) > 0 {
		fmt.Fprintf(&b, "{ rank=same; %s; }\n", strings.Join(right, "; "))
	}
	// A load's left supply beside its right one.
	tied := false
	for _, c := range m.clusters {
		var l, r string
		for _, name := range c.members {
			if n := m.nodes[mustIndex(name)]; n.right && r == "" {
				r = name
			} else if !n.right && l == "" {
				l = name
			}
		}
		if l != "" && r != "" {
			fmt.Fprintf(&b, "%s -> %s [style=invis, weight=10];\n", l, r)
			tied = true
		}
	}
	if !tied && len(left) > 0 && len(right) > 0 {
		fmt.Fprintf(&b, "%s -> %s [style=invis];\n", left[0], right[0])
	}
	for i, e := range m.edges {
		from, to := m.nodes[mustIndex(e.from)], m.nodes[mustIndex(e.to)]
		if from.right && to.right {
			fmt.Fprintf(&b, "%s -> %s [id=e%d];\n", e.to, e.from, i)
			continue
		}
		fmt.Fprintf(&b, "%s -> %s [id=e%d];\n", e.from, e.to, i)
	}
	b.WriteString("}\n")
	return b.String()
}

// layoutCache keeps recent layouts by their graph (the layout depends on
// the structure only, not on the health).
var layoutCache = struct {
	sync.Mutex
	m     map[string]*chainLayout
	order []string
}{m: map[string]*chainLayout{}}

// layout runs dot on the model (or returns the cached layout).
func (m *chainModel) layout(ctx context.Context) (*chainLayout, error) {
	src := m.dot()
	layoutCache.Lock()
	l := layoutCache.m[src]
	layoutCache.Unlock()
	if l != nil {
		return l, nil
	}
	if dotPath == "" {
		return nil, errors.New("Graphviz's dot is not installed")
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, dotPath, "-Tjson")
	cmd.Stdin = strings.NewReader(src)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("dot: %w: %s", err, strings.TrimSpace(errb.String()))
	}
	l, err := parseDotJSON(out.Bytes(), len(m.edges), len(m.clusters))
	if err != nil {
		return nil, err
	}
	layoutCache.Lock()
	if len(layoutCache.order) >= 16 {
		delete(layoutCache.m, layoutCache.order[0])
		layoutCache.order = layoutCache.order[1:]
	}
	layoutCache.m[src] = l
	layoutCache.order = append(layoutCache.order, src)
	layoutCache.Unlock()
	return l, nil
}

// parseDotJSON reads dot's -Tjson output into SVG coordinates (dot's y
// axis points up). Links are matched by their id (e0, e1, … in the
// model's order).
func parseDotJSON(b []byte, edges, clusters int) (*chainLayout, error) {
	var g struct {
		BB      string `json:"bb"`
		Objects []struct {
			Name   string `json:"name"`
			Pos    string `json:"pos"`
			Width  string `json:"width"`
			Height string `json:"height"`
			BB     string `json:"bb"`
		} `json:"objects"`
		Edges []struct {
			ID  string `json:"id"`
			Pos string `json:"pos"`
		} `json:"edges"`
	}
	if err := json.Unmarshal(b, &g); err != nil {
		return nil, fmt.Errorf("dot's layout: %w", err)
	}
	nums := func(s string) []float64 {
		var out []float64
		for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
			v, err := strconv.ParseFloat(f, 64)
			if err == nil {
				out = append(out, v)
			}
		}
		return out
	}
	bb := nums(g.BB)
	if len(bb) != 4 {
		return nil, fmt.Errorf("dot's layout: bounding box %q", g.BB)
	}
	h := bb[3]
	l := &chainLayout{w: bb[2], h: h, pos: map[string][4]float64{}, clusters: make([][4]float64, clusters)}
	for _, o := range g.Objects {
		if o.Pos == "" { // a cluster (or a subgraph of ranks)
			i, err := strconv.Atoi(strings.TrimPrefix(o.Name, "cluster_"))
			if c := nums(o.BB); err == nil && i >= 0 && i < clusters && len(c) == 4 {
				l.clusters[i] = [4]float64{c[0], h - c[3], c[2] - c[0], c[3] - c[1]}
			}
			continue
		}
		p, w, ht := nums(o.Pos), nums(o.Width), nums(o.Height)
		if len(p) != 2 || len(w) != 1 || len(ht) != 1 {
			continue
		}
		W, H := w[0]*72, ht[0]*72
		l.pos[o.Name] = [4]float64{p[0] - W/2, h - p[1] - H/2, W, H}
	}
	l.paths = make([][]point, edges)
	for _, e := range g.Edges {
		i, err := strconv.Atoi(strings.TrimPrefix(e.ID, "e"))
		if err != nil || i < 0 || i >= edges || !strings.HasPrefix(e.ID, "e") {
			continue // an invisible link, which only places boxes
		}
		var pts []point
		for _, tok := range strings.Fields(e.Pos) {
			if strings.HasPrefix(tok, "e,") || strings.HasPrefix(tok, "s,") {
				continue
			}
			if v := nums(tok); len(v) == 2 {
				pts = append(pts, point{v[0], h - v[1]})
			}
		}
		l.paths[i] = pts
	}
	for i, p := range l.paths {
		if len(p) < 4 {
			return nil, fmt.Errorf("dot's layout: link %d not drawn", i)
		}
	}
	return l, nil
}

// layeredLayout places the boxes without dot: one column per depth,
// sorted, lines straight. It is what the page shows where Graphviz is
// not installed.
func (m *chainModel) layeredLayout() *chainLayout {
	parent := map[string]string{}
	for _, e := range m.edges {
		parent[e.to] = e.from
	}
	depth := func(name string) int {
		d := 0
		for p, ok := parent[name]; ok && d < chain.MaxHops; p, ok = parent[p] {
			d++
		}
		return d
	}
	cols := map[int][]*vnode{}
	maxCol := 0
	for _, n := range m.nodes {
		d := depth(n.name)
		cols[d] = append(cols[d], n)
		maxCol = max(maxCol, d)
	}
	l := &chainLayout{pos: map[string][4]float64{}}
	x := 10.0
	for c := 0; c <= maxCol; c++ {
		w := 0.0
		for i, n := range cols[c] {
			l.pos[n.name] = [4]float64{x, 10 + float64(i)*(boxHeight+16), n.w, boxHeight}
			w = max(w, n.w)
			l.h = max(l.h, 10+float64(i+1)*(boxHeight+16))
		}
		x += w + 60
	}
	l.w = x
	for _, e := range m.edges {
		a, b := l.pos[e.from], l.pos[e.to]
		p0, p1 := point{a[0] + a[2], a[1] + a[3]/2}, point{b[0], b[1] + b[3]/2}
		l.paths = append(l.paths, []point{p0, p0, p1, p1})
	}
	return l
}

// nodeClass colours a device: impaired red, on battery orange, else
// green; no data grey. failed names a device assumed failed (what-if).
func nodeClass(g *chain.Graph, n *chain.Node, failed map[string]bool) string {
	if n.Stale && !failed[n.ID] {
		return "stale"
	}
	h, _ := g.DeviceHealth(n, failed)
	st := nut.ParseStatus(n.Status)
	switch {
	case h != chain.Healthy:
		return "bad"
	case st.Has(nut.OB) || st.Has(nut.ALARM):
		return "warn"
	}
	return "ok"
}

// drawChain draws the snapshot's chain: racks in expand open (when the
// chain is large enough to be drawn with racks closed), coloured as if
// failed had failed when it is set.
func (c *Console) drawChain(s *Snapshot, expand map[string]bool, failed string) chainDrawing {
	g := s.Graph
	if g == nil || len(g.Nodes) == 0 {
		return chainDrawing{svg: template.HTML(`<p id="chain-empty">No devices.</p>`)}
	}
	m, collapsed, shown := buildChainModel(s, expand)
	l, err := m.layout(context.Background())
	if err != nil {
		c.log.Warn("chain layout with Graphviz failed; drawing plain columns", "err", err)
		l = m.layeredLayout()
	}
	fail := map[string]bool{}
	if failed != "" {
		fail[failed] = true
	}
	lost := map[string]bool{}
	if failed != "" {
		for _, ld := range g.Impact(failed).Lost {
			for _, sp := range ld.Supplies {
				lost[sp] = true
			}
		}
	}
	loadHealth := map[string]chain.Health{}
	for _, ld := range g.Loads(fail) {
		loadHealth[ld.Name] = ld.Health
	}
	// What the closed racks hold, for their colour.
	groupWorst := map[string]string{}
	if s.fleet != nil {
		for _, st := range s.fleet.sites {
			for _, gr := range st.Groups {
				groupWorst[gr.ID] = gr.Sum.Worst()
			}
		}
	}
	esc := template.HTMLEscapeString
	var b strings.Builder
	const pad = 8
	fmt.Fprintf(&b, `<svg id="chain" xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="%d %d %.0f %.0f" role="group" aria-label="Power chain drawing">`,
		l.w+2*pad, l.h+2*pad, -pad, -pad, l.w+2*pad, l.h+2*pad)
	for i, cl := range m.clusters {
		if i >= len(l.clusters) {
			break
		}
		r := l.clusters[i]
		cls := healthClass(loadHealth[cl.load])
		fmt.Fprintf(&b, `<g class="host %s" data-load="%s"><rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="8"/><text x="%.1f" y="%.1f">%s</text></g>`,
			cls, esc(cl.load), r[0], r[1], r[2], r[3], r[0]+8, r[1]+15, esc(cl.load+" ("+string(loadHealth[cl.load])+")"))
	}
	for i, e := range m.edges {
		if i >= len(l.paths) || len(l.paths[i]) < 2 {
			continue
		}
		pts := l.paths[i]
		from, to := m.nodes[mustIndex(e.from)], m.nodes[mustIndex(e.to)]
		if from.right && to.right { // written reversed for the layout (shared: cached)
			pts = slices.Clone(pts)
			slices.Reverse(pts)
		}
		cls := "ok"
		if e.child != "" && to.kind == "dev" {
			cls = healthClass(g.PathOf(e.child, fail).Health)
			if lost[e.child] || fail[e.child] {
				cls += " cut"
			}
		} else if to.kind == "group" {
			cls = groupWorst[to.id]
		}
		fmt.Fprintf(&b, `<path class="link %s" data-child="%s" data-parent="%s" d="%s"/>`, cls, esc(e.child), esc(e.parent), bezierPath(pts))
	}
	openHref := func(gid string) string {
		ids := []string{gid}
		for id := range expand {
			if id != gid {
				ids = append(ids, id)
			}
		}
		if expand[gid] { // close it
			ids = ids[1:]
		}
		sort.Strings(ids)
		if len(ids) == 0 {
			return "/chain"
		}
		return "/chain?" + url.Values{"expand": {strings.Join(ids, ",")}}.Encode()
	}
	for _, n := range m.nodes {
		p, ok := l.pos[n.name]
		if !ok {
			continue
		}
		var cls, href, sub string
		switch n.kind {
		case "mains":
			cls = "mains"
		case "group":
			cls = groupWorst[n.id]
			if cls == "" {
				cls = "ok"
			}
			cls += " group"
			count := 0
			for id := range g.Nodes {
				if gid, _ := groupOfNode(s, id); gid == n.id {
					count++
				}
			}
			sub = fmt.Sprintf("%d devices — open", count)
			href = openHref(n.id)
		default:
			nd := g.Nodes[n.id]
			cls = nodeClass(g, nd, fail)
			sub = nd.Type
			if nd.Status != "" {
				sub += " · " + nd.Status
			}
			if nd.Err != "" {
				sub += " · " + nd.Err
			}
			if fail[n.id] {
				cls += " failed"
			}
			if lost[n.id] {
				cls += " lost"
			}
			href = "/chain?" + url.Values{"whatif": {n.id}}.Encode() + "#whatif"
		}
		health := strings.Fields(cls)[0]
		// A link's name is its text (what is seen); the page's legend
		// describes what following it does.
		open := ""
		if href != "" {
			open = fmt.Sprintf(`<a href="%s" aria-describedby="chain-help">`, esc(href))
		}
		fmt.Fprintf(&b, `%s<g class="node %s" data-id="%s" data-health="%s"><rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="6"/>`,
			open, cls, esc(n.id), health, p[0], p[1], p[2], p[3])
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-weight="600">%s </text>`, p[0]+8, p[1]+18, esc(trim(n.label, int(p[2]/7.2))))
		if sub != "" {
			fmt.Fprintf(&b, `<text class="sub" x="%.1f" y="%.1f">%s</text>`, p[0]+8, p[1]+34, esc(trim(sub, int(p[2]/6.6))))
		}
		b.WriteString("</g>")
		if href != "" {
			b.WriteString("</a>")
		}
	}
	b.WriteString(`</svg>`)
	return chainDrawing{svg: template.HTML(b.String()), collapsed: collapsed, shown: shown}
}

// groupOfNode is the rack a chain node is drawn in (closed).
func groupOfNode(s *Snapshot, id string) (string, string) {
	if s.fleet != nil {
		if gr := s.fleet.groupOf[id]; gr != nil {
			return gr.ID, gr.Site + " · " + gr.Name()
		}
	}
	_, srv, _ := strings.Cut(id, "@")
	return htmlID("g", srv, ""), srv
}

// bezierPath writes dot's B-spline control points (p0 c1 c2 p1 c1 c2
// p2 …) as an SVG path.
func bezierPath(pts []point) string {
	var b strings.Builder
	fmt.Fprintf(&b, "M%.1f %.1f", pts[0].x, pts[0].y)
	for i := 1; i+2 < len(pts); i += 3 {
		fmt.Fprintf(&b, " C%.1f %.1f %.1f %.1f %.1f %.1f", pts[i].x, pts[i].y, pts[i+1].x, pts[i+1].y, pts[i+2].x, pts[i+2].y)
	}
	return b.String()
}

func trim(s string, n int) string {
	if r := []rune(s); len(r) > n && n > 1 {
		return string(r[:n-1]) + "…"
	}
	return s
}
