package usbhid

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/powerchain/powerchain/driver"
	"github.com/powerchain/powerchain/usbups"
)

// Hidraw finds USB HID devices under /sys/class/hidraw and opens their
// /dev/hidrawN nodes. The zero value uses the machine's /sys and /dev;
// tests give a fake tree.
type Hidraw struct {
	Sys, Dev string
}

func (h Hidraw) root() (sys, dev string) {
	return cmpOr(h.Sys, "/sys"), cmpOr(h.Dev, "/dev")
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Devices lists the hidraw nodes of USB devices, in node order.
func (h Hidraw) Devices(context.Context) ([]Device, error) {
	sys, dev := h.root()
	nodes, err := filepath.Glob(filepath.Join(sys, "class", "hidraw", "hidraw*"))
	if err != nil {
		return nil, err
	}
	sort.Slice(nodes, func(i, j int) bool { return nodeNumber(nodes[i]) < nodeNumber(nodes[j]) })
	var out []Device
	for _, n := range nodes {
		d, ok := usbHID(n)
		if !ok {
			continue // Bluetooth, I²C…: not a USB device
		}
		d.Path = filepath.Join(dev, filepath.Base(n))
		out = append(out, d)
	}
	return out, nil
}

func nodeNumber(path string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(filepath.Base(path), "hidraw"))
	return n
}

// usbHID reads what sysfs says of a hidraw node: its HID device sits in
// a USB interface, which sits in the USB device.
func usbHID(node string) (Device, bool) {
	hiddev, err := filepath.EvalSymlinks(filepath.Join(node, "device"))
	if err != nil || !strings.HasPrefix(filepath.Base(hiddev), "0003:") { // BUS_USB
		return Device{}, false
	}
	iface := filepath.Dir(hiddev)
	usbdev := filepath.Dir(iface)
	var d Device
	vendor, err1 := strconv.ParseUint(sysAttr(usbdev, "idVendor"), 16, 16)
	product, err2 := strconv.ParseUint(sysAttr(usbdev, "idProduct"), 16, 16)
	if err1 != nil || err2 != nil {
		return Device{}, false
	}
	d.Vendor, d.Product = uint16(vendor), uint16(product)
	if r, err := strconv.ParseUint(sysAttr(usbdev, "bcdDevice"), 16, 16); err == nil {
		d.Release = uint16(r)
	}
	d.Manufacturer = ascii(sysAttr(usbdev, "manufacturer"))
	d.ProductName = ascii(sysAttr(usbdev, "product"))
	d.Serial = ascii(sysAttr(usbdev, "serial"))
	if n, err := strconv.Atoi(sysAttr(usbdev, "busnum")); err == nil {
		d.Bus = fmt.Sprintf("%03d", n)
	}
	if n, err := strconv.Atoi(sysAttr(usbdev, "devnum")); err == nil {
		d.DevNum = fmt.Sprintf("%03d", n)
	}
	if n, err := strconv.ParseUint(sysAttr(iface, "bInterfaceNumber"), 16, 8); err == nil {
		d.Iface = int(n)
	}
	return d, true
}

// sysAttr reads a sysfs attribute without its final newline (the USB
// strings keep their other blanks, as the device sent them).
func sysAttr(dir, name string) string {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(b), "\n")
}

// ascii makes a string what libusb's ASCII string reads give NUT: every
// character outside ASCII is a '?'; control characters are dropped (a
// value cannot carry them).
func ascii(s string) string {
	return driver.Printable([]byte(strings.Map(func(r rune) rune {
		if r > 0x7f {
			return '?'
		}
		return r
	}, s)))
}

// Unreachable names the USB UPSes (of usbhid-ups' table) that sysfs
// shows but that have no hidraw node: their HID interface is not bound
// to the kernel's usbhid driver, as when NUT's usbhid-ups holds it
// through libusb.
func (h Hidraw) Unreachable(seen []Device) string {
	sys, _ := h.root()
	found, _, err := usbups.Scan(sys)
	if err != nil {
		return ""
	}
	var out []string
	for _, u := range found {
		if u.ID.Driver != "usbhid-ups" {
			continue
		}
		reachable := false
		for _, d := range seen {
			if d.Vendor == u.Vendor && d.Product == u.Product && d.Serial == u.Serial {
				reachable = true
			}
		}
		if !reachable {
			out = append(out, fmt.Sprintf("%04x:%04x (%s) has no hidraw node: another program holds its HID interface (NUT's usbhid-ups, through libusb?)",
				u.Vendor, u.Product, filepath.Base(u.Path)))
		}
	}
	return strings.Join(out, "; ")
}

