package console

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sort"
	"time"
)

// The history keeps every variable of HistoryVars in four resolutions
// (tiers): each sample as polled for two hours, then one-minute,
// ten-minute and one-hour buckets (count, min, max, mean) for a day, a
// week and a month. What a fleet stores is thus bounded by the number of
// series, not by time: about 53 KiB per series of a value that moves
// every sample (33 KiB of records in pages about two-thirds full;
// BenchmarkHistorySize).
//
// Samples are stored in chunks, one row per series, tier and chunk
// span, holding runs of delta-encoded records appended as they are
// flushed (every minute for the samples, every ten records for the
// buckets; SQLite's || joins them as text, which CAST keeps as the
// bytes they are); values are kept to two decimals, as NUT prints them. A
// crash loses what was not flushed: up to a minute of samples and up to
// ten records of each bucket tier.

// tier is one resolution of the history.
type tier struct {
	step  time.Duration // bucket width; 0 for the samples as polled
	chunk time.Duration // time span of one stored row
	keep  time.Duration // retention
	flush int           // records held before they are written (buckets)
}

// A row's span keeps it under SQLite's limit for a row held in its
// page (about 1,000 bytes for 4 KiB pages): a longer one spills into an
// overflow page of its own, mostly empty.
var tiers = [...]tier{
	{0, 10 * time.Minute, 2 * time.Hour, 0},
	{time.Minute, time.Hour, 26 * time.Hour, 10},
	{10 * time.Minute, 12 * time.Hour, 8 * 24 * time.Hour, 6},
	{time.Hour, 3 * 24 * time.Hour, 32 * 24 * time.Hour, 6},
}

// rawFlush is how often the samples as polled are written.
const rawFlush = time.Minute

// maxPoints bounds what one query returns: the finest tier that covers
// the range in at most this many points answers.
const maxPoints = 4000

// record is one stored sample (N = 1, Min = Max = Mean) or bucket.
type record struct {
	at             int64 // Unix seconds: the sample's time or the bucket's start
	n              uint64
	min, max, mean int64   // value × 100
	sumQ           float64 // while a bucket is open
}

// quant is a value as stored: hundredths.
func quant(v float64) int64 { return int64(math.Round(math.Max(-9e15, math.Min(9e15, v*100)))) }

func unquant(q int64) float64 { return float64(q) / 100 }

// seriesKey names one history series.
type seriesKey struct{ source, device, name string }

// series is the in-memory side of one series: its id and what is not
// written yet.
type series struct {
	id      int64
	pending [len(tiers)][]record // closed records not written yet, per tier
	open    [len(tiers)]record   // the bucket being filled, per bucket tier
	last    int64                // time of the last sample (to keep order)
}

// add takes one sample.
func (sr *series) add(at int64, v float64) {
	if at < sr.last || math.IsNaN(v) || math.IsInf(v, 0) {
		return // out of order: a clock step back; dropped
	}
	sr.last = at
	q := quant(v)
	sr.pending[0] = append(sr.pending[0], record{at: at, n: 1, min: q, max: q, mean: q})
	for i := 1; i < len(tiers); i++ {
		step := int64(tiers[i].step / time.Second)
		start := at - mod(at, step)
		b := &sr.open[i]
		if b.n > 0 && b.at != start {
			sr.closeBucket(i)
		}
		if b.n == 0 {
			*b = record{at: start, min: q, max: q}
		}
		b.n++
		b.min, b.max = min(b.min, q), max(b.max, q)
		b.sumQ += float64(q)
	}
}

// closeBucket moves tier i's open bucket to its pending records.
func (sr *series) closeBucket(i int) {
	b := sr.open[i]
	if b.n == 0 {
		return
	}
	b.mean = int64(math.Round(b.sumQ / float64(b.n)))
	sr.pending[i] = append(sr.pending[i], b)
	sr.open[i] = record{}
}

func mod(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

// chunkStart is the start of the row of tier i holding time at.
func chunkStart(i int, at int64) int64 {
	span := int64(tiers[i].chunk / time.Second)
	return at - mod(at, span)
}

// encodeRun appends one run of records (all of one chunk of tier i) to
// dst: their count, then each record's time as a difference to the one
// before (the first to the chunk's start) and its values as differences
// to the one before.
func encodeRun(dst []byte, i int, chunk int64, recs []record) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(recs)))
	prevT := chunk
	var pmin, pmax, pmean int64
	for _, r := range recs {
		dst = binary.AppendUvarint(dst, uint64(r.at-prevT))
		prevT = r.at
		if i == 0 {
			dst = binary.AppendVarint(dst, r.mean-pmean)
			pmean = r.mean
			continue
		}
		dst = binary.AppendUvarint(dst, r.n)
		dst = binary.AppendVarint(dst, r.min-pmin)
		dst = binary.AppendVarint(dst, r.max-pmax)
		dst = binary.AppendVarint(dst, r.mean-pmean)
		pmin, pmax, pmean = r.min, r.max, r.mean
	}
	return dst
}

