// Package conf reads, edits and writes the files of a NUT configuration
// directory (ups.conf, upsd.conf, upsd.users, upsmon.conf, nut.conf).
//
// Parsing follows NUT's own tokenizer exactly and is lossless: Bytes
// returns the input unchanged, byte for byte, and an edit changes only the
// bytes of the words it touches. Typed views (UPSConf, UpsdConf, Users,
// UpsmonConf, NutConf) and validation sit on top of the lossless File.
package conf

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/powerchain/powerchain/internal/parseconf"
	"os"
	"path/filepath"
	"strings"
)

// File is a parsed config file that remembers every byte it came from.
type File struct {
	// Path names the file in error messages and is where Save writes.
	Path  string
	Lines []*Line
}

// Parse parses src as a NUT config file. It accepts any input; NUT's
// parse errors are kept on the Line they belong to (see Line.Err).
func Parse(path string, src []byte) *File {
	return &File{Path: path, Lines: parseconf.Tokenize(src)}
}

// ReadFile reads and parses the file at path.
func ReadFile(path string) (*File, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, src), nil
}

// Bytes returns the file's text. For an unedited File it is exactly the
// parsed input.
func (f *File) Bytes() []byte {
	var b bytes.Buffer
	for _, l := range f.Lines {
		b.WriteString(l.Raw)
	}
	return b.Bytes()
}

// Save writes the file atomically to f.Path, keeping its mode and owner.
func (f *File) Save() error {
	return WriteFileAtomic(f.Path, f.Bytes(), 0o644)
}

// Name is the base name of the file ("ups.conf"), used to pick the
// conventions of each kind of file.
func (f *File) Name() string { return filepath.Base(f.Path) }

// Pos formats a position in the file for messages: "path:line".
func (f *File) Pos(l *Line) string {
	if l == nil {
		return f.Path
	}
	return fmt.Sprintf("%s:%d", f.Path, l.Num)
}

// Entry is one setting: "key = value …" or a directive "KEY value …".
type Entry struct {
	Section string   // "" for lines before the first section
	Key     string   // first word
	Values  []string // words after the key (and after "=" in key = value form)
	Eq      bool     // written in key = value form
	Line    *Line

	file string // the base name of the file, for IsSecret
}

// Value returns the entry's values joined by single spaces. It may be a
// secret: printers use Shown or ShownValue.
func (e Entry) Value() string { return strings.Join(e.Values, " ") }

// Secret reports whether value number i of the entry is secret (see
// IsSecret).
func (e Entry) Secret(i int) bool { return IsSecret(e.file, e.Key, i) }

// Shown returns the values as a printer may show them: every secret
// value replaced by Hidden.
func (e Entry) Shown() []string {
	out := make([]string, len(e.Values))
	for i, v := range e.Values {
		if e.Secret(i) {
			v = Hidden
		}
		out[i] = v
	}
	return out
}

// ShownValue is Shown joined by single spaces.
func (e Entry) ShownValue() string { return strings.Join(e.Shown(), " ") }

func (f *File) entryOf(section string, l *Line) (Entry, bool) {
	if len(l.Args) == 0 {
		return Entry{}, false
	}
	if _, ok := l.SectionName(); ok {
		return Entry{}, false
	}
	e := Entry{Section: section, Key: l.Args[0], Line: l, file: f.Name()}
	if len(l.Args) >= 2 && l.Args[1] == "=" {
		e.Eq = true
		e.Values = l.Args[2:]
	} else {
		e.Values = l.Args[1:]
	}
	return e, true
}

// Sections lists section names in file order, without the global "".
func (f *File) Sections() []string {
	var names []string
	for _, l := range f.Lines {
		if n, ok := l.SectionName(); ok {
			names = append(names, n)
		}
	}
	return names
}

// HasSection reports whether a section "[name]" exists.
func (f *File) HasSection(name string) bool {
	_, _, ok := f.sectionRange(name)
	return ok
}

// Entries returns every entry of the file in order, with its section.
func (f *File) Entries() []Entry {
	var out []Entry
	section := ""
	for _, l := range f.Lines {
		if n, ok := l.SectionName(); ok {
			section = n
			continue
		}
		if e, ok := f.entryOf(section, l); ok {
			out = append(out, e)
		}
	}
	return out
}

