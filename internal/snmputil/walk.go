package snmputil

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/gosnmp/gosnmp"

	"github.com/powerchain/powerchain/mib"
)

// The walk reads a table as NUT 2.8.0's snmp-ups does (snmp_ups_walk and
// su_ups_get in drivers/snmp-ups.c), row by row in the table's order, so
// that every variable comes out as NUT's does: which entry of a variable
// wins, when a template's index starts at 0 or 1 (or -1 for a template
// without an OID), how many instances a template has when nothing
// counts them, which phases' rows apply, the status words and alarms in
// the order NUT adds them. It does not ask the agent itself: it reads
// from a reader, which remembers what the walk wanted and did not have,
// and the driver asks for all of that in multi-OID GETs and walks again,
// until nothing is missing (see Driver.read). So NUT's one-OID-at-a-time
// walk costs a few requests here.

// mode is which walk.
type mode int

const (
	// initial is NUT's first walk (SU_WALKMODE_INIT): every row; rows that
	// do not answer are not read again.
	initial mode = iota
	// update is NUT's later walks: every row still read, but the static.
	update
	// fast is powerchain's read between full ones: the Fast rows only.
	fast
)

// reader gives the walk the agent's answers of this poll.
type reader struct {
	have    map[string]gosnmp.SnmpPDU // answered
	absent  map[string]bool           // asked for, not there
	missing []string                  // wanted, not asked for yet
	wanted  map[string]bool
	// walks are the object identifiers a column's walk found; toWalk the
	// columns wanted and not walked yet.
	walks  map[string][]string
	toWalk []string
}

func newReader() *reader {
	return &reader{have: map[string]gosnmp.SnmpPDU{}, absent: map[string]bool{}, wanted: map[string]bool{},
		walks: map[string][]string{}}
}

// pending reports whether the walk wanted anything not read yet.
func (r *reader) pending() bool { return len(r.missing) > 0 || len(r.toWalk) > 0 }

// get returns the agent's answer for oid; an OID not asked for yet is
// noted as missing and reads as absent for this pass.
func (r *reader) get(oid string) (gosnmp.SnmpPDU, bool) {
	if oid == "" {
		return gosnmp.SnmpPDU{}, false
	}
	if p, ok := r.have[oid]; ok {
		return p, true
	}
	if !r.absent[oid] {
		r.want(oid)
	}
	return gosnmp.SnmpPDU{}, false
}

// want notes an OID the walk will (probably) read.
func (r *reader) want(oid string) {
	if oid != "" && !r.wanted[oid] && !r.absent[oid] {
		if _, ok := r.have[oid]; !ok {
			r.wanted[oid] = true
			r.missing = append(r.missing, oid)
		}
	}
}

// answers reports whether the agent has oid (NUT's nut_snmp_get != NULL,
// with SNMPv1's semantics: a v2c noSuchInstance is no answer).
func (r *reader) answers(oid string) bool {
	_, ok := r.get(oid)
	return ok
}

// state is what NUT's snmp-ups remembers between walks.
type state struct {
	off      map[int]bool    // rows no longer read (failed at start, invalid, or beaten by a Unique row)
	once     map[int]bool    // static rows read (Absent ones included)
	instOff  map[string]bool // template instances missing at start ("row:n"); NUT drops the whole row
	unique   map[int]bool    // Unique rows that have won
	base     map[mib.Kind]int
	phases   map[string]int // input, output, input.bypass
	tempUnit int            // the last SensorUnit reading (NUT's temperature_unit)
}

func newState() *state {
	return &state{off: map[int]bool{}, once: map[int]bool{}, instOff: map[string]bool{}, unique: map[int]bool{},
		base: map[mib.Kind]int{}, phases: map[string]int{}, tempUnit: tempUnknown}
}

func (s *state) clone() *state {
	return &state{off: maps.Clone(s.off), once: maps.Clone(s.once), instOff: maps.Clone(s.instOff), unique: maps.Clone(s.unique),
		base: maps.Clone(s.base), phases: maps.Clone(s.phases), tempUnit: s.tempUnit}
}

// NUT's temperature units (snmp-ups.h).
const (
	tempUnknown = iota
	tempCelsius
	tempKelvin
	tempFahrenheit
)

// instance is one variable the walk read: a row, or a row's template
// instance.
type instance struct {
	row  int
	v    mib.Var
	name string
	oid  string
	n    int // template instance; 0 for rows
}

