package snmpups_test

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/driver"
	"github.com/powerchain/powerchain/driver/snmpups"
	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/internal/snmptest"
	"github.com/powerchain/powerchain/internal/testlog"
	"github.com/powerchain/powerchain/internal/waittest"
)

// parityKnown are the variables on which powerchain's snmp-ups differs
// from Debian's NUT 2.8.0 snmp-ups on a recording ("recording variable"),
// each with the reason; the test logs them and counts them as mismatches.
var parityKnown = map[string]string{
	"librenms-cyberpower ups.status": "NUT 2.8.0 publishes an empty ups.status; upsBaseOutputStatus is onLine(2) and upsBaseBatteryStatus batteryNormal(2): OL",
}

// nutV2c are the recordings NUT 2.8.0 reads only over SNMP v2c (the
// test runs it with v1, its default, elsewhere), with the reason.
var nutV2c = map[string]string{
	"librenms-cyberpower": "the agent lacks the model OID; over v1 NUT 2.8.0 detects nothing, over v2c it takes the noSuchObject for an answer",
}

// parityTable is the table powerchain must read a recording with where
// NUT 2.8.0 detects nothing: the one its name starts with ("pw--…"),
// unless listed here.
var parityTable = map[string]string{
	"tripplite-pdumh20atnet": "tripplite_ats", // powerchain's own table; NUT has none
}

// parityRow is one line of the parity table.
type parityRow struct {
	rec, mibs       string
	model           string // the device's model, as the drivers read it
	nut, match, ext int
	nutRefused      string // why NUT 2.8.0 gives up on the recording
	ourRefused      string // why powerchain does (identification only)
}

// parityRecording is one recording of the parity test.
type parityRecording struct {
	name string
	// identOnly: the recording holds the system group alone (sysDescr,
	// sysObjectID): no table's data answers, and both drivers refuse it.
	identOnly bool
	nut       *nutDriver
	// What NUT's driver published, or why it gave up (the first phase).
	nutVars    map[string]string
	nutRefused string
}

// TestParityWithNUT runs Debian's NUT 2.8.0 snmp-ups (under Debian's
// upsd) and powerchain's snmp-ups (under powerchain's server) on every
// real recording of testdata/snmprec and testdata/snmprec/parity, all
// served by one snmpsimd, and checks that every variable NUT reports is
// reported the same by powerchain, over SNMP v2c and v1 (driver.* aside
// but the table's name and version). NUT runs with SNMP v1, its default
// (v2c where nutV2c says): with v2c, 2.8.0 takes a noSuchInstance for an
// answer when it counts a template's instances and loops at start-up on
// several of these recordings. Where NUT detects nothing although the
// agent answers a table's data, powerchain must read the device by the
// table the recording's name gives (parityTable). With -v it prints the
// parity table of the README.
func TestParityWithNUT(t *testing.T) {
	nuttest.Require(t, debianSnmpUps, nuttest.Upsd, nuttest.Upsc)
	paths, _ := filepath.Glob("../../testdata/snmprec/*.snmprec")
	more, _ := filepath.Glob("../../testdata/snmprec/parity/*.snmprec")
	paths = append(paths, more...)
	if only := os.Getenv("PARITY_ONLY"); only != "" { // a regular expression, to work on a few
		re, err := regexp.Compile(only)
		if err != nil {
			t.Fatalf("PARITY_ONLY: %v", err)
		}
		var keep []string
		for _, r := range paths {
			if re.MatchString(r) {
				keep = append(keep, r)
			}
		}
		paths = keep
	}
	agent := snmptest.Sim(t, paths...)
	var recs []*parityRecording
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, &parityRecording{name: strings.TrimSuffix(filepath.Base(p), ".snmprec"), identOnly: snmptest.IdentOnly(b)})
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].name < recs[j].name })

	env := nuttest.NewEnv(t)
	nutPort := nuttest.FreePort(t)
	var nutConf, ourConf strings.Builder
	for _, r := range recs {
		version := "v1"
		if nutV2c[r.name] != "" {
			version = "v2c"
		}
		// One full read each (pollfreq an hour), so that the drivers'
		// periodic walks do not keep the one snmpsimd busy; timeouts
		// long enough for a queue at snmpsimd on a loaded machine.
		const common = "\tpollfreq = 3600\n\tsnmp_timeout = 5\n\tsnmp_retries = 2\n"
		fmt.Fprintf(&nutConf, "[%s]\n\tdriver = snmp-ups\n\tport = %s\n\tcommunity = %s\n\tsnmp_version = %s\n%s",
			r.name, agent.Addr, r.name, version, common)
		if !r.identOnly {
			for _, v := range []string{"v2c", "v1"} {
				fmt.Fprintf(&ourConf, "[%s-%s]\n\tdriver = snmp-ups\n\tport = %s\n\tcommunity = %s\n\tsnmp_version = %s\n%s\tpollinterval = 5\n",
					r.name, v, agent.Addr, r.name, v, common)
			}
		}
	}

	// First NUT's drivers read every recording, then powerchain's: the
	// one snmpsimd serves one side at a time.
	env.WriteFile("ups.conf", nutConf.String(), 0o644)
	env.WriteUpsd(nutPort, "")
	for _, r := range recs {
		r.nut = startNUTDriver(t, env, r.name)
	}
	env.StartUpsd()
	var wg sync.WaitGroup
	for _, r := range recs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if r.nutVars, r.nutRefused, err = nutVars(env, nutPort, r.name, r.nut); err != nil {
				t.Errorf("%s: %v", r.name, err)
			}
		}()
	}
	wg.Wait()

	c := serve(t, ourConf.String())
	rows := make([]parityRow, len(recs))
	for i, r := range recs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rows[i] = parityOne(t, c, agent, r)
		}()
	}
	wg.Wait()

	var b strings.Builder
	b.WriteString("| device (recording) | mibs= | NUT vars | matched | extra |\n|---|---|---|---|---|\n")
	for _, r := range rows {
		dev := r.rec
		if r.model != "" {
			dev = r.model + " (" + r.rec + ")"
		}
		if nutV2c[r.rec] != "" {
			dev += " ¹"
		}
		switch {
		case r.ourRefused != "":
			fmt.Fprintf(&b, "| %s | — | — (%s) | — | — (%s) |\n", dev, r.nutRefused, r.ourRefused)
		case r.nutRefused != "":
			fmt.Fprintf(&b, "| %s | %s | — (%s) | — | %d |\n", dev, r.mibs, r.nutRefused, r.ext)
		default:
			fmt.Fprintf(&b, "| %s | %s | %d | %d | %d |\n", dev, r.mibs, r.nut, r.match, r.ext)
		}
	}
	t.Logf("parity with Debian's NUT 2.8.0 snmp-ups (NUT over SNMP v1, ¹ v2c; powerchain over v2c and v1; driver.* aside):\n%s", b.String())
}

