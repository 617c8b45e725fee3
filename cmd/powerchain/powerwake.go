package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/monitor"
	"github.com/powerchain/powerchain/powerwake"
)

// powerWakeState is PowerWake's state file: in systemd's StateDirectory
// ($STATE_DIRECTORY, /var/lib/powerchain for powerchain-monitor.service),
// else /var/lib/powerchain where that exists; "" (nothing kept across a
// restart) elsewhere.
func powerWakeState() string {
	if d, _, _ := strings.Cut(os.Getenv("STATE_DIRECTORY"), ":"); d != "" {
		return filepath.Join(d, "powerwake.json")
	}
	if st, err := os.Stat("/var/lib/powerchain"); err == nil && st.IsDir() {
		return "/var/lib/powerchain/powerwake.json"
	}
	return ""
}

// startPowerWake runs PowerWake beside a monitor when upsmon.conf has
// POWERWAKE lines: it follows the monitor's readings of the chain and
// notifies through it; prev (the one before a reload) hands over what it
// knew. The returned function waits until it has stopped with ctx.
func startPowerWake(ctx context.Context, m *monitor.Monitor, cfg *conf.UpsmonConf, prev *powerwake.Waker) (*powerwake.Waker, func()) {
	if len(cfg.PowerWake.Hosts) == 0 {
		return nil, func() {}
	}
	state := powerWakeState()
	if state == "" {
		slog.Warn("PowerWake: no state directory ($STATE_DIRECTORY, /var/lib/powerchain): which hosts are down is not kept across a restart")
	}
	w := powerwake.New(cfg.PowerWake, state, slog.Default())
	if prev != nil {
		w.Keep(prev)
	}
	w.Notify = m.Notifier.Notify
	m.Cycle = w.Observe
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx)
	}()
	return w, func() { <-done }
}
