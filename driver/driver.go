// Package driver runs the drivers that feed devices: a registry of driver
// factories by name (as ups.conf's "driver =" names them), NUT's common
// driver behaviour (device.type, driver.*, override.* and default.*
// settings, device.parent), and the one loop that connects every driver,
// polls it on its schedule, retries with backoff, marks its data stale
// after failed polls and logs (poll.go). A driver only knows its device:
// how to connect to it and how to read it.
package driver

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/device"
)

// Config is what a driver is given: its ups.conf section.
type Config struct {
	Name     string
	Driver   string
	Port     string
	Desc     string
	Parent   string            // power-chain parent, "" when none
	Settings map[string]string // every key of the section, as written
	ConfDir  string            // for relative paths (dummy-ups .dev files)
}

// Get returns a setting and whether it is set.
func (c Config) Get(key string) (string, bool) {
	v, ok := c.Settings[key]
	return v, ok
}

// Factory makes a driver for a device configuration, or says why not
// (an *OptionError for a setting it refuses). A factory only reads the
// section: it opens nothing (files, devices and sockets are Connect's,
// so that what is not there yet is retried), so it may be called to check
// a configuration ("powerchain conf validate").
type Factory func(cfg Config) (Driver, error)

// OptionError is a setting of a device's ups.conf section that its
// driver refuses: the key as ups.conf spells it ("port" for the port)
// and why. Error is the reason's text alone.
type OptionError struct {
	Key string
	Err error
}

func (e *OptionError) Error() string { return e.Err.Error() }

// Unwrap returns the reason.
func (e *OptionError) Unwrap() error { return e.Err }

// BadOption says that a driver refuses the setting key, and why.
func BadOption(key string, err error) error { return &OptionError{Key: key, Err: err} }

var (
	regMu    sync.RWMutex
	registry = map[string]Factory{}
)

// Register makes a driver available under a name; drivers call it from
// init().
func Register(name string, f Factory) {
	regMu.Lock()
	defer regMu.Unlock()
	if _, dup := registry[name]; dup {
		panic("driver: Register called twice for " + name)
	}
	registry[name] = f
}

// Lookup returns the factory of a driver name.
func Lookup(name string) (Factory, bool) {
	regMu.RLock()
	defer regMu.RUnlock()
	f, ok := registry[name]
	return f, ok
}

// Names lists the registered drivers.
func Names() []string {
	regMu.RLock()
	defer regMu.RUnlock()
	var n []string
	for k := range registry {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// New makes the driver a device's section names, with its settings
// read and checked, but not connected: what Run runs, and what a check of
// the configuration calls.
func New(cfg Config) (Driver, error) {
	f, ok := Lookup(cfg.Driver)
	if !ok {
		return nil, fmt.Errorf("unknown driver %q (known: %s)", cfg.Driver, strings.Join(Names(), ", "))
	}
	return f(cfg)
}

// Prepare sets what every NUT driver publishes before the driver itself
// runs: device.type, driver.name, driver.parameter.*, override.* (fixed)
// and default.* values, and device.parent.
func Prepare(cfg Config, dev *device.Device) {
	dev.SetDesc(cfg.Desc)
	dev.Update(func(tx *device.Tx) {
		tx.Set("device.type", "ups")
		tx.Set("driver.name", cfg.Driver)
		tx.Set("driver.version", "powerchain")
		for k, v := range cfg.Settings {
			switch {
			case strings.HasPrefix(k, "override."):
				tx.SetImmutable(strings.TrimPrefix(k, "override."), v)
			case strings.HasPrefix(k, "default."):
				tx.Set(strings.TrimPrefix(k, "default."), v)
			case k == "driver" || k == "desc" || k == "parent" || conf.DriverParameterHidden(k):
			default:
				tx.Set("driver.parameter."+k, v)
			}
		}
		if cfg.Parent != "" {
			tx.SetImmutable("device.parent", cfg.Parent)
		}
	})
}

// Run prepares the device and runs its driver until ctx ends: connects
// it, polls it on its schedule, marks the device stale after failed polls
// and not connected while the driver is down, and connects again after
// retry, twice as long after each failure in a row (up to MaxBackoff).
func Run(ctx context.Context, cfg Config, dev *device.Device, retry time.Duration) error {
	drv, err := New(cfg)
	if err != nil {
		return fmt.Errorf("[%s]: %w", cfg.Name, err)
	}
	Prepare(cfg, dev)
	Loop(ctx, drv, dev, retry, slog.With("device", cfg.Name, "driver", cfg.Driver))
	return nil
}
