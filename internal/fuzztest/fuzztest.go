// Package fuzztest seeds fuzz targets with the files of the tests' own
// data.
package fuzztest

import (
	"os"
	"path/filepath"
	"testing"
)

// AddFiles adds to f's seed corpus the contents of every file the
// patterns (as filepath.Glob reads them) match.
func AddFiles(f *testing.F, patterns ...string) {
	f.Helper()
	for _, pattern := range patterns {
		paths, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
}