// SectionEntries returns the entries of one section ("" = global).
func (f *File) SectionEntries(section string) []Entry {
	var out []Entry
	for _, e := range f.Entries() {
		if e.Section == section {
			out = append(out, e)
		}
	}
	return out
}

// Lookup returns the first entry with key in section ("" = global).
func (f *File) Lookup(section, key string) (Entry, bool) {
	for _, e := range f.Entries() {
		if e.Section == section && e.Key == key {
			return e, true
		}
	}
	return Entry{}, false
}

// Get returns the value of key in section, and whether it is set.
func (f *File) Get(section, key string) (string, bool) {
	e, ok := f.Lookup(section, key)
	if !ok {
		return "", false
	}
	return e.Value(), true
}

// sectionRange returns the index of a section's header line (-1 for the
// global section) and the index one past its last line.
func (f *File) sectionRange(name string) (head, end int, ok bool) {
	head = -1
	if name != "" {
		head = -2
		for i, l := range f.Lines {
			if n, isSec := l.SectionName(); isSec && n == name {
				head = i
				break
			}
		}
		if head == -2 {
			return 0, 0, false
		}
	}
	end = len(f.Lines)
	for i := head + 1; i < len(f.Lines); i++ {
		if _, isSec := f.Lines[i].SectionName(); isSec {
			end = i
			break
		}
	}
	return head, end, true
}

// Errors returned by edits.
var (
	ErrNoSection = errors.New("no such section")
	ErrNoKey     = errors.New("no such key")
)

// Set gives key in section the values, editing only the value words of
// the first existing entry, or adding an entry when there is none.
func (f *File) Set(section, key string, values ...string) error {
	if err := checkWord("key", key); err != nil {
		return err
	}
	e, ok := f.Lookup(section, key)
	if !ok {
		return f.Add(section, key, values...)
	}
	l := e.Line
	first := 1
	if e.Eq || len(l.Args) <= 1 && f.preferEq(key) {
		first = 2
	}
	enc, err := f.encodeValues(section, key, values, e, first)
	if err != nil {
		return err
	}
	var raw string
	if len(l.Args) > first {
		raw = l.Raw[:l.Spans[first].Start] + enc + l.Raw[l.Spans[len(l.Spans)-1].End:]
	} else {
		at := l.Spans[len(l.Spans)-1].End
		sep := " "
		if !e.Eq && f.preferEq(key) {
			sep = f.eqSeparator()
		}
		raw = l.Raw[:at] + sep + enc + l.Raw[at:]
	}
	return f.replaceLine(l, raw, section, key, values)
}

// Add appends a new entry for key at the end of section's entries, with
// the indentation and separator the file already uses.
func (f *File) Add(section, key string, values ...string) error {
	if err := checkWord("key", key); err != nil {
		return err
	}
	head, end, ok := f.sectionRange(section)
	if !ok {
		return fmt.Errorf("%s: [%s]: %w", f.Path, section, ErrNoSection)
	}
	first := 1
	if f.preferEq(key) {
		first = 2
	}
	enc, err := f.encodeValues(section, key, values, Entry{}, first)
	if err != nil {
		return err
	}
	// Insert after the last entry of the section, before trailing
	// comments and blank lines that introduce the next section.
	at := head + 1
	for i := head + 1; i < end; i++ {
		if len(f.Lines[i].Args) > 0 {
			at = i + 1
		}
	}
	var b strings.Builder
	b.WriteString(f.indentFor(section))
	b.WriteString(key)
	if len(values) > 0 {
		if f.preferEq(key) {
			b.WriteString(f.eqSeparator())
		} else {
			b.WriteString(" ")
		}
		b.WriteString(enc)
	}
	b.WriteString(f.eol())
	f.insertLines(at, b.String())
	if err := f.verify(section, key, values, true); err != nil {
		return err
	}
	return nil
}

