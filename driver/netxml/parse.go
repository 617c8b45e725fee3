package netxml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/powerchain/powerchain/driver"
)

// state is what the driver knows of the card: the variables it
// publishes (in the order they were first set), the status bits, and
// what product.xml said about the card's pages.
type state struct {
	vals  map[string]string
	order []string
	bits  statusBit

	// from the driver's options
	convertDeci      bool
	shutdownDuration int

	// from product.xml
	transverse bool
	pages      pages

	shutdownPending bool
	// phases: input., input.bypass. and output. are counted once each.
	phasesDone map[string]bool
}

// pages are the card's pages, as product.xml names them ("" when it
// does not).
type pages struct {
	summary, getObject, setObject, configure, subscribe string
}

func newState() *state {
	return &state{vals: map[string]string{}, phasesDone: map[string]bool{}, shutdownDuration: 120}
}

func (s *state) set(name, value string) {
	value = driver.Printable([]byte(value)) // a newline would end a protocol line
	if _, ok := s.vals[name]; !ok {
		s.order = append(s.order, name)
	}
	s.vals[name] = value
}

func (s *state) del(name string) {
	if _, ok := s.vals[name]; ok {
		delete(s.vals, name)
		s.order = deleteName(s.order, name)
	}
}

func deleteName(names []string, name string) []string {
	for i, n := range names {
		if n == name {
			return append(names[:i:i], names[i+1:]...)
		}
	}
	return names
}

func (s *state) setBit(b statusBit, on bool) {
	if on {
		s.bits |= b
	} else {
		s.bits &^= b
	}
}

// maxValue is the longest value kept of an object (NUT's buffer holds
// 127 bytes).
const maxValue = 127

// object applies one object of the card: through its row, if it has one.
func (s *state) object(name, value string) {
	if value == "" {
		return // NUT ignores objects without a value
	}
	r, ok := mapping().byXML[strings.ToLower(name)]
	if !ok {
		return
	}
	if r.flags&static != 0 {
		if _, set := s.vals[r.nut]; set {
			return
		}
	}
	if r.conv != nil {
		var publish bool
		if value, publish = r.conv(s, value); !publish {
			return
		}
	}
	if r.nut != "" {
		s.set(r.nut, value)
	}
}

// errV4 is a card of the newer protocol, which NUT's netxml-ups does not
// speak either.
var errV4 = errors.New("the card speaks NetXML version 4 (protocol=\"XML.V4\"), which netxml-ups does not support")

// parse reads one XML document of the card (product.xml, the summary or
// object page, an alarm, the configuration page) into the state, as
// NUT's parser reads it: element names without regard to case or
// namespace; unknown elements and their content ignored.
func (s *state) parse(doc []byte) error {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = false
	d.CharsetReader = charsetReader
	var path []string // lower-case names of the open elements
	var objName, objVal string
	inObject := false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			if len(path) > 0 {
				return fmt.Errorf("XML ends inside <%s>", path[len(path)-1])
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			path = append(path, name)
			if err := s.start(path, t.Attr); err != nil {
				return err
			}
			if len(path) == 2 && name == "object" && (path[0] == "summary" || path[0] == "get_object") {
				objName, objVal, inObject = attr(t.Attr, "name"), "", true
			}
		case xml.CharData:
			if inObject && string(t) != "\n" && len(objVal) < maxValue {
				objVal += string(t)
				if len(objVal) > maxValue {
					objVal = objVal[:maxValue]
				}
			}
		case xml.EndElement:
			if len(path) == 0 {
				break
			}
			if inObject && len(path) == 2 {
				s.object(objName, objVal)
				inObject = false
			}
			if len(path) == 1 && path[0] == "get_object" && objVal != "" {
				// A snapshot of the card's data: count phases once.
				for _, p := range []string{"input.", "input.bypass.", "output."} {
					s.detectPhases(p)
				}
			}
			path = path[:len(path)-1]
		}
	}
}

// start handles an element's attributes where they carry data.
func (s *state) start(path []string, attrs []xml.Attr) error {
	at := func(n string) string { return attr(attrs, n) }
	switch strings.Join(path, "/") {
	case "product_info":
		var aux []string
		for _, a := range attrs {
			switch v := cut(a.Value); strings.ToLower(a.Name.Local) {
			case "name":
				aux = []string{v}
			case "type":
				aux = append(aux, v)
				if strings.EqualFold(v, "Transverse") {
					s.transverse = true
				} else if strings.Contains(v, "ePDU") {
					s.set("device.type", "pdu")
				}
			case "version":
				aux = append(aux, v)
				joined := cut(strings.Join(aux, "/"))
				if i := strings.Index(joined, " (SN "); i >= 0 {
					s.set("ups.serial", strings.TrimRight(joined[i+5:], ")"))
					joined = joined[:i]
				}
				s.set("ups.firmware.aux", joined)
			case "protocol":
				if strings.EqualFold(v, "XML.V4") {
					return errV4
				}
			}
		}
	case "product_info/summary/xml_summary_page":
		s.pages.summary = urlPath(at("url"))
	case "product_info/summary/central_cfg":
		s.pages.configure = urlPath(at("url"))
	case "product_info/alarms/subscription":
		s.pages.subscribe = urlPath(at("url"))
	case "product_info/ups_data/get_object", "product_info/dev_data/get_object":
		s.pages.getObject = urlPath(at("url"))
	case "product_info/ups_data/set_object", "product_info/dev_data/set_object":
		s.pages.setObject = urlPath(at("url"))
	case "alarm":
		if d := at("date"); d != "" {
			tm, _ := splitDateTime(s, d)
			s.set("ups.time", tm)
		}
		s.object(at("object"), at("value"))
	case "xml-client/general/shutdown", "xml-client/shutdown":
		for _, a := range attrs {
			switch strings.ToLower(a.Name.Local) {
			case "shutdowntimer":
				s.set("driver.timer.shutdown", cut(a.Value))
			case "shutdownduration":
				s.set("driver.delay.shutdown", cut(a.Value))
			}
		}
	}
	return nil
}

