// Package device is the device model: a device is a named set of NUT
// variables with flags, enums and ranges, plus instant commands. Drivers
// write it; the NUT server, the monitor, the console and the metrics read
// it through immutable snapshots, and can wait for changes.
package device

import (
	"context"
	"errors"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Flag describes a variable, as NUT's ST_FLAG_* do.
type Flag uint8

const (
	// RW: the variable may be changed with SET VAR.
	RW Flag = 1 << iota
	// String: the value is a string of at most Aux characters.
	String
	// Number: the value is numeric (NUT's default type).
	Number
	// Immutable: set by configuration (override.*); drivers cannot change it.
	Immutable
)

// Range is one allowed interval of a numeric RW variable.
type Range struct{ Min, Max string }

// Var is one variable.
type Var struct {
	Name   string
	Value  string
	Flags  Flag
	Aux    int // maximum length of a String variable
	Enum   []string
	Ranges []Range
}

// Handler receives the writes that clients ask of a device.
type Handler interface {
	SetVar(ctx context.Context, name, value string) error
	InstCmd(ctx context.Context, name, param string) error
}

// ErrNoHandler is returned when a device has no driver to take a write.
var ErrNoHandler = errors.New("device has no driver handler")

// ErrCmdUnhandled is a driver's answer to an instant command it lists but
// does nothing with (NUT's STAT_INSTCMD_UNKNOWN): a tracked command's
// result reads ERR UNKNOWN, as NUT's upsd reports it.
var ErrCmdUnhandled = errors.New("the driver does not handle this command")

// Snapshot is an immutable view of a device at one version. Readers may
// keep and share it; it never changes.
type Snapshot struct {
	Name      string
	Desc      string
	Version   uint64
	Vars      []Var    // sorted by name ignoring case, as NUT lists them
	Cmds      []string // sorted
	Updated   time.Time
	Connected bool

	index map[string]int
	// Cache lets readers attach data derived from this snapshot (such as
	// an encoded protocol reply) so that it is computed once per version.
	Cache sync.Map
}

// Var returns the named variable.
func (s *Snapshot) Var(name string) (Var, bool) {
	i, ok := s.index[name]
	if !ok {
		return Var{}, false
	}
	return s.Vars[i], true
}

// Value returns a variable's value, "" when it is not there.
func (s *Snapshot) Value(name string) string {
	v, _ := s.Var(name)
	return v.Value
}

// HasCmd reports whether the device offers an instant command.
func (s *Snapshot) HasCmd(name string) bool {
	i := sort.SearchStrings(s.Cmds, name)
	return i < len(s.Cmds) && s.Cmds[i] == name
}

// Stale reports whether the data is older than maxAge at now.
func (s *Snapshot) Stale(now time.Time, maxAge time.Duration) bool {
	return s.Updated.IsZero() || now.Sub(s.Updated) > maxAge
}

// Device is one device's live state.
type Device struct {
	name string

	mu        sync.Mutex
	desc      string
	vars      map[string]*Var
	cmds      map[string]bool
	explicit  map[string]bool // commands a user's instcmds must name
	updated   time.Time
	connected bool
	handler   Handler
	version   uint64
	// snap is the snapshot of the current version, nil until asked for;
	// readers load it without the lock (every GET VAR does).
	snap    atomic.Pointer[Snapshot]
	changed chan struct{}
	// feed records the device's changes while it is in a store.
	feed *Feed
}

// New returns an empty device.
func New(name, desc string) *Device {
	return &Device{name: name, desc: desc, vars: map[string]*Var{}, cmds: map[string]bool{},
		changed: make(chan struct{})}
}

// Name is the device's name (its ups.conf section).
func (d *Device) Name() string { return d.name }

// RequireExplicit marks commands that switch more than the device (a
// server's chassis power): a user may run them only when upsd.users
// names them in instcmds — "instcmds = ALL" is not enough.
func (d *Device) RequireExplicit(cmds ...string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.explicit == nil {
		d.explicit = map[string]bool{}
	}
	for _, c := range cmds {
		d.explicit[strings.ToLower(c)] = true
	}
}

// Explicit reports whether a command needs to be named in a user's rights.
func (d *Device) Explicit(cmd string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.explicit[strings.ToLower(cmd)]
}

// SetHandler sets who takes SET VAR and INSTCMD for the device.
func (d *Device) SetHandler(h Handler) {
	d.mu.Lock()
	d.handler = h
	d.mu.Unlock()
}

// Handler returns the device's handler, or nil.
func (d *Device) Handler() Handler {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.handler
}

// Snapshot returns the current state; it is built at most once per
// version.
func (d *Device) Snapshot() *Snapshot {
	if s := d.snap.Load(); s != nil {
		return s
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if s := d.snap.Load(); s != nil {
		return s
	}
	s := &Snapshot{Name: d.name, Desc: d.desc, Version: d.version, Updated: d.updated,
		Connected: d.connected, index: make(map[string]int, len(d.vars))}
	s.Vars = make([]Var, 0, len(d.vars))
	for _, v := range d.vars {
		cp := *v
		cp.Enum = append([]string(nil), v.Enum...)
		cp.Ranges = append([]Range(nil), v.Ranges...)
		s.Vars = append(s.Vars, cp)
	}
	sort.Slice(s.Vars, func(i, j int) bool { return lessFold(s.Vars[i].Name, s.Vars[j].Name) })
	for i, v := range s.Vars {
		s.index[v.Name] = i
	}
	for c := range d.cmds {
		s.Cmds = append(s.Cmds, c)
	}
	sort.Strings(s.Cmds)
	d.snap.Store(s)
	return s
}

// Changed returns a channel that is closed at the next change.
func (d *Device) Changed() <-chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.changed
}

// publish records events of the device in its store's feed; d.mu held.
func (d *Device) publish(kinds ...EventKind) {
	if d.feed == nil || len(kinds) == 0 {
		return
	}
	evs := make([]Event, len(kinds))
	for i, k := range kinds {
		evs[i] = Event{Kind: k, Device: d.name}
	}
	d.feed.publish(evs...)
}

// bump records a change; d.mu must be held.
func (d *Device) bump() {
	d.version++
	d.snap.Store(nil)
	close(d.changed)
	d.changed = make(chan struct{})
}

// Update applies a batch of changes as one version.
func (d *Device) Update(fn func(tx *Tx)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	tx := &Tx{d: d}
	fn(tx)
	if tx.dirty {
		d.bump()
		tx.publish()
	}
}

// DataOK marks the data fresh now (NUT's dstate_dataok), and the driver
// connected.
func (d *Device) DataOK(now time.Time) {
	d.mu.Lock()
	var kinds [2]EventKind
	k := kinds[:0]
	if !d.connected {
		k = append(k, Connected)
	}
	if d.updated.IsZero() {
		k = append(k, Fresh)
	}
	d.publish(k...)
	d.updated = now
	d.connected = true
	d.bump()
	d.mu.Unlock()
}

// SetConnected records whether a driver feeds the device.
func (d *Device) SetConnected(ok bool) {
	d.mu.Lock()
	if d.connected != ok {
		d.connected = ok
		d.bump()
		if ok {
			d.publish(Connected)
		} else {
			d.publish(Disconnected)
		}
	}
	d.mu.Unlock()
}

// SetDesc sets the description (ups.conf "desc").
func (d *Device) SetDesc(desc string) {
	d.mu.Lock()
	if d.desc != desc {
		d.desc = desc
		d.bump()
		d.publish(Meta)
	}
	d.mu.Unlock()
}

// Tx is a batch of changes to one device.
type Tx struct {
	d     *Device
	dirty bool
	// What the feed is told (only while the device is in a store): the
	// variables whose value changed or that came or went, in the order
	// of their first change, and whether anything else did.
	vars []string
	seen map[string]bool
	meta bool
}

// touched notes a variable's change for the feed.
func (tx *Tx) touched(name string) {
	if tx.d.feed == nil || tx.seen[name] {
		return
	}
	if tx.seen == nil {
		tx.seen = map[string]bool{}
	}
	tx.seen[name] = true
	tx.vars = append(tx.vars, name)
}

// changedMeta notes a change of flags, enumerations, ranges or commands.
func (tx *Tx) changedMeta() {
	tx.dirty = true
	tx.meta = true
}

// publish tells the feed what the batch changed; d.mu held.
func (tx *Tx) publish() {
	d := tx.d
	if d.feed == nil {
		return
	}
	evs := make([]Event, 0, len(tx.vars)+1)
	for _, name := range tx.vars {
		if v, ok := d.vars[name]; ok {
			evs = append(evs, Event{Kind: VarSet, Device: d.name, Name: name, Value: v.Value})
		} else {
			evs = append(evs, Event{Kind: VarDeleted, Device: d.name, Name: name})
		}
	}
	if tx.meta {
		evs = append(evs, Event{Kind: Meta, Device: d.name})
	}
	d.feed.publish(evs...)
}

func (tx *Tx) get(name string) *Var {
	v := tx.d.vars[name]
	if v == nil {
		v = &Var{Name: name}
		tx.d.vars[name] = v
		tx.dirty = true
		tx.touched(name)
	}
	return v
}

// Get returns a variable's current value.
func (tx *Tx) Get(name string) (string, bool) {
	v, ok := tx.d.vars[name]
	if !ok {
		return "", false
	}
	return v.Value, true
}

// Set sets a variable's value, creating it if needed. An Immutable
// variable keeps its value.
func (tx *Tx) Set(name, value string) {
	v := tx.get(name)
	if v.Flags&Immutable != 0 || v.Value == value {
		return
	}
	v.Value = value
	tx.dirty = true
	tx.touched(name)
}

// SetImmutable sets a value that later Set calls cannot change.
func (tx *Tx) SetImmutable(name, value string) {
	v := tx.get(name)
	if v.Value != value {
		v.Value = value
		tx.dirty = true
		tx.touched(name)
	}
	if v.Flags&Immutable == 0 {
		v.Flags |= Immutable
		tx.changedMeta()
	}
}

// SetFlags sets a variable's flags (Immutable is kept).
func (tx *Tx) SetFlags(name string, f Flag) {
	v := tx.get(name)
	f |= v.Flags & Immutable
	if v.Flags != f {
		v.Flags = f
		tx.changedMeta()
	}
}

// SetAux sets the maximum length of a String variable.
func (tx *Tx) SetAux(name string, n int) {
	v := tx.get(name)
	if v.Aux != n {
		v.Aux = n
		tx.changedMeta()
	}
}

// AddEnum adds an allowed value of a variable.
func (tx *Tx) AddEnum(name, value string) {
	v := tx.get(name)
	for _, e := range v.Enum {
		if e == value {
			return
		}
	}
	v.Enum = append(v.Enum, value)
	tx.changedMeta()
}

// AddRange adds an allowed interval of a variable.
func (tx *Tx) AddRange(name string, r Range) {
	v := tx.get(name)
	v.Ranges = append(v.Ranges, r)
	tx.changedMeta()
}

// Delete removes a variable.
func (tx *Tx) Delete(name string) {
	if _, ok := tx.d.vars[name]; ok {
		delete(tx.d.vars, name)
		tx.dirty = true
		tx.touched(name)
	}
}

// AddCmd adds an instant command.
func (tx *Tx) AddCmd(name string) {
	if !tx.d.cmds[name] {
		tx.d.cmds[name] = true
		tx.changedMeta()
	}
}

// DeleteCmd removes an instant command.
func (tx *Tx) DeleteCmd(name string) {
	if tx.d.cmds[name] {
		delete(tx.d.cmds, name)
		tx.changedMeta()
	}
}

// Store holds the devices of one server, in the order they were added,
// and the feed of their changes.
type Store struct {
	mu      sync.Mutex // writers of both fields
	byName  sync.Map   // name → *Device; read without a lock by every request
	ordered []*Device
	feed    *Feed
	fsd     sync.Map // name → true: the forced-shutdown flag, read by every GET of ups.status
}

// NewStore returns an empty store with a feed of DefaultFeedSize events.
func NewStore() *Store { return NewStoreSize(DefaultFeedSize) }

// NewStoreSize returns an empty store whose feed holds at least n events.
func NewStoreSize(n int) *Store { return &Store{feed: newFeed(n)} }

// Feed is the record of the store's changes.
func (s *Store) Feed() *Feed { return s.feed }

// Add adds a device, replacing one of the same name.
func (s *Store) Add(d *Device) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.put(d) {
		s.ordered = append(s.ordered, d)
	}
}

