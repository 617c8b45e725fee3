package mib

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/powerchain/powerchain/internal/tabfile"
)

// The tables, as the binary carries them; tables/README.md describes
// their records.
//
//go:embed tables/*.tab
var tableFiles embed.FS

// catalog is what the table files hold.
type catalog struct {
	mibs  []*MIB // in detection order
	traps []*TrapSet
}

// loaded is the embedded tables, read on first use (not at start-up:
// every command of the binary would pay for it, upsc too); a mistake in
// them stops the program with the file and line rather than letting it
// run with half a table, and TestLoad reads them all, so such a binary
// is never built by make check.
var loaded = sync.OnceValue(func() *catalog { return mustLoad(tableFiles) })

func mustLoad(fsys fs.FS) *catalog {
	c, err := load(fsys)
	if err != nil {
		panic("mib: the embedded tables: " + err.Error())
	}
	return c
}

// The words of the records' attributes.
var (
	flagWords = map[string]Flag{
		"string": String, "absent": Absent, "neginvalid": NegInvalid,
		"zeroinvalid": ZeroInvalid, "nainvalid": NAInvalid, "unique": Unique,
		"outlet": Outlet, "group": Group, "ambient": Ambient,
		"status": Status, "alarm": Alarm,
		"input1": Input1, "input3": Input3, "output1": Output1, "output3": Output3,
		"bypass1": Bypass1, "bypass3": Bypass3, "arg": Arg,
	}
	pollWords    = map[string]Poll{"slow": Slow, "fast": Fast, "once": Once}
	setWords     = map[string]SetType{"integer": SetInteger, "string": SetString, "timeticks": SetTimeTicks}
	convertWords = map[string]Convert{"usdate": USDate, "sensorunit": SensorUnit, "sensortemp": SensorTemp, "iemtemp": IEMTemp}
	readWords    = map[string]TrapRead{"status": ReadStatus, "all": ReadAll}
	deviceTypes  = []string{"ups", "pdu", "ats"}
)

// The files every set of tables has, beside one file per MIB.
const (
	orderFile  = "order.tab"
	sharedFile = "shared.tab"
	trapsFile  = "traps.tab"
)

// load reads the tables of fsys's tables directory. Every error names a
// file and line; all of them are returned, not just the first.
func load(fsys fs.FS) (*catalog, error) {
	l := &loader{
		fsys:   fsys,
		blocks: map[string]*block{},
		files:  map[string]*tableFile{},
		mibs:   map[string]*MIB{},
		state:  map[string]int{},
	}
	c := &catalog{}
	names := l.order()
	l.readShared()
	for _, name := range names {
		if m := l.build(name); m != nil {
			c.mibs = append(c.mibs, m)
		}
	}
	for _, f := range l.files {
		f.scope.unused(l)
	}
	l.shared.unused(l)
	for _, name := range slices.Sorted(maps.Keys(l.blocks)) {
		if b := l.blocks[name]; !b.used {
			l.errs = append(l.errs, fmt.Errorf("%s: block %s is never used", b.pos, name))
		}
	}
	c.traps = l.traps(names)
	if err := errors.Join(l.errs...); err != nil {
		return nil, err
	}
	return c, nil
}

type loader struct {
	fsys   fs.FS
	shared *scope
	blocks map[string]*block
	files  map[string]*tableFile // by table name
	mibs   map[string]*MIB       // built
	state  map[string]int        // 1 while building, 2 when built
	errs   []error
}

// tableFile is a MIB's file: its records, and its lookups.
type tableFile struct {
	recs  []*tabfile.Record
	scope *scope
}

// block is a group of rows of shared.tab that tables expand with use.
type block struct {
	pos    string
	params []string
	body   []*tabfile.Record
	used   bool
}

// scope is the lookups a file defines; a table's file sees its own and
// shared.tab's.
type scope struct {
	lookups map[string]Lookup
	pos     map[string]string // where each is defined
	used    map[string]bool
	parent  *scope
}

func newScope(parent *scope) *scope {
	return &scope{lookups: map[string]Lookup{}, pos: map[string]string{}, used: map[string]bool{}, parent: parent}
}