// attr is an attribute's value by name, without regard to case, cut to
// NUT's 127 bytes.
func attr(attrs []xml.Attr, name string) string {
	for _, a := range attrs {
		if strings.EqualFold(a.Name.Local, name) {
			return cut(a.Value)
		}
	}
	return ""
}

// cut is a value cut to NUT's buffer of 127 bytes.
func cut(v string) string {
	if len(v) > maxValue {
		return v[:maxValue]
	}
	return v
}

// urlPath is a page of product.xml as a path: its first word, with a
// leading slash ("upsprop.xml" → "/upsprop.xml"). "" when absent.
func urlPath(u string) string {
	f := strings.Fields(u)
	if len(f) == 0 {
		return ""
	}
	return "/" + f[0]
}

// detectPhases publishes PREFIXphases once the card's values show how
// many phases there are, as NUT's dstate_detect_phasecount does: 3 with
// values of two or three lines (or any line-to-line voltage), 2 with two
// and no third, 1 with one only. A zero or empty value counts as none.
func (s *state) detectPhases(prefix string) {
	if s.phasesDone[prefix] {
		return
	}
	has := func(suffix string) bool {
		v, ok := s.vals[prefix+suffix]
		return ok && v != "" && v != "0"
	}
	v1, v2, v3 := has("L1.voltage"), has("L2.voltage"), has("L3.voltage")
	v1n, v2n, v3n := has("L1-N.voltage"), has("L2-N.voltage"), has("L3-N.voltage")
	v12, v23, v31 := has("L1-L2.voltage"), has("L2-L3.voltage"), has("L3-L1.voltage")
	c1, c2, c3 := has("L1.current"), has("L2.current"), has("L3.current")
	v0, c0 := has("voltage"), has("current")
	n := 0
	switch {
	case v1 && v2 && !v3 || v1n && v2n && !v3n || c1 && c2 && !c3 || v12 && !v23 && !v31:
		n = 2
	case v1 && v2 && v3 || v1n && v2n && v3n || c1 && (c2 || c3) || c2 && (c1 || c3) || c3 && (c1 || c2) || v12 || v23 || v31:
		n = 3
	case c0 && !c1 && !c2 && !c3 || v0 && !v1 && !v2 && !v3 ||
		one(c1, c2, c3) || one(v1, v2, v3) || one(v1n, v2n, v3n):
		n = 1
	default:
		return
	}
	s.phasesDone[prefix] = true
	s.set(prefix+"phases", fmt.Sprint(n))
}

// one reports whether exactly one of three is true.
func one(a, b, c bool) bool {
	return a && !b && !c || !a && b && !c || !a && !b && c
}

// statusWords is ups.status from the bits, in NUT's order (FSD for a
// shutdown the card announces).
func (s *state) statusWords() string {
	b := s.bits
	var w []string
	if b&online != 0 {
		w = append(w, "OL")
	} else {
		w = append(w, "OB")
	}
	for _, f := range []struct {
		bit  statusBit
		word string
	}{{dischrg, "DISCHRG"}, {chrg, "CHRG"}, {lowBatt, "LB"}, {overload, "OVER"}, {replaceBatt, "RB"},
		{trim, "TRIM"}, {boost, "BOOST"}, {bypassAuto | bypassMan, "BYPASS"}, {off, "OFF"}, {shutdownImm, "FSD"}, {cal, "CAL"}} {
		if b&f.bit != 0 {
			w = append(w, f.word)
		}
	}
	return strings.Join(w, " ")
}

// alarms are the texts of ups.alarm for the bits set.
var alarms = []struct {
	bit  statusBit
	text string
}{
	{replaceBatt, "Replace battery!"}, {shutdownImm, "Shutdown imminent!"}, {fanFail, "Fan failure!"},
	{noBattery, "No battery installed!"}, {battVoltLo, "Battery voltage too low!"}, {battVoltHi, "Battery voltage too high!"},
	{chargerFail, "Battery charger fail!"}, {overheat, "Temperature too high!"}, {commFault, "Communication fault!"},
	{internalFault, "Internal UPS fault!"}, {fuseFault, "Fuse fault!"}, {bypassAuto, "Automatic bypass mode!"},
	{bypassMan, "Manual bypass mode!"},
}

// commit sets ups.status, ups.alarm and input.transfer.reason from the
// bits (an alarm adds ALARM to the status, as NUT's status_commit does).
func (s *state) commit() {
	switch {
	case s.bits&vRange != 0:
		s.set("input.transfer.reason", "input voltage out of range")
	case s.bits&fRange != 0:
		s.set("input.transfer.reason", "input frequency out of range")
	default:
		s.del("input.transfer.reason")
	}
	var texts []string
	for _, a := range alarms {
		if s.bits&a.bit != 0 {
			texts = append(texts, a.text)
		}
	}
	status := s.statusWords()
	if len(texts) > 0 {
		s.set("ups.alarm", strings.Join(texts, " "))
		status = "ALARM " + status
	} else {
		s.del("ups.alarm")
	}
	s.set("ups.status", status)
}

// charsetReader reads the 8-bit encodings cards declare (ISO-8859-1 and
// its kin) as Latin-1; UTF-8 and US-ASCII as they are.
func charsetReader(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return r, nil
	}
	b, err := io.ReadAll(io.LimitReader(r, maxPage))
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(b))
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return bytes.NewReader(out), nil
}
