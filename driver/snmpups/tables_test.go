package snmpups_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/powerchain/powerchain/internal/snmptest"
	"github.com/powerchain/powerchain/mib"
)

// synthetic makes a recording that answers every OID of a table (two
// outlets, two groups): sysObjectID the table's first, strings "s-OID",
// numbers 10, enumerations their first value.
func synthetic(m *mib.MIB) []byte {
	rows := map[string]string{}
	add := func(oid, val string) {
		if oid != "" {
			rows[oid] = val
		}
	}
	sysOID := "1.3.6.1.4.1.99999.1"
	if len(m.SysOIDs) > 0 {
		sysOID = m.SysOIDs[0]
	}
	add(mib.SysObjectID, "6|"+sysOID)
	add(m.ProbeOID, "4|probe")
	add(m.Requires, "2|1") // a family that shares its sysObjectID: present
	add(m.OutletCount, "2|2")
	add(m.GroupCount, "2|2")
	if m.OutletIndex != "" {
		add(m.OutletIndex+".1", "2|1")
		add(m.OutletIndex+".2", "2|2")
	}
	// Numbers first: an OID read both as a number and as a string (a
	// delay shown as text) holds an INTEGER on a real agent.
	vars := append([]mib.Var(nil), m.Vars...)
	sort.SliceStable(vars, func(i, j int) bool { return !vars[i].Is(mib.String) && vars[j].Is(mib.String) })
	for _, v := range vars {
		for _, n := range []int{1, 2} {
			oid := strings.ReplaceAll(v.OID, "%i", fmt.Sprint(n))
			if _, done := rows[oid]; done || oid == "" {
				continue
			}
			switch {
			case strings.HasSuffix(v.Name, ".phases"):
				add(oid, "2|1")
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
			oid := strings.ReplaceAll(c.OID, "%i", fmt.Sprint(n))
			if _, done := rows[oid]; !done {
				add(oid, "2|0")
			}
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
// table, sets device.type, numbers outlets and groups from 1 and offers
// the commands.
func TestEveryTableOnAnAgent(t *testing.T) {
	data := map[string][]byte{}
	var conf strings.Builder
	for _, m := range mib.All() {
		data["t-"+m.Name] = synthetic(m)
	}
	agent := snmptest.SimData(t, data)
	for _, m := range mib.All() {
		conf.WriteString(section("t-"+m.Name, agent, "t-"+m.Name, ""))
	}
	c := serve(t, conf.String())
	for _, m := range mib.All() {
		t.Run(m.Name, func(t *testing.T) {
			vars := waitVars(t, c, "t-"+m.Name, "device.type")
			if got := vars["driver.version.data"]; got != m.Name+" MIB "+m.Version {
				t.Errorf("detected %q, want %s", got, m.Name)
			}
			if vars["device.type"] != m.Type {
				t.Errorf("device.type %q, want %s", vars["device.type"], m.Type)
			}
			outlets := m.OutletCount != "" || m.OutletIndex != ""
			for _, v := range m.Vars {
				name := v.Name
				if v.Flags&(mib.Outlet|mib.Group) != 0 {
					name = strings.ReplaceAll(name, "%i", "2")
				}
				if v.Flags&(mib.Input3|mib.Output3) != 0 {
					continue // the recording says 1 phase (or nothing)
				}
				if v.Is(mib.Status) {
					name = "ups.status"
				}
				if _, ok := vars[name]; !ok {
					t.Errorf("%s missing", name)
				}
			}
			if outlets {
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