// walk is one walk over a table.
type walk struct {
	m         *mib.MIB
	unit      string             // the daisy-chain unit, for %u
	instances map[mib.Kind][]int // fixed instance lists (an OutletIndex walk)
	r         *reader
	st        *state
	mode      mode
	vals      map[string]string // NUT's dstate: what is published
	status    []string
	alarms    []string
	seen      []instance // every instance read, for SET VAR
	// tableStatus and tableAlarms are what the alarm table added.
	tableStatus, tableAlarms []string
	// unusable are answers of a type the variable cannot be read from.
	unusable []Unusable
	cmds     []Command // the commands the agent has OIDs for (initial walk)
}

// run walks every row.
func (w *walk) run() {
	for i, v := range w.m.Vars {
		if w.mode == fast && v.Poll != mib.Fast {
			continue
		}
		if w.mode != initial && (w.st.off[i] || v.Poll == mib.Once || w.st.once[i]) {
			continue
		}
		if v.Is(mib.Absent) && v.Kind() == mib.Single {
			if w.mode == initial {
				w.set(v.Name, v.Default)
			}
			w.st.once[i] = true
			continue
		}
		if !w.phaseOK(v) {
			w.st.off[i] = true
			continue
		}
		if k := v.Kind(); k != mib.Single {
			w.template(i, v, k)
			continue
		}
		w.one(instance{row: i, v: v, name: v.Name, oid: w.expand(v.OID, 0)})
	}
	if w.mode != fast {
		w.alarmTable()
	}
}

func (w *walk) set(name, value string) { w.vals[name] = value }

// expand fills a template: %u with the unit, %i with n.
func (w *walk) expand(s string, n int) string {
	if s == "" || !strings.Contains(s, "%") {
		return s
	}
	s = strings.ReplaceAll(s, "%u", w.unit)
	return strings.ReplaceAll(s, "%i", strconv.Itoa(n))
}

// one reads one instance and publishes it (NUT's get_and_process_data).
func (w *walk) one(in instance) {
	w.seen = append(w.seen, in)
	ok := w.get(in)
	switch {
	case ok && in.v.Is(mib.Unique) && !w.st.unique[in.row]:
		w.st.unique[in.row] = true
		w.beat(in.row)
	case !ok && w.mode == initial && in.n == 0 && in.v.Kind() == mib.Single:
		w.st.off[in.row] = true
	case !ok && w.mode == initial:
		w.st.instOff[instKey(in)] = true
	}
}

func instKey(in instance) string { return strconv.Itoa(in.row) + ":" + strconv.Itoa(in.n) }

// beat stops reading the other rows of row's variable (NUT's
// disable_competition).
func (w *walk) beat(row int) {
	name := w.m.Vars[row].Name
	for j, v := range w.m.Vars {
		if j != row && v.Name == name {
			w.st.off[j] = true
		}
	}
}

// get reads an instance into the published values, the status words or
// the alarms (NUT's su_ups_get); false when it has no value.
func (w *walk) get(in instance) bool {
	v := in.v
	switch {
	case v.Is(mib.Status):
		n, ok := w.integer(in.oid)
		if ok {
			if t, found := v.Lookup.Text(n); found && t != "" {
				w.status = append(w.status, t)
			}
		}
		return ok
	case v.Is(mib.Alarm):
		n, ok := w.integer(in.oid)
		if ok {
			if t, found := v.Lookup.Text(n); found && t != "" {
				w.alarms = append(w.alarms, alarmText(in, t))
			}
		}
		return ok
	case v.Decimals > 0:
		n, ok := w.integer(in.oid)
		if !ok {
			return false
		}
		w.set(in.name, w.decimals(v, n))
		return true
	case in.oid == "" && v.Default != "":
		w.set(in.name, w.expand(v.Default, in.n))
		return true
	case v.Is(mib.String):
		s, ok := w.text(in.oid, v.Lookup)
		if !ok {
			w.check(in)
			return false
		}
		if v.Convert == mib.USDate {
			s = usDate(s)
		}
		w.set(in.name, s)
		return true
	}
	n, ok := w.integer(in.oid)
	if !ok {
		w.check(in)
		return false
	}
	if v.Is(mib.NegInvalid) && n < 0 || v.Is(mib.ZeroInvalid) && n == 0 {
		if in.v.Kind() == mib.Single {
			w.st.off[in.row] = true
		} else {
			w.st.instOff[instKey(in)] = true
		}
		if v.Is(mib.Unique) && !w.st.unique[in.row] {
			w.st.unique[in.row] = true
			w.beat(in.row)
		}
		return false
	}
	switch v.Convert {
	case mib.SensorUnit:
		w.st.tempUnit = sensorUnit(n)
		w.set(in.name, "celsius")
		return true
	case mib.SensorTemp:
		w.set(in.name, sensorTemp(w.st.tempUnit, n))
		return true
	}
	if t, found := v.Lookup.Text(n); found {
		w.set(in.name, t)
		return true
	}
	w.set(in.name, number(v.Mult, n))
	return true
}

