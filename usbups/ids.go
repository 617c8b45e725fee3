package usbups

import (
	_ "embed"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/powerchain/powerchain/internal/tabfile"
)

// ids.tab is the table, one record a line (read with internal/tabfile):
//
//	maker NAME                                  the maker of the devices below it (udev rules group by it)
//	device VVVV:PPPP DRIVER [SUBDRIVER...]      a device, in hex as lsusb prints it, and its NUT driver
//
// A usbhid-ups device names the subdrivers whose tables list it, in NUT's
// claim order; other drivers name none.
//
//go:embed ids.tab
var idsTab []byte

// table returns ids.tab's devices, read once on first use (not at init,
// which every command of the multi-call binary would pay for). A broken
// table panics with its file:line, and TestTable fails first.
var table = sync.OnceValue(mustParseIDs)

// parseIDs reads a table file; every error names its file:line.
func parseIDs(name string, src []byte) ([]ID, error) {
	recs, err := tabfile.Parse(name, src)
	if err != nil {
		return nil, err
	}
	var ids []ID
	var errs []error
	maker := ""
	seen := map[[2]uint16]string{}
	for _, r := range recs {
		switch r.Kind {
		case "maker":
			maker = r.Arg("maker name")
		case "device":
			id := ID{Maker: maker}
			id.Vendor, id.Product = parseVIDPID(r, r.Arg("vendor:product"))
			id.Driver = r.Arg("driver")
			id.Sub = strings.Join(r.Rest(), " ")
			switch {
			case id.Driver == "usbhid-ups" && id.Sub == "":
				r.Errorf("a usbhid-ups device names its subdrivers")
			case id.Driver != "usbhid-ups" && id.Sub != "":
				r.Errorf("subdrivers %q for %s: only usbhid-ups has subdrivers", id.Sub, id.Driver)
			}
			k := [2]uint16{id.Vendor, id.Product}
			if first, dup := seen[k]; dup {
				r.Errorf("%04x:%04x is at %s already", id.Vendor, id.Product, first)
			}
			seen[k] = r.Pos
			ids = append(ids, id)
		default:
			r.Errorf("unknown record kind")
		}
		errs = append(errs, r.Err())
	}
	return ids, errors.Join(errs...)
}

// parseVIDPID reads "051d:0002".
func parseVIDPID(r *tabfile.Record, s string) (vendor, product uint16) {
	v, p, ok := strings.Cut(s, ":")
	vn, err1 := strconv.ParseUint(v, 16, 16)
	pn, err2 := strconv.ParseUint(p, 16, 16)
	if !ok || len(v) != 4 || len(p) != 4 || err1 != nil || err2 != nil {
		r.Errorf("%q is not VVVV:PPPP in hexadecimal", s)
	}
	return uint16(vn), uint16(pn)
}

// mustParseIDs reads the embedded table; a broken table stops the
// program with its file:line rather than let it run with half a table.
func mustParseIDs() []ID {
	ids, err := parseIDs("usbups/ids.tab", idsTab)
	if err != nil {
		panic(fmt.Sprintf("usbups: %v", err))
	}
	return ids
}
