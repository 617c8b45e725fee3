package server

import (
	"fmt"
	"strings"

	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/nut"
)

// LIST and its forms (NUT's netlist.c).

type listVarKey struct{ fsd bool }

func (ss *session) list(args []string) {
	sub := strings.ToUpper(args[0])
	a := args[1:]
	n, ok := listArgs[sub]
	if !ok || len(a) < n { // NUT ignores words past those it needs
		ss.err(nut.ErrInvalidArgument)
		return
	}
	if sub == "UPS" {
		ss.reply("BEGIN LIST UPS\n")
		for _, d := range ss.s.store.Devices() {
			desc := d.Snapshot().Desc
			if desc == "" {
				desc = "Description unavailable" // as NUT's LIST UPS; its GET UPSDESC says "Unavailable"
			}
			ss.out = append(ss.out, "UPS "...)
			ss.out = append(ss.out, d.Name()...)
			ss.out = append(ss.out, ' ')
			ss.out = nut.AppendQuoted(ss.out, desc)
			ss.out = append(ss.out, '\n')
		}
		ss.reply("END LIST UPS\n")
		return
	}
	if sub == "CLIENT" {
		if _, ok := ss.s.store.Get(a[0]); !ok {
			ss.err(nut.ErrUnknownUPS)
			return
		}
		ss.replyf("BEGIN LIST CLIENT %s\n", a[0])
		ss.s.mu.Lock()
		for o := range ss.s.sessions {
			if o.loginUPS == a[0] {
				ss.replyf("CLIENT %s %s\n", a[0], o.addr)
			}
		}
		ss.s.mu.Unlock()
		ss.replyf("END LIST CLIENT %s\n", a[0])
		return
	}
	snap, ok := ss.available(a[0])
	if !ok {
		return
	}
	ups := a[0]
	switch sub {
	case "VAR":
		key := listVarKey{fsd: ss.s.FSD(ups)}
		if b, ok := snap.Cache.Load(key); ok {
			ss.out = append(ss.out, b.([]byte)...)
			return
		}
		var b []byte
		b = fmt.Appendf(b, "BEGIN LIST VAR %s\n", ups)
		for _, v := range snap.Vars {
			b = append(b, "VAR "...)
			b = append(b, ups...)
			b = append(b, ' ')
			b = append(b, v.Name...)
			b = append(b, ' ')
			val := v.Value
			if key.fsd && v.Name == "ups.status" {
				val = "FSD " + val
			}
			b = nut.AppendQuoted(b, val)
			b = append(b, '\n')
		}
		b = fmt.Appendf(b, "END LIST VAR %s\n", ups)
		snap.Cache.Store(key, b)
		ss.out = append(ss.out, b...)
	case "RW":
		ss.replyf("BEGIN LIST RW %s\n", ups)
		for _, v := range snap.Vars {
			if v.Flags&device.RW != 0 {
				ss.replyf("RW %s %s %s\n", ups, v.Name, nut.Quote(v.Value))
			}
		}
		ss.replyf("END LIST RW %s\n", ups)
	case "CMD":
		ss.replyf("BEGIN LIST CMD %s\n", ups)
		for _, c := range snap.Cmds {
			ss.replyf("CMD %s %s\n", ups, c)
		}
		ss.replyf("END LIST CMD %s\n", ups)
	case "ENUM", "RANGE":
		v, ok := snap.Var(a[1])
		if !ok {
			ss.err(nut.ErrVarNotSupported)
			return
		}
		ss.replyf("BEGIN LIST %s %s %s\n", sub, ups, a[1])
		if sub == "ENUM" {
			for _, e := range v.Enum {
				ss.replyf("ENUM %s %s %s\n", ups, a[1], nut.Quote(e))
			}
		} else {
			for _, r := range v.Ranges {
				ss.replyf("RANGE %s %s %s %s\n", ups, a[1], nut.Quote(r.Min), nut.Quote(r.Max))
			}
		}
		ss.replyf("END LIST %s %s %s\n", sub, ups, a[1])
	}
}
