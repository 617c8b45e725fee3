package main

import (
	"context"
	"log/slog"
	"time"

	sd "github.com/coreos/go-systemd/v22/daemon"
)

// A service is a long-running command under a service manager: systemd's
// Type=notify readiness and reload protocol, and its watchdog, over the
// datagram socket in $NOTIFY_SOCKET. Without that variable (a terminal,
// sysvinit) every call does nothing.
type service struct {
	// healthy, when set, says whether the service still does its work;
	// the watchdog is fed only while it returns true.
	healthy func() bool
}

// notify sends one state message to the service manager.
func (s *service) notify(state string) {
	if _, err := sd.SdNotify(false, state); err != nil {
		slog.Debug("sd_notify", "state", state, "err", err)
	}
}

// ready tells that start-up or a reload is done; status is shown by
// systemctl status.
func (s *service) ready(status string) {
	s.notify(sd.SdNotifyReady + "\nSTATUS=" + status)
}

// reloading tells that the configuration is being read again; ready
// follows.
func (s *service) reloading() {
	s.notify(sd.SdNotifyReloading + "\n" + sd.SdNotifyMonotonicUsec())
}

// stopping tells that the service is going down.
func (s *service) stopping() { s.notify(sd.SdNotifyStopping) }

// watchdogEvery is how often to feed the watchdog: half the interval the
// manager asked for (WatchdogSec), or 0 when it asked for none.
func watchdogEvery() time.Duration {
	d, err := sd.SdWatchdogEnabled(false)
	if err != nil {
		slog.Warn("watchdog", "err", err)
	}
	return d / 2
}

// watchdog feeds the manager's watchdog until ctx ends, each time the
// service is healthy; the manager restarts a service it stops hearing.
func (s *service) watchdog(ctx context.Context) {
	every := watchdogEvery()
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if s.healthy == nil || s.healthy() {
				s.notify(sd.SdNotifyWatchdog)
			} else {
				slog.Warn("not feeding the watchdog: the service is not doing its work")
			}
		}
	}
}
