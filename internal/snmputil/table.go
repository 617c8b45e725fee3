package snmputil

import (
	"errors"
	"fmt"
	"maps"
	"strconv"
	"strings"

	"github.com/gosnmp/gosnmp"

	"github.com/powerchain/powerchain/mib"
)

// Table reads one agent by its mapping table as NUT 2.8.0's snmp-ups
// does (see walk.go): the driver polls with it, the fence agent reads
// outlets with it. It remembers what NUT remembers between walks, so one
// Table serves one connection; a new connection starts a new Table.
type Table struct {
	MIB *mib.MIB
	// Unit is the daisy-chain unit the agent answers for ("%u" in the
	// table's OIDs; see FindUnit).
	Unit string
	// Instances are templates' instances found by a walk (a table's
	// OutletIndex); the other templates are counted as NUT counts them.
	Instances map[mib.Kind][]int

	st      *state
	vals    map[string]string
	alarmSt []string // the alarm table's status words and texts, from the last full read
	alarmTx []string
	last    map[mode][]string // the OIDs each kind of read asked for last time
	// gone are the OIDs the agent did not have at the start: later reads
	// take them as absent without asking (NUT stops reading such rows;
	// over SNMPv1 each absent OID costs a request).
	gone map[string]bool
}

// Class is what a read covers.
type Class int

const (
	// Full reads every row (the first Full read is NUT's start-up walk
	// and its first update).
	Full Class = iota
	// Fast reads the Fast rows only: status words, alarms, states.
	Fast
)

// Reading is what a read found.
type Reading struct {
	// Vars are the variables as NUT publishes them (its driver state),
	// ups.status and ups.alarm aside.
	Vars map[string]string
	// Status is ups.status; Alarm is ups.alarm ("" for none).
	Status, Alarm string
	// Writable are the writable variables read, by name.
	Writable map[string]Writable
	// Commands are the instant commands the agent has OIDs for (found
	// by the first Full read; nil after).
	Commands []Command
	// Unusable are the answers no value could be read from.
	Unusable []Unusable
}

// Unusable is an answer a variable could not be read from: a type NUT
// reads neither as text nor as a number, or an integer its lookup does
// not name.
type Unusable struct {
	Name, OID string
	Type      gosnmp.Asn1BER
	Value     any
}

// Writable is where SET VAR writes a variable.
type Writable struct {
	OID string
	Var mib.Var
}

// Command is an instant command of the agent.
type Command struct {
	Name string
	OID  string
	Cmd  mib.Cmd
}

// maxPasses bounds the walks of one read: each pass asks for what the
// one before found missing (counts decide instances, pointers lead to
// objects); tables settle in three or four.
const maxPasses = 12

// Read walks the table and returns what it found; requests, when not
// nil, counts the SNMP requests.
func (t *Table) Read(g *gosnmp.GoSNMP, class Class, requests *int) (*Reading, error) {
	// Until a read succeeds, the next one starts again: NUT's start-up
	// walk (static rows, the identity copied to device.*) is not lost to
	// a first read that failed half-way.
	m, st, vals := update, t.st, t.vals
	switch {
	case st == nil:
		m, st, vals = initial, newState(), map[string]string{}
		if t.last == nil {
			t.last = map[mode][]string{}
		}
	case class == Fast:
		m = fast
	}
	r := newReader()
	if m != initial {
		maps.Copy(r.absent, t.gone)
	}
	if err := t.fetch(g, r, t.last[m], nil, requests); err != nil {
		return nil, err
	}
	for pass := 0; pass < maxPasses; pass++ {
		w := &walk{m: t.MIB, unit: t.Unit, instances: t.Instances, r: r, st: st.clone(), mode: m, vals: maps.Clone(vals)}
		if m == initial {
			w.start()
		} else {
			w.run()
		}
		if r.pending() {
			missing, walks := r.missing, r.toWalk
			r.missing, r.toWalk = nil, nil
			clear(r.wanted)
			if err := t.fetch(g, r, missing, walks, requests); err != nil {
				return nil, err
			}
			continue
		}
		return t.commit(w, r, m), nil
	}
	return nil, fmt.Errorf("reading %s: the walk still wanted OIDs after %d passes", t.MIB.Name, maxPasses)
}

