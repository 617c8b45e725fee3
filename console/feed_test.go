package console_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/console"
	"github.com/powerchain/powerchain/internal/waittest"
)

// memFeed is a feed holding the devices of two servers of another site.
type memFeed struct {
	status atomic.Value // ups.status of feed-ups
	broken atomic.Bool
}

func (f *memFeed) Name() string { return "mem://fleet" }

func (f *memFeed) Read(ctx context.Context) ([]console.Source, []*console.Device, error) {
	if f.broken.Load() {
		return nil, nil, errors.New("bus unreachable")
	}
	st, _ := f.status.Load().(string)
	return []console.Source{{Addr: "10.9.0.1:3493", OK: true, Place: console.Place{Site: "Lyon", Rack: "R7"}}},
		[]*console.Device{
			{Source: "10.9.0.1:3493", Name: "feed-ups", Vars: map[string]string{"device.type": "ups", "ups.status": st, "device.parent": "main", "ups.realpower": "300"}},
			{Source: "10.9.0.1:3493", Name: "feed-psu", Vars: map[string]string{"device.type": "psu", "ups.status": "OL", "device.parent": "feed-ups", "device.host": "node7"}},
			// A server the feed carries without saying more of it.
			{Source: "10.9.0.2:3493", Name: "psu-b", Vars: map[string]string{"device.type": "psu", "ups.status": "OL", "device.parent": "feed-ups@10.9.0.1", "device.host": "node8"}},
		}, nil
}

// TestFeed: devices that come through a feed join those polled: in the
// sources (named with their feed, placed as the feed says), in the power
// chain (parents across the feed's servers resolved without polling
// them), as known servers for control; Wake brings a refresh at once, and
// a feed's failure is a source in error.
func TestFeed(t *testing.T) {
	l := rack(t)
	f := &memFeed{}
	f.status.Store("OL")
	var refreshes atomic.Int64
	p := &console.Poller{Sources: []string{l.server}, Feeds: []console.Feed{f}, Interval: time.Hour, Timeout: time.Second,
		OnSnapshot: func(prev, cur *console.Snapshot) { refreshes.Add(1) }}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go p.Run(ctx)
	if !waittest.Until(10*time.Second, 20*time.Millisecond, func() bool { return refreshes.Load() >= 1 }) {
		t.Fatal("no first refresh")
	}
	snap := p.Last()
	srcs := map[string]console.Source{}
	for _, s := range snap.Sources {
		srcs[s.Addr] = s
	}
	if s := srcs["10.9.0.1:3493"]; !s.OK || s.Feed != "mem://fleet" || s.Devices != 2 || s.Place.Site != "Lyon" {
		t.Errorf("the feed's first server: %+v", s)
	}
	if s := srcs["10.9.0.2:3493"]; !s.OK || s.Feed != "mem://fleet" || s.Devices != 1 {
		t.Errorf("the feed's second server: %+v", s)
	}
	if s := srcs[l.server]; !s.OK || s.Feed != "" || s.Devices != 10 {
		t.Errorf("the polled server: %+v", s)
	}
	if n := snap.Graph.Nodes["psu-b@10.9.0.2:3493"]; n == nil || n.ParentID != "feed-ups@10.9.0.1:3493" || n.Err != "" {
		t.Errorf("the chain across the feed's servers: %+v", n)
	}
	if ps := snap.Graph.PathOf("feed-psu@10.9.0.1:3493", nil); ps.Health != chain.Healthy || !ps.Mains || len(ps.Links) != 2 {
		t.Errorf("feed-psu's path: %+v", ps)
	}
	if !p.Known("10.9.0.2:3493") || !p.Known(l.server) || p.Known("10.9.0.3:3493") {
		t.Error("Known does not cover the feed's servers")
	}
	lyon := 0.0
	for _, s := range snap.Power().Sites {
		if s.Name == "Lyon" {
			lyon = s.Watts
		}
	}
	if lyon != 300 {
		t.Errorf("power of the feed's site Lyon: %v W, want its UPS's 300", lyon)
	}

	// A change the feed hears: Wake, and the next snapshot shows it.
	n := refreshes.Load()
	f.status.Store("OB LB")
	p.Wake()
	if !waittest.Until(10*time.Second, 20*time.Millisecond, func() bool { return refreshes.Load() > n }) {
		t.Fatal("Wake brought no refresh")
	}
	if d := p.Last().Device("10.9.0.1:3493", "feed-ups"); d == nil || d.Vars["ups.status"] != "OB LB" {
		t.Errorf("after Wake: %+v", d)
	}
	if l := p.Last().Graph.Loads(nil); !atRisk(l, "node7") {
		t.Errorf("node7 not at risk with its UPS low: %+v", l)
	}

	// Places given override what a feed says, and may change.
	p.SetPlaces(map[string]console.Place{"10.9.0.1:3493": {Site: "Lyon 2", Rack: "R8"}, l.server: {Site: "Paris"}})
	snap = p.Refresh(ctx)
	sites := map[float64]string{}
	for _, s := range snap.Power().Sites {
		sites[s.Watts] = s.Name
	}
	if sites[300] != "Lyon 2" || sites[900] != "Paris" {
		t.Errorf("sites after SetPlaces: %v", sites)
	}

	f.broken.Store(true)
	snap = p.Refresh(ctx)
	for _, s := range snap.Sources {
		if s.Addr == "mem://fleet" && (s.OK || s.Err != "bus unreachable") {
			t.Errorf("the broken feed: %+v", s)
		}
		if s.Addr == "10.9.0.1:3493" {
			t.Errorf("a broken feed's servers are still listed: %+v", s)
		}
	}
}

func atRisk(loads []chain.Load, name string) bool {
	for _, l := range loads {
		if l.Name == name {
			return l.Health == chain.AtRisk
		}
	}
	return false
}
