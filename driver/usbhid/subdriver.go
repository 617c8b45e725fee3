package usbhid

import (
	"strings"
	"sync"

	"github.com/powerchain/powerchain/hid"
	"github.com/powerchain/powerchain/usbups"
)

// Subdriver is one family's mapping from HID paths to NUT variables,
// as one of NUT's *-hid.c files declares it, read from its table
// (tables/NAME.tab). Which USB devices it claims is in usbups (the
// entries whose Sub names it); the rest is here.
type Subdriver struct {
	Name    string // NUT's subdriver name (usbups.ID.Sub, the subdriver= option)
	Version string // published as driver.version.data ("APC HID 0.98")
	// Usages names the family's vendor usages; they are searched before
	// hid.PowerDevice, so a subdriver may also rename standard ones.
	Usages hid.Names
	// Mfr is used for ups.mfr when the device has no manufacturer string.
	Mfr string
	// Iface is the USB interface of the HID function (0 for most).
	Iface int
	// Claim, when set, decides instead of the common rule (see claims).
	Claim func(d *Device, o *Options, s Support) bool
	// Setup runs once the subdriver is chosen, before the descriptor is
	// used: per-model quirks and conversion state (NUT's match hooks).
	Setup func(c *Conv)
	// Fix corrects a device's report descriptor (NUT's fix_report_desc).
	Fix func(c *Conv, d *hid.Descriptor)
	// Format sets ups.mfr, ups.model and ups.serial (and what else the
	// family derives from the USB strings); nil: the USB strings, Mfr
	// when there is no manufacturer string.
	Format func(c *Conv)
	// NewState makes the subdriver's per-device state (Conv.State).
	NewState func() any
	Rows     []Row
}

// Kind is what a row maps.
type Kind uint8

const (
	// Var is a NUT variable read from the device.
	Var Kind = iota
	// Status feeds ups.status: the lookup gives a status word ("online",
	// "!online" to clear it); NUT's BOOL rows.
	Status
	// Alarm adds the lookup's text to ups.alarm.
	Alarm
	// Cmd is an instant command: Format is the value written, unless the
	// command is given one.
	Cmd
	// Server is a variable the driver keeps, created with the default
	// value in Format when the path exists on the device (NUT's ABSENT
	// rows: ups.delay.start and ups.delay.shutdown).
	Server
)

func (k Kind) String() string {
	return [...]string{"var", "status", "alarm", "cmd", "server"}[k]
}

// Flag qualifies a row.
type Flag uint16

const (
	// Quick rows are also read in quick updates (every pollinterval);
	// the others only every pollfreq.
	Quick Flag = 1 << iota
	// Static rows are read once, at start-up.
	Static
	// SemiStatic rows are read at start-up and after a write.
	SemiStatic
	// Enum: a writable variable offers its lookup's texts as values.
	Enum
	// RW: writable with SET VAR.
	RW
	// String: a string variable of at most Len characters.
	String
	// Number: a numeric writable variable.
	Number
)

// Row maps one HID path to a NUT variable, status word, alarm or
// command. Rows of one name are alternatives: the first whose path the
// device has (and that reads) wins.
type Row struct {
	Kind Kind
	Name string // NUT variable or command ("" for Status and Alarm)
	Path string // HID usage path, named from Usages and hid.PowerDevice
	// Format is the printf verb of a number (Var), the value written
	// (Cmd) or the default (Server).
	Format string
	Flags  Flag
	Len    int // maximum length of a String variable
	Lookup *Lookup
}

// Pair is a HID value and its NUT text.
type Pair struct {
	Value int64
	Text  string
}

// Lookup turns HID values into NUT text and back: through Fun and Nuf
// when set, else by the table of Pairs (exact integer match).
type Lookup struct {
	Name  string // NUT's name for it, for messages and tests
	Pairs []Pair
	// Fun converts a HID value to text; false publishes nothing.
	Fun func(c *Conv, v float64) (string, bool)
	// Nuf converts text to the HID value to write.
	Nuf func(c *Conv, s string) (float64, bool)
}

// Text converts a HID value.
func (l *Lookup) Text(c *Conv, v float64) (string, bool) {
	if l.Fun != nil {
		return l.Fun(c, v)
	}
	for _, p := range l.Pairs {
		if p.Value == int64(v) {
			return p.Text, true
		}
	}
	return "", false
}

// Value converts text to the HID value to write; NUT writes -1 when
// nothing matches, and so does this.
func (l *Lookup) Value(c *Conv, s string) float64 {
	if l.Nuf != nil {
		if v, ok := l.Nuf(c, s); ok {
			return v
		}
		return -1
	}
	for _, p := range l.Pairs {
		if p.Text == s {
			return float64(p.Value)
		}
	}
	return -1
}

// subdrivers returns the subdrivers in NUT's claim order: the first that
// claims a device serves it. They are read from the embedded tables
// (tables/*.tab) once, on first use, not at init: reading them costs
// milliseconds that every command of the multi-call binary would pay. A
// broken table panics with its file:line, and TestLoadTables fails
// first.
var subdrivers = sync.OnceValue(mustLoadSubdrivers)

// Subdrivers returns the subdrivers in claim order.
func Subdrivers() []*Subdriver { return append([]*Subdriver(nil), subdrivers()...) }

// SubdriverByName returns a subdriver by NUT's name.
func SubdriverByName(name string) *Subdriver {
	for _, s := range subdrivers() {
		if strings.EqualFold(s.Name, name) {
			return s
		}
	}
	return nil
}

// Support is what a subdriver's USB table says of a device.
type Support int

const (
	// NotSupported: the vendor is not in the subdriver's table.
	NotSupported Support = iota
	// PossiblySupported: the vendor is, this product is not.
	PossiblySupported
	// Supported: vendor and product are in the table.
	Supported
)

// support looks a device up in the USB table entries of a subdriver.
func (s *Subdriver) support(vendor, product uint16) Support {
	res := NotSupported
	for _, id := range usbups.All() {
		if id.Driver != "usbhid-ups" || !id.Serves(s.Name) || id.Vendor != vendor {
			continue
		}
		if id.Product == product {
			return Supported
		}
		res = PossiblySupported
	}
	return res
}

// claims applies the subdriver's claim rule: a listed device is
// claimed; a device of a listed vendor only when the productid option is
// given (NUT's "possibly supported", which then leaves the product check
// to the productid match).
func (s *Subdriver) claims(d *Device, o *Options) bool {
	sup := s.support(d.Vendor, d.Product)
	if s.Claim != nil {
		return s.Claim(d, o, sup)
	}
	return commonClaim(sup, o)
}

func commonClaim(sup Support, o *Options) bool {
	switch sup {
	case Supported:
		return true
	case PossiblySupported:
		return o.ProductID != ""
	}
	return false
}

// choose returns the subdriver for a device: the first in claim order
// that claims it, if the device is the interface that subdriver uses.
func choose(d *Device, o *Options) *Subdriver {
	for _, s := range subdrivers() {
		if s.claims(d, o) {
			if d.Iface != s.Iface {
				return nil // another interface of the device is the UPS
			}
			return s
		}
	}
	return nil
}