// AddFirst adds devices before the others, in the order given, replacing
// any of the same name in place. (NUT's upsd lists the devices a reload
// adds before those it had.)
func (s *Store) AddFirst(ds ...*Device) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var front []*Device
	for _, d := range ds {
		if s.put(d) {
			front = append(front, d)
		}
	}
	s.ordered = append(front, s.ordered...)
}

// put stores d by its name and records it in the feed; a device of the
// same name is replaced in the order. It reports whether the name is new
// (the caller places it). s.mu held.
func (s *Store) put(d *Device) bool {
	old, replaced := s.byName.Load(d.name)
	if replaced {
		for i, x := range s.ordered {
			if x == old {
				s.ordered[i] = d
			}
		}
		old.(*Device).detach()
	}
	s.byName.Store(d.name, d)
	d.attach(s.feed)
	return !replaced
}

// Remove removes a device by name.
func (s *Store) Remove(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.byName.LoadAndDelete(name)
	if !ok {
		return
	}
	for i, x := range s.ordered {
		if x.name == name {
			s.ordered = append(s.ordered[:i:i], s.ordered[i+1:]...)
			break
		}
	}
	old.(*Device).detach()
	s.feed.publish(Event{Kind: Removed, Device: name})
}

// attach makes the device record its changes in f, which is told it was
// added and what it holds.
func (d *Device) attach(f *Feed) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.feed = f
	names := make([]string, 0, len(d.vars))
	for n := range d.vars {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return lessFold(names[i], names[j]) })
	evs := make([]Event, 0, len(names)+3)
	evs = append(evs, Event{Kind: Added, Device: d.name})
	for _, n := range names {
		evs = append(evs, Event{Kind: VarSet, Device: d.name, Name: n, Value: d.vars[n].Value})
	}
	if d.connected {
		evs = append(evs, Event{Kind: Connected, Device: d.name})
	}
	if !d.updated.IsZero() {
		evs = append(evs, Event{Kind: Fresh, Device: d.name})
	}
	f.publish(evs...)
}