// define reads a lookup record: name, value and text, the pairs of one
// lookup on consecutive lines.
func (s *scope) define(r *tabfile.Record, last string) string {
	name := r.Arg("lookup name")
	v := r.ParseInt(r.Arg("value"), "value")
	text := r.Arg("text")
	if r.Err() != nil {
		return last
	}
	if s.parent != nil && s.parent.lookups[name] != nil {
		r.Errorf("%s is already a lookup of %s (%s)", name, sharedFile, s.parent.pos[name])
		return name
	}
	if pos, ok := s.pos[name]; ok && name != last {
		r.Errorf("lookup %s continued away from its other pairs (%s)", name, pos)
		return name
	}
	if _, dup := s.lookups[name].Text(v); dup {
		r.Errorf("lookup %s: value %d twice", name, v)
		return name
	}
	if _, ok := s.pos[name]; !ok {
		s.pos[name] = r.Pos
	}
	s.lookups[name] = append(s.lookups[name], Pair{v, text})
	return name
}

// find returns the named lookup, here or in the parent scope.
func (s *scope) find(name string) (Lookup, bool) {
	for ; s != nil; s = s.parent {
		if l, ok := s.lookups[name]; ok {
			s.used[name] = true
			return l, true
		}
	}
	return nil, false
}

func (s *scope) unused(l *loader) {
	for _, name := range slices.Sorted(maps.Keys(s.lookups)) {
		if !s.used[name] {
			l.errs = append(l.errs, fmt.Errorf("%s: lookup %s is never used", s.pos[name], name))
		}
	}
}

func (l *loader) read(name string) []*tabfile.Record {
	recs, err := tabfile.ReadFS(l.fsys, "tables/"+name)
	if err != nil {
		l.errs = append(l.errs, err)
	}
	return recs
}

// check collects the record's error, if any.
func (l *loader) check(r *tabfile.Record) {
	if err := r.Err(); err != nil {
		l.errs = append(l.errs, err)
	}
}

// order reads order.tab: the tables in detection order. Every table file
// must be listed, and every listed table must have a file.
func (l *loader) order() []string {
	var names []string
	at := map[string]string{}
	for _, r := range l.read(orderFile) {
		if r.Kind != "try" {
			r.Errorf("unknown record (want try)")
			l.check(r)
			continue
		}
		name := r.Arg("table name")
		switch {
		case r.Err() != nil:
		case at[name] != "":
			r.Errorf("table %s listed twice (%s)", name, at[name])
		default:
			at[name] = r.Pos
			if _, err := fs.Stat(l.fsys, "tables/"+name+".tab"); err != nil {
				r.Errorf("no file tables/%s.tab", name)
				break
			}
			l.files[name] = &tableFile{recs: l.read(name + ".tab")}
			names = append(names, name)
		}
		l.check(r)
	}
	files, _ := fs.Glob(l.fsys, "tables/*.tab")
	for _, f := range files {
		f = path.Base(f)
		name := strings.TrimSuffix(f, ".tab")
		if at[name] == "" && f != orderFile && f != sharedFile && f != trapsFile {
			l.errs = append(l.errs, fmt.Errorf("tables/%s: not listed in tables/%s", f, orderFile))
		}
	}
	return names
}

// readShared reads shared.tab: the lookups and blocks the tables share.
func (l *loader) readShared() {
	l.shared = newScope(nil)
	var cur *block
	last := ""
	for _, r := range l.read(sharedFile) {
		if cur != nil && r.Kind != "end" {
			if r.Kind == "block" {
				r.Errorf("block inside block (%s)", cur.pos)
				l.check(r)
				continue
			}
			cur.body = append(cur.body, r)
			continue
		}
		name := last
		last = ""
		switch r.Kind {
		case "lookup":
			last = l.shared.define(r, name)
		case "block":
			name := r.Arg("block name")
			params := r.Rest()
			if b := l.blocks[name]; b != nil {
				r.Errorf("block %s defined twice (%s)", name, b.pos)
			}
			cur = &block{pos: r.Pos, params: params}
			l.blocks[name] = cur
		case "end":
			if cur == nil {
				r.Errorf("end without block")
			}
			cur = nil
		default:
			r.Errorf("unknown record (want lookup, block or end)")
		}
		l.check(r)
	}
	if cur != nil {
		l.errs = append(l.errs, fmt.Errorf("%s: block without end", cur.pos))
	}
}

