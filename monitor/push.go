package monitor

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/nut"
)

// Change notification (docs/push-protocol.md): where a server offers it
// (powerchain's does, NUT's upsd does not), the monitor subscribes to
// every device of the server on a connection of its own, and a change is
// acted on when it happens instead of at the next poll. The polls go on
// as NUT's upsmon makes them, and every rule (DEADTIME, HOSTSYNC,
// FINALDELAY, POLLFREQALERT) reads what they read: a change only brings
// the next read forward. A change of a supply's own status or state has
// that supply read and judged at once; a change of a device on a supply's
// path up the chain (as the last full cycle read it), or of the chain
// itself (a device added or removed, a device.parent), brings the next
// full cycle forward, at most one every pushGap. Other devices' changes
// wait for the polls, which read them as NUT's upsmon would.

// pushGap is the least time between two full cycles (every supply and the
// power chain read) that changes bring forward: a device whose values
// change at every poll of its driver costs one cycle a second at most.
const pushGap = time.Second

// pushed gathers what the servers' streams said since the main loop last
// looked.
type pushed struct {
	mu     sync.Mutex
	sups   map[*supply]bool // supplies whose status or state changed
	other  bool             // anything else changed: a full cycle is due
	signal chan struct{}    // holds one wake-up at most
	active atomic.Int32     // servers with a live subscription
	// onPaths holds the chain IDs of the devices on the supplies' paths
	// (nil before the first full cycle: every change counts).
	onPaths atomic.Pointer[map[string]bool]
}

// heed notes the devices whose changes matter from a reading of the
// chain: those on a supply's path to the mains.
func (p *pushed) heed(g *chain.Graph, sups []*supply) {
	ids := map[string]bool{}
	for _, s := range sups {
		for _, l := range g.PathOf(s.id, nil).Links {
			ids[l.ID] = true
		}
	}
	p.onPaths.Store(&ids)
}

// matters reports whether a change of a device (by chain ID) can change
// what the monitor decides.
func (p *pushed) matters(id string) bool {
	on := p.onPaths.Load()
	return on == nil || (*on)[id]
}

func newPushed() *pushed { return &pushed{sups: map[*supply]bool{}, signal: make(chan struct{}, 1)} }

func (p *pushed) note(sups []*supply, other bool) {
	p.mu.Lock()
	for _, s := range sups {
		p.sups[s] = true
	}
	p.other = p.other || other
	p.mu.Unlock()
	select {
	case p.signal <- struct{}{}:
	default:
	}
}

// take returns and forgets what was noted.
func (p *pushed) take() (sups []*supply, other bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for s := range p.sups {
		sups = append(sups, s)
	}
	clear(p.sups)
	other, p.other = p.other, false
	return sups, other
}

// Subscribed is the number of servers whose changes the monitor hears as
// they happen now (the others it only polls).
func (m *Monitor) Subscribed() int { return int(m.push.active.Load()) }

// watchAll follows every server of the MONITOR lines until ctx ends; the
// returned function waits for that.
func (m *Monitor) watchAll(ctx context.Context) (wait func()) {
	bySrv := map[string]map[string][]*supply{}
	var order []string
	for _, s := range m.sups {
		srv := server(s.m.System)
		if bySrv[srv] == nil {
			bySrv[srv] = map[string][]*supply{}
			order = append(order, srv)
		}
		bySrv[srv][s.m.System.UPS] = append(bySrv[srv][s.m.System.UPS], s)
	}
	var wg sync.WaitGroup
	for _, srv := range order {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m.watch(ctx, srv, bySrv[srv])
		}()
	}
	return wg.Wait
}

// watch follows one server's changes, reconnecting (and resuming where
// it can) while ctx lasts, after a second, then twice as long each time
// up to maxRetry; it gives up on a server that offers none.
func (m *Monitor) watch(ctx context.Context, srv string, sups map[string][]*supply) {
	var any *supply // for STARTTLS: the server's name and FORCESSL
	for _, ss := range sups {
		any = ss[0]
	}
	var pos nut.Position
	retry := time.Second
	for {
		sub, err := m.subscribe(ctx, srv, any, pos)
		if errors.Is(err, client.ErrNoPush) {
			m.log.Info("server offers no change notification: polling it as NUT's upsmon does", "server", srv)
			return
		}
		if err == nil {
			retry = time.Second
			m.push.active.Add(1)
			if !sub.Resumed() {
				m.push.note(nil, true) // what happened meanwhile: read everything
			}
			err = m.follow(ctx, sub, srv, sups)
			pos = sub.Pos()
			sub.Close()
			m.push.active.Add(-1)
		}
		if ctx.Err() != nil {
			return
		}
		m.log.Debug("change notification interrupted; trying again", "server", srv, "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(retry):
		}
		retry = min(2*retry, maxRetry)
	}
}

// maxRetry bounds the wait between attempts to subscribe again.
const maxRetry = 30 * time.Second

// subscribe connects to srv as the polls do (STARTTLS as upsmon.conf
// says; no login: reading needs none) and subscribes to every device.
func (m *Monitor) subscribe(ctx context.Context, srv string, s *supply, since nut.Position) (*client.Subscription, error) {
	cctx, cancel := context.WithTimeout(ctx, m.cfg.DeadTime.Seconds()/2)
	defer cancel()
	c, err := client.Dial(cctx, srv)
	if err != nil {
		return nil, err
	}
	if err := m.startTLS(cctx, c, s); err != nil {
		c.Close()
		return nil, err
	}
	sub, err := c.Subscribe(cctx, since)
	if err != nil {
		c.Close()
		return nil, err
	}
	return sub, nil
}

// follow notes each change of srv's stream that matters until the stream
// ends.
func (m *Monitor) follow(ctx context.Context, sub *client.Subscription, srv string, sups map[string][]*supply) error {
	for {
		ch, err := sub.Next(ctx)
		if err != nil {
			return err
		}
		mine := sups[ch.UPS]
		topology := ch.Kind == nut.ChangeAdd || ch.Kind == nut.ChangeRemove || ch.Name == "device.parent"
		switch {
		case len(mine) > 0 && (ch.Kind == nut.ChangeState || ch.Name == "ups.status" || topology):
			m.push.note(mine, topology)
		case topology || m.push.matters(ch.UPS+"@"+srv):
			m.push.note(nil, true)
		}
	}
}

// wait waits for the next full cycle, which is due POLLFREQ (or
// POLLFREQALERT) after the last one ended, or earlier when a change says
// so; meanwhile it reads and judges the supplies whose own state
// changed. It reports true when the monitor is done (ctx ended, or the
// host is being shut down).
func (m *Monitor) wait(ctx context.Context, last time.Time) bool {
	var soon <-chan time.Time // the full cycle a change brought forward
	for {
		due := time.NewTimer(time.Until(last.Add(m.pollFreq())))
		select {
		case <-ctx.Done():
			due.Stop()
			return true
		case <-m.forced:
			due.Stop()
			m.log.Warn("forced shutdown requested")
			m.forceShutdown(ctx, m.supplyNames(func(*supply) bool { return true }))
			return true
		case <-due.C:
			return false
		case <-soon:
			due.Stop()
			return false
		case <-m.push.signal:
			due.Stop()
			sups, other := m.push.take()
			for _, s := range sups {
				m.poll(ctx, s)
			}
			if len(sups) > 0 && m.recalc(ctx) {
				return true
			}
			if soon == nil && (other || len(sups) > 0) { // the chain may see it too
				t := time.NewTimer(time.Until(last.Add(pushGap)))
				defer t.Stop()
				soon = t.C
			}
		}
	}
}
