package console

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/powerchain/powerchain/nut"
)

// requireDot fails in CI without Graphviz's dot (a peer the page uses),
// and skips elsewhere.
func requireDot(t *testing.T) {
	t.Helper()
	if dotPath == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("Graphviz's dot is missing: make deps installs it")
		}
		t.Skip("Graphviz's dot is not installed")
	}
}

// seg is a straight piece of a drawn link.
type seg struct{ a, b point }

// flatten turns a link's Bézier curves into short straight pieces.
func flatten(pts []point) []seg {
	var out []seg
	prev := pts[0]
	for i := 1; i+2 < len(pts); i += 3 {
		p0, c1, c2, p1 := pts[i-1], pts[i], pts[i+1], pts[i+2]
		for k := 1; k <= 16; k++ {
			t := float64(k) / 16
			u := 1 - t
			q := point{
				u*u*u*p0.x + 3*u*u*t*c1.x + 3*u*t*t*c2.x + t*t*t*p1.x,
				u*u*u*p0.y + 3*u*u*t*c1.y + 3*u*t*t*c2.y + t*t*t*p1.y,
			}
			out = append(out, seg{prev, q})
			prev = q
		}
	}
	return out
}

// cross reports whether two pieces cross (touching ends do not count).
func cross(s, o seg) bool {
	orient := func(p, q, r point) float64 { return (q.x-p.x)*(r.y-p.y) - (q.y-p.y)*(r.x-p.x) }
	d1, d2 := orient(s.a, s.b, o.a), orient(s.a, s.b, o.b)
	d3, d4 := orient(o.a, o.b, s.a), orient(o.a, o.b, s.b)
	return (d1*d2 < -1e-6) && (d3*d4 < -1e-6)
}

// inside reports whether p lies inside the box r (x, y, w, h), shrunk by
// m on every side.
func inside(p point, r [4]float64, m float64) bool {
	return p.x > r[0]+m && p.x < r[0]+r[2]-m && p.y > r[1]+m && p.y < r[1]+r[3]-m
}

// oneUPSRack is the example rack with both PDUs on ups1 (ups2 gone).
func oneUPSRack() *Snapshot {
	s := rackSnapshot(map[string]string{})
	delete(s.Graph.Nodes, "ups2@h:3493")
	pdu2 := s.Graph.Nodes["pdu2@h:3493"]
	pdu2.Parent, _ = nut.ParseParent("ups1")
	pdu2.ParentID = "ups1@h:3493"
	s.Devices = slices.DeleteFunc(s.Devices, func(d *Device) bool { return d.Name == "ups2" })
	s.Loads = s.Graph.Loads(nil)
	s.derive(nil, nil)
	return s
}

// TestChainDrawingReadable: the example rack, and the same with one UPS
// feeding both PDUs, are drawn with no two links crossing, no link
// running through a box it does not join or through another load's
// box, each load's power supplies boxed together, feed A's on the left
// of feed B's.
func TestChainDrawingReadable(t *testing.T) {
	requireDot(t)
	for name, s := range map[string]*Snapshot{"example rack": rackSnapshot(map[string]string{}), "one UPS, two PDUs": oneUPSRack()} {
		t.Run(name, func(t *testing.T) { readable(t, s) })
	}
}