// Delete removes every entry with key in section and reports how many
// lines it removed.
func (f *File) Delete(section, key string) (int, error) {
	if !f.HasSection(section) {
		return 0, fmt.Errorf("%s: [%s]: %w", f.Path, section, ErrNoSection)
	}
	n := 0
	keep := f.Lines[:0:0]
	cur := ""
	for _, l := range f.Lines {
		if name, ok := l.SectionName(); ok {
			cur = name
		}
		if e, ok := f.entryOf(cur, l); ok && cur == section && e.Key == key {
			n++
			continue
		}
		keep = append(keep, l)
	}
	if n == 0 {
		return 0, fmt.Errorf("%s: %s: %w", f.Path, dotted(section, key), ErrNoKey)
	}
	f.Lines = keep
	f.reparse()
	return n, nil
}

// AddSection appends "[name]" at the end of the file, separated from
// what precedes it by one blank line.
func (f *File) AddSection(name string) error {
	if err := checkWord("section name", name); err != nil {
		return err
	}
	if strings.ContainsAny(name, "[]") {
		return fmt.Errorf("section name %q: must not contain [ or ]", name)
	}
	if f.HasSection(name) {
		return fmt.Errorf("%s: section [%s] exists already", f.Path, name)
	}
	var b strings.Builder
	if len(f.Lines) > 0 {
		if !blank(f.Lines[len(f.Lines)-1]) {
			b.WriteString(f.eol())
		}
	}
	b.WriteString("[" + name + "]" + f.eol())
	f.insertLines(len(f.Lines), b.String())
	if !f.HasSection(name) {
		return fmt.Errorf("%s: adding section [%s] did not take", f.Path, name)
	}
	return nil
}

// DeleteSection removes the header and every line of a section.
func (f *File) DeleteSection(name string) error {
	head, end, ok := f.sectionRange(name)
	if !ok || name == "" {
		return fmt.Errorf("%s: [%s]: %w", f.Path, name, ErrNoSection)
	}
	f.Lines = append(f.Lines[:head:head], f.Lines[end:]...)
	f.reparse()
	return nil
}

func blank(l *Line) bool { return strings.TrimSpace(l.Raw) == "" }

// insertLines inserts raw text as new lines before index at, making sure
// the line before it ends with a newline.
func (f *File) insertLines(at int, raw string) {
	if at > 0 {
		prev := f.Lines[at-1]
		if !strings.HasSuffix(prev.Raw, "\n") {
			prev.Raw += f.eol()
		}
	}
	nl := &Line{Raw: raw}
	f.Lines = append(f.Lines[:at:at], append([]*Line{nl}, f.Lines[at:]...)...)
	f.reparse()
}

func (f *File) replaceLine(l *Line, raw, section, key string, values []string) error {
	l.Raw = raw
	f.reparse()
	return f.verify(section, key, values, false)
}

// reparse tokenizes the current text again so that line numbers and word
// positions are true after an edit.
func (f *File) reparse() { f.Lines = parseconf.Tokenize(f.Bytes()) }

// verify checks that an edit reads back as intended.
func (f *File) verify(section, key string, values []string, last bool) error {
	var got Entry
	found := false
	for _, e := range f.Entries() {
		if e.Section == section && e.Key == key {
			got, found = e, true
			if !last {
				break
			}
		}
	}
	if !found || strings.Join(got.Values, "\x00") != strings.Join(values, "\x00") {
		return fmt.Errorf("%s: %s: edit does not read back as written", f.Path, dotted(section, key))
	}
	return nil
}

// eol is the file's line ending: CRLF if its first line uses it.
func (f *File) eol() string {
	for _, l := range f.Lines {
		if strings.HasSuffix(l.Raw, "\r\n") {
			return "\r\n"
		}
		if strings.HasSuffix(l.Raw, "\n") {
			return "\n"
		}
	}
	return "\n"
}

// indentFor returns the leading whitespace of entries in the section, of
// entries in other sections when it has none, or a tab.
func (f *File) indentFor(section string) string {
	lead := func(e Entry) string {
		r := e.Line.Raw
		return r[:len(r)-len(strings.TrimLeft(r, " \t"))]
	}
	for _, e := range f.Entries() {
		if e.Section == section {
			return lead(e)
		}
	}
	if section == "" {
		return ""
	}
	for _, e := range f.Entries() {
		if e.Section != "" {
			return lead(e)
		}
	}
	return "\t"
}

