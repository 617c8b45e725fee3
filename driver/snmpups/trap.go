package snmpups

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"sync/atomic"

	"github.com/powerchain/powerchain/driver"
	"github.com/powerchain/powerchain/mib"
	"github.com/powerchain/powerchain/snmptrap"
)

// TrapKey is powerchain's ups.conf key for a section that receives its
// agent's traps on an address of its own: "PORT" (every address) or
// "ADDRESS:PORT". Without it the section's traps come through serve's
// shared listener, where upsd.conf's POWERCHAIN_TRAPS has one. NUT's
// snmp-ups refuses a key it does not know: a section with this one runs
// in powerchain only.
const TrapKey = "powerchain_traps"

// traps is how the driver hears its agent's traps: a trap wakes the
// driver loop for a poll of what the trap's table says (status, or
// everything), whatever the intervals.
type traps struct {
	listen string // TrapKey's address; "" for serve's listener
	own    *snmptrap.Listener
	remove func()
	failed string      // the last setup failure logged
	heard  atomic.Bool // a trap came since the driver started
}

// parseTraps reads TrapKey.
func parseTraps(cfg driver.Config) (string, error) {
	v, ok := cfg.Get(TrapKey)
	if !ok {
		return "", nil
	}
	if n, err := strconv.ParseUint(v, 10, 16); err == nil && n > 0 {
		return net.JoinHostPort("", v), nil
	}
	host, port, err := net.SplitHostPort(v)
	if n, perr := strconv.ParseUint(port, 10, 16); err != nil || perr != nil || n == 0 {
		return "", driver.BadOption(TrapKey, fmt.Errorf("snmp-ups: %s %q: want a port, or address:port", TrapKey, v))
	}
	return net.JoinHostPort(host, port), nil
}

// startTraps adds the agent to the section's own listener or to serve's
// (the one ctx carries); without either the driver polls only. A
// failure is logged (once while it repeats) and leaves polling as it is.
func (d *Driver) startTraps(ctx context.Context) {
	l := snmptrap.FromContext(ctx)
	if d.traps.listen == "" && l == nil {
		return
	}
	err := func() error {
		addrs, err := snmptrap.Resolve(ctx, d.opts.Host)
		if err != nil {
			return err
		}
		if d.traps.listen != "" {
			if l, err = snmptrap.Listen(ctx, []string{d.traps.listen}, d.log); err != nil {
				return err
			}
			d.traps.own = l
		}
		d.traps.remove, err = l.Add(snmptrap.Agent{Name: d.name, Addrs: addrs, Version: d.opts.Version,
			Community: d.opts.Community, V3: d.opts.V3, Wake: d.trapped})
		return err
	}()
	if err != nil {
		d.stopTraps()
		if msg := err.Error(); msg != d.traps.failed {
			d.log.Warn("not receiving the agent's SNMP traps; polling only", "err", err)
			d.traps.failed = msg
		}
		return
	}
	d.traps.failed = ""
}

// stopTraps ends what startTraps began.
func (d *Driver) stopTraps() {
	if d.traps.remove != nil {
		d.traps.remove()
		d.traps.remove = nil
	}
	if d.traps.own != nil {
		d.traps.own.Close()
		d.traps.own = nil
	}
}

// trapped wakes the driver loop for the poll the trap asks for; on the
// listener's goroutine, so it never blocks. A Status poll waiting to run
// gives way to a Full one.
func (d *Driver) trapped(t snmptrap.Trap) {
	class := driver.Status
	if t.Read == mib.ReadAll {
		class = driver.Full
	}
	if !d.traps.heard.Swap(true) {
		d.log.Info("the agent's SNMP traps arrive; each wakes a read", "trap", t.Name(), "version", "v"+t.Version.String())
	} else {
		d.log.Debug("SNMP trap", "trap", t.Name())
	}
	d.wake.Ask(class)
}