// build makes the named table, building first the one it is the same
// as.
func (l *loader) build(name string) *MIB {
	switch l.state[name] {
	case 1:
		return nil // a cycle: reported by the record that closes it
	case 2:
		return l.mibs[name]
	}
	f := l.files[name]
	if f == nil {
		return nil
	}
	l.state[name] = 1
	defer func() { l.state[name] = 2 }()

	f.scope = newScope(l.shared)
	last := ""
	for _, r := range f.recs {
		prev := last
		last = ""
		if r.Kind == "lookup" {
			last = f.scope.define(r, prev)
			l.check(r)
		}
	}
	t := &tableBuild{l: l, m: &MIB{}, file: name}
	for _, r := range f.recs {
		if r.Kind == "lookup" {
			continue
		}
		t.record(rec{Record: r, scope: f.scope})
		l.check(r)
	}
	if t.m.Name == "" {
		l.errs = append(l.errs, fmt.Errorf("tables/%s.tab: no mib record", name))
		return nil
	}
	if len(t.m.SysOIDs) == 0 {
		l.errs = append(l.errs, fmt.Errorf("tables/%s.tab: no sysoid record", name))
	}
	l.mibs[name] = t.m
	return t.m
}

// rec is a record as a table reads it: in its file's scope, and inside
// a block with the block's arguments, which replace {param} in its
// words.
type rec struct {
	*tabfile.Record
	scope  *scope
	params map[string]string // nil outside a block
}

func (r rec) sub(s string) string {
	if r.params == nil || !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			r.Errorf("%q: { without }", s)
			return s
		}
		name := s[i+1 : i+j]
		v, ok := r.params[name]
		if !ok {
			r.Errorf("{%s}: no such parameter", name)
		}
		b.WriteString(s[:i])
		b.WriteString(v)
		s = s[i+j+1:]
	}
}

func (r rec) arg(what string) string { return r.sub(r.Arg(what)) }

func (r rec) attr(name string) string { return r.sub(r.Attr(name, "")) }

// word takes an attribute that must be one of words' keys.
func word[T any](r rec, name string, words map[string]T) (T, bool) {
	var zero T
	if !r.Has(name) {
		return zero, false
	}
	s := r.attr(name)
	v, ok := words[s]
	if !ok {
		r.Errorf("%s=%s: not one of %s", name, s, strings.Join(slices.Sorted(maps.Keys(words)), ", "))
	}
	return v, ok
}

func (r rec) flags(name string) Flag {
	var f Flag
	for _, w := range r.List(name) {
		w = r.sub(w)
		b, ok := flagWords[w]
		if !ok {
			r.Errorf("%s: unknown flag %q (flags are %s)", name, w, strings.Join(slices.Sorted(maps.Keys(flagWords)), ", "))
		}
		f |= b
	}
	return f
}

func (r rec) number(name string) float64 {
	s := r.attr(name)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		r.Errorf("%s=%q is not a number", name, s)
	}
	return f
}

// integer sets *field to an integer attribute, if the record has it.
func (r rec) integer(name string, field *int) {
	if r.Has(name) {
		*field = int(r.ParseInt(r.attr(name), name))
	}
}

// text sets *field to an attribute, if the record has it.
func (r rec) text(name string, field *string) {
	if r.Has(name) {
		*field = r.attr(name)
	}
}

// tableBuild is a table being read.
type tableBuild struct {
	l      *loader
	m      *MIB
	file   string
	same   string // the table this one is the same as, if any
	alarms bool   // the file has an alarms record
}