var errCorrupt = errors.New("history chunk is corrupt")

// decodeChunk appends the records of a stored row of tier i to dst.
func decodeChunk(dst []record, i int, chunk int64, b []byte) ([]record, error) {
	uv := func() (uint64, bool) {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return 0, false
		}
		b = b[n:]
		return v, true
	}
	sv := func() (int64, bool) {
		v, n := binary.Varint(b)
		if n <= 0 {
			return 0, false
		}
		b = b[n:]
		return v, true
	}
	for len(b) > 0 {
		count, ok := uv()
		if !ok || count > uint64(len(b)) {
			return dst, errCorrupt
		}
		prevT := chunk
		var pmin, pmax, pmean int64
		for range count {
			dt, ok := uv()
			if !ok {
				return dst, errCorrupt
			}
			r := record{at: prevT + int64(dt), n: 1}
			prevT = r.at
			if i == 0 {
				d, ok := sv()
				if !ok {
					return dst, errCorrupt
				}
				pmean += d
				r.min, r.max, r.mean = pmean, pmean, pmean
			} else {
				n, ok1 := uv()
				dmin, ok2 := sv()
				dmax, ok3 := sv()
				dmean, ok4 := sv()
				if !ok1 || !ok2 || !ok3 || !ok4 {
					return dst, errCorrupt
				}
				pmin, pmax, pmean = pmin+dmin, pmax+dmax, pmean+dmean
				r.n, r.min, r.max, r.mean = n, pmin, pmax, pmean
			}
			dst = append(dst, r)
		}
	}
	return dst, nil
}

// Point is one point of a variable's history: a sample, or a bucket of
// samples (its start, mean, min and max).
type Point struct {
	At    time.Time `json:"at"`
	Value float64   `json:"value"`
	Min   float64   `json:"min"`
	Max   float64   `json:"max"`
}

// History is a variable's history over a time range.
type History struct {
	// Step is the width of the buckets; 0 when the points are the
	// samples as polled.
	Step   time.Duration
	Points []Point
}

// historyTables creates the history's tables.
var historyTables = []string{
	`CREATE TABLE IF NOT EXISTS series (id INTEGER PRIMARY KEY, source TEXT NOT NULL, device TEXT NOT NULL, var TEXT NOT NULL, UNIQUE(source, device, var))`,
	`CREATE TABLE IF NOT EXISTS chunks (series INTEGER NOT NULL, tier INTEGER NOT NULL, start INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY(series, tier, start)) WITHOUT ROWID`,
}

// addSample takes one sample of a series (under s.mu).
func (s *Store) addSample(k seriesKey, at time.Time, v float64) {
	sr := s.series[k]
	if sr == nil {
		sr = &series{}
		s.series[k] = sr
	}
	sr.add(at.Unix(), v)
}

// flushLocked writes what is pending: the samples, the bucket tiers
// that hold enough records (or all of them when all is set, with the
// open buckets), then drops what is past its retention (under s.mu).
func (s *Store) flushLocked(ctx context.Context, now time.Time, all bool) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO series(source, device, var) VALUES(?,?,?) ON CONFLICT DO UPDATE SET var=excluded.var RETURNING id`)
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	defer ins.Close()
	up, err := tx.PrepareContext(ctx, `INSERT INTO chunks(series, tier, start, data) VALUES(?,?,?,?) ON CONFLICT DO UPDATE SET data = CAST(data || excluded.data AS BLOB)`)
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	defer up.Close()
	var buf []byte
	for k, sr := range s.series {
		if all {
			for i := 1; i < len(tiers); i++ {
				sr.closeBucket(i)
			}
		}
		for i := range tiers {
			recs := sr.pending[i]
			if len(recs) == 0 || (!all && i > 0 && len(recs) < tiers[i].flush) {
				continue
			}
			if sr.id == 0 {
				if err := ins.QueryRowContext(ctx, k.source, k.device, k.name).Scan(&sr.id); err != nil {
					return fmt.Errorf("history: %w", err)
				}
			}
			for len(recs) > 0 {
				c := chunkStart(i, recs[0].at)
				n := 1
				for n < len(recs) && chunkStart(i, recs[n].at) == c {
					n++
				}
				buf = encodeRun(buf[:0], i, c, recs[:n])
				if _, err := up.ExecContext(ctx, sr.id, i, c, buf); err != nil {
					return fmt.Errorf("history: %w", err)
				}
				recs = recs[n:]
			}
			sr.pending[i] = sr.pending[i][:0]
		}
	}
	if now.Sub(s.pruned) >= time.Hour || all {
		for i, t := range tiers {
			// A row goes when its whole span is past the retention.
			cut := now.Add(-t.keep - t.chunk).Unix()
			if _, err := tx.ExecContext(ctx, `DELETE FROM chunks WHERE tier=? AND start<?`, i, cut); err != nil {
				return fmt.Errorf("history: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM events WHERE at<?`, now.Add(-s.Retention).UnixMilli()); err != nil {
			return fmt.Errorf("history: %w", err)
		}
		s.pruned = now
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	s.flushed = now
	return nil
}

