// Package setup turns what a scan found into a working NUT configuration
// directory: ups.conf sections for new devices, a LISTEN address in
// upsd.conf, users with generated passwords in upsd.users, MONITOR lines
// in upsmon.conf and the MODE in nut.conf — through package conf, so
// existing sections, settings and comments stay as they were, and
// running it again adds only devices not configured yet (Apply). A node
// that draws power through devices other NUT servers watch joins them
// (Join): MONITOR lines against those servers, no relays.
package setup

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/driver"
	_ "github.com/powerchain/powerchain/driver/all" // which drivers are native
	"github.com/powerchain/powerchain/driver/hosted"
	"github.com/powerchain/powerchain/mib"
	"github.com/powerchain/powerchain/nut"
	"github.com/powerchain/powerchain/scan"
)

// Candidate is a found device not configured yet, with the section name
// it would get.
type Candidate struct {
	Name   string
	Device scan.Device
}

// Options of Apply.
type Options struct {
	Dir    string // the NUT configuration directory
	Listen string // host:port for upsd.conf when it has no LISTEN; 127.0.0.1:3493 by default
	// Pick chooses among the candidates (indexes); nil takes them all.
	Pick func([]Candidate) ([]int, error)
	Rand io.Reader // password source; crypto/rand by default
}

// Result says what Apply did.
type Result struct {
	Added    []string               // new ups.conf sections
	Known    []string               // found devices already configured (by section)
	Written  []string               // files changed
	Secrets  map[string]conf.Secret // new users and their passwords
	Monitor  string                 // the upsmon user
	Diags    conf.Diags             // validation of the result
	StartCmd string                 // what starts the server (and the monitor, as a service)
	// Runs says for each new section how the server runs its driver:
	// natively, or through NUT's driver program (and whether that is
	// installed; the server starts either way).
	Runs map[string]hosted.How
}

// Plan lists which found devices are new, with their section names, and
// which are configured already.
func Plan(cd *conf.Dir, found []scan.Device) (cands []Candidate, known []string) {
	upsf := cd.File(conf.UPSConfFile)
	taken := map[string]bool{}
	for _, s := range upsf.Sections() {
		taken[strings.ToLower(s)] = true
	}
	existing := conf.ParseUPSConf(upsf).Devices
	seen := map[string]bool{}
	for _, d := range found {
		key := identity(d.Driver, d.Port, d.Get("vendorid"), d.Get("productid"), d.Get("serial"))
		if seen[key] {
			continue
		}
		seen[key] = true
		if name, ok := configured(existing, d); ok {
			known = append(known, name)
			continue
		}
		name := uniqueName(nameFor(d), taken)
		taken[name] = true
		cands = append(cands, Candidate{Name: name, Device: d})
	}
	return cands, known
}

func identity(parts ...string) string { return strings.ToLower(strings.Join(parts, "\x00")) }

// configured finds the section of a device that is the same as d: same
// driver and port (and, for USB, same ids and serial).
func configured(existing []conf.Device, d scan.Device) (string, bool) {
	for _, e := range existing {
		get := func(k string) string { v, _ := e.Setting(k); return v }
		same := sameDriver(e.Driver, d.Driver) && strings.EqualFold(e.Port, d.Port)
		if same && d.Bus == scan.BusUSB {
			same = strings.EqualFold(get("vendorid"), d.Get("vendorid")) && strings.EqualFold(get("productid"), d.Get("productid")) &&
				get("serial") == d.Get("serial")
		}
		if same {
			return e.Name, true
		}
	}
	return "", false
}

// sameDriver treats nut-scanner's "nutclient" and dummy-ups' repeater as
// the same.
func sameDriver(a, b string) bool {
	norm := func(s string) string {
		if s == "nutclient" {
			return "dummy-ups"
		}
		return s
	}
	return norm(a) == norm(b)
}

var unsafe = regexp.MustCompile(`[^a-z0-9]+`)

// nameFor makes a readable section name: the model, the remote device's
// name, or the simulation file's.
func nameFor(d scan.Device) string {
	var base string
	switch d.Bus {
	case scan.BusNUT:
		base, _, _ = strings.Cut(d.Port, "@")
	case scan.BusSimulation:
		base = strings.TrimSuffix(d.Port, filepath.Ext(d.Port))
	case scan.BusIPMI:
		id, host, _ := strings.Cut(d.Port, "@")
		host, _, _ = strings.Cut(host, ":")
		base = "psu" + strings.TrimPrefix(id, "id") + "-" + host
	case scan.BusUSB:
		base = d.Get("product")
		if base == "" {
			base = d.Driver
		}
	default:
		base = d.Desc
		if base == "" {
			base = d.Get("mibs")
		}
	}
	base = strings.Trim(unsafe.ReplaceAllString(strings.ToLower(base), "-"), "-")
	if len(base) > 24 {
		base = strings.Trim(base[:24], "-")
	}
	if base == "" {
		base = "ups"
	}
	return base
}

