package mib

// EatonEPDU: Eaton ePDU G2/G3 (Marlin/Shark, EATON-EPDU-MIB under
// 534.6.6.7), with daisy-chain, outlet, outlet-group and ambient
// templates; the largest table (235 rows). NUT 2.8.0:
// drivers/eaton-pdu-marlin-mib.c (eaton_marlin_mib), mapping 0.69.
var EatonEPDU = &MIB{
	Name: "eaton_epdu", Version: "0.69", Type: "pdu",
	SysOIDs:  []string{"1.3.6.1.4.1.534.6.6.7"},
	ProbeOID: "1.3.6.1.4.1.534.6.6.7.1.2.1.2.0",
	Vars: rows(system(SysDescr, SetString), []Var{
		constant("device.mfr", "EATON"),
		{Name: "device.model", OID: "1.3.6.1.4.1.534.6.6.7.1.2.1.2.%u", Symbol: "EATON-EPDU-MIB::productName.%u", Poll: Once, Flags: String},
		{Name: "device.serial", OID: "1.3.6.1.4.1.534.6.6.7.1.2.1.4.%u", Symbol: "EATON-EPDU-MIB::serialNumber.%u", Poll: Once, Flags: String},
		constant("device.type", "pdu"),
		{Name: "device.part", OID: "1.3.6.1.4.1.534.6.6.7.1.2.1.3.%u", Symbol: "EATON-EPDU-MIB::partNumber.%u", Poll: Once, Flags: String},
		{Name: "device.macaddr", OID: "1.3.6.1.2.1.2.2.1.6.2", Symbol: "IF-MIB::ifPhysAddress.2", Poll: Once, Flags: String},
		constant("ups.mfr", "EATON"),
		{Name: "ups.model", OID: "1.3.6.1.4.1.534.6.6.7.1.2.1.2.%u", Symbol: "EATON-EPDU-MIB::productName.%u", Poll: Once, Flags: String},
		{Name: "ups.serial", OID: "1.3.6.1.4.1.534.6.6.7.1.2.1.4.%u", Symbol: "EATON-EPDU-MIB::serialNumber.%u", Poll: Once, Flags: String},
		{Name: "ups.firmware", OID: "1.3.6.1.4.1.534.6.6.7.1.2.1.5.%u", Symbol: "EATON-EPDU-MIB::firmwareVersion.%u", Flags: String},
		constant("ups.type", "pdu"),
		{Name: "input.phases", OID: "1.3.6.1.4.1.534.6.6.7.3.1.1.2.%u.1", Symbol: "EATON-EPDU-MIB::inputType.%u.1", Poll: Once, Lookup: marlinInputType},
		{Name: "input.frequency", OID: "1.3.6.1.4.1.534.6.6.7.3.1.1.3.%u.1", Symbol: "EATON-EPDU-MIB::inputFrequency.%u.1", Mult: 0.1},
		{Name: "input.frequency.status", OID: "1.3.6.1.4.1.534.6.6.7.3.1.1.4.%u.1", Symbol: "EATON-EPDU-MIB::inputFrequencyStatus.%u.1", Poll: Fast, Flags: String, Lookup: marlinThresholdFrequencyStatus},
		{Name: "ups.alarm", OID: "1.3.6.1.4.1.534.6.6.7.3.1.1.4.%u.1", Symbol: "EATON-EPDU-MIB::inputFrequencyStatus.%u.1", Poll: Fast, Flags: String | Alarm, Lookup: marlinThresholdFrequencyAlarm},
		{Name: "input.load", OID: "1.3.6.1.4.1.534.6.6.7.3.3.1.11.%u.1.1", Symbol: "EATON-EPDU-MIB::inputCurrentPercentLoad.%u.1.1", Flags: NegInvalid},
		{Name: "input.L1.load", OID: "1.3.6.1.4.1.534.6.6.7.3.3.1.11.%u.1.1", Symbol: "EATON-EPDU-MIB::inputCurrentPercentLoad.%u.1.1", Flags: NegInvalid},
		{Name: "input.L2.load", OID: "1.3.6.1.4.1.534.6.6.7.3.3.1.11.%u.1.2", Symbol: "EATON-EPDU-MIB::inputCurrentPercentLoad.%u.1.2", Flags: NegInvalid},
		{Name: "input.L3.load", OID: "1.3.6.1.4.1.534.6.6.7.3.3.1.11.%u.1.3", Symbol: "EATON-EPDU-MIB::inputCurrentPercentLoad.%u.1.3", Flags: NegInvalid},
		{Name: "input.voltage", OID: "1.3.6.1.4.1.534.6.6.7.3.2.1.3.%u.1.1", Symbol: "EATON-EPDU-MIB::inputVoltage.%u.1.1", Mult: 0.001},
		{Name: "input.voltage.status", OID: "1.3.6.1.4.1.534.6.6.7.3.2.1.4.%u.1.1", Symbol: "EATON-EPDU-MIB::inputVoltageThStatus.%u.1.1", Poll: Fast, Flags: String, Lookup: marlinThresholdStatus},
		{Name: "ups.alarm", OID: "1.3.6.1.4.1.534.6.6.7.3.2.1.4.%u.1.1", Symbol: "EATON-EPDU-MIB::inputVoltageThStatus.%u.1.1", Poll: Fast, Flags: String | Alarm, Lookup: marlinThresholdVoltageAlarms},
	}, limits("input.voltage", "1.3.6.1.4.1.534.6.6.7.3.2.1", 5, "EATON-EPDU-MIB::inputVoltage", "%u.1.1", 0.001, NegInvalid), []Var{
		{Name: "input.L1.voltage", OID: "1.3.6.1.4.1.534.6.6.7.3.2.1.3.%u.1.1", Symbol: "EATON-EPDU-MIB::inputVoltage.%u.1.1", Mult: 0.001},
		{Name: "input.L1.voltage.status", OID: "1.3.6.1.4.1.534.6.6.7.3.2.1.4.%u.1.1", Symbol: "EATON-EPDU-MIB::inputVoltageThStatus.%u.1.1", Poll: Fast, Flags: String, Lookup: marlinThresholdStatus},
		{Name: "L1.alarm", OID: "1.3.6.1.4.1.534.6.6.7.3.2.1.4.%u.1.1", Symbol: "EATON-EPDU-MIB::inputVoltageThStatus.%u.1.1", Poll: Fast, Flags: String | Alarm, Lookup: marlinThresholdVoltageAlarms},
	}, limits("input.L1.voltage", "1.3.6.1.4.1.534.6.6.7.3.2.1", 5, "EATON-EPDU-MIB::inputVoltage", "%u.1.1", 0.001, NegInvalid), []Var{
		{Name: "input.L2.voltage", OID: "1.3.6.1.4.1.534.6.6.7.3.2.1.3.%u.1.2", Symbol: "EATON-EPDU-MIB::inputVoltage.%u.1.2", Mult: 0.001},
		{Name: "input.L2.voltage.status", OID: "1.3.6.1.4.1.534.6.6.7.3.2.1.4.%u.1.2", Symbol: "EATON-EPDU-MIB::inputVoltageThStatus.%u.1.2", Poll: Fast, Flags: String, Lookup: marlinThresholdStatus},
		{Name: "L2.alarm", OID: "1.3.6.1.4.1.534.6.6.7.3.2.1.4.%u.1.2", Symbol: "EATON-EPDU-MIB::inputVoltageThStatus.%u.1.2", Poll: Fast, Flags: String | Alarm, Lookup: marlinThresholdVoltageAlarms},
	}, limits("input.L2.voltage", "1.3.6.1.4.1.534.6.6.7.3.2.1", 5, "EATON-EPDU-MIB::inputVoltage", "%u.1.2", 0.001, NegInvalid), []Var{
		{Name: "input.L3.voltage", OID: "1.3.6.1.4.1.534.6.6.7.3.2.1.3.%u.1.3", Symbol: "EATON-EPDU-MIB::inputVoltage.%u.1.3", Mult: 0.001},
		{Name: "input.L3.voltage.status", OID: "1.3.6.1.4.1.534.6.6.7.3.2.1.4.%u.1.3", Symbol: "EATON-EPDU-MIB::inputVoltageThStatus.%u.1.3", Poll: Fast, Flags: String, Lookup: marlinThresholdStatus},
		{Name: "L3.alarm", OID: "1.3.6.1.4.1.534.6.6.7.3.2.1.4.%u.1.3", Symbol: "EATON-EPDU-MIB::inputVoltageThStatus.%u.1.3", Poll: Fast, Flags: String | Alarm, Lookup: marlinThresholdVoltageAlarms},
	}, limits("input.L3.voltage", "1.3.6.1.4.1.534.6.6.7.3.2.1", 5, "EATON-EPDU-MIB::inputVoltage", "%u.1.3", 0.001, NegInvalid), []Var{
		{Name: "input.current", OID: "1.3.6.1.4.1.534.6.6.7.3.3.1.4.%u.1.1", Symbol: "EATON-EPDU-MIB::inputCurrent.%u.1.1", Mult: 0.001},
		{Name: "input.current.nominal", OID: "1.3.6.1.4.1.534.6.6.7.3.3.1.3.%u.1.1", Symbol: "EATON-EPDU-MIB::inputCurrentCapacity.%u.1.1", Mult: 0.001},
		{Name: "input.current.status", OID: "1.3.6.1.4.1.534.6.6.7.3.3.1.5.%u.1.1", Symbol: "EATON-EPDU-MIB::inputCurrentThStatus.%u.1.1", Poll: Fast, Flags: String, Lookup: marlinThresholdStatus},
		{Name: "ups.alarm", OID: "1.3.6.1.4.1.534.6.6.7.3.3.1.5.%u.1.1", Symbol: "EATON-EPDU-MIB::inputCurrentThStatus.%u.1.1", Poll: Fast, Flags: String | Alarm, Lookup: marlinThresholdCurrentAlarms},
	}, limits("input.current", "1.3.6.1.4.1.534.6.6.7.3.3.1", 6, "EATON-EPDU-MIB::inputCurrent", "%u.1.1", 0.001, NegInvalid), []Var{
		{Name: "input.L1.current", OID: "1.3.6.1.4.1.534.6.6.7.3.3.1.4.0.1.1", Symbol: "EATON-EPDU-MIB::inputCurrent.0.1.1", Mult: 0.001},
		{Name: "input.L1.current.nominal", OID: "1.3.6.1.4.1.534.6.6.7.3.3.1.3.%u.1.1", Symbol: "EATON-EPDU-MIB::inputCurrentCapacity.%u.1.1", Mult: 0.001},
		{Name: "input.L1.current.status", OID: "1.3.6.1.4.1.534.6.6.7.3.3.1.5.%u.1.1", Symbol: "EATON-EPDU-MIB::inputCurrentThStatus.%u.1.1", Poll: Fast, Flags: String, Lookup: marlinThresholdStatus},
		{Name: "L1.alarm", OID: "1.3.6.1.4.1.534.6.6.7.3.3.1.5.%u.1.1", Symbol: "EATON-EPDU-MIB::inputCurrentThStatus.%u.1.1", Poll: Fast, Flags: String | Alarm, Lookup: marlinThresholdCurrentAlarms},
	}, limits("input.L1.current", "1.3.6.1.4.1.534.6.6.7.3.3.1", 6, "EATON-EPDU-MIB::inputCurrent", "%u.1.1", 0.001, NegInvalid), []Var{
		{Name: "input.L2.current", OID: "1.3.6.1.4.1.534.6.6.7.3.3.1.4.%u.1.2", Symbol: "EATON-EPDU-MIB::inputCurrent.%u.1.2", Mult: 0.001},
		{Name: "input.L2.current.nominal", OID: "1.3.6.1.4.1.534.6.6.7.3.3.1.3.%u.1.2", Symbol: "EATON-EPDU-MIB::inputCurrentCapacity.%u.1.2", Mult: 0.001},
		{Name: "input.L2.current.status", OID: "1.3.6.1.4.1.534.6.6.7.3.3.1.5.%u.1.2", Symbol: "EATON-EPDU-MIB::inputCurrentThStatus.%u.1.2", Poll: Fast, Flags: String, Lookup: marlinThresholdStatus},
		{Name: "L2.alarm", OID: "1.3.6.1.4.1.534.6.6.7.3.3.1.5.%u.1.2", Symbol: "EATON-EPDU-MIB::inputCurrentThStatus.%u.1.2", Poll: Fast, Flags: String | Alarm, Lookup: marlinThresholdCurrentAlarms},
	}, limits("input.L2.current", "1.3.6.1.4.1.534.6.6.7.3.3.1", 6, "EATON-EPDU-MIB::inputCurrent", "%u.1.2", 0.001, NegInvalid), []Var{
		{Name: "input.L3.current", OID: "1.3.6.1.4.1.534.6.6.7.3.3.1.4.%u.1.3", Symbol: "EATON-EPDU-MIB::inputCurrent.%u.1.3", Mult: 0.001},
		{Name: "input.L3.current.nominal", OID: "1.3.6.1.4.1.534.6.6.7.3.3.1.3.%u.1.3", Symbol: "EATON-EPDU-MIB::inputCurrentCapacity.%u.1.3", Mult: 0.001},
		{Name: "input.L3.current.status", OID: "1.3.6.1.4.1.534.6.6.7.3.3.1.5.%u.1.3", Symbol: "EATON-EPDU-MIB::inputCurrentThStatus.%u.1.3", Poll: Fast, Flags: String, Lookup: marlinThresholdStatus},
		{Name: "L3.alarm", OID: "1.3.6.1.4.1.534.6.6.7.3.3.1.5.%u.1.3", Symbol: "EATON-EPDU-MIB::inputCurrentThStatus.%u.1.3", Poll: Fast, Flags: String | Alarm, Lookup: marlinThresholdCurrentAlarms},
	}, limits("input.L3.current", "1.3.6.1.4.1.534.6.6.7.3.3.1", 6, "EATON-EPDU-MIB::inputCurrent", "%u.1.3", 0.001, NegInvalid), []Var{
		{Name: "input.realpower", OID: "1.3.6.1.4.1.534.6.6.7.3.5.1.4.%u.1", Symbol: "EATON-EPDU-MIB::inputTotalWatts.%u.1", Flags: NegInvalid | Unique},
		{Name: "input.realpower", OID: "1.3.6.1.4.1.534.6.6.7.3.4.1.4.%u.1.4", Symbol: "EATON-EPDU-MIB::inputWatts.%u.1.4", Flags: NegInvalid | Unique},
		{Name: "input.realpower", OID: "1.3.6.1.4.1.534.6.6.7.3.4.1.4.%u.1.2", Symbol: "EATON-EPDU-MIB::inputWatts.%u.1.2", Flags: NegInvalid},
		{Name: "input.L1.realpower", OID: "1.3.6.1.4.1.534.6.6.7.3.4.1.4.%u.1.1", Symbol: "EATON-EPDU-MIB::inputWatts.%u.1.1", Flags: NegInvalid},
		{Name: "input.L2.realpower", OID: "1.3.6.1.4.1.534.6.6.7.3.4.1.4.%u.1.2", Symbol: "EATON-EPDU-MIB::inputWatts.%u.1.2", Flags: NegInvalid},
		{Name: "input.L3.realpower", OID: "1.3.6.1.4.1.534.6.6.7.3.4.1.4.%u.1.3", Symbol: "EATON-EPDU-MIB::inputWatts.%u.1.3", Flags: NegInvalid},
		{Name: "input.power", OID: "1.3.6.1.4.1.534.6.6.7.3.5.1.3.%u.1", Symbol: "EATON-EPDU-MIB::inputTotalVA.%u.1", Flags: NegInvalid | Unique},
		{Name: "input.power", OID: "1.3.6.1.4.1.534.6.6.7.3.4.1.3.%u.1.4", Symbol: "EATON-EPDU-MIB::inputVA.%u.1.4", Flags: NegInvalid | Unique},
		{Name: "input.power", OID: "1.3.6.1.4.1.534.6.6.7.3.4.1.3.%u.1.2", Symbol: "EATON-EPDU-MIB::inputVA.%u.1.2", Flags: NegInvalid},
		{Name: "input.L1.power", OID: "1.3.6.1.4.1.534.6.6.7.3.4.1.3.%u.1.1", Symbol: "EATON-EPDU-MIB::inputVA.%u.1.1", Flags: NegInvalid},
		{Name: "input.L2.power", OID: "1.3.6.1.4.1.534.6.6.7.3.4.1.3.%u.1.2", Symbol: "EATON-EPDU-MIB::inputVA.%u.1.2", Flags: NegInvalid},
		{Name: "input.L3.power", OID: "1.3.6.1.4.1.534.6.6.7.3.4.1.3.%u.1.3", Symbol: "EATON-EPDU-MIB::inputVA.%u.1.3", Flags: NegInvalid},
		{Name: "input.feed.desc", OID: "1.3.6.1.4.1.534.6.6.7.3.1.1.10.%u.1", Symbol: "EATON-EPDU-MIB::inputFeedName.%u.1", Set: SetString, Size: 128, Flags: String},
		{Name: "input.feed.color", OID: "1.3.6.1.4.1.534.6.6.7.3.1.1.9.%u.1", Symbol: "EATON-EPDU-MIB::inputFeedColor.%u.1"},
		{Name: "input.realpower.nominal", OID: "1.3.6.1.4.1.534.6.6.7.3.5.1.9.%u.1", Symbol: "EATON-EPDU-MIB::inputPowerCapacity.%u.1", Flags: NegInvalid},
		{Name: "ambient.present", OID: "1.3.6.1.4.1.534.6.6.7.7.1.1.3.%u.1", Symbol: "EATON-EPDU-MIB::temperatureProbeStatus.%u.1", Flags: String, Lookup: marlinAmbientPresence},
		{Name: "ambient.temperature.status", OID: "1.3.6.1.4.1.534.6.6.7.7.1.1.5.%u.1", Symbol: "EATON-EPDU-MIB::temperatureThStatus.%u.1", Poll: Fast, Flags: String, Lookup: marlinThresholdStatus},
		{Name: "ups.alarm", OID: "1.3.6.1.4.1.534.6.6.7.7.1.1.5.%u.1", Symbol: "EATON-EPDU-MIB::temperatureThStatus.%u.1", Poll: Fast, Flags: String | Alarm, Lookup: marlinThresholdTemperatureAlarms},
		{Name: "ambient.temperature", OID: "1.3.6.1.4.1.534.6.6.7.7.1.1.4.%u.1", Symbol: "EATON-EPDU-MIB::temperatureValue.%u.1", Mult: 0.1, Decimals: 1},
		{Name: "ambient.temperature.low", OID: "1.3.6.1.4.1.534.6.6.7.7.1.1.7.%u.1", Symbol: "EATON-EPDU-MIB::temperatureThLowerCritical.%u.1", Mult: 0.1, Set: SetInteger, Flags: NegInvalid},
		{Name: "ambient.temperature.low.critical", OID: "1.3.6.1.4.1.534.6.6.7.7.1.1.7.%u.1", Symbol: "EATON-EPDU-MIB::temperatureThLowerCritical.%u.1", Mult: 0.1, Set: SetInteger, Flags: NegInvalid},
		{Name: "ambient.temperature.low.warning", OID: "1.3.6.1.4.1.534.6.6.7.7.1.1.6.%u.1", Symbol: "EATON-EPDU-MIB::temperatureThLowerWarning.%u.1", Mult: 0.1, Set: SetInteger, Flags: NegInvalid},
		{Name: "ambient.temperature.high", OID: "1.3.6.1.4.1.534.6.6.7.7.1.1.9.%u.1", Symbol: "EATON-EPDU-MIB::temperatureThUpperCritical.%u.1", Mult: 0.1, Set: SetInteger, Flags: NegInvalid},
		{Name: "ambient.temperature.high.warning", OID: "1.3.6.1.4.1.534.6.6.7.7.1.1.8.%u.1", Symbol: "EATON-EPDU-MIB::temperatureThUpperWarning.%u.1", Mult: 0.1, Set: SetInteger, Flags: NegInvalid},
		{Name: "ambient.temperature.high.critical", OID: "1.3.6.1.4.1.534.6.6.7.7.1.1.9.%u.1", Symbol: "EATON-EPDU-MIB::temperatureThUpperCritical.%u.1", Mult: 0.1, Set: SetInteger, Flags: NegInvalid},
		{Name: "ambient.humidity.status", OID: "1.3.6.1.4.1.534.6.6.7.7.2.1.5.%u.1", Symbol: "EATON-EPDU-MIB::humidityThStatus.%u.1", Poll: Fast, Flags: String, Lookup: marlinThresholdStatus},
		{Name: "ups.alarm", OID: "1.3.6.1.4.1.534.6.6.7.7.2.1.5.%u.1", Symbol: "EATON-EPDU-MIB::humidityThStatus.%u.1", Poll: Fast, Flags: String | Alarm, Lookup: marlinThresholdHumidityAlarms},
		{Name: "ambient.humidity", OID: "1.3.6.1.4.1.534.6.6.7.7.2.1.4.%u.1", Symbol: "EATON-EPDU-MIB::humidityValue.%u.1", Mult: 0.1},
		{Name: "ambient.humidity.low", OID: "1.3.6.1.4.1.534.6.6.7.7.2.1.7.%u.1", Symbol: "EATON-EPDU-MIB::humidityThLowerCritical.%u.1", Mult: 0.1, Set: SetInteger, Flags: NegInvalid},
		{Name: "ambient.humidity.low.warning", OID: "1.3.6.1.4.1.534.6.6.7.7.2.1.6.%u.1", Symbol: "EATON-EPDU-MIB::humidityThLowerWarning.%u.1", Mult: 0.1, Set: SetInteger, Flags: NegInvalid},
		{Name: "ambient.humidity.low.critical", OID: "1.3.6.1.4.1.534.6.6.7.7.2.1.7.%u.1", Symbol: "EATON-EPDU-MIB::humidityThLowerCritical.%u.1", Mult: 0.1, Set: SetInteger, Flags: NegInvalid},
		{Name: "ambient.humidity.high", OID: "1.3.6.1.4.1.534.6.6.7.7.2.1.9.%u.1", Symbol: "EATON-EPDU-MIB::humidityThUpperCritical.%u.1", Mult: 0.1, Set: SetInteger, Flags: NegInvalid},
		{Name: "ambient.humidity.high.warning", OID: "1.3.6.1.4.1.534.6.6.7.7.2.1.8.%u.1", Symbol: "EATON-EPDU-MIB::humidityThUpperWarning.%u.1", Mult: 0.1, Set: SetInteger, Flags: NegInvalid},
		{Name: "ambient.humidity.high.critical", OID: "1.3.6.1.4.1.534.6.6.7.7.2.1.9.%u.1", Symbol: "EATON-EPDU-MIB::humidityThUpperCritical.%u.1", Mult: 0.1, Set: SetInteger, Flags: NegInvalid},
		{Name: "ambient.contacts.1.status", OID: "1.3.6.1.4.1.534.6.6.7.7.3.1.4.%u.1", Symbol: "EATON-EPDU-MIB::contactState.%u.1", Poll: Fast, Flags: String, Lookup: marlinAmbientDrycontacts},
		{Name: "ambient.contacts.2.status", OID: "1.3.6.1.4.1.534.6.6.7.7.3.1.4.%u.2", Symbol: "EATON-EPDU-MIB::contactState.%u.2", Poll: Fast, Flags: String, Lookup: marlinAmbientDrycontacts},
	}, eatonSensors(true), []Var{
		{Name: "outlet.count", OID: "1.3.6.1.4.1.534.6.6.7.1.2.1.22.%u", Symbol: "EATON-EPDU-MIB::outletCount.%u", Poll: Once},
		{Name: "outlet.id", Default: "0", Poll: Once, Flags: Absent},
		constant("outlet.desc", "All outlets"),
		{Name: "outlet.switchable", OID: "1.3.6.1.4.1.534.6.6.7.1.2.1.10.%u", Symbol: "EATON-EPDU-MIB::unitType.%u", Poll: Once, Flags: String | Unique, Lookup: marlinUnitSwitchability},
		{Name: "outlet.switchable", OID: "1.3.6.1.4.1.534.6.6.7.6.6.1.3.%u.1", Symbol: "EATON-EPDU-MIB::outletControlOffCmd.%u.1", Poll: Once, Flags: String | Unique, Lookup: g2UnitOutletSwitchability},
		{Name: "outlet.frequency", OID: "1.3.6.1.4.1.534.6.6.7.3.1.1.3.%u.1", Symbol: "EATON-EPDU-MIB::inputFrequency.%u.1", Mult: 0.1},
		{Name: "outlet.voltage", OID: "1.3.6.1.4.1.534.6.6.7.3.2.1.3.%u.1.1", Symbol: "EATON-EPDU-MIB::inputVoltage.%u.1.1", Mult: 0.001},
		{Name: "outlet.current", OID: "1.3.6.1.4.1.534.6.6.7.3.3.1.4.%u.1.1", Symbol: "EATON-EPDU-MIB::inputCurrent.%u.1.1", Mult: 0.01},
		{Name: "outlet.realpower", OID: "1.3.6.1.4.1.534.6.6.7.3.4.1.4.%u.1.4", Symbol: "EATON-EPDU-MIB::inputWatts.%u.1.4"},
		{Name: "outlet.power", OID: "1.3.6.1.4.1.534.6.6.7.3.4.1.3.%u.1.4", Symbol: "EATON-EPDU-MIB::inputVA.%u.1.4"},
		{Name: "outlet.%i.desc", OID: "1.3.6.1.4.1.534.6.6.7.6.1.1.3.%u.%i", Symbol: "EATON-EPDU-MIB::outletName.%u.%i", Set: SetString, Size: 128, Flags: String | Outlet},
		{Name: "outlet.%i.status", OID: "1.3.6.1.4.1.534.6.6.7.6.6.1.2.%u.%i", Symbol: "EATON-EPDU-MIB::outletControlStatus.%u.%i", Poll: Fast, Flags: String | Outlet, Lookup: marlinOutletStatus},
		{Name: "outlet.%i.id", OID: "1.3.6.1.4.1.534.6.6.7.6.6.1.7.%u.%i", Symbol: "EATON-EPDU-MIB::outletControlSequenceDelay.%u.%i", Poll: Once, Flags: Outlet},
		{Name: "outlet.%i.name", OID: "1.3.6.1.4.1.534.6.6.7.6.1.1.2.%u.%i", Symbol: "EATON-EPDU-MIB::outletID.%u.%i", Poll: Once, Flags: String | Unique | Outlet},
		{Name: "outlet.%i.name", OID: "1.3.6.1.4.1.534.6.6.7.6.1.1.6.%u.%i", Symbol: "EATON-EPDU-MIB::outletDesignator.%u.%i", Poll: Once, Flags: String | Unique | Outlet},
		{Name: "outlet.%i.groupid", OID: "1.3.6.1.4.1.534.6.6.7.6.2.1.3.%u.%i.1", Symbol: "EATON-EPDU-MIB::outletParentOID.%u.%i.1", Poll: Once, Flags: String | Unique | Outlet},
		{Name: "outlet.%i.groupid", OID: "1.3.6.1.4.1.534.6.6.7.6.2.1.3.%u.%i.2", Symbol: "EATON-EPDU-MIB::outletParentOID.%u.%i.2", Poll: Once, Flags: String | Unique | Outlet},
		{Name: "outlet.%i.groupid", OID: "1.3.6.1.4.1.534.6.6.7.6.2.1.3.%u.%i.3", Symbol: "EATON-EPDU-MIB::outletParentOID.%u.%i.3", Poll: Once, Flags: String | Unique | Outlet},
		{Name: "outlet.%i.groupid", OID: "1.3.6.1.4.1.534.6.6.7.6.2.1.3.%u.%i.4", Symbol: "EATON-EPDU-MIB::outletParentOID.%u.%i.4", Poll: Once, Flags: String | Unique | Outlet},
		{Name: "outlet.%i.groupid", OID: "1.3.6.1.4.1.534.6.6.7.6.2.1.3.%u.%i.5", Symbol: "EATON-EPDU-MIB::outletParentOID.%u.%i.5", Poll: Once, Flags: String | Unique | Outlet},
		{Name: "outlet.%i.groupid", OID: "1.3.6.1.4.1.534.6.6.7.6.2.1.3.%u.%i.6", Symbol: "EATON-EPDU-MIB::outletParentOID.%u.%i.6", Poll: Once, Flags: String | Unique | Outlet},
		{Name: "outlet.%i.current", OID: "1.3.6.1.4.1.534.6.6.7.6.4.1.3.%u.%i", Symbol: "EATON-EPDU-MIB::outletCurrent.%u.%i", Mult: 0.001, Flags: Outlet},
		{Name: "outlet.%i.current.status", OID: "1.3.6.1.4.1.534.6.6.7.6.4.1.4.%u.%i", Symbol: "EATON-EPDU-MIB::outletCurrentThStatus.%u.%i", Poll: Fast, Flags: String | Outlet, Lookup: marlinThresholdStatus},
		{Name: "outlet.%i.alarm", OID: "1.3.6.1.4.1.534.6.6.7.6.4.1.4.%u.%i", Symbol: "EATON-EPDU-MIB::outletCurrentThStatus.%u.%i", Poll: Fast, Flags: String | Outlet | Alarm, Lookup: marlinThresholdCurrentAlarms},
	}, limits("outlet.%i.current", "1.3.6.1.4.1.534.6.6.7.6.4.1", 5, "EATON-EPDU-MIB::outletCurrent", "%u.%i", 0.001, NegInvalid|Outlet), []Var{
		{Name: "outlet.%i.realpower", OID: "1.3.6.1.4.1.534.6.6.7.6.5.1.3.%u.%i", Symbol: "EATON-EPDU-MIB::outletWatts.%u.%i", Flags: Outlet},
		{Name: "outlet.%i.voltage", OID: "1.3.6.1.4.1.534.6.6.7.6.3.1.2.%u.%i", Symbol: "EATON-EPDU-MIB::outletVoltage.%u.%i", Mult: 0.001, Flags: Outlet},
		{Name: "outlet.%i.voltage.status", OID: "1.3.6.1.4.1.534.6.6.7.6.3.1.3.%u.%i", Symbol: "EATON-EPDU-MIB::outletVoltageThStatus.%u.%i", Poll: Fast, Flags: String | Outlet, Lookup: marlinThresholdStatus},
		{Name: "outlet.%i.alarm", OID: "1.3.6.1.4.1.534.6.6.7.6.3.1.3.%u.%i", Symbol: "EATON-EPDU-MIB::outletVoltageThStatus.%u.%i", Poll: Fast, Flags: String | Outlet | Alarm, Lookup: marlinThresholdVoltageAlarms},
	}, limits("outlet.%i.voltage", "1.3.6.1.4.1.534.6.6.7.6.3.1", 4, "EATON-EPDU-MIB::outletVoltage", "%u.%i", 0.001, NegInvalid|Outlet), []Var{
		{Name: "outlet.%i.power", OID: "1.3.6.1.4.1.534.6.6.7.6.5.1.2.%u.%i", Symbol: "EATON-EPDU-MIB::outletVA.%u.%i", Flags: Outlet},
		{Name: "outlet.%i.switchable", OID: "1.3.6.1.4.1.534.6.6.7.6.6.1.9.%u.%i", Symbol: "EATON-EPDU-MIB::outletControlSwitchable.%u.%i", Flags: String | Unique | Outlet, Lookup: yesNo},
		{Name: "outlet.%i.switchable", OID: "1.3.6.1.4.1.534.6.6.7.6.6.1.3.%u.%i", Symbol: "EATON-EPDU-MIB::outletControlOffCmd.%u.%i", Poll: Once, Flags: String | Unique | Outlet, Lookup: g2UnitOutletSwitchability},
		{Name: "outlet.%i.type", OID: "1.3.6.1.4.1.534.6.6.7.6.1.1.5.%u.%i", Symbol: "EATON-EPDU-MIB::outletType.%u.%i", Poll: Once, Flags: String | Outlet, Lookup: marlinOutletType},
		{Name: "outlet.group.count", OID: "1.3.6.1.4.1.534.6.6.7.1.2.1.21.%u", Symbol: "EATON-EPDU-MIB::groupCount.%u", Poll: Once},
		{Name: "outlet.group.%i.id", OID: "1.3.6.1.4.1.534.6.6.7.5.1.1.2.%u.%i", Symbol: "EATON-EPDU-MIB::groupID.%u.%i", Poll: Once, Flags: String | Group},
		{Name: "outlet.group.%i.desc", OID: "1.3.6.1.4.1.534.6.6.7.5.1.1.3.%u.%i", Symbol: "EATON-EPDU-MIB::groupName.%u.%i", Set: SetString, Size: 128, Flags: String | Group},
		{Name: "outlet.group.%i.name", OID: "1.3.6.1.4.1.534.6.6.7.5.1.1.8.%u.%i", Symbol: "EATON-EPDU-MIB::groupDesignator.%u.%i", Poll: Once, Flags: String | Group},
		{Name: "outlet.group.%i.color", OID: "1.3.6.1.4.1.534.6.6.7.5.1.1.7.%u.%i", Symbol: "EATON-EPDU-MIB::groupColor.%u.%i", Poll: Once, Flags: String | Group},
		{Name: "outlet.group.%i.type", OID: "1.3.6.1.4.1.534.6.6.7.5.1.1.4.%u.%i", Symbol: "EATON-EPDU-MIB::groupType.%u.%i", Poll: Once, Flags: String | Group, Lookup: marlinOutletGroupType},
		{Name: "outlet.group.%i.phase", OID: "1.3.6.1.4.1.534.6.6.7.5.3.1.2.%u.%i", Symbol: "EATON-EPDU-MIB::groupVoltageMeasType.%u.%i", Mult: 128, Poll: Once, Flags: Group, Lookup: marlinOutletGroupPhase},
		{Name: "outlet.group.%i.status", OID: "1.3.6.1.4.1.534.6.6.7.5.6.1.2.%u.%i", Symbol: "EATON-EPDU-MIB::groupControlStatus.%u.%i", Poll: Fast, Flags: String | Group, Lookup: marlinOutletgroupsStatus},
		{Name: "outlet.group.%i.count", OID: "1.3.6.1.4.1.534.6.6.7.5.1.1.6.%u.%i", Symbol: "EATON-EPDU-MIB::groupChildCount.%u.%i", Flags: Group},
		{Name: "outlet.group.%i.voltage", OID: "1.3.6.1.4.1.534.6.6.7.5.3.1.3.%u.%i", Symbol: "EATON-EPDU-MIB::groupVoltage.%u.%i", Mult: 0.001, Flags: Group},
		{Name: "outlet.group.%i.voltage.status", OID: "1.3.6.1.4.1.534.6.6.7.5.3.1.4.%u.%i", Symbol: "EATON-EPDU-MIB::groupVoltageThStatus.%u.%i", Poll: Fast, Flags: String | Group, Lookup: marlinThresholdStatus},
		{Name: "outlet.group.%i.alarm", OID: "1.3.6.1.4.1.534.6.6.7.5.3.1.4.%u.%i", Symbol: "EATON-EPDU-MIB::groupVoltageThStatus.%u.%i", Poll: Fast, Flags: String | Group | Alarm, Lookup: marlinThresholdVoltageAlarms},
	}, limits("outlet.group.%i.voltage", "1.3.6.1.4.1.534.6.6.7.5.3.1", 5, "EATON-EPDU-MIB::groupVoltage", "%u.%i", 0.001, NegInvalid|Group), []Var{
		{Name: "outlet.group.%i.current", OID: "1.3.6.1.4.1.534.6.6.7.5.4.1.3.%u.%i", Symbol: "EATON-EPDU-MIB::groupCurrent.%u.%i", Mult: 0.001, Flags: Group},
		{Name: "outlet.group.%i.current.nominal", OID: "1.3.6.1.4.1.534.6.6.7.5.4.1.2.%u.%i", Symbol: "EATON-EPDU-MIB::groupCurrentCapacity.%u.%i", Mult: 0.001, Flags: Group},
		{Name: "outlet.group.%i.current.status", OID: "1.3.6.1.4.1.534.6.6.7.5.4.1.4.%u.%i", Symbol: "EATON-EPDU-MIB::groupCurrentThStatus.%u.%i", Poll: Fast, Flags: String | Group, Lookup: marlinThresholdStatus},
		{Name: "outlet.group.%i.alarm", OID: "1.3.6.1.4.1.534.6.6.7.5.4.1.4.%u.%i", Symbol: "EATON-EPDU-MIB::groupCurrentThStatus.%u.%i", Poll: Fast, Flags: String | Group | Alarm, Lookup: marlinThresholdCurrentAlarms},
		{Name: "outlet.group.%i.load", OID: "1.3.6.1.4.1.534.6.6.7.5.4.1.10.%u.%i", Symbol: "EATON-EPDU-MIB::groupCurrentPercentLoad.%u.%i", Flags: NegInvalid | Group},
	}, limits("outlet.group.%i.current", "1.3.6.1.4.1.534.6.6.7.5.4.1", 5, "EATON-EPDU-MIB::groupCurrent", "%u.%i", 0.001, NegInvalid|Group), []Var{
		{Name: "outlet.group.%i.realpower", OID: "1.3.6.1.4.1.534.6.6.7.5.5.1.3.%u.%i", Symbol: "EATON-EPDU-MIB::groupWatts.%u.%i", Flags: NegInvalid | Group},
		{Name: "outlet.group.%i.power", OID: "1.3.6.1.4.1.534.6.6.7.5.5.1.2.%u.%i", Symbol: "EATON-EPDU-MIB::groupVA.%u.%i", Flags: NegInvalid | Group},
		{Name: "outlet.group.%i.input", OID: "1.3.6.1.4.1.534.6.6.7.5.1.1.9.%u.%i", Symbol: "EATON-EPDU-MIB::groupInputIndex.%u.%i", Flags: NegInvalid | Group},
		{Name: "outlet.%i.delay.shutdown", OID: "1.3.6.1.4.1.534.6.6.7.6.6.1.10.%u.%i", Symbol: "EATON-EPDU-MIB::outletControlShutoffDelay.%u.%i", Set: SetInteger, Flags: NegInvalid | Outlet},
		{Name: "outlet.%i.delay.start", OID: "1.3.6.1.4.1.534.6.6.7.6.6.1.7.%u.%i", Symbol: "EATON-EPDU-MIB::outletControlSequenceDelay.%u.%i", Set: SetInteger, Flags: NegInvalid | Outlet},
		{Name: "outlet.%i.timer.shutdown", OID: "1.3.6.1.4.1.534.6.6.7.6.6.1.3.%u.%i", Symbol: "EATON-EPDU-MIB::outletControlOffCmd.%u.%i", Flags: Outlet},
		{Name: "outlet.%i.timer.start", OID: "1.3.6.1.4.1.534.6.6.7.6.6.1.4.%u.%i", Symbol: "EATON-EPDU-MIB::outletControlOnCmd.%u.%i", Flags: Outlet},
	}),
	Cmds: []Cmd{
		{Name: "outlet.%i.load.off", OID: "1.3.6.1.4.1.534.6.6.7.6.6.1.3.%u.%i", Symbol: "EATON-EPDU-MIB::outletControlOffCmd.%u.%i", Flags: Outlet},
		{Name: "outlet.%i.load.on", OID: "1.3.6.1.4.1.534.6.6.7.6.6.1.4.%u.%i", Symbol: "EATON-EPDU-MIB::outletControlOnCmd.%u.%i", Flags: Outlet},
		{Name: "outlet.%i.load.cycle", OID: "1.3.6.1.4.1.534.6.6.7.6.6.1.5.%u.%i", Symbol: "EATON-EPDU-MIB::outletControlRebootCmd.%u.%i", Flags: Outlet},
		{Name: "outlet.%i.load.off.delay", OID: "1.3.6.1.4.1.534.6.6.7.6.6.1.3.%u.%i", Symbol: "EATON-EPDU-MIB::outletControlOffCmd.%u.%i", Flags: Arg | Outlet},
		{Name: "outlet.%i.load.on.delay", OID: "1.3.6.1.4.1.534.6.6.7.6.6.1.4.%u.%i", Symbol: "EATON-EPDU-MIB::outletControlOnCmd.%u.%i", Flags: Arg | Outlet},
		{Name: "outlet.%i.load.cycle.delay", OID: "1.3.6.1.4.1.534.6.6.7.6.6.1.5.%u.%i", Symbol: "EATON-EPDU-MIB::outletControlRebootCmd.%u.%i", Flags: Arg | Outlet},
		{Name: "outlet.group.%i.load.off", OID: "1.3.6.1.4.1.534.6.6.7.5.6.1.3.%u.%i", Symbol: "EATON-EPDU-MIB::groupControlOffCmd.%u.%i", Flags: Group},
		{Name: "outlet.group.%i.load.on", OID: "1.3.6.1.4.1.534.6.6.7.5.6.1.4.%u.%i", Symbol: "EATON-EPDU-MIB::groupControlOnCmd.%u.%i", Flags: Group},
		{Name: "outlet.group.%i.load.cycle", OID: "1.3.6.1.4.1.534.6.6.7.5.6.1.5.%u.%i", Symbol: "EATON-EPDU-MIB::groupControlRebootCmd.%u.%i", Flags: Group},
		{Name: "outlet.group.%i.load.off.delay", OID: "1.3.6.1.4.1.534.6.6.7.5.6.1.3.%u.%i", Symbol: "EATON-EPDU-MIB::groupControlOffCmd.%u.%i", Flags: Arg | Group},
		{Name: "outlet.group.%i.load.on.delay", OID: "1.3.6.1.4.1.534.6.6.7.5.6.1.4.%u.%i", Symbol: "EATON-EPDU-MIB::groupControlOnCmd.%u.%i", Flags: Arg | Group},
		{Name: "outlet.group.%i.load.cycle.delay", OID: "1.3.6.1.4.1.534.6.6.7.5.6.1.5.%u.%i", Symbol: "EATON-EPDU-MIB::groupControlRebootCmd.%u.%i", Flags: Arg | Group},
	},
}

