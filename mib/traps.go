package mib

import (
	"strconv"
	"strings"
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

// TrapSets are the notifications powerchain knows, by MIB module. A
// trap from an agent that no set lists still makes the driver read the
// agent's status: the sets say what to read, never whether to.
var TrapSets = []*TrapSet{
	{
		Module: "SNMPv2-MIB", Prefix: "1.3.6.1.6.3.1.1.5",
		Source: "RFC 3418 (snmpTraps; RFC 3584 maps SNMPv1's generic traps 0-5 to them)",
		Traps: []Trap{
			{1, "coldStart", ReadAll},
			{2, "warmStart", ReadAll},
		},
	},
	{
		Module: "UPS-MIB", Prefix: "1.3.6.1.2.1.33.2", Tables: []string{"ietf"},
		Source: "RFC 1628, upsTraps = { upsMIB 2 } = 1.3.6.1.2.1.33.2",
		Traps: []Trap{
			{1, "upsTrapOnBattery", ReadStatus},
			{2, "upsTrapTestCompleted", ReadAll},
			{3, "upsTrapAlarmEntryAdded", ReadStatus},
			{4, "upsTrapAlarmEntryRemoved", ReadStatus},
		},
	},
	{
		// TRAP-TYPEs with ENTERPRISE apc (enterprises 318); of its
		// 800 traps, those about a UPS's, a PDU's or an ATS's power.
		Module: "PowerNet-MIB", Prefix: "1.3.6.1.4.1.318.0", Tables: []string{"apcc", "apc_pdu", "apc_ats"},
		Source: "APC PowerNet-MIB v4.5.2, LibreNMS mibs/apc/PowerNet-MIB",
		Traps: []Trap{
			{1, "communicationLost", ReadStatus},
			{2, "upsOverload", ReadStatus},
			{3, "upsDiagnosticsFailed", ReadAll},
			{4, "upsDischarged", ReadStatus},
			{5, "upsOnBattery", ReadStatus},
			{6, "smartBoostOn", ReadStatus},
			{7, "lowBattery", ReadStatus},
			{8, "communicationEstablished", ReadAll},
			{9, "powerRestored", ReadStatus},
			{10, "upsDiagnosticsPassed", ReadAll},
			{11, "returnFromLowBattery", ReadStatus},
			{12, "upsTurnedOff", ReadStatus},
			{13, "upsSleeping", ReadStatus},
			{14, "upsWokeUp", ReadStatus},
			{15, "upsRebootStarted", ReadStatus},
			{17, "upsBatteryNeedsReplacement", ReadStatus},
			{20, "hardwareFailureBypass", ReadStatus},
			{21, "softwareBypass", ReadStatus},
			{22, "switchedBypass", ReadStatus},
			{23, "returnFromBypass", ReadStatus},
			{28, "calibrationStart", ReadStatus},
			{30, "upsTurnedOn", ReadStatus},
			{31, "smartAvrReducing", ReadStatus},
			{33, "upsOverloadCleared", ReadStatus},
			{34, "smartBoostOff", ReadStatus},
			{35, "smartAvrReducingOff", ReadStatus},
			{36, "upsBatteryReplaced", ReadStatus},
			{37, "calibrationEnd", ReadAll},
			{38, "dischargeCleared", ReadStatus},
			{39, "gracefulShutdown", ReadStatus},
			{41, "outletOn", ReadStatus},
			{42, "outletOff", ReadStatus},
			{43, "outletReboot", ReadStatus},
			{44, "configChangeSNMP", ReadAll},
			{45, "configChangeOutlet", ReadAll},
			{126, "atsSourceSwitched", ReadStatus},
			{127, "atsLostRedundancy", ReadStatus},
			{128, "atsRedundancyRestored", ReadStatus},
			{129, "atsConfigChange", ReadAll},
			{130, "atsCommunicationEstablished", ReadAll},
			{131, "atsCommunicationLost", ReadStatus},
			{132, "atsOverCurrent", ReadStatus},
			{133, "atsOverCurrentCleared", ReadStatus},
			{134, "atsPowerSupplyFailure", ReadStatus},
			{135, "atsPowerSupplyFailureCleared", ReadStatus},
			{222, "rPDUBankPhaseLowLoad", ReadStatus},
			{223, "rPDUBankPhaseLowLoadCleared", ReadStatus},
			{224, "rPDUBankPhaseNearOverload", ReadStatus},
			{225, "rPDUBankPhaseNearOverloadCleared", ReadStatus},
			{226, "rPDUBankPhaseOverload", ReadStatus},
			{227, "rPDUBankPhaseOverloadCleared", ReadStatus},
			{266, "rPDUCommunicationEstablished", ReadAll},
			{267, "rPDUCommunicationLost", ReadStatus},
			{268, "rPDUOutletOn", ReadStatus},
			{269, "rPDUOutletOff", ReadStatus},
			{270, "rPDUDeviceConfigChange", ReadAll},
			{271, "rPDUOutletConfigChange", ReadAll},
			{272, "rPDULowLoad", ReadStatus},
			{273, "rPDULowLoadCleared", ReadStatus},
			{274, "rPDUNearOverload", ReadStatus},
			{275, "rPDUNearOverloadCleared", ReadStatus},
			{276, "rPDUOverload", ReadStatus},
			{277, "rPDUOverloadCleared", ReadStatus},
			{278, "rPDUPowerSupply1Fail", ReadStatus},
			{279, "rPDUPowerSupply1Ok", ReadStatus},
			{280, "rPDUPowerSupply2Fail", ReadStatus},
			{281, "rPDUPowerSupply2Ok", ReadStatus},
			{298, "upsOutletGroupTurnedOn", ReadStatus},
			{299, "upsOutletGroupTurnedOff", ReadStatus},
			{630, "rPDUOutletLowLoad", ReadStatus},
			{631, "rPDUOutletLowLoadCleared", ReadStatus},
			{632, "rPDUOutletNearOverload", ReadStatus},
			{633, "rPDUOutletNearOverloadCleared", ReadStatus},
			{634, "rPDUOutletOverload", ReadStatus},
			{635, "rPDUOutletOverloadCleared", ReadStatus},
			{750, "rpduCriticalCondition", ReadStatus},
			{751, "rpduCriticalConditionCleared", ReadStatus},
			{752, "rpduWarningCondition", ReadStatus},
			{753, "rpduWarningConditionCleared", ReadStatus},
		},
	},
	{
		// Eaton (Powerware) cards with xupsSendTrapType xups(2):
		// xupsTrapOidDefined = { xupsTrapDefined 0 }, xupsTrapDefined =
		// { xupsTrapSource 1 }, xupsTrapSource = { xupsTrapControl 4 },
		// xupsTrapControl = { xupsMIB 11 }, xupsMIB = { eaton 1 } and
		// eaton = enterprises 534 (EATON-OIDS).
		Module: "XUPS-MIB", Prefix: "1.3.6.1.4.1.534.1.11.4.1.0", Tables: []string{"pw"},
		Source: "Eaton XUPS-MIB (LAST-UPDATED 201909270000Z), LibreNMS mibs/eaton/XUPS-MIB and mibs/eaton/EATON-OIDS",
		Traps: []Trap{
			{1, "xupstdControlOff", ReadStatus},
			{2, "xupstdControlOn", ReadStatus},
			{3, "xupstdOnBattery", ReadStatus},
			{4, "xupstdLowBattery", ReadStatus},
			{5, "xupstdUtilityPowerRestored", ReadStatus},
			{6, "xupstdReturnFromLowBattery", ReadStatus},
			{7, "xupstdOutputOverload", ReadStatus},
			{8, "xupstdInternalFailure", ReadStatus},
			{9, "xupstdBatteryDischarged", ReadStatus},
			{10, "xupstdInverterFailure", ReadStatus},
			{11, "xupstdOnBypass", ReadStatus},
			{12, "xupstdBypassNotAvailable", ReadStatus},
			{13, "xupstdOutputOff", ReadStatus},
			{14, "xupstdInputFailure", ReadStatus},
			{16, "xupstdShutdownImminent", ReadStatus},
			{17, "xupstdOnInverter", ReadStatus},
			{20, "xupstdBreakerOpen", ReadStatus},
			{21, "xupstdAlarmEntryAdded", ReadStatus},
			{22, "xupstdAlarmEntryRemoved", ReadStatus},
			{23, "xupstdAlarmBatteryBad", ReadStatus},
			{24, "xupstdOutputOffAsRequested", ReadStatus},
			{25, "xupstdDiagnosticTestFailed", ReadAll},
			{26, "xupstdCommunicationsLost", ReadStatus},
			{27, "xupstdUpsShutdownPending", ReadStatus},
			{28, "xupstdAlarmTestInProgress", ReadStatus},
			{32, "xupstdLossOfRedundancy", ReadStatus},
			{39, "xupstdOnAlternatePowerSource", ReadStatus},
			{40, "xupstdAltPowerNotAvailable", ReadStatus},
			{45, "xupstdDiagnosticTestPassed", ReadAll},
			{46, "xupstdOutputBad", ReadStatus},
			{47, "xupstdAwaitingPower", ReadStatus},
			{48, "xupstdOnMaintenanceBypass", ReadStatus},
			{49, "xupstdCommEstablished", ReadAll},
			{51, "xupstdOutputNotProtected", ReadStatus},
		},
	},
	{
		// TRAP-TYPEs with ENTERPRISE upsmgTraps = { upsmg 11 }, upsmg =
		// { merlinGerin 1 }, merlinGerin = enterprises 705: MGE's and
		// Eaton's Network Management Cards (NUT's mge table).
		Module: "MG-SNMP-UPS-MIB", Prefix: "1.3.6.1.4.1.705.1.11.0", Tables: []string{"mge"},
		Source: "MG-SNMP-UPS-MIB, LibreNMS mibs/eaton/MG-SNMP-UPS-MIB",
		Traps: []Trap{
			{1, "upsmgBatteryFault", ReadStatus},
			{2, "upsmgBatteryOK", ReadStatus},
			{3, "upsmgBatteryReplacementIndicated", ReadStatus},
			{4, "upsmgBatteryReplaceNotIndicated", ReadStatus},
			{5, "upsmgAtLowBattery", ReadStatus},
			{6, "upsmgFromLowBattery", ReadStatus},
			{7, "upsmgChargerFault", ReadStatus},
			{8, "upsmgChargerOK", ReadStatus},
			{9, "upsmgAtLowCondition", ReadStatus},
			{10, "upsmgFromLowCondition", ReadStatus},
			{11, "upsmgOnBattery", ReadStatus},
			{12, "upsmgReturnFromBattery", ReadStatus},
			{13, "upsmgOnByPass", ReadStatus},
			{14, "upsmgReturnFromByPass", ReadStatus},
			{15, "upsmgByPassUnavailable", ReadStatus},
			{16, "upsmgByPassAvailable", ReadStatus},
			{17, "upsmgUtilityFailure", ReadStatus},
			{18, "upsmgUtilityRestored", ReadStatus},
			{19, "upsmgOnBoost", ReadStatus},
			{20, "upsmgReturnFromBoost", ReadStatus},
			{21, "upsmgOverLoad", ReadStatus},
			{22, "upsmgLoadOK", ReadStatus},
			{23, "upsmgOverTemperature", ReadStatus},
			{24, "upsmgTemperatureOK", ReadStatus},
			{28, "upsmgOnComplete", ReadStatus},
			{29, "upsmgOffToStart", ReadStatus},
			{32, "upsmgOffComplete", ReadStatus},
			{36, "upsmgToggleComplete", ReadStatus},
			{37, "upsmgCommunicationFailure", ReadStatus},
			{38, "upsmgCommunicationRestored", ReadAll},
			{39, "upsmgInputBad", ReadStatus},
			{40, "upsmgInputOK", ReadStatus},
			{45, "upsmgDiagnosticTestFail", ReadAll},
			{46, "upsmgDiagnosticTestOK", ReadAll},
			{47, "upsmgBatteryTestOK", ReadAll},
			{48, "upsmgBatteryTestFail", ReadAll},
			{51, "upsmgOnBuck", ReadStatus},
			{52, "upsmgReturnFromBuck", ReadStatus},
			{65, "upsRedundancyLost", ReadStatus},
			{66, "upsRedundancyOK", ReadStatus},
			{67, "upsProtectionLost", ReadStatus},
			{68, "upsProtectionOK", ReadStatus},
		},
	},
	{
		// notifications = { eatonEpdu 0 }, eatonEpdu = { pduAgent 7 },
		// pduAgent = { products 6 }, products = { eaton 6 }.
		Module: "EATON-EPDU-MIB", Prefix: "1.3.6.1.4.1.534.6.6.7.0", Tables: []string{"eaton_epdu"},
		Source: "Eaton EATON-EPDU-MIB (LAST-UPDATED 202303311500Z), LibreNMS mibs/eaton/EATON-EPDU-MIB",
		Traps: []Trap{
			{4, "notifyBootUp", ReadAll},
			{11, "notifyInputVoltageThStatus", ReadStatus},
			{12, "notifyInputCurrentThStatus", ReadStatus},
			{13, "notifyInputFrequencyStatus", ReadStatus},
			{21, "notifyGroupVoltageThStatus", ReadStatus},
			{22, "notifyGroupCurrentThStatus", ReadStatus},
			{23, "notifyGroupBreakerStatus", ReadStatus},
			{31, "notifyOutletVoltageThStatus", ReadStatus},
			{32, "notifyOutletCurrentThStatus", ReadStatus},
			{33, "notifyOutletControlStatus", ReadStatus},
			{51, "notifyCommunicationStatus", ReadStatus},
			{52, "notifyInternalStatus", ReadStatus},
			{54, "notifyStrappingStatus", ReadStatus},
		},
	},
}

// trapIndex is every known trap by OID.
var trapIndex = func() map[string]KnownTrap {
	m := map[string]KnownTrap{}
	for _, s := range TrapSets {
		for _, t := range s.Traps {
			oid := s.Prefix + "." + strconv.FormatUint(uint64(t.Num), 10)
			m[oid] = KnownTrap{OID: oid, Symbol: s.Module + "::" + t.Name, Read: t.Read}
		}
	}
	return m
}()

// TrapByOID returns the notification an snmpTrapOID.0 names (with or
// without a leading dot).
func TrapByOID(oid string) (KnownTrap, bool) {
	t, ok := trapIndex[strings.TrimPrefix(oid, ".")]
	return t, ok
}