// record reads one record of a table file (or of a block it uses).
func (t *tableBuild) record(r rec) {
	m := t.m
	if r.params == nil && m.Name == "" && r.Kind != "mib" {
		r.Errorf("before the mib record")
		return
	}
	if r.params != nil {
		switch r.Kind {
		case "var", "const", "system", "uptime", "limits", "cmd":
		default:
			r.Errorf("not a record a block may hold")
			return
		}
	}
	switch r.Kind {
	case "mib":
		if m.Name != "" {
			r.Errorf("a second mib record")
			return
		}
		m.Name, m.Version, m.Type = r.arg("name"), r.arg("version"), r.arg("device type")
		if m.Name != t.file {
			r.Errorf("table %s in file %s.tab: name the file as the table", m.Name, t.file)
		}
		if !slices.Contains(deviceTypes, m.Type) && m.Type != "" {
			r.Errorf("device type %q: not one of %s", m.Type, strings.Join(deviceTypes, ", "))
		}
	case "sysoid":
		m.SysOIDs = append(m.SysOIDs, r.arg("sysObjectID"))
	case "probe":
		t.once(r, &m.ProbeOID)
	case "requires":
		t.once(r, &m.Requires)
	case "outletindex":
		t.once(r, &m.OutletIndex)
	case "same":
		t.sameAs(r)
	case "change":
		t.change(r)
	case "system":
		descr, sym := r.arg("description OID"), r.arg("symbol")
		if want, ok := sysSymbols[descr]; !ok || sym != want {
			r.Errorf("%s %s is not an object of the system group", descr, sym)
		}
		set, _ := word(r, "set", setWords)
		if set != ReadOnly && set != SetString {
			r.Errorf("set=: the system rows are written as text (string) or not at all")
		}
		m.Vars = append(m.Vars, system(descr, set)...)
	case "uptime":
		m.Vars = append(m.Vars, uptime)
	case "const":
		m.Vars = append(m.Vars, constant(r.arg("name"), r.arg("text")))
	case "var":
		v := Var{Name: r.arg("name")}
		if r.More() {
			v.OID, v.Symbol = r.arg("OID"), r.arg("MIB symbol")
		}
		t.varAttrs(r, &v)
		m.Vars = append(m.Vars, v)
	case "limits":
		name, table, col, sym, index := r.arg("name"), r.arg("table OID"), r.arg("first column"), r.arg("symbol"), r.arg("index")
		n := r.ParseInt(col, "first column")
		var mult float64
		if r.Has("mult") {
			mult = r.number("mult")
		}
		m.Vars = append(m.Vars, limits(name, table, int(n), sym, index, mult, r.flags("flags"))...)
	case "cmd":
		c := Cmd{Name: r.arg("name"), OID: r.arg("OID"), Symbol: r.arg("MIB symbol")}
		if r.More() {
			c.Value = r.ParseInt(r.arg("value"), "value")
		}
		c.Flags = r.flags("flags")
		m.Cmds = append(m.Cmds, c)
	case "alarms":
		if m.Alarms != nil {
			r.Errorf("a second alarm table")
			return
		}
		m.Alarms = &AlarmTable{Count: r.arg("count OID"), Symbol: r.arg("MIB symbol"), Walk: r.arg("walk OID")}
		t.alarms = true
	case "alarm":
		if !t.alarms {
			r.Errorf("no alarms record before in this file")
			return
		}
		m.Alarms.Known = append(m.Alarms.Known, AlarmOID{
			OID: r.arg("OID"), Symbol: r.arg("MIB symbol"),
			Status: r.attr("status"), Text: r.attr("text"),
		})
	case "use":
		t.use(r)
	default:
		r.Errorf("unknown record")
	}
}

func (t *tableBuild) once(r rec, field *string) {
	if *field != "" {
		r.Errorf("given twice")
		return
	}
	*field = r.arg("OID")
}

// varAttrs reads a variable's attributes into v (those given; the others
// are left as they are).
func (t *tableBuild) varAttrs(r rec, v *Var) {
	if p, ok := word(r, "poll", pollWords); ok {
		v.Poll = p
	}
	if s, ok := word(r, "set", setWords); ok {
		v.Set = s
	}
	if c, ok := word(r, "convert", convertWords); ok {
		v.Convert = c
	}
	r.integer("size", &v.Size)
	r.integer("decimals", &v.Decimals)
	if r.Has("mult") {
		v.Mult = r.number("mult")
		if v.Mult == 1 {
			v.Mult = 0 // 0 means 1: no scale
		}
	}
	if r.Has("flags") {
		v.Flags = r.flags("flags")
	}
	if r.Has("lookup") {
		name := r.attr("lookup")
		l, ok := r.scope.find(name)
		if !ok {
			r.Errorf("lookup %s is not defined", name)
		}
		v.Lookup = l
	}
	r.text("aux", &v.Aux)
	r.text("default", &v.Default)
}