// Open opens a hidraw node. The errors say what to do: a missing
// permission names the udev rule that grants it.
func (h Hidraw) Open(_ context.Context, d Device) (Transport, error) {
	f, err := os.OpenFile(d.Path, os.O_RDWR|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, openError(d, err)
	}
	sys, dev := h.root()
	return &hidraw{f: f, dev: d, sys: sys, devRoot: dev}, nil
}

// openError explains why a node would not open.
func openError(d Device, err error) error {
	id := fmt.Sprintf("%04x:%04x", d.Vendor, d.Product)
	switch {
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("usbhid-ups: %s (%s): permission denied; give the driver's group access with a udev rule, "+
			"e.g. in /etc/udev/rules.d/62-powerchain-hidraw.rules: %s, then run: udevadm control --reload && udevadm trigger",
			d.Path, id, usbups.HidrawRule(d.Vendor, d.Product, groupName()))
	case errors.Is(err, syscall.EBUSY):
		return fmt.Errorf("usbhid-ups: %s (%s): busy: another program holds the device", d.Path, id)
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENODEV), errors.Is(err, syscall.ENXIO):
		return fmt.Errorf("usbhid-ups: %s (%s): %w (unplugged?)", d.Path, id, ErrGone)
	}
	return fmt.Errorf("usbhid-ups: %s (%s): %w", d.Path, id, err)
}

// groupName is the group this process runs as (the one a udev rule must
// name), "nut" when it cannot tell.
func groupName() string {
	if g, err := user.LookupGroupId(strconv.Itoa(os.Getegid())); err == nil && g.Name != "root" {
		return g.Name
	}
	return "nut"
}

// hidraw is an open /dev/hidrawN.
type hidraw struct {
	f            *os.File
	dev          Device
	sys, devRoot string
}

// ioctl request numbers of linux/hidraw.h.
func hidiocFeature(set bool, n int) uint {
	nr := uint(0x07) // HIDIOCGFEATURE
	if set {
		nr = 0x06 // HIDIOCSFEATURE
	}
	return 3<<30 | uint(n)<<16 | 'H'<<8 | nr // _IOC(_IOC_WRITE|_IOC_READ, 'H', nr, len)
}

// control runs fn on the descriptor, translating errno into what the
// driver does: a gone device ends the connection, a stall or timeout
// skips one item.
func (h *hidraw) control(what string, fn func(fd int) error) error {
	rc, err := h.f.SyscallConn()
	if err != nil {
		return fmt.Errorf("%s: %w", h.dev.Path, ErrGone)
	}
	var ioErr error
	if err := rc.Control(func(fd uintptr) { ioErr = fn(int(fd)) }); err != nil {
		return fmt.Errorf("%s: %w", h.dev.Path, ErrGone)
	}
	return h.classify(what, ioErr)
}

func (h *hidraw) classify(what string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, syscall.ENODEV), errors.Is(err, syscall.ENXIO), errors.Is(err, syscall.ESHUTDOWN),
		errors.Is(err, syscall.EIO), errors.Is(err, os.ErrClosed), errors.Is(err, syscall.EBADF):
		return fmt.Errorf("%s: %s: %w (%v)", h.dev.Path, what, ErrGone, err)
	}
	return fmt.Errorf("%s: %s: %w", h.dev.Path, what, err)
}

// ReportDescriptor reads the kernel's copy of the report descriptor.
func (h *hidraw) ReportDescriptor(context.Context) ([]byte, error) {
	var out []byte
	err := h.control("report descriptor", func(fd int) error {
		size, err := unix.IoctlGetUint32(fd, unix.HIDIOCGRDESCSIZE)
		if err != nil {
			return err
		}
		d := unix.HIDRawReportDescriptor{Size: size}
		if err := unix.IoctlHIDGetDesc(fd, &d); err != nil {
			return err
		}
		out = append([]byte(nil), d.Value[:min(int(size), len(d.Value))]...)
		return nil
	})
	return out, err
}

func (h *hidraw) feature(set bool, buf []byte) (int, error) {
	var n int
	err := h.control("feature report", func(fd int) error {
		r, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), uintptr(hidiocFeature(set, len(buf))), uintptr(unsafe.Pointer(&buf[0])))
		runtime.KeepAlive(buf)
		if errno != 0 {
			return errno
		}
		n = int(r)
		return nil
	})
	return n, err
}

// GetFeature reads a Feature report (HIDIOCGFEATURE).
func (h *hidraw) GetFeature(_ context.Context, buf []byte) (int, error) { return h.feature(false, buf) }

