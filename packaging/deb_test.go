// Package packaging holds the test of powerchain's Debian package (make
// deb): its contents, lintian, the systemd units, and an install, removal
// and purge with dpkg in a copy of this machine that vanishes afterwards
// (a private mount namespace with an overlay over /), so that the
// machine, Debian's NUT packages included, stays as it was.
package packaging

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/powerchain/powerchain/internal/netnstest"
	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/internal/waittest"
)

// buildDeb runs make deb into a temporary directory.
func buildDeb(t *testing.T) string {
	t.Helper()
	out := t.TempDir()
	cmd := exec.Command("make", "--no-print-directory", "-C", "..", "deb", "DEB_OUT="+out)
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make deb: %v\n%s", err, b)
	}
	debs, _ := filepath.Glob(filepath.Join(out, "powerchain_*.deb"))
	if len(debs) != 1 {
		t.Fatalf("make deb wrote %v", debs)
	}
	return debs[0]
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	b, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, b)
	}
	return string(b)
}

func TestDebianPackage(t *testing.T) {
	// Root: dpkg in a private copy of /.
	netnstest.Need(t, "/usr/bin/make", "/usr/bin/dpkg", "/usr/bin/dpkg-deb", "/usr/bin/lintian",
		"/usr/bin/unshare", "/usr/bin/nsenter", "/usr/bin/systemd-analyze", "/usr/bin/upsc")
	deb := buildDeb(t)
	t.Run("contents", func(t *testing.T) { checkContents(t, deb) })
	t.Run("lintian", func(t *testing.T) {
		// Every tag, informational and pedantic ones included, fails;
		// the overrides are packaging/debian/lintian-overrides.
		cmd := exec.Command("lintian", "-I", "-E", "--pedantic", "--show-overrides", "--tag-display-limit", "0",
			"--fail-on", "error,warning,info,pedantic,experimental", deb)
		out, err := cmd.CombinedOutput()
		var tags []string
		for _, l := range strings.Split(string(out), "\n") {
			switch {
			case l == "" || strings.Contains(l, "root privileges"):
			case strings.HasPrefix(l, "O: ") || strings.HasPrefix(l, "N:"):
				t.Logf("lintian: %s", l) // overridden (with the override's comment)
			case strings.Contains(l, "-override spelling-error-in-binary "):
				// A build whose bytes happen to read as no misspelt word
				// leaves that override unused (see the overrides file).
				t.Logf("lintian: %s", l)
			default:
				tags = append(tags, l)
			}
		}
		// Exit status 2 is tags found, overridden ones included (shown
		// above); anything else is lintian failing.
		if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 2) || len(tags) > 0 {
			t.Errorf("lintian: %v\n%s", err, strings.Join(tags, "\n"))
		}
	})
	t.Run("install", func(t *testing.T) { checkInstall(t, deb) })
	t.Run("story", func(t *testing.T) { checkStory(t, deb) })
}