// parityOne compares one recording, NUT's device with powerchain's (v2c
// and v1).
func parityOne(t *testing.T, c *client.Client, agent *snmptest.Agent, rec *parityRecording) parityRow {
	row := parityRow{rec: rec.name}
	nut, refused := rec.nutVars, rec.nutRefused
	row.nutRefused = refused
	if nut == nil && refused == "" {
		return row // NUT's side failed: said already
	}
	if rec.identOnly {
		if refused == "" {
			t.Errorf("%s: identification only, and NUT 2.8.0 read it", rec.name)
		}
		for _, v := range []string{"v2c", "v1"} {
			err := connectOnce(agent, rec.name, v)
			if err == nil {
				t.Errorf("%s: identification only, and powerchain's driver (%s) took it", rec.name, v)
				continue
			}
			row.ourRefused = "powerchain: " + err.Error()
			if strings.Contains(err.Error(), "no mapping table matches") {
				row.ourRefused = "powerchain: no table matches"
			}
		}
		return row
	}
	ours, err := stableVars(c, rec.name+"-v2c")
	if err != nil {
		t.Errorf("%s: powerchain (v2c): %v", rec.name, err)
	}
	oursV1, err := stableVars(c, rec.name+"-v1")
	if err != nil {
		t.Errorf("%s: powerchain (v1): %v", rec.name, err)
	}
	row.mibs, _, _ = strings.Cut(ours["driver.version.data"], " ")
	row.model = cmp.Or(ours["device.model"], ours["ups.model"])
	if d := ours["device.description"]; row.model == "" && d != "" {
		row.model = "“" + d[:min(len(d), 40)] + "”"
	}
	if refused != "" {
		want, _, _ := strings.Cut(rec.name, "--")
		if w, ok := parityTable[rec.name]; ok {
			want = w
		}
		if row.mibs != want {
			t.Errorf("%s: NUT 2.8.0 gives up (%s); powerchain read it with %q, want the table %q", rec.name, refused, row.mibs, want)
		}
		for k := range ours {
			if !strings.HasPrefix(k, "driver.") {
				row.ext++
			}
		}
		return row
	}
	var keys []string
	for k := range nut {
		if compared(k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		row.nut++
		ok := true
		for _, side := range []struct {
			name string
			vars map[string]string
		}{{"v2c", ours}, {"v1", oursV1}} {
			got, present := side.vars[k]
			if present && got == nut[k] {
				continue
			}
			ok = false
			if why := parityKnown[rec.name+" "+k]; why != "" {
				t.Logf("%s %s (%s): powerchain %q, NUT %q: %s", rec.name, k, side.name, got, nut[k], why)
				continue
			}
			t.Errorf("%s %s (%s): powerchain %q (present %v), NUT %q", rec.name, k, side.name, got, present, nut[k])
		}
		if ok {
			row.match++
		}
	}
	var extra []string
	for k := range ours {
		if _, ok := nut[k]; !ok && !strings.HasPrefix(k, "driver.") {
			extra = append(extra, k+"="+ours[k])
		}
	}
	if row.ext = len(extra); row.ext > 0 {
		sort.Strings(extra)
		t.Logf("%s: powerchain reports more than NUT: %s", rec.name, strings.Join(extra, ", "))
	}
	return row
}

// connectOnce runs powerchain's driver's detection on a recording once.
func connectOnce(agent *snmptest.Agent, community, version string) error {
	d, err := snmpups.New(driver.Config{Name: community, Driver: "snmp-ups", Port: agent.Addr,
		Settings: map[string]string{"community": community, "snmp_version": version, "snmp_timeout": "5", "snmp_retries": "2"}})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := d.Connect(ctx, device.New(community, "")); err != nil {
		return err
	}
	d.Close()
	return nil
}

// compared reports whether the parity test compares a variable: all but
// the driver's version and its parameters (which name the test's port
// and settings).
func compared(name string) bool {
	switch {
	case name == "driver.version", name == "driver.version.internal",
		strings.HasPrefix(name, "driver.parameter."), strings.HasPrefix(name, "driver.flag."):
		return false
	}
	return true
}

// nutDriver is Debian's snmp-ups running for one ups.conf section.
type nutDriver struct {
	out    testlog.Buffer // what the driver printed so far
	exited chan struct{}  // closed when it exits (as it does when it detects no device)
}

// startNUTDriver starts Debian's snmp-ups for a ups.conf section in the
// foreground, until the test ends.
func startNUTDriver(t *testing.T, env *nuttest.Env, name string) *nutDriver {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, debianSnmpUps, "-F", "-u", "root", "-a", name)
	cmd.Env = env.Environ()
	d := &nutDriver{exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = &d.out, &d.out
	cmd.WaitDelay = 2 * time.Second
	// Gone with the test binary, even one killed at its timeout.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	go func() {
		cmd.Wait()
		close(d.exited)
	}()
	t.Cleanup(func() {
		cancel()
		<-d.exited
	})
	return d
}