// SetFeature writes a Feature report (HIDIOCSFEATURE).
func (h *hidraw) SetFeature(_ context.Context, buf []byte) error {
	_, err := h.feature(true, buf)
	return err
}

// ReadInput waits for an Input report for up to a second (or until ctx
// ends).
func (h *hidraw) ReadInput(ctx context.Context, buf []byte) (int, error) {
	deadline := time.Now().Add(time.Second)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	stop := context.AfterFunc(ctx, func() { h.f.SetReadDeadline(time.Now()) })
	defer stop()
	if err := h.f.SetReadDeadline(deadline); err != nil {
		return 0, h.classify("input report", err)
	}
	n, err := h.f.Read(buf)
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		return 0, ErrNoReport
	case err != nil:
		return 0, h.classify("input report", err)
	}
	return n, nil
}

// String reads a USB string descriptor. hidraw has no request for it:
// the three of the device descriptor come from sysfs, any other from the
// USB device node (usbfs, which NUT's udev rules open to its group).
func (h *hidraw) String(_ context.Context, index int) (string, error) {
	if s, ok := h.sysfsString(index); ok {
		return s, nil
	}
	return h.usbfsString(index)
}

// sysfsString answers for the indices of iManufacturer, iProduct and
// iSerialNumber (bytes 14-16 of the device descriptor sysfs keeps).
func (h *hidraw) sysfsString(index int) (string, bool) {
	usbdev, ok := h.usbDir()
	if !ok || index == 0 {
		return "", false
	}
	desc, err := os.ReadFile(filepath.Join(usbdev, "descriptors"))
	if err != nil || len(desc) < 18 {
		return "", false
	}
	for i, attr := range map[int]string{14: "manufacturer", 15: "product", 16: "serial"} {
		if int(desc[i]) == index {
			return ascii(sysAttr(usbdev, attr)), true
		}
	}
	return "", false
}

func (h *hidraw) usbDir() (string, bool) {
	hiddev, err := filepath.EvalSymlinks(filepath.Join(h.sys, "class", "hidraw", filepath.Base(h.dev.Path), "device"))
	if err != nil {
		return "", false
	}
	return filepath.Dir(filepath.Dir(hiddev)), true
}

// usbdevfsCtrl is struct usbdevfs_ctrltransfer.
type usbdevfsCtrl struct {
	RequestType, Request uint8
	Value, Index, Length uint16
	Timeout              uint32 // ms
	Data                 unsafe.Pointer
}

// usbfsString asks the device for a string descriptor with a control
// transfer on its usbfs node (language: the first the device offers).
func (h *hidraw) usbfsString(index int) (string, error) {
	if h.dev.Bus == "" || h.dev.DevNum == "" {
		return "", fmt.Errorf("string %d: no USB device node", index)
	}
	node := filepath.Join(h.devRoot, "bus", "usb", h.dev.Bus, h.dev.DevNum)
	f, err := os.OpenFile(node, os.O_RDWR|syscall.O_CLOEXEC, 0)
	if err != nil {
		return "", fmt.Errorf("string %d: %w", index, err)
	}
	defer f.Close()
	get := func(index, lang uint16) ([]byte, error) {
		buf := make([]byte, 255)
		ct := usbdevfsCtrl{RequestType: 0x80, Request: 0x06, Value: 0x0300 | index, Index: lang,
			Length: uint16(len(buf)), Timeout: 1000, Data: unsafe.Pointer(&buf[0])}
		req := uintptr(3<<30 | unsafe.Sizeof(ct)<<16 | 'U'<<8 | 0) // USBDEVFS_CONTROL
		n, _, errno := unix.Syscall(unix.SYS_IOCTL, f.Fd(), req, uintptr(unsafe.Pointer(&ct)))
		runtime.KeepAlive(buf)
		if errno != 0 {
			return nil, errno
		}
		if n < 2 || int(buf[0]) > int(n) || buf[1] != 0x03 {
			return nil, fmt.Errorf("malformed string descriptor")
		}
		return buf[2:buf[0]], nil
	}
	langs, err := get(0, 0)
	if err != nil || len(langs) < 2 {
		return "", fmt.Errorf("string %d: languages: %v", index, err)
	}
	b, err := get(uint16(index), uint16(langs[0])|uint16(langs[1])<<8)
	if err != nil {
		return "", fmt.Errorf("string %d: %w", index, err)
	}
	s := make([]byte, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 { // UTF-16LE to ASCII, as libusb does
		if b[i+1] == 0 && b[i] < 0x80 {
			s = append(s, b[i])
		} else {
			s = append(s, '?')
		}
	}
	return driver.Printable(s), nil
}

// Close closes the node.
func (h *hidraw) Close() error { return h.f.Close() }
