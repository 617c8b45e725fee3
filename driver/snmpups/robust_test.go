package snmpups_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/internal/snmptest"
	"github.com/powerchain/powerchain/internal/testlog"
	"github.com/powerchain/powerchain/internal/waittest"
	"github.com/powerchain/powerchain/nut"
)

// TestSNMPv3 polls snmpd over SNMPv3 authPriv (SHA, AES) and switches an
// outlet with it; a wrong password gives no data (and a clear log), and
// the server keeps answering for the other devices.
func TestSNMPv3(t *testing.T) {
	snmpd := snmptest.Snmpd(t, snmptest.APCLike)
	v3 := "\tsnmp_version = v3\n\tsecLevel = authPriv\n\tsecName = pcuser\n\tauthProtocol = SHA\n\tprivProtocol = AES\n\tpollinterval = 1\n"
	conf := strings.ReplaceAll(section("good", snmpd, "unused", v3+"\tauthPassword = auth-pass-1\n\tprivPassword = priv-pass-1\n"), "\tsnmp_version = v2c\n", "") +
		strings.ReplaceAll(section("badpw", snmpd, "unused", v3+"\tauthPassword = wrong-pass\n\tprivPassword = priv-pass-1\n"), "\tsnmp_version = v2c\n", "")
	c := serve(t, conf)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := c.Authenticate(ctx, "admin", "pw"); err != nil {
		t.Fatal(err)
	}
	vars := waitVars(t, c, "good", "outlet.2.status")
	if vars["device.model"] != "AP7900" || vars["device.type"] != "pdu" || vars["outlet.2.desc"] != "web-2" {
		t.Errorf("over SNMPv3: model %q type %q outlet.2.desc %q", vars["device.model"], vars["device.type"], vars["outlet.2.desc"])
	}
	if err := c.InstCmd(ctx, "good", "outlet.2.load.off"); err != nil {
		t.Fatalf("outlet.2.load.off over SNMPv3: %v", err)
	}
	waitValue(t, c, "good", "outlet.2.status", "off")

	_, err := c.Get(ctx, "badpw", "ups.status")
	if !errors.Is(err, nut.ErrDriverNotConnected) && !errors.Is(err, nut.ErrDataStale) {
		t.Errorf("wrong authPassword: GET gave %v, want DRIVER-NOT-CONNECTED or DATA-STALE", err)
	}
	if _, err := c.Get(ctx, "good", "outlet.1.status"); err != nil {
		t.Errorf("the good device stopped answering: %v", err)
	}
}

// TestAgentSilentThenBack: the agent stops answering; after a few failed
// polls the device is stale (the server answers DATA-STALE at once, and
// everyone else normally); when the agent is back the data is fresh again
// without a restart.
func TestAgentSilentThenBack(t *testing.T) {
	snmpd := snmptest.Snmpd(t, snmptest.APCLike)
	sim := snmptest.Sim(t, "../../testdata/snmprec/librenms-cyberpower.snmprec")
	c := serve(t, section("pdu", snmpd, "ro", "\tpollinterval = 1\n")+section("ups", sim, "librenms-cyberpower", "\tpollinterval = 1\n"))
	waitVars(t, c, "pdu", "outlet.1.status")
	waitVars(t, c, "ups", "ups.status")
	snmpd.Stop()
	waitErr(t, c, "pdu", nut.ErrDataStale)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	if st, err := c.Get(ctx, "ups", "ups.status"); err != nil || st != "OL" {
		t.Errorf("other device while one agent is silent: %q %v", st, err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("GET of a healthy device took %s while another agent is silent", d)
	}
	snmpd.Restart()
	waitValue(t, c, "pdu", "outlet.1.status", "on")
}

func waitErr(t *testing.T, c *client.Client, ups string, want nut.Error) {
	t.Helper()
	var err error
	if !waittest.Until(30*time.Second, 200*time.Millisecond, func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, err = c.Get(ctx, ups, "ups.status")
		return errors.Is(err, want)
	}) {
		t.Fatalf("%s: GET gave %v, want %s", ups, err, want)
	}
}

// garbage is a recording that answers the CyberPower and APC PDU tables
// with the wrong types, absurd values and a truncated outlet table.
const garbage = `1.3.6.1.2.1.1.1.0|4|garbage agent
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.318.1.3.4.5
1.3.6.1.2.1.1.3.0|4|not ticks
1.3.6.1.2.1.1.4.0|2|42
1.3.6.1.4.1.318.1.1.4.1.4.0|2|-7
1.3.6.1.4.1.318.1.1.4.1.5.0|4x|00ff41
1.3.6.1.4.1.318.1.1.12.1.16.0|70|18446744073709551615
1.3.6.1.4.1.318.1.1.12.1.15.0|2|-2147483648
1.3.6.1.4.1.318.1.1.12.2.3.1.1.2.1|4|12abc
1.3.6.1.4.1.318.1.1.4.4.1.0|2|24
1.3.6.1.4.1.318.1.1.4.4.2.1.3.1|2|1
1.3.6.1.4.1.318.1.1.4.4.2.1.3.2|4|on
1.3.6.1.4.1.318.1.1.4.4.2.1.3.3|2|99
1.3.6.1.4.1.318.1.1.4.4.2.1.4.1|4|` + "\x01\x02tab\tcontrol" + `
`

// TestGarbageAnswers: wrong types, noSuchObject, huge and negative
// values and a truncated table give a device with what NUT's rules read
// from them, a log line for what they cannot, and no panic.
func TestGarbageAnswers(t *testing.T) {
	logBuf := testlog.Capture(t)
	sim := snmptest.SimData(t, map[string][]byte{"junk": []byte(garbage)})
	c := serve(t, section("junk", sim, "junk", "\tpollinterval = 1\n"))
	vars := waitVars(t, c, "junk", "outlet.1.status")
	for name, want := range map[string]string{
		"device.type":     "pdu",
		"device.model":    "-7",                                      // an integer where a string belongs is printed
		"outlet.1.status": "on",                                      // the one well-formed outlet
		"outlet.2.status": "on",                                      // text where the enumeration belongs is taken as it is
		"outlet.1.desc":   "01 02 74 61 62 09 63 6F 6E 74 72 6F 6C ", // text with control characters: hexadecimal, as NUT prints it
		"input.current":   "1.20",                                    // "12abc" read as C's strtol reads it, as NUT does
		"device.uptime":   "0",                                       // a string with no digits where TimeTicks belong: 0, as NUT has it
		"device.serial":   "00 FF 41 ",                               // bytes that are not text, in hexadecimal as NUT prints them
	} {
		if got := vars[name]; got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	for _, absent := range []string{"input.voltage.nominal", "input.realpower", "outlet.3.status", "outlet.24.status"} {
		if v, ok := vars[absent]; ok {
			t.Errorf("%s = %q: should be absent (invalid, unusable or missing)", absent, v)
		}
	}
	// Each unusable answer is logged once, naming variable, OID and value:
	// a Counter64 (NUT reads none) and an enumeration value the lookup
	// does not have.
	log := logBuf.String()
	for _, want := range []string{"var=input.realpower", "18446744073709551615", "var=outlet.3.status"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	if strings.Count(log, "var=input.realpower ") > 1 {
		t.Errorf("input.realpower logged more than once:\n%s", log)
	}
}
