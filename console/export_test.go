package console

import (
	"context"
	"fmt"
	"math"
	"math/rand"
	"time"

	"github.com/powerchain/powerchain/chain"
)

// SeedRackHistory fills a history database with a day of the example
// rack on server (ups1 through a 25-minute outage five hours ago and an
// 8-minute one 50 minutes ago, with the events that say so), for the
// screenshots and the chart tests. Values wander as real ones do.
func SeedRackHistory(path, server string, places map[string]Place, now time.Time) error {
	st, err := OpenStore(path, 0)
	if err != nil {
		return err
	}
	defer st.Close()
	rng := rand.New(rand.NewSource(1))
	jitter := func(v, d float64) string { return fmt.Sprintf("%.1f", v+d*(rng.Float64()*2-1)) }
	outages := [][2]time.Time{
		{now.Add(-5 * time.Hour), now.Add(-5*time.Hour + 25*time.Minute)},
		{now.Add(-50 * time.Minute), now.Add(-42 * time.Minute)},
	}
	charge := 100.0
	wasOB := false
	var firstAlarm int64
	ctx := context.Background()
	start := now.Add(-26 * time.Hour)
	for at := start; at.Before(now); {
		step := time.Minute
		if now.Sub(at) < 2*time.Hour {
			step = 10 * time.Second
		}
		ob := false
		for _, o := range outages {
			ob = ob || (!at.Before(o[0]) && at.Before(o[1]))
		}
		if ob {
			charge = math.Max(20, charge-step.Minutes()*1.8)
		} else {
			charge = math.Min(100, charge+step.Minutes()*0.6)
		}
		day := math.Sin(2 * math.Pi * float64(at.Unix()%86400) / 86400)
		snap := &Snapshot{At: at, Graph: chain.NewGraph()}
		add := func(name, typ, parent, host string, vars map[string]string) {
			addDevice(snap, server, name, typ, parent, host, vars)
		}
		status, in1 := "OL", jitter(230, 1.5)
		if ob {
			status, in1 = "OB DISCHRG", "0.0"
		} else if charge < 100 {
			status = "OL CHRG"
		}
		w1 := 610 + 40*day + 10*(rng.Float64()*2-1)
		add("ups1", "ups", "main", "", map[string]string{"ups.status": status, "battery.charge": fmt.Sprintf("%.0f", charge),
			"battery.runtime": fmt.Sprintf("%.0f", charge*18), "input.voltage": in1, "output.voltage": jitter(230, 0.4),
			"ups.load": fmt.Sprintf("%.0f", w1/27), "ups.realpower": fmt.Sprintf("%.0f", w1), "input.frequency": jitter(50, 0.05)})
		w2 := 540 + 30*day + 10*(rng.Float64()*2-1)
		add("ups2", "ups", "main", "", map[string]string{"ups.status": "OL", "battery.charge": "100", "battery.runtime": "2400",
			"input.voltage": jitter(231, 1.5), "output.voltage": jitter(230, 0.4), "ups.load": fmt.Sprintf("%.0f", w2/27),
			"ups.realpower": fmt.Sprintf("%.0f", w2), "input.frequency": jitter(50, 0.05)})
		add("pdu1", "pdu", "ups1", "", map[string]string{"input.voltage": jitter(230, 0.4), "input.realpower": fmt.Sprintf("%.0f", w1-15)})
		add("pdu2", "pdu", "ups2", "", map[string]string{"input.voltage": jitter(230, 0.4), "input.realpower": fmt.Sprintf("%.0f", w2-15)})
		for i := 1; i <= 3; i++ {
			for f, pdu := range []string{"pdu1", "pdu2"} {
				add(fmt.Sprintf("srv%d-psu%d", i, f+1), "psu", fmt.Sprintf("%s:outlet%d", pdu, i), fmt.Sprintf("srv%d", i),
					map[string]string{"ups.status": "OL", "input.voltage": jitter(230, 0.4), "ups.realpower": jitter(190+5*float64(i), 6)})
			}
		}
		snap.Loads = snap.Graph.Loads(nil)
		snap.derive(nil, places)
		if ob != wasOB {
			ev := Event{At: at, Source: server, Device: "ups1", Kind: "status", Status: status, Alarm: ob,
				Message: fmt.Sprintf("ups.status %q → %q", map[bool]string{true: "OL", false: "OB DISCHRG"}[ob], status)}
			evs := []Event{ev}
			if err := st.AddEvents(ctx, evs); err != nil {
				return err
			}
			if ob && firstAlarm == 0 {
				firstAlarm = evs[0].ID
			}
			if !ob && firstAlarm != 0 {
				// The first outage's alarm was acknowledged as it ended.
				st.Ack(ctx, firstAlarm, "admin", at.Add(3*time.Minute))
			}
			wasOB = ob
		}
		if err := st.Record(ctx, snap); err != nil {
			return err
		}
		at = at.Add(step)
	}
	return nil
}

// NavTimings opens a page in Chromium and reports how long it took to
// show (for the benchmarks).
func NavTimings(ctx context.Context, u, sel string) (fmt.Stringer, error) {
	return navTimings(ctx, u, sel)
}

// FleetPlaces puts servers in sites of ten racks, one server a rack.
func FleetPlaces(servers []string) map[string]Place { return fleetPlaces(servers) }

// Streams counts the open event streams (pages following the console).
func (c *Console) Streams() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.subs)
}

// FleetStampVar holds when a simulated fleet's device last changed (Unix
// nanoseconds), so that a console knows how old what it shows is.
const FleetStampVar = "experimental.bench.changed"

// FleetDevice is device i of server number server in the fleet
// benchmarks: a chain of 2 UPSes, 4 PDUs and power supplies (two per
// host); its name and variables.
func FleetDevice(server, i int) (name string, vars map[string]string) {
	vars = map[string]string{"device.mfr": "Bench", "driver.name": "dummy-ups", "driver.version": "2.8.0",
		"input.voltage": "230", "ups.status": "OL", FleetStampVar: "0"}
	switch {
	case i < 2:
		name = fmt.Sprintf("ups%d", i+1)
		vars["device.type"], vars["device.model"], vars["battery.charge"], vars["battery.runtime"] = "ups", "Bench 3000", "100", "1800"
		vars["ups.load"], vars["ups.realpower"], vars["output.voltage"], vars["battery.voltage"] = "40", "1200", "230", "54.2"
	case i < 6:
		name = fmt.Sprintf("pdu%d", i-1)
		vars["device.type"], vars["device.model"], vars["device.parent"] = "pdu", "Bench PDU", fmt.Sprintf("ups%d", 1+(i-2)%2)
		for o := 1; o <= 8; o++ {
			vars[fmt.Sprintf("outlet.%d.status", o)] = "on"
		}
		vars["input.realpower"] = "600"
	default:
		name = fmt.Sprintf("psu%d", i-5)
		vars["device.type"], vars["device.model"] = "psu", "Bench PSU"
		vars["device.parent"] = fmt.Sprintf("pdu%d:outlet%d", 1+i%4, 1+i%8)
		vars["device.host"] = fmt.Sprintf("host%d-%d", server, (i-6)/2)
	}
	return name, vars
}
