package conf

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// PowerWake is powerchain's PowerWake in upsmon.conf: the hosts the
// monitor wakes when power comes back after it took them down, and
// when. NUT's upsmon logs these lines as invalid directives and goes on.
//
//	POWERWAKE <host> wol <MAC>|auto [<address>]
//	POWERWAKE <host> ipmi
//	POWERWAKEUSER <username> <password>
//	POWERWAKEDELAY <seconds>
//	POWERWAKEHOLD <seconds>
//	POWERWAKECHARGE <percent>
//
// A host is a load of the power chain (the device.host of its power
// supplies). wol sends Wake-on-LAN magic packets to the MAC (auto: the
// one the neighbour table had for the address when the host went down),
// to the broadcast of the local network the address (the host's name by
// default) is on; ipmi powers the chassis on through the host's
// nut-ipmipsu devices (their load.on), logging in as POWERWAKEUSER.
// DELAY is the time between two hosts woken (the stagger), HOLD how long
// every supply path of a host must be healthy, and CHARGE the battery
// charge every UPS on them must hold, before it is woken.
type PowerWake struct {
	Hosts    []WakeHost
	Username string
	Password Secret
	Delay    Number // seconds between two hosts woken
	Hold     Number // seconds power must be back before a host is woken
	Charge   Number // percent of battery.charge on every path
}

// Wake methods of a POWERWAKE line.
const (
	WakeOnLAN = "wol"
	WakeIPMI  = "ipmi"
)

// WakeHost is one POWERWAKE line.
type WakeHost struct {
	Name   string
	Method string // WakeOnLAN or WakeIPMI
	MAC    net.HardwareAddr
	Auto   bool   // wol auto: the MAC from the neighbour table
	Addr   string // wol: the host's address; its Name when the line gives none
	Line   *Line
}

// powerWakeDefaults are PowerWake's values for the settings a file leaves
// out.
var powerWakeDefaults = map[string]int{"POWERWAKEDELAY": 10, "POWERWAKEHOLD": 60, "POWERWAKECHARGE": 50}

func (p *PowerWake) numbers() map[string]*Number {
	return map[string]*Number{"POWERWAKEDELAY": &p.Delay, "POWERWAKEHOLD": &p.Hold, "POWERWAKECHARGE": &p.Charge}
}

// isPowerWake reports whether a directive of upsmon.conf is PowerWake's.
func isPowerWake(key string) bool {
	_, num := powerWakeDefaults[key]
	return num || key == "POWERWAKE" || key == "POWERWAKEUSER"
}

// parsePowerWake reads PowerWake's lines of upsmon.conf; lines that are
// wrong are left out (ValidatePowerWake says why).
func parsePowerWake(f *File) PowerWake {
	var p PowerWake
	nums := withDefaults(p.numbers(), powerWakeDefaults)
	for _, e := range f.Entries() {
		if e.Section != "" || e.Eq {
			continue
		}
		v := e.Values
		if n, ok := nums[e.Key]; ok {
			n.take(v)
			continue
		}
		switch e.Key {
		case "POWERWAKE":
			if h, err := parseWakeHost(e); err == nil {
				p.Hosts = append(p.Hosts, h)
			}
		case "POWERWAKEUSER":
			if len(v) == 2 {
				p.Username, p.Password = v[0], Secret(v[1])
			}
		}
	}
	return p
}

func parseWakeHost(e Entry) (WakeHost, error) {
	v := e.Values
	h := WakeHost{Line: e.Line}
	if len(v) < 2 {
		return h, fmt.Errorf("POWERWAKE wants a host and a method: POWERWAKE <host> wol <MAC>|auto [<address>], or POWERWAKE <host> ipmi")
	}
	h.Name, h.Method = v[0], strings.ToLower(v[1])
	switch h.Method {
	case WakeOnLAN:
		if len(v) < 3 || len(v) > 4 {
			return h, fmt.Errorf("POWERWAKE %s wol wants a MAC address or auto, and may add the host's address", h.Name)
		}
		if strings.EqualFold(v[2], "auto") {
			h.Auto = true
		} else {
			mac, err := net.ParseMAC(v[2])
			if err != nil || len(mac) != 6 {
				return h, fmt.Errorf("POWERWAKE %s: %q is not a MAC address (six bytes, 52:54:00:12:34:56) or auto", h.Name, v[2])
			}
			h.MAC = mac
		}
		h.Addr = h.Name
		if len(v) == 4 {
			h.Addr = v[3]
		}
	case WakeIPMI:
		if len(v) != 2 {
			return h, fmt.Errorf("POWERWAKE %s ipmi takes nothing more (the host's nut-ipmipsu devices are found in the power chain)", h.Name)
		}
	default:
		return h, fmt.Errorf("POWERWAKE %s: method %q is not wol or ipmi", h.Name, v[1])
	}
	return h, nil
}

// validatePowerWake checks one PowerWake line; seen holds the hosts of
// the lines before.
func (d *diagger) validatePowerWake(e Entry, seen map[string]bool) {
	v := e.Values
	switch e.Key {
	case "POWERWAKE":
		h, err := parseWakeHost(e)
		if err != nil {
			d.at(e.Line, Error, "%v", err)
			return
		}
		if seen[h.Name] {
			d.at(e.Line, Error, "POWERWAKE %s: a second line for the same host", h.Name)
		}
		seen[h.Name] = true
	case "POWERWAKEUSER":
		if len(v) != 2 {
			d.at(e.Line, Error, "POWERWAKEUSER wants a username and a password")
		} else if strings.ContainsAny(v[1], wireUnsafe) {
			d.at(e.Line, Warning, "POWERWAKEUSER: powerchain sends the password unquoted and cannot log in with a space, =, #, \" or \\ in it")
		}
	default:
		n, err := strconv.Atoi(strings.Join(v, " "))
		switch {
		case len(v) != 1 || err != nil || n < 0:
			d.at(e.Line, Error, "%s %q is not a whole number of 0 or more", e.Key, strings.Join(v, " "))
		case e.Key == "POWERWAKECHARGE" && n > 100:
			d.at(e.Line, Error, "POWERWAKECHARGE %d: a battery charge is a percentage (0-100)", n)
		}
	}
}

// validatePowerWakeUser says that ipmi wakes need POWERWAKEUSER.
func (c *UpsmonConf) validatePowerWakeUser(d *diagger) {
	for _, h := range c.PowerWake.Hosts {
		if h.Method == WakeIPMI && c.PowerWake.Username == "" {
			d.at(h.Line, Error, "POWERWAKE %s ipmi: POWERWAKEUSER names the user that may run load.on on its nut-ipmipsu devices", h.Name)
		}
	}
}
