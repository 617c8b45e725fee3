package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/driver"
	"github.com/powerchain/powerchain/driver/hosted"
	"github.com/powerchain/powerchain/driver/nutsock"
	"github.com/powerchain/powerchain/nut"
)

type confOpts struct {
	dir         string
	json        bool
	showSecrets bool
	force       bool
}

func newConfCmd() *cobra.Command {
	o := &confOpts{}
	cmd := &cobra.Command{
		Use:   "conf",
		Short: "Show, edit and validate the NUT configuration directory",
		Long: `Show, edit and validate the files of a NUT configuration directory
(nut.conf, ups.conf, upsd.conf, upsd.users, upsmon.conf).

The directory is -c/--confdir, else $NUT_CONFPATH, else /etc/nut.
Edits change only the lines they touch and are saved atomically. An
edit that adds errors to the file's findings is refused, the file left
as it was, unless --force; for ups.conf these include what validate's
driver checks find (a setting the driver serve runs refuses).
Keys are written SECTION.KEY for ups.conf and upsd.users (ups1.port,
admin.password) and KEY for the other files (MAXAGE, MODE).`,
	}
	pf := cmd.PersistentFlags()
	pf.StringVarP(&o.dir, "confdir", "c", "", "NUT config directory (default $NUT_CONFPATH or /etc/nut)")
	pf.BoolVar(&o.json, "json", false, "print JSON")
	cmd.AddCommand(
		&cobra.Command{
			Use:   "show [FILE]",
			Short: "Summarise the configuration, or list the settings of one file",
			Args:  cobra.MaximumNArgs(1),
			RunE:  func(c *cobra.Command, args []string) error { return o.show(c.OutOrStdout(), args) },
		},
		&cobra.Command{
			Use:   "get FILE SECTION.KEY",
			Short: "Print a setting's value (exit 1 when not set)",
			Args:  cobra.ExactArgs(2),
			RunE: func(c *cobra.Command, args []string) error {
				return o.get(c.OutOrStdout(), c.ErrOrStderr(), args[0], args[1])
			},
		},
		&cobra.Command{
			Use:   "set FILE SECTION.KEY VALUE...",
			Short: "Set a value, adding the key (and the section) when missing",
			Args:  cobra.MinimumNArgs(3),
			RunE: func(c *cobra.Command, args []string) error {
				return o.set(c.OutOrStdout(), c.ErrOrStderr(), args[0], args[1], args[2:])
			},
		},
		&cobra.Command{
			Use:   "del FILE SECTION.KEY|SECTION",
			Short: "Delete a setting, or a whole section",
			Args:  cobra.ExactArgs(2),
			RunE: func(c *cobra.Command, args []string) error {
				return o.del(c.OutOrStdout(), c.ErrOrStderr(), args[0], args[1])
			},
		},
		&cobra.Command{
			Use:   "add-device NAME driver=DRIVER port=PORT [parent=DEV[:OUTLET][@HOST[:PORT]]] [KEY=VALUE...]",
			Short: "Add a device section to ups.conf",
			Long: `Add a device section to ups.conf.

parent=… is written as "override.device.parent = …", the spelling that
NUT's own drivers accept as well as powerchain's (NUT 2.8 drivers refuse
an unknown "parent" key).`,
			Args: cobra.MinimumNArgs(1),
			RunE: func(c *cobra.Command, args []string) error {
				return o.addDevice(c.OutOrStdout(), c.ErrOrStderr(), args[0], args[1:])
			},
		},
		&cobra.Command{
			Use:   "validate",
			Short: "Check every file and how they fit together; exit 1 on errors",
			Args:  cobra.NoArgs,
			RunE:  func(c *cobra.Command, args []string) error { return o.validate(c.OutOrStdout()) },
		},
	)
	for _, c := range cmd.Commands() {
		switch c.Name() {
		case "show", "get":
			c.Flags().BoolVar(&o.showSecrets, "show-secrets", false, "print passwords and other secrets instead of "+conf.Hidden)
		case "set", "del", "add-device":
			c.Flags().BoolVar(&o.force, "force", false, "save even if the edit makes the file invalid")
		}
	}
	return cmd
}

