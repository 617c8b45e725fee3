package mib

// EATON-SENSOR-MIB (enterprises 534.6.8): the EMP002 environment sensors
// (temperature, humidity, two dry contacts each) that Eaton's ePDUs
// (eaton_epdu) and UPS network cards (pw, pxgx_ups) list the same way,
// as ambient.N.* templates over sensorCount. NUT 2.8.0 repeats these rows
// in drivers/eaton-pdu-marlin-mib.c and drivers/powerware-mib.c (the ePDU
// one with the sensor's parent serial too); here they are written once.

// eatonSensors returns the rows, with ambient.N.parent.serial when parent.
func eatonSensors(parent bool) []Var {
	out := []Var{
		{Name: "ambient.count", OID: "1.3.6.1.4.1.534.6.8.1.1.1.0", Symbol: "EATON-SENSOR-MIB::sensorCount.0", Set: SetInteger},
		{Name: "ambient.%i.present", OID: "1.3.6.1.4.1.534.6.8.1.1.4.1.1.%i", Symbol: "EATON-SENSOR-MIB::sensorStatus.%i", Flags: String | Ambient, Lookup: sensorPresence},
		{Name: "ambient.%i.name", OID: "1.3.6.1.4.1.534.6.8.1.1.3.1.1.%i", Symbol: "EATON-SENSOR-MIB::sensorName.%i", Flags: String | Ambient},
		{Name: "ambient.%i.mfr", OID: "1.3.6.1.4.1.534.6.8.1.1.2.1.6.%i", Symbol: "EATON-SENSOR-MIB::sensorManufacturer.%i", Flags: String | Ambient},
		{Name: "ambient.%i.model", OID: "1.3.6.1.4.1.534.6.8.1.1.2.1.7.%i", Symbol: "EATON-SENSOR-MIB::sensorModel.%i", Flags: String | Ambient},
		{Name: "ambient.%i.serial", OID: "1.3.6.1.4.1.534.6.8.1.1.2.1.9.%i", Symbol: "EATON-SENSOR-MIB::sensorSerialNumber.%i", Flags: String | Ambient},
		{Name: "ambient.%i.id", OID: "1.3.6.1.4.1.534.6.8.1.1.2.1.2.%i", Symbol: "EATON-SENSOR-MIB::sensorUuid.%i", Flags: String | Ambient},
		{Name: "ambient.%i.address", OID: "1.3.6.1.4.1.534.6.8.1.1.2.1.4.%i", Symbol: "EATON-SENSOR-MIB::sensorAddress.%i", Flags: Ambient},
	}
	if parent {
		out = append(out, Var{Name: "ambient.%i.parent.serial", OID: "1.3.6.1.4.1.534.6.8.1.1.2.1.5.%i", Symbol: "EATON-SENSOR-MIB::sensorMonitoredBy.%i", Flags: String | Ambient})
	}
	return append(out, []Var{
		{Name: "ambient.%i.firmware", OID: "1.3.6.1.4.1.534.6.8.1.1.2.1.10.%i", Symbol: "EATON-SENSOR-MIB::sensorFirmwareVersion.%i", Flags: String | Ambient},
		{Name: "ambient.%i.temperature.unit", OID: "1.3.6.1.4.1.534.6.8.1.2.5.0", Symbol: "EATON-SENSOR-MIB::temperatureUnit.0", Flags: Ambient, Convert: SensorUnit},
		{Name: "ambient.%i.temperature", OID: "1.3.6.1.4.1.534.6.8.1.2.3.1.3.%i.1", Symbol: "EATON-SENSOR-MIB::temperatureValue.%i.1", Mult: 0.1, Flags: Ambient, Convert: SensorTemp},
		{Name: "ambient.%i.temperature.status", OID: "1.3.6.1.4.1.534.6.8.1.2.3.1.1.%i.1", Symbol: "EATON-SENSOR-MIB::temperatureAlarm.%i.1", Poll: Fast, Flags: String | Ambient, Lookup: sensorThresholdStatus},
		{Name: "ups.alarm", OID: "1.3.6.1.4.1.534.6.8.1.2.3.1.1.%i.1", Symbol: "EATON-SENSOR-MIB::temperatureAlarm.%i.1", Poll: Fast, Flags: String | Ambient | Alarm, Lookup: sensorTemperatureAlarms},
		{Name: "ambient.%i.temperature.low.critical", OID: "1.3.6.1.4.1.534.6.8.1.2.2.1.6.%i.1", Symbol: "EATON-SENSOR-MIB::temperatureThresholdLowCritical.%i.1", Mult: 0.1, Set: SetInteger, Flags: Ambient},
		{Name: "ambient.%i.temperature.low.warning", OID: "1.3.6.1.4.1.534.6.8.1.2.2.1.5.%i.1", Symbol: "EATON-SENSOR-MIB::temperatureThresholdLowWarning.%i.1", Mult: 0.1, Set: SetInteger, Flags: Ambient},
		{Name: "ambient.%i.temperature.high.warning", OID: "1.3.6.1.4.1.534.6.8.1.2.2.1.7.%i.1", Symbol: "EATON-SENSOR-MIB::temperatureThresholdHighWarning.%i.1", Mult: 0.1, Set: SetInteger, Flags: Ambient},
		{Name: "ambient.%i.temperature.high.critical", OID: "1.3.6.1.4.1.534.6.8.1.2.2.1.8.%i.1", Symbol: "EATON-SENSOR-MIB::temperatureThresholdHighCritical.%i.1", Mult: 0.1, Set: SetInteger, Flags: Ambient},
		{Name: "ambient.%i.humidity", OID: "1.3.6.1.4.1.534.6.8.1.3.3.1.3.%i.1", Symbol: "EATON-SENSOR-MIB::humidityValue.%i.1", Mult: 0.1, Flags: Ambient},
		{Name: "ambient.%i.humidity.status", OID: "1.3.6.1.4.1.534.6.8.1.3.3.1.1.%i.1", Symbol: "EATON-SENSOR-MIB::humidityAlarm.%i.1", Poll: Fast, Flags: String | Ambient, Lookup: sensorThresholdStatus},
		{Name: "ups.alarm", OID: "1.3.6.1.4.1.534.6.8.1.3.3.1.1.%i.1", Symbol: "EATON-SENSOR-MIB::humidityAlarm.%i.1", Poll: Fast, Flags: String | Ambient | Alarm, Lookup: sensorHumidityAlarms},
		{Name: "ambient.%i.humidity.low.critical", OID: "1.3.6.1.4.1.534.6.8.1.3.2.1.6.%i.1", Symbol: "EATON-SENSOR-MIB::humidityThresholdLowCritical.%i.1", Mult: 0.1, Set: SetInteger, Flags: Ambient},
		{Name: "ambient.%i.humidity.low.warning", OID: "1.3.6.1.4.1.534.6.8.1.3.2.1.5.%i.1", Symbol: "EATON-SENSOR-MIB::humidityThresholdLowWarning.%i.1", Mult: 0.1, Set: SetInteger, Flags: Ambient},
		{Name: "ambient.%i.humidity.high.warning", OID: "1.3.6.1.4.1.534.6.8.1.3.2.1.7.%i.1", Symbol: "EATON-SENSOR-MIB::humidityThresholdHighWarning.%i.1", Mult: 0.1, Set: SetInteger, Flags: Ambient},
		{Name: "ambient.%i.humidity.high.critical", OID: "1.3.6.1.4.1.534.6.8.1.3.2.1.8.%i.1", Symbol: "EATON-SENSOR-MIB::humidityThresholdHighCritical.%i.1", Mult: 0.1, Set: SetInteger, Flags: Ambient},
		{Name: "ambient.%i.contacts.1.name", OID: "1.3.6.1.4.1.534.6.8.1.4.2.1.1.%i.1", Symbol: "EATON-SENSOR-MIB::digitalInputName.%i.1", Flags: String | Ambient},
		{Name: "ambient.%i.contacts.2.name", OID: "1.3.6.1.4.1.534.6.8.1.4.2.1.1.%i.2", Symbol: "EATON-SENSOR-MIB::digitalInputName.%i.2", Flags: String | Ambient},
		{Name: "ambient.%i.contacts.1.config", OID: "1.3.6.1.4.1.534.6.8.1.4.2.1.3.%i.1", Symbol: "EATON-SENSOR-MIB::digitalInputPolarity.%i.1", Set: SetInteger, Flags: String | Ambient, Lookup: sensorContactPolarity},
		{Name: "ambient.%i.contacts.2.config", OID: "1.3.6.1.4.1.534.6.8.1.4.2.1.3.%i.2", Symbol: "EATON-SENSOR-MIB::digitalInputPolarity.%i.2", Set: SetInteger, Flags: String | Ambient, Lookup: sensorContactPolarity},
		{Name: "ambient.%i.contacts.1.status", OID: "1.3.6.1.4.1.534.6.8.1.4.3.1.3.%i.1", Symbol: "EATON-SENSOR-MIB::digitalInputState.%i.1", Poll: Fast, Flags: String | Ambient, Lookup: sensorContactState},
		{Name: "ambient.%i.contacts.2.status", OID: "1.3.6.1.4.1.534.6.8.1.4.3.1.3.%i.2", Symbol: "EATON-SENSOR-MIB::digitalInputState.%i.2", Poll: Fast, Flags: String | Ambient, Lookup: sensorContactState},
	}...)
}

// Lookups of EATON-SENSOR-MIB.
var (
	sensorPresence          = Lookup{{0, "unknown"}, {2, "yes"}, {3, "no"}}
	sensorThresholdStatus   = Lookup{{0, "good"}, {1, "warning-low"}, {2, "critical-low"}, {3, "warning-high"}, {4, "critical-high"}}
	sensorTemperatureAlarms = Lookup{{0, ""}, {1, "low temperature warning!"}, {2, "low temperature critical!"}, {3, "high temperature warning!"}, {4, "high temperature critical!"}}
	sensorHumidityAlarms    = Lookup{{0, ""}, {1, "low humidity warning!"}, {2, "low humidity critical!"}, {3, "high humidity warning!"}, {4, "high humidity critical!"}}
	sensorContactPolarity   = Lookup{{0, "normal-opened"}, {1, "normal-closed"}}
	sensorContactState      = Lookup{{0, "inactive"}, {1, "active"}}
)
