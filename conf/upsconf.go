package conf

import (
	"strings"

	"github.com/powerchain/powerchain/nut"
)

// Device is one "[name]" section of ups.conf.
type Device struct {
	Name   string
	Driver string
	Port   string
	Desc   string
	// Parent is the raw "parent" value ("" when not set); ParsedParent
	// is its meaning, the mains when absent or unparsable.
	Parent       string
	ParsedParent nut.Parent
	// Settings are all the section's entries in order, driver and port
	// included, as written.
	Settings []Entry
	Line     *Line

	parentKey string // which key Parent came from
}

// The keys a device's power-chain parent may be written with. NUT 2.8's
// own drivers refuse unknown keys such as "parent" ("not a valid variable
// name for this driver") but accept "override.VAR" and "default.VAR" and
// publish VAR; so "override.device.parent" works with every driver and is
// what powerchain writes, while "parent" is read as well.
const (
	ParentKey         = "parent"
	OverrideParentKey = "override.device.parent"
	DefaultParentKey  = "default.device.parent"
)

// ParentEntry returns the entry the device's parent comes from.
func (d Device) ParentEntry() (Entry, bool) {
	if d.parentKey == "" {
		return Entry{}, false
	}
	return lookupIn(d.Settings, d.parentKey)
}

// Setting returns the value of a key of the device as NUT reads it (the
// first word after "=", the last such line winning) and whether it is
// set. A flag without value ("nolock") is set with value "".
func (d Device) Setting(key string) (string, bool) {
	return upsconfSetting(d.Settings, key)
}

// UPSConf is the typed view of ups.conf.
type UPSConf struct {
	File    *File
	Globals []Entry // settings before the first section (maxretry, user, …)
	Devices []Device
}

// ParseUPSConf reads the devices of a parsed ups.conf.
func ParseUPSConf(f *File) *UPSConf {
	u := &UPSConf{File: f}
	index := map[string]int{}
	for _, l := range f.Lines {
		if name, ok := l.SectionName(); ok {
			if _, dup := index[name]; dup {
				continue // NUT merges duplicates; validation reports them
			}
			index[name] = len(u.Devices)
			u.Devices = append(u.Devices, Device{Name: name, Line: l})
		}
	}
	for _, e := range f.Entries() {
		if e.Section == "" {
			u.Globals = append(u.Globals, e)
			continue
		}
		d := &u.Devices[index[e.Section]]
		d.Settings = append(d.Settings, e)
		if !upsconfUsable(e) {
			continue
		}
		switch v := upsconfValue(e); e.Key {
		case "driver":
			d.Driver = v
		case "port":
			d.Port = v
		case "desc":
			d.Desc = v
		case ParentKey, OverrideParentKey, DefaultParentKey:
			// "parent" wins over the NUT-compatible spellings.
			if d.parentKey == ParentKey && e.Key != ParentKey {
				break
			}
			d.Parent, d.parentKey = v, e.Key
			if p, err := nut.ParseParent(d.Parent); err == nil {
				d.ParsedParent = p
			}
		}
	}
	return u
}

// upsconfUsable reports whether NUT's ups.conf reader takes the entry:
// "key = value" (first value only) or a lone flag.
func upsconfUsable(e Entry) bool {
	return len(e.Line.Args) == 1 || e.Eq && len(e.Values) >= 1
}

// upsconfValue is the value NUT reads from a usable entry: the first word
// after "=", "" for a flag.
func upsconfValue(e Entry) string {
	if len(e.Values) == 0 {
		return ""
	}
	return e.Values[0]
}

// upsconfSetting is the value of key among entries as NUT reads it (the
// first word after "=", the last such line winning) and whether it is
// set.
func upsconfSetting(entries []Entry, key string) (string, bool) {
	v, ok := "", false
	for _, e := range entries {
		if e.Key == key && upsconfUsable(e) {
			v, ok = upsconfValue(e), true
		}
	}
	return v, ok
}

// Global returns the value of a global setting as NUT reads it (the
// first word after "=", the last such line winning) and whether it is
// set.
func (u *UPSConf) Global(key string) (string, bool) {
	return upsconfSetting(u.Globals, key)
}

// GlobalValues returns every value of a global setting that may be repeated,
// in order.
func (u *UPSConf) GlobalValues(key string) []string {
	var out []string
	for _, e := range u.Globals {
		if e.Key == key && upsconfUsable(e) {
			out = append(out, upsconfValue(e))
		}
	}
	return out
}

