package netxml

import (
	"strings"
	"testing"
)

// TestSubscribeReply: the card's reply is read line by line for <Port>
// and <Secret> anywhere in it (numbers in C's notation); a reply without
// both is refused. NUT 2.8.0 refuses every reply (each line must carry
// both), NUT 2.7.4 read it this way.
func TestSubscribeReply(t *testing.T) {
	tests := []struct {
		reply        string
		port, secret int
		err          string
	}{
		{"<?xml version=\"1.0\"?>\r\n<Subscribe>\r\n<Port>4679</Port>\r\n<Secret>12345</Secret>\r\n</Subscribe>\r\n", 4679, 12345, ""},
		{"<Port>0x1247</Port>\n<Secret>010</Secret>\n", 0x1247, 8, ""},
		{"<PORT> 5000 </PORT><SECRET>0</SECRET>", 0, 0, "without a port"}, // one line: only the first tag counts
		{"<Port>5000</Port>\n", 0, 0, "without a port and a secret"},
		{"<Port>x</Port>\n<Secret>1</Secret>\n", 0, 0, "bad <port>"},
		{"<Port>70000</Port>\n<Secret>1</Secret>\n", 0, 0, "without a port"},
		{"<Port>-1</Port>\n<Secret>1</Secret>\n", 0, 0, "bad <port>"},
	}
	for _, tt := range tests {
		port, secret, err := parseSubscribeReply([]byte(tt.reply))
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%q: %v, want %q", tt.reply, err, tt.err)
		case tt.err == "" && (err != nil || port != tt.port || secret != tt.secret):
			t.Errorf("%q: %d %d %v", tt.reply, port, secret, err)
		}
	}
}

// TestConversions: the values NUT's conversions give, and the status
// words and alarms of the bits.
func TestConversions(t *testing.T) {
	s := newState()
	for _, o := range [][2]string{
		{"UPS.BatterySystem.Battery.DesignCapacity", "18000"},
		{"UPS.PowerConverter.Output.PowerFactor", "46"},
		{"System.LastAcquisition", "2016/03/17 13:37:33"},
		{"UPS.BatterySystem.Battery.Test", "5"},
		{"UPS.PowerConverter.ConverterType", "9"},
		{"UPS.PowerConverter.Output.Phase[11].Voltage", "0"},
		{"Environment.PresentStatus.HighHumidity", "1"},
		{"UPS.PowerSummary.iProduct", "First"},
		{"UPS.PowerSummary.iProduct", "Second"},
		{"ups.powersummary.presentstatus.acpresent", "1"},
		{"UPS.PowerSummary.PresentStatus.Charging", "1"},
		{"UPS.PowerSummary.PresentStatus.Discharging", "1"},
		{"UPS.PowerSummary.PresentStatus.Good", "0"},
		{"UPS.PowerConverter.Input[1].PresentStatus.VoltageOutOfRange", "Yes"},
		{"UPS.PowerSummary.DelayBeforeShutdown", "30"},
		{"System.RunTimeToShutdown", "NONE"},
		{"UPS.PowerSummary.PresentStatus.FanFailure", "1"},
	} {
		s.object(o[0], o[1])
	}
	s.commit()
	for k, want := range map[string]string{
		"battery.capacity": "5.00", "output.powerfactor": "0.46", "ups.date": "2016/03/17", "ups.time": "13:37:33",
		"ups.test.result": "in progress", "ups.model": "First",
		"ups.status":            "ALARM OL DISCHRG OFF FSD CAL",
		"ups.alarm":             "Shutdown imminent! Fan failure!",
		"input.transfer.reason": "input voltage out of range", "ups.timer.shutdown": "30",
	} {
		if got := s.vals[k]; got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	for _, k := range []string{"ups.type", "output.L1-L2.voltage", "ambient.humidity.maximum"} {
		if v, ok := s.vals[k]; ok {
			t.Errorf("%s = %q, want none", k, v)
		}
	}
}

// FuzzParse: any document from a card is parsed without panicking, and
// values stay within NUT's 127 bytes.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		`<PRODUCT_INFO name="a" type="Transverse" version="GB (SN 49EH29101)"><SUMMARY><XML_SUMMARY_PAGE url="x y"/></SUMMARY></PRODUCT_INFO>`,
		`<SUMMARY><OBJECT name="UPS.PowerSummary.iProduct">9PX</OBJECT></SUMMARY>`,
		`<GET_OBJECT><OBJECT name="UPS.PowerConverter.Input[1].Phase[1].Voltage">230</OBJECT></GET_OBJECT>`,
		`<ALARM object="UPS.PowerSummary.PresentStatus.ACPresent" value="0" date="2020/01/01 00:00:00"></ALARM>`,
		`<XML-CLIENT><SHUTDOWN shutdownTimer="NONE" shutdownDuration="120"/></XML-CLIENT>`,
		`<?xml version="1.0" encoding="ISO-8859-1"?><SUMMARY><OBJECT name="System.Location">Salle \xe9</OBJECT></SUMMARY>`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		s := newState()
		s.parse(doc)
		s.commit()
		for k, v := range s.vals {
			if len(v) > maxValue && k != "ups.alarm" && k != "ups.status" {
				t.Errorf("%s: %d bytes", k, len(v))
			}
			if strings.ContainsAny(v, "\n\r\x00") {
				t.Errorf("%s: %q", k, v)
			}
		}
	})
}
