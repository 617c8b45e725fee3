package server

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/nut"
)

// SET and INSTCMD: requests a driver carries out (NUT's netset.c and
// netinstcmd.c), and TRACKING of their results.

// driverTimeout bounds how long a SET or INSTCMD may wait for a driver.
const driverTimeout = 15 * time.Second

func (ss *session) set(ctx context.Context, args []string) {
	if strings.EqualFold(args[0], "TRACKING") {
		switch strings.ToUpper(args[1]) {
		case "ON":
			ss.tracking = true
		case "OFF":
			ss.tracking = false
		default:
			ss.err(nut.ErrInvalidArgument)
			return
		}
		ss.reply("OK\n")
		return
	}
	if len(args) < 4 || !strings.EqualFold(args[0], "VAR") {
		ss.err(nut.ErrInvalidArgument)
		return
	}
	ups, name, value := args[1], args[2], args[3]
	d, ok := ss.deviceFor(ups, "SET")
	if !ok {
		return
	}
	snap, ok := ss.available(ups)
	if !ok {
		return
	}
	v, ok := snap.Var(name)
	if !ok {
		ss.err(nut.ErrVarNotSupported)
		return
	}
	if v.Flags&device.RW == 0 {
		ss.err(nut.ErrReadonly)
		return
	}
	if v.Flags&device.String != 0 && v.Aux > 0 && len(value) > v.Aux {
		ss.err(nut.ErrTooLong)
		return
	}
	if len(v.Enum) > 0 && !contains(v.Enum, value) {
		ss.err(nut.ErrInvalidValue)
		return
	}
	ss.s.log.Info("set variable", "ups", ups, "var", name, "value", value, "user", ss.user, "from", ss.addr)
	ss.drive(ctx, d, func(ctx context.Context, h device.Handler) error { return h.SetVar(ctx, name, value) }, nut.ErrSetFailed)
}

func (ss *session) instcmd(ctx context.Context, args []string) {
	ups, cmd, param := args[0], args[1], ""
	if len(args) == 3 { // as NUT: a fourth word drops the parameter too
		param = args[2]
	}
	d, ok := ss.s.store.Get(ups)
	if !ok {
		ss.err(nut.ErrUnknownUPS)
		return
	}
	// Bad credentials first (NUT checks them last): a command no device
	// has then tells a client whether its login is good without running
	// anything, which fence_nut's monitor relies on.
	u, pwOK := ss.userFor()
	if !pwOK {
		ss.err(nut.ErrAccessDenied)
		return
	}
	snap, ok := ss.available(ups)
	if !ok {
		return
	}
	if !snap.HasCmd(cmd) {
		ss.err(nut.ErrCmdNotSupported)
		return
	}
	if !u.CanRun(cmd) || d.Explicit(cmd) && !u.Names(cmd) {
		ss.err(nut.ErrAccessDenied)
		return
	}
	if guard := ss.s.cfg.Load().Guard; guard != nil {
		if err := guard(ctx, ups, cmd); err != nil {
			ss.s.log.Warn("instant command refused", "ups", ups, "cmd", cmd, "user", ss.user, "from", ss.addr, "why", err)
			ss.err(nut.ErrInstCmdFailed)
			return
		}
	}
	ss.s.log.Info("instant command", "ups", ups, "cmd", cmd, "param", param, "user", ss.user, "from", ss.addr)
	ss.drive(ctx, d, func(ctx context.Context, h device.Handler) error { return h.InstCmd(ctx, cmd, param) }, nut.ErrInstCmdFailed)
}

// drive hands a write to the device's driver and answers OK, OK TRACKING
// id, or the error (failure code when the driver says no).
func (ss *session) drive(ctx context.Context, d *device.Device, fn func(context.Context, device.Handler) error, fail nut.Error) {
	h := d.Handler()
	if h == nil {
		ss.err(nut.ErrDriverNotConnected)
		return
	}
	run := func() error {
		cctx, cancel := context.WithTimeout(ctx, driverTimeout)
		defer cancel()
		return fn(cctx, h)
	}
	defer func() { ss.now = time.Now() }() // the driver may have taken seconds
	if ss.tracking {
		id := ss.s.tracking.add(ss.now, ss.s.cfg.Load().trackingDelay())
		go func() {
			res := "SUCCESS"
			if err := run(); err != nil {
				switch {
				case errors.Is(err, nut.ErrInvalidArgument):
					res = "ERR INVALID-ARGUMENT"
				case errors.Is(err, device.ErrCmdUnhandled), errors.Is(err, nut.ErrCmdNotSupported):
					res = "ERR UNKNOWN" // NUT's STAT_UNKNOWN
				default:
					res = "ERR FAILED"
				}
			}
			ss.s.tracking.set(id, res)
		}()
		ss.replyf("OK TRACKING %s\n", id)
		return
	}
	if err := run(); err != nil {
		ss.s.log.Warn("driver refused", "ups", d.Name(), "err", err)
		var ne nut.Error
		if errors.As(err, &ne) {
			ss.err(ne)
		} else {
			ss.err(fail)
		}
		return
	}
	ss.reply("OK\n")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
