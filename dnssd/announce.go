package dnssd

import (
	"strconv"
	"strings"

	"github.com/powerchain/powerchain/conf"
)

// Roles of an announcement.
const (
	// RoleServer: a NUT server announces itself (powerchain serve).
	RoleServer = "server"
	// RolePrimary: an upsmon that is primary for the devices of a NUT
	// server on its host announces that server (NUT's own upsd does not
	// announce itself).
	RolePrimary = "primary"
)

// Limits of a TXT record: a string holds at most 255 bytes (RFC 6763
// 6.1), and a record should stay within 1,300 bytes so that it fits one
// packet with the other records of an answer (RFC 6763 6.2).
const (
	MaxTXTString = 255
	MaxTXTRecord = 1300
)

// DeviceInfo is what an announcement says of one device.
type DeviceInfo struct {
	Name string `json:"name"`
	Type string `json:"type,omitempty"` // device.type
	// Root: the device draws from the mains (device.parent is main or
	// not set): the chain starts there.
	Root bool `json:"root,omitempty"`
	// Host is the machine the device feeds (device.host, on power
	// supplies).
	Host string `json:"host,omitempty"`
}

// Announcement is what a _nut._tcp TXT record tells a node that may join
// the server: who announces (Role), the NUT protocol version, the devices
// with their types, which of them are chain roots, which hosts the
// server's devices feed, and where it stands (site and rack). Lists that do not fit a TXT string are cut;
// Total says how many devices the server has.
type Announcement struct {
	Role     string       `json:"role,omitempty"`
	Protocol string       `json:"protocol,omitempty"`
	Devices  []DeviceInfo `json:"devices"`
	Total    int          `json:"ndevices"`
	// Hosts are the hosts the devices feed, as far as the record says.
	Hosts []string `json:"hosts"`
	// Site and Rack are where the server stands (upsd.conf's
	// POWERCHAIN_SITE and POWERCHAIN_RACK, serve's --site and --rack):
	// consoles group its devices by them. "" when not said.
	Site string `json:"site,omitempty"`
	Rack string `json:"rack,omitempty"`
}

// Complete reports whether the record lists every device of the server.
func (a Announcement) Complete() bool { return len(a.Devices) >= a.Total }

// Feeds reports whether the record names host among the hosts fed
// (without regard to case; a short name matches a full one's first
// label).
func (a Announcement) Feeds(host string) bool {
	short, _, _ := strings.Cut(host, ".")
	for _, h := range a.Hosts {
		hs, _, _ := strings.Cut(h, ".")
		if strings.EqualFold(h, host) || strings.EqualFold(hs, short) && (hs == h || short == host) {
			return true
		}
	}
	return false
}

// TXT writes the record: txtvers, protovers, role and ndevices; site
// and rack when said (a name conf.CheckPlace refuses is left out: with
// both at conf.MaxPlace and the lists at their limit the record stays
// within MaxTXTRecord); then roots and hosts (comma-separated), devices
// as name:type pairs, and device_list (names separated by ';', the key
// NUT's nut-scanner reads), each cut to a whole item within
// MaxTXTString.
func (a Announcement) TXT() []string {
	var roots, hosts, devices, names []string
	seen := map[string]bool{}
	for _, d := range a.Devices {
		if d.Root {
			roots = append(roots, d.Name)
		}
		if d.Host != "" && !seen[d.Host] {
			seen[d.Host] = true
			hosts = append(hosts, d.Host)
		}
		pair := d.Name
		if d.Type != "" {
			pair += ":" + d.Type
		}
		devices = append(devices, pair)
		names = append(names, d.Name)
	}
	for _, h := range a.Hosts {
		if !seen[h] {
			seen[h] = true
			hosts = append(hosts, h)
		}
	}
	total := max(a.Total, len(a.Devices))
	txt := []string{"txtvers=1", "protovers=" + a.Protocol}
	if a.Role != "" {
		txt = append(txt, "role="+a.Role)
	}
	txt = append(txt, "ndevices="+strconv.Itoa(total))
	for _, kv := range [][2]string{{"site", a.Site}, {"rack", a.Rack}} {
		if kv[1] != "" && conf.CheckPlace(kv[1]) == nil {
			txt = append(txt, kv[0]+"="+kv[1])
		}
	}
	txt = append(txt,
		list("roots", roots, ","), list("hosts", hosts, ","), list("devices", devices, ","), list("device_list", names, ";"))
	return txt
}

// list writes "key=a,b,c" with as many whole items as fit a TXT string.
func list(key string, items []string, sep string) string {
	s := key + "="
	for i, it := range items {
		next := it
		if i > 0 {
			next = sep + it
		}
		if len(s)+len(next) > MaxTXTString {
			break
		}
		s += next
	}
	return s
}

// ParseTXT reads a record as TXT writes it, and what others write: the
// device_list of NUT's documentation, and devices as plain names
// (powerchain before roles).
func ParseTXT(txt []string) Announcement {
	a := Announcement{Devices: []DeviceInfo{}, Hosts: []string{}}
	kv := map[string]string{}
	for _, t := range txt {
		k, v, _ := strings.Cut(t, "=")
		kv[strings.ToLower(k)] = v
	}
	a.Role, a.Protocol, a.Site, a.Rack = kv["role"], kv["protovers"], kv["site"], kv["rack"]
	split := func(s, sep string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(s, sep)
	}
	index := map[string]int{}
	add := func(name, typ string) {
		if name == "" {
			return
		}
		if _, ok := index[name]; !ok {
			index[name] = len(a.Devices)
			a.Devices = append(a.Devices, DeviceInfo{Name: name, Type: typ})
		}
	}
	for _, d := range split(kv["devices"], ",") {
		name, typ, _ := strings.Cut(d, ":")
		add(name, typ)
	}
	for _, name := range split(kv["device_list"], ";") {
		add(name, "")
	}
	for _, r := range split(kv["roots"], ",") {
		if i, ok := index[r]; ok {
			a.Devices[i].Root = true
		}
	}
	a.Hosts = append(a.Hosts, split(kv["hosts"], ",")...)
	a.Total = len(a.Devices)
	if n, err := strconv.Atoi(kv["ndevices"]); err == nil && n > a.Total {
		a.Total = n
	}
	return a
}
