package netxml

import (
	_ "embed"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/powerchain/powerchain/internal/tabfile"
)

// The mapping is data: mgexml.tab holds NUT 2.8.0's table, a record a
// row (its header says how). The conversions its rows name are Go
// (convert.go), found here by name: those that take no argument in
// convs, the others by what their argument names.
//
//go:embed mgexml.tab
var mappingFile []byte

// mappingName is the table file's name in errors.
const mappingName = "mgexml.tab"

// convs are the conversions a row names without an argument.
var convs = map[string]conv{
	"charging": charging, "discharging": discharging, "deci": deci, "ignoreIfZero": ignoreIfZero,
	"splitDateTime": splitDateTime, "testResult": testResult, "ambient": ambient,
	"timerShutdown": timerShutdown, "shutdownImminent": shutdownImminent,
}

// bitConvs are the conversions that set the status bit their argument
// names.
var bitConvs = map[string]func(statusBit) conv{"bit": bit, "yesBit": yesBit, "zeroBit": zeroBit}

// statusBits are the status bits by name.
var statusBits = map[string]statusBit{
	"online": online, "dischrg": dischrg, "chrg": chrg, "lowBatt": lowBatt, "overload": overload,
	"replaceBatt": replaceBatt, "shutdownImm": shutdownImm, "trim": trim, "boost": boost,
	"bypassAuto": bypassAuto, "bypassMan": bypassMan, "off": off, "overheat": overheat,
	"commFault": commFault, "internalFault": internalFault, "fanFail": fanFail, "noBattery": noBattery,
	"battVoltLo": battVoltLo, "battVoltHi": battVoltHi, "chargerFail": chargerFail,
	"vRange": vRange, "fRange": fRange, "fuseFault": fuseFault, "cal": cal,
}

// lookups are the number-to-word lookups by name.
var lookups = map[string]map[int]string{
	"beeper": beeper, "sensitivity": sensitivity, "dryContact": dryContact, "upsType": upsType,
}

// mapping is the table and its indexes, read from mgexml.tab on first
// use.
var mapping = sync.OnceValue(func() *rows {
	t, err := parseTable(mappingName, mappingFile)
	if err != nil {
		panic("netxml: " + err.Error())
	}
	return t
})

// rows are the table's rows in NUT's order, with the row of each object
// (case-insensitive) and of each variable; for a name given twice, the
// first row wins.
type rows struct {
	all   []row
	byXML map[string]*row
	byNUT map[string]*row
}

// parseTable reads a table file (name is for errors): each error names
// its file:line.
func parseTable(name string, src []byte) (*rows, error) {
	recs, err := tabfile.Parse(name, src)
	if err != nil {
		return nil, err
	}
	t := &rows{}
	var errs []error
	for _, r := range recs {
		if x, ok := readRow(r); ok {
			t.all = append(t.all, x)
		}
		errs = append(errs, r.Err())
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	t.byXML, t.byNUT = map[string]*row{}, map[string]*row{}
	for i := range t.all {
		r := &t.all[i]
		if k := strings.ToLower(r.xml); t.byXML[k] == nil {
			t.byXML[k] = r
		}
		if r.nut != "" && t.byNUT[r.nut] == nil {
			t.byNUT[r.nut] = r
		}
	}
	return t, nil
}

// readRow reads a var or status record.
func readRow(r *tabfile.Record) (row, bool) {
	var x row
	switch r.Kind {
	case "var":
		x.nut = r.Arg("variable")
	case "status":
	default:
		r.Errorf("unknown record")
		return x, false
	}
	x.xml = r.Arg("object")
	for _, f := range r.List("flags") {
		switch f {
		case "rw":
			x.flags |= rw
		case "static":
			x.flags |= static
		default:
			r.Errorf("unknown flag %q", f)
		}
	}
	x.conv = readConv(r)
	if r.Kind == "status" && x.conv == nil {
		r.Errorf("a status row needs a conv")
	}
	return x, true
}

// readConv reads a row's conv and arg attributes: nil for none.
func readConv(r *tabfile.Record) conv {
	name := r.Attr("conv", "")
	if name == "" {
		return nil
	}
	if c, ok := convs[name]; ok {
		return c
	}
	arg := r.Attr("arg", "")
	if arg == "" {
		r.Errorf("conv=%s: unknown, or missing its arg", name)
		return nil
	}
	if mk, ok := bitConvs[name]; ok {
		b, ok := statusBits[arg]
		if !ok {
			r.Errorf("conv=%s: unknown status bit %q", name, arg)
		}
		return mk(b)
	}
	switch name {
	case "words":
		w := strings.Split(arg, ",")
		if len(w) != 2 {
			r.Errorf("conv=words: arg=%q is not two words", arg)
			return nil
		}
		return words(w[0], w[1])
	case "lookup":
		m, ok := lookups[arg]
		if !ok {
			r.Errorf("conv=lookup: unknown lookup %q (%s)", arg, strings.Join(slices.Sorted(maps.Keys(lookups)), ", "))
		}
		return lookup(m)
	case "divide":
		by, err := strconv.ParseFloat(arg, 32)
		if err != nil || by == 0 {
			r.Errorf("conv=divide: arg=%q is not a divisor", arg)
			return nil
		}
		return divide(float32(by))
	}
	r.Errorf("unknown conv %q", name)
	return nil
}
