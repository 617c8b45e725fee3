package console

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/nut"
)

// alarmFlags are the ups.status words that make a status change an
// alarm.
const alarmFlags = nut.OB | nut.LB | nut.OFF | nut.OVER | nut.ALARM | nut.FSD | nut.RB

// alarmNotifications are upsmon's notification types that are alarms.
var alarmNotifications = map[string]bool{"ONBATT": true, "LOWBATT": true, "FSD": true, "COMMBAD": true, "SHUTDOWN": true,
	"REPLBATT": true, "NOCOMM": true, "NOPARENT": true, "NOREDUNDANCY": true, "SUPPLYLOST": true, "OVER": true, "OFF": true}

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
				out[len(out)-1].Alarm = true
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
			out[len(out)-1].Alarm = true
		case s.OK && seen && !p.OK:
			ev(s.Addr, "", "source", "server answers again")
		}
	}
	// When the devices are prev's, only the changed ones can tell of
	// anything.
	devs, old, own := cur.Devices, map[string]*Device{}, true
	if cur.sameMembers && cur.byID != nil && prev.byID != nil {
		devs, old, own = cur.changed, prev.byID, false
	} else {
		for _, d := range prev.Devices {
			old[d.ID()] = d
		}
	}
	for _, d := range devs {
		o, ok := old[d.ID()]
		if own {
			delete(old, d.ID())
		}
		if o == d {
			continue
		}
		switch {
		case !ok:
			ev(d.Source, d.Name, "device", "device appeared")
		case o.Vars["ups.status"] != d.Vars["ups.status"] && !d.Stale:
			ev(d.Source, d.Name, "status", "ups.status %q → %q", o.Vars["ups.status"], d.Vars["ups.status"])
			out[len(out)-1].Status = d.Vars["ups.status"]
			out[len(out)-1].Alarm = nut.ParseStatus(d.Vars["ups.status"]).HasAny(alarmFlags)
		case d.Stale && !o.Stale:
			ev(d.Source, d.Name, "status", "no fresh data: %s", d.Err)
			out[len(out)-1].Alarm = true
		}
		if ok && !sameVars(d.Vars, o.Vars) {
			// Outlets switched (by an operator, a fence agent, a
			// schedule) show as events too.
			for k, v := range d.Vars {
				if strings.HasPrefix(k, "outlet.") && strings.HasSuffix(k, ".status") && o.Vars[k] != "" && o.Vars[k] != v {
					ev(d.Source, d.Name, "outlet", "%s %q → %q", k, o.Vars[k], v)
				}
			}
		}
	}
	if !own { // no device is gone
		old = nil
	}
	srcOK := map[string]bool{}
	for _, s := range cur.Sources {
		srcOK[s.Addr] = s.OK
	}
	for _, d := range old {
		if srcOK[d.Source] {
			ev(d.Source, d.Name, "device", "device gone")
			out[len(out)-1].Alarm = true
		}
	}
	if cur.loadsKept {
		return out
	}
	loads := map[string]string{}
	for _, l := range prev.Loads {
		loads[l.Name] = string(l.Health)
	}
	for _, l := range cur.Loads {
		if was, ok := loads[l.Name]; ok && was != string(l.Health) {
			src := ""
			if len(l.Supplies) > 0 {
				_, src, _ = strings.Cut(l.Supplies[0], "@")
			}
			ev(src, l.Name, "chain", "load %s: %s → %s (%d of %d paths healthy)", l.Name, was, l.Health, l.Healthy, len(l.Paths))
			out[len(out)-1].Alarm = l.Health != chain.Healthy
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

// timelineSVG draws events along the time axis from from to to: a tick
// per event, alarms taller (red until acknowledged), the hours or days
// marked. It is an image of the list below it, which has every event as
// text.
func timelineSVG(evs []Event, from, to time.Time) template.HTML {
	const w, h, left, right = 1000.0, 64.0, 10.0, 10.0
	span := to.Sub(from).Seconds()
	if span <= 0 {
		return ""
	}
	x := func(t time.Time) float64 { return left + (w-left-right)*t.Sub(from).Seconds()/span }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="timeline" viewBox="0 0 %.0f %.0f" role="img" aria-label="%d events from %s to %s">`, w, h, len(evs),
		from.Format("2006-01-02 15:04"), to.Format("2006-01-02 15:04"))
	fmt.Fprintf(&b, `<line class="axis" x1="%.0f" y1="44" x2="%.0f" y2="44"/>`, left, w-right)
	step, layout := time.Hour, "15:04"
	switch {
	case span > 8*86400:
		step, layout = 5*24*time.Hour, "Jan 2"
	case span > 2*86400:
		step, layout = 24*time.Hour, "Jan 2"
	case span > 6*3600:
		step = 3 * time.Hour
	case span <= 3600:
		step = 10 * time.Minute
	}
	for t := from.Truncate(step).Add(step); t.Before(to); t = t.Add(step) {
		fmt.Fprintf(&b, `<line class="axis" x1="%.1f" y1="44" x2="%.1f" y2="48"/><text x="%.1f" y="60" text-anchor="middle">%s</text>`,
			x(t), x(t), x(t), t.Format(layout))
	}
	for _, e := range evs {
		if e.At.Before(from) || e.At.After(to) {
			continue
		}
		cls, top := "ev", 26.0
		if e.Alarm {
			cls, top = "ev alarm", 8
			if e.AckBy != "" {
				cls = "ev alarm acked"
			}
		}
		fmt.Fprintf(&b, `<line class="%s" x1="%.1f" y1="%.0f" x2="%.1f" y2="42"/>`, cls, x(e.At), top, x(e.At))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
