package natsbus

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/internal/lograte"
	"github.com/powerchain/powerchain/nut"
	"github.com/powerchain/powerchain/server"
)

// DefaultPingEvery is how often a publisher tells that it is alive when
// it has published nothing else.
const DefaultPingEvery = 5 * time.Second

// Publisher publishes one protocol server's devices on NATS: their
// changes as the server's Subscribe streams them, a full read when asked
// (and at start, after a reconnection, or when it fell behind the
// store's feed), pings, and events into the JetStream stream. It only
// reads the store's feed: however NATS fares, the server's NUT clients
// are served as before.
type Publisher struct {
	Conn     *nats.Conn
	Server   *server.Server
	Store    *device.Store
	Subjects Subjects
	// Site and Name place the server in the subjects; Addr is where NUT
	// clients reach it (host:port), told in the full reads and events.
	Site, Name, Addr string
	// Place is where the server stands (its site and rack, as DNS-SD
	// announces them), told in the full reads.
	Place Place
	// PingEvery: DefaultPingEvery when zero.
	PingEvery time.Duration
	// SnapshotEvery publishes a full read this often besides (zero:
	// never; followers ask when they need one).
	SnapshotEvery time.Duration
	// Stream bounds the events' stream when the publisher creates it.
	Stream StreamOptions
	// Domain is the JetStream domain of the stream ("": the one of the
	// server connected to); a leaf node's clients name the hub's.
	Domain string
	Log    *slog.Logger

	feed   string
	msg    atomic.Uint64 // the number of the last message published
	js     jetstream.JetStream
	stream atomic.Int32 // streamPending, streamReady or streamOff
	// held are events to publish once the stream is known to be there
	// and NATS connected (at most maxHeld), and retry those the stream
	// did not acknowledge.
	held  []heldEvent
	retry chan heldEvent
	warn  *lograte.Logger

	// What events are judged against, by device: ups.status and
	// outlet.N.status as served, and the state.
	known map[string]map[string]string
}

// stateKey holds a device's state among its known values.
const stateKey = ""

// What is known of the events' stream.
const (
	streamPending = iota // being made sure of: events are held
	streamReady          // events are published to it
	streamOff            // no JetStream: events are published for live followers only
)

// maxHeld bounds the events held; maxTries the times one is published.
// ackWait is how long an event waits for the stream's acknowledgement
// before it is published again: a message sent while a stream's leader
// is being elected (its node lost) is dropped without a reply, and
// without a deadline it would wait for ever. Publishing again is safe:
// each event carries a message ID the stream deduplicates on within its
// Duplicates window (two minutes).
const (
	maxHeld  = 10000
	maxTries = 20
	ackWait  = 5 * time.Second
)

// heldEvent is an event waiting to be published, and how many times it
// was.
type heldEvent struct {
	m     *nats.Msg
	tries int
}

