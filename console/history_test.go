package console

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestChunkEncoding: runs of samples and of buckets decode as written,
// also when several runs share a chunk (flushes appended to one row).
func TestChunkEncoding(t *testing.T) {
	for _, tc := range []struct {
		tier int
		runs [][]record
	}{
		{0, [][]record{{{at: 1000, n: 1, min: 23010, max: 23010, mean: 23010}, {at: 1005, n: 1, min: -5, max: -5, mean: -5}}, {{at: 1010, n: 1, min: 0, max: 0, mean: 0}}}},
		{1, [][]record{{{at: 960, n: 12, min: 9000, max: 10000, mean: 9512}, {at: 1020, n: 11, min: -300, max: 250000, mean: 7}}, {{at: 1080, n: 1, min: 1, max: 1, mean: 1}}}},
	} {
		var blob []byte
		var want []record
		for _, r := range tc.runs {
			blob = encodeRun(blob, tc.tier, 900, r)
			want = append(want, r...)
		}
		got, err := decodeChunk(nil, tc.tier, 900, blob)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("tier %d:\n got %v\nwant %v", tc.tier, got, want)
		}
		if _, err := decodeChunk(nil, tc.tier, 900, blob[:len(blob)-1]); err == nil {
			t.Errorf("tier %d: a cut chunk decodes", tc.tier)
		}
	}
}

// feed records one series every interval from start for d.
func feed(t testing.TB, s *Store, start time.Time, d, interval time.Duration, value func(time.Time) float64) time.Time {
	ctx := context.Background()
	at := start
	for ; at.Before(start.Add(d)); at = at.Add(interval) {
		s.mu.Lock()
		s.addSample(seriesKey{"h:3493", "ups1", "battery.charge"}, at, value(at))
		var err error
		if at.Sub(s.flushed) >= rawFlush {
			err = s.flushLocked(ctx, at, false)
		}
		s.mu.Unlock()
		if err != nil {
			t.Fatal(err)
		}
	}
	return at
}

