// Package demo holds the example rack of powerchain's design as embedded
// NUT configuration and simulation files: two UPS (one of which goes
// through an outage and back), two switched PDUs, and three servers with
// two power supplies each, every device with its place in the power chain.
package demo

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

//go:embed rack
var rack embed.FS

// Files returns the rack's files (ups.conf, upsd.conf, …, *.dev, *.seq).
func Files() fs.FS {
	sub, err := fs.Sub(rack, "rack")
	if err != nil {
		panic(err)
	}
	return sub
}

// WriteTo writes the rack's files into dir (made if missing), with
// passwords files and upsd.conf 0640 (NUT's upsd and serve warn about a
// world-readable upsd.conf).
func WriteTo(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return fs.WalkDir(Files(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(Files(), path)
		if err != nil {
			return err
		}
		mode := os.FileMode(0o644)
		if path == "upsd.users" || path == "upsmon.conf" || path == "upsd.conf" {
			mode = 0o640
		}
		if err := os.WriteFile(filepath.Join(dir, path), b, mode); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		return nil
	})
}

// OnLine is a steady UPS's state for WriteSteadyTo: on line power with
// a full battery.
const OnLine = "device.type: ups\nups.status: OL\nbattery.charge: 100\n"

// WriteSteadyTo writes the rack's files into dir as WriteTo does, with
// its two UPSes steady: each serves upsState (dummy-ups's "variable:
// value" lines) from a .dev file instead of playing the recorded outage,
// so that what a test sets on them stays.
func WriteSteadyTo(dir, upsState string) error {
	if err := WriteTo(dir); err != nil {
		return err
	}
	for _, u := range []string{"ups1", "ups2"} {
		if err := os.WriteFile(filepath.Join(dir, u+".dev"), []byte(upsState), 0o644); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	p := filepath.Join(dir, "ups.conf")
	b, err := os.ReadFile(p)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	b = []byte(strings.NewReplacer("ups1.seq", "ups1.dev", "ups2.seq", "ups2.dev").Replace(string(b)))
	if err := os.WriteFile(p, b, 0o644); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}