// detach stops recording the device's changes (it left the store).
func (d *Device) detach() {
	d.mu.Lock()
	d.feed = nil
	d.mu.Unlock()
}

// SetFSD sets a device's forced-shutdown flag (NUT's FSD command); the
// flag is kept by name until the store goes. It reports whether the flag
// was newly set.
func (s *Store) SetFSD(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, was := s.fsd.LoadOrStore(name, true); was {
		return false
	}
	s.feed.publish(Event{Kind: FSDSet, Device: name})
	return true
}

// FSD reports whether a device's forced-shutdown flag is set.
func (s *Store) FSD(name string) bool {
	_, set := s.fsd.Load(name)
	return set
}

// Get returns a device by name.
func (s *Store) Get(name string) (*Device, bool) {
	d, ok := s.byName.Load(name)
	if !ok {
		return nil, false
	}
	return d.(*Device), true
}

// Devices returns the devices in order.
func (s *Store) Devices() []*Device {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Device(nil), s.ordered...)
}

// Each calls fn with the name of every variable (in no fixed order).
func (tx *Tx) Each(fn func(name string)) {
	for n := range tx.d.vars {
		fn(n)
	}
}

// lessFold orders names as NUT's state tree does (strcasecmp), with a
// case-sensitive tie-break so the order is total.
func lessFold(a, b string) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		ca, cb := lower(a[i]), lower(b[i])
		if ca != cb {
			return ca < cb
		}
	}
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// MarkStale records that the driver says its data is not usable
// (DATASTALE): readers see the data as stale until the next DataOK.
func (d *Device) MarkStale() {
	d.mu.Lock()
	if !d.updated.IsZero() {
		d.updated = time.Time{}
		d.bump()
		d.publish(Stale)
	}
	d.mu.Unlock()
}

// DelEnum removes an allowed value of a variable.
func (tx *Tx) DelEnum(name, value string) {
	v, ok := tx.d.vars[name]
	if !ok {
		return
	}
	for i, e := range v.Enum {
		if e == value {
			v.Enum = append(v.Enum[:i:i], v.Enum[i+1:]...)
			tx.changedMeta()
			return
		}
	}
}

// DelRange removes an allowed interval of a variable.
func (tx *Tx) DelRange(name string, r Range) {
	v, ok := tx.d.vars[name]
	if !ok {
		return
	}
	for i, x := range v.Ranges {
		if x == r {
			v.Ranges = append(v.Ranges[:i:i], v.Ranges[i+1:]...)
			tx.changedMeta()
			return
		}
	}
}
