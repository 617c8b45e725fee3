package snmpups_test

import (
	"context"
	"errors"
	"os"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/internal/clienttest"
	"github.com/powerchain/powerchain/internal/snmptest"
	"github.com/powerchain/powerchain/nut"
)

// writable makes the lines of a recording whose OID matches re writable
// (snmpsim's writecache variation keeps what a SET wrote).
func writable(t *testing.T, path string, re *regexp.Regexp) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return writableData(b, re)
}

// waitValue waits until the variable reads want, for at most 15 s.
func waitValue(t *testing.T, c *client.Client, ups, name, want string) {
	t.Helper()
	clienttest.WaitValue(t, c, ups, name, want, 15*time.Second)
}

// TestOutletControl: INSTCMD outlet.N.load.off|on become SNMP SETs of
// sPDUOutletCtl on an APC PDU whose agent accepts them, and the outlet's
// status follows; an agent that refuses the SET gives INSTCMD-FAILED at
// once; SET VAR of an outlet description reaches the agent.
func TestOutletControl(t *testing.T) {
	apc := "../../testdata/snmprec/apc-ap8641.snmprec"
	tl, err := os.ReadFile("../../testdata/snmprec/tripplite-pdumh20atnet.snmprec")
	if err != nil {
		t.Fatal(err)
	}
	agent := snmptest.SimData(t, map[string][]byte{
		"apc-rw": writable(t, apc, regexp.MustCompile(`1\.3\.6\.1\.4\.1\.318\.1\.1\.4\.4\.2\.1\.[34]\.\d+`)),
		"tl":     tl,
	})
	// A real agent that refuses SETs: Net-SNMP's snmpd with a read-only
	// community, looking like an APC rPDU2 with two outlets.
	snmpd := snmptest.Snmpd(t, snmptest.APCLike)
	c := serve(t, section("apc-rw", agent, "apc-rw", "")+section("tl", agent, "tl", "")+section("apc-ro", snmpd, "ro", ""))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := c.Authenticate(ctx, "admin", "pw"); err != nil {
		t.Fatal(err)
	}
	waitVars(t, c, "apc-rw", "outlet.2.status")
	waitVars(t, c, "apc-ro", "outlet.2.status")
	waitVars(t, c, "tl", "outlet.1.desc")

	cmds, err := c.Commands(ctx, "apc-rw")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"outlet.1.load.off", "outlet.24.load.on", "outlet.12.load.cycle"} {
		if !slices.Contains(cmds, want) {
			t.Errorf("LIST CMD lacks %s: %v", want, cmds)
		}
	}

	waitValue(t, c, "apc-rw", "outlet.2.status", "on")
	if err := c.InstCmd(ctx, "apc-rw", "outlet.2.load.off"); err != nil {
		t.Fatalf("outlet.2.load.off: %v", err)
	}
	waitValue(t, c, "apc-rw", "outlet.2.status", "off")
	waitValue(t, c, "apc-rw", "outlet.3.status", "on") // the others stay
	if err := c.InstCmd(ctx, "apc-rw", "outlet.2.load.on"); err != nil {
		t.Fatalf("outlet.2.load.on: %v", err)
	}
	waitValue(t, c, "apc-rw", "outlet.2.status", "on")

	// SET VAR outlet.N.status (NUT's way for this MIB) through the lookup.
	if err := c.Set(ctx, "apc-rw", "outlet.5.status", "off"); err != nil {
		t.Fatalf("SET outlet.5.status: %v", err)
	}
	waitValue(t, c, "apc-rw", "outlet.5.status", "off")
	if err := c.Set(ctx, "apc-rw", "outlet.5.status", "sideways"); !errors.Is(err, nut.ErrInvalidValue) {
		t.Errorf("SET outlet.5.status sideways: %v, want INVALID-VALUE", err)
	}

	// The recording as made refuses SETs: the error comes back at once.
	start := time.Now()
	err = c.InstCmd(ctx, "apc-ro", "outlet.2.load.off")
	if !errors.Is(err, nut.ErrInstCmdFailed) {
		t.Errorf("refused SET: %v, want INSTCMD-FAILED", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("refused SET took %s", d)
	}
	if err := c.InstCmd(ctx, "apc-ro", "outlet.99.load.off"); !errors.Is(err, nut.ErrCmdNotSupported) {
		t.Errorf("outlet.99: %v, want CMD-NOT-SUPPORTED", err)
	}

	// A string SET on Tripp Lite's writable outlet description.
	if err := c.Set(ctx, "tl", "outlet.1.desc", "db-server-7 PSU1"); err != nil {
		t.Fatalf("SET outlet.1.desc: %v", err)
	}
	waitValue(t, c, "tl", "outlet.1.desc", "db-server-7 PSU1")
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}
