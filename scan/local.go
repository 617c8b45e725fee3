package scan

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/powerchain/powerchain/usbups"
)

// USB lists the UPSes that sysfs (normally /sys) shows, as nut-scanner
// writes them: port "auto" and the ids that pick the device.
func USB(sysfs string) ([]Device, error) {
	found, _, err := usbups.Scan(sysfs)
	if err != nil {
		return nil, err
	}
	var out []Device
	for _, u := range found {
		d := Device{Bus: BusUSB, Driver: u.ID.Driver, Port: "auto"}
		d.Options = append(d.Options, Option{"vendorid", fmt.Sprintf("%04X", u.Vendor)}, Option{"productid", fmt.Sprintf("%04X", u.Product)})
		// The bus as nut-scanner writes it and the drivers match it
		// (a whole-string match): "001", not sysfs's "1".
		bus := u.Bus
		if n, err := strconv.Atoi(bus); err == nil {
			bus = fmt.Sprintf("%03d", n)
		}
		for _, kv := range [][2]string{{"product", u.ProductName}, {"serial", u.Serial}, {"vendor", u.Manufacturer}, {"bus", bus}} {
			if kv[1] != "" {
				d.Options = append(d.Options, Option{kv[0], kv[1]})
			}
		}
		out = append(out, d)
	}
	return out, nil
}

// BusSimulation names the simulation bus in parsable output.
const BusSimulation = "SIMULATION"

// Simulation lists the dummy-ups simulation files (.dev, .seq) of a
// configuration directory.
func Simulation(confDir string) ([]Device, error) {
	var names []string
	for _, pat := range []string{"*.dev", "*.seq"} {
		m, err := filepath.Glob(filepath.Join(confDir, pat))
		if err != nil {
			return nil, err
		}
		names = append(names, m...)
	}
	sort.Strings(names)
	var out []Device
	for _, p := range names {
		if fi, err := os.Stat(p); err != nil || !fi.Mode().IsRegular() {
			continue
		}
		out = append(out, Device{Bus: BusSimulation, Driver: "dummy-ups", Port: filepath.Base(p),
			Desc: "simulation " + strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))})
	}
	return out, nil
}