func readable(t *testing.T, s *Snapshot) {
	m, collapsed, _ := buildChainModel(s, nil)
	if collapsed {
		t.Fatal("the example rack drawn collapsed")
	}
	l, err := m.layout(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(l.paths) != len(m.edges) || len(m.clusters) != 3 {
		t.Fatalf("%d paths for %d links, %d load boxes", len(l.paths), len(m.edges), len(m.clusters))
	}
	segs := make([][]seg, len(m.edges))
	for i := range m.edges {
		segs[i] = flatten(l.paths[i])
	}
	for i, e := range m.edges {
		for j := i + 1; j < len(m.edges); j++ {
			f := m.edges[j]
			if e.from == f.from || e.from == f.to || e.to == f.from || e.to == f.to {
				continue // links that share a box fan out from it
			}
			for _, a := range segs[i] {
				for _, b := range segs[j] {
					if cross(a, b) {
						t.Errorf("links %s–%s and %s–%s cross near (%.0f, %.0f)", e.parent, e.child, f.parent, f.child, a.a.x, a.a.y)
					}
				}
			}
		}
		for _, n := range m.nodes {
			if n.name == e.from || n.name == e.to {
				continue
			}
			for _, a := range segs[i] {
				if inside(a.b, l.pos[n.name], 1) {
					t.Errorf("link %s–%s runs through %s", e.parent, e.child, n.id)
					break
				}
			}
		}
		for k, c := range m.clusters {
			mine := false
			for _, name := range c.members {
				mine = mine || name == e.from || name == e.to
			}
			if mine {
				continue
			}
			for _, a := range segs[i] {
				if inside(a.b, l.clusters[k], 1) {
					t.Errorf("link %s–%s runs through the box of %s", e.parent, e.child, c.load)
					break
				}
			}
		}
	}
	for k, c := range m.clusters {
		var x []float64
		for _, name := range c.members {
			p := l.pos[name]
			if !inside(point{p[0] + p[2]/2, p[1] + p[3]/2}, l.clusters[k], 0) {
				t.Errorf("%s of %s is outside its box", m.nodes[mustIndex(name)].id, c.load)
			}
			x = append(x, p[0])
		}
		if len(x) != 2 || x[0] >= x[1] {
			t.Errorf("%s: supplies at x %v, want feed A's left of feed B's", c.load, x)
		}
	}
}

// TestChainCollapses: 500 devices in ten racks are drawn as ten boxes
// (with the links between racks once), a rack opens on its link and
// shows its devices while the others stay closed; a what-if on a
// device of an open rack marks it and the links it cuts.
func TestChainCollapses(t *testing.T) {
	requireDot(t)
	s := synthSnapshot(10, 50)
	places := map[string]Place{}
	for i, src := range s.Sources {
		places[src.Addr] = Place{Site: fmt.Sprintf("site%d", i/5), Rack: fmt.Sprintf("rack%d", i)}
	}
	s.derive(nil, places)
	c := &Console{}
	d := c.drawChain(s, nil, "")
	if !d.collapsed {
		t.Fatal("500 devices drawn open")
	}
	svg := string(d.svg)
	if n := strings.Count(svg, `class="node `); n != 11 {
		t.Errorf("%d boxes, want 10 racks closed and the mains", n)
	}
	open := regexp.MustCompile(`<a href="(/chain\?expand=[^"]+)"`).FindStringSubmatch(svg)
	if open == nil || !strings.Contains(svg, "50 devices — open") {
		t.Fatalf("no link opens a rack: %.500s", svg)
	}
	gid := s.fleet.groupOf["ups@"+s.Sources[0].Addr].ID
	d = c.drawChain(s, map[string]bool{gid: true}, "pdu1@"+s.Sources[0].Addr)
	svg = string(d.svg)
	if n := strings.Count(svg, `class="node `); n != 9+50+1 { // nine racks, fifty devices, the mains
		t.Errorf("%d boxes with one rack open, want 60", n)
	}
	if !strings.Contains(svg, `class="node bad failed" data-id="pdu1@`+s.Sources[0].Addr) {
		t.Error("the what-if's device is not marked failed")
	}
	// pdu1 is cut; its 23 supplies lose a path (each host has its
	// other supply on pdu2).
	if cut := strings.Count(svg, ` cut" data-child=`); cut != 1 {
		t.Errorf("%d links cut by pdu1's failure, want its own", cut)
	}
	if bad := len(regexp.MustCompile(`class="link bad" data-child="psu\d+@`).FindAllString(svg, -1)); bad != 23 {
		t.Errorf("%d supplies' links impaired by pdu1's failure, want 23", bad)
	}
}
