package console

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/powerchain/powerchain/chain"
)

// randomFeed is a fleet of three servers whose devices change at random
// between reads: a device that changes is a new object with new maps, as
// the feeds and polls hand them out.
type randomFeed struct {
	rng  *rand.Rand
	devs []*Device
	srcs []Source // when not the three of newRandomFeed
}

func (f *randomFeed) Name() string { return "random" }

func (f *randomFeed) Read(context.Context) ([]Source, []*Device, error) {
	srcs := f.srcs
	if srcs == nil {
		srcs = []Source{{Addr: "a:3493", OK: true}, {Addr: "b:3493", OK: true, Place: Place{Site: "Lyon"}}, {Addr: "c:3493", OK: true}}
	}
	return srcs, slices.Clone(f.devs), nil
}

func newRandomFeed(seed uint64) *randomFeed {
	f := &randomFeed{rng: rand.New(rand.NewPCG(seed, 1))}
	for _, src := range []string{"a:3493", "b:3493", "c:3493"} {
		add := func(name string, vars map[string]string) {
			f.devs = append(f.devs, newDevice(src, name, "", vars))
		}
		add("ups1", map[string]string{"device.type": "ups", "ups.status": "OL", "ups.realpower": "900", "battery.charge": "100"})
		add("ups2", map[string]string{"device.type": "ups", "ups.status": "OL", "ups.load": "40"})
		add("pdu1", map[string]string{"device.type": "pdu", "device.parent": "ups1", "outlet.1.status": "on", "outlet.2.status": "on",
			"outlet.1.realpower": "200", "input.voltage": "230"})
		add("pdu2", map[string]string{"device.type": "pdu", "device.parent": "ups2", "outlet.1.status": "on", "outlet.2.status": "on",
			"input.voltage": "230"})
		for h := range 3 {
			add(fmt.Sprintf("srv%d-psu1", h), map[string]string{"device.type": "psu", "device.parent": fmt.Sprintf("pdu1:outlet%d", 1+h%2),
				"device.host": fmt.Sprintf("srv%d-%s", h, src[:1]), "ups.status": "OL"})
			add(fmt.Sprintf("srv%d-psu2", h), map[string]string{"device.type": "psu", "device.parent": fmt.Sprintf("pdu2:outlet%d", 1+h%2),
				"device.host": fmt.Sprintf("srv%d-%s", h, src[:1]), "input.voltage": "230"})
		}
	}
	// One chain across servers: c's second UPS feeds from a's.
	f.devs[len(f.devs)-9+1].Vars["device.parent"] = "ups1@a"
	return f
}

// change changes n devices at random, in one of the ways a fleet's
// devices change; with members, devices may also come and go.
func (f *randomFeed) change(n int, members bool) {
	for range n {
		i := f.rng.IntN(len(f.devs))
		old := f.devs[i]
		d := newDevice(old.Source, old.Name, old.Desc, maps.Clone(old.Vars))
		d.Stale, d.Err = old.Stale, old.Err
		switch f.rng.IntN(10) {
		case 0:
			d.Vars["ups.status"] = []string{"OL", "OL CHRG", "OB DISCHRG", "OB LB", "OL OVER", "OFF", "ALARM OL"}[f.rng.IntN(7)]
		case 1:
			d.Vars["outlet.1.status"] = []string{"on", "off"}[f.rng.IntN(2)]
		case 2:
			d.Vars["input.voltage"] = []string{"230", "0", "231"}[f.rng.IntN(3)]
		case 3:
			d.Vars["ups.realpower"] = fmt.Sprint(100 * f.rng.IntN(10))
		case 4:
			d.Vars["outlet.2.realpower"] = fmt.Sprint(50 * f.rng.IntN(4))
		case 5:
			d.Stale = !d.Stale
			d.Err = map[bool]string{true: "DATA-STALE"}[d.Stale]
		case 6:
			d.Vars["device.location"] = []string{"", "R1", "R2"}[f.rng.IntN(3)]
		case 7:
			if d.Vars["device.type"] == "psu" {
				d.Vars["device.parent"] = []string{"pdu1:outlet1", "pdu2:outlet2", "ups2", "nowhere"}[f.rng.IntN(4)]
			}
		case 8:
			d.Vars["battery.charge"] = fmt.Sprint(f.rng.IntN(101))
		default:
			d.Vars["ups.load"] = fmt.Sprint(f.rng.IntN(130))
		}
		f.devs[i] = d
	}
	if members && f.rng.IntN(3) == 0 {
		i := f.rng.IntN(len(f.devs))
		if f.rng.IntN(2) == 0 {
			f.devs = slices.Delete(f.devs, i, i+1)
		} else {
			src := f.devs[i].Source
			f.devs = append(f.devs, newDevice(src, fmt.Sprintf("extra%d", f.rng.IntN(1000)), "",
				map[string]string{"device.type": "psu", "device.parent": "pdu1:outlet2", "ups.status": "OL", "device.host": "extra"}))
		}
	}
}