// Device returns the device named name.
func (u *UPSConf) Device(name string) (Device, bool) {
	return named(u.Devices, name, func(d Device) string { return d.Name })
}

// Validate checks ups.conf as NUT's drivers and upsd would read it.
func (u *UPSConf) Validate() Diags {
	d := &diagger{f: u.File}
	d.syntax()
	d.duplicateSections("device")
	d.sectionHeaders("device", "takes it as a flag of the device above, whose driver then refuses to start")
	for _, e := range u.File.Entries() {
		switch {
		case strings.HasPrefix(e.Key, "["):
			continue // reported by sectionHeaders
		case e.Section == "" && !isUPSConfGlobal(e.Key):
			d.at(e.Line, Warning, "%q before the first [device] is not a global setting NUT knows (%s): NUT ignores it",
				e.Key, strings.Join(UPSConfGlobals, " "))
		}
		if !upsconfUsable(e) {
			d.at(e.Line, Warning, "NUT ignores this line: not \"key = value\" nor a single flag")
		} else if e.Eq && len(e.Values) > 1 {
			d.at(e.Line, Warning, "%s: NUT reads only the first word %q; quote the value", e.Key, e.Shown()[0])
		}
	}
	for _, e := range u.Globals {
		if e.Key != HostedKey || !upsconfUsable(e) {
			continue
		}
		for _, name := range HostedNames(upsconfValue(e)) {
			if _, ok := u.Device(name); !ok {
				d.at(e.Line, Warning, "%s names [%s], which is no device of ups.conf", HostedKey, name)
			}
		}
	}
	for _, dev := range u.Devices {
		seen := map[string]*Line{}
		for _, e := range dev.Settings {
			if strings.HasPrefix(e.Key, "[") {
				continue
			}
			if first, dup := seen[e.Key]; dup && e.Key != "" {
				d.at(e.Line, Warning, "[%s]: %s is set again (first at line %d); the last one wins", dev.Name, e.Key, first.Num)
			}
			seen[e.Key] = e.Line
		}
		if _, ok := dev.Setting("driver"); !ok {
			d.at(dev.Line, Error, "device [%s] has no driver", dev.Name)
		} else if !IsNUTDriver(dev.Driver) {
			e, _ := lookupIn(dev.Settings, "driver")
			d.at(e.Line, Warning, "[%s]: %q is not one of NUT 2.8.0's drivers: NUT cannot start it (powerchain may)", dev.Name, dev.Driver)
		}
		if _, ok := dev.Setting("port"); !ok {
			d.at(dev.Line, Error, "device [%s] has no port", dev.Name)
		}
		for _, e := range dev.Settings {
			switch e.Key {
			case ParentKey, OverrideParentKey, DefaultParentKey:
				if _, err := nut.ParseParent(e.Value()); err != nil {
					d.at(e.Line, Error, "[%s]: %v", dev.Name, err)
				}
			}
			if e.Key == ParentKey {
				d.at(e.Line, Warning, "[%s]: NUT's own drivers refuse the key \"parent\"; write \"%s = %s\" to run this device with them too",
					dev.Name, OverrideParentKey, e.Value())
			}
		}
	}
	u.validateChain(d)
	return d.ds
}

// validateChain checks the parents that stay on this host: they must
// name a device of this file and must not loop.
func (u *UPSConf) validateChain(d *diagger) {
	local := map[string]Device{}
	for _, dev := range u.Devices {
		local[dev.Name] = dev
	}
	for _, dev := range u.Devices {
		p := dev.ParsedParent
		if p.IsMains() || p.Host != "" {
			continue
		}
		e, _ := dev.ParentEntry()
		if _, ok := local[p.Device]; !ok {
			d.at(e.Line, Warning, "[%s]: parent %q is not a device of this ups.conf (add @host for another server)", dev.Name, p.Device)
			continue
		}
		// Follow the local chain upward; a loop back to dev is a cycle.
		cur, steps := p, 0
		for !cur.IsMains() && cur.Host == "" && steps <= len(u.Devices) {
			if cur.Device == dev.Name {
				d.at(e.Line, Error, "[%s]: parent chain loops back to itself", dev.Name)
				break
			}
			next, ok := local[cur.Device]
			if !ok {
				break
			}
			cur = next.ParsedParent
			steps++
		}
	}
}

func lookupIn(es []Entry, key string) (Entry, bool) {
	for _, e := range es {
		if e.Key == key {
			return e, true
		}
	}
	return Entry{}, false
}
