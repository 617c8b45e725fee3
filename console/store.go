package console

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // database/sql driver "sqlite"

	"github.com/powerchain/powerchain/nut"
)

// Store keeps events and metric history in an SQLite file across
// restarts: events for Retention, the history in tiers of falling
// resolution (see history.go).
type Store struct {
	db *sql.DB
	// Retention is how long events are kept.
	Retention time.Duration
	// Interval is how often samples arrive (the poll interval): it
	// decides when a range is short enough to be answered with the
	// samples as polled.
	Interval time.Duration

	mu      sync.Mutex
	series  map[seriesKey]*series
	flushed time.Time // last write of pending samples
	pruned  time.Time // last removal of what is past retention
}

// Event is something that happened: a status change, a source lost or
// back, a control action, a monitor's notification.
type Event struct {
	ID      int64     `json:"id"`
	At      time.Time `json:"at"`
	Source  string    `json:"source"`
	Device  string    `json:"device,omitempty"`
	Kind    string    `json:"kind"`
	Message string    `json:"message"`
	// Status is the device's new ups.status (kind status).
	Status string `json:"status,omitempty"`
	// Alarm marks what an operator must see: a device on battery, low,
	// overloaded, off, in alarm or stale, a server gone, a load losing
	// a path; it can be acknowledged.
	Alarm bool      `json:"alarm"`
	AckBy string    `json:"ack_by,omitempty"`
	AckAt time.Time `json:"ack_at,omitzero"`
}

// OpenStore opens (or creates) the database; an unwritable place is a
// clear error. retention is how long events are kept (31 days when 0).
func OpenStore(path string, retention time.Duration) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("history database %s: %w", path, err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return nil, fmt.Errorf("history database %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	if retention <= 0 {
		retention = 31 * 24 * time.Hour
	}
	s := &Store{db: db, Retention: retention, series: map[seriesKey]*series{}, flushed: time.Now()}
	if err := s.migrate(context.Background()); err != nil {
		db.Close()
		return nil, fmt.Errorf("history database %s: %w", path, err)
	}
	return s, nil
}