// Run publishes until ctx ends, then tells followers that the server
// stops (DROPPED SHUTDOWN on the ping subject).
func (p *Publisher) Run(ctx context.Context) error {
	if p.Log == nil {
		p.Log = slog.Default()
	}
	if p.PingEvery <= 0 {
		p.PingEvery = DefaultPingEvery
	}
	p.warn = lograte.New(p.Log, time.Minute)
	p.feed = p.Store.Feed().ID()
	p.retry = make(chan heldEvent, maxHeld)
	js, err := newJetStream(p.Conn, p.Domain, jetstream.WithPublishAsyncTimeout(ackWait), jetstream.WithPublishAsyncErrHandler(func(_ jetstream.JetStream, m *nats.Msg, err error) {
		p.warn.Warn("an event was not stored in the JetStream stream; trying again", "subject", m.Subject, "err", err)
		select {
		case p.retry <- heldEvent{m: m, tries: tries(m)}:
		default:
		}
	}))
	if err != nil {
		return fmt.Errorf("nats: %w", err)
	}
	p.js = js
	var subs []*nats.Subscription
	defer func() {
		for _, s := range subs {
			s.Unsubscribe()
		}
	}()
	for _, subj := range []string{p.Subjects.Read(""), p.Subjects.Read(p.Site), p.Subjects.Server(p.Site, p.Name, KindRead)} {
		s, err := p.Conn.Subscribe(subj, p.answer)
		if err != nil {
			return fmt.Errorf("nats: subscribe %s: %w", subj, err)
		}
		subs = append(subs, s)
	}
	go p.ensureStream(ctx)

	sub, _ := p.Server.Subscribe(nut.Position{})
	p.learn()
	p.announce()
	reconnects := p.Conn.Stats().Reconnects
	lastSnap := time.Now()
	var changes []nut.Change
	for {
		pctx, cancel := context.WithTimeout(ctx, p.PingEvery)
		changes, err = sub.Next(pctx, changes)
		cancel()
		switch {
		case ctx.Err() != nil:
			p.stop()
			return nil
		case errors.Is(err, device.ErrLapped):
			p.warn.Warn("fell behind the store's changes; publishing a full read", "err", err)
			sub, _ = p.Server.Subscribe(nut.Position{})
			p.learn()
			p.announce()
			continue
		case err != nil: // nothing for PingEvery
			p.ping("PING " + strconv.FormatUint(sub.Pos(), 10))
		default:
			p.publishChanges(changes)
		}
		if r := p.Conn.Stats().Reconnects; r != reconnects {
			// Messages may have been lost while disconnected: followers
			// catch up from a full read.
			reconnects = r
			p.announce()
		}
		p.flushHeld()
		if p.SnapshotEvery > 0 && time.Since(lastSnap) >= p.SnapshotEvery {
			lastSnap = time.Now()
			p.announce()
		}
	}
}

// stop tells followers the server stops, and waits a moment for the
// messages to leave.
func (p *Publisher) stop() {
	p.ping(nut.ChangeDropped + " " + strconv.FormatUint(p.Store.Feed().Last(), 10) + " " + nut.DropShutdown + ` "the server is stopping"`)
	select {
	case <-p.js.PublishAsyncComplete():
	case <-time.After(time.Second):
	}
	p.Conn.FlushTimeout(time.Second)
}

// header is a message's headers: the feed, and the message's number.
func (p *Publisher) header(n uint64) nats.Header {
	return nats.Header{HeaderFeed: {p.feed}, HeaderMsg: {strconv.FormatUint(n, 10)}}
}

// send publishes a numbered message.
func (p *Publisher) send(subject string, data []byte) {
	n := p.msg.Add(1)
	if err := p.Conn.PublishMsg(&nats.Msg{Subject: subject, Header: p.header(n), Data: data}); err != nil {
		// The number is used: followers see the gap and read again.
		p.warn.Warn("publishing failed", "subject", subject, "err", err)
	}
}

// ping publishes an unnumbered line on the ping subject, with the number
// of the last message.
func (p *Publisher) ping(line string) {
	err := p.Conn.PublishMsg(&nats.Msg{Subject: p.Subjects.Server(p.Site, p.Name, KindPing), Header: p.header(p.msg.Load()),
		Data: []byte(line + "\n")})
	if err != nil {
		p.warn.Warn("publishing failed", "subject", "ping", "err", err)
	}
}

// maxPayload is the most a message may carry, less room for headers.
func (p *Publisher) maxPayload() int {
	n := int(p.Conn.MaxPayload())
	if n <= 0 {
		n = 1 << 20 // not yet connected: NATS's default
	}
	return n - 4096
}

// publishChanges publishes a batch of changes: the lines of one device
// and class (vars or state) in a row make one message; the descriptions
// of the devices added or whose META changed follow the batch; events go
// to the stream.
func (p *Publisher) publishChanges(changes []nut.Change) {
	max := p.maxPayload()
	var body []byte
	var ups, kind string
	flush := func() {
		if len(body) > 0 {
			p.send(p.Subjects.Device(p.Site, p.Name, ups, kind), body)
			body = nil
		}
	}
	var infos []string
	for _, c := range changes {
		k := KindState
		if c.Kind == nut.ChangeVar || c.Kind == nut.ChangeDelVar {
			k = KindVars
		}
		if c.UPS != ups || k != kind || len(body) > max {
			flush()
			ups, kind = c.UPS, k
		}
		body = nut.AppendChange(body, c)
		if (c.Kind == nut.ChangeAdd || c.Kind == nut.ChangeMeta) && !slices.Contains(infos, c.UPS) {
			infos = append(infos, c.UPS)
		}
		p.judge(c)
	}
	flush()
	p.infos(infos)
}