func (o *confOpts) load() (*conf.Dir, error) {
	return conf.LoadDir(conf.ResolveDir(o.dir))
}

// file returns the named file of the directory; name may be a bare file
// name of the directory or a path.
func (o *confOpts) file(name string) (*conf.File, error) {
	dir := conf.ResolveDir(o.dir)
	if strings.Contains(name, "/") {
		dir, name = filepath.Dir(name), filepath.Base(name)
	}
	known := false
	for _, n := range conf.FileNames {
		known = known || n == name
	}
	if !known {
		return nil, fmt.Errorf("%s: not a NUT config file (want one of: %s)", name, strings.Join(conf.FileNames, ", "))
	}
	path := filepath.Join(dir, name)
	f, err := conf.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		if _, derr := os.Stat(dir); derr != nil {
			return nil, fmt.Errorf("config directory: %w", derr)
		}
		return conf.Parse(path, nil), nil
	}
	return f, err
}

// judged returns the findings an edit of f is judged by: the file's own
// validation and, for ups.conf, the driver checks validate runs
// (driverDiags), f read as part of its directory.
func judged(f *conf.File) conf.Diags {
	ds := conf.ValidateFile(f)
	if f.Name() != conf.UPSConfFile {
		return ds
	}
	dir := filepath.Dir(f.Path)
	d, err := conf.LoadDir(dir)
	if err != nil {
		d = &conf.Dir{Path: dir, Files: map[string]*conf.File{}}
	}
	d.Files[conf.UPSConfFile] = f
	return append(ds, driverDiags(d)...)
}

// save writes an edited file, unless the edit added errors to its
// findings (judged; before are those of the file as it was) and --force
// is not given; refused, the file is left as it was. It returns what the
// edit added, which is printed on stderr (with --json the caller prints
// it), so that a warning (a password NUT's clients cannot send) is seen
// when the edit is made.
func (o *confOpts) save(stderr io.Writer, f *conf.File, before conf.Diags) (conf.Diags, error) {
	added := judged(f).Added(before)
	if added == nil {
		added = conf.Diags{}
	}
	if !o.json {
		for _, d := range added {
			fmt.Fprintln(stderr, d)
		}
	}
	if added.Errors() > 0 && !o.force {
		return added, &failure{err: fmt.Errorf("%s not saved: the edit makes it invalid (use --force to save anyway)", f.Path),
			result: map[string]any{"file": f.Path, "findings": added}}
	}
	mode := os.FileMode(0o644)
	if conf.SecretFiles[f.Name()] {
		mode = 0o640
	}
	return added, conf.WriteFileAtomic(f.Path, f.Bytes(), mode)
}

func (o *confOpts) get(w, stderr io.Writer, file, dotted string) error {
	f, err := o.file(file)
	if err != nil {
		return err
	}
	section, key := f.SplitKey(dotted)
	e, ok := f.Lookup(section, key)
	if !ok {
		err := fmt.Errorf("%s: %s is not set", f.Path, dotted)
		fmt.Fprintln(stderr, err)
		return &failure{err: err, shown: true}
	}
	vals := o.shown(e)
	if o.json {
		return writeJSON(w, map[string]any{"file": f.Path, "line": e.Line.Num, "section": section,
			"key": key, "value": strings.Join(vals, " "), "values": vals})
	}
	fmt.Fprintln(w, strings.Join(vals, " "))
	return nil
}

// shown returns an entry's values as the command may print them: secrets
// hidden unless --show-secrets.
func (o *confOpts) shown(e conf.Entry) []string {
	if o.showSecrets {
		return e.Values
	}
	return e.Shown()
}

