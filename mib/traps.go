package mib

import (
	"strconv"
	"strings"
	"sync"
)

// TrapRead is what a trap from its agent makes the SNMP driver read at
// once.
type TrapRead uint8

const (
	// ReadStatus: the Fast variables (status words, alarms, outlet
	// states): what a power event changes. A trap no table knows reads
	// this too.
	ReadStatus TrapRead = iota
	// ReadAll: everything, as at a Full poll: what a self-test, a
	// configuration change or a restart of the agent changes.
	ReadAll
)

// Trap is one notification a MIB module defines.
type Trap struct {
	// Num is the notification's last sub-identifier: for an SMIv1
	// TRAP-TYPE, its specific-trap number.
	Num  uint32
	Name string // as the MIB names it
	Read TrapRead
}

// TrapSet is the notifications of one MIB module that power devices'
// agents send.
type TrapSet struct {
	Module string // "PowerNet-MIB"
	// Prefix numbers the notifications as SNMPv2 sends them:
	// snmpTrapOID.0 is Prefix.Num. For an SMIv1 TRAP-TYPE the prefix is
	// its ENTERPRISE followed by 0 (RFC 3584, 3.1); an SMIv2
	// NOTIFICATION-TYPE sent as an SNMPv1 trap has the prefix as its
	// enterprise.
	Prefix string
	// Tables are the mibs= names of the tables whose devices send these
	// (none: any agent).
	Tables []string
	// Source is where the numbers were read.
	Source string
	Traps  []Trap
}

// KnownTrap is a notification found by its object identifier.
type KnownTrap struct {
	OID    string // numeric, SNMPv2's form, without a leading dot
	Symbol string // "UPS-MIB::upsTrapOnBattery"
	Read   TrapRead
}

// TrapSets returns the notifications powerchain knows, by MIB module
// (tables/traps.tab). A trap from an agent that no set lists still makes
// the driver read the agent's status: the sets say what to read, never
// whether to.
func TrapSets() []*TrapSet { return loaded().traps }

// trapIndex is every known trap by OID.
var trapIndex = sync.OnceValue(func() map[string]KnownTrap {
	m := map[string]KnownTrap{}
	for _, s := range TrapSets() {
		for _, t := range s.Traps {
			oid := s.Prefix + "." + strconv.FormatUint(uint64(t.Num), 10)
			m[oid] = KnownTrap{OID: oid, Symbol: s.Module + "::" + t.Name, Read: t.Read}
		}
	}
	return m
})

// TrapByOID returns the notification an snmpTrapOID.0 names (with or
// without a leading dot).
func TrapByOID(oid string) (KnownTrap, bool) {
	t, ok := trapIndex()[strings.TrimPrefix(oid, ".")]
	return t, ok
}