// TestIncrementalRefresh: a snapshot built from the one before (devices
// carried over, the chain updated in place of discovered, loads, power
// and events kept when nothing they read changed) is the snapshot built
// from nothing, refresh after refresh of random changes.
func TestIncrementalRefresh(t *testing.T) {
	for _, tc := range []struct {
		name    string
		changes int
		members bool
	}{
		{"one change a refresh", 1, false},
		{"a few changes a refresh", 4, false},
		{"devices come and go", 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			feed := newRandomFeed(uint64(len(tc.name)))
			inc := &Poller{Feeds: []Feed{feed}, Timeout: time.Second}
			ctx := context.Background()
			var prev *Snapshot
			incremental, loadsKept, powerKept, regrouped := 0, 0, 0, 0
			for step := range 300 {
				cur := inc.Refresh(ctx)
				full := (&Poller{Feeds: []Feed{feed}, Timeout: time.Second}).Refresh(ctx)
				if msg := sameView(cur, full); msg != "" {
					if prev != nil {
						for _, d := range cur.changed {
							o := prev.byID[d.ID()]
							if o != nil {
								t.Logf("changed %s: %q -> %q %v %v", d.ID(), o.fact().powerKey, d.fact().powerKey, o.Vars, d.Vars)
							}
						}
						t.Logf("samePower %v sameMembers %v", samePower(prev, cur), cur.sameMembers)
					}
					t.Fatalf("step %d: %s", step, msg)
				}
				if cur.chainUpdated {
					incremental++
				}
				if cur.loadsKept {
					loadsKept++
				}
				if cur.fleet.regrouped {
					regrouped++
				}
				if prev != nil && cur.fleet.power == prev.fleet.power {
					powerKept++
				}
				// Events: the same as from the whole of both snapshots.
				if prev != nil {
					strip := func(s *Snapshot) *Snapshot {
						c := *s
						c.byID, c.changed, c.sameMembers, c.loadsKept = nil, nil, false, false
						return &c
					}
					got, want := eventLines(diff(prev, cur)), eventLines(diff(strip(prev), strip(cur)))
					if !slices.Equal(got, want) {
						t.Fatalf("step %d: events\n%q\nwant\n%q", step, got, want)
					}
				}
				// Only changed devices are new objects.
				if prev != nil {
					for _, d := range cur.Devices {
						if o := prev.byID[d.ID()]; o != nil && o != d && !slices.Contains(cur.Changed(), d) {
							t.Fatalf("step %d: %s is a new object but not in Changed", step, d.ID())
						}
					}
				}
				prev = cur
				feed.change(tc.changes, tc.members)
			}
			if incremental < 75 || loadsKept == 0 || powerKept == 0 || regrouped == 0 {
				t.Errorf("the ways from the snapshot before were seldom taken")
			}
			t.Logf("of 300 refreshes, %d updated the chain in place, %d kept the loads, %d the power use, %d counted only the racks changed",
				incremental, loadsKept, powerKept, regrouped)
		})
	}
}