// checkContents reads the package: the binary alone in /usr/bin, NUT's
// names in /usr/lib/powerchain, the fence agents in /usr/sbin, a man page
// for every command, completions, units and init scripts, examples, and
// nothing in /etc/nut.
func checkContents(t *testing.T, deb string) {
	listing := run(t, "dpkg-deb", "-c", deb)
	files := map[string]string{} // path → link target ("" for others)
	for _, l := range strings.Split(strings.TrimSpace(listing), "\n") {
		f := strings.Fields(l)
		if len(f) < 6 {
			t.Fatalf("dpkg-deb -c: %q", l)
		}
		path := strings.TrimPrefix(f[5], ".")
		target := ""
		if len(f) == 8 && f[6] == "->" {
			target = f[7]
		}
		files[path] = target
	}
	dir := t.TempDir()
	run(t, "dpkg-deb", "-x", deb, dir)
	bin := filepath.Join(dir, "usr/bin/powerchain")

	for path := range files {
		switch {
		case strings.HasPrefix(path, "/etc/nut"):
			t.Errorf("%s: the package must not ship anything in /etc/nut", path)
		case strings.HasPrefix(path, "/usr/bin/") && path != "/usr/bin/" && path != "/usr/bin/powerchain":
			t.Errorf("%s: only powerchain goes to /usr/bin (Debian's NUT owns its names)", path)
		}
	}
	names := strings.Fields(run(t, bin, "gendocs", "--names"))
	for _, n := range names {
		want, link := "/usr/lib/powerchain/"+n, "../../bin/powerchain"
		if strings.HasPrefix(n, "fence_") {
			want, link = "/usr/sbin/"+n, "../bin/powerchain"
		}
		if got, ok := files[want]; !ok || got != link {
			t.Errorf("%s: want a link to %s, have %q (present %v)", want, link, got, ok)
		}
	}
	// A man page for every command the binary has, from its own help.
	gen := t.TempDir()
	run(t, bin, "gendocs", gen)
	pages, _ := filepath.Glob(filepath.Join(gen, "man*", "*"))
	if len(pages) < 30 {
		t.Errorf("gendocs wrote %d man pages", len(pages))
	}
	for _, p := range pages {
		rel := "/usr/share/man/" + filepath.Base(filepath.Dir(p)) + "/" + filepath.Base(p) + ".gz"
		if _, ok := files[rel]; !ok {
			t.Errorf("%s missing", rel)
		}
	}
	for _, want := range []string{
		"/usr/share/man/man1/powerchain.1.gz", "/usr/share/man/man1/powerchain-serve.1.gz",
		"/usr/share/man/man1/powerchain-upsmon.1.gz", "/usr/share/man/man8/fence_nut.8.gz",
		"/usr/share/man/man8/fence_snmp_pdu.8.gz",
		"/usr/share/bash-completion/completions/powerchain", "/usr/share/zsh/vendor-completions/_powerchain",
		"/usr/share/fish/vendor_completions.d/powerchain.fish",
		"/lib/systemd/system/powerchain-server.service", "/lib/systemd/system/powerchain-monitor.service",
		"/lib/systemd/system/powerchain-console.service", "/lib/systemd/system/powerchain.target",
		"/etc/init.d/powerchain-server", "/etc/init.d/powerchain-monitor", "/etc/init.d/powerchain-console",
		"/usr/share/polkit-1/rules.d/50-powerchain.rules", "/lib/udev/rules.d/62-powerchain-usbups.rules",
		"/usr/share/doc/powerchain/copyright", "/usr/share/doc/powerchain/changelog.gz",
		"/usr/share/doc/powerchain/README.md.gz",
		"/usr/share/doc/powerchain/examples/ups.conf", "/usr/share/doc/powerchain/examples/upsmon.conf",
		"/usr/share/doc/powerchain/examples/systemd/README",
		"/usr/share/doc/powerchain/examples/systemd/powerchain-server.service.d/nut-names.conf",
		"/usr/share/doc/powerchain/examples/systemd/powerchain-monitor.service.d/nut-names.conf",
		"/usr/share/doc/powerchain/examples/systemd/powerchain.target.d/nut-names.conf",
		"/usr/share/lintian/overrides/powerchain",
	} {
		if _, ok := files[want]; !ok {
			t.Errorf("%s missing", want)
		}
	}
	conffiles, err := os.ReadFile(filepath.Join(extractControl(t, deb), "conffiles"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Fields(string(conffiles)), []string{"/etc/init.d/powerchain-console",
		"/etc/init.d/powerchain-monitor", "/etc/init.d/powerchain-server"}; !equalSorted(got, want) {
		t.Errorf("conffiles %v, want %v", got, want)
	}
	// The example configuration is valid as it stands.
	ex := t.TempDir()
	examples, _ := filepath.Glob(filepath.Join(dir, "usr/share/doc/powerchain/examples/*"))
	for _, f := range examples {
		if fi, err := os.Stat(f); err != nil || !fi.Mode().IsRegular() {
			continue
		}
		b, _ := os.ReadFile(f)
		os.WriteFile(filepath.Join(ex, filepath.Base(f)), b, 0o640)
	}
	if out, err := exec.Command(bin, "conf", "validate", "-c", ex).CombinedOutput(); err != nil ||
		!strings.Contains(string(out), "0 errors, 0 warnings") {
		t.Errorf("examples: conf validate: %v\n%s", err, out)
	}
}

func extractControl(t *testing.T, deb string) string {
	dir := t.TempDir()
	run(t, "dpkg-deb", "-e", deb, dir)
	return dir
}

func equalSorted(a, b []string) bool {
	a, b = append([]string(nil), a...), append([]string(nil), b...)
	sort.Strings(a)
	sort.Strings(b)
	return strings.Join(a, "\n") == strings.Join(b, "\n")
}

// copyOfRoot is this machine's / seen through an overlay in a private
// mount namespace: what is written goes to a tmpfs that disappears with
// the namespace.
type copyOfRoot struct {
	t      *testing.T
	holder *exec.Cmd // keeps the namespace alive
	base   string    // tmpfs: u (upper), w (work), m (the merged root)
}

func newCopyOfRoot(t *testing.T) *copyOfRoot {
	t.Helper()
	c := &copyOfRoot{t: t, base: t.TempDir()}
	// The holder lives at most an hour; it is killed at the end.
	c.holder = exec.Command("unshare", "--mount", "--propagation", "private", "sleep", "3600")
	if err := c.holder.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c.holder.Process.Kill()
		c.holder.Wait()
	})
	// The namespace exists once unshare has exec'd sleep.
	for i := 0; ; i++ {
		self, _ := os.Readlink("/proc/self/ns/mnt")
		ns, _ := os.Readlink(fmt.Sprintf("/proc/%d/ns/mnt", c.holder.Process.Pid))
		exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", c.holder.Process.Pid))
		if ns != "" && ns != self && strings.HasSuffix(exe, "/sleep") {
			break
		}
		if i == 1000 {
			t.Fatal("unshare did not make a mount namespace")
		}
		exec.Command("sleep", "0.01").Run()
	}
	b := c.base
	c.ns(fmt.Sprintf(`set -e
mount -t tmpfs tmpfs %[1]s
mkdir %[1]s/u %[1]s/w %[1]s/m
mount -t overlay overlay -o lowerdir=/,upperdir=%[1]s/u,workdir=%[1]s/w %[1]s/m
mount -t proc proc %[1]s/m/proc
mount --rbind /dev %[1]s/m/dev
mount -t tmpfs tmpfs %[1]s/m/run
mount -t tmpfs tmpfs %[1]s/m/tmp`, b))
	return c
}