// infos publishes the descriptions of devices.
func (p *Publisher) infos(names []string) {
	for _, name := range names {
		d, ok := p.Store.Get(name)
		if !ok {
			continue
		}
		st := p.read(d)
		b, _ := json.Marshal(Info{Desc: st.Desc, RW: st.RW, Cmds: st.Cmds})
		p.send(p.Subjects.Device(p.Site, p.Name, name, KindInfo), b)
	}
}

// learn notes what events are judged against, from the store as it is.
func (p *Publisher) learn() {
	p.known = map[string]map[string]string{}
	for _, d := range p.Store.Devices() {
		k := map[string]string{stateKey: p.Server.State(d)}
		for _, v := range d.Snapshot().Vars {
			if eventVar(v.Name) != "" {
				k[v.Name] = p.Server.Served(d.Name(), v.Name, v.Value)
			}
		}
		p.known[d.Name()] = k
	}
}

// eventVar is the kind of event a change of the variable makes, "" for
// none.
func eventVar(name string) string {
	switch {
	case name == "ups.status":
		return EventStatus
	case strings.HasPrefix(name, "outlet.") && strings.HasSuffix(name, ".status"):
		return EventOutlet
	}
	return ""
}

// judge publishes the event a change makes, if any.
func (p *Publisher) judge(c nut.Change) {
	ev := Event{At: time.Now().UTC(), Site: p.Site, Server: p.Name, Addr: p.Addr, Device: c.UPS, Feed: p.feed, Seq: c.Seq}
	k := p.known[c.UPS]
	switch c.Kind {
	case nut.ChangeAdd:
		p.known[c.UPS] = map[string]string{}
		ev.Kind, ev.Message = EventDevice, DeviceAppeared
	case nut.ChangeRemove:
		if k == nil {
			return
		}
		delete(p.known, c.UPS)
		ev.Kind, ev.Message = EventDevice, DeviceGone
	case nut.ChangeState:
		if k == nil {
			k = map[string]string{}
			p.known[c.UPS] = k
		}
		was, seen := k[stateKey]
		k[stateKey] = c.Value
		if !seen || was == c.Value {
			return
		}
		ev.Kind, ev.Var, ev.From, ev.To = EventStatus, "", was, c.Value
		if c.Value == nut.StateOK {
			ev.Message = "data fresh again"
		} else {
			ev.Message = "no fresh data: " + c.Value
		}
	case nut.ChangeVar, nut.ChangeDelVar:
		kind := eventVar(c.Name)
		if kind == "" || k == nil {
			return
		}
		was, seen := k[c.Name]
		if c.Kind == nut.ChangeDelVar {
			delete(k, c.Name)
			return
		}
		k[c.Name] = c.Value
		if !seen || was == c.Value {
			return
		}
		ev.Kind, ev.Var, ev.From, ev.To = kind, c.Name, was, c.Value
		ev.Message = fmt.Sprintf("%s %q → %q", c.Name, was, c.Value)
	default:
		return
	}
	b, _ := json.Marshal(ev)
	m := &nats.Msg{Subject: p.Subjects.Device(p.Site, p.Name, c.UPS, KindEvent), Data: b,
		Header: nats.Header{jetstream.MsgIDHeader: {p.feed + ":" + strconv.FormatUint(c.Seq, 10) + ":" + c.UPS + ":" + ev.Var}}}
	p.hold(heldEvent{m: m})
	p.flushHeld()
}

// hold keeps an event to publish later.
func (p *Publisher) hold(h heldEvent) {
	if h.tries >= maxTries {
		p.warn.Warn("an event was not stored in the JetStream stream and is dropped", "subject", h.m.Subject, "tries", h.tries)
		return
	}
	if len(p.held) >= maxHeld {
		p.warn.Warn("too many events wait for NATS; dropped")
		return
	}
	p.held = append(p.held, h)
}

