package usbhid

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/powerchain/powerchain/driver"
)

// Defaults, as NUT's usbhid-ups has them.
const (
	DefaultPollInterval = 2 * time.Second
	DefaultPollFreq     = 30 * time.Second
	DefaultOnDelay      = "30" // ups.delay.start
	DefaultOffDelay     = "20" // ups.delay.shutdown
)

// Options are the ups.conf keys usbhid-ups reads.
type Options struct {
	// Port is "auto", a hidraw node (/dev/hidraw3) to use and no other,
	// or a .replay recording to play.
	Port string
	// The device selection: regular expressions (extended, case
	// insensitive, matching the whole string; IDs as four lower-case hex
	// digits). Empty matches anything.
	VendorID, ProductID, Vendor, Product, Serial, Bus, DevNum string
	match                                                     []matcher

	PollInterval time.Duration // quick updates (status)
	PollFreq     time.Duration // full updates
	// PollOnly: do not read Input reports (interrupt transfers).
	PollOnly bool
	// InterruptOnly: values come only from Input reports (paths resolve
	// against Input fields), as some PowerCOM units need.
	InterruptOnly bool
	InterruptSize int
	// MaxReport: ask for whole buffers (old APC Back-UPS firmwares).
	MaxReport bool
	// OnlineDischarge: OL with DISCHRG means on battery.
	OnlineDischarge bool
	// Explore: claim any device (with vendorid), map nothing: for dumps.
	Explore bool
	// OnDelay, OffDelay, LowBatt replace the start values of
	// ups.delay.start, ups.delay.shutdown and battery.charge.low ("" to
	// keep the defaults and the device's).
	OnDelay, OffDelay, LowBatt string
}

type matcher struct {
	key string
	re  *regexp.Regexp
	get func(d *Device) string
}

// ParseOptions reads a ups.conf section.
func ParseOptions(cfg driver.Config) (*Options, error) {
	get := func(k string) string { v, _ := cfg.Get(k); return v }
	has := func(k string) bool { _, ok := cfg.Get(k); return ok }
	o := &Options{Port: cfg.Port, PollInterval: DefaultPollInterval, PollFreq: DefaultPollFreq,
		VendorID: get("vendorid"), ProductID: get("productid"), Vendor: get("vendor"),
		Product: get("product"), Serial: get("serial"), Bus: get("bus"), DevNum: get("device"),
		PollOnly: has("pollonly"), InterruptOnly: has("interruptonly"), MaxReport: has("maxreport"),
		OnlineDischarge: has("onlinedischarge"), Explore: has("explore"),
		OnDelay: get("ondelay"), OffDelay: get("offdelay"), LowBatt: get("lowbatt")}
	if o.Port == "" {
		o.Port = "auto"
	}
	for key, dst := range map[string]*time.Duration{"pollinterval": &o.PollInterval, "pollfreq": &o.PollFreq} {
		if s := get(key); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 {
				return nil, driver.BadOption(key, fmt.Errorf("usbhid-ups: %s %q: want a number of seconds", key, s))
			}
			*dst = time.Duration(n) * time.Second
		}
	}
	if s := get("interruptsize"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return nil, driver.BadOption("interruptsize", fmt.Errorf("usbhid-ups: interruptsize %q: want a positive number of bytes", s))
		}
		o.InterruptSize = n
	}
	for key, s := range map[string]string{"ondelay": o.OnDelay, "offdelay": o.OffDelay, "lowbatt": o.LowBatt} {
		if s != "" {
			if _, err := strconv.Atoi(s); err != nil {
				return nil, driver.BadOption(key, fmt.Errorf("usbhid-ups: %s %q: want a whole number", key, s))
			}
		}
	}
	if o.Explore && o.VendorID == "" {
		return nil, driver.BadOption("explore", errors.New(`usbhid-ups: "explore" needs "vendorid"`))
	}
	for _, m := range []struct {
		key, expr string
		get       func(d *Device) string
	}{
		{"vendorid", o.VendorID, func(d *Device) string { return fmt.Sprintf("%04x", d.Vendor) }},
		{"productid", o.ProductID, func(d *Device) string { return fmt.Sprintf("%04x", d.Product) }},
		{"vendor", o.Vendor, func(d *Device) string { return d.Manufacturer }},
		{"product", o.Product, func(d *Device) string { return d.ProductName }},
		{"serial", o.Serial, func(d *Device) string { return d.Serial }},
		{"bus", o.Bus, func(d *Device) string { return d.Bus }},
		{"device", o.DevNum, func(d *Device) string { return d.DevNum }},
	} {
		if m.expr == "" {
			continue
		}
		re, err := regexp.Compile(`^(?i:(?:` + m.expr + `))$`)
		if err != nil {
			return nil, driver.BadOption(m.key, fmt.Errorf("usbhid-ups: %s %q: invalid regular expression: %w", m.key, m.expr, err))
		}
		o.match = append(o.match, matcher{m.key, re, m.get})
	}
	return o, nil
}

// Matches reports whether a device passes the selection options (the
// strings compared without leading and trailing blanks, as NUT does).
func (o *Options) Matches(d *Device) bool {
	for _, m := range o.match {
		if !m.re.MatchString(strings.TrimSpace(m.get(d))) {
			return false
		}
	}
	return true
}
