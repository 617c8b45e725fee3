package conf

import (
	"strings"
)

// User is one "[name]" section of upsd.users.
type User struct {
	Name     string
	Password Secret
	Actions  []string // upper-case: SET, FSD
	InstCmds []string // command names, or ALL
	// Upsmon is the role for upsmon logins: "primary" or "secondary"
	// (NUT's older "master"/"slave" are reported as written), "" if none.
	Upsmon string
	Line   *Line
}

// Can reports whether the user holds an action (SET, FSD).
func (u User) Can(action string) bool {
	for _, a := range u.Actions {
		if strings.EqualFold(a, action) {
			return true
		}
	}
	return false
}

// CanRun reports whether the user may run the instant command cmd.
func (u User) CanRun(cmd string) bool {
	for _, c := range u.InstCmds {
		if strings.EqualFold(c, "all") || strings.EqualFold(c, cmd) {
			return true
		}
	}
	return false
}

// Names reports whether instcmds names cmd itself (ALL does not count).
func (u User) Names(cmd string) bool {
	for _, c := range u.InstCmds {
		if strings.EqualFold(c, cmd) {
			return true
		}
	}
	return false
}

// wireUnsafe are the characters a password cannot hold for NUT's own
// clients, which send "PASSWORD %s" unquoted (seen with Debian's NUT
// 2.8.0: upsd answers such a login with ERR PASSWORD-REQUIRED).
const wireUnsafe = " \t=#\"\\"

// Users is the typed view of upsd.users.
type Users struct {
	File  *File
	Users []User
}

// ParseUsers reads a parsed upsd.users the way NUT's upsd does: values
// after "=" all count ("actions = SET FSD"), names are case-insensitive,
// and "upsmon primary" may be written with or without "=".
func ParseUsers(f *File) *Users {
	us := &Users{File: f}
	index := map[string]int{}
	for _, l := range f.Lines {
		if name, ok := l.SectionName(); ok {
			if _, dup := index[name]; !dup {
				index[name] = len(us.Users)
				us.Users = append(us.Users, User{Name: name, Line: l})
			}
		}
	}
	for _, e := range f.Entries() {
		i, ok := index[e.Section]
		// NUT logs a line with a parse error and skips it.
		if !ok || len(e.Values) == 0 || e.Line.Err != "" {
			continue
		}
		u := &us.Users[i]
		switch strings.ToLower(e.Key) {
		case "password":
			u.Password = Secret(e.Values[0])
		case "actions":
			for _, a := range e.Values {
				u.Actions = append(u.Actions, strings.ToUpper(a))
			}
		case "instcmds":
			u.InstCmds = append(u.InstCmds, e.Values...)
		case "upsmon":
			u.Upsmon = strings.ToLower(e.Values[0])
		}
	}
	return us
}

// User returns the user named name (case-sensitive, as upsd matches).
func (us *Users) User(name string) (User, bool) {
	return named(us.Users, name, func(u User) string { return u.Name })
}

// Validate checks upsd.users as NUT's upsd would read it.
func (us *Users) Validate() Diags {
	d := &diagger{f: us.File}
	d.syntax()
	d.secretFile()
	d.duplicateSections("user")
	d.sectionHeaders("user", "ignores it")
	for _, e := range us.File.Entries() {
		key := strings.ToLower(e.Key)
		if e.Section == "" {
			d.at(e.Line, Warning, "%q is outside any [user] section; NUT ignores it", e.Key)
			continue
		}
		switch key {
		case "password", "actions", "instcmds", "upsmon":
		case "allowfrom":
			d.at(e.Line, Warning, "allowfrom is no longer used by NUT")
			continue
		default:
			d.at(e.Line, Warning, "[%s]: unknown setting %q (NUT ignores it)", e.Section, e.Key)
			continue
		}
		if len(e.Values) == 0 {
			d.at(e.Line, Error, "[%s]: %s has no value", e.Section, e.Key)
			continue
		}
		if !e.Eq && key != "upsmon" {
			d.at(e.Line, Error, "[%s]: write \"%s = …\"; NUT ignores it without \"=\"", e.Section, e.Key)
		}
		switch key {
		case "actions":
			for _, a := range e.Values {
				if up := strings.ToUpper(a); up != "SET" && up != "FSD" {
					d.at(e.Line, Error, "[%s]: unknown action %q (NUT knows SET and FSD)", e.Section, a)
				}
			}
		case "upsmon":
			if e.Eq {
				d.at(e.Line, Warning, "[%s]: NUT reads \"upsmon = %s\" but first logs \"Unknown upsmon type =\"; write \"upsmon %s\"", e.Section, e.Values[0], e.Values[0])
			}
			switch strings.ToLower(e.Values[0]) {
			case "primary", "secondary":
			case "master", "slave":
				d.at(e.Line, Warning, "[%s]: upsmon %s is NUT's old name; NUT 2.8 writes %s", e.Section, e.Values[0],
					map[string]string{"master": "primary", "slave": "secondary"}[strings.ToLower(e.Values[0])])
			default:
				d.at(e.Line, Error, "[%s]: upsmon role %q is not primary or secondary", e.Section, e.Values[0])
			}
		}
	}
	for _, u := range us.Users {
		if strings.ContainsAny(u.Password.Reveal(), wireUnsafe) {
			d.at(u.Line, Warning, "user [%s]: NUT's clients (upsmon, upsrw, upscmd) send the password unquoted and cannot log in with a space, =, #, \" or \\ in it", u.Name)
		}
		if u.Password == "" {
			d.at(u.Line, Error, "user [%s] has no password and can never log in", u.Name)
		}
		if u.Upsmon != "" && len(u.InstCmds) > 0 {
			// NUT accepts it; the upsmon password (in upsmon.conf, often
			// readable by more people) then also runs commands.
			d.at(u.Line, Warning, "user [%s] has an upsmon role and instcmds: keep the monitor account separate from the admin one", u.Name)
		}
	}
	return d.ds
}
