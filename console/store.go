package console

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // database/sql driver "sqlite"
)

// Store keeps events and metric history in an SQLite file, within a
// retention period, across restarts.
type Store struct {
	db        *sql.DB
	Retention time.Duration
}

// Event is something that happened: a status change, a source lost or
// back, a control action.
type Event struct {
	At      time.Time `json:"at"`
	Source  string    `json:"source"`
	Device  string    `json:"device,omitempty"`
	Kind    string    `json:"kind"`
	Message string    `json:"message"`
}

// Point is one sample of a variable.
type Point struct {
	At    time.Time `json:"at"`
	Value float64   `json:"value"`
}

// HistoryVars are the variables kept over time.
var HistoryVars = []string{"battery.charge", "ups.load", "input.voltage", "ups.realpower", "input.realpower", "outlet.realpower"}

// OpenStore opens (or creates) the database; an unwritable place is a
// clear error.
func OpenStore(path string, retention time.Duration) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("history database %s: %w", path, err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)")
	if err != nil {
		return nil, fmt.Errorf("history database %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	for _, q := range []string{
		`CREATE TABLE IF NOT EXISTS events (at INTEGER, source TEXT, device TEXT, kind TEXT, message TEXT)`,
		`CREATE INDEX IF NOT EXISTS events_at ON events(at)`,
		`CREATE TABLE IF NOT EXISTS history (at INTEGER, source TEXT, device TEXT, var TEXT, value REAL)`,
		`CREATE INDEX IF NOT EXISTS history_key ON history(source, device, var, at)`,
	} {
		if _, err := db.Exec(q); err != nil {
			db.Close()
			return nil, fmt.Errorf("history database %s: %w", path, err)
		}
	}
	if retention <= 0 {
		retention = 7 * 24 * time.Hour
	}
	return &Store{db: db, Retention: retention}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// AddEvents records events.
func (s *Store) AddEvents(ctx context.Context, evs []Event) error {
	if len(evs) == 0 {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	for _, e := range evs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO events VALUES (?,?,?,?,?)`, e.At.UnixMilli(), e.Source, e.Device, e.Kind, e.Message); err != nil {
			tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}

// Events returns the newest events first, at most limit.
func (s *Store) Events(ctx context.Context, limit int) ([]Event, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT at, source, device, kind, message FROM events ORDER BY at DESC, rowid DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var at int64
		if err := rows.Scan(&at, &e.Source, &e.Device, &e.Kind, &e.Message); err != nil {
			return nil, err
		}
		e.At = time.UnixMilli(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Record stores the history variables of a snapshot and prunes what is
// older than the retention.
func (s *Store) Record(ctx context.Context, snap *Snapshot) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	at := snap.At.UnixMilli()
	for _, d := range snap.Devices {
		for _, v := range HistoryVars {
			if f, ok := number(d.Vars[v]); ok {
				if _, err := tx.ExecContext(ctx, `INSERT INTO history VALUES (?,?,?,?,?)`, at, d.Source, d.Name, v, f); err != nil {
					tx.Rollback()
					return err
				}
			}
		}
	}
	cut := snap.At.Add(-s.Retention).UnixMilli()
	if _, err := tx.ExecContext(ctx, `DELETE FROM history WHERE at < ?`, cut); err != nil {
		tx.Rollback()
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM events WHERE at < ?`, cut); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// History returns a variable's samples since a time, oldest first.
func (s *Store) History(ctx context.Context, source, device, name string, since time.Time) ([]Point, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT at, value FROM history WHERE source=? AND device=? AND var=? AND at>=? ORDER BY at`,
		source, device, name, since.UnixMilli())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Point
	for rows.Next() {
		var at int64
		var p Point
		if err := rows.Scan(&at, &p.Value); err != nil {
			return nil, err
		}
		p.At = time.UnixMilli(at)
		out = append(out, p)
	}
	return out, rows.Err()
}
