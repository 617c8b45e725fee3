package console

import (
	"fmt"
	"strings"
	"time"
)

// diff finds the events between two snapshots: sources lost and back,
// devices appearing and going, status changes, loads changing health.
func diff(prev, cur *Snapshot) []Event {
	now := cur.At
	var out []Event
	ev := func(src, dev, kind, format string, a ...any) {
		out = append(out, Event{At: now, Source: src, Device: dev, Kind: kind, Message: fmt.Sprintf(format, a...)})
	}
	if prev == nil {
		for _, s := range cur.Sources {
			if !s.OK {
				ev(s.Addr, "", "source", "server unreachable: %s", s.Err)
			}
		}
		return out
	}
	was := map[string]Source{}
	for _, s := range prev.Sources {
		was[s.Addr] = s
	}
	for _, s := range cur.Sources {
		p, seen := was[s.Addr]
		switch {
		case !s.OK && (!seen || p.OK):
			ev(s.Addr, "", "source", "server unreachable: %s", s.Err)
		case s.OK && seen && !p.OK:
			ev(s.Addr, "", "source", "server answers again")
		}
	}
	old := map[string]*Device{}
	for _, d := range prev.Devices {
		old[d.ID()] = d
	}
	for _, d := range cur.Devices {
		o, ok := old[d.ID()]
		delete(old, d.ID())
		switch {
		case !ok:
			ev(d.Source, d.Name, "device", "device appeared")
		case o.Vars["ups.status"] != d.Vars["ups.status"] && !d.Stale:
			ev(d.Source, d.Name, "status", "ups.status %q → %q", o.Vars["ups.status"], d.Vars["ups.status"])
		case d.Stale && !o.Stale:
			ev(d.Source, d.Name, "status", "no fresh data: %s", d.Err)
		}
		if ok {
			// Outlets switched (by an operator, a fence agent, a
			// schedule) show as events too.
			for k, v := range d.Vars {
				if strings.HasPrefix(k, "outlet.") && strings.HasSuffix(k, ".status") && o.Vars[k] != "" && o.Vars[k] != v {
					ev(d.Source, d.Name, "outlet", "%s %q → %q", k, o.Vars[k], v)
				}
			}
		}
	}
	srcOK := map[string]bool{}
	for _, s := range cur.Sources {
		srcOK[s.Addr] = s.OK
	}
	for _, d := range old {
		if srcOK[d.Source] {
			ev(d.Source, d.Name, "device", "device gone")
		}
	}
	loads := map[string]string{}
	for _, l := range prev.Loads {
		loads[l.Name] = string(l.Health)
	}
	for _, l := range cur.Loads {
		if was, ok := loads[l.Name]; ok && was != string(l.Health) {
			ev("", l.Name, "chain", "load %s: %s → %s (%d of %d paths healthy)", l.Name, was, l.Health, l.Healthy, len(l.Paths))
		}
	}
	return out
}

// Since formats an age for the pages.
func since(t time.Time, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return now.Sub(t).Round(time.Second).String() + " ago"
}