func (o *confOpts) set(w, stderr io.Writer, file, dotted string, values []string) error {
	f, err := o.file(file)
	if err != nil {
		return err
	}
	before := judged(f)
	section, key, err := f.EditKey(dotted)
	if err != nil {
		return err
	}
	if section != "" && !f.HasSection(section) {
		if err := f.AddSection(section); err != nil {
			return err
		}
	}
	if err := f.Set(section, key, values...); err != nil {
		return err
	}
	added, err := o.save(stderr, f, before)
	if err != nil {
		return err
	}
	e, _ := f.Lookup(section, key)
	if o.json {
		return writeJSON(w, map[string]any{"file": f.Path, "line": e.Line.Num, "section": section, "key": key, "values": e.Shown(),
			"findings": added})
	}
	if isTerminal(w) {
		fmt.Fprintf(w, "%s:%d: %s %s\n", f.Path, e.Line.Num, e.Key, quoteAll(e.Shown()))
	}
	return nil
}

func (o *confOpts) del(w, stderr io.Writer, file, dotted string) error {
	f, err := o.file(file)
	if err != nil {
		return err
	}
	before := judged(f)
	section, key := f.SplitKey(dotted)
	n := 0
	if f.Sectioned() && f.HasSection(dotted) {
		section, key = dotted, ""
		err = f.DeleteSection(dotted)
	} else {
		n, err = f.Delete(section, key)
	}
	if err != nil {
		return err
	}
	added, err := o.save(stderr, f, before)
	if err != nil {
		return err
	}
	if o.json {
		return writeJSON(w, map[string]any{"file": f.Path, "section": section, "key": key, "deleted_lines": n, "findings": added})
	}
	return nil
}

func (o *confOpts) addDevice(w, stderr io.Writer, name string, kvs []string) error {
	f, err := o.file(conf.UPSConfFile)
	if err != nil {
		return err
	}
	if f.HasSection(name) {
		return fmt.Errorf("%s: device [%s] exists already", f.Path, name)
	}
	var keys, vals []string
	have := map[string]bool{}
	for _, kv := range kvs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return fmt.Errorf("%q: want KEY=VALUE", kv)
		}
		if k == conf.ParentKey || k == conf.OverrideParentKey {
			if _, err := nut.ParseParent(v); err != nil {
				return err
			}
			// The spelling every NUT driver accepts too.
			k = conf.OverrideParentKey
		}
		keys, vals = append(keys, k), append(vals, v)
		have[k] = true
	}
	if !have["driver"] || !have["port"] {
		return fmt.Errorf("add-device %s: driver=… and port=… are required", name)
	}
	if drv := vals[slices.Index(keys, "driver")]; !conf.IsNUTDriver(drv) && !isDriver(drv) && !o.force {
		return fmt.Errorf("add-device %s: unknown driver %q: not one of NUT 2.8.0's drivers (usbhid-ups, snmp-ups, …) nor powerchain's (%s); --force to add it anyway",
			name, drv, strings.Join(driver.Names(), " "))
	}
	before := judged(f)
	if err := f.AddSection(name); err != nil {
		return err
	}
	for i := range keys {
		if err := f.Add(name, keys[i], vals[i]); err != nil {
			return err
		}
	}
	added, err := o.save(stderr, f, before)
	if err != nil {
		return err
	}
	if o.json {
		return writeJSON(w, map[string]any{"file": f.Path, "device": name, "findings": added})
	}
	if isTerminal(w) {
		fmt.Fprintf(w, "added [%s] to %s\n", name, f.Path)
	}
	return nil
}

// isDriver reports whether powerchain has a driver of that name.
func isDriver(name string) bool {
	_, ok := driver.Lookup(name)
	return ok
}

func (o *confOpts) validate(w io.Writer) error {
	d, err := o.load()
	if err != nil {
		return err
	}
	ds := append(d.Validate(), driverDiags(d)...)
	if o.json {
		if ds == nil {
			ds = conf.Diags{}
		}
		if err := writeJSON(w, map[string]any{"dir": d.Path, "errors": ds.Errors(),
			"warnings": len(ds) - ds.Errors(), "findings": ds}); err != nil {
			return err
		}
	} else {
		color := isTerminal(w)
		for _, x := range ds {
			line := x.String()
			if color {
				c := "33" // yellow
				if x.Severity == conf.Error {
					c = "31"
				}
				line = strings.Replace(line, x.Severity.String(), "\x1b["+c+"m"+x.Severity.String()+"\x1b[0m", 1)
			}
			fmt.Fprintln(w, line)
		}
		if color || len(ds) == 0 {
			fmt.Fprintf(w, "%s: %d errors, %d warnings\n", d.Path, ds.Errors(), len(ds)-ds.Errors())
		}
	}
	if ds.Errors() > 0 {
		return exitError(1)
	}
	return nil
}