// nutVars reads NUT's device with Debian's upsc once two reads a second
// apart agree (at most 90 s), or says why the driver gave up, or (err)
// what upsc and the driver said last.
func nutVars(env *nuttest.Env, port int, ups string, drv *nutDriver) (vars map[string]string, refused string, err error) {
	target := fmt.Sprintf("%s@127.0.0.1:%d", ups, port)
	var last string
	if waittest.Until(90*time.Second, time.Second, func() bool {
		select {
		case <-drv.exited:
			out := drv.out.String()
			refused = "NUT 2.8.0's driver exited: " + lastNonEmpty(out)
			if strings.Contains(out, "No supported device detected") {
				refused = "NUT 2.8.0: no supported device detected"
			}
			return true
		default:
		}
		out, err := env.Output(nuttest.Upsc, target)
		if err == nil && strings.Contains(out, "driver.version.data: ") && !strings.Contains(out, "ups.status: WAIT") && out == last {
			vars = parseUpsc(out)
			return true
		}
		last = out
		return false
	}) {
		return vars, refused, nil
	}
	return nil, "", fmt.Errorf("Debian's snmp-ups published nothing stable within 90 s; upsc said %q; the driver said:\n%s", lastNonEmpty(last), drv.out.String())
}

func lastNonEmpty(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// parseUpsc reads upsc's "name: value" lines.
func parseUpsc(s string) map[string]string {
	m := map[string]string{}
	for _, l := range strings.Split(s, "\n") {
		k, v, ok := strings.Cut(l, ": ")
		if !ok {
			if k, ok = strings.CutSuffix(l, ":"); !ok {
				continue
			}
		}
		m[k] = v
	}
	return m
}

// stableVars reads powerchain's device once it has device.type and two
// reads a second apart agree (at most 60 s).
func stableVars(c *client.Client, ups string) (map[string]string, error) {
	var last map[string]string
	var err error
	if waittest.Until(60*time.Second, time.Second, func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var vars []client.Var
		if vars, err = c.Vars(ctx, ups); err != nil {
			return false
		}
		now := map[string]string{}
		for _, v := range vars {
			now[v.Name] = v.Value
		}
		_, ok := now["device.type"]
		stable := ok && maps.Equal(now, last)
		last = now
		return stable
	}) {
		return last, nil
	}
	return last, fmt.Errorf("no stable reading within 60 s (%v)", err)
}
