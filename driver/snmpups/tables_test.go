package snmpups_test

import (
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/internal/snmptest"
	"github.com/powerchain/powerchain/internal/waittest"
	"github.com/powerchain/powerchain/mib"
)

// synthetic makes a recording that answers every OID of a table (unit
// 0 of a daisy chain, instances 1 and 2 of every template, counts of 2):
// sysObjectID the table's first, strings "s-OID", numbers 10,
// enumerations their first value, phases 1.
func synthetic(m *mib.MIB) []byte {
	rows := map[string]string{}
	add := func(oid, val string) {
		if _, done := rows[oid]; oid != "" && !done {
			rows[oid] = val
		}
	}
	inst := func(oid string, n int) string {
		return strings.ReplaceAll(strings.ReplaceAll(oid, "%u", "0"), "%i", fmt.Sprint(n))
	}
	add(mib.SysObjectID, "6|"+m.SysOIDs[0])
	add(m.Requires, "2|1") // a family that shares its sysObjectID: present
	if m.OutletIndex != "" {
		add(m.OutletIndex+".1", "2|1")
		add(m.OutletIndex+".2", "2|2")
	}
	// Enumerations, then numbers, then text: an OID read both as a
	// number and as a string (a delay shown as text) holds an INTEGER on
	// a real agent, one read as a number and through a lookup a value of
	// the lookup.
	vars := append([]mib.Var(nil), m.Vars...)
	rank := func(v mib.Var) int {
		switch {
		case len(v.Lookup) > 0:
			return 0
		case !v.Is(mib.String):
			return 1
		}
		return 2
	}
	sort.SliceStable(vars, func(i, j int) bool { return rank(vars[i]) < rank(vars[j]) })
	for _, v := range vars {
		for _, n := range []int{1, 2} {
			oid := inst(v.OID, n)
			switch {
			case v.Is(mib.Absent):
			case strings.HasSuffix(v.Name, ".phases"):
				add(oid, "2|1")
			case strings.HasSuffix(v.Name, ".count"):
				add(oid, "2|2")
			case len(v.Lookup) > 0:
				add(oid, fmt.Sprintf("2|%d", v.Lookup[0].Value))
			case v.Is(mib.String):
				add(oid, "4|s-"+oid)
			default:
				add(oid, "2|10")
			}
		}
	}
	for _, c := range m.Cmds {
		for _, n := range []int{1, 2} {
			add(inst(c.OID, n), "2|0")
		}
	}
	var oids []string
	for o := range rows {
		oids = append(oids, o)
	}
	// snmpsim wants its records in OID order.
	sort.Slice(oids, func(i, j int) bool { return lessOID(oids[i], oids[j]) })
	var b strings.Builder
	for _, o := range oids {
		fmt.Fprintf(&b, "%s|%s\n", o, rows[o])
	}
	return []byte(b.String())
}

func lessOID(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		var x, y int
		fmt.Sscan(as[i], &x)
		fmt.Sscan(bs[i], &y)
		if x != y {
			return x < y
		}
	}
	return len(as) < len(bs)
}

// TestEveryTableOnAnAgent serves, for every mapping table, a recording
// that answers all of its OIDs, and checks that the driver detects that
// table, sets device.type, publishes every variable (templates for their
// two instances, numbered from 1 as the agent's index is; from -1, as
// NUT numbers them, where a template has no OID) and offers the
// commands.
func TestEveryTableOnAnAgent(t *testing.T) {
	data := map[string][]byte{}
	var conf strings.Builder
	for _, m := range mib.All() {
		data["t-"+m.Name] = synthetic(m)
	}
	agent := snmptest.SimData(t, data)
	for _, m := range mib.All() {
		// A full read every 2 s: on a loaded machine one agent answering
		// every table may let a first read's request time out; the next
		// full read fills what it missed.
		conf.WriteString(section("t-"+m.Name, agent, "t-"+m.Name, "\tpollfreq = 2\n"))
	}
	c := serve(t, conf.String())
	for _, m := range mib.All() {
		t.Run(m.Name, func(t *testing.T) {
			vars := waitComplete(t, c, m)
			if got := vars["driver.version.data"]; got != m.Name+" MIB "+m.Version {
				t.Errorf("detected %q, want %s", got, m.Name)
			}
			if vars["device.type"] != m.Type {
				t.Errorf("device.type %q, want %s", vars["device.type"], m.Type)
			}
			if _, ok := vars["ups.status"]; !ok {
				t.Error("no ups.status")
			}
			for _, name := range promisedVars(m) {
				if _, ok := vars[name]; !ok {
					t.Errorf("%s missing", name)
				}
			}
			if _, counted := m.Counter(mib.Outlets); counted || m.OutletIndex != "" {
				if _, ok := vars["outlet.3.status"]; ok {
					t.Error("an outlet 3 that the agent does not have")
				}
			}
			cmds, err := c.Commands(ctxT(t), "t-"+m.Name)
			if err != nil {
				t.Fatal(err)
			}
			for _, cmd := range m.Cmds {
				name := strings.ReplaceAll(cmd.Name, "%i", "1")
				if !slices.Contains(cmds, name) {
					t.Errorf("command %s not offered: %v", name, cmds)
				}
			}
		})
	}
}