// Lookups (SNMP value → NUT value).
var (
	marlinInputType                  = Lookup{{1, "1"}, {2, "2"}, {3, "3"}, {4, "3"}}                                                                                                                                                                                                                                                       // marlin_input_type_info
	marlinThresholdFrequencyStatus   = Lookup{{0, "good"}, {1, "out-of-range"}}                                                                                                                                                                                                                                                             // marlin_threshold_frequency_status_info
	marlinThresholdFrequencyAlarm    = Lookup{{0, ""}, {1, "frequency out of range!"}}                                                                                                                                                                                                                                                      // marlin_threshold_frequency_alarm_info
	marlinThresholdStatus            = Lookup{{0, "good"}, {1, "warning-low"}, {2, "critical-low"}, {3, "warning-high"}, {4, "critical-high"}}                                                                                                                                                                                              // marlin_threshold_status_info
	marlinThresholdVoltageAlarms     = Lookup{{0, ""}, {1, "low voltage warning!"}, {2, "low voltage critical!"}, {3, "high voltage warning!"}, {4, "high voltage critical!"}}                                                                                                                                                              // marlin_threshold_voltage_alarms_info
	marlinThresholdCurrentAlarms     = Lookup{{0, ""}, {1, "low current warning!"}, {2, "low current critical!"}, {3, "high current warning!"}, {4, "high current critical!"}}                                                                                                                                                              // marlin_threshold_current_alarms_info
	marlinAmbientPresence            = Lookup{{-1, "unknown"}, {0, "no"}, {1, "yes"}}                                                                                                                                                                                                                                                       // marlin_ambient_presence_info
	marlinThresholdTemperatureAlarms = Lookup{{0, ""}, {1, "low temperature warning!"}, {2, "low temperature critical!"}, {3, "high temperature warning!"}, {4, "high temperature critical!"}}                                                                                                                                              // marlin_threshold_temperature_alarms_info
	marlinThresholdHumidityAlarms    = Lookup{{0, ""}, {1, "low humidity warning!"}, {2, "low humidity critical!"}, {3, "high humidity warning!"}, {4, "high humidity critical!"}}                                                                                                                                                          // marlin_threshold_humidity_alarms_info
	marlinAmbientDrycontacts         = Lookup{{-1, "unknown"}, {0, "opened"}, {1, "closed"}}                                                                                                                                                                                                                                                // marlin_ambient_drycontacts_info
	marlinAmbientDrycontactsPolarity = Lookup{{0, "normal-opened"}, {1, "normal-closed"}}                                                                                                                                                                                                                                                   // marlin_ambient_drycontacts_polarity_info
	marlinAmbientDrycontactsState    = Lookup{{0, "inactive"}, {1, "active"}}                                                                                                                                                                                                                                                               // marlin_ambient_drycontacts_state_info
	marlinUnitSwitchability          = Lookup{{0, "no"}, {1, "yes"}, {2, "no"}, {3, "yes"}, {4, "no"}}                                                                                                                                                                                                                                      // marlin_unit_switchability_info
	g2UnitOutletSwitchability        = Lookup{{-1, "yes"}, {0, "yes"}}                                                                                                                                                                                                                                                                      // g2_unit_outlet_switchability_info
	marlinOutletStatus               = Lookup{{0, "off"}, {1, "on"}, {2, "pendingOff"}, {3, "pendingOn"}}                                                                                                                                                                                                                                   // marlin_outlet_status_info
	marlinOutletType                 = Lookup{{0, "unknown"}, {1, "iecC13"}, {2, "iecC19"}, {10, "uk"}, {11, "french"}, {12, "schuko"}, {20, "nema515"}, {21, "nema51520"}, {22, "nema520"}, {23, "nemaL520"}, {24, "nemaL530"}, {25, "nema615"}, {26, "nema620"}, {27, "nemaL620"}, {28, "nemaL630"}, {29, "nemaL715"}, {30, "rf203p277"}} // marlin_outlet_type_info
	marlinOutletGroupType            = Lookup{{0, "unknown"}, {1, "breaker1pole"}, {2, "breaker2pole"}, {3, "breaker3pole"}, {4, "outlet-section"}, {5, "user-defined"}}                                                                                                                                                                    // marlin_outlet_group_type_info
	marlinOutletGroupPhase           = Lookup{{0, "unknown"}, {1, "1"}, {2, "1-N"}, {3, "2-N"}, {4, "3-N"}, {5, "1-2"}, {6, "2-3"}, {7, "3-1"}}                                                                                                                                                                                             // marlin_outlet_group_phase_info
	marlinOutletgroupsStatus         = Lookup{{0, "off"}, {1, "on"}, {2, "rebooting"}, {3, "mixed"}}                                                                                                                                                                                                                                        // marlin_outletgroups_status_info
)