// sameView reports how two snapshots of the same devices differ in what
// the pages show ("" when they do not).
func sameView(a, b *Snapshot) string {
	if !slices.EqualFunc(a.Devices, b.Devices, func(x, y *Device) bool { return x.same(y) }) {
		return "devices differ"
	}
	if !sameGraph(a.Graph, b.Graph) {
		return "chains differ"
	}
	if !reflect.DeepEqual(a.Loads, b.Loads) {
		return fmt.Sprintf("loads differ:\n%+v\n%+v", a.Loads, b.Loads)
	}
	fa, fb := a.fleet, b.fleet
	if fa.alertsKey != fb.alertsKey || fa.total != fb.total {
		return fmt.Sprintf("banner or totals differ:\n%s %+v\n%s %+v", fa.alertsKey, fa.total, fb.alertsKey, fb.total)
	}
	if !reflect.DeepEqual(fa.power, fb.power) {
		return fmt.Sprintf("power differs:\n%+v\n%+v", fa.power, fb.power)
	}
	if len(fa.sites) != len(fb.sites) {
		return "sites differ"
	}
	for i, s := range fa.sites {
		o := fb.sites[i]
		if s.Name != o.Name || s.Sum != o.Sum || len(s.Groups) != len(o.Groups) {
			return fmt.Sprintf("site %s differs: %+v %+v", s.Name, s.Sum, o.Sum)
		}
		for j, g := range s.Groups {
			h := o.Groups[j]
			if g.ID != h.ID || g.Sum != h.Sum || !slices.EqualFunc(g.Devices, h.Devices, func(x, y *Device) bool { return x.ID() == y.ID() }) ||
				!slices.EqualFunc(g.Loads, h.Loads, func(x, y *chain.Load) bool { return x.Name == y.Name }) {
				return fmt.Sprintf("group %s/%s differs", s.Name, g.Rack)
			}
		}
	}
	return ""
}

func eventLines(evs []Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, fmt.Sprintf("%s %s %s %s %v", e.Source, e.Device, e.Kind, e.Message, e.Alarm))
	}
	slices.Sort(out)
	return out
}

// BenchmarkRefreshFleet: one refresh of a fleet of 500 servers × 20
// devices (BenchmarkFleetNATS's) read through a feed, after 25 of its
// devices changed as the fleet benchmark changes them (a reading, and
// one in ten the status): what a console following NATS spends on each
// snapshot, in process.
//
//	go test -run '^$' -bench RefreshFleet ./console
func BenchmarkRefreshFleet(b *testing.B) {
	feed := &randomFeed{rng: rand.New(rand.NewPCG(1, 2))}
	var srcs []Source
	for s := range 500 {
		addr := fmt.Sprintf("srv%03d.bench:3493", s)
		srcs = append(srcs, Source{Addr: addr, OK: true, Place: Place{Site: fmt.Sprintf("site%d", s/50)}})
		for i := range 20 {
			name, vars := FleetDevice(s, i)
			feed.devs = append(feed.devs, newDevice(addr, name, "", vars))
		}
	}
	feed.srcs = srcs
	p := &Poller{Feeds: []Feed{feed}, Timeout: time.Second}
	ctx := context.Background()
	p.Refresh(ctx)
	var updated, loadsKept, powerKept int
	b.ResetTimer()
	for n := range b.N {
		b.StopTimer()
		for k := range 25 {
			i := feed.rng.IntN(len(feed.devs))
			old := feed.devs[i]
			d := newDevice(old.Source, old.Name, old.Desc, maps.Clone(old.Vars))
			d.Vars["input.voltage"] = fmt.Sprint(220 + feed.rng.IntN(20))
			if (n*25+k)%10 == 0 {
				d.Vars["ups.status"] = map[string]string{"OL": "OL CHRG", "OL CHRG": "OL"}[d.Vars["ups.status"]]
			}
			d.Vars[FleetStampVar] = fmt.Sprint(n)
			feed.devs[i] = d
		}
		prev := p.Last()
		b.StartTimer()
		cur := p.Refresh(ctx)
		if cur.chainUpdated {
			updated++
		}
		if cur.loadsKept {
			loadsKept++
		}
		if cur.fleet.power == prev.fleet.power {
			powerKept++
		}
	}
	b.ReportMetric(float64(updated)/float64(b.N), "chain-updated/op")
	b.ReportMetric(float64(loadsKept)/float64(b.N), "loads-kept/op")
	b.ReportMetric(float64(powerKept)/float64(b.N), "power-kept/op")
}
