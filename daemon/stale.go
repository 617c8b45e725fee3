package daemon

import (
	"context"
	"time"

	"github.com/powerchain/powerchain/nut"
)

// staleLook is how often watchStale looks at every device.
const staleLook = time.Second

// watchStale logs, as NUT's upsd does, when a device's data turns stale
// (by MAXAGE, or because its driver says so) and when it is fresh again:
// "Data for UPS [NAME] is stale - check driver" and "UPS [NAME] data is no
// longer stale". A device is watched from the first time its data is
// fresh, so a driver still starting is not reported; a driver that is not
// connected is its own driver's to report.
func (d *Daemon) watchStale(ctx context.Context) {
	stale := map[string]bool{} // the devices seen fresh once: stale now?
	t := time.NewTicker(staleLook)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		seen := make(map[string]bool, len(stale))
		for _, dev := range d.store.Devices() {
			name := dev.Name()
			seen[name] = true
			state := d.srv.State(dev)
			now := state == string(nut.ErrDataStale)
			was, watched := stale[name]
			switch {
			case !watched && state == nut.StateOK:
				stale[name] = false
			case watched && now && !was:
				d.log.Warn("Data for UPS ["+name+"] is stale - check driver", "ups", name)
				stale[name] = true
			case watched && !now && was && state == nut.StateOK:
				d.log.Info("UPS ["+name+"] data is no longer stale", "ups", name)
				stale[name] = false
			}
		}
		for name := range stale {
			if !seen[name] {
				delete(stale, name) // removed by a reload
			}
		}
	}
}
