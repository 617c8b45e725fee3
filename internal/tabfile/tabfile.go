// Package tabfile reads powerchain's device-support tables: text files
// embedded in the binary (MIB mappings, HID usage mappings, USB IDs) that
// hold one record a line.
//
// A line is tokenized as NUT tokenizes its own config files (see
// internal/parseconf: words split by blanks, "double quotes" for words
// with blanks, backslash escapes, # comments). The first word is the
// record's kind, the words after it its arguments, and any
// name = value triples after those its attributes ("poll=once" is such a
// triple: '=' is a word of its own). Blank and comment lines are skipped.
//
// The typed accessors of Record keep the first error they meet, so that a
// reader takes what it needs and asks Err once; Err also reports the
// arguments and attributes nobody asked for, so that a misspelt attribute
// is an error, not a silently ignored line. Every error names the file
// and line.
package tabfile

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/powerchain/powerchain/internal/parseconf"
)

// Record is one line of a table file.
type Record struct {
	// Pos is where the line is: "file:line".
	Pos string
	// Kind is the first word.
	Kind string
	// Args are the words after Kind, up to the first attribute.
	Args []string

	attrs []attr
	taken int // how many Args were taken
	err   error
}

type attr struct {
	name, value string
	used        bool
}

// Parse reads a table file's records. Syntax errors name the file and
// line.
func Parse(name string, src []byte) ([]*Record, error) {
	var out []*Record
	var errs []error
	for _, l := range parseconf.Tokenize(src) {
		pos := fmt.Sprintf("%s:%d", name, l.Num)
		switch {
		case l.Err != "":
			errs = append(errs, fmt.Errorf("%s: %s", pos, l.Err))
			continue
		case l.QuoteLine != 0:
			errs = append(errs, fmt.Errorf("%s: quoted word runs past the end of line %d", pos, l.QuoteLine))
			continue
		case l.Dropped != "":
			errs = append(errs, fmt.Errorf("%s: %s would be lost", pos, l.Dropped))
			continue
		case len(l.Args) == 0:
			continue
		}
		r, err := record(pos, l.Args)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, r)
	}
	return out, errors.Join(errs...)
}

func record(pos string, words []string) (*Record, error) {
	r := &Record{Pos: pos, Kind: words[0]}
	rest := words[1:]
	for len(rest) > 0 && (len(rest) < 2 || rest[1] != "=") {
		if rest[0] == "=" {
			return nil, fmt.Errorf("%s: '=' without an attribute name", pos)
		}
		r.Args = append(r.Args, rest[0])
		rest = rest[1:]
	}
	for len(rest) > 0 {
		if len(rest) < 3 || rest[1] != "=" || rest[0] == "=" {
			return nil, fmt.Errorf("%s: %q: expected name = value after the first attribute", pos, rest[0])
		}
		for _, a := range r.attrs {
			if a.name == rest[0] {
				return nil, fmt.Errorf("%s: attribute %q given twice", pos, rest[0])
			}
		}
		r.attrs = append(r.attrs, attr{name: rest[0], value: rest[2]})
		rest = rest[3:]
	}
	return r, nil
}

// ReadFS reads and parses the named file of fsys.
func ReadFS(fsys fs.FS, name string) ([]*Record, error) {
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	return Parse(name, src)
}

// Errorf records an error about the line (the first one is kept) and
// returns it.
func (r *Record) Errorf(format string, a ...any) error {
	err := fmt.Errorf("%s: %s: %s", r.Pos, r.Kind, fmt.Sprintf(format, a...))
	if r.err == nil {
		r.err = err
	}
	return err
}

// Arg takes the next argument; a missing one is an error naming what.
func (r *Record) Arg(what string) string {
	if r.taken >= len(r.Args) {
		r.Errorf("missing %s", what)
		return ""
	}
	r.taken++
	return r.Args[r.taken-1]
}

// Rest takes the remaining arguments.
func (r *Record) Rest() []string {
	rest := r.Args[r.taken:]
	r.taken = len(r.Args)
	return rest
}

// More reports whether arguments are left to take.
func (r *Record) More() bool { return r.taken < len(r.Args) }

// Has reports whether the line has the attribute (without taking it).
func (r *Record) Has(name string) bool {
	for _, a := range r.attrs {
		if a.name == name {
			return true
		}
	}
	return false
}

// Attr takes an attribute's text, or def when the line has none.
func (r *Record) Attr(name, def string) string {
	for i := range r.attrs {
		if r.attrs[i].name == name {
			r.attrs[i].used = true
			return r.attrs[i].value
		}
	}
	return def
}

// Int takes an integer attribute (decimal, or 0x hexadecimal), or def.
func (r *Record) Int(name string, def int64) int64 {
	if !r.Has(name) {
		return def
	}
	return r.ParseInt(r.Attr(name, ""), name)
}

// Float takes a number attribute, or def.
func (r *Record) Float(name string, def float64) float64 {
	if !r.Has(name) {
		return def
	}
	s := r.Attr(name, "")
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		r.Errorf("%s=%q is not a number", name, s)
	}
	return f
}

// List takes a comma-separated attribute ("flags=string,alarm"); none
// when absent.
func (r *Record) List(name string) []string {
	s := r.Attr(name, "")
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// ParseInt parses s, an integer written in decimal or 0x hexadecimal
// (a negative number too), naming what in the error.
func (r *Record) ParseInt(s, what string) int64 {
	n, err := strconv.ParseInt(s, 0, 64)
	if err != nil {
		if u, uerr := strconv.ParseUint(s, 0, 64); uerr == nil {
			return int64(u)
		}
		r.Errorf("%s %q is not an integer", what, s)
	}
	return n
}

// Err returns the first error met on the line, or else an error for the
// arguments and attributes nobody took.
func (r *Record) Err() error {
	if r.err != nil {
		return r.err
	}
	if r.More() {
		return r.Errorf("unexpected %q", r.Args[r.taken])
	}
	for _, a := range r.attrs {
		if !a.used {
			return r.Errorf("unknown attribute %q", a.name)
		}
	}
	return nil
}
