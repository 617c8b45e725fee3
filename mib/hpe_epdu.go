package mib

// HPEEPDU: HPE ePDUs (CPQPOWER-MIB pdu2… objects under 232.165.7) with
// daisy-chain, outlet and outlet-group templates. NUT 2.8.0:
// drivers/hpe-pdu-mib.c (hpe_pdu_mib), mapping 0.33.
var HPEEPDU = &MIB{
	Name: "hpe_epdu", Version: "0.33", Type: "pdu",
	SysOIDs:  []string{"1.3.6.1.4.1.232.165.7"},
	ProbeOID: "1.3.6.1.4.1.232.165.7.1.2.1.3.0",
	Vars: rows(system(SysDescr, SetString), []Var{
		constant("device.mfr", "HPE"),
		{Name: "device.model", OID: "1.3.6.1.4.1.232.165.7.1.2.1.3.%u", Symbol: "CPQPOWER-MIB::pdu2Model.%u", Poll: Once, Flags: String},
		{Name: "device.serial", OID: "1.3.6.1.4.1.232.165.7.1.2.1.7.%u", Symbol: "CPQPOWER-MIB::pdu2SerialNumber.%u", Poll: Once, Flags: String},
		constant("device.type", "pdu"),
		{Name: "device.part", OID: "1.3.6.1.4.1.232.165.7.1.2.1.6.%u", Symbol: "CPQPOWER-MIB::pdu2PartNumber.%u", Poll: Once, Flags: String},
		{Name: "device.macaddr", OID: "1.3.6.1.2.1.2.2.1.6.2", Symbol: "IF-MIB::ifPhysAddress.2", Poll: Once, Flags: String},
		constant("ups.mfr", "HPE"),
		{Name: "ups.model", OID: "1.3.6.1.4.1.232.165.7.1.2.1.3.%u", Symbol: "CPQPOWER-MIB::pdu2Model.%u", Poll: Once, Flags: String},
		{Name: "ups.serial", OID: "1.3.6.1.4.1.232.165.7.1.2.1.7.%u", Symbol: "CPQPOWER-MIB::pdu2SerialNumber.%u", Poll: Once, Flags: String},
		{Name: "ups.firmware", OID: "1.3.6.1.4.1.232.165.7.1.2.1.5.%u", Symbol: "CPQPOWER-MIB::pdu2FirmwareVersion.%u", Flags: String},
		constant("ups.type", "pdu"),
		{Name: "input.phases", OID: "1.3.6.1.4.1.232.165.7.2.1.1.1.%u", Symbol: "CPQPOWER-MIB::pdu2InputType.%u", Poll: Once, Lookup: hpePduInputType},
		{Name: "input.frequency", OID: "1.3.6.1.4.1.232.165.7.2.1.1.2.%u", Symbol: "CPQPOWER-MIB::pdu2InputFrequency.%u", Mult: 0.1},
		{Name: "input.frequency.status", OID: "1.3.6.1.4.1.232.165.7.2.1.1.3.%u", Symbol: "CPQPOWER-MIB::pdu2InputFrequencyStatus.%u", Poll: Fast, Flags: String, Lookup: hpePduThresholdFrequencyStatus},
		{Name: "ups.alarm", OID: "1.3.6.1.4.1.232.165.7.2.1.1.3.%u", Symbol: "CPQPOWER-MIB::pdu2InputFrequencyStatus.%u", Poll: Fast, Flags: String | Alarm, Lookup: hpePduThresholdFrequencyAlarm},
		{Name: "input.load", OID: "1.3.6.1.4.1.534.6.6.7.3.3.1.11.%u.1.1", Symbol: "EATON-EPDU-MIB::inputCurrentPercentLoad.%u.1.1", Flags: NegInvalid},
		{Name: "input.L1.load", OID: "1.3.6.1.4.1.232.165.7.2.2.1.18.%u.1", Symbol: "CPQPOWER-MIB::pdu2InputPhaseCurrentPercentLoad.%u.1", Flags: NegInvalid},
		{Name: "input.L1.load", OID: "1.3.6.1.4.1.232.165.7.2.2.1.18.%u.2", Symbol: "CPQPOWER-MIB::pdu2InputPhaseCurrentPercentLoad.%u.2", Flags: NegInvalid},
		{Name: "input.L1.load", OID: "1.3.6.1.4.1.232.165.7.2.2.1.18.%u.3", Symbol: "CPQPOWER-MIB::pdu2InputPhaseCurrentPercentLoad.%u.3", Flags: NegInvalid},
		{Name: "input.voltage", OID: "1.3.6.1.4.1.232.165.7.2.2.1.3.%u.1", Symbol: "CPQPOWER-MIB::pdu2InputPhaseVoltage.%u.1", Mult: 0.001},
		{Name: "input.voltage.status", OID: "1.3.6.1.4.1.232.165.7.2.2.1.4.%u.1", Symbol: "CPQPOWER-MIB::pdu2InputPhaseVoltageThStatus.%u.1", Poll: Fast, Flags: String, Lookup: hpePduThresholdStatus},
		{Name: "ups.alarm", OID: "1.3.6.1.4.1.232.165.7.2.2.1.4.%u.1", Symbol: "CPQPOWER-MIB::pdu2InputPhaseVoltageThStatus.%u.1", Poll: Fast, Flags: String | Alarm, Lookup: hpePduThresholdVoltageAlarms},
	}, limits("input.voltage", "1.3.6.1.4.1.232.165.7.2.2.1", 5, "CPQPOWER-MIB::pdu2InputPhaseVoltage", "%u.1", 0.001, NegInvalid), []Var{
		{Name: "input.L1.voltage", OID: "1.3.6.1.4.1.232.165.7.2.2.1.3.%u.1", Symbol: "CPQPOWER-MIB::pdu2InputPhaseVoltage.%u.1", Mult: 0.001},
		{Name: "input.L1.voltage.status", OID: "1.3.6.1.4.1.232.165.7.2.2.1.4.%u.1", Symbol: "CPQPOWER-MIB::pdu2InputPhaseVoltageThStatus.%u.1", Poll: Fast, Flags: String, Lookup: hpePduThresholdStatus},
		{Name: "L1.alarm", OID: "1.3.6.1.4.1.232.165.7.2.2.1.4.%u.1", Symbol: "CPQPOWER-MIB::pdu2InputPhaseVoltageThStatus.%u.1", Poll: Fast, Flags: String | Alarm, Lookup: hpePduThresholdVoltageAlarms},
	}, limits("input.L1.voltage", "1.3.6.1.4.1.232.165.7.2.2.1", 5, "CPQPOWER-MIB::pdu2InputPhaseVoltage", "%u.1", 0.001, NegInvalid), []Var{
		{Name: "input.L2.voltage", OID: "1.3.6.1.4.1.232.165.7.2.2.1.3.%u.2", Symbol: "CPQPOWER-MIB::pdu2InputPhaseVoltage.%u.2", Mult: 0.001},
		{Name: "input.L2.voltage.status", OID: "1.3.6.1.4.1.232.165.7.2.2.1.4.%u.2", Symbol: "CPQPOWER-MIB::pdu2InputPhaseVoltageThStatus.%u.2", Poll: Fast, Flags: String, Lookup: hpePduThresholdStatus},
		{Name: "L2.alarm", OID: "1.3.6.1.4.1.232.165.7.2.2.1.4.%u.2", Symbol: "CPQPOWER-MIB::pdu2InputPhaseVoltageThStatus.%u.2", Poll: Fast, Flags: String | Alarm, Lookup: hpePduThresholdVoltageAlarms},
	}, limits("input.L2.voltage", "1.3.6.1.4.1.232.165.7.2.2.1", 5, "CPQPOWER-MIB::pdu2InputPhaseVoltage", "%u.2", 0.001, NegInvalid), []Var{
		{Name: "input.L3.voltage", OID: "1.3.6.1.4.1.232.165.7.2.2.1.3.%u.3", Symbol: "CPQPOWER-MIB::pdu2InputPhaseVoltage.%u.3", Mult: 0.001},
		{Name: "input.L3.voltage.status", OID: "1.3.6.1.4.1.232.165.7.2.2.1.4.%u.3", Symbol: "CPQPOWER-MIB::pdu2InputPhaseVoltageThStatus.%u.3", Poll: Fast, Flags: String, Lookup: hpePduThresholdStatus},
		{Name: "L3.alarm", OID: "1.3.6.1.4.1.232.165.7.2.2.1.4.%u.3", Symbol: "CPQPOWER-MIB::pdu2InputPhaseVoltageThStatus.%u.3", Poll: Fast, Flags: String | Alarm, Lookup: hpePduThresholdVoltageAlarms},
	}, limits("input.L3.voltage", "1.3.6.1.4.1.232.165.7.2.2.1", 5, "CPQPOWER-MIB::pdu2InputPhaseVoltage", "%u.3", 0.001, NegInvalid), []Var{
		{Name: "input.current", OID: "1.3.6.1.4.1.232.165.7.2.2.1.11.%u.1", Symbol: "CPQPOWER-MIB::pdu2InputPhaseCurrent.%u.1", Mult: 0.001},
		{Name: "input.current.nominal", OID: "1.3.6.1.4.1.232.165.7.2.2.1.10.%u.1", Symbol: "CPQPOWER-MIB::pdu2InputPhaseCurrentRating.%u.1", Mult: 0.001, Flags: NegInvalid},
		{Name: "input.current.status", OID: "1.3.6.1.4.1.232.165.7.2.2.1.12.%u.1", Symbol: "CPQPOWER-MIB::pdu2InputPhaseCurrentThStatus.%u.1", Poll: Fast, Flags: String, Lookup: hpePduThresholdStatus},
		{Name: "ups.alarm", OID: "1.3.6.1.4.1.232.165.7.2.2.1.12.%u.1", Symbol: "CPQPOWER-MIB::pdu2InputPhaseCurrentThStatus.%u.1", Poll: Fast, Flags: String | Alarm, Lookup: hpePduThresholdCurrentAlarms},
	}, limits("input.current", "1.3.6.1.4.1.232.165.7.2.2.1", 13, "CPQPOWER-MIB::pdu2InputPhaseCurrent", "%u.1", 0.001, NegInvalid), []Var{
		{Name: "input.L1.current", OID: "1.3.6.1.4.1.232.165.7.2.2.1.11.%u.1", Symbol: "CPQPOWER-MIB::pdu2InputPhaseCurrent.%u.1", Mult: 0.001},
		{Name: "input.L1.current.nominal", OID: "1.3.6.1.4.1.232.165.7.2.2.1.10.%u.1", Symbol: "CPQPOWER-MIB::pdu2InputPhaseCurrentRating.%u.1", Mult: 0.001, Flags: NegInvalid},
		{Name: "input.L1.current.status", OID: "1.3.6.1.4.1.232.165.7.2.2.1.12.%u.1", Symbol: "CPQPOWER-MIB::pdu2InputPhaseCurrentThStatus.%u.1", Poll: Fast, Flags: String, Lookup: hpePduThresholdStatus},
		{Name: "L1.alarm", OID: "1.3.6.1.4.1.232.165.7.2.2.1.12.%u.1", Symbol: "CPQPOWER-MIB::pdu2InputPhaseCurrentThStatus.%u.1", Poll: Fast, Flags: String | Alarm, Lookup: hpePduThresholdCurrentAlarms},
	}, limits("input.L1.current", "1.3.6.1.4.1.232.165.7.2.2.1", 13, "CPQPOWER-MIB::pdu2InputPhaseCurrent", "%u.1", 0.001, NegInvalid), []Var{
		{Name: "input.L2.current", OID: "1.3.6.1.4.1.232.165.7.2.2.1.11.%u.2", Symbol: "CPQPOWER-MIB::pdu2InputPhaseCurrent.%u.2", Mult: 0.001},
		{Name: "input.L2.current.nominal", OID: "1.3.6.1.4.1.232.165.7.2.2.1.10.%u.2", Symbol: "CPQPOWER-MIB::pdu2InputPhaseCurrentRating.%u.2", Mult: 0.001, Flags: NegInvalid},
		{Name: "input.L2.current.status", OID: "1.3.6.1.4.1.232.165.7.2.2.1.12.%u.2", Symbol: "CPQPOWER-MIB::pdu2InputPhaseCurrentThStatus.%u.2", Poll: Fast, Flags: String, Lookup: hpePduThresholdStatus},
		{Name: "L2.alarm", OID: "1.3.6.1.4.1.232.165.7.2.2.1.12.%u.2", Symbol: "CPQPOWER-MIB::pdu2InputPhaseCurrentThStatus.%u.2", Poll: Fast, Flags: String | Alarm, Lookup: hpePduThresholdCurrentAlarms},
	}, limits("input.L2.current", "1.3.6.1.4.1.232.165.7.2.2.1", 13, "CPQPOWER-MIB::pdu2InputPhaseCurrent", "%u.2", 0.001, NegInvalid), []Var{
		{Name: "input.L3.current", OID: "1.3.6.1.4.1.232.165.7.2.2.1.11.%u.3", Symbol: "CPQPOWER-MIB::pdu2InputPhaseCurrent.%u.3", Mult: 0.001},
		{Name: "input.L3.current.nominal", OID: "1.3.6.1.4.1.232.165.7.2.2.1.10.%u.3", Symbol: "CPQPOWER-MIB::pdu2InputPhaseCurrentRating.%u.3", Mult: 0.001, Flags: NegInvalid},
		{Name: "input.L3.current.status", OID: "1.3.6.1.4.1.232.165.7.2.2.1.12.%u.3", Symbol: "CPQPOWER-MIB::pdu2InputPhaseCurrentThStatus.%u.3", Poll: Fast, Flags: String, Lookup: hpePduThresholdStatus},
		{Name: "L2.alarm", OID: "1.3.6.1.4.1.232.165.7.2.2.1.12.%u.2", Symbol: "CPQPOWER-MIB::pdu2InputPhaseCurrentThStatus.%u.2", Poll: Fast, Flags: String | Alarm, Lookup: hpePduThresholdCurrentAlarms},
	}, limits("input.L3.current", "1.3.6.1.4.1.232.165.7.2.2.1", 13, "CPQPOWER-MIB::pdu2InputPhaseCurrent", "%u.3", 0.001, NegInvalid), []Var{
		{Name: "input.realpower", OID: "1.3.6.1.4.1.232.165.7.2.1.1.5.%u", Symbol: "CPQPOWER-MIB::pdu2InputPowerWatts.%u", Flags: NegInvalid | Unique},
		{Name: "input.L1.realpower", OID: "1.3.6.1.4.1.232.165.7.2.2.1.21.%u.1", Symbol: "CPQPOWER-MIB::pdu2InputPhasePowerWatts.%u.1", Flags: NegInvalid},
		{Name: "input.L2.realpower", OID: "1.3.6.1.4.1.232.165.7.2.2.1.21.%u.2", Symbol: "CPQPOWER-MIB::pdu2InputPhasePowerWatts.%u.2", Flags: NegInvalid},
		{Name: "input.L3.realpower", OID: "1.3.6.1.4.1.232.165.7.2.2.1.21.%u.3", Symbol: "CPQPOWER-MIB::pdu2InputPhasePowerWatts.%u.3", Flags: NegInvalid},
		{Name: "input.power", OID: "1.3.6.1.4.1.232.165.7.2.1.1.4.%u", Symbol: "CPQPOWER-MIB::pdu2InputPowerVA.%u", Flags: NegInvalid | Unique},
		{Name: "input.L1.power", OID: "1.3.6.1.4.1.232.165.7.2.2.1.20.%u.1", Symbol: "CPQPOWER-MIB::pdu2InputPhasePowerVA.%u.1", Flags: NegInvalid},
		{Name: "input.L2.power", OID: "1.3.6.1.4.1.232.165.7.2.2.1.20.%u.2", Symbol: "CPQPOWER-MIB::pdu2InputPhasePowerVA.%u.2", Flags: NegInvalid},
		{Name: "input.L3.power", OID: "1.3.6.1.4.1.232.165.7.2.2.1.20.%u.3", Symbol: "CPQPOWER-MIB::pdu2InputPhasePowerVA.%u.3", Flags: NegInvalid},
		{Name: "input.powerfactor", OID: "1.3.6.1.4.1.232.165.7.2.1.1.8.%u", Symbol: "CPQPOWER-MIB::pdu2InputPowerFactor.%u", Mult: 0.001, Flags: NegInvalid},
		{Name: "ambient.present", OID: "1.3.6.1.4.1.232.165.7.4.2.1.3.%u.1", Symbol: "CPQPOWER-MIB::pdu2TemperatureProbeStatus.%u.1", Flags: String, Lookup: hpePduAmbientPresence},
		{Name: "ambient.temperature.status", OID: "1.3.6.1.4.1.232.165.7.4.2.1.5.%u.1", Symbol: "CPQPOWER-MIB::pdu2TemperatureThStatus.%u.1", Poll: Fast, Flags: String, Lookup: hpePduThresholdStatus},
		{Name: "ups.alarm", OID: "1.3.6.1.4.1.232.165.7.4.2.1.5.%u.1", Symbol: "CPQPOWER-MIB::pdu2TemperatureThStatus.%u.1", Poll: Fast, Flags: String | Alarm, Lookup: hpePduThresholdTemperatureAlarms},
		{Name: "ambient.temperature", OID: "1.3.6.1.4.1.232.165.7.4.2.1.4.%u.1", Symbol: "CPQPOWER-MIB::pdu2TemperatureValue.%u.1", Mult: 0.1, Decimals: 1},
		{Name: "ambient.temperature.low", OID: "1.3.6.1.4.1.232.165.7.4.2.1.7.%u.1", Symbol: "CPQPOWER-MIB::pdu2TemperatureThLowerCritical.%u.1", Mult: 0.1, Set: SetInteger, Flags: NegInvalid},
		{Name: "ambient.temperature.low.critical", OID: "1.3.6.1.4.1.232.165.7.4.2.1.7.%u.1", Symbol: "CPQPOWER-MIB::pdu2TemperatureThLowerCritical.%u.1", Mult: 0.1, Set: SetInteger, Flags: NegInvalid},
		{Name: "ambient.temperature.low.warning", OID: "1.3.6.1.4.1.232.165.7.4.2.1.6.%u.1", Symbol: "CPQPOWER-MIB::pdu2TemperatureThLowerWarning.%u.1", Mult: 0.1, Set: SetInteger, Flags: NegInvalid},
		{Name: "ambient.temperature.high", OID: "1.3.6.1.4.1.232.165.7.4.2.1.9.%u.1", Symbol: "CPQPOWER-MIB::pdu2TemperatureThUpperCritical.%u.1", Mult: 0.1, Set: SetInteger, Flags: NegInvalid},
		{Name: "ambient.temperature.high.critical", OID: "1.3.6.1.4.1.232.165.7.4.2.1.9.%u.1", Symbol: "CPQPOWER-MIB::pdu2TemperatureThUpperCritical.%u.1", Mult: 0.1, Set: SetInteger, Flags: NegInvalid},
		{Name: "ambient.temperature.high.warning", OID: "1.3.6.1.4.1.232.165.7.4.2.1.8.%u.1", Symbol: "CPQPOWER-MIB::pdu2TemperatureThUpperWarning.%u.1", Mult: 0.1, Set: SetInteger, Flags: NegInvalid},
		{Name: "ambient.humidity.status", OID: "1.3.6.1.4.1.232.165.7.4.3.1.5.%u.1", Symbol: "CPQPOWER-MIB::pdu2HumidityThStatus.%u.1", Poll: Fast, Flags: String, Lookup: hpePduThresholdStatus},
		{Name: "ups.alarm", OID: "1.3.6.1.4.1.232.165.7.4.3.1.5.%u.1", Symbol: "CPQPOWER-MIB::pdu2HumidityThStatus.%u.1", Poll: Fast, Flags: String | Alarm, Lookup: hpePduThresholdHumidityAlarms},
		{Name: "ambient.humidity", OID: "1.3.6.1.4.1.232.165.7.4.3.1.4.%u.1", Symbol: "CPQPOWER-MIB::pdu2HumidityValue.%u.1", Mult: 0.1},
		{Name: "ambient.humidity.low", OID: "1.3.6.1.4.1.232.165.7.4.3.1.7.%u.1", Symbol: "CPQPOWER-MIB::pdu2HumidityThLowerCritical.%u.1", Mult: 0.1, Set: SetInteger, Flags: NegInvalid},
		{Name: "ambient.humidity.low.critical", OID: "1.3.6.1.4.1.232.165.7.4.3.1.7.%u.1", Symbol: "CPQPOWER-MIB::pdu2HumidityThLowerCritical.%u.1", Mult: 0.1, Set: SetInteger, Flags: NegInvalid},
		{Name: "ambient.humidity.low.warning", OID: "1.3.6.1.4.1.232.165.7.4.3.1.6.%u.1", Symbol: "CPQPOWER-MIB::pdu2HumidityThLowerWarning.%u.1", Mult: 0.1, Set: SetInteger, Flags: NegInvalid},
		{Name: "ambient.humidity.high.warning", OID: "1.3.6.1.4.1.232.165.7.4.3.1.8.%u.1", Symbol: "CPQPOWER-MIB::pdu2HumidityThUpperWarning.%u.1", Mult: 0.1, Set: SetInteger, Flags: NegInvalid},
		{Name: "ambient.humidity.high", OID: "1.3.6.1.4.1.232.165.7.4.3.1.9.%u.1", Symbol: "CPQPOWER-MIB::pdu2HumidityThUpperCritical.%u.1", Mult: 0.1, Set: SetInteger, Flags: NegInvalid},
		{Name: "ambient.humidity.high.critical", OID: "1.3.6.1.4.1.232.165.7.4.3.1.9.%u.1", Symbol: "CPQPOWER-MIB::pdu2HumidityThUpperCritical.%u.1", Mult: 0.1, Set: SetInteger, Flags: NegInvalid},
		{Name: "ambient.contacts.1.status", OID: "1.3.6.1.4.1.232.165.7.4.4.1.4.%u.1", Symbol: "CPQPOWER-MIB::pdu2ContactState.%u.1", Poll: Fast, Flags: String, Lookup: hpePduAmbientDrycontacts},
		{Name: "ambient.contacts.2.status", OID: "1.3.6.1.4.1.232.165.7.4.4.1.4.%u.2", Symbol: "CPQPOWER-MIB::pdu2ContactState.%u.2", Poll: Fast, Flags: String, Lookup: hpePduAmbientDrycontacts},
		{Name: "outlet.id", Default: "0", Poll: Once, Flags: Absent},
		constant("outlet.desc", "All outlets"),
		{Name: "outlet.count", OID: "1.3.6.1.4.1.232.165.7.1.2.1.12.%u", Symbol: "CPQPOWER-MIB::pdu2OutletCount.%u", Poll: Once},
		{Name: "outlet.%i.desc", OID: "1.3.6.1.4.1.232.165.7.5.1.1.2.%u.%i", Symbol: "CPQPOWER-MIB::pdu2OutletName.%u.%i", Poll: Once, Flags: String | Outlet},
		{Name: "outlet.%i.status", OID: "1.3.6.1.4.1.232.165.7.5.2.1.1.%u.%i", Symbol: "CPQPOWER-MIB::pdu2OutletControlStatus.%u.%i", Poll: Fast, Flags: String | Outlet, Lookup: hpePduOutletStatus},
		{Name: "outlet.%i.id", Default: "%i", Poll: Once, Flags: Outlet},
		{Name: "outlet.%i.current", OID: "1.3.6.1.4.1.232.165.7.5.1.1.5.%u.%i", Symbol: "CPQPOWER-MIB::pdu2OutletCurrent.%u.%i", Mult: 0.001, Flags: Outlet},
		{Name: "outlet.%i.current.status", OID: "1.3.6.1.4.1.232.165.7.5.1.1.6.%u.%i", Symbol: "CPQPOWER-MIB::pdu2OutletCurrentThStatus.%u.%i", Poll: Fast, Flags: String | Outlet, Lookup: hpePduThresholdStatus},
		{Name: "outlet.%i.alarm", OID: "1.3.6.1.4.1.232.165.7.5.1.1.6.%u.%i", Symbol: "CPQPOWER-MIB::pdu2OutletCurrentThStatus.%u.%i", Poll: Fast, Flags: String | Outlet | Alarm, Lookup: hpePduThresholdCurrentAlarms},
	}, limits("outlet.%i.current", "1.3.6.1.4.1.232.165.7.5.1.1", 7, "CPQPOWER-MIB::pdu2OutletCurrent", "%u.%i", 0.001, NegInvalid|Outlet), []Var{
		{Name: "outlet.%i.realpower", OID: "1.3.6.1.4.1.232.165.7.5.1.1.14.%u.%i", Symbol: "CPQPOWER-MIB::pdu2OutletWatts.%u.%i", Flags: NegInvalid | Outlet},
		{Name: "outlet.%i.power", OID: "1.3.6.1.4.1.232.165.7.5.1.1.13.%u.%i", Symbol: "CPQPOWER-MIB::pdu2OutletVA.%u.%i", Flags: Outlet},
		{Name: "outlet.%i.switchable", OID: "1.3.6.1.4.1.232.165.7.5.2.1.8.%u.%i", Symbol: "CPQPOWER-MIB::pdu2OutletControlSwitchable.%u.%i", Mult: 128, Set: SetInteger, Poll: Once, Flags: Outlet, Lookup: yesNo},
		{Name: "outlet.%i.type", OID: "1.3.6.1.4.1.232.165.7.5.1.1.3.%u.%i", Symbol: "CPQPOWER-MIB::pdu2OutletType.%u.%i", Poll: Once, Flags: String | Outlet, Lookup: hpePduOutletType},
		{Name: "outlet.%i.powerfactor", OID: "1.3.6.1.4.1.232.165.7.5.1.1.17.%u.%i", Symbol: "CPQPOWER-MIB::pdu2OutletPowerFactor.%u.%i", Mult: 0.001, Flags: Outlet},
		{Name: "outlet.group.count", OID: "1.3.6.1.4.1.232.165.7.1.2.1.11.%u", Symbol: "CPQPOWER-MIB::pdu2GroupCount.%u", Poll: Once},
		{Name: "outlet.group.%i.id", OID: "1.3.6.1.4.1.232.165.7.3.1.1.1.%u.%i", Symbol: "CPQPOWER-MIB::pdu2GroupIndex.%u.%i", Poll: Once, Flags: String | Group},
		{Name: "outlet.group.%i.name", OID: "1.3.6.1.4.1.232.165.7.3.1.1.2.%u.%i", Symbol: "CPQPOWER-MIB::pdu2GroupName.%u.%i", Set: SetString, Size: 128, Poll: Once, Flags: String | Group},
		{Name: "outlet.group.%i.type", OID: "1.3.6.1.4.1.232.165.7.3.1.1.3.%u.%i", Symbol: "CPQPOWER-MIB::pdu2GroupType.%u.%i", Poll: Once, Flags: String | Group, Lookup: hpePduOutletGroupType},
		{Name: "outlet.group.%i.phase", OID: "1.3.6.1.4.1.232.165.7.3.1.1.4.%u.%i", Symbol: "CPQPOWER-MIB::pdu2GroupVoltageMeasType.%u.%i", Mult: 128, Poll: Once, Flags: Group, Lookup: hpePduOutletGroupPhase},
		{Name: "outlet.group.%i.status", OID: "1.3.6.1.4.1.232.165.7.3.1.1.27.%u.%i", Symbol: "CPQPOWER-MIB::pdu2GroupBreakerStatus.%u.%i", Poll: Fast, Flags: String | NAInvalid | Group, Lookup: hpePduOutletgroupsStatus},
		{Name: "outlet.group.%i.count", OID: "1.3.6.1.4.1.232.165.7.3.1.1.26.%u.%i", Symbol: "CPQPOWER-MIB::pdu2GroupOutletCount.%u.%i", Flags: Group},
		{Name: "outlet.group.%i.voltage", OID: "1.3.6.1.4.1.232.165.7.3.1.1.5.%u.%i", Symbol: "CPQPOWER-MIB::pdu2GroupVoltage.%u.%i", Mult: 0.001, Flags: Group},
		{Name: "outlet.group.%i.voltage.status", OID: "1.3.6.1.4.1.232.165.7.3.1.1.6.%u.%i", Symbol: "CPQPOWER-MIB::pdu2GroupVoltageThStatus.%u.%i", Poll: Fast, Flags: String | Group, Lookup: hpePduThresholdStatus},
		{Name: "outlet.group.%i.alarm", OID: "1.3.6.1.4.1.232.165.7.3.1.1.6.%u.%i", Symbol: "CPQPOWER-MIB::pdu2GroupVoltageThStatus.%u.%i", Poll: Fast, Flags: String | Group | Alarm, Lookup: hpePduThresholdVoltageAlarms},
	}, limits("outlet.group.%i.voltage", "1.3.6.1.4.1.232.165.7.3.1.1", 7, "CPQPOWER-MIB::pdu2GroupVoltage", "%u.%i", 0.001, NegInvalid|Group), []Var{
		{Name: "outlet.group.%i.current", OID: "1.3.6.1.4.1.232.165.7.3.1.1.12.%u.%i", Symbol: "CPQPOWER-MIB::pdu2GroupCurrent.%u.%i", Mult: 0.001, Flags: Group},
		{Name: "outlet.group.%i.current.nominal", OID: "1.3.6.1.4.1.232.165.7.3.1.1.11.%u.%i", Symbol: "CPQPOWER-MIB::pdu2groupCurrentRating.%u.%i", Mult: 0.001, Flags: Group},
		{Name: "outlet.group.%i.current.status", OID: "1.3.6.1.4.1.232.165.7.3.1.1.13.%u.%i", Symbol: "CPQPOWER-MIB::pdu2GroupCurrentThStatus.%u.%i", Poll: Fast, Flags: String | Group, Lookup: hpePduThresholdStatus},
		{Name: "outlet.group.%i.alarm", OID: "1.3.6.1.4.1.232.165.7.3.1.1.13.%u.%i", Symbol: "CPQPOWER-MIB::pdu2GroupCurrentThStatus.%u.%i", Poll: Fast, Flags: String | Group | Alarm, Lookup: hpePduThresholdCurrentAlarms},
	}, limits("outlet.group.%i.current", "1.3.6.1.4.1.232.165.7.3.1.1", 14, "CPQPOWER-MIB::pdu2GroupCurrent", "%u.%i", 0.001, NegInvalid|Group), []Var{
		{Name: "outlet.group.%i.load", OID: "1.3.6.1.4.1.232.165.7.3.1.1.19.%u.%i", Symbol: "CPQPOWER-MIB::pdu2GroupCurrentPercentLoad.%u.%i", Flags: NegInvalid | Group},
		{Name: "outlet.group.%i.realpower", OID: "1.3.6.1.4.1.232.165.7.3.1.1.21.%u.%i", Symbol: "CPQPOWER-MIB::pdu2GroupPowerWatts.%u.%i", Flags: NegInvalid | Group},
		{Name: "outlet.group.%i.power", OID: "1.3.6.1.4.1.232.165.7.3.1.1.20.%u.%i", Symbol: "CPQPOWER-MIB::pdu2GroupPowerVA.%u.%i", Flags: NegInvalid | Group},
		{Name: "outlet.group.%i.powerfactor", OID: "1.3.6.1.4.1.232.165.7.3.1.1.24.%u.%i", Symbol: "CPQPOWER-MIB::pdu2GroupPowerFactor.%u.%i", Mult: 0.001, Flags: Outlet},
	}),
	Cmds: []Cmd{
		{Name: "outlet.%i.load.off", OID: "1.3.6.1.4.1.232.165.7.5.2.1.2.%u.%i", Symbol: "CPQPOWER-MIB::pdu2OutletControlOffCmd.%u.%i", Flags: Outlet},
		{Name: "outlet.%i.load.on", OID: "1.3.6.1.4.1.232.165.7.5.2.1.3.%u.%i", Symbol: "CPQPOWER-MIB::pdu2OutletControlOnCmd.%u.%i", Flags: Outlet},
		{Name: "outlet.%i.load.cycle", OID: "1.3.6.1.4.1.232.165.7.5.2.1.4.%u.%i", Symbol: "CPQPOWER-MIB::pdu2OutletControlRebootCmd.%u.%i", Flags: Outlet},
		{Name: "outlet.%i.load.off.delay", OID: "1.3.6.1.4.1.232.165.7.5.2.1.2.%u.%i", Symbol: "CPQPOWER-MIB::pdu2OutletControlOffCmd.%u.%i", Flags: Arg | Outlet},
		{Name: "outlet.%i.load.on.delay", OID: "1.3.6.1.4.1.232.165.7.5.2.1.3.%u.%i", Symbol: "CPQPOWER-MIB::pdu2OutletControlOnCmd.%u.%i", Flags: Arg | Outlet},
		{Name: "outlet.%i.load.cycle.delay", OID: "1.3.6.1.4.1.232.165.7.5.2.1.4.%u.%i", Symbol: "CPQPOWER-MIB::pdu2OutletControlRebootCmd.%u.%i", Flags: Arg | Outlet},
	},
}

