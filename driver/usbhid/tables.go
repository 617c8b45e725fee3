package usbhid

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/powerchain/powerchain/hid"
	"github.com/powerchain/powerchain/internal/tabfile"
)

// The subdrivers are data: tables/NAME.tab declares subdriver NAME (its
// vendor usages, lookups and rows) and tables/common.tab the lookups all
// of them share; tables/README.md describes the records. What cannot be
// data is Go, registered by name in the subdriver's funcs map (see
// subdriverFuncs) and named by its table.
//
//go:embed tables/*.tab
var tableFiles embed.FS

// commonTable holds the lookups every subdriver may name (NUT's
// usbhid-ups.c).
const commonTable = "tables/common.tab"

type (
	textFunc  = func(c *Conv, v float64) (string, bool)
	valueFunc = func(c *Conv, s string) (float64, bool)
	claimFunc = func(d *Device, o *Options, s Support) bool
	fixFunc   = func(c *Conv, d *hid.Descriptor)
	convFunc  = func(c *Conv)
	stateFunc = func() any
)

// funcs are the Go functions a table may name, by name: claim, setup,
// fix, format and state functions, and lookup conversions (fun, nuf).
type funcs map[string]any

// subdriverFuncs are, per subdriver, the functions its table may name
// besides commonFuncs.
var subdriverFuncs = map[string]funcs{
	"apc": apcFuncs, "belkin": belkinFuncs, "cps": cpsFuncs, "delta_ups": deltaUPSFuncs,
	"ever": everFuncs, "explore": exploreFuncs, "legrand": legrandFuncs, "mge": mgeFuncs,
	"openups": openupsFuncs, "powercom": powercomFuncs, "tripplite": trippliteFuncs,
}

// commonFuncs are the conversions of NUT's usbhid-ups.c.
var commonFuncs = funcs{"hexText": hexText, "stringID": stringID, "dateText": dateText,
	"dateValue": dateValue, "kelvinCelsius": kelvinCelsius}

