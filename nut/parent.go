package nut

import (
	"fmt"
	"strconv"
	"strings"
)

// Parent is where a device draws its power from, written
// "device[:outlet][@host[:port]]" (the value of ups.conf's parent keys and
// of the variable device.parent); the zero Parent (written "main" or left
// empty) is the mains. It sits beside UPSName, whose syntax it extends
// with an outlet.
type Parent struct {
	Device string // "" for mains
	Outlet string // as written: "outlet1", "3" or a name; "" for the whole device
	Host   string // "" for the same server
	Port   int    // 0 for the default port
}

// IsMains reports whether the parent is the mains supply.
func (p Parent) IsMains() bool { return p.Device == "" }

// OutletNumber returns N for an outlet written "N" or "outletN".
func (p Parent) OutletNumber() (int, bool) {
	s := strings.TrimPrefix(p.Outlet, "outlet")
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// ParseParent parses the value of a "parent" key or of device.parent.
func ParseParent(s string) (Parent, error) {
	if s == "" || s == "main" || s == "mains" {
		return Parent{}, nil
	}
	var p Parent
	devOutlet, hostport, hasHost := strings.Cut(s, "@")
	dev, outlet, hasOutlet := strings.Cut(devOutlet, ":")
	if err := CheckDeviceName(dev); err != nil {
		return p, fmt.Errorf("parent %q: %w (want device[:outlet][@host[:port]])", s, err)
	}
	if hasOutlet {
		if outlet == "" {
			return p, fmt.Errorf("parent %q: empty outlet (want device[:outlet][@host[:port]])", s)
		}
		if err := CheckDeviceName(outlet); err != nil {
			return p, fmt.Errorf("parent %q: outlet: %w", s, err)
		}
	}
	p.Device, p.Outlet = dev, outlet
	if hasHost {
		host, port, err := ParseHostPort(hostport)
		if err != nil {
			return p, fmt.Errorf("parent %q: %w (want device[:outlet][@host[:port]])", s, err)
		}
		p.Host, p.Port = host, port
	}
	return p, nil
}

// String formats the parent in the syntax ParseParent reads; mains is
// "main".
func (p Parent) String() string {
	if p.IsMains() {
		return "main"
	}
	s := p.Device
	if p.Outlet != "" {
		s += ":" + p.Outlet
	}
	if p.Host != "" {
		s += "@" + JoinHostPort(p.Host, p.Port)
	}
	return s
}