// sameAs copies the rows, commands and alarm table of another table.
func (t *tableBuild) sameAs(r rec) {
	name := r.arg("table name")
	switch {
	case r.Err() != nil:
		return
	case t.same != "":
		r.Errorf("already the same as %s", t.same)
		return
	case t.l.files[name] == nil:
		r.Errorf("no table %s", name)
		return
	case t.l.state[name] == 1:
		r.Errorf("%s is (through others) the same as this table", name)
		return
	}
	t.same = name
	src := t.l.build(name)
	if src == nil {
		return
	}
	t.m.Vars = append(t.m.Vars, src.Vars...)
	t.m.Cmds = append(t.m.Cmds, src.Cmds...)
	if src.Alarms != nil {
		if t.m.Alarms != nil {
			r.Errorf("a second alarm table")
		}
		t.m.Alarms = src.Alarms
	}
}

// change edits every row of a name read so far: oid= and symbol= and the
// attributes of var.
func (t *tableBuild) change(r rec) {
	name := r.arg("variable name")
	n := 0
	for i := range t.m.Vars {
		v := &t.m.Vars[i]
		if v.Name != name {
			continue
		}
		n++
		r.text("oid", &v.OID)
		r.text("symbol", &v.Symbol)
		t.varAttrs(r, v)
	}
	if n == 0 && name != "" {
		r.Errorf("no variable %s before", name)
	}
}

// use expands a block of shared.tab with its arguments.
func (t *tableBuild) use(r rec) {
	name := r.arg("block name")
	b := t.l.blocks[name]
	if b == nil {
		if name != "" {
			r.Errorf("no block %s in %s", name, sharedFile)
		}
		return
	}
	b.used = true
	params := map[string]string{}
	for _, p := range b.params {
		if !r.Has(p) {
			r.Errorf("block %s needs %s=", name, p)
			continue
		}
		params[p] = r.attr(p)
	}
	if r.Err() != nil {
		return
	}
	for _, body := range b.body {
		// The block's records are read once per use: each reads a copy.
		c := *body
		br := rec{Record: &c, scope: t.l.shared, params: params}
		if !br.Has("only") || t.only(br) {
			t.record(br)
		}
		if err := br.Err(); err != nil {
			t.l.errs = append(t.l.errs, fmt.Errorf("%w (block %s used at %s)", err, name, r.Pos))
		}
	}
}

// only reads a block record's only=PARAM: the record is there when the
// use says PARAM=yes.
func (t *tableBuild) only(r rec) bool {
	p := r.Attr("only", "")
	v, ok := r.params[p]
	switch {
	case !ok:
		r.Errorf("only=%s: no such parameter", p)
	case v == "yes":
		return true
	case v != "no":
		r.Errorf("only=%s: %s=%s, not yes or no", p, p, v)
	}
	// Take the rest of the record, so that only the error above counts.
	r.Rest()
	for _, a := range []string{"poll", "set", "size", "mult", "decimals", "flags", "lookup", "convert", "aux", "default"} {
		r.Attr(a, "")
	}
	return false
}

// traps reads traps.tab.
func (l *loader) traps(tables []string) []*TrapSet {
	var sets []*TrapSet
	var cur *TrapSet
	for _, r := range l.read(trapsFile) {
		switch r.Kind {
		case "traps":
			cur = &TrapSet{Module: r.Arg("MIB module"), Prefix: r.Arg("prefix"), Source: r.Attr("source", "")}
			if cur.Source == "" {
				r.Errorf("no source=")
			}
			for _, t := range r.List("tables") {
				if !slices.Contains(tables, t) {
					r.Errorf("tables=: no table %s", t)
				}
				cur.Tables = append(cur.Tables, t)
			}
			sets = append(sets, cur)
		case "trap":
			if cur == nil {
				r.Errorf("no traps record before")
				break
			}
			n := r.ParseInt(r.Arg("number"), "number")
			if n <= 0 || n > 1<<32-1 {
				r.Errorf("number %d out of range", n)
			}
			t := Trap{Num: uint32(n), Name: r.Arg("name")}
			if r.Has("read") {
				rd, ok := readWords[r.Attr("read", "")]
				if !ok {
					r.Errorf("read=: not status or all")
				}
				t.Read = rd
			}
			cur.Traps = append(cur.Traps, t)
		default:
			r.Errorf("unknown record (want traps or trap)")
		}
		l.check(r)
	}
	return sets
}