// tierFor picks the finest tier that still holds from and answers the
// range in at most maxPoints points, given the samples' interval.
func tierFor(from, to, now time.Time, interval time.Duration) int {
	if interval <= 0 {
		interval = 5 * time.Second
	}
	for i, t := range tiers {
		step := t.step
		if step == 0 {
			step = interval
		}
		if !from.Before(now.Add(-t.keep)) && to.Sub(from)/step <= maxPoints {
			return i
		}
	}
	return len(tiers) - 1
}

// History returns a variable's history between from and to, at the
// finest resolution that holds from and gives at most about 4,000
// points (samples as polled up to an hour, then buckets of one minute,
// ten minutes, one hour).
func (s *Store) History(ctx context.Context, source, device, name string, from, to time.Time) (History, error) {
	i := tierFor(from, to, time.Now(), s.Interval)
	recs, err := s.records(ctx, seriesKey{source, device, name}, i, from.Unix(), to.Unix())
	h := History{Step: tiers[i].step, Points: []Point{}}
	for _, r := range recs {
		h.Points = append(h.Points, Point{At: time.Unix(r.at, 0), Value: unquant(r.mean), Min: unquant(r.min), Max: unquant(r.max)})
	}
	return h, err
}

// records reads the records of tier i of a series between from and to
// (Unix seconds): the stored ones and those not written yet, buckets
// written in parts merged, oldest first.
func (s *Store) records(ctx context.Context, k seriesKey, i int, from, to int64) ([]record, error) {
	s.mu.Lock()
	sr := s.series[k]
	var mem []record
	id := int64(0)
	if sr != nil {
		id = sr.id
		mem = append(mem, sr.pending[i]...)
		if i > 0 && sr.open[i].n > 0 {
			b := sr.open[i]
			b.mean = int64(math.Round(b.sumQ / float64(b.n)))
			mem = append(mem, b)
		}
	}
	s.mu.Unlock()
	if id == 0 {
		err := s.db.QueryRowContext(ctx, `SELECT id FROM series WHERE source=? AND device=? AND var=?`, k.source, k.device, k.name).Scan(&id)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("history: %w", err)
		}
	}
	var out []record
	if id != 0 {
		rows, err := s.db.QueryContext(ctx, `SELECT start, data FROM chunks WHERE series=? AND tier=? AND start>? AND start<=? ORDER BY start`,
			id, i, from-int64(tiers[i].chunk/time.Second), to)
		if err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var start int64
			var data []byte
			if err := rows.Scan(&start, &data); err != nil {
				return nil, fmt.Errorf("history: %w", err)
			}
			if out, err = decodeChunk(out, i, start, data); err != nil {
				return nil, fmt.Errorf("history of %s %s: %w", k.device, k.name, err)
			}
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
	}
	out = append(out, mem...)
	sort.SliceStable(out, func(a, b int) bool { return out[a].at < out[b].at })
	// A bucket written in parts (a stop before it closed) is merged.
	merged := out[:0]
	for _, r := range out {
		if r.at < from || r.at > to {
			continue
		}
		if n := len(merged); n > 0 && i > 0 && merged[n-1].at == r.at {
			m := &merged[n-1]
			tot := m.n + r.n
			m.mean = int64(math.Round((float64(m.mean)*float64(m.n) + float64(r.mean)*float64(r.n)) / float64(tot)))
			m.min, m.max, m.n = min(m.min, r.min), max(m.max, r.max), tot
			continue
		}
		merged = append(merged, r)
	}
	return merged, nil
}