// driverDiags checks the sections of ups.conf whose driver runs in
// powerchain as serve starts them: the driver reads its settings (and
// opens nothing), and a setting it refuses is an error at that setting's
// line (the section's when it names none). Sections without a driver or
// a port are left to conf's own findings.
func driverDiags(d *conf.Dir) conf.Diags {
	u := d.UPS()
	if u.File == nil {
		return nil
	}
	h := hosted.FromUPSConf(u, d.Path, nutsock.StatePath())
	var ds conf.Diags
	for _, dev := range u.Devices {
		cfg := daemon.DriverConfig(d, dev)
		if _, ok := dev.Setting("port"); !ok || h.Hosts(cfg) {
			continue
		}
		_, err := driver.New(cfg)
		if err == nil {
			continue
		}
		line := dev.Line.Num
		var bad *driver.OptionError
		if errors.As(err, &bad) {
			for _, e := range dev.Settings {
				if e.Key == bad.Key {
					line = e.Line.Num // the last one is the one read
				}
			}
		}
		ds = append(ds, conf.Diag{File: u.File.Path, Line: line, Severity: conf.Error,
			Msg: fmt.Sprintf("[%s]: %v (serve does not start this driver)", dev.Name, err)})
	}
	return ds
}

func (o *confOpts) show(w io.Writer, args []string) error {
	if len(args) == 1 {
		return o.showFile(w, args[0])
	}
	d, err := o.load()
	if err != nil {
		return err
	}
	s := summarise(d, o.showSecrets)
	if o.json {
		return writeJSON(w, s)
	}
	mode := s.Mode
	if mode == "" {
		mode = "not set"
	}
	fmt.Fprintf(w, "NUT configuration in %s (MODE %s)\n", s.Dir, mode)
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	if len(s.Devices) > 0 {
		fmt.Fprintf(tw, "\nDevices (ups.conf)\n  NAME\tDRIVER\tPORT\tPARENT\tDESC\n")
		for _, dv := range s.Devices {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", dv.Name, dash(dv.Driver), dash(dv.Port), dash(dv.Parent), dv.Desc)
		}
	}
	if len(s.Listeners) > 0 {
		fmt.Fprintf(tw, "\nListeners (upsd.conf)\n")
		for _, l := range s.Listeners {
			fmt.Fprintf(tw, "  %s\n", l.Addr)
		}
	}
	if len(s.Users) > 0 {
		fmt.Fprintf(tw, "\nUsers (upsd.users)\n  NAME\tACTIONS\tINSTCMDS\tUPSMON\tPASSWORD\n")
		for _, u := range s.Users {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", u.Name, dash(strings.Join(u.Actions, " ")),
				dash(strings.Join(u.InstCmds, " ")), dash(u.Upsmon), dash(u.Password))
		}
	}
	if len(s.Monitors) > 0 {
		fmt.Fprintf(tw, "\nMonitors (upsmon.conf)\n  SYSTEM\tPOWER\tUSER\tROLE\n")
		for _, m := range s.Monitors {
			fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\n", m.System, m.PowerValue, m.User, m.Role)
		}
	}
	return tw.Flush()
}