// ns runs a shell script in the namespace, outside the copy.
func (c *copyOfRoot) ns(script string) string {
	c.t.Helper()
	cmd := exec.Command("nsenter", "--target", strconv.Itoa(c.holder.Process.Pid), "--mount", "sh", "-c", script)
	out, err := cmd.CombinedOutput()
	if err != nil {
		c.t.Fatalf("%s: %v\n%s", script, err, out)
	}
	return string(out)
}

// sh runs a shell script in the copy (chrooted); it fails the test when
// the script fails, unless ok says the exit status is fine.
func (c *copyOfRoot) sh(script string, ok ...int) (string, int) {
	c.t.Helper()
	cmd := exec.Command("nsenter", "--target", strconv.Itoa(c.holder.Process.Pid), "--mount",
		"chroot", c.base+"/m", "/bin/sh", "-c", script)
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "DEBIAN_FRONTEND=noninteractive", "LC_ALL=C.UTF-8", "HOME=/root"}
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, isExit := err.(*exec.ExitError); isExit {
		code = ee.ExitCode()
	} else if err != nil {
		c.t.Fatalf("%s: %v", script, err)
	}
	if code != 0 && !contains(ok, code) {
		c.t.Fatalf("%s: exit %d\n%s", script, code, out)
	}
	return string(out), code
}

func contains(list []int, n int) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}

// put copies a file into the copy.
func (c *copyOfRoot) put(src, dst string) {
	c.t.Helper()
	c.ns(fmt.Sprintf("cp %q %q", src, c.base+"/m"+dst))
}

// changes lists what differs from the machine's /: files written (with
// "W "), removed ("D ", overlay whiteouts) and directories made ("d ").
func (c *copyOfRoot) changes() []string {
	c.t.Helper()
	out := c.ns(fmt.Sprintf(`cd %s/u && find . -mindepth 1 \( -type c -printf 'D %%P\n' \) -o \( -type d -printf 'd %%P\n' \) -o -printf 'W %%P\n'`, c.base))
	var list []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		list = append(list, sc.Text())
	}
	sort.Strings(list)
	return list
}

