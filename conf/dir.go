package conf

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// DefaultDir is where NUT keeps its configuration on Debian.
const DefaultDir = "/etc/nut"

// Names of the files of a NUT config directory.
const (
	NutConfFile    = "nut.conf"
	UPSConfFile    = "ups.conf"
	UpsdConfFile   = "upsd.conf"
	UsersFile      = "upsd.users"
	UpsmonConfFile = "upsmon.conf"
)

// FileNames lists the files this package knows, in the order they are
// shown and validated.
var FileNames = []string{NutConfFile, UPSConfFile, UpsdConfFile, UsersFile, UpsmonConfFile}

// SecretFiles hold passwords: they are created 0640, never world-readable.
var SecretFiles = map[string]bool{UsersFile: true, UpsmonConfFile: true}

// ResolveDir picks the config directory: the flag when given, else
// $NUT_CONFPATH, else /etc/nut.
func ResolveDir(flag string) string {
	if flag != "" {
		return flag
	}
	if env := os.Getenv("NUT_CONFPATH"); env != "" {
		return env
	}
	return DefaultDir
}

// Dir is a NUT config directory with the files it holds. A file that does
// not exist is nil.
type Dir struct {
	Path  string
	Files map[string]*File
}

// LoadDir parses every known file of dir that exists.
func LoadDir(dir string) (*Dir, error) {
	d := &Dir{Path: dir, Files: map[string]*File{}}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("config directory: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("config directory %s: not a directory", dir)
	}
	for _, name := range FileNames {
		f, err := ReadFile(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		d.Files[name] = f
	}
	return d, nil
}

// File returns the named file, or an empty one at its path (so that it
// can be edited and saved into being).
func (d *Dir) File(name string) *File {
	if f := d.Files[name]; f != nil {
		return f
	}
	return Parse(filepath.Join(d.Path, name), nil)
}

// UPS returns the typed view of ups.conf (empty when absent).
func (d *Dir) UPS() *UPSConf { return ParseUPSConf(d.File(UPSConfFile)) }

// Upsd returns the typed view of upsd.conf (empty when absent).
func (d *Dir) Upsd() *UpsdConf { return ParseUpsdConf(d.File(UpsdConfFile)) }

// Users returns the typed view of upsd.users (empty when absent).
func (d *Dir) Users() *Users { return ParseUsers(d.File(UsersFile)) }

// Upsmon returns the typed view of upsmon.conf (empty when absent).
func (d *Dir) Upsmon() *UpsmonConf { return ParseUpsmonConf(d.File(UpsmonConfFile)) }

// Nut returns the typed view of nut.conf (empty when absent).
func (d *Dir) Nut() *NutConf { return ParseNutConf(d.File(NutConfFile)) }

// ValidateFile validates one parsed file by its name.
func ValidateFile(f *File) Diags {
	switch f.Name() {
	case UPSConfFile:
		return ParseUPSConf(f).Validate()
	case UpsdConfFile:
		return ParseUpsdConf(f).Validate()
	case UsersFile:
		return ParseUsers(f).Validate()
	case UpsmonConfFile:
		return ParseUpsmonConf(f).Validate()
	case NutConfFile:
		return ParseNutConf(f).Validate()
	}
	d := &diagger{f: f}
	d.syntax()
	return d.ds
}

// Validate checks every file of the directory and how they fit together.
func (d *Dir) Validate() Diags {
	var ds Diags
	if len(d.Files) == 0 {
		return Diags{{File: d.Path, Severity: Error, Msg: "no NUT config files here (nut.conf, ups.conf, upsd.conf, upsd.users, upsmon.conf)"}}
	}
	for _, name := range FileNames {
		if f := d.Files[name]; f != nil {
			ds = append(ds, ValidateFile(f)...)
		}
	}
	ds = append(ds, d.crossCheck()...)
	ds.sort()
	return ds
}

// crossCheck relates the files: a server mode needs devices, and a local
// MONITOR line must log in as a user upsd.users knows, with its password.
func (d *Dir) crossCheck() Diags {
	var ds Diags
	mode := d.Nut().Mode
	if (mode == "standalone" || mode == "netserver") && d.Files[UPSConfFile] != nil && len(d.UPS().Devices) == 0 {
		ds = append(ds, Diag{File: d.File(UPSConfFile).Path, Severity: Warning,
			Msg: fmt.Sprintf("MODE=%s but ups.conf has no devices", mode)})
	}
	if d.Files[UpsmonConfFile] == nil || d.Files[UsersFile] == nil {
		return ds
	}
	users := d.Users()
	ups := d.UPS()
	mon := d.Upsmon()
	for _, m := range mon.Monitors {
		if !isLocalHost(m.System.Host) {
			continue
		}
		dg := &diagger{f: mon.File}
		if d.Files[UPSConfFile] != nil {
			if _, ok := ups.Device(m.System.UPS); !ok {
				dg.at(m.Line, Warning, "MONITOR %s: no device [%s] in ups.conf", m.System, m.System.UPS)
			}
		}
		u, ok := users.User(m.Username)
		switch {
		case !ok:
			dg.at(m.Line, Error, "MONITOR %s: user %q is not in upsd.users", m.System, m.Username)
		case u.Password != m.Password:
			dg.at(m.Line, Error, "MONITOR %s: password differs from user [%s] in upsd.users", m.System, m.Username)
		case u.Upsmon == "":
			dg.at(m.Line, Error, "MONITOR %s: user [%s] has no upsmon role in upsd.users", m.System, m.Username)
		}
		ds = append(ds, dg.ds...)
	}
	return ds
}

func isLocalHost(h string) bool {
	switch h {
	case "", "localhost", "127.0.0.1", "::1", "ip6-localhost":
		return true
	}
	return false
}