// check notes an answer the variable could not be read from (a type NUT
// does not read as text or number, or an integer no lookup entry names).
func (w *walk) check(in instance) {
	p, ok := w.r.have[in.oid]
	if !ok {
		return
	}
	w.unusable = append(w.unusable, Unusable{Name: in.name, OID: in.oid, Type: p.Type, Value: p.Value})
}

// decimals formats a reading printed with fixed digits (NUT's
// ambient.temperature), IEM probes converted from Fahrenheit.
func (w *walk) decimals(v mib.Var, n int64) string {
	var f float32
	switch {
	case v.Convert == mib.IEMTemp:
		u, ok := w.integer(v.Aux)
		if !ok || u == iemFahrenheit {
			f = float32(float64(n-32) / 1.8)
		} else {
			f = float32(n)
		}
	default:
		f = float32(float64(n) * mult(v.Mult))
	}
	return strconv.FormatFloat(float64(f), 'f', v.Decimals, 64)
}

// iemFahrenheit is PowerNet-MIB's iemStatusProbeTempUnits fahrenheit(2).
const iemFahrenheit = 2

// alarmText prefixes an outlet's, group's or phase's alarm as NUT does.
func alarmText(in instance, t string) string {
	switch {
	case in.v.Is(mib.Outlet):
		return "outlet " + strconv.Itoa(templateNumber(in.name, "outlet.")) + " " + t
	case in.v.Is(mib.Group):
		return "outlet group " + strconv.Itoa(templateNumber(in.name, "outlet.group.")) + " " + t
	case strings.HasPrefix(in.name, "L"):
		return "phase L" + strconv.Itoa(atoi(in.name[1:])) + " " + t
	}
	return t
}

func templateNumber(name, prefix string) int { return atoi(strings.TrimPrefix(name, prefix)) }

// phaseOK filters the rows of 1 or 3 phases by input.phases and
// output.phases, as NUT does; bypass rows only get input.bypass.phases
// published (NUT 2.8.0 compares them with the input flags, which they do
// not carry).
func (w *walk) phaseOK(v mib.Var) bool {
	if v.Flags&(mib.Input1|mib.Input3) != 0 {
		n := w.phases("input")
		if v.Is(mib.Input1) && n != 1 || v.Is(mib.Input3) && n != 3 {
			return false
		}
	}
	if v.Flags&(mib.Output1|mib.Output3) != 0 {
		n := w.phases("output")
		if v.Is(mib.Output1) && n != 1 || v.Is(mib.Output3) && n != 3 {
			return false
		}
	}
	if v.Flags&(mib.Bypass1|mib.Bypass3) != 0 {
		w.phases("input.bypass")
	}
	return true
}

// phases is the number of phases of input, output or input.bypass: what
// is published, else the phases row's OID, else 1 — published either way
// (NUT's process_phase_data).
func (w *walk) phases(what string) int {
	if n, ok := w.st.phases[what]; ok {
		return n
	}
	name := what + ".phases"
	n := 1
	if s, ok := w.vals[name]; ok {
		n = atoi(s)
	} else {
		for _, v := range w.m.Vars {
			if v.Name == name {
				if x, ok := w.integer(w.expand(v.OID, 0)); ok {
					n = int(x)
				}
				break
			}
		}
	}
	w.st.phases[what] = n
	w.set(name, strconv.Itoa(n))
	return n
}

// template reads a template row's instances (NUT's process_template).
func (w *walk) template(i int, v mib.Var, k mib.Kind) {
	for _, n := range w.numbers(v, k) {
		in := instance{row: i, v: v, name: w.expand(v.Name, n), oid: w.expand(v.OID, n), n: n}
		if w.st.instOff[instKey(in)] && w.mode != initial {
			continue
		}
		if v.OID == "" {
			if v.Default != "" {
				w.set(in.name, w.expand(v.Default, n))
			}
			continue
		}
		w.one(in)
	}
}