var exposure = regexp.MustCompile(`Overall exposure level for (\S+): ([0-9.]+) (\S+)`)

// checkInstall installs the package beside Debian's NUT, checks what is
// in place and what runs, removes and purges it, and checks that nothing
// of it is left and nothing else changed.
func checkInstall(t *testing.T, deb string) {
	c := newCopyOfRoot(t)
	// Services are not started in the copy (Debian's build chroots do the
	// same); the package starts none on install anyway.
	_, has := c.sh(`test -e /usr/sbin/policy-rc.d`, 1)
	if has != 0 {
		c.sh(`printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 0755 /usr/sbin/policy-rc.d`)
	}
	etcNut, _ := c.sh(`cd /etc/nut && find . -type f -exec sha256sum {} + | sort`)
	// What dpkg finds changed in Debian's NUT before (conffiles the
	// machine's tests edited, say): the same afterwards.
	nutVerify, _ := c.sh(`dpkg --verify nut-client nut-server nut-snmp nut-ipmi nut-xml libupsclient6 libnutscan2 2>&1`, 1)
	before := c.changes()
	c.put(deb, "/tmp/powerchain.deb")

	out, _ := c.sh(`dpkg -i /tmp/powerchain.deb`)
	t.Logf("dpkg -i:\n%s", out)
	if out, _ := c.sh(`dpkg --audit`); out != "" {
		t.Errorf("dpkg --audit after install:\n%s", out)
	}
	for _, p := range []string{"nut-client", "nut-server", "powerchain"} {
		if out, _ := c.sh(`dpkg-query -W -f='${Status}' ` + p); out != "install ok installed" {
			t.Errorf("%s: %q after installing powerchain", p, out)
		}
	}
	c.sh(`test -x /usr/bin/powerchain && test -x /usr/sbin/fence_nut && test -x /usr/lib/powerchain/upsc`)
	c.sh(`/usr/bin/powerchain --version && /usr/lib/powerchain/upsc -V >/dev/null`)
	// Debian's NUT keeps its programs.
	if out, _ := c.sh(`readlink -f /usr/bin/upsc; dpkg -S /bin/upsc`); !strings.Contains(out, "nut-client") {
		t.Errorf("Debian's upsc is no longer nut-client's:\n%s", out)
	}
	c.sh(`fence_nut -o metadata | grep -q '<resource-agent name="fence_nut"'`)
	c.sh(`man -w powerchain-serve fence_nut >/dev/null`)
	c.sh(`getent passwd nut >/dev/null`)
	// The USB UPSes, their hidraw nodes too, go to the group the services
	// run as; Debian nut-server's rules stay beside them.
	c.sh(`grep -qx 'SUBSYSTEM=="hidraw", ATTRS{idVendor}=="051d", ATTRS{idProduct}=="0002", MODE="0660", GROUP="nut"' /lib/udev/rules.d/62-powerchain-usbups.rules`)
	c.sh(`test -f /lib/udev/rules.d/62-nut-usbups.rules`)
	if out, _ := c.sh(`cd /etc/nut && find . -type f -exec sha256sum {} + | sort`); out != etcNut {
		t.Errorf("/etc/nut changed by the install:\n%s\nwas\n%s", out, etcNut)
	}
	// Registered, neither enabled nor started: they need a configuration
	// first (powerchain setup), then systemctl enable --now.
	if out, _ := c.sh(`ls /etc/systemd/system/*.wants/ 2>/dev/null | grep powerchain || true`); out != "" {
		t.Errorf("units enabled by the install:\n%s", out)
	}
	if out, _ := c.sh(`ls /etc/rc2.d/ | grep powerchain`); !strings.Contains(out, "K01powerchain-server") {
		t.Errorf("init scripts not registered (disabled) in rc2.d:\n%s", out)
	}
	if out, code := c.sh(`/etc/init.d/powerchain-server status`, 3); code != 3 {
		t.Errorf("init script status: exit %d, want 3 (not running)\n%s", code, out)
	}

	// The units as installed: systemd-analyze verify, and the exposure
	// systemd-analyze security gives each (logged for the record).
	units := "/lib/systemd/system/powerchain-server.service /lib/systemd/system/powerchain-monitor.service " +
		"/lib/systemd/system/powerchain-console.service /lib/systemd/system/powerchain.target"
	if out, _ := c.sh(`systemd-analyze verify --man=no ` + units + ` 2>&1`); strings.TrimSpace(out) != "" {
		t.Errorf("systemd-analyze verify:\n%s", out)
	}
	for _, u := range strings.Fields(units)[:3] {
		out, _ := c.sh(`systemd-analyze security --offline=true --no-pager ` + u)
		m := exposure.FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("systemd-analyze security %s:\n%s", u, out)
		}
		t.Logf("systemd-analyze security %s: %s %s", m[1], m[2], m[3])
		if score, _ := strconv.ParseFloat(m[2], 64); score > 2.0 {
			t.Errorf("%s: exposure %s, more than 2.0\n%s", m[1], m[2], out)
		}
	}

	checkEnable(t, c)
	checkInitScript(t, c)

	// Removal: the files go, the init scripts (conffiles) stay.
	c.sh(`dpkg -r powerchain`)
	c.sh(`test ! -e /usr/bin/powerchain && test ! -e /usr/lib/powerchain && test ! -e /usr/sbin/fence_nut`)
	c.sh(`test -e /etc/init.d/powerchain-server`)
	if out, _ := c.sh(`dpkg-query -W -f='${Status}' powerchain`); out != "deinstall ok config-files" {
		t.Errorf("after dpkg -r: %q", out)
	}
	// Purge: nothing left.
	c.sh(`dpkg -P powerchain`)
	if out, _ := c.sh(`dpkg-query -W powerchain 2>&1`, 1); !strings.Contains(out, "no packages found") {
		t.Errorf("after dpkg -P: %q", out)
	}
	if has != 0 {
		c.sh(`rm /usr/sbin/policy-rc.d`)
	}
	left, _ := c.sh(`find /etc /lib /usr /var /run -xdev -name '*powerchain*' 2>/dev/null || true`)
	if strings.TrimSpace(left) != "" {
		t.Errorf("left after purge:\n%s", left)
	}
	if out, _ := c.sh(`cd /etc/nut && find . -type f -exec sha256sum {} + | sort`); out != etcNut {
		t.Errorf("/etc/nut changed:\n%s", out)
	}
	// Debian's NUT is whole: installed, and every file of its packages as
	// the packages have them.
	for _, p := range []string{"nut-client", "nut-server", "nut-snmp", "nut-ipmi", "nut-xml"} {
		if out, _ := c.sh(`dpkg-query -W -f='${Status}' ` + p); out != "install ok installed" {
			t.Errorf("%s: %q after the purge", p, out)
		}
	}
	if out, _ := c.sh(`dpkg --verify nut-client nut-server nut-snmp nut-ipmi nut-xml libupsclient6 libnutscan2 2>&1`, 1); strings.TrimSpace(out) != strings.TrimSpace(nutVerify) {
		t.Errorf("dpkg --verify of Debian's NUT after the purge:\n%s\nbefore:\n%s", out, nutVerify)
	}
	// The copy differs from the machine only in dpkg's records of what it
	// did (and the man page index its trigger rebuilt); nothing of the
	// machine was removed.
	was := map[string]bool{}
	for _, l := range before {
		was[l] = true
	}
	var unexpected []string
	for _, l := range c.changes() {
		if was[l] || strings.HasPrefix(l, "d ") {
			continue
		}
		p := l[2:]
		if strings.HasPrefix(l, "W ") && (strings.HasPrefix(p, "var/lib/dpkg/") || strings.HasPrefix(p, "var/log/") ||
			strings.HasPrefix(p, "var/cache/man/") || strings.HasPrefix(p, "var/cache/debconf/")) {
			continue
		}
		unexpected = append(unexpected, l)
	}
	if len(unexpected) > 0 {
		var b bytes.Buffer
		for _, l := range unexpected {
			fmt.Fprintln(&b, l)
		}
		t.Errorf("install, remove and purge changed the machine beyond dpkg's records:\n%s", b.String())
	}
}

