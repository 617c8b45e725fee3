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