// Lookups (SNMP value → NUT value).
var (
	hpePduInputType                  = Lookup{{1, "1"}, {2, "2"}, {3, "3"}, {4, "3"}}                                                                                                                                                                                                                                                       // hpe_pdu_input_type_info
	hpePduThresholdFrequencyStatus   = Lookup{{1, "good"}, {2, "out-of-range"}}                                                                                                                                                                                                                                                             // hpe_pdu_threshold_frequency_status_info
	hpePduThresholdFrequencyAlarm    = Lookup{{1, ""}, {2, "frequency out of range!"}}                                                                                                                                                                                                                                                      // hpe_pdu_threshold_frequency_alarm_info
	hpePduThresholdStatus            = Lookup{{1, "good"}, {2, "warning-low"}, {3, "critical-low"}, {4, "warning-high"}, {5, "critical-high"}}                                                                                                                                                                                              // hpe_pdu_threshold_status_info
	hpePduThresholdVoltageAlarms     = Lookup{{1, ""}, {2, "low voltage warning!"}, {3, "low voltage critical!"}, {4, "high voltage warning!"}, {5, "high voltage critical!"}}                                                                                                                                                              // hpe_pdu_threshold_voltage_alarms_info
	hpePduThresholdCurrentAlarms     = Lookup{{1, ""}, {2, "low current warning!"}, {3, "low current critical!"}, {4, "high current warning!"}, {5, "high current critical!"}}                                                                                                                                                              // hpe_pdu_threshold_current_alarms_info
	hpePduAmbientPresence            = Lookup{{-1, "unknown"}, {1, "no"}, {2, "yes"}}                                                                                                                                                                                                                                                       // hpe_pdu_ambient_presence_info
	hpePduThresholdTemperatureAlarms = Lookup{{1, ""}, {2, "low temperature warning!"}, {3, "low temperature critical!"}, {4, "high temperature warning!"}, {5, "high temperature critical!"}}                                                                                                                                              // hpe_pdu_threshold_temperature_alarms_info
	hpePduThresholdHumidityAlarms    = Lookup{{1, ""}, {2, "low humidity warning!"}, {3, "low humidity critical!"}, {4, "high humidity warning!"}, {5, "high humidity critical!"}}                                                                                                                                                          // hpe_pdu_threshold_humidity_alarms_info
	hpePduAmbientDrycontacts         = Lookup{{-1, "unknown"}, {0, "unknown"}, {1, "open"}, {2, "closed"}, {3, "bad"}}                                                                                                                                                                                                                      // hpe_pdu_ambient_drycontacts_info
	hpePduOutletStatus               = Lookup{{1, "off"}, {2, "on"}, {3, "pendingOff"}, {4, "pendingOn"}}                                                                                                                                                                                                                                   // hpe_pdu_outlet_status_info
	hpePduOutletType                 = Lookup{{0, "unknown"}, {1, "iecC13"}, {2, "iecC19"}, {10, "uk"}, {11, "french"}, {12, "schuko"}, {20, "nema515"}, {21, "nema51520"}, {22, "nema520"}, {23, "nemaL520"}, {24, "nemaL530"}, {25, "nema615"}, {26, "nema620"}, {27, "nemaL620"}, {28, "nemaL630"}, {29, "nemaL715"}, {30, "rf203p277"}} // hpe_pdu_outlet_type_info
	hpePduOutletGroupType            = Lookup{{0, "unknown"}, {1, "unknown"}, {2, "breaker1pole"}, {3, "breaker2pole"}, {4, "breaker3pole"}, {5, "outlet-section"}}                                                                                                                                                                         // hpe_pdu_outlet_group_type_info
	hpePduOutletGroupPhase           = Lookup{{1, "L1"}, {2, "L1"}, {3, "L2"}, {4, "L3"}, {5, "L1"}, {6, "L2"}, {7, "L3"}}                                                                                                                                                                                                                  // hpe_pdu_outlet_group_phase_info
	hpePduOutletgroupsStatus         = Lookup{{1, "N/A"}, {2, "on"}, {3, "off"}}                                                                                                                                                                                                                                                            // hpe_pdu_outletgroups_status_info
)