// migrate creates the tables, adds the columns older files lack and
// moves the samples of the first version's history table into the
// tiers.
func (s *Store) migrate(ctx context.Context) error {
	qs := append([]string{
		`CREATE TABLE IF NOT EXISTS events (at INTEGER, source TEXT, device TEXT, kind TEXT, message TEXT)`,
		`CREATE INDEX IF NOT EXISTS events_at ON events(at)`,
	}, historyTables...)
	for _, q := range qs {
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	cols := map[string]bool{}
	rows, err := s.db.QueryContext(ctx, `SELECT name FROM pragma_table_info('events')`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		cols[n] = true
	}
	rows.Close()
	for _, c := range []string{"status TEXT NOT NULL DEFAULT ''", "alarm INTEGER NOT NULL DEFAULT 0", "ack_by TEXT NOT NULL DEFAULT ''", "ack_at INTEGER NOT NULL DEFAULT 0"} {
		name, _, _ := strings.Cut(c, " ")
		if !cols[name] {
			if _, err := s.db.ExecContext(ctx, `ALTER TABLE events ADD COLUMN `+c); err != nil {
				return err
			}
		}
	}
	var old int
	s.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type='table' AND name='history'`).Scan(&old)
	if old == 0 {
		return nil
	}
	rows, err = s.db.QueryContext(ctx, `SELECT at, source, device, var, value FROM history ORDER BY at`)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var last time.Time
	for rows.Next() {
		var at int64
		var k seriesKey
		var v float64
		if err := rows.Scan(&at, &k.source, &k.device, &k.name, &v); err != nil {
			rows.Close()
			return err
		}
		last = time.UnixMilli(at)
		s.addSample(k, last, v)
	}
	rows.Close()
	if err := s.flushLocked(ctx, last, true); err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, `DROP TABLE history`)
	return err
}

// Close writes what is pending and closes the database.
func (s *Store) Close() error {
	s.mu.Lock()
	err := s.flushLocked(context.Background(), time.Now(), true)
	s.mu.Unlock()
	return errors.Join(err, s.db.Close())
}

// Size is the database's size in bytes (pages in use).
func (s *Store) Size(ctx context.Context) (int64, error) {
	var pages, free, size int64
	err := s.db.QueryRowContext(ctx, `SELECT page_count, freelist_count, page_size FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()`).Scan(&pages, &free, &size)
	return (pages - free) * size, err
}

// AddEvents records events and sets their IDs.
func (s *Store) AddEvents(ctx context.Context, evs []Event) error {
	if len(evs) == 0 {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for i, e := range evs {
		r, err := tx.ExecContext(ctx, `INSERT INTO events(at, source, device, kind, message, status, alarm) VALUES (?,?,?,?,?,?,?)`,
			e.At.UnixMilli(), e.Source, e.Device, e.Kind, e.Message, e.Status, e.Alarm)
		if err != nil {
			return err
		}
		evs[i].ID, _ = r.LastInsertId()
	}
	return tx.Commit()
}

// EventFilter selects events; a zero field selects all.
type EventFilter struct {
	Device  string   // device (or load) name
	Source  string   // its server
	Sources []string // any of these servers (a site's)
	Kind    string
	Alarms  bool // alarms only
	From    time.Time
	To      time.Time
	Limit   int // 500 when 0
}

// Events returns the events a filter selects, newest first.
func (s *Store) Events(ctx context.Context, f EventFilter) ([]Event, error) {
	var where []string
	var args []any
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	if f.Device != "" {
		add("device=?", f.Device)
	}
	if f.Source != "" {
		add("source=?", f.Source)
	}
	if len(f.Sources) > 0 {
		add("source IN (?"+strings.Repeat(",?", len(f.Sources)-1)+")", anys(f.Sources)...)
	}
	if f.Kind != "" {
		add("kind=?", f.Kind)
	}
	if f.Alarms {
		add("alarm<>0")
	}
	if !f.From.IsZero() {
		add("at>=?", f.From.UnixMilli())
	}
	if !f.To.IsZero() {
		add("at<=?", f.To.UnixMilli())
	}
	if f.Limit <= 0 {
		f.Limit = 500
	}
	q := `SELECT rowid, at, source, device, kind, message, status, alarm, ack_by, ack_at FROM events`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY at DESC, rowid DESC LIMIT ?`, append(args, f.Limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var at, ackAt int64
		if err := rows.Scan(&e.ID, &at, &e.Source, &e.Device, &e.Kind, &e.Message, &e.Status, &e.Alarm, &e.AckBy, &ackAt); err != nil {
			return nil, err
		}
		e.At = time.UnixMilli(at)
		if ackAt != 0 {
			e.AckAt = time.UnixMilli(ackAt)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func anys(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// errNoAlarm is an acknowledgement of something that is not an alarm
// waiting for one.
var errNoAlarm = errors.New("no such alarm, or acknowledged already")

// Ack records that user acknowledged the alarm id.
func (s *Store) Ack(ctx context.Context, id int64, user string, at time.Time) error {
	r, err := s.db.ExecContext(ctx, `UPDATE events SET ack_by=?, ack_at=? WHERE rowid=? AND alarm<>0 AND ack_by=''`, user, at.UnixMilli(), id)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return errNoAlarm
	}
	return nil
}

// Unacked counts the alarms nobody acknowledged.
func (s *Store) Unacked(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE alarm<>0 AND ack_by=''`).Scan(&n)
	return n, err
}

// Interval is a span of time.
type Interval struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// Outages are the spans within [from, to] in which any of the devices
// (name@source) was on battery, from the status events.
func (s *Store) Outages(ctx context.Context, devices []string, from, to time.Time) ([]Interval, error) {
	var out []Interval
	for _, id := range devices {
		name, src, _ := strings.Cut(id, "@")
		// The state at from, then the changes.
		rows, err := s.db.QueryContext(ctx, `SELECT at, status FROM (SELECT at, status FROM events WHERE kind='status' AND device=? AND source=? AND at<? ORDER BY at DESC LIMIT 1)
			UNION ALL SELECT at, status FROM events WHERE kind='status' AND device=? AND source=? AND at>=? AND at<=? ORDER BY at`,
			name, src, from.UnixMilli(), name, src, from.UnixMilli(), to.UnixMilli())
		if err != nil {
			return nil, err
		}
		var start time.Time
		on := false
		for rows.Next() {
			var at int64
			var st string
			if err := rows.Scan(&at, &st); err != nil {
				rows.Close()
				return nil, err
			}
			t := time.UnixMilli(at)
			if t.Before(from) {
				t = from
			}
			ob := nut.ParseStatus(st).Has(nut.OB)
			switch {
			case ob && !on:
				start, on = t, true
			case !ob && on:
				out = append(out, Interval{start, t})
				on = false
			}
		}
		rows.Close()
		if on {
			out = append(out, Interval{start, to})
		}
	}
	return mergeIntervals(out), nil
}

// mergeIntervals sorts spans and joins those that overlap.
func mergeIntervals(in []Interval) []Interval {
	if len(in) == 0 {
		return []Interval{}
	}
	sort.Slice(in, func(i, j int) bool { return in[i].From.Before(in[j].From) })
	out := []Interval{in[0]}
	for _, iv := range in[1:] {
		last := &out[len(out)-1]
		if !iv.From.After(last.To) {
			if iv.To.After(last.To) {
				last.To = iv.To
			}
			continue
		}
		out = append(out, iv)
	}
	return out
}

// Record stores the history variables of a snapshot, the power totals,
// and writes what is pending every minute.
func (s *Store) Record(ctx context.Context, snap *Snapshot) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range snap.Devices {
		if d.Stale {
			continue
		}
		for _, v := range HistoryVars {
			if f, ok := number(d.Vars[v]); ok {
				s.addSample(seriesKey{d.Source, d.Name, v}, snap.At, f)
			}
		}
	}
	if p := snap.Power(); p != nil {
		for _, set := range [][]powerRow{p.Sites, p.Chains, p.Hosts} {
			for _, r := range set {
				if r.Known {
					s.addSample(seriesKey{powerSource, r.Key, "realpower"}, snap.At, r.Watts)
				}
			}
		}
	}
	if snap.At.Sub(s.flushed) < rawFlush {
		return nil
	}
	return s.flushLocked(ctx, snap.At, false)
}