// waitComplete waits (≤ 60 s) until the device of table m has published
// device.type and every variable and command the table promises on the
// synthetic agent, and returns its variables as they are then (the test
// reports what is still missing).
func waitComplete(t *testing.T, c *client.Client, m *mib.MIB) map[string]string {
	t.Helper()
	ups := "t-" + m.Name
	vars := waitVars(t, c, ups, "device.type")
	waittest.Until(60*time.Second, 500*time.Millisecond, func() bool {
		complete := true
		for _, name := range promisedVars(m) {
			if _, ok := vars[name]; !ok {
				complete = false
			}
		}
		cmds, _ := c.Commands(ctxT(t), ups)
		for _, cmd := range m.Cmds {
			if !slices.Contains(cmds, strings.ReplaceAll(cmd.Name, "%i", "1")) {
				complete = false
			}
		}
		if !complete {
			vars = waitVars(t, c, ups, "device.type")
		}
		return complete
	})
	return vars
}

// TestDetectionWithoutModelOID: agents that lack their table's model OID
// (NUT 2.8.0 detects none of them) are read by the best-matching table:
// by the table their sysObjectID names, or, where it names none, by a
// table whose probe OID (nut-scanner's) answers; the data the table's
// other rows answer is read. An agent that answers its sysObjectID and
// nothing of a table is refused.
func TestDetectionWithoutModelOID(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile("../../testdata/snmprec/parity/" + name + ".snmprec")
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	// edit replaces an OID's line (drops it when line is "").
	edit := func(rec, oid, line string) string {
		var out []string
		for _, l := range strings.Split(rec, "\n") {
			switch {
			case !strings.HasPrefix(l, oid+"|"):
				out = append(out, l)
			case line != "":
				out = append(out, line)
			}
		}
		return strings.Join(out, "\n")
	}
	drop := func(rec, oid string) string { return edit(rec, oid, "") }
	sysOID := func(rec, oid string) string { return edit(rec, mib.SysObjectID, mib.SysObjectID+"|6|"+oid) }
	cases := []struct {
		name, rec, mibs, want, value string
	}{
		// XUPS card without xupsIdentModel: sysObjectID 534.1 names pw.
		{"xups", drop(read("pw--connectups-v4.36"), "1.3.6.1.4.1.534.1.1.2.0"), "pw", "battery.charge", "100"},
		// UPS-MIB agent of an unknown enterprise without upsIdentModel:
		// upsIdentManufacturer, ietf's probe OID, answers.
		{"upsmib", sysOID(drop(read("ietf--cet-t2s"), "1.3.6.1.2.1.33.1.1.2.0"), "1.3.6.1.4.1.99999.1"), "ietf", "ups.mfr", "CE+T Power"},
		// Identification only.
		{"ident", read("tripplite--poweralert-ident"), "", "", ""},
	}
	data := map[string][]byte{}
	for _, c := range cases {
		data[c.name] = []byte(c.rec)
	}
	agent := snmptest.SimData(t, data)
	var conf strings.Builder
	for _, c := range cases {
		if c.mibs != "" {
			conf.WriteString(section(c.name, agent, c.name, ""))
		}
	}
	cl := serve(t, conf.String())
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.mibs == "" {
				if err := connectOnce(agent, c.name, "v2c"); err == nil || !strings.Contains(err.Error(), "no mapping table matches") {
					t.Errorf("detected: %v", err)
				}
				return
			}
			vars := waitVars(t, cl, c.name, "device.type")
			if got, _, _ := strings.Cut(vars["driver.version.data"], " "); got != c.mibs {
				t.Errorf("detected %q, want %s", got, c.mibs)
			}
			if vars[c.want] != c.value {
				t.Errorf("%s = %q, want %q", c.want, vars[c.want], c.value)
			}
		})
	}
}

// promisedVars are the variables table m publishes on the synthetic
// agent: templates for their two instances, numbered from 1 as the
// agent's index is, or from -1, as NUT numbers them, where a template has
// no OID (three-phase rows and words for ups.status or ups.alarm left
// out: the recording says one phase).
func promisedVars(m *mib.MIB) []string {
	var names []string
	for _, v := range m.Vars {
		if v.Flags&(mib.Input3|mib.Output3) != 0 || v.Is(mib.Status) || v.Is(mib.Alarm) {
			continue
		}
		switch {
		case v.Kind() == mib.Single:
			names = append(names, v.Name)
		case v.OID == "":
			names = append(names, strings.ReplaceAll(v.Name, "%i", "-1"), strings.ReplaceAll(v.Name, "%i", "0"))
		default:
			names = append(names, strings.ReplaceAll(v.Name, "%i", "1"), strings.ReplaceAll(v.Name, "%i", "2"))
		}
	}
	return names
}
