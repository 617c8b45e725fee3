// Package debtest lets a test need programs of a Debian package: a
// missing one skips the test on a developer's machine and fails it in CI
// (CI=true), where .ci/run installs the packages.
package debtest

import (
	"os"
	"testing"
)

// Require skips (or, in CI, fails) the test unless every path exists;
// pkg names the Debian package or packages that install them, as
// apt-get install takes them.
func Require(t testing.TB, pkg string, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is missing: .ci/run must install Debian's %s", p, pkg)
			}
			t.Skipf("%s is missing (apt-get install %s)", p, pkg)
		}
	}
}