// flushHeld publishes the events held (and those to try again) once the
// stream is known about and NATS is connected.
func (p *Publisher) flushHeld() {
	for len(p.retry) > 0 {
		p.hold(<-p.retry)
	}
	if len(p.held) == 0 || p.stream.Load() == streamPending || !p.Conn.IsConnected() {
		return
	}
	held := p.held
	p.held = nil
	for _, h := range held {
		p.sendEvent(h)
	}
}

// tryHeader counts the times an event was published.
const tryHeader = "Powerchain-Try"

func tries(m *nats.Msg) int {
	n, _ := strconv.Atoi(m.Header.Get(tryHeader))
	return n
}

// sendEvent publishes a numbered event: into the stream, or for live
// followers only when there is no JetStream.
func (p *Publisher) sendEvent(h heldEvent) {
	m := h.m
	n := p.msg.Add(1)
	m.Header.Set(HeaderFeed, p.feed)
	m.Header.Set(HeaderMsg, strconv.FormatUint(n, 10))
	m.Header.Set(tryHeader, strconv.Itoa(h.tries+1))
	if p.stream.Load() == streamOff {
		if err := p.Conn.PublishMsg(m); err != nil {
			p.warn.Warn("publishing failed", "subject", m.Subject, "err", err)
		}
		return
	}
	if _, err := p.js.PublishMsgAsync(m); err != nil {
		p.hold(heldEvent{m: m, tries: h.tries + 1})
	}
}

// read is a device as a full read gives it.
func (p *Publisher) read(d *device.Device) Device {
	snap := d.Snapshot()
	out := Device{Name: d.Name(), Desc: snap.Desc, State: p.Server.State(d), Vars: make(map[string]string, len(snap.Vars)),
		Cmds: snap.Cmds}
	for _, v := range snap.Vars {
		out.Vars[v.Name] = p.Server.Served(out.Name, v.Name, v.Value)
		if v.Flags&device.RW != 0 {
			out.RW = append(out.RW, v.Name)
		}
	}
	return out
}

// snapshot is a full read of the server, in parts that fit a message.
func (p *Publisher) snapshot() [][]byte {
	// The number first: what the read shows is at least as new.
	msg := p.msg.Load()
	head := Snapshot{Site: p.Site, Server: p.Name, Addr: p.Addr, Place: p.Place, Feed: p.feed, Msg: msg, At: time.Now().UTC()}
	max := p.maxPayload()
	var parts [][]Device
	var cur []Device
	size := 0
	for _, d := range p.Store.Devices() {
		st := p.read(d)
		b, _ := json.Marshal(st)
		if len(cur) > 0 && size+len(b) > max {
			parts = append(parts, cur)
			cur, size = nil, 0
		}
		cur = append(cur, st)
		size += len(b) + 1
	}
	parts = append(parts, cur)
	out := make([][]byte, len(parts))
	for i, devs := range parts {
		s := head
		s.Part, s.Parts, s.Devices = i+1, len(parts), devs
		if s.Devices == nil {
			s.Devices = []Device{}
		}
		out[i], _ = json.Marshal(s)
	}
	return out
}

// announce publishes a full read on the snapshot subject.
func (p *Publisher) announce() {
	subject := p.Subjects.Server(p.Site, p.Name, KindSnapshot)
	for _, b := range p.snapshot() {
		if err := p.Conn.Publish(subject, b); err != nil {
			p.warn.Warn("publishing failed", "subject", subject, "err", err)
		}
	}
}

// answer replies to a read request with a full read.
func (p *Publisher) answer(m *nats.Msg) {
	if m.Reply == "" {
		return
	}
	for _, b := range p.snapshot() {
		if err := p.Conn.Publish(m.Reply, b); err != nil {
			p.warn.Warn("answering a read failed", "err", err)
			return
		}
	}
}

// ensureStream creates the events' stream when it is missing, retrying
// until it exists or JetStream is found to be off.
func (p *Publisher) ensureStream(ctx context.Context) {
	for {
		err := EnsureStream(ctx, p.js, p.Subjects, p.Stream, p.Conn)
		switch {
		case err == nil:
			p.stream.Store(streamReady)
			return
		case errors.Is(err, jetstream.ErrJetStreamNotEnabled), errors.Is(err, jetstream.ErrJetStreamNotEnabledForAccount):
			p.Log.Warn("NATS without JetStream: events are published but not kept", "err", err)
			p.stream.Store(streamOff)
			return
		}
		p.warn.Warn("the events' JetStream stream is not there yet; trying again", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(5 * time.Second):
		}
	}
}