func uniqueName(base string, taken map[string]bool) string {
	if !taken[base] {
		return base
	}
	for i := 2; ; i++ {
		n := base + "-" + strconv.Itoa(i)
		if !taken[n] {
			return n
		}
	}
}

// Apply writes the configuration for the picked candidates.
func Apply(found []scan.Device, o Options) (*Result, error) {
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	if o.Listen == "" {
		o.Listen = net.JoinHostPort("127.0.0.1", strconv.Itoa(nut.DefaultPort))
	}
	host, port, err := net.SplitHostPort(o.Listen)
	if err != nil {
		return nil, fmt.Errorf("--listen %q: %w", o.Listen, err)
	}
	cd, err := conf.LoadDir(o.Dir)
	if err != nil {
		return nil, err
	}
	// Errors of the existing configuration (an empty directory is a fresh
	// start) refuse the result, unless what setup adds resolves them:
	// the upsmon.conf NUT's packages install has MINSUPPLIES 1 and no
	// MONITOR line, which NUT's upsmon refuses and setup completes.
	var existing error
	if len(cd.Files) > 0 {
		existing = cd.Validate().Err()
	}
	cands, known := Plan(cd, found)
	picked := cands
	if o.Pick != nil && len(cands) > 0 {
		idx, err := o.Pick(cands)
		if err != nil {
			return nil, err
		}
		picked = nil
		for _, i := range idx {
			if i < 0 || i >= len(cands) {
				return nil, fmt.Errorf("no device %d", i+1)
			}
			picked = append(picked, cands[i])
		}
	}
	res := &Result{Known: known, Secrets: map[string]conf.Secret{}}
	files := map[string]*conf.File{}
	file := func(name string) *conf.File {
		if f, ok := files[name]; ok {
			return f
		}
		f := cd.File(name)
		files[name] = f
		return f
	}
	changed := map[string]bool{}

	// ups.conf
	upsf := file(conf.UPSConfFile)
	for _, c := range picked {
		if err := addDevice(upsf, c); err != nil {
			return nil, err
		}
		res.Added = append(res.Added, c.Name)
		changed[conf.UPSConfFile] = true
	}

	// upsd.conf: a LISTEN address when there is none.
	upsdf := file(conf.UpsdConfFile)
	if len(conf.ParseUpsdConf(upsdf).Listen) == 0 {
		if err := upsdf.Add("", "LISTEN", host, port); err != nil {
			return nil, err
		}
		changed[conf.UpsdConfFile] = true
	}

	// upsd.users: a monitor (upsmon primary) and an admin, when missing.
	usersf := file(conf.UsersFile)
	users := conf.ParseUsers(usersf)
	monUser, monPass := "", conf.Secret("")
	for _, u := range users.Users {
		if u.Upsmon != "" {
			monUser, monPass = u.Name, u.Password
			break
		}
	}
	newUser := func(name string, settings [][]string) (conf.Secret, error) {
		pw, err := password(o.Rand)
		if err != nil {
			return "", err
		}
		if err := usersf.AddSection(name); err != nil {
			return "", err
		}
		if err := usersf.Add(name, "password", pw.Reveal()); err != nil {
			return "", err
		}
		for _, kv := range settings {
			if err := usersf.Add(name, kv[0], kv[1:]...); err != nil {
				return "", err
			}
		}
		res.Secrets[name] = pw
		changed[conf.UsersFile] = true
		return pw, nil
	}
	if monUser == "" {
		monUser = uniqueName("monitor", lowerNames(users))
		if monPass, err = newUser(monUser, [][]string{{"upsmon", "primary"}}); err != nil {
			return nil, err
		}
	}
	res.Monitor = monUser
	if !hasAdmin(users) {
		if _, err := newUser(uniqueName("admin", lowerNames(users)), [][]string{{"actions", "SET", "FSD"}, {"instcmds", "ALL"}}); err != nil {
			return nil, err
		}
	}

	// upsmon.conf: a MONITOR line for each new device; UPSes count as
	// supplies (power value 1), other devices are watched only (0).
	monf := file(conf.UpsmonConfFile)
	mon := conf.ParseUpsmonConf(monf)
	local := "localhost"
	if port != strconv.Itoa(nut.DefaultPort) {
		local += ":" + port
	}
	power := 0
	for _, m := range mon.Monitors {
		power += m.PowerValue
	}
	for _, c := range picked {
		pv := "0"
		if isUPS(c.Device, cd.Path) {
			pv = "1"
			power++
		}
		if err := monf.Add("", "MONITOR", c.Name+"@"+local, pv, monUser, monPass.Reveal(), "primary"); err != nil {
			return nil, err
		}
		changed[conf.UpsmonConfFile] = true
	}
	if _, ok := monf.Get("", "MINSUPPLIES"); !ok && len(picked) > 0 {
		// With no UPS to draw from (PDUs only), upsmon only watches.
		monf.Add("", "MINSUPPLIES", strconv.Itoa(min(power, 1)))
		changed[conf.UpsmonConfFile] = true
	}
	if mon.ShutdownCmd == "" && len(picked) > 0 {
		monf.Add("", "SHUTDOWNCMD", "/sbin/shutdown -h +0")
		changed[conf.UpsmonConfFile] = true
	}

	// nut.conf
	nutf := file(conf.NutConfFile)
	if _, ok := nutf.Get("", "MODE"); !ok {
		mode := "standalone"
		if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
			mode = "netserver"
		}
		nutf.Add("", "MODE", mode)
		changed[conf.NutConfFile] = true
	}

	// Validate the result before writing anything.
	next := edited(cd, files)
	res.Diags = next.Validate()
	if errs := res.Diags.Err(); errs != nil {
		if existing != nil {
			return res, fmt.Errorf("the existing configuration has errors; fix them first: %w", existing)
		}
		return res, fmt.Errorf("the new configuration would not be valid; nothing written: %w", errs)
	}
	for _, name := range conf.FileNames {
		f, ok := files[name]
		if !ok || !changed[name] {
			continue
		}
		// New files get NUT's root:nut 0640 (upsd.users and upsmon.conf
		// hold passwords); existing ones keep their mode and owner.
		if err := conf.WriteFileAtomic(f.Path, f.Bytes(), 0o640); err != nil {
			return res, err
		}
		res.Written = append(res.Written, name)
	}
	res.StartCmd = startCommand(cd.Path, "powerchain serve -c "+cd.Path, "powerchain-server", "powerchain-monitor")
	hc := hosted.FromUPSConf(next.UPS(), cd.Path, "")
	res.Runs = map[string]hosted.How{}
	for _, c := range picked {
		res.Runs[c.Name] = hc.How(driver.Config{Name: c.Name, Driver: c.Device.Driver})
	}
	return res, nil
}

