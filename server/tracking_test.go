package server

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestTracking: ids are random version-4 UUIDs in NUT's upper case, found
// without regard to case; results expire after the delay; the table
// keeps at most maxTracked results, the newest.
func TestTracking(t *testing.T) {
	var tr tracker
	t0 := time.Now()
	uuid := regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$`)
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		id := tr.add(t0, time.Hour)
		if !uuid.MatchString(id) || seen[id] {
			t.Fatalf("id %d: %q (seen before: %v)", i, id, seen[id])
		}
		seen[id] = true
	}
	id := tr.add(t0.Add(30*time.Minute), time.Hour)
	tr.set(id, "SUCCESS")
	for _, tt := range []struct {
		id    string
		after time.Duration
		want  string
	}{
		{id, 31 * time.Minute, "SUCCESS"},
		{strings.ToLower(id), 31 * time.Minute, "SUCCESS"},
		{"00000000-0000-4000-8000-000000000000", 31 * time.Minute, "ERR UNKNOWN"},
		{id, 89 * time.Minute, "SUCCESS"},
		{id, 91 * time.Minute, "ERR UNKNOWN"}, // an hour after it was asked for
	} {
		if got := tr.get(tt.id, t0.Add(tt.after), time.Hour); got != tt.want {
			t.Errorf("GET TRACKING %s after %v: %q, want %q", tt.id, tt.after, got, tt.want)
		}
	}
	if n := tr.len(); n != 0 {
		t.Errorf("%d results kept after their delay", n)
	}
	for i := 0; i < maxTracked+100; i++ {
		tr.add(t0, time.Hour)
	}
	if n := tr.len(); n != maxTracked {
		t.Errorf("the table holds %d results, want at most %d", n, maxTracked)
	}
}
