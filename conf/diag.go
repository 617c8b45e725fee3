package conf

import (
	"fmt"
	"io/fs"
	"os"
	"sort"
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
	d.ds = append(d.ds, Diag{File: d.f.Path, Line: n, Severity: sev, Msg: fmt.Sprintf(format, args...)})
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