// newJetStream is JetStream in a domain ("": the server's own).
func newJetStream(nc *nats.Conn, domain string, opts ...jetstream.JetStreamOpt) (jetstream.JetStream, error) {
	if domain == "" {
		return jetstream.New(nc, opts...)
	}
	return jetstream.NewWithDomain(nc, domain, opts...)
}

// StreamOptions bound the events' JetStream stream when it is created;
// a stream that exists is used as it is (an operator may have tuned it).
type StreamOptions struct {
	// MaxAge: 7 days when zero.
	MaxAge time.Duration
	// MaxBytes: 256 MiB when zero.
	MaxBytes int64
	// MaxPerDevice is the most events kept of one device: 10,000 when
	// zero.
	MaxPerDevice int64
	// Replicas: when zero, 3 on a cluster (1 where the cluster says it
	// cannot place three), 1 on a single server.
	Replicas int
}

// streamOnce keeps concurrent publishers of one process from racing to
// create the stream.
var streamOnce sync.Mutex

// EnsureStream creates the events' stream (subjects Subjects.Events(""))
// unless it exists.
func EnsureStream(ctx context.Context, js jetstream.JetStream, subj Subjects, o StreamOptions, nc *nats.Conn) error {
	streamOnce.Lock()
	defer streamOnce.Unlock()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	name := subj.StreamName()
	if _, err := js.Stream(ctx, name); err == nil {
		return nil
	} else if !errors.Is(err, jetstream.ErrStreamNotFound) {
		return err
	}
	cfg := jetstream.StreamConfig{
		Name:              name,
		Description:       "powerchain: devices' events (docs/fleet.md)",
		Subjects:          []string{subj.Events("")},
		Retention:         jetstream.LimitsPolicy,
		Discard:           jetstream.DiscardOld,
		MaxAge:            cmp.Or(o.MaxAge, 7*24*time.Hour),
		MaxBytes:          cmp.Or(o.MaxBytes, int64(256<<20)),
		MaxMsgsPerSubject: cmp.Or(o.MaxPerDevice, int64(10000)),
		Storage:           jetstream.FileStorage,
		Replicas:          o.Replicas,
		Duplicates:        2 * time.Minute,
	}
	if cfg.Replicas == 0 {
		// On a cluster, three replicas unless the server says it cannot
		// place them. The servers this connection has heard of say nothing
		// yet: right after connecting they may be only the one it dialled.
		cfg.Replicas = 1
		if nc.ConnectedClusterName() != "" {
			cfg.Replicas = 3
		}
	}
	_, err := js.CreateStream(ctx, cfg)
	if err != nil && cfg.Replicas > 1 && o.Replicas == 0 && tooFewPeers(err) {
		cfg.Replicas = 1
		_, err = js.CreateStream(ctx, cfg)
	}
	if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
		return nil // another publisher made it
	}
	if err != nil {
		return fmt.Errorf("creating JetStream stream %s: %w", name, err)
	}
	return nil
}

// JetStream API error codes of a cluster that cannot place a stream's
// replicas (nats-server's JSClusterNoPeersErr, JSInsufficientResourcesErr,
// JSStreamReplicasNotSupportedErr).
const (
	errCodeNoPeers               jetstream.ErrorCode = 10005
	errCodeInsufficientResources jetstream.ErrorCode = 10023
	errCodeReplicasNotSupported  jetstream.ErrorCode = 10074
)

// tooFewPeers reports whether err is the server saying it cannot place
// the replicas asked for (not a timeout or a leader election under way,
// which a later attempt outlasts).
func tooFewPeers(err error) bool {
	var api *jetstream.APIError
	if !errors.As(err, &api) {
		return false
	}
	switch api.ErrorCode {
	case errCodeNoPeers, errCodeInsufficientResources, errCodeReplicasNotSupported:
		return true
	}
	return false
}