func (o *confOpts) showFile(w io.Writer, name string) error {
	f, err := o.file(name)
	if err != nil {
		return err
	}
	type setting struct {
		Line    int      `json:"line"`
		Section string   `json:"section,omitempty"`
		Key     string   `json:"key"`
		Values  []string `json:"values"`
	}
	var out []setting
	for _, e := range f.Entries() {
		out = append(out, setting{e.Line.Num, e.Section, e.Key, o.shown(e)})
	}
	if o.json {
		if out == nil {
			out = []setting{}
		}
		return writeJSON(w, map[string]any{"file": f.Path, "settings": out})
	}
	tw := tabwriter.NewWriter(w, 2, 8, 1, ' ', 0)
	for _, s := range out {
		k := s.Key
		if s.Section != "" {
			k = s.Section + "." + s.Key
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\n", s.Line, k, quoteAll(s.Values))
	}
	return tw.Flush()
}

// quoteAll writes values as a config file would hold them, for reading;
// a value NUT cannot hold is shown as Go would quote it.
func quoteAll(vals []string) string {
	quoted := make([]string, len(vals))
	for i, v := range vals {
		q, err := conf.Quote(v, false)
		if err != nil {
			q = strconv.Quote(v)
		}
		quoted[i] = q
	}
	return strings.Join(quoted, " ")
}

type summary struct {
	Dir       string        `json:"dir"`
	Mode      string        `json:"mode"`
	Devices   []deviceView  `json:"devices"`
	Listeners []listenView  `json:"listeners"`
	Users     []userView    `json:"users"`
	Monitors  []monitorView `json:"monitors"`
}

type deviceView struct {
	Name     string            `json:"name"`
	Driver   string            `json:"driver"`
	Port     string            `json:"port"`
	Desc     string            `json:"desc,omitempty"`
	Parent   string            `json:"parent,omitempty"`
	Settings map[string]string `json:"settings"`
	Line     int               `json:"line"`
}

type listenView struct {
	Addr string `json:"address"`
	Line int    `json:"line"`
}

type userView struct {
	Name     string   `json:"name"`
	Password string   `json:"password,omitempty"`
	Actions  []string `json:"actions"`
	InstCmds []string `json:"instcmds"`
	Upsmon   string   `json:"upsmon,omitempty"`
	Line     int      `json:"line"`
}

type monitorView struct {
	System     string `json:"system"`
	PowerValue int    `json:"power_value"`
	User       string `json:"user"`
	Role       string `json:"role"`
	Line       int    `json:"line"`
}

func summarise(d *conf.Dir, secrets bool) summary {
	shown := func(e conf.Entry) string {
		if secrets {
			return e.Value()
		}
		return e.ShownValue()
	}
	s := summary{Dir: d.Path, Mode: d.Nut().Mode, Devices: []deviceView{}, Listeners: []listenView{},
		Users: []userView{}, Monitors: []monitorView{}}
	for _, dv := range d.UPS().Devices {
		v := deviceView{Name: dv.Name, Driver: dv.Driver, Port: dv.Port, Desc: dv.Desc, Parent: dv.Parent,
			Settings: map[string]string{}, Line: dv.Line.Num}
		for _, e := range dv.Settings {
			v.Settings[e.Key] = shown(e)
		}
		s.Devices = append(s.Devices, v)
	}
	for _, l := range d.Upsd().Listen {
		s.Listeners = append(s.Listeners, listenView{Addr: fmt.Sprintf("%s:%d", l.Addr, l.Port), Line: l.Line.Num})
	}
	for _, u := range d.Users().Users {
		pw := u.Password.String()
		if secrets || u.Password == "" {
			pw = u.Password.Reveal()
		}
		s.Users = append(s.Users, userView{Name: u.Name, Password: pw, Actions: nonNil(u.Actions),
			InstCmds: nonNil(u.InstCmds), Upsmon: u.Upsmon, Line: u.Line.Num})
	}
	for _, m := range d.Upsmon().Monitors {
		s.Monitors = append(s.Monitors, monitorView{System: m.System.String(), PowerValue: m.PowerValue,
			User: m.Username, Role: m.Role, Line: m.Line.Num})
	}
	return s
}

// nonNil is s, or an empty list for nil (JSON's [] rather than null).
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // a terminal or a script reads it, not a browser
	return enc.Encode(v)
}

// isTerminal reports whether f, a reader or a writer, is a terminal (for
// colour and chatter, or for asking questions).
func isTerminal(f any) bool {
	fd, ok := f.(*os.File)
	if !ok {
		return false
	}
	st, err := fd.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
