package setup

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/powerchain/powerchain/conf"
)

// sysRoot is where this machine's files are ("/"; tests point it at a
// tree of their own).
var sysRoot = "/"

func exists(path string) bool {
	_, err := os.Stat(filepath.Join(sysRoot, path))
	return err == nil
}

// startCommand is what starts powerchain's services (powerchain-server,
// powerchain-monitor) on this machine once dir holds the configuration:
// where the Debian package is installed and dir is its /etc/nut, systemd's
// units (and first, where Debian's NUT services of the same jobs are
// enabled, their disabling: both serve port 3493, both shut the host
// down) or, without systemd, the package's init scripts; else manual, the
// command itself. Several commands are joined by a newline and two
// spaces, as setup prints them.
func startCommand(dir, manual string, services ...string) string {
	if filepath.Clean(dir) != conf.DefaultDir {
		return manual
	}
	var lines []string
	switch {
	case exists("run/systemd/system") && (exists("lib/systemd/system/"+services[0]+".service") ||
		exists("usr/lib/systemd/system/"+services[0]+".service")):
		var nut []string
		for _, s := range services {
			if n := nutService[s]; n != "" && nutEnabled(n) {
				nut = append(nut, n)
			}
		}
		if len(nut) > 0 {
			lines = append(lines, "systemctl disable --now "+strings.Join(nut, " "))
		}
		lines = append(lines, "systemctl enable --now "+strings.Join(services, " "))
	case exists("etc/init.d/" + services[0]):
		for _, s := range services {
			lines = append(lines, "update-rc.d "+s+" enable && service "+s+" start")
		}
	default:
		return manual
	}
	return strings.Join(lines, "\n  ")
}

// nutService is Debian NUT's unit that does a powerchain service's job.
var nutService = map[string]string{"powerchain-server": "nut-server", "powerchain-monitor": "nut-monitor"}

// nutEnabled reports whether a unit of Debian's NUT is enabled (linked
// into a target's wants in /etc/systemd/system).
func nutEnabled(unit string) bool {
	links, _ := filepath.Glob(filepath.Join(sysRoot, "etc/systemd/system/*.wants", unit+".service"))
	return len(links) > 0
}