// fetch asks the agent for oids and walks the columns, into r.
func (t *Table) fetch(g *gosnmp.GoSNMP, r *reader, oids, walks []string, requests *int) error {
	var ask []string
	for _, o := range oids {
		if _, ok := r.have[o]; !ok && !r.absent[o] {
			ask = append(ask, o)
		}
	}
	got, err := Get(g, ask, 48, requests)
	if err != nil {
		return err
	}
	for _, o := range ask {
		if p, ok := got[o]; ok {
			r.have[o] = p
		} else {
			r.absent[o] = true
		}
	}
	for _, col := range walks {
		found, err := oidColumn(g, col, requests)
		if err != nil {
			return err
		}
		r.walks[col] = found
	}
	return nil
}

// oidColumn walks a column and returns the object identifiers it holds.
func oidColumn(g *gosnmp.GoSNMP, col string, requests *int) ([]string, error) {
	var out []string
	rows := 0
	if requests != nil {
		*requests++
	}
	err := g.Walk(col, func(p gosnmp.SnmpPDU) error {
		if rows++; rows > 256 {
			return errors.New("more than 256 alarms")
		}
		if p.Type == gosnmp.ObjectIdentifier {
			out = append(out, strings.TrimPrefix(fmt.Sprint(p.Value), "."))
		}
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("walk %s: %w", col, err)
	}
	return out, nil
}

// commit keeps what the walk learnt and makes the reading.
func (t *Table) commit(w *walk, r *reader, m mode) *Reading {
	t.st, t.vals = w.st, w.vals
	var asked []string
	for o := range r.have {
		asked = append(asked, o)
	}
	t.last[m] = asked
	if m == initial {
		t.last[update] = asked
		t.gone = maps.Clone(r.absent)
	}
	status, alarms := w.status, w.alarms
	if m == fast {
		status = append(status, t.alarmSt...)
		alarms = append(alarms, t.alarmTx...)
	} else {
		t.alarmSt, t.alarmTx = w.tableStatus, w.tableAlarms
	}
	out := &Reading{Vars: maps.Clone(t.vals), Writable: map[string]Writable{}, Commands: w.cmds, Unusable: w.unusable}
	out.Alarm = strings.Join(alarms, " ")
	out.Status = strings.Join(status, " ")
	if out.Alarm != "" {
		out.Status = "ALARM " + out.Status
	}
	for _, in := range w.seen {
		if in.v.Writable() && in.oid != "" {
			out.Writable[in.name] = Writable{OID: in.oid, Var: in.v}
		}
	}
	for _, v := range t.MIB.Vars {
		if v.Writable() && v.Kind() == mib.Single && v.Is(mib.Absent) && v.OID != "" {
			out.Writable[v.Name] = Writable{OID: w.expand(v.OID, 0), Var: v}
		}
	}
	return out
}

// Set records a value SET VAR wrote, as NUT does: it is published at
// once, and stays where the variable is not read again.
func (t *Table) Set(name, value string) {
	if t.vals != nil {
		t.vals[name] = value
	}
}

// start is NUT's start-up: the system group's description, contact and
// location first (whatever the table says), the start-up walk, the
// UPS's identity copied to device.*, then the first update walk.
func (w *walk) start() {
	for name, oid := range map[string]string{"device.description": mib.SysDescr, "device.contact": mib.SysContact, "device.location": mib.SysLocation} {
		if s, ok := w.text(oid, nil); ok {
			w.set(name, s)
		}
	}
	w.run()
	w.commands()
	for _, k := range []string{"mfr", "model", "serial"} {
		if s, ok := w.vals["ups."+k]; ok {
			w.set("device."+k, s)
		}
	}
	w.mode, w.status, w.alarms, w.seen = update, nil, nil, nil
	w.run()
}

// commands finds the instant commands the agent has OIDs for: a
// template's for each instance.
func (w *walk) commands() {
	for _, c := range w.m.Cmds {
		k := c.Kind()
		if k == mib.Single {
			if oid := w.expand(c.OID, 0); w.r.answers(oid) {
				w.cmds = append(w.cmds, Command{Name: c.Name, OID: oid, Cmd: c})
			}
			continue
		}
		v := mib.Var{Name: c.Name, OID: c.OID, Flags: c.Flags}
		for _, n := range w.numbers(v, k) {
			if oid := w.expand(c.OID, n); w.r.answers(oid) {
				w.cmds = append(w.cmds, Command{Name: w.expand(c.Name, n), OID: oid, Cmd: c})
			}
		}
	}
	// NUT offers load.off and load.on where the table has their delayed
	// forms: the delay 0.
	have := map[string]bool{}
	for _, c := range w.cmds {
		have[c.Name] = true
	}
	for _, c := range w.cmds {
		if base, ok := strings.CutSuffix(c.Name, ".delay"); ok && (base == "load.off" || base == "load.on") && !have[base] {
			now := c.Cmd
			now.Name, now.Flags, now.Value = base, now.Flags&^mib.Arg, 0
			w.cmds = append(w.cmds, Command{Name: base, OID: c.OID, Cmd: now})
			have[base] = true
		}
	}
}

// FindUnit returns the daisy-chain unit an agent answers for, for the
// "%u" of a table's OIDs: the first of 0 and 1 at which the model row
// answers (NUT's rule), else the one at which more of the table's rows
// answer (an agent without the model OID), else "0".
func FindUnit(g *gosnmp.GoSNMP, m *mib.MIB, requests *int) (string, error) {
	var rows []string
	model := ""
	for _, name := range []string{"device.model", "ups.model"} {
		for _, v := range m.Vars {
			if v.Name == name && model == "" {
				model = v.OID
			}
		}
	}
	if !strings.Contains(model, "%u") && !anyUnit(m) {
		return "0", nil
	}
	for _, v := range m.Vars {
		if strings.Contains(v.OID, "%u") && v.Kind() == mib.Single {
			rows = append(rows, v.OID)
		}
		if len(rows) == 24 {
			break
		}
	}
	score := [2]int{}
	for u := range 2 {
		unit := strconv.Itoa(u)
		oids := []string{strings.ReplaceAll(model, "%u", unit)}
		for _, o := range rows {
			oids = append(oids, strings.ReplaceAll(o, "%u", unit))
		}
		got, err := Get(g, oids, 48, requests)
		if err != nil {
			return "", err
		}
		if _, ok := got[oids[0]]; ok && strings.Contains(model, "%u") {
			return unit, nil
		}
		score[u] = len(got)
	}
	if score[1] > score[0] {
		return "1", nil
	}
	return "0", nil
}

func anyUnit(m *mib.MIB) bool {
	for _, v := range m.Vars {
		if strings.Contains(v.OID, "%u") {
			return true
		}
	}
	return false
}

// Value is what NUT publishes for a variable that reads p: its value (or,
// for a status or alarm element, its words); ok false when NUT publishes
// nothing for it. An object identifier where a number belongs is read by
// its last sub-identifier (no other object is asked for).
func Value(v mib.Var, p gosnmp.SnmpPDU) (string, bool) {
	oid := strings.TrimPrefix(p.Name, ".")
	r := newReader()
	r.have[oid] = p
	w := &walk{m: &mib.MIB{Vars: []mib.Var{v}}, unit: "0", r: r, st: newState(), mode: update, vals: map[string]string{}}
	if !w.get(instance{v: v, name: v.Name, oid: oid}) {
		return "", false
	}
	if v.Is(mib.Status) || v.Is(mib.Alarm) {
		return strings.Join(append(w.status, w.alarms...), " "), true
	}
	s, ok := w.vals[v.Name]
	return s, ok
}
