package conf

import (
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
)

// Severity of a validation finding.
type Severity int

const (
	// Warning: NUT runs, but probably not as the author meant.
	Warning Severity = iota
	// Error: NUT refuses the file or ignores what it says.
	Error
)

func (s Severity) String() string {
	if s == Error {
		return "error"
	}
	return "warning"
}

// MarshalText writes the severity as "error" or "warning".
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Diag is one validation finding at a place in a file.
type Diag struct {
	File     string   `json:"file"`
	Line     int      `json:"line,omitempty"`
	Severity Severity `json:"severity"`
	Msg      string   `json:"message"`
}

// String formats the finding as "file:line: severity: message".
func (d Diag) String() string {
	if d.Line > 0 {
		return fmt.Sprintf("%s:%d: %s: %s", d.File, d.Line, d.Severity, d.Msg)
	}
	return fmt.Sprintf("%s: %s: %s", d.File, d.Severity, d.Msg)
}

// Diags is a list of findings.
type Diags []Diag

// Errors counts the findings of severity Error.
func (ds Diags) Errors() int {
	n := 0
	for _, d := range ds {
		if d.Severity == Error {
			n++
		}
	}
	return n
}

// Err returns the findings of severity Error as one error, or nil.
func (ds Diags) Err() error {
	var errs Diags
	for _, d := range ds {
		if d.Severity == Error {
			errs = append(errs, d)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return ValidationError(errs)
}

// Added returns the findings of ds that before does not have (compared
// by file, severity and message, since an edit moves line numbers).
func (ds Diags) Added(before Diags) Diags {
	type key struct {
		file string
		sev  Severity
		msg  string
	}
	had := map[key]int{}
	for _, d := range before {
		had[key{d.File, d.Severity, d.Msg}]++
	}
	var out Diags
	for _, d := range ds {
		k := key{d.File, d.Severity, d.Msg}
		if had[k] > 0 {
			had[k]--
			continue
		}
		out = append(out, d)
	}
	return out
}

// ValidationError carries the errors found in a configuration.
type ValidationError Diags

func (e ValidationError) Error() string {
	s := e[0].String()
	if len(e) > 1 {
		s += fmt.Sprintf(" (and %d more)", len(e)-1)
	}
	return s
}

func (ds Diags) sort() {
	sort.SliceStable(ds, func(i, j int) bool {
		if ds[i].File != ds[j].File {
			return ds[i].File < ds[j].File
		}
		return ds[i].Line < ds[j].Line
	})
}

// diagger collects findings for one file.
type diagger struct {
	f  *File
	ds Diags
}

func (d *diagger) at(l *Line, sev Severity, format string, args ...any) {
	n := 0
	if l != nil {
		n = l.Num
	}
	d.atLine(n, sev, format, args...)
}

// atLine records a finding at physical line n (0 for the whole file).
func (d *diagger) atLine(n int, sev Severity, format string, args ...any) {
	d.ds = append(d.ds, Diag{File: d.f.Path, Line: n, Severity: sev, Msg: fmt.Sprintf(format, args...)})
}

// lastLine is the physical line a logical line ends on.
func lastLine(l *Line) int {
	return l.Num + strings.Count(strings.TrimSuffix(l.Raw, "\n"), "\n")
}

// syntax reports what NUT's tokenizer itself complains about or drops.
func (d *diagger) syntax() {
	for _, l := range d.f.Lines {
		if l.Err != "" {
			d.at(l, Error, "%s (NUT stops the line there and reads the rest as a new line)", l.Err)
		}
		if l.Dropped != "" {
			d.at(l, Warning, "NUT drops %s", l.Dropped)
		}
		switch {
		case l.QuoteUnclosed:
			d.atLine(l.QuoteLine, Error, "quote never closed: NUT reads everything to the end of the file (line %d) as part of this line, newlines dropped",
				lastLine(l))
		case l.QuoteLine > 0:
			d.atLine(l.QuoteLine, Error, "quote closed only on line %d: NUT reads lines %d-%d as one line, newlines dropped (a missing \"?)",
				lastLine(l), l.QuoteLine, lastLine(l))
		}
	}
}

// sectionHeaders reports lines of a sectioned file that start like a
// section header but are not one to NUT, which then gives the settings
// below to the section before (ignored names the setting NUT makes of a
// lone "[name" in a section: ups.conf's drivers refuse the flag), and
// words NUT ignores after a header.
func (d *diagger) sectionHeaders(what, lone string) {
	section := ""
	for _, l := range d.f.Lines {
		if name, ok := l.SectionName(); ok {
			section = name
			if len(l.Args) > 1 {
				d.at(l, Warning, "NUT ignores what follows [%s] on its line", name)
			}
			continue
		}
		if len(l.Args) == 0 || !strings.HasPrefix(l.Args[0], "[") {
			continue
		}
		owner := "the global settings"
		if section != "" {
			owner = "[" + section + "]'s"
		}
		switch last := l.Args[len(l.Args)-1]; {
		case len(l.Args) > 1 && strings.HasSuffix(last, "]"):
			d.at(l, Error, "%s names cannot hold spaces: NUT ignores this line and reads the settings below as %s", what, owner)
		case len(l.Args) == 1 && section != "":
			d.at(l, Error, "%q is not a %s header (no closing ]): NUT %s, and reads the settings below as %s", l.Args[0], what, lone, owner)
		default:
			d.at(l, Error, "%q is not a %s header (no closing ]): NUT ignores it and reads the settings below as %s", l.Args[0], what, owner)
		}
	}
}

// secretFile warns when a file holding passwords can be read by others.
func (d *diagger) secretFile() {
	st, err := os.Stat(d.f.Path)
	if err != nil {
		return
	}
	if st.Mode().Perm()&fs.FileMode(0o004) != 0 {
		d.at(nil, Warning, "readable by every user (mode %04o) but holds passwords: chmod 0640", st.Mode().Perm())
	}
}

// duplicateSections reports a section that appears twice.
func (d *diagger) duplicateSections(what string) {
	seen := map[string]int{}
	for _, l := range d.f.Lines {
		name, ok := l.SectionName()
		if !ok {
			continue
		}
		if name == "" {
			d.at(l, Error, "empty %s name []", what)
			continue
		}
		if first, dup := seen[name]; dup {
			d.at(l, Error, "duplicate %s [%s] (first at line %d)", what, name, first)
			continue
		}
		seen[name] = l.Num
	}
}
