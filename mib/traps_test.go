package mib

import (
	"regexp"
	"slices"
	"strconv"
	"testing"
)

// TestTrapSets lints the trap data: numeric prefixes, names as MIBs
// write them, no OID twice, a source for every set, tables that exist.
func TestTrapSets(t *testing.T) {
	oidRE := regexp.MustCompile(`^[0-9]+(\.[0-9]+)+$`)
	nameRE := regexp.MustCompile(`^[a-z][A-Za-z0-9]*$`)
	seen := map[string]string{}
	for _, s := range TrapSets() {
		if !oidRE.MatchString(s.Prefix) || s.Module == "" || s.Source == "" || len(s.Traps) == 0 {
			t.Errorf("%s: prefix %q, source %q, %d traps", s.Module, s.Prefix, s.Source, len(s.Traps))
		}
		for _, name := range s.Tables {
			if !slices.Contains(Names(), name) {
				t.Errorf("%s: no table %q", s.Module, name)
			}
		}
		for i, tr := range s.Traps {
			if !nameRE.MatchString(tr.Name) || tr.Num == 0 {
				t.Errorf("%s: trap %d %q", s.Module, tr.Num, tr.Name)
			}
			if i > 0 && tr.Num <= s.Traps[i-1].Num {
				t.Errorf("%s: %s (%d) after %s (%d): keep the MIB's order", s.Module, tr.Name, tr.Num, s.Traps[i-1].Name, s.Traps[i-1].Num)
			}
			k, ok := TrapByOID(s.Prefix + "." + strconv.FormatUint(uint64(tr.Num), 10))
			if !ok || k.Symbol != s.Module+"::"+tr.Name {
				t.Errorf("%s::%s: TrapByOID gives %+v %v", s.Module, tr.Name, k, ok)
			}
			if other, dup := seen[k.OID]; dup {
				t.Errorf("%s is %s and %s", k.OID, other, k.Symbol)
			}
			seen[k.OID] = k.Symbol
		}
	}
}

// TestTrapByOID: the OIDs of the MIBs' own definitions, as SNMPv2 sends
// them (a leading dot or not); an SMIv1 trap's v2 form.
func TestTrapByOID(t *testing.T) {
	for _, c := range []struct {
		oid, symbol string
		read        TrapRead
	}{
		{".1.3.6.1.2.1.33.2.1", "UPS-MIB::upsTrapOnBattery", ReadStatus},
		{"1.3.6.1.2.1.33.2.2", "UPS-MIB::upsTrapTestCompleted", ReadAll},
		{"1.3.6.1.2.1.33.2.3", "UPS-MIB::upsTrapAlarmEntryAdded", ReadStatus},
		{"1.3.6.1.2.1.33.2.4", "UPS-MIB::upsTrapAlarmEntryRemoved", ReadStatus},
		{".1.3.6.1.4.1.318.0.5", "PowerNet-MIB::upsOnBattery", ReadStatus},
		{".1.3.6.1.4.1.318.0.269", "PowerNet-MIB::rPDUOutletOff", ReadStatus},
		{".1.3.6.1.4.1.534.1.11.4.1.0.3", "XUPS-MIB::xupstdOnBattery", ReadStatus},
		{".1.3.6.1.4.1.534.6.6.7.0.33", "EATON-EPDU-MIB::notifyOutletControlStatus", ReadStatus},
		{".1.3.6.1.4.1.705.1.11.0.11", "MG-SNMP-UPS-MIB::upsmgOnBattery", ReadStatus},
		{".1.3.6.1.6.3.1.1.5.1", "SNMPv2-MIB::coldStart", ReadAll},
	} {
		k, ok := TrapByOID(c.oid)
		if !ok || k.Symbol != c.symbol || k.Read != c.read {
			t.Errorf("TrapByOID(%s) = %+v, %v; want %s", c.oid, k, ok, c.symbol)
		}
	}
	if k, ok := TrapByOID("1.3.6.1.4.1.318.0.46"); ok {
		t.Errorf("accessViolationConsole is no power event: %+v", k)
	}
}
