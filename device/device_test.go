package device

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestSnapshotFollowsVersions(t *testing.T) {
	d := New("ups1", "rack UPS")
	s0 := d.Snapshot()
	if s0 != d.Snapshot() {
		t.Fatal("two snapshots of one version differ: the snapshot is not reused")
	}
	d.Update(func(tx *Tx) {
		tx.Set("ups.status", "OL")
		tx.Set("Battery.charge", "100")
		tx.Set("battery.runtime", "1200")
		tx.AddCmd("test.battery.start")
		tx.AddCmd("beeper.off")
	})
	s1 := d.Snapshot()
	if s1 == s0 || s1.Version != s0.Version+1 {
		t.Fatalf("after an update: version %d → %d, same snapshot %v", s0.Version, s1.Version, s1 == s0)
	}
	if len(s0.Vars) != 0 {
		t.Errorf("an old snapshot changed: %v", s0.Vars)
	}
	var names []string
	for _, v := range s1.Vars {
		names = append(names, v.Name)
	}
	if want := []string{"Battery.charge", "battery.runtime", "ups.status"}; !slices.Equal(names, want) {
		t.Errorf("variables in %v, want NUT's case-insensitive order %v", names, want)
	}
	if !s1.HasCmd("beeper.off") || s1.HasCmd("load.off") {
		t.Errorf("commands: %v", s1.Cmds)
	}
	if v, ok := s1.Var("ups.status"); !ok || v.Value != "OL" {
		t.Errorf("ups.status = %+v %v", v, ok)
	}

	// A batch that changes nothing is no new version.
	d.Update(func(tx *Tx) {})
	if d.Snapshot() != s1 {
		t.Error("an empty update made a new snapshot")
	}

	tests := []struct {
		name   string
		change func()
		check  func(*Snapshot) string
	}{
		{"DataOK", func() { d.DataOK(time.Unix(1000, 0)) }, func(s *Snapshot) string {
			if !s.Connected || !s.Updated.Equal(time.Unix(1000, 0)) {
				return fmt.Sprintf("connected %v updated %v", s.Connected, s.Updated)
			}
			return ""
		}},
		{"MarkStale", d.MarkStale, func(s *Snapshot) string {
			if !s.Stale(time.Unix(1000, 0), time.Hour) {
				return "not stale after MarkStale"
			}
			return ""
		}},
		{"SetConnected", func() { d.SetConnected(false) }, func(s *Snapshot) string {
			if s.Connected {
				return "still connected"
			}
			return ""
		}},
		{"SetDesc", func() { d.SetDesc("other") }, func(s *Snapshot) string {
			if s.Desc != "other" {
				return "desc " + s.Desc
			}
			return ""
		}},
		{"Delete", func() { d.Update(func(tx *Tx) { tx.Delete("battery.runtime") }) }, func(s *Snapshot) string {
			if _, ok := s.Var("battery.runtime"); ok {
				return "deleted variable still there"
			}
			return ""
		}},
	}
	for _, tt := range tests {
		before := d.Snapshot()
		changed := d.Changed()
		tt.change()
		after := d.Snapshot()
		if after == before || after.Version <= before.Version {
			t.Errorf("%s: no new version (%d → %d)", tt.name, before.Version, after.Version)
		}
		select {
		case <-changed:
		default:
			t.Errorf("%s: watchers were not told", tt.name)
		}
		if msg := tt.check(after); msg != "" {
			t.Errorf("%s: %s", tt.name, msg)
		}
	}
}

func TestStoreOrderReplaceRemove(t *testing.T) {
	s := NewStore()
	a, b, c := New("a", ""), New("b", ""), New("c", "")
	s.Add(a)
	s.Add(b)
	s.Add(c)
	held := s.Devices()
	b2 := New("b", "new")
	s.Add(b2)
	if got, _ := s.Get("b"); got != b2 {
		t.Error("Add did not replace a device of the same name")
	}
	if held[1] != b {
		t.Error("replacing a device changed a slice handed out earlier")
	}
	s.Remove("a")
	s.Remove("nope")
	var names []string
	for _, d := range s.Devices() {
		names = append(names, d.Name())
	}
	if !slices.Equal(names, []string{"b", "c"}) {
		t.Errorf("devices %v, want [b c] in the order added", names)
	}
	if _, ok := s.Get("a"); ok {
		t.Error("removed device still found")
	}
}

// TestConcurrentReaders runs readers (as the protocol server's sessions
// do, without locks) against a writer; run with -race.
func TestConcurrentReaders(t *testing.T) {
	s := NewStore()
	d := New("ups1", "")
	s.Add(d)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last := uint64(0)
			for {
				select {
				case <-stop:
					return
				default:
				}
				dev, ok := s.Get("ups1")
				if !ok {
					t.Error("device vanished")
					return
				}
				snap := dev.Snapshot()
				if snap.Version < last {
					t.Errorf("version went back from %d to %d", last, snap.Version)
					return
				}
				last = snap.Version
				if v, ok := snap.Var("ups.load"); ok && v.Value != fmt.Sprint(snap.Version-1) {
					// Each update sets ups.load to the version before it.
					t.Errorf("version %d holds ups.load %s", snap.Version, v.Value)
					return
				}
			}
		}()
	}
	for i := 0; i < 2000; i++ {
		d.Update(func(tx *Tx) { tx.Set("ups.load", fmt.Sprint(i)) })
	}
	close(stop)
	wg.Wait()
}