// checkEnable enables the services as README says (systemctl works on
// the files in a chroot, as in a package's scripts), then with NUT's
// unit names as aliases (examples/systemd), and undoes both.
func checkEnable(t *testing.T, c *copyOfRoot) {
	links := func() string {
		out, _ := c.sh(`find /etc/systemd/system -type l \( -name '*powerchain*' -o -name 'nut*' \) -printf '%P -> %l\n' | sort`)
		return out
	}
	was := links()
	c.sh(`systemctl enable powerchain-server powerchain-monitor powerchain-console 2>&1`)
	got := links()
	for _, u := range []string{"server", "monitor", "console"} {
		for _, target := range []string{"multi-user.target", "powerchain.target"} {
			want := fmt.Sprintf("%s.wants/powerchain-%s.service -> /lib/systemd/system/powerchain-%s.service", target, u, u)
			if !strings.Contains(got, want) {
				t.Errorf("systemctl enable: no %s in\n%s", want, got)
			}
		}
	}
	c.sh(`systemctl disable powerchain-server powerchain-monitor powerchain-console 2>&1`)
	if got := links(); got != was {
		t.Errorf("systemctl disable left\n%s\nwas\n%s", got, was)
	}

	// NUT's names, as examples/systemd/README tells.
	c.sh(`set -e; cd /usr/share/doc/powerchain/examples/systemd
for d in *.d; do mkdir -p /etc/systemd/system/$d && cp $d/* /etc/systemd/system/$d/; done
systemctl reenable powerchain-server powerchain-monitor powerchain.target 2>&1`)
	got = links()
	for alias, unit := range map[string]string{"nut-server.service": "powerchain-server.service",
		"nut-monitor.service": "powerchain-monitor.service", "nut.target": "powerchain.target"} {
		if want := alias + " -> /lib/systemd/system/" + unit; !strings.Contains(got, want) {
			t.Errorf("NUT's names: no %s in\n%s", want, got)
		}
	}
	if !strings.Contains(got, "multi-user.target.wants/powerchain.target -> /lib/systemd/system/powerchain.target") {
		t.Errorf("NUT's names: powerchain.target not wanted by multi-user.target:\n%s", got)
	}
	// systemd reads the aliases as powerchain's units; their Conflicts=
	// with NUT's units of those names now name themselves, and go.
	out, _ := c.sh(`systemd-analyze verify --man=no /etc/systemd/system/nut-server.service /etc/systemd/system/nut.target 2>&1`)
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l != "" && l != "nut-server.service: Dependency Conflicts=nut-server.service is dropped." &&
			l != "nut-monitor.service: Dependency Conflicts=nut-monitor.service is dropped." {
			t.Errorf("systemd-analyze verify of the aliases: %s", l)
		}
	}
	c.sh(`set -e; systemctl disable powerchain.target powerchain-server powerchain-monitor 2>&1
rm -r /etc/systemd/system/powerchain-server.service.d /etc/systemd/system/powerchain-monitor.service.d /etc/systemd/system/powerchain.target.d`)
	if got := links(); got != was {
		t.Errorf("undoing NUT's names left\n%s\nwas\n%s", got, was)
	}
}