// edited is the configuration cd with files, edited in memory, in place
// of its own, each parsed again from its bytes: what validation of the
// result before anything is written reads.
func edited(cd *conf.Dir, files map[string]*conf.File) *conf.Dir {
	next := &conf.Dir{Path: cd.Path, Files: map[string]*conf.File{}}
	for name, f := range cd.Files {
		next.Files[name] = f
	}
	for name, f := range files {
		next.Files[name] = conf.Parse(f.Path, f.Bytes())
	}
	return next
}

func lowerNames(us *conf.Users) map[string]bool {
	m := map[string]bool{}
	for _, u := range us.Users {
		m[strings.ToLower(u.Name)] = true
	}
	return m
}

func hasAdmin(us *conf.Users) bool {
	for _, u := range us.Users {
		if u.Can("SET") {
			return true
		}
	}
	return false
}

// isUPS says whether a found device is a UPS (a supply for upsmon):
// USB devices, SNMP devices whose table is a UPS's, and simulation files
// that do not say they are something else.
func isUPS(d scan.Device, dir string) bool {
	switch d.Bus {
	case scan.BusUSB, scan.BusIPMI: // a UPS, or a supply of this server
		return true
	case scan.BusSimulation:
		b, err := os.ReadFile(filepath.Join(dir, d.Port))
		if err != nil {
			return false
		}
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "device.type" {
				return strings.TrimSpace(v) == "ups"
			}
		}
		return true
	case scan.BusSNMP:
		if m := mib.ByName(d.Get("mibs")); m != nil {
			return m.Type == "ups"
		}
	}
	return false
}

func addDevice(f *conf.File, c Candidate) error {
	d := c.Device
	if err := f.AddSection(c.Name); err != nil {
		return err
	}
	kv := [][2]string{{"driver", d.Driver}, {"port", d.Port}}
	if d.Desc != "" {
		kv = append(kv, [2]string{"desc", d.Desc})
	}
	for _, o := range d.Options {
		kv = append(kv, [2]string{o.Key, o.Value})
	}
	for _, p := range kv {
		if err := f.Add(c.Name, p[0], p[1]); err != nil {
			return fmt.Errorf("[%s] %s: %w", c.Name, p[0], err)
		}
	}
	return nil
}

const pwChars = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"

// password makes a 20-character password of letters and digits (NUT's
// clients send passwords unquoted: no spaces or quotes).
func password(r io.Reader) (conf.Secret, error) {
	var b strings.Builder
	for i := 0; i < 20; i++ {
		n, err := rand.Int(r, big.NewInt(int64(len(pwChars))))
		if err != nil {
			return "", errors.New("no randomness for a password: " + err.Error())
		}
		b.WriteByte(pwChars[n.Int64()])
	}
	return conf.Secret(b.String()), nil
}
