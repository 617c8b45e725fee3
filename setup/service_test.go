package setup

import (
	"os"
	"path/filepath"
	"testing"
)

// What setup tells to run, by what this machine has: the package's units
// under systemd (Debian's NUT disabled first where it is enabled), its
// init scripts without systemd, the command itself elsewhere or for
// another directory than /etc/nut.
func TestStartCommand(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files []string
		dir   string
		want  string
	}{
		{"nothing installed", nil, "/etc/nut", "powerchain serve -c /etc/nut"},
		{"package under systemd", []string{"run/systemd/system/", "lib/systemd/system/powerchain-server.service"}, "/etc/nut",
			"systemctl enable --now powerchain-server powerchain-monitor"},
		{"another directory", []string{"run/systemd/system/", "lib/systemd/system/powerchain-server.service"}, "/srv/nut",
			"powerchain serve -c /srv/nut"},
		{"Debian's NUT enabled", []string{"run/systemd/system/", "lib/systemd/system/powerchain-server.service",
			"etc/systemd/system/nut.target.wants/nut-server.service", "etc/systemd/system/nut.target.wants/nut-monitor.service"}, "/etc/nut",
			"systemctl disable --now nut-server nut-monitor\n  systemctl enable --now powerchain-server powerchain-monitor"},
		{"package without systemd", []string{"lib/systemd/system/powerchain-server.service", "etc/init.d/powerchain-server"}, "/etc/nut",
			"update-rc.d powerchain-server enable && service powerchain-server start\n  update-rc.d powerchain-monitor enable && service powerchain-monitor start"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			for _, f := range tc.files {
				p := filepath.Join(root, f)
				if f[len(f)-1] == '/' {
					os.MkdirAll(p, 0o755)
					continue
				}
				os.MkdirAll(filepath.Dir(p), 0o755)
				os.WriteFile(p, nil, 0o644)
			}
			old := sysRoot
			sysRoot = root
			defer func() { sysRoot = old }()
			if got := startCommand(tc.dir, "powerchain serve -c "+tc.dir, "powerchain-server", "powerchain-monitor"); got != tc.want {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}