// checkInitScript runs the server from its init script, as on a system
// without systemd: it runs as nut, Debian's upsc reads its device, reload
// and status answer, stop ends it.
func checkInitScript(t *testing.T, c *copyOfRoot) {
	port := nuttest.FreePort(t)
	c.sh(fmt.Sprintf(`set -e; mkdir -p /tmp/pcconf; cd /tmp/pcconf
printf '[ups1]\n\tdriver = dummy-ups\n\tport = ups1.dev\n' >ups.conf
printf 'ups.status: OL\nbattery.charge: 100\n' >ups1.dev
printf 'LISTEN 127.0.0.1 %d\n' >upsd.conf
: >upsd.users
chmod 0755 . && chmod 0644 *
echo 'EXTRA_ARGS="-c /tmp/pcconf"' >/etc/default/powerchain-server`, port))
	const pidfile = "/run/powerchain/powerchain-server.pid"
	c.sh(`/etc/init.d/powerchain-server start`)
	pidText, _ := c.sh(`cat ` + pidfile)
	pid, err := strconv.Atoi(strings.TrimSpace(pidText))
	if err != nil {
		t.Fatalf("pid file: %q", pidText)
	}
	t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) }) // if the test stops before stop
	if out, _ := c.sh(fmt.Sprintf(`ps -o user= -p %d`, pid)); strings.TrimSpace(out) != "nut" {
		t.Errorf("the server runs as %q, want nut", strings.TrimSpace(out))
	}
	upsc := func() string {
		out, _ := exec.Command("upsc", fmt.Sprintf("ups1@127.0.0.1:%d", port), "ups.status").Output()
		return strings.TrimSpace(string(out))
	}
	if !waittest.Until(20*time.Second, 200*time.Millisecond, func() bool { return upsc() == "OL" }) {
		out, _ := c.sh(`/etc/init.d/powerchain-server status`, 3)
		t.Fatalf("Debian's upsc: %q after 20 s\n%s", upsc(), out)
	}
	if out, code := c.sh(`/etc/init.d/powerchain-server status`, 3); code != 0 {
		t.Errorf("status of a running server: exit %d\n%s", code, out)
	}
	c.sh(`/etc/init.d/powerchain-server reload`)
	if got := upsc(); got != "OL" {
		t.Errorf("after reload, upsc: %q", got)
	}
	c.sh(`/etc/init.d/powerchain-server stop`)
	if out, code := c.sh(`/etc/init.d/powerchain-server status`, 3); code != 3 {
		t.Errorf("status after stop: exit %d, want 3\n%s", code, out)
	}
	if alive(pid) {
		t.Errorf("pid %d still runs after stop", pid)
	}
	c.sh(`rm -r /etc/default/powerchain-server /tmp/pcconf`)
}

