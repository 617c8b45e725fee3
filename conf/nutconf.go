package conf

// Modes are the values of MODE in nut.conf.
var Modes = []string{"none", "standalone", "netserver", "netclient"}

// NutConf is the typed view of nut.conf.
type NutConf struct {
	File *File
	Mode string // "" when not set
	// Vars are all the file's KEY=value settings (UPSD_OPTIONS, …).
	Vars map[string]string
}

// ParseNutConf reads a parsed nut.conf.
func ParseNutConf(f *File) *NutConf {
	c := &NutConf{File: f, Vars: map[string]string{}}
	for _, e := range f.Entries() {
		if e.Eq && len(e.Values) > 0 {
			c.Vars[e.Key] = e.Values[0]
		}
	}
	c.Mode = c.Vars["MODE"]
	return c
}

// Validate checks nut.conf for NUT's tools and for the shell scripts
// that source it.
func (c *NutConf) Validate() Diags {
	d := &diagger{f: c.File}
	d.syntax()
	for _, e := range c.File.Entries() {
		if !e.Eq {
			d.at(e.Line, Error, "%q: nut.conf holds KEY=value lines only", e.Key)
			continue
		}
		l := e.Line
		if len(l.Spans) >= 2 && (l.Spans[1].Start != l.Spans[0].End ||
			len(l.Spans) >= 3 && l.Spans[2].Start != l.Spans[1].End) {
			d.at(l, Warning, "%s: spaces around \"=\" break the shell scripts that source nut.conf", e.Key)
		}
		if e.Key == "MODE" && len(e.Values) > 0 && !contains(Modes, e.Values[0]) {
			d.at(l, Error, "unknown MODE %q (want one of: none standalone netserver netclient)", e.Values[0])
		}
	}
	if _, ok := c.File.Lookup("", "MODE"); !ok {
		d.at(nil, Warning, "no MODE: NUT's init scripts start nothing (set MODE=standalone, netserver or netclient)")
	}
	return d.ds
}