// loadSubdrivers reads the tables of fsys: common.tab's lookups, then
// one subdriver per other .tab file, returned in NUT's claim order
// (explore, mge, then the others by name). Every error names its
// file:line.
func loadSubdrivers(fsys fs.FS) ([]*Subdriver, error) {
	recs, err := tabfile.ReadFS(fsys, commonTable)
	if err != nil {
		return nil, err
	}
	common := newLookups(nil)
	var errs []error
	for _, r := range recs {
		if r.Kind != "lookup" {
			errs = append(errs, r.Errorf("only lookups belong in %s", commonTable))
			continue
		}
		errs = append(errs, common.read(r, commonFuncs))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	files, err := fs.Glob(fsys, "tables/*.tab")
	if err != nil {
		return nil, err
	}
	var subs []*Subdriver
	for _, f := range files {
		if f == commonTable {
			continue
		}
		s, err := loadSubdriver(fsys, f, common)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		subs = append(subs, s)
	}
	slices.SortFunc(subs, func(a, b *Subdriver) int {
		return strings.Compare(claimKey(a.Name), claimKey(b.Name))
	})
	return subs, errors.Join(errs...)
}

// claimKey orders subdrivers as NUT 2.8.0's usbhid-ups tries them:
// explore first, then mge, then the others alphabetically.
func claimKey(name string) string {
	switch name {
	case "explore":
		return "0"
	case "mge":
		return "1"
	}
	return "2" + name
}

// loadSubdriver reads one subdriver's table: a subdriver record first,
// then usages, lookups and rows in any order.
func loadSubdriver(fsys fs.FS, file string, common *lookups) (*Subdriver, error) {
	recs, err := tabfile.ReadFS(fsys, file)
	if err != nil {
		return nil, err
	}
	name := strings.TrimSuffix(path.Base(file), ".tab")
	if len(recs) == 0 || recs[0].Kind != "subdriver" {
		return nil, fmt.Errorf("%s: the first record must be \"subdriver %s\"", file, name)
	}
	fn := subdriverFuncs[name]
	s := &Subdriver{Usages: hid.Names{}, Rows: []Row{}}
	own := newLookups(common)
	var uses []use
	var rowPos []string
	var errs []error
	for i, r := range recs {
		switch r.Kind {
		case "subdriver":
			if i > 0 {
				r.Errorf("a second subdriver record (the first is at %s)", recs[0].Pos)
				break
			}
			readHeader(r, s, name, fn)
		case "usage":
			s.Usages = append(s.Usages, hid.Name{Name: r.Arg("name"), Usage: hid.Usage(r.ParseInt(r.Arg("usage"), "usage"))})
		case "lookup":
			errs = append(errs, own.read(r, fn))
			continue
		case "var", "status", "alarm", "cmd", "server":
			row, lookup := readRow(r)
			s.Rows = append(s.Rows, row)
			rowPos = append(rowPos, r.Pos)
			if lookup != "" {
				uses = append(uses, use{r, len(s.Rows) - 1, lookup})
			}
		default:
			r.Errorf("unknown record kind")
		}
		errs = append(errs, r.Err())
	}
	for _, u := range uses {
		l := own.get(u.name)
		if l == nil {
			errs = append(errs, u.rec.Errorf("undefined lookup %q", u.name))
			continue
		}
		s.Rows[u.row].Lookup = l
	}
	for i, r := range s.Rows {
		if _, err := hid.ParsePath(r.Path, s.Usages, hid.PowerDevice); err != nil {
			errs = append(errs, fmt.Errorf("%s: %s: %w", rowPos[i], r.Kind, err))
		}
	}
	errs = append(errs, own.unused())
	return s, errors.Join(errs...)
}

// use is a row's reference to a lookup, resolved once the file is read.
type use struct {
	rec  *tabfile.Record
	row  int
	name string
}

// readHeader reads "subdriver NAME version=… mfr=… iface=N claim=… setup=…
// fix=… format=… state=…".
func readHeader(r *tabfile.Record, s *Subdriver, file string, fn funcs) {
	s.Name = r.Arg("name")
	if s.Name != file {
		r.Errorf("subdriver %q in %s.tab: the file is named after its subdriver", s.Name, file)
	}
	s.Version = required(r, "version")
	s.Mfr = r.Attr("mfr", "")
	s.Iface = int(r.Int("iface", 0))
	resolve(r, "claim", fn, &s.Claim)
	resolve(r, "setup", fn, &s.Setup)
	resolve(r, "fix", fn, &s.Fix)
	resolve(r, "format", fn, &s.Format)
	resolve(r, "state", fn, &s.NewState)
}

// resolve sets *dst to the function the attribute names (in fn or
// commonFuncs), if the line has the attribute.
func resolve[F any](r *tabfile.Record, attr string, fn funcs, dst *F) {
	name := r.Attr(attr, "")
	if name == "" {
		return
	}
	f, ok := fn[name]
	if !ok {
		f, ok = commonFuncs[name]
	}
	if !ok {
		r.Errorf("%s=%s: no such function", attr, name)
		return
	}
	typed, ok := f.(F)
	if !ok {
		r.Errorf("%s=%s: a %T is not a %s function", attr, name, f, attr)
		return
	}
	*dst = typed
}

// rowKinds are the record kinds of rows.
var rowKinds = map[string]Kind{"var": Var, "status": Status, "alarm": Alarm, "cmd": Cmd, "server": Server}

// flagNames are the words of flags=.
var flagNames = map[string]Flag{"quick": Quick, "static": Static, "semistatic": SemiStatic, "enum": Enum,
	"rw": RW, "string": String, "number": Number}

// readRow reads a row and returns it with the name of its lookup:
//
//	var NAME PATH [format=VERB] [flags=…] [len=N] [lookup=L]
//	status PATH lookup=L [flags=…]
//	alarm PATH lookup=L [flags=…]
//	cmd NAME PATH value=V [flags=…]
//	server NAME PATH default=V [flags=…] [len=N]
func readRow(r *tabfile.Record) (Row, string) {
	row := Row{Kind: rowKinds[r.Kind]}
	if row.Kind != Status && row.Kind != Alarm {
		row.Name = r.Arg("name")
	}
	row.Path = r.Arg("path")
	switch row.Kind {
	case Var:
		row.Format = r.Attr("format", "")
	case Cmd:
		row.Format = r.Attr("value", "")
	case Server:
		row.Format = r.Attr("default", "")
	}
	for _, f := range r.List("flags") {
		bit, ok := flagNames[f]
		if !ok {
			r.Errorf("unknown flag %q", f)
		}
		row.Flags |= bit
	}
	if row.Kind == Var || row.Kind == Server {
		row.Len = int(r.Int("len", 0))
	}
	if row.Kind == Status || row.Kind == Alarm {
		return row, required(r, "lookup")
	}
	return row, r.Attr("lookup", "")
}

// lookups are a file's lookups by name, in the order they appear; a
// subdriver's file also sees common.tab's.
type lookups struct {
	parent *lookups
	byName map[string]*Lookup
	pos    map[string]string // where each was first defined
	used   map[string]bool
}

func newLookups(parent *lookups) *lookups {
	return &lookups{parent: parent, byName: map[string]*Lookup{}, pos: map[string]string{}, used: map[string]bool{}}
}

// get returns a lookup by name (the file's own, else common.tab's) and
// marks it used.
func (ls *lookups) get(name string) *Lookup {
	if l := ls.byName[name]; l != nil {
		ls.used[name] = true
		return l
	}
	if ls.parent != nil {
		return ls.parent.byName[name]
	}
	return nil
}

// unused is an error for each of the file's own lookups no row uses.
func (ls *lookups) unused() error {
	var errs []error
	for name, pos := range ls.pos {
		if !ls.used[name] {
			errs = append(errs, fmt.Errorf("%s: lookup %s: no row uses it", pos, name))
		}
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return errors.Join(errs...)
}

// read reads one lookup line into its lookup:
//
//	lookup NAME VALUE TEXT             a pair (the pairs keep their order)
//	lookup NAME fun=F [nuf=N]          Go conversions, named in fn
//	lookup NAME nonzero=WORD           any non-zero value sets WORD, zero clears it
//	lookup NAME mask=BITS word=WORD    WORD when a bit of BITS is set ("!WORD" reads the other way)
//	lookup NAME scale=FACTOR format=VERB   the value times FACTOR, printed with VERB
func (ls *lookups) read(r *tabfile.Record, fn funcs) error {
	name := r.Arg("name")
	l := ls.byName[name]
	if l == nil {
		if ls.parent != nil && ls.parent.byName[name] != nil {
			return r.Errorf("%s is %s's (at %s): a subdriver does not redefine it", name, commonTable, ls.parent.pos[name])
		}
		l = &Lookup{Name: name}
		ls.byName[name], ls.pos[name] = l, r.Pos
	}
	if r.More() {
		value := r.ParseInt(r.Arg("value"), "value")
		l.Pairs = append(l.Pairs, Pair{Value: value, Text: r.Arg("text")})
		return r.Err()
	}
	var fun textFunc
	n := 0
	if r.Has("fun") {
		resolve(r, "fun", fn, &fun)
		n++
	}
	if r.Has("nonzero") {
		fun = nonzeroText(required(r, "nonzero"))
		n++
	}
	if r.Has("mask") {
		fun = maskText(r.Int("mask", 0), required(r, "word"))
		n++
	}
	if r.Has("scale") {
		fun = scaledText(r.Float("scale", 1), required(r, "format"))
		n++
	}
	switch {
	case n > 1:
		r.Errorf("one of fun=, nonzero=, mask= and scale= only")
	case n == 1 && l.Fun != nil:
		r.Errorf("%s has a conversion already", name)
	case n == 1:
		l.Fun = fun
	}
	if r.Has("nuf") {
		if l.Nuf != nil {
			r.Errorf("%s has a reverse conversion already", name)
		}
		resolve(r, "nuf", fn, &l.Nuf)
		n++
	}
	if n == 0 && r.Err() == nil {
		r.Errorf("neither a VALUE TEXT pair nor a conversion")
	}
	return r.Err()
}

// required takes an attribute that must be there and not empty.
func required(r *tabfile.Record, name string) string {
	v := r.Attr(name, "")
	if v == "" {
		r.Errorf("missing %s=", name)
	}
	return v
}

// mustLoadSubdrivers loads the embedded tables; a broken table stops the
// program with its file:line rather than let it run with half a table.
func mustLoadSubdrivers() []*Subdriver {
	subs, err := loadSubdrivers(tableFiles)
	if err != nil {
		panic("usbhid: " + err.Error())
	}
	return subs
}
