package usbhid

import (
	"context"
	"errors"
)

// Device is what identifies a USB HID device before it is opened.
type Device struct {
	Vendor, Product uint16
	Release         uint16 // bcdDevice
	// The USB strings (iManufacturer, iProduct, iSerialNumber), as the
	// device gives them ("" when it has none).
	Manufacturer, ProductName, Serial string
	Bus                               string // "001", as NUT formats it
	DevNum                            string // "003"
	Path                              string // what to open: a hidraw node, a replay file
	Iface                             int    // USB interface number of the HID function
}

// Transport is the USB HID link to one device: the report descriptor,
// Feature reports read and written, Input reports as they arrive, and
// the device's string descriptors. Reports are framed as hidraw frames
// them: byte 0 is the report ID (0 when the device numbers none).
type Transport interface {
	// ReportDescriptor returns the report descriptor.
	ReportDescriptor(ctx context.Context) ([]byte, error)
	// GetFeature reads the Feature report buf[0] into buf and returns
	// how many bytes the device sent (its ID byte included).
	GetFeature(ctx context.Context, buf []byte) (int, error)
	// SetFeature writes the Feature report buf[0].
	SetFeature(ctx context.Context, buf []byte) error
	// ReadInput waits for the next Input report (an interrupt transfer)
	// and returns its length; ErrNoReport when none comes before ctx
	// ends or the transport's own wait is over.
	ReadInput(ctx context.Context, buf []byte) (int, error)
	// String returns the USB string descriptor of an index.
	String(ctx context.Context, index int) (string, error)
	Close() error
}

// Errors a transport returns, by what the driver does about them.
var (
	// ErrNoReport: no Input report arrived (not a failure).
	ErrNoReport = errors.New("usbhid: no input report")
	// ErrGone: the device went away (unplugged, reset); reconnect.
	ErrGone = errors.New("usbhid: device gone")
)

// Opener finds and opens a device: the hidraw nodes of the machine, or a
// recording.
type Opener interface {
	// Devices lists the HID devices it can open.
	Devices(ctx context.Context) ([]Device, error)
	// Open opens one of them.
	Open(ctx context.Context, d Device) (Transport, error)
}