// preferEq reports whether a new entry for key is written "key = value":
// as the file's own entries are, else by the kind of file. upsd.users'
// "upsmon" is always written "upsmon primary": NUT's upsd reads the "="
// form too, but first logs "Unknown upsmon type =".
func (f *File) preferEq(key string) bool {
	if f.Name() == UsersFile && strings.EqualFold(key, "upsmon") {
		return false
	}
	for _, e := range f.Entries() {
		if len(e.Values) > 0 {
			return e.Eq
		}
	}
	switch f.Name() {
	case "upsd.conf", "upsmon.conf":
		return false
	}
	return true
}

// eqSeparator returns how the file writes " = " (e.g. "=" in nut.conf).
func (f *File) eqSeparator() string {
	for _, e := range f.Entries() {
		if e.Eq && len(e.Values) > 0 {
			l := e.Line
			return l.Raw[l.Spans[0].End:l.Spans[2].Start]
		}
	}
	if f.Name() == "nut.conf" {
		return "="
	}
	return " = "
}

func dotted(section, key string) string {
	if section == "" {
		return key
	}
	return section + "." + key
}

// Sectioned reports whether the kind of file keeps its settings in
// "[name]" sections (ups.conf, upsd.users) rather than as directives.
func (f *File) Sectioned() bool {
	switch f.Name() {
	case UPSConfFile, UsersFile:
		return true
	case UpsdConfFile, UpsmonConfFile, NutConfFile:
		return false
	}
	return len(f.Sections()) > 0
}

// CheckGlobal refuses a setting before the first section of a sectioned
// file that NUT would ignore there: any in upsd.users, any but
// UPSConfGlobals in ups.conf. Files without sections take any key.
func (f *File) CheckGlobal(key string) error {
	switch f.Name() {
	case UsersFile:
		return fmt.Errorf("%s: %q outside any [user]: NUT ignores it (write USER.%s)", f.Path, key, key)
	case UPSConfFile:
		if !isUPSConfGlobal(key) {
			return fmt.Errorf("%s: %q is not a global setting NUT knows (%s): write DEVICE.KEY, as in ups1.port",
				f.Path, key, strings.Join(UPSConfGlobals, " "))
		}
	}
	return nil
}

// EditKey is SplitKey for an edit: it refuses a name that would write
// somewhere else than meant (".port": an empty section; "ups1": a global
// NUT ignores, see CheckGlobal).
func (f *File) EditKey(s string) (section, key string, err error) {
	section, key = f.SplitKey(s)
	switch {
	case !f.Sectioned():
	case strings.HasPrefix(s, "."):
		err = fmt.Errorf("%s: %q: empty section name (write SECTION.KEY)", f.Path, s)
	case key == "":
		err = fmt.Errorf("%s: %q: empty key (write SECTION.KEY)", f.Path, s)
	case section == "":
		err = f.CheckGlobal(key)
	}
	return section, key, err
}

// SplitKey splits "section.key" as a user writes it on a command line.
// Keys may hold dots (override.battery.charge.low), so an existing
// section that is the longest prefix wins; otherwise the first dot
// splits. Files without sections, and names without a dot, address the
// global part of the file.
func (f *File) SplitKey(s string) (section, key string) {
	if !f.Sectioned() || !strings.Contains(s, ".") {
		return "", s
	}
	best := -1
	for _, name := range f.Sections() {
		if len(name) > best && strings.HasPrefix(s, name+".") {
			section, key, best = name, s[len(name)+1:], len(name)
		}
	}
	if best >= 0 {
		return section, key
	}
	section, key, _ = strings.Cut(s, ".")
	return section, key
}

// Line is one logical line of a config file; see parseconf.Line.
type Line = parseconf.Line

// named returns the first of items whose name (as nameOf reads it) is
// name, compared case-sensitively: a section of a file by its name.
func named[T any](items []T, name string, nameOf func(T) string) (T, bool) {
	for _, it := range items {
		if nameOf(it) == name {
			return it, true
		}
	}
	var none T
	return none, false
}
