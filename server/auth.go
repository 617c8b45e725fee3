package server

import (
	"context"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/nut"
)

// USERNAME, PASSWORD, LOGIN, LOGOUT, PRIMARY (MASTER) and FSD: who the
// client is and what it may do (NUT's netuser.c, user.c and FSD).

// userFor returns the session's user when the password matches.
func (ss *session) userFor() (conf.User, bool) {
	for _, u := range ss.s.cfg.Load().Users {
		if u.Name == ss.user {
			return u, u.Password.Reveal() == ss.pass && u.Password != ""
		}
	}
	return conf.User{}, false
}

// allowed checks an action as NUT's user_checkaction does; the upsmon
// roles grant LOGIN (both), MASTER and FSD (primary).
func (ss *session) allowed(action string) bool {
	u, ok := ss.userFor()
	if !ok {
		return false
	}
	switch u.Upsmon {
	case "primary", "master":
		if action == "LOGIN" || action == "MASTER" || action == "FSD" {
			return true
		}
	case "secondary", "slave":
		if action == "LOGIN" {
			return true
		}
	}
	return u.Can(action)
}

// deviceFor returns device ups for an action of the session's user (as
// allowed checks it). Without such a device, or the right, it answers
// UNKNOWN-UPS or ACCESS-DENIED (upsd checks in that order) and reports
// false.
func (ss *session) deviceFor(ups, action string) (*device.Device, bool) {
	d, ok := ss.s.store.Get(ups)
	switch {
	case !ok:
		ss.err(nut.ErrUnknownUPS)
	case !ss.allowed(action):
		ss.err(nut.ErrAccessDenied)
	default:
		return d, true
	}
	return nil, false
}

func (ss *session) username(args []string) {
	ss.credential(&ss.user, &ss.hasUser, args[0], nut.ErrAlreadySetUsername)
}

func (ss *session) password(args []string) {
	ss.credential(&ss.pass, &ss.hasPass, args[0], nut.ErrAlreadySetPassword)
}

// credential sets one of the session's credentials (USERNAME, PASSWORD)
// to value; each may be given once, and again is refused with already.
func (ss *session) credential(v *string, given *bool, value string, already nut.Error) {
	if *given {
		ss.err(already)
		return
	}
	*v, *given = value, true
	ss.reply("OK\n")
}

func (ss *session) logout(context.Context, string, []string) bool {
	ss.reply("OK Goodbye\n")
	return true
}

// primary answers PRIMARY and its older name MASTER.
func (ss *session) primary(_ context.Context, name string, args []string) bool {
	if _, ok := ss.deviceFor(args[0], "MASTER"); ok {
		ss.reply("OK " + name + "-GRANTED\n")
	}
	return false
}

func (ss *session) login(args []string) {
	if ss.loginUPS != "" {
		ss.err(nut.ErrAlreadyLoggedIn)
		return
	}
	if _, ok := ss.deviceFor(args[0], "LOGIN"); !ok {
		return
	}
	ss.s.mu.Lock()
	ss.loginUPS = args[0]
	ss.s.mu.Unlock()
	ss.s.log.Info("user logged in", "user", ss.user, "from", ss.addr, "ups", args[0], "tls", ss.tls)
	ss.reply("OK\n")
}

func (ss *session) fsd(args []string) {
	if _, ok := ss.deviceFor(args[0], "FSD"); !ok {
		return
	}
	ss.s.store.SetFSD(args[0])
	ss.s.log.Warn("forced shutdown set", "ups", args[0], "by", ss.user, "from", ss.addr)
	ss.reply("OK FSD-SET\n")
}

func (s *Server) numLogins(ups string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for ss := range s.sessions {
		if ss.loginUPS == ups {
			n++
		}
	}
	return n
}

// Login is a client logged in to a device (NUT's LOGIN, as upsmon does).
type Login struct {
	Addr string // client address
	User string
	UPS  string
	TLS  bool // the connection went through STARTTLS
}

// Logins lists the clients logged in to devices.
func (s *Server) Logins() []Login {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Login
	for ss := range s.sessions {
		if ss.loginUPS != "" {
			out = append(out, Login{Addr: ss.addr, User: ss.user, UPS: ss.loginUPS, TLS: ss.tls})
		}
	}
	return out
}
