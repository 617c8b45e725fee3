package server

import (
	"fmt"
	"strings"

	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/nut"
)

// GET and its forms (NUT's netget.c).

// available returns a device's snapshot when its data may be served, or
// sends the error that says why not.
func (ss *session) available(name string) (*device.Snapshot, bool) {
	d, ok := ss.s.store.Get(name)
	if !ok {
		ss.err(nut.ErrUnknownUPS)
		return nil, false
	}
	snap := d.Snapshot()
	if !snap.Connected {
		ss.err(nut.ErrDriverNotConnected)
		return nil, false
	}
	if snap.Stale(ss.now, ss.s.cfg.Load().maxAge()) {
		ss.err(nut.ErrDataStale)
		return nil, false
	}
	return snap, true
}

// variable returns a variable of a device whose data may be served, or
// sends the error that says why not.
func (ss *session) variable(ups, name string) (device.Var, bool) {
	snap, ok := ss.available(ups)
	if !ok {
		return device.Var{}, false
	}
	v, ok := snap.Var(name)
	if !ok {
		ss.err(nut.ErrVarNotSupported)
	}
	return v, ok
}

// served is a variable's value as served: ups.status begins with "FSD "
// when the flag is set.
func (s *Server) served(ups, name, value string) string {
	if name == "ups.status" && s.FSD(ups) {
		return "FSD " + value
	}
	return value
}

func (ss *session) get(args []string) {
	sub := strings.ToUpper(args[0])
	a := args[1:]
	if n, ok := getArgs[sub]; ok && len(a) < n { // NUT ignores words past those it needs
		ss.err(nut.ErrInvalidArgument)
		return
	}
	switch sub {
	case "NUMLOGINS":
		if _, ok := ss.available(a[0]); !ok { // NUT answers only for a device with fresh data
			return
		}
		ss.replyf("NUMLOGINS %s %d\n", a[0], ss.s.numLogins(a[0]))
	case "UPSDESC":
		d, ok := ss.s.store.Get(a[0])
		if !ok {
			ss.err(nut.ErrUnknownUPS)
			return
		}
		desc := d.Snapshot().Desc
		if desc == "" {
			desc = "Unavailable"
		}
		ss.replyf("UPSDESC %s %s\n", a[0], nut.Quote(desc))
	case "VAR":
		if strings.HasPrefix(strings.ToLower(a[1]), "server.") {
			switch strings.ToLower(a[1]) {
			case "server.info":
				ss.replyf("VAR %s server.info %s\n", a[0], nut.Quote(nut.ServerVersion))
			case "server.version":
				ss.replyf("VAR %s server.version \"2.8.0\"\n", a[0])
			default:
				ss.err(nut.ErrVarNotSupported)
			}
			return
		}
		v, ok := ss.variable(a[0], a[1])
		if !ok {
			return
		}
		ss.out = append(ss.out, "VAR "...)
		ss.out = append(ss.out, a[0]...)
		ss.out = append(ss.out, ' ')
		ss.out = append(ss.out, v.Name...)
		ss.out = append(ss.out, ' ')
		ss.out = nut.AppendQuoted(ss.out, ss.s.served(a[0], v.Name, v.Value))
		ss.out = append(ss.out, '\n')
	case "TYPE":
		v, ok := ss.variable(a[0], a[1])
		if !ok {
			return
		}
		ss.replyf("TYPE %s %s%s\n", a[0], a[1], typeWords(v))
	case "DESC":
		if _, ok := ss.available(a[0]); !ok { // NUT answers only for a device with fresh data
			return
		}
		ss.replyf("DESC %s %s %s\n", a[0], a[1], nut.Quote(ss.s.cfg.Load().Descriptions.Var(a[1])))
	case "CMDDESC":
		if _, ok := ss.available(a[0]); !ok { // NUT answers only for a device with fresh data
			return
		}
		ss.replyf("CMDDESC %s %s %s\n", a[0], a[1], nut.Quote(ss.s.cfg.Load().Descriptions.Cmd(a[1])))
	case "TRACKING":
		switch {
		case len(a) == 0 && ss.tracking:
			ss.reply("ON\n")
		case len(a) == 0:
			ss.reply("OFF\n")
		case !ss.tracking:
			ss.err(nut.ErrFeatureNotConfigured)
		default:
			ss.reply(ss.s.tracking.get(a[0], ss.now, ss.s.cfg.Load().trackingDelay()) + "\n")
		}
	default:
		ss.err(nut.ErrInvalidArgument)
	}
}

// Arguments each GET and LIST form takes after its keyword.
var (
	getArgs  = map[string]int{"NUMLOGINS": 1, "UPSDESC": 1, "VAR": 2, "TYPE": 2, "DESC": 2, "CMDDESC": 2}
	listArgs = map[string]int{"UPS": 0, "VAR": 1, "RW": 1, "CMD": 1, "CLIENT": 1, "ENUM": 2, "RANGE": 2}
)

// typeWords is the TYPE reply after the variable name.
func typeWords(v device.Var) string {
	var b strings.Builder
	if v.Flags&device.RW != 0 {
		b.WriteString(" RW")
	}
	if len(v.Enum) > 0 {
		b.WriteString(" ENUM")
	}
	if len(v.Ranges) > 0 {
		b.WriteString(" RANGE")
	}
	if v.Flags&device.String != 0 {
		fmt.Fprintf(&b, " STRING:%d", v.Aux)
	} else {
		b.WriteString(" NUMBER")
	}
	return b.String()
}