// TestHistoryTiers: a range is answered by the finest tier that holds
// it within the point budget; buckets hold the mean, min and max of
// their samples; what is past a tier's retention is gone.
func TestHistoryTiers(t *testing.T) {
	s, err := OpenStore(filepath.Join(t.TempDir(), "h.sqlite"), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.Interval = 5 * time.Second
	start := time.Now().Add(-9 * 24 * time.Hour).Truncate(time.Hour)
	s.flushed = start
	// The value is the minute within the hour, and in each minute the
	// seconds / 10: min 0, max 5.5, mean (0+0.5+…+5.5)/12 = 2.75 above it.
	value := func(at time.Time) float64 { return float64(at.Minute()*100) + float64(at.Second())/10 }
	end := feed(t, s, start, 9*24*time.Hour, 5*time.Second, value)
	now := end
	ctx := context.Background()
	for _, tc := range []struct {
		from        time.Duration
		step        time.Duration
		points      int
		first, last float64
	}{
		{time.Hour, 0, 720, -1, -1},
		{24 * time.Hour, time.Minute, 1440, -1, -1},
		{7 * 24 * time.Hour, 10 * time.Minute, 1008, -1, -1},
		{8*24*time.Hour + time.Hour, time.Hour, 193, -1, -1},
	} {
		from := now.Add(-tc.from)
		i := tierFor(from, now, now, s.Interval)
		recs, err := s.records(ctx, seriesKey{"h:3493", "ups1", "battery.charge"}, i, from.Unix(), now.Unix())
		if err != nil {
			t.Fatal(err)
		}
		if tiers[i].step != tc.step || len(recs) < tc.points-2 || len(recs) > tc.points+1 {
			t.Errorf("last %s: tier step %s, %d points, want %s and about %d", tc.from, tiers[i].step, len(recs), tc.step, tc.points)
		}
		if i == 1 { // a whole minute: min, max, mean of its 12 samples
			r := recs[len(recs)/2]
			m := float64(time.Unix(r.at, 0).UTC().Minute() * 100)
			if r.n != 12 || unquant(r.min) != m || unquant(r.max) != m+5.5 || math.Abs(unquant(r.mean)-(m+2.75)) > 0.011 {
				t.Errorf("minute bucket %+v, want n 12, %g…%g, mean %g", r, m, m+5.5, m+2.75)
			}
		}
	}
	// Past retention (removed every hour): no samples as polled older
	// than 2 h plus a chunk and an hour, and so on.
	for i, tr := range tiers {
		var oldest int64
		s.db.QueryRow(`SELECT min(start) FROM chunks WHERE tier=?`, i).Scan(&oldest)
		if age := now.Sub(time.Unix(oldest, 0)); age > tr.keep+tr.chunk+time.Hour {
			t.Errorf("tier %d kept for %s", i, age)
		}
	}
	// The public query: points in time order with their bucket's range.
	h, err := s.History(ctx, "h:3493", "ups1", "battery.charge", now.Add(-24*time.Hour), now)
	if err != nil || h.Step != time.Minute || len(h.Points) < 1400 {
		t.Fatalf("History: %v, step %s, %d points", err, h.Step, len(h.Points))
	}
	for i := 1; i < len(h.Points); i++ {
		if !h.Points[i].At.After(h.Points[i-1].At) || h.Points[i].Min > h.Points[i].Value || h.Points[i].Max < h.Points[i].Value {
			t.Fatalf("point %d: %+v after %+v", i, h.Points[i], h.Points[i-1])
		}
	}
}

// TestHistoryAcrossRestart: buckets written in parts by a stop before
// they closed come back merged; samples not yet written are answered
// from memory.
func TestHistoryAcrossRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.sqlite")
	s, err := OpenStore(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().Add(-20 * time.Minute).Truncate(time.Minute)
	s.flushed = start
	k := seriesKey{"h:3493", "ups1", "battery.charge"}
	s.mu.Lock()
	s.addSample(k, start, 10)
	s.addSample(k, start.Add(10*time.Second), 20)
	s.mu.Unlock()
	if err := s.Close(); err != nil { // writes the open minute (10, 20)
		t.Fatal(err)
	}
	s, err = OpenStore(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.mu.Lock()
	s.addSample(k, start.Add(20*time.Second), 60) // same minute, after the restart
	s.mu.Unlock()
	recs, err := s.records(context.Background(), k, 1, start.Unix()-60, start.Unix()+60)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].n != 3 || unquant(recs[0].mean) != 30 || unquant(recs[0].min) != 10 || unquant(recs[0].max) != 60 {
		t.Errorf("the minute across the restart: %+v", recs)
	}
	raw, err := s.History(context.Background(), k.source, k.device, k.name, start.Add(-time.Minute), start.Add(time.Minute))
	if err != nil || len(raw.Points) != 3 || raw.Points[2].Value != 60 {
		t.Errorf("samples: %v %+v", err, raw)
	}
}

// TestMigrateFirstHistory: the first version's history table (a row per
// sample) is moved into the tiers when the file is opened.
func TestMigrateFirstHistory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.sqlite")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, q := range []string{
		`CREATE TABLE events (at INTEGER, source TEXT, device TEXT, kind TEXT, message TEXT)`,
		`CREATE TABLE history (at INTEGER, source TEXT, device TEXT, var TEXT, value REAL)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Exec(`INSERT INTO events VALUES (?, 'h:3493', 'ups1', 'status', 'ups.status "OL" → "OB"')`, now.Add(-time.Minute).UnixMilli())
	for i := range 10 {
		db.Exec(`INSERT INTO history VALUES (?, 'h:3493', 'ups1', 'battery.charge', ?)`, now.Add(time.Duration(i-10)*5*time.Second).UnixMilli(), 90+i)
	}
	db.Close()
	s, err := OpenStore(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h, err := s.History(context.Background(), "h:3493", "ups1", "battery.charge", now.Add(-time.Hour), now)
	if err != nil || len(h.Points) != 10 || h.Points[9].Value != 99 {
		t.Errorf("migrated samples: %v %+v", err, h)
	}
	evs, err := s.Events(context.Background(), EventFilter{})
	if err != nil || len(evs) != 1 || evs[0].Alarm || evs[0].ID == 0 {
		t.Errorf("events kept: %v %+v", err, evs)
	}
	var n int
	s.db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name='history'`).Scan(&n)
	if n != 0 {
		t.Error("the first version's table is still there")
	}
}