// numbers are the instances of a template row: a listed set (an
// OutletIndex walk), else count instances from the kind's base index.
func (w *walk) numbers(v mib.Var, k mib.Kind) []int {
	if l, ok := w.instances[k]; ok {
		return l
	}
	count := 0
	if s, ok := w.vals[k.CountVar()]; ok {
		count = atoi(s)
	} else if count = w.guess(v); count > 0 {
		w.set(k.CountVar(), strconv.Itoa(count))
	}
	if count <= 0 {
		return nil
	}
	base := w.base(k, v)
	out := make([]int, 0, min(count, maxInstances))
	for n := base; n < base+count && len(out) < maxInstances; n++ {
		out = append(out, n)
	}
	return out
}

// maxInstances bounds a template's instances (an agent may claim any
// count).
const maxInstances = 1024

// base is where a kind's template index starts: 0 or 1, as the first
// template row with an OID answers, -1 for a row without an OID (NUT's
// base_snmp_template_index). Where that row answers at neither, NUT
// 2.8.0 starts at 2; powerchain asks the kind's next rows, and starts at
// 1 when none answers.
func (w *walk) base(k mib.Kind, v mib.Var) int {
	if v.OID == "" {
		return -1
	}
	if b, ok := w.st.base[k]; ok {
		return b
	}
	rows := []mib.Var{v}
	for _, o := range w.m.Vars {
		if o.Kind() == k && o.OID != "" && o.OID != v.OID {
			rows = append(rows, o)
		}
	}
	b := 1
	for _, row := range rows {
		if n, ok := w.startsAt(row); ok {
			b = n
			break
		}
	}
	w.st.base[k] = b
	return b
}

// startsAt reports whether a template row answers at index 0, else 1.
func (w *walk) startsAt(v mib.Var) (int, bool) {
	for b := 0; b < 2; b++ {
		oid := w.expand(v.OID, b)
		if !w.r.answers(oid) {
			continue
		}
		switch {
		case v.Is(mib.ZeroInvalid):
			if n, ok := w.integer(oid); ok && n != 0 {
				return b, true
			}
		case v.Is(mib.NAInvalid):
			if s, ok := w.text(oid, nil); ok && !strings.HasPrefix(s, "N/A") {
				return b, true
			}
		default:
			return b, true
		}
	}
	return 0, false
}

// guess counts a template's instances where nothing counts them: from
// index 0 (1 when 0 does not answer, or reads 0 and that is invalid),
// the indexes that answer in a row (NUT's guestimate_template_count).
func (w *walk) guess(v mib.Var) int {
	if v.OID == "" {
		return 0
	}
	first := w.expand(v.OID, 0)
	w.r.want(w.expand(v.OID, 1))
	base := 0
	if !w.r.answers(first) {
		base = 1
	} else if v.Is(mib.ZeroInvalid) {
		if n, ok := w.integer(first); ok && n == 0 {
			base = 1
		}
	}
	count := 0
	for ; count < maxInstances; count++ {
		oid := w.expand(v.OID, base+count)
		if !w.r.answers(oid) {
			// After a run of answers, ask for the next ones in the same
			// request (none after none: an agent without the template
			// would be asked 32 absent OIDs at every read).
			for n := base + count + 1; count > 0 && n < base+count+32; n++ {
				w.r.want(w.expand(v.OID, n))
			}
			break
		}
	}
	return count
}

// alarmTable reads a MIB's table of active alarms, after the rows (the
// XUPS-MIB lists it last).
func (w *walk) alarmTable() {
	a := w.m.Alarms
	if a == nil {
		return
	}
	n, ok := w.integer(a.Count)
	if !ok || n <= 0 {
		return
	}
	found, ok := w.r.walks[a.Walk]
	if !ok {
		if !slices.Contains(w.r.toWalk, a.Walk) {
			w.r.toWalk = append(w.r.toWalk, a.Walk)
		}
		return
	}
	for _, oid := range found {
		for _, k := range a.Known {
			if k.OID == oid {
				if k.Status != "" {
					w.status = append(w.status, k.Status)
					w.tableStatus = append(w.tableStatus, k.Status)
				}
				if k.Text != "" {
					w.alarms = append(w.alarms, k.Text)
					w.tableAlarms = append(w.tableAlarms, k.Text)
				}
				break
			}
		}
	}
}