// alive reports whether a process runs (a zombie does not).
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	_, rest, _ := strings.Cut(string(b), ") ")
	return !strings.HasPrefix(rest, "Z")
}

// checkStory follows README's "Installed as a Debian service" in a copy
// of this machine of its own: apt installs the package, powerchain setup
// configures a device (from a scan result: scanning here would reach the
// machine's networks) and says how to start the server — without systemd,
// as here, its init script — and that runs it: Debian's upsc reads the
// device.
func checkStory(t *testing.T, deb string) {
	c := newCopyOfRoot(t)
	c.sh(`printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 0755 /usr/sbin/policy-rc.d`)
	base := filepath.Base(deb)
	c.put(deb, "/tmp/"+base)
	c.sh(`apt-get install -y /tmp/` + base)
	port := nuttest.FreePort(t)
	c.sh(`printf 'device.type: ups\nups.status: OL\nbattery.charge: 100\n' >/etc/nut/ups1.dev
echo '[{"bus":"SIMULATION","driver":"dummy-ups","port":"ups1.dev","desc":"Rack UPS"}]' >/tmp/scan.json`)
	out, _ := c.sh(fmt.Sprintf(`powerchain setup --from /tmp/scan.json --yes --listen 127.0.0.1:%d 2>&1`, port))
	t.Logf("powerchain setup:\n%s", out)
	const start = "update-rc.d powerchain-server enable && service powerchain-server start"
	if !strings.Contains(out, "Start it with:\n  "+start+"\n") {
		t.Fatalf("setup does not say to start the installed service")
	}
	c.sh(start)
	pidText, _ := c.sh(`cat /run/powerchain/powerchain-server.pid`)
	if pid, err := strconv.Atoi(strings.TrimSpace(pidText)); err == nil {
		t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) }) // if the test stops before stop
	}
	server := fmt.Sprintf("127.0.0.1:%d", port)
	var names []string
	if !waittest.Until(20*time.Second, 200*time.Millisecond, func() bool {
		b, _ := exec.Command("upsc", "-l", server).Output()
		names = strings.Fields(string(b))
		return len(names) > 0
	}) {
		t.Fatalf("upsc -l %s: nothing after 20 s", server)
	}
	b, _ := exec.Command("upsc", names[0]+"@"+server, "ups.status").Output()
	if got := strings.TrimSpace(string(b)); got != "OL" {
		t.Errorf("Debian's upsc %s@%s ups.status: %q", names[0], server, got)
	}
	c.sh(`service powerchain-server stop`)
}