// TestOutagesAndAck: on-battery spans come from the status events of
// the devices named (one that started before the range is cut at its
// start); an alarm is acknowledged once, with the user's name.
func TestOutagesAndAck(t *testing.T) {
	s, err := OpenStore(filepath.Join(t.TempDir(), "h.sqlite"), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	ev := func(min int, dev, status string) Event {
		return Event{At: t0.Add(time.Duration(min) * time.Minute), Source: "h:3493", Device: dev, Kind: "status", Status: status, Alarm: strings.HasPrefix(status, "OB")}
	}
	evs := []Event{ev(-30, "ups1", "OB DISCHRG"), ev(10, "ups1", "OL"), ev(20, "ups2", "OB"), ev(25, "ups1", "OB LB"), ev(40, "ups2", "OL CHRG")}
	if err := s.AddEvents(ctx, evs); err != nil {
		t.Fatal(err)
	}
	out, err := s.Outages(ctx, []string{"ups1@h:3493", "ups2@h:3493", "pdu1@h:3493"}, t0, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	want := []Interval{{t0, t0.Add(10 * time.Minute)}, {t0.Add(20 * time.Minute), t0.Add(time.Hour)}}
	if fmt.Sprint(out) != fmt.Sprint(want) {
		t.Errorf("outages %v, want %v", out, want)
	}
	if n, _ := s.Unacked(ctx); n != 3 {
		t.Errorf("%d alarms waiting, want 3", n)
	}
	if err := s.Ack(ctx, evs[0].ID, "admin", t0); err != nil {
		t.Fatal(err)
	}
	if err := s.Ack(ctx, evs[0].ID, "other", t0); err != errNoAlarm {
		t.Errorf("second acknowledgement: %v", err)
	}
	if err := s.Ack(ctx, evs[1].ID, "admin", t0); err != errNoAlarm {
		t.Errorf("acknowledging what is no alarm: %v", err)
	}
	got, _ := s.Events(ctx, EventFilter{Device: "ups1", Alarms: true})
	if len(got) != 2 || got[1].AckBy != "admin" || !got[1].AckAt.Equal(t0) || got[0].AckBy != "" {
		t.Errorf("ups1's alarms: %+v", got)
	}
}

// BenchmarkHistorySize: 40 days of 10 series sampled every 5 s (values
// wandering as measured ones do), written as the console writes them;
// prints the database's size per series at day 32 and day 39 (the same:
// the history is bounded), what each tier holds, and what that makes for
// BenchmarkConsoleScale's fleet (5,000 devices: 5,300 device series and
// 2,510 power totals) and for 5,000 UPSes publishing every charted
// variable (nine each).
//
//	go test -run '^$' -bench HistorySize -benchtime 1x ./console
func BenchmarkHistorySize(b *testing.B) {
	const series = 4
	path := filepath.Join(b.TempDir(), "h.sqlite")
	s, err := OpenStore(path, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	s.Interval = 5 * time.Second
	rng := rand.New(rand.NewSource(1))
	ctx := context.Background()
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	s.flushed = start
	vals := make([]float64, series)
	for i := range vals {
		vals[i] = 230
	}
	sizeAt := map[int]int64{}
	t0 := time.Now()
	for at := start; at.Before(start.Add(40 * 24 * time.Hour)); at = at.Add(5 * time.Second) {
		s.mu.Lock()
		for i := range vals {
			vals[i] = math.Max(200, math.Min(250, vals[i]+(rng.Float64()-0.5)*0.6))
			s.addSample(seriesKey{"h:3493", fmt.Sprintf("psu%d", i), "input.voltage"}, at, math.Round(vals[i]*10)/10)
		}
		if at.Sub(s.flushed) >= rawFlush {
			if err := s.flushLocked(ctx, at, false); err != nil {
				b.Fatal(err)
			}
		}
		s.mu.Unlock()
		if day := int(at.Sub(start) / (24 * time.Hour)); at.Sub(start)%(24*time.Hour) == 0 && (day == 32 || day == 39) {
			sizeAt[day], _ = s.Size(ctx)
		}
	}
	took := time.Since(t0)
	per32, per39 := float64(sizeAt[32])/series, float64(sizeAt[39])/series
	fi, _ := os.Stat(path)
	fmt.Printf("\nhistory: %d series every 5 s for 40 days (%s to write): %.1f KiB per series at day 32, %.1f KiB at day 39 (pages in use; the file: %.1f KiB per series)\n",
		series, took.Round(time.Second), per32/1024, per39/1024, float64(fi.Size())/series/1024)
	rows, err := s.db.QueryContext(ctx, `SELECT tier, count(*), sum(length(CAST(data AS BLOB))) FROM chunks GROUP BY tier ORDER BY tier`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var tier, n, bytes int64
		if err := rows.Scan(&tier, &n, &bytes); err != nil {
			b.Fatal(err)
		}
		t := tiers[tier]
		step := "samples as polled"
		if t.step > 0 {
			step = t.step.String() + " buckets"
		}
		fmt.Printf("  %s kept %s: %.1f KiB of data per series in %d rows\n", step, t.keep, float64(bytes)/series/1024, n/series)
	}
	rows.Close()
	for _, f := range []struct {
		what string
		n    int
	}{{"BenchmarkConsoleScale's 5,000 devices (5,300 device series, 2,510 power totals)", 7810}, {"5,000 UPSes with nine charted variables each", 45000}} {
		fmt.Printf("  %s: %.0f MiB\n", f.what, per39*float64(f.n)/(1<<20))
	}
}
