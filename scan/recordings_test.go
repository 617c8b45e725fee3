package scan_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/internal/snmptest"
	"github.com/powerchain/powerchain/scan"
)

// scanDiffers are the recordings on which powerchain's scanner chooses
// another table than Debian's nut-scanner, with the reason.
var scanDiffers = map[string]string{
	"xppc--phoenixtec-mykert": "nut-scanner compares the sysObjectID (…935.1.1.1) exactly, finds no table, and lists ietf by its probe OID; NUT's snmp-ups detects xppc by its model OID, as powerchain does",
	"xppc--netagent2-1":       "nut-scanner lists ietf by its probe OID (upsIdentManufacturer, empty); NUT's snmp-ups detects nothing; powerchain reads it by xppc, the table its sysObjectID (below …935) names",
	"ietf--cet-t2s":           "one table under two names: NUT's snmp-ups reports tripplite (the entry before ietf that tests the same model OID), nut-scanner ietf; powerchain says what the driver says",
}

// TestSNMPFindsWhatNUTFindsOnRecordings: the real recordings of
// testdata/snmprec/parity, one agent per address, scanned by Debian's
// nut-scanner and by powerchain's scanner (both SNMP v1, their default):
// every device nut-scanner finds, powerchain finds at the same address
// with one of the tables nut-scanner lists for it (but scanDiffers) —
// among them the Eaton/Powerware ConnectUPS card (sysObjectID
// 1.3.6.1.4.1.534.1, the XUPS-MIB, mibs=pw). Not an agent that answers
// nothing but its identification, which nut-scanner lists by a
// sysObjectID alone where the table has no probe OID and both drivers
// refuse; and also the agents that lack their table's model OID but
// answer its data, which nut-scanner misses.
func TestSNMPFindsWhatNUTFindsOnRecordings(t *testing.T) {
	nuttest.Require(t, debianScanner)
	paths, _ := filepath.Glob("../testdata/snmprec/parity/*.snmprec")
	sort.Strings(paths)
	hosts := map[string][]byte{}
	byAddr := map[string]string{}
	identOnly := map[string]bool{}
	for i, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		addr := fmt.Sprintf("127.0.2.%d", 10+i)
		hosts[addr+":161"] = b
		byAddr[addr] = strings.TrimSuffix(filepath.Base(p), ".snmprec")
		identOnly[byAddr[addr]] = snmptest.IdentOnly(b)
	}
	last := fmt.Sprintf("127.0.2.%d", 10+len(paths)-1)
	snmptest.SimHosts(t, hosts)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	theirs := nutScanner(ctx, t, "-S", "-s", "127.0.2.10", "-e", last, "-t", "5", "-P", "-q")
	addrs, _ := scan.Range("127.0.2.10", last, "", scan.MaxHosts)
	ours := scan.SNMP(ctx, addrs, scan.SNMPOptions{Options: scan.Options{Timeout: 2 * time.Second, Retries: 2}})
	found := map[string]string{} // address → mibs, powerchain's
	for _, d := range ours {
		found[d.Port] = d.Get("mibs")
	}

	nutMibs := map[string][]string{} // address → the tables nut-scanner lists
	for _, n := range theirs {
		nutMibs[n.Port] = append(nutMibs[n.Port], n.Get("mibs"))
	}
	for addr, tables := range nutMibs {
		rec := byAddr[addr]
		got, ok := found[addr]
		switch {
		case !ok && identOnly[rec]:
			t.Logf("%s (%s): nut-scanner lists %v by the sysObjectID alone; the agent answers nothing else, and powerchain leaves it out", addr, rec, tables)
		case !ok:
			t.Errorf("nut-scanner found %s (%s, mibs %v); powerchain did not", addr, rec, tables)
		case scanDiffers[rec] != "":
			t.Logf("%s (%s): mibs %q, nut-scanner %v: %s", addr, rec, got, tables, scanDiffers[rec])
		case !slices.Contains(tables, got):
			t.Errorf("%s (%s): mibs %q, nut-scanner %v", addr, rec, got, tables)
		}
	}
	if found[addrOf(byAddr, "pw--connectups-v4.36")] != "pw" {
		t.Errorf("the ConnectUPS card (XUPS-MIB, sysObjectID 1.3.6.1.4.1.534.1) was not found as pw: %v", found)
	}
	// Found by powerchain only: agents without their table's model OID,
	// read by the table their name says.
	var only []string
	for addr, mibs := range found {
		if nutMibs[addr] != nil {
			continue
		}
		want, _, _ := strings.Cut(byAddr[addr], "--")
		if mibs != want {
			t.Errorf("%s (%s): powerchain found mibs %q, want %q", addr, byAddr[addr], mibs, want)
		}
		only = append(only, byAddr[addr])
	}
	sort.Strings(only)
	var b strings.Builder
	scan.WriteParsable(&b, ours)
	t.Logf("nut-scanner found %d, powerchain %d; powerchain only: %s\n%s", len(theirs), len(ours), strings.Join(only, ", "), b.String())
}

func addrOf(byAddr map[string]string, rec string) string {
	for a, r := range byAddr {
		if r == rec {
			return a
		}
	}
	return ""
}
